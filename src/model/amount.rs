//! `Yen`: an exact, non-negative amount of whole yen.
//!
//! Applications arrive typed by hand, so an amount may be a JSON integer or a string the way
//! it is written on a Japanese budget sheet (`"1,200,000"`, `"１２００千円"`, `"120万円"`).
//! Strings are read with digit-string arithmetic only, never `f64`, so `"1.5万円"` is exactly
//! 15,000 and `"1.23456万円"` is an error rather than a rounded guess.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::Bilingual;
use crate::text::{all_digits, kagi, normalized, quoted, shown};

/// Largest float that still holds every whole number exactly (2^53).
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// The accepted forms, for error hints and the JSON Schema description.
const FORMS_EN: &str = "write whole yen, e.g. 1200000, \"1,200,000\", \"1200000円\", \
                        \"¥1,200,000\", \"1200千円\", \"120万円\", \"1.5万円\"";
const FORMS_JA: &str = "1200000、\"1,200,000\"、\"1200000円\"、\"¥1,200,000\"、\
                        \"1200千円\"、\"120万円\"、\"1.5万円\" のように円単位で書いてください";

/// An exact amount of whole yen, ≥ 0. 円単位の金額（0以上の整数）.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Yen(pub u64);

/// Why a text or number is not an amount of yen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Below zero (`-5`, `"▲5"`). `value` is the amount in yen as text.
    #[error("negative amount {}{}: an amount is 0 yen or more", shown(.value), from_input(.input))]
    Negative { value: String, input: Option<String> },
    /// Not whole yen (`1200000.5`, `"1.23456万円"`).
    #[error("a fraction of a yen: {}{}: write whole yen", shown(.value), from_input(.input))]
    Fraction { value: String, input: Option<String> },
    /// Neither a number nor a recognised written form.
    #[error("not an amount: {} ({FORMS_EN})", quoted(.input))]
    NotAnAmount { input: String },
    /// More than `u64::MAX` yen.
    #[error(
        "amount too large: {} (the largest is 18,446,744,073,709,551,615 yen): check the amount and its unit",
        shown(.input)
    )]
    TooLarge { input: String },
    /// A JSON float beyond 2^53, which cannot be exact.
    #[error(
        "amount {} is too large for an exact JSON number; write it as an integer or a string",
        shown(.input)
    )]
    Inexact { input: String },
}

/// ` ("1.23456万円")` when the amount was written differently from its yen value.
fn from_input(input: &Option<String>) -> String {
    input
        .as_deref()
        .map(|i| format!(" ({})", quoted(i)))
        .unwrap_or_default()
}

impl Bilingual for AmountError {
    fn ja(&self) -> String {
        let from = |input: &Option<String>| input.as_deref().map(|i| format!("、{}", kagi(i))).unwrap_or_default();
        match self {
            Self::Negative { value, input } => {
                format!(
                    "負の金額です（{}{}）。0円以上で書いてください",
                    shown(value),
                    from(input)
                )
            }
            Self::Fraction { value, input } => {
                format!(
                    "1円未満の端数があります（{}{}）。円単位の整数で書いてください",
                    shown(value),
                    from(input)
                )
            }
            Self::NotAnAmount { input } => {
                format!("金額として読めません（{}）。{FORMS_JA}", kagi(input))
            }
            Self::TooLarge { input } => format!(
                "金額が大きすぎます（{}。上限は18,446,744,073,709,551,615円）。金額と単位を確かめてください",
                shown(input)
            ),
            Self::Inexact { input } => {
                format!(
                    "金額 {} はJSONの数値では正確に表せません。整数か文字列で書いてください",
                    shown(input)
                )
            }
        }
    }
}

impl Yen {
    /// Reads a written amount: `"1,200,000"`, `"1200000円"`, `"¥1,200,000"`, `"１２００千円"`,
    /// `"120万円"`, `"1,000万円"`, `"1.5万円"`. Full-width text is NFKC-normalised first.
    pub fn parse(input: &str) -> Result<Yen, AmountError> {
        let text = normalized(input);
        let written = Written::split(&text).ok_or_else(|| not_an_amount(input))?;
        written.to_yen(&text)
    }

    /// Reads a JSON float: accepted only when whole and exact (|v| ≤ 2^53), because
    /// spreadsheets export `1200000.0` for an integer cell.
    pub fn from_f64(value: f64) -> Result<Yen, AmountError> {
        if value < 0.0 {
            return Err(AmountError::Negative {
                value: value.to_string(),
                input: None,
            });
        }
        if value > MAX_EXACT_FLOAT || !value.is_finite() {
            return Err(AmountError::Inexact {
                input: value.to_string(),
            });
        }
        if value.fract() != 0.0 {
            return Err(AmountError::Fraction {
                value: value.to_string(),
                input: None,
            });
        }
        // Whole, non-negative and ≤ 2^53: the cast is exact.
        Ok(Yen(value as u64))
    }

    /// Reads a JSON integer that may be negative.
    pub fn from_i64(value: i64) -> Result<Yen, AmountError> {
        u64::try_from(value).map(Yen).map_err(|_| AmountError::Negative {
            value: value.to_string(),
            input: None,
        })
    }

    /// The amount in yen.
    pub fn get(self) -> u64 {
        self.0
    }
}

fn not_an_amount(input: &str) -> AmountError {
    AmountError::NotAnAmount {
        input: input.to_string(),
    }
}

/// A written amount split into sign, integer digits, fraction digits and unit power of ten.
struct Written<'a> {
    negative: bool,
    int: String,
    frac: &'a str,
    /// 0 for 円, 3 for 千円, 4 for 万円, 6 for 百万円, 8 for 億円.
    power: usize,
}

impl<'a> Written<'a> {
    /// Splits `[-|▲|△][¥][-]digits[,ddd…][.digits][千|万|百万|億][円]`; `None` for anything else.
    fn split(text: &'a str) -> Option<Written<'a>> {
        let (neg1, rest) = strip_sign(text);
        let rest = rest.trim_start();
        let rest = rest.strip_prefix('¥').unwrap_or(rest).trim_start();
        let (neg2, rest) = strip_sign(rest);
        let rest = rest.strip_suffix('円').unwrap_or(rest).trim_end();
        let (number, power) = strip_unit(rest);
        let (int, frac) = match number.trim_end().split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (number.trim_end(), ""),
        };
        if number.contains('.') && !all_digits(frac) {
            return None;
        }
        let int = ungroup(int)?;
        Some(Written {
            negative: neg1 || neg2,
            int,
            frac: frac.trim_end_matches('0'),
            power,
        })
    }

    /// Shifts the decimal point by the unit and checks sign, fraction and range.
    fn to_yen(&self, text: &str) -> Result<Yen, AmountError> {
        let shift = self.power.min(self.frac.len());
        let mut whole = format!("{}{}", self.int, &self.frac[..shift]);
        whole.extend(std::iter::repeat_n('0', self.power - shift));
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let rest = &self.frac[shift..];
        let value = if rest.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{rest}")
        };
        let negative = self.negative && value != "0";
        let signed = if negative { format!("-{value}") } else { value.clone() };
        let input = (signed != text).then(|| text.to_string());
        if negative {
            return Err(AmountError::Negative { value: signed, input });
        }
        if !rest.is_empty() {
            return Err(AmountError::Fraction { value, input });
        }
        whole
            .parse::<u64>()
            .map(Yen)
            .map_err(|_| AmountError::TooLarge { input: text.into() })
    }
}

/// Strips a leading minus sign; `▲`/`△` are the Japanese accounting marks for negatives.
fn strip_sign(text: &str) -> (bool, &str) {
    for sign in ['-', '−', '▲', '△'] {
        if let Some(rest) = text.strip_prefix(sign) {
            return (true, rest);
        }
    }
    (false, text)
}

/// Strips a unit suffix and returns its power of ten.
fn strip_unit(text: &str) -> (&str, usize) {
    for (unit, power) in [("百万", 6), ("千", 3), ("万", 4), ("億", 8)] {
        if let Some(rest) = text.strip_suffix(unit) {
            return (rest, power);
        }
    }
    (text, 0)
}

/// `"1,200,000"` → `"1200000"`; commas must group by thousands, so `"1,20"` is garbage.
fn ungroup(int: &str) -> Option<String> {
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = groups.first().is_some_and(|g| all_digits(g) && g.len() <= 3);
    let ok = if groups.len() == 1 {
        all_digits(int)
    } else {
        first_ok && groups[1..].iter().all(|g| all_digits(g) && g.len() == 3)
    };
    ok.then(|| groups.concat())
}

impl std::str::FromStr for Yen {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Yen, AmountError> {
        Yen::parse(s)
    }
}

impl fmt::Display for Yen {
    /// Plain integer, the same as the JSON form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<Yen> for u64 {
    fn from(yen: Yen) -> u64 {
        yen.0
    }
}

impl JsonSchema for Yen {
    fn schema_name() -> Cow<'static, str> {
        "Yen".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "金額（円）。整数、または \"1,200,000\"、\"1200000円\"、\"¥1,200,000\"、\
                \"１２００千円\"、\"120万円\"、\"1,000万円\"、\"1.5万円\" のような文字列（全角可）。\
                負の金額・1円未満の端数は不可。 / Amount in whole yen ≥ 0: an integer, or a string \
                such as \"1,200,000\", \"1200000円\", \"¥1,200,000\", \"１２００千円\" (full-width \
                digits allowed), \"120万円\", \"1,000万円\", \"1.5万円\" (units 千/万/百万/億; a decimal \
                only when the result is whole yen).",
            "oneOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "examples": ["1,200,000", "1200000円", "１２００千円", "120万円"] }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yen(s: &str) -> u64 {
        Yen::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).0
    }

    fn err(s: &str) -> String {
        Yen::parse(s).expect_err(s).to_string()
    }

    #[test]
    fn accepts_written_forms() {
        assert_eq!(yen("1,200,000"), 1_200_000);
        assert_eq!(yen("1200000"), 1_200_000);
        assert_eq!(yen("1200000円"), 1_200_000);
        assert_eq!(yen("１２００千円"), 1_200_000);
        assert_eq!(yen("120万円"), 1_200_000);
        assert_eq!(yen("1,000万円"), 10_000_000);
        assert_eq!(yen("1.5万円"), 15_000);
        assert_eq!(yen("1.50万"), 15_000);
        assert_eq!(yen("¥1,200,000"), 1_200_000);
        assert_eq!(yen("￥１，２００，０００"), 1_200_000);
        assert_eq!(yen(" 1200000.0 "), 1_200_000);
        assert_eq!(yen("1.2百万円"), 1_200_000);
        assert_eq!(yen("2億円"), 200_000_000);
        assert_eq!(yen("0"), 0);
        assert_eq!(yen("-0"), 0);
        assert_eq!(yen("10,050,000"), 10_050_000);
        assert_eq!(yen("9,999,999"), 9_999_999);
        assert_eq!(yen("99,999"), 99_999);
        assert_eq!(yen("18446744073709551615"), u64::MAX);
    }

    #[test]
    fn rejects_bad_forms() {
        assert!(err("abc").starts_with("not an amount: \"abc\" (write whole yen"));
        for bad in [
            "", "1,20", "1,2000", ",100", "1.", ".5", "1.5.5", "12a", "万円", "1 2", "1e3",
        ] {
            assert!(matches!(Yen::parse(bad), Err(AmountError::NotAnAmount { .. })), "{bad}");
        }
        assert_eq!(err("-5"), "negative amount -5: an amount is 0 yen or more");
        assert_eq!(
            err("▲5万円"),
            "negative amount -50000 (\"▲5万円\"): an amount is 0 yen or more"
        );
        assert_eq!(err("1200000.5"), "a fraction of a yen: 1200000.5: write whole yen");
        assert_eq!(
            err("1.23456万円"),
            "a fraction of a yen: 12345.6 (\"1.23456万円\"): write whole yen"
        );
        // A pasted megabyte is cut where it is echoed.
        let huge = format!("-{}", "1".repeat(1_000_000));
        assert!(err(&huge).chars().count() < 200);
        assert!(err(&"9".repeat(1_000_000)).chars().count() < 200);
        assert!(err("18446744073709551616").starts_with("amount too large"));
        assert!(err("99999999999999999999億円").starts_with("amount too large"));
    }

    #[test]
    fn japanese_texts() {
        let e = Yen::from_i64(-5).expect_err("negative");
        assert_eq!(e.to_string(), "negative amount -5: an amount is 0 yen or more");
        assert_eq!(e.ja(), "負の金額です（-5）。0円以上で書いてください");
        assert!(
            Yen::parse("abc")
                .expect_err("abc")
                .ja()
                .starts_with("金額として読めません（「abc」）")
        );
    }
}
