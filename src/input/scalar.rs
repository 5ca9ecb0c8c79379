//! One value of a declared type, read from its JSON: yes/no in the words of
//! a form, whole numbers with their unit (`"5年"`), amounts, ratios, dates,
//! fiscal years, municipalities, text and enum values by any of their
//! spellings. Pure: a value or a [`Problem`] that says, in both languages,
//! what is wrong and how to write it instead; the reader adds where.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::json::{Json, describe};
use crate::model::{AmountError, Bilingual, FiscalYear, JpDate, Yen, boolean};
use crate::program::EnumDef;
use crate::reference::hokkaido;
use crate::schema::{FieldDef, FieldTy};
use crate::text::{Text, closest, control_char, describe_char, digit_lookalike, kagi, key, key_of, normalized, quoted};
use crate::value::Value;

/// Why a value could not be read, and how to write it: English, Japanese.
#[derive(Debug)]
pub(crate) struct Problem {
    pub en: String,
    pub ja: String,
}

impl Problem {
    fn new(en: impl Into<String>, ja: impl Into<String>) -> Problem {
        Problem {
            en: en.into(),
            ja: ja.into(),
        }
    }

    fn of<E: Bilingual>(e: &E) -> Problem {
        Problem::new(e.to_string(), e.ja())
    }
}

/// A value of scalar type `ty` (not an entity, not a list) for field `f`.
pub(crate) fn scalar(ty: &FieldTy, f: &FieldDef, enums: &[EnumDef], v: &Json) -> Result<Value, Problem> {
    if let Json::String(s, _) = v
        && !matches!(ty, FieldTy::Text | FieldTy::Enum(_) | FieldTy::Bool)
        && let Some(c) = digit_lookalike(s)
    {
        return Err(lookalike(s, c));
    }
    match (ty, v) {
        (FieldTy::Bool, Json::Bool(b, _)) => Ok(Value::Bool(*b)),
        (FieldTy::Bool, Json::String(s, _)) => boolean::parse(s).map(Value::Bool).ok_or_else(|| {
            Problem::new(
                format!("not yes or no: {}; write {}", quoted(s), boolean::FORMS_EN),
                format!(
                    "{}は「はい／いいえ」として読めません。{}で書いてください",
                    kagi(s),
                    boolean::FORMS_JA
                ),
            )
        }),
        (FieldTy::Text, Json::String(s, _)) => text(s),
        (FieldTy::Int, Json::Number(n, _)) => int_number(n, f),
        (FieldTy::Int, Json::String(s, _)) => int_text(s, f),
        (FieldTy::Money, Json::Number(n, _)) => money_number(n),
        (FieldTy::Money, Json::String(s, _)) => Yen::parse(s).map(yen).map_err(|e| Problem::of(&e)),
        (FieldTy::Ratio, Json::Number(s, _)) => ratio(s),
        (FieldTy::Ratio, Json::String(s, _)) => ratio(s),
        (FieldTy::Date, Json::String(s, _)) => JpDate::parse(s).map(|d| Value::Date(d.0)).map_err(|e| Problem::of(&e)),
        (FieldTy::FiscalYear, Json::String(s, _)) => FiscalYear::parse(s)
            .map(|y| Value::FiscalYear(y.0))
            .map_err(|e| Problem::of(&e)),
        (FieldTy::FiscalYear, Json::Number(n, _)) => match exact(n).and_then(whole_i64) {
            Some(y) => FiscalYear::new(y)
                .map(|y| Value::FiscalYear(y.0))
                .map_err(|e| Problem::of(&e)),
            None => Err(mismatch(ty, f, enums, v)),
        },
        (FieldTy::Municipality, Json::String(s, _)) => hokkaido().resolve(s).map(Value::Municipality).map_err(|e| {
            Problem::new(
                format!("{e}; write a Hokkaido municipality's name (\"岩見沢市\") or its code (\"012106\")"),
                format!(
                    "{}。北海道の市町村名（「岩見沢市」など）か団体コード（「012106」など）で書いてください",
                    e.message_ja()
                ),
            )
        }),
        (FieldTy::Enum(id), Json::String(s, _)) => variant(&enums[*id as usize], s),
        _ => Err(mismatch(ty, f, enums, v)),
    }
}

/// Checks that `json` (the text of a field's `example`) reads as the field's value.
pub(crate) fn read_example(f: &FieldDef, enums: &[EnumDef], json: &str) -> Result<(), String> {
    if matches!(f.ty, FieldTy::Entity(_) | FieldTy::List(_)) {
        return Err("an example is for a field of one value, not an object or a list".into());
    }
    let doc = super::json::parse(json).map_err(|e| e.en)?;
    scalar(&f.ty, f, enums, &doc.root).map(|_| ()).map_err(|p| p.en)
}

fn yen(y: Yen) -> Value {
    Value::Num(Decimal::from(y.0))
}

fn lookalike(s: &str, c: char) -> Problem {
    let code = format!("U+{:04X}", u32::from(c));
    Problem::new(
        format!(
            "{} has {} ({code}), which is not a digit: write numbers with the digits 0–9",
            quoted(s),
            quoted(&c.to_string())
        ),
        format!(
            "{}の{}は数字ではありません（上付き・丸数字・分数などは読みません）。0〜9の数字で書いてください",
            kagi(s),
            kagi(&c.to_string())
        ),
    )
}

/// Text: anything but characters that would break or forge a line where
/// it is shown (a name is one line).
fn text(s: &str) -> Result<Value, Problem> {
    match control_char(s) {
        None => Ok(Value::Text(Arc::from(s))),
        Some(c) => {
            let (en, ja) = describe_char(c);
            Err(Problem::new(
                format!(
                    "{} contains {en}: text is one line without control characters; remove it",
                    quoted(s)
                ),
                format!(
                    "{}に{ja}が含まれています。改行や制御文字を除いて1行で書いてください",
                    kagi(s)
                ),
            ))
        }
    }
}

/// How a whole number of field `f` is written, for messages: `5 or "5年"`.
fn int_forms(f: &FieldDef) -> (String, String) {
    match f.unit.first() {
        Some(u) => (format!("5 or \"5{u}\""), format!("5 や「5{u}」")),
        None => ("5".into(), "5".into()),
    }
}

/// A whole number ≥ 0 written as a JSON number, read exactly from its text.
fn int_number(n: &str, f: &FieldDef) -> Result<Value, Problem> {
    let (forms_en, forms_ja) = int_forms(f);
    match exact(n) {
        Some(d) if d.fract().is_zero() && (!d.is_sign_negative() || d.is_zero()) => Ok(Value::Num(d.normalize())),
        Some(d) if d.is_sign_negative() && !d.is_zero() => Err(negative(n, f)),
        _ => Err(Problem::new(
            format!(
                "not a whole number: {}; write a whole number such as {forms_en}",
                crate::text::shown(n)
            ),
            format!(
                "整数ではありません（{}）。{forms_ja}のように0以上の整数で書いてください",
                crate::text::shown(n)
            ),
        )),
    }
}

fn negative(n: &str, f: &FieldDef) -> Problem {
    let (forms_en, forms_ja) = int_forms(f);
    Problem::new(
        format!(
            "negative number {}: write 0 or more, such as {forms_en}",
            crate::text::shown(n)
        ),
        format!(
            "負の数です（{}）。{forms_ja}のように0以上で書いてください",
            crate::text::shown(n)
        ),
    )
}

/// A whole number written as text: `"5"`, `"５"`, or with the field's unit,
/// `"5年"` (`unit "年"` in the field's declaration).
fn int_text(s: &str, f: &FieldDef) -> Result<Value, Problem> {
    let t = normalized(s);
    let mut body: &str = &t;
    for u in &f.unit {
        let u = key_of(u);
        if let Some(b) = body.strip_suffix(&*u) {
            body = b.trim_end();
            break;
        }
    }
    if let Some(digits) = body.strip_prefix('-')
        && crate::text::all_digits(digits)
    {
        return Err(negative(s, f));
    }
    let grouped = ungrouped(body);
    let body = grouped.as_deref().unwrap_or(body);
    if crate::text::all_digits(body) {
        return match Decimal::from_str_exact(body) {
            Ok(d) => Ok(Value::Num(d.normalize())),
            Err(_) => Err(Problem::new(
                format!("number too large: {}", quoted(s)),
                format!("数が大きすぎます（{}）", kagi(s)),
            )),
        };
    }
    let (forms_en, forms_ja) = int_forms(f);
    let (of_en, of_ja) = match f.unit.first() {
        Some(u) => (format!(" of {u}"), format!("（{u}）")),
        None => (String::new(), String::new()),
    };
    Err(Problem::new(
        format!("not a whole number{of_en}: {}; write e.g. {forms_en}", quoted(s)),
        format!(
            "{}は整数{of_ja}として読めません。{forms_ja}のように書いてください",
            kagi(s)
        ),
    ))
}

/// `"79,306"` → `"79306"`: commas that group by thousands; `None` for
/// anything else.
fn ungrouped(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split(',').collect();
    let (first, rest) = groups.split_first()?;
    let ok = !rest.is_empty()
        && crate::text::all_digits(first)
        && first.len() <= 3
        && rest.iter().all(|g| g.len() == 3 && crate::text::all_digits(g));
    ok.then(|| groups.concat())
}

/// An amount written as a JSON number, read exactly from its text:
/// `1200000` and `1200000.0` (a spreadsheet's integer) are whole yen,
/// `99999.99999999999999` is a fraction of a yen (never rounded first).
fn money_number(n: &str) -> Result<Value, Problem> {
    let Some(d) = exact(n) else {
        let n = crate::text::shown(n);
        return Err(Problem::new(
            format!("amount {n} is too large or too precise to hold exactly; write whole yen, e.g. 1200000"),
            format!("金額 {n} は正確に扱えない大きさ・桁数です。1200000 のように円単位の整数で書いてください"),
        ));
    };
    let r = if d.is_sign_negative() && !d.is_zero() {
        Err(AmountError::Negative {
            value: d.normalize().to_string(),
            input: None,
        })
    } else if !d.fract().is_zero() {
        Err(AmountError::Fraction {
            value: d.normalize().to_string(),
            input: None,
        })
    } else {
        u64::try_from(d.trunc())
            .map(Yen)
            .map_err(|_| AmountError::TooLarge { input: n.to_string() })
    };
    r.map(yen).map_err(|e| Problem::of(&e))
}

/// A ratio: a decimal number or string (`1.02`, `"1.000"`), or a
/// percentage string (`"102%"`), ≥ 0.
fn ratio(text: &str) -> Result<Value, Problem> {
    let t = normalized(text);
    let (body, scale) = match t.strip_suffix('%') {
        Some(b) => (b.trim(), Decimal::ONE_HUNDRED),
        None => (&*t, Decimal::ONE),
    };
    match exact(body).and_then(|d| d.checked_div(scale)) {
        Some(d) if !d.is_sign_negative() || d.is_zero() => Ok(Value::Num(d.normalize())),
        _ => Err(Problem::new(
            format!("not a ratio: {} (write e.g. 1.02, \"1.02\" or \"102%\")", quoted(text)),
            format!(
                "比率として読めません（{}）。1.02、\"1.02\"、\"102%\" のように書いてください",
                kagi(text)
            ),
        )),
    }
}

/// An enum value by any of its spellings; an alias several values share is
/// a question back. An open enum keeps a value it does not list, as written.
pub(crate) fn variant(e: &EnumDef, input: &str) -> Result<Value, Problem> {
    // Spellings are keys already: a value written exactly as one (the
    // common case) is found without normalising it.
    let found = |k: &str| e.variants.iter().position(|v| v.spellings.iter().any(|s| **s == *k));
    if let Some(i) = found(input) {
        return Ok(Value::Enum(i as u32));
    }
    let k = key_of(input);
    if let Some(i) = found(&k) {
        return Ok(Value::Enum(i as u32));
    }
    if let Some((_, vs)) = e.ambiguous.iter().find(|(a, _)| **a == *k) {
        let names_ja: Vec<String> = vs
            .iter()
            .map(|v| format!("「{}」", e.variants[*v as usize].ja))
            .collect();
        let names_en: Vec<String> = vs
            .iter()
            .map(|v| {
                let v = &e.variants[*v as usize];
                format!("{} ({})", v.code, v.ja)
            })
            .collect();
        return Err(Problem::new(
            format!(
                "{} could be {}: write which one is meant",
                quoted(input),
                names_en.join(" or ")
            ),
            format!("{}は{}か書き分けてください", kagi(input), names_ja.join("か")),
        ));
    }
    if e.open {
        // Kept as written: one line, like any text.
        text(input)?;
        return Ok(Value::Other(Arc::from(input.trim())));
    }
    Err(unknown_variant(e, input, &k))
}

fn unknown_variant(e: &EnumDef, input: &str, k: &str) -> Problem {
    // The nearest spelling names its value; the value is suggested by its
    // Japanese name and code ("ICT活用" → デジタル・ディバイドの解消へ向けたICTの活用).
    let spellings = e
        .variants
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.spellings.iter().map(move |s| (s.as_str(), i)));
    let all: Vec<(&str, usize)> = spellings.collect();
    let near = closest(k, all.iter().map(|(s, _)| *s))
        .or_else(|| {
            // A short word inside a long name ("ICT" in "…ICTの活用").
            let inside: Vec<&(&str, usize)> = all
                .iter()
                .filter(|(s, _)| k.chars().count() >= 2 && s.contains(k))
                .collect();
            inside.first().map(|(s, _)| *s)
        })
        .and_then(|s| all.iter().find(|(x, _)| *x == s).map(|(_, i)| &e.variants[*i]));
    let what = e.label.clone().unwrap_or_else(|| Text::same(e.name.clone()));
    let (hint_en, hint_ja) = match near {
        Some(v) => (
            format!("; did you mean \"{}\" ({})?", v.ja, v.code),
            format!("（もしかして「{}」？）", v.ja),
        ),
        None => (String::new(), String::new()),
    };
    let list_en: Vec<String> = e.variants.iter().map(|v| format!("{} ({})", v.code, v.ja)).collect();
    let list_ja: Vec<String> = e.variants.iter().map(|v| v.ja.clone()).collect();
    let (help_en, help_ja) = match &e.help {
        Some(h) => (format!(". {}", h.en), h.ja.clone()),
        None => (String::new(), String::new()),
    };
    Problem::new(
        format!(
            "{} is not a value of \"{}\"{hint_en}; write one of: {}{help_en}",
            quoted(input),
            what.en,
            list_en.join(", ")
        ),
        format!(
            "{}は{}にありません{hint_ja}。次のいずれかで書いてください：{}。{help_ja}",
            kagi(input),
            what.ja,
            list_ja.join("、")
        ),
    )
}

fn mismatch(ty: &FieldTy, f: &FieldDef, enums: &[EnumDef], v: &Json) -> Problem {
    let (found_en, found_ja) = describe(v);
    let (want_en, want_ja) = expected(ty, f, enums);
    Problem::new(
        format!("invalid type: {found_en}, expected {want_en}"),
        format!("{found_ja}ではなく{want_ja}を書いてください"),
    )
}

/// What a field of type `ty` takes, in English and Japanese.
pub(crate) fn expected(ty: &FieldTy, f: &FieldDef, enums: &[EnumDef]) -> (String, String) {
    let (en, ja): (String, String) = match ty {
        FieldTy::Bool => (boolean::FORMS_EN.into(), boolean::FORMS_JA.into()),
        FieldTy::Int => match f.unit.first() {
            Some(u) => (
                format!("a whole number, such as 5 or \"5{u}\""),
                format!("0以上の整数（5 や「5{u}」）"),
            ),
            None => ("a whole number".into(), "0以上の整数".into()),
        },
        FieldTy::Money => (
            "an amount in yen (an integer or a string like \"1,200,000\" or \"1200千円\")".into(),
            "金額（整数、または \"1,200,000\"、\"1200千円\" のような文字列）".into(),
        ),
        FieldTy::Ratio => (
            "a ratio such as 1.02 or \"1.02\"".into(),
            "比率（1.02 や \"1.02\"）".into(),
        ),
        FieldTy::Date => (
            "a date such as \"2020-10-09\" or \"令和2年10月9日\"".into(),
            "日付（\"2020-10-09\" や \"令和2年10月9日\" のような文字列）".into(),
        ),
        FieldTy::FiscalYear => (
            "a fiscal year such as 2024 or \"令和6年度\"".into(),
            "年度（2024 や \"令和6年度\"）".into(),
        ),
        FieldTy::Text => ("a string".into(), "文字列".into()),
        FieldTy::Municipality => (
            "a municipality's name or code, as a string".into(),
            "市町村名または団体コード（文字列）".into(),
        ),
        FieldTy::Enum(id) => {
            let e = &enums[*id as usize];
            let shown: Vec<&str> = e.variants.iter().take(4).map(|v| v.ja.as_str()).collect();
            let more = if e.variants.len() > 4 { "…" } else { "" };
            (
                format!("one of the listed values as a string ({}{more})", shown.join(", ")),
                format!("決められた値の文字列（{}{more}）", shown.join("、")),
            )
        }
        FieldTy::Entity(_) => ("an object ({…})".into(), "オブジェクト（{…}）".into()),
        FieldTy::List(_) => ("a list ([…])".into(), "配列（[…]）".into()),
    };
    (en, ja)
}

/// A number's text as an exact decimal; `None` when a decimal cannot hold
/// it exactly (more than 28 decimal places, beyond ±7.9 × 10²⁸).
pub(crate) fn exact(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (t, 0),
    };
    let mut d = Decimal::from_str_exact(mantissa).ok()?;
    if exp.unsigned_abs() > 56 {
        return None;
    }
    for _ in 0..exp.unsigned_abs() {
        let next = if exp > 0 {
            d.checked_mul(Decimal::TEN)?
        } else {
            d.checked_div(Decimal::TEN)?
        };
        if exp < 0 && next.checked_mul(Decimal::TEN)? != d {
            return None;
        }
        d = next;
    }
    Some(d)
}

fn whole_i64(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        i64::try_from(d).ok()
    } else {
        None
    }
}

/// How the values of a `unique` list compare.
pub(crate) fn unique_key(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) | Value::Other(t) => Some(key(t)),
        Value::Municipality(m) => Some(format!("muni:{}", m.0)),
        Value::Enum(i) => Some(format!("enum:{i}")),
        Value::Num(n) => Some(n.normalize().to_string()),
        Value::Date(d) => Some(d.to_string()),
        Value::FiscalYear(y) => Some(y.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_exactly() {
        assert_eq!(exact("99999.99999999999999").map(|d| d.fract().is_zero()), Some(false));
        assert_eq!(exact("1200000.0"), Some(Decimal::new(12000000, 1)));
        assert_eq!(exact("1e3"), Some(Decimal::from(1000)));
        assert_eq!(
            exact("0.00000000000000000000000000001"),
            None,
            "29 places: not held exactly"
        );
        assert_eq!(exact("1e400"), None);
    }
}
