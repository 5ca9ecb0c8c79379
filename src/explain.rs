//! Shows values and messages in Japanese and English: amounts as yen, dates
//! in 和暦 and ISO, fiscal years as 令和N年度 / FYnnnn, ratios as exact
//! decimals, enum values by their names, entities by their titles, unknown
//! values as "不明" or as bounds. Decisions call these once; renderers only
//! print the texts.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::Evaluation;
use crate::model::{FiscalYear, JpDate};
use crate::program::{Message, Piece, Ty};
use crate::reference::hokkaido;
use crate::text::{Lang, Text};
use crate::value::{Missing, Value};

/// Groups digits by three: 1234567 → 1,234,567.
pub fn group_digits(n: Decimal) -> String {
    let n = n.normalize();
    let s = n.abs().to_string();
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if n.is_sign_negative() && !n.is_zero() {
        out.insert(0, '-');
    }
    out
}

pub fn yen(n: Decimal) -> Text {
    Text::new(format!("{}円", group_digits(n)), format!("¥{}", group_digits(n)))
}

/// Decimal places a ratio that does not terminate is shown with.
pub const RATIO_PLACES: u32 = 6;

/// A ratio as a decimal string: exact when the division terminated (no
/// trailing zeros: `0.175`, `0.2`, `1`); a division that did not terminate
/// fills every digit a decimal holds, and is shown rounded to
/// [`RATIO_PLACES`] places (`0.333333`, `0.730000`). Decisions compare
/// exactly; this is for display only.
pub fn ratio(n: Decimal) -> String {
    let n = n.normalize();
    let full_precision = n.scale() >= 28 || n.mantissa().unsigned_abs() >= 10u128.pow(27);
    if full_precision && n.scale() > RATIO_PLACES {
        let r = n.round_dp(RATIO_PLACES);
        format!("{r:.prec$}", prec = RATIO_PLACES as usize)
    } else {
        n.to_string()
    }
}

impl Evaluation<'_> {
    /// Renders a message with the values of its holes (Japanese holes first).
    pub fn render(&self, m: &Message, args: &[Value]) -> Text {
        let ja_holes = m.ja.iter().filter(|p| matches!(p, Piece::Hole(..))).count();
        let (ja_args, en_args) = args.split_at(ja_holes.min(args.len()));
        Text::new(
            self.template(&m.ja, ja_args, Lang::Ja),
            self.template(&m.en, en_args, Lang::En),
        )
    }

    fn template(&self, pieces: &[Piece], args: &[Value], lang: Lang) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Hole(_, ty, _) => {
                    if let Some(v) = args.next() {
                        out.push_str(&self.show(v, ty, lang));
                    }
                }
            }
        }
        out
    }

    /// A value in both languages.
    pub fn show_text(&self, v: &Value, ty: &Ty) -> Text {
        Text::new(self.show(v, ty, Lang::Ja), self.show(v, ty, Lang::En))
    }

    fn show(&self, v: &Value, ty: &Ty, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match (v, ty) {
            (Value::Unknown(u), _) => match u.range {
                Some((lo, hi)) => {
                    let (a, b) = (
                        self.show(&Value::Num(lo), ty, lang),
                        self.show(&Value::Num(hi), ty, lang),
                    );
                    if ja {
                        format!("{a}〜{b}（不明を含む）")
                    } else {
                        format!("{a}–{b} (some facts unknown)")
                    }
                }
                None => (if ja { "不明" } else { "unknown" }).to_string(),
            },
            (Value::Num(n), Ty::Money) => {
                let t = yen(*n);
                if ja { t.ja } else { t.en }
            }
            (Value::Num(n), Ty::Ratio) => ratio(*n),
            // A count or a year (2020) reads best as written; a population
            // (79,306) grouped.
            (Value::Num(n), Ty::Int) if n.abs() < Decimal::from(10_000) => n.normalize().to_string(),
            (Value::Num(n), _) => group_digits(*n),
            (Value::Bool(b), _) => match (b, ja) {
                (true, true) => "はい".into(),
                (false, true) => "いいえ".into(),
                (true, false) => "yes".into(),
                (false, false) => "no".into(),
            },
            (Value::Date(d), _) => {
                if ja {
                    JpDate(*d).to_wareki_ja()
                } else {
                    d.to_string()
                }
            }
            (Value::FiscalYear(y), _) => {
                let fy = FiscalYear(*y);
                if ja { fy.label_ja() } else { fy.label_en() }
            }
            (Value::Text(t), _) | (Value::Other(t), _) => t.to_string(),
            (Value::Enum(i), Ty::Enum(e)) => {
                let var = &self.program.enums[*e as usize].variants[*i as usize];
                if ja { var.ja.clone() } else { var.en.clone() }
            }
            (Value::Enum(i), _) => i.to_string(),
            (Value::Municipality(m), _) => hokkaido().name(*m).to_string(),
            (Value::Entity(i), Ty::Entity(e)) => {
                let title = &self.facts.titles[*e as usize][*i as usize];
                if title.is_empty() {
                    self.facts.instance_paths[*e as usize][*i as usize].clone()
                } else {
                    title.clone()
                }
            }
            (Value::Entity(i), _) => i.to_string(),
            (Value::List(items), ty) => {
                let inner = match ty {
                    Ty::List(t) => (**t).clone(),
                    _ => Ty::Error,
                };
                if items.is_empty() {
                    return (if ja { "なし" } else { "none" }).into();
                }
                let nested = matches!(inner, Ty::List(_));
                let sep = match (nested, ja) {
                    (true, true) => "／",
                    (true, false) => " / ",
                    (false, true) => "・",
                    (false, false) => ", ",
                };
                let shown: Vec<String> = items
                    .iter()
                    .map(|e| {
                        let s = self.show(&e.value, &inner, lang);
                        match (&e.maybe, ja) {
                            (None, _) => s,
                            (Some(_), true) => format!("{s}（不明）"),
                            (Some(_), false) => format!("{s} (unknown)"),
                        }
                    })
                    .collect();
                if nested {
                    shown
                        .iter()
                        .map(|s| if ja { format!("｛{s}｝") } else { format!("{{{s}}}") })
                        .collect::<Vec<_>>()
                        .join(sep)
                } else {
                    shown.join(sep)
                }
            }
        }
    }

    /// The input paths of a set of missing facts.
    pub fn paths(&self, m: &Missing) -> Vec<String> {
        m.0.iter().map(|p| self.facts.path(*p).to_string()).collect()
    }
}

/// A whole number as a JSON number, however large (serde_json writes an
/// i128 exactly).
pub fn whole_number(n: Decimal) -> serde_json::Value {
    match i128::try_from(n.trunc()) {
        Ok(i) => match i64::try_from(i) {
            Ok(small) => serde_json::Value::from(small),
            Err(_) => serde_json::to_value(i).unwrap_or_else(|_| serde_json::Value::String(i.to_string())),
        },
        Err(_) => serde_json::Value::String(n.to_string()),
    }
}

/// A value a reason shows, as typed data: the expression in the rule, its
/// type, and its value as JSON (amounts in yen, dates ISO, fiscal years as
/// the year they start, enum values by code); `null` when unknown, with the
/// bounds when they are known.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Shown {
    pub expr: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<(serde_json::Value, serde_json::Value)>,
}

impl Evaluation<'_> {
    /// The typed values of a message's holes, each expression once.
    pub fn shown(&self, m: &Message, args: &[Value]) -> Vec<Shown> {
        let mut out: Vec<Shown> = Vec::new();
        for ((_, ty, span), v) in m.spanned_holes().zip(args) {
            let expr = self
                .program
                .sources
                .snippet(span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if out.iter().any(|s| s.expr == expr) {
                continue;
            }
            let bounds = match v {
                Value::Unknown(u) => u
                    .range
                    .map(|(lo, hi)| (self.json(&Value::Num(lo), ty), self.json(&Value::Num(hi), ty))),
                _ => None,
            };
            out.push(Shown {
                expr,
                ty: self.program.ty_name(ty),
                value: self.json(v, ty),
                bounds,
            });
        }
        out
    }

    /// A value as JSON, by its type.
    pub fn json(&self, v: &Value, ty: &Ty) -> serde_json::Value {
        use serde_json::json;
        match v {
            Value::Unknown(_) => serde_json::Value::Null,
            Value::Num(n) if matches!(ty, Ty::Money | Ty::Int) && n.fract().is_zero() => whole_number(*n),
            Value::Num(n) if *ty == Ty::Ratio => json!(ratio(*n)),
            Value::Num(n) => json!(n.normalize().to_string()),
            Value::Bool(b) => json!(b),
            Value::Date(d) => json!(d.to_string()),
            Value::FiscalYear(y) => json!(y),
            Value::Text(t) | Value::Other(t) => json!(t.as_ref()),
            Value::Enum(i) => match ty {
                Ty::Enum(e) => json!(self.program.enums[*e as usize].variants[*i as usize].code),
                _ => json!(i),
            },
            Value::Municipality(m) => json!(hokkaido().name(*m)),
            Value::Entity(_) => json!(self.show(v, ty, Lang::Ja)),
            Value::List(items) => {
                let inner = match ty {
                    Ty::List(t) => (**t).clone(),
                    _ => Ty::Error,
                };
                serde_json::Value::Array(items.iter().map(|e| self.json(&e.value, &inner)).collect())
            }
        }
    }
}
