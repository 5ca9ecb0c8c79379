//! `FiscalYear`: a Japanese fiscal year (年度), April 1 to March 31, named by the western
//! year it starts in.
//!
//! Rules compare application dates with fiscal years (e.g. "concluded within the fiscal
//! year"), so the type knows its first and last day; officers write it as `令和6年度`, so it
//! reads and prints that form too.

use std::borrow::Cow;
use std::fmt;

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::Bilingual;
use crate::model::date::{Era, era_year_ja};
use crate::text::{all_digits, kagi, normalized, quoted};

/// Earliest accepted fiscal year: 平成元年度. The grant did not exist before.
pub(super) const FIRST_YEAR: i32 = 1989;
/// Latest accepted fiscal year; anything later is a typo.
pub(super) const LAST_YEAR: i32 = 2200;

/// A fiscal year, by the western year it starts in: `FiscalYear(2024)` is 令和6年度,
/// 2024-04-01 to 2025-03-31. Serialised as that integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FiscalYear(pub i32);

/// Why a number or text is not a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FiscalYearError {
    /// Not in any accepted form.
    #[error(
        "not a fiscal year: {} (write e.g. 2024, \"2024年度\", \"令和6年度\", \"R6\", \"FY2024\")",
        quoted(.input)
    )]
    NotAFiscalYear { input: String },
    /// Outside 1989..=2200.
    #[error(
        "fiscal year {year} is out of range ({FIRST_YEAR} to {LAST_YEAR}): write the western year it starts in, e.g. 2024"
    )]
    OutOfRange { year: i64 },
    /// An era year the era never had (`平成32年度`, `令和0年度`).
    #[error("{}{year}年度 does not exist: {}", .era.name_ja(), era_span_en(*.era))]
    NoSuchEraYear { era: Era, year: i32 },
}

fn era_span_en(era: Era) -> String {
    match era {
        Era::Heisei => "平成 fiscal years run from 平成元年度 (FY1989) to 平成31年度 (FY2019)".into(),
        Era::Reiwa => "令和 fiscal years start at 令和元年度 (FY2019)".into(),
    }
}

impl Bilingual for FiscalYearError {
    fn ja(&self) -> String {
        match self {
            Self::NotAFiscalYear { input } => format!(
                "年度として読めません（{}）。2024、「2024年度」「令和6年度」「R6」「FY2024」のように書いてください",
                kagi(input)
            ),
            Self::OutOfRange { year } => {
                format!(
                    "{year}年度は範囲外です（{FIRST_YEAR}年度〜{LAST_YEAR}年度）。2024 のように年度が始まる西暦年で書いてください"
                )
            }
            Self::NoSuchEraYear { era: Era::Heisei, year } => {
                format!("平成{year}年度はありません（平成元年度〜平成31年度）")
            }
            Self::NoSuchEraYear { era: Era::Reiwa, year } => {
                format!("令和{year}年度はありません（令和元年度から）")
            }
        }
    }
}

impl FiscalYear {
    /// Checks the range 1989..=2200.
    pub(crate) fn new(year: i64) -> Result<FiscalYear, FiscalYearError> {
        i32::try_from(year)
            .ok()
            .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
            .map(FiscalYear)
            .ok_or(FiscalYearError::OutOfRange { year })
    }

    /// Reads `"令和6年度"`, `"R6"`, `"R6年度"`, `"令和元年度"`, `"平成31年度"`, `"2024年度"`,
    /// `"FY2024"`, `"2024"`; full-width text is NFKC-normalised.
    pub(crate) fn parse(input: &str) -> Result<FiscalYear, FiscalYearError> {
        let text = normalized(input);
        let body = text.strip_suffix("年度").unwrap_or(&text).trim();
        let body = strip_fy(body).trim();
        let not_fy = || FiscalYearError::NotAFiscalYear {
            input: input.to_string(),
        };
        match Era::strip_prefix(body) {
            (Some(era), rest) => FiscalYear::from_era(era, era_number(rest.trim()).ok_or_else(not_fy)?),
            (None, digits) if all_digits(digits) && digits.len() == 4 => {
                digits.parse::<i64>().map_err(|_| not_fy()).and_then(FiscalYear::new)
            }
            _ => Err(not_fy()),
        }
    }

    /// 令和N年度 / 平成N年度 → the fiscal year; 平成 only up to 31 (FY2019).
    fn from_era(era: Era, n: i32) -> Result<FiscalYear, FiscalYearError> {
        let ended = era == Era::Heisei && n > 31;
        if n < 1 || ended {
            return Err(FiscalYearError::NoSuchEraYear { era, year: n });
        }
        FiscalYear::new(i64::from(era.western_year(n)))
    }

    /// The fiscal year a date falls in: January–March belong to the previous year's.
    pub(crate) fn of_date(d: Date) -> FiscalYear {
        let year = i32::from(d.year());
        FiscalYear(if d.month() < 4 { year - 1 } else { year })
    }

    /// April 1; `None` outside the calendar (years -9999 to 9999).
    pub(crate) fn start(self) -> Option<Date> {
        let year = i16::try_from(self.0).ok()?;
        Date::new(year, 4, 1).ok()
    }

    /// March 31 of the next western year; `None` outside the calendar.
    pub(crate) fn end(self) -> Option<Date> {
        let year = i16::try_from(self.0.checked_add(1)?).ok()?;
        Date::new(year, 3, 31).ok()
    }

    /// `令和6年度（2024年度）`; 令和 from 2019 (令和元年度), 平成 before.
    pub(crate) fn label_ja(self) -> String {
        let era = if self.0 >= 2019 { Era::Reiwa } else { Era::Heisei };
        let n = era_year_ja(era.era_year(self.0));
        format!("{}{n}年度（{}年度）", era.name_ja(), self.0)
    }

    /// `FY2024`.
    pub(crate) fn label_en(self) -> String {
        format!("FY{}", self.0)
    }
}

/// Strips `FY`/`fy`/`Fy` prefixes (`FY2024`).
fn strip_fy(text: &str) -> &str {
    match text.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("fy") => &text[2..],
        _ => text,
    }
}

/// `元` → 1, `6` → 6 (at most 3 digits).
fn era_number(text: &str) -> Option<i32> {
    match text {
        "元" => Some(1),
        t if all_digits(t) && t.len() <= 3 => t.parse().ok(),
        _ => None,
    }
}

impl std::str::FromStr for FiscalYear {
    type Err = FiscalYearError;
    fn from_str(s: &str) -> Result<FiscalYear, FiscalYearError> {
        FiscalYear::parse(s)
    }
}

impl fmt::Display for FiscalYear {
    /// `FY2024`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_en())
    }
}

impl JsonSchema for FiscalYear {
    fn schema_name() -> Cow<'static, str> {
        "FiscalYear".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "年度（4月1日〜翌年3月31日）。開始する西暦年の整数（2024）、または \"令和6年度\"、\
                \"R6\"、\"R6年度\"、\"令和元年度\"、\"平成31年度\"、\"2024年度\"、\"FY2024\"。 / Fiscal year \
                (April 1 to March 31) as the western year it starts in (2024), or a string such as \
                \"令和6年度\", \"R6\", \"令和元年度\", \"平成31年度\" (= 2019), \"2024年度\", \"FY2024\".",
            "oneOf": [
                { "type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR },
                { "type": "string", "examples": ["令和6年度", "R6", "FY2024"] }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fy(s: &str) -> i32 {
        FiscalYear::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).0
    }

    #[test]
    fn accepts_forms() {
        for s in [
            "令和6年度",
            "R6",
            "R6年度",
            "r6",
            "2024年度",
            "FY2024",
            "fy2024",
            "2024",
            "２０２４年度",
            "令和６年度",
            " FY 2024 ",
        ] {
            assert_eq!(fy(s), 2024, "{s}");
        }
        assert_eq!(fy("令和元年度"), 2019);
        assert_eq!(fy("平成31年度"), 2019);
        assert_eq!(fy("H30"), 2018);
        assert_eq!(fy("平成元年度"), 1989);
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in ["", "abc", "令和", "R6年", "24", "20245", "FY", "令和六年度", "2024年"] {
            assert!(
                matches!(FiscalYear::parse(bad), Err(FiscalYearError::NotAFiscalYear { .. })),
                "{bad}"
            );
        }
        let err = |s: &str| FiscalYear::parse(s).expect_err(s).to_string();
        assert_eq!(
            err("1900"),
            "fiscal year 1900 is out of range (1989 to 2200): write the western year it starts in, e.g. 2024"
        );
        assert_eq!(err("令和0年度").split(':').next(), Some("令和0年度 does not exist"));
        assert_eq!(err("平成32年度").split(':').next(), Some("平成32年度 does not exist"));
        assert!(err("R999").contains("out of range"));
    }

    #[test]
    fn boundaries_and_labels() {
        assert_eq!(FiscalYear::of_date(date(2025, 3, 31)), FiscalYear(2024));
        assert_eq!(FiscalYear::of_date(date(2025, 4, 1)), FiscalYear(2025));
        assert_eq!(FiscalYear(2024).start(), Some(date(2024, 4, 1)));
        assert_eq!(FiscalYear(2024).end(), Some(date(2025, 3, 31)));
        assert_eq!(FiscalYear(2024).label_ja(), "令和6年度（2024年度）");
        assert_eq!(FiscalYear(2019).label_ja(), "令和元年度（2019年度）");
        assert_eq!(FiscalYear(2018).label_ja(), "平成30年度（2018年度）");
        assert_eq!(FiscalYear(1989).label_ja(), "平成元年度（1989年度）");
        assert_eq!(FiscalYear(2024).label_en(), "FY2024");
        assert_eq!(FiscalYear(9998).end(), Some(date(9999, 3, 31)));
        assert_eq!(
            FiscalYear(9999).end(),
            None,
            "outside the calendar: no date, never a wrapped one"
        );
        assert_eq!(FiscalYear(i32::MAX).end(), None);
        assert_eq!(FiscalYear(i32::MIN).start(), None);
    }
}
