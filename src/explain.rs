//! Shows values and messages in Japanese and English: amounts as yen, dates
//! in 和暦 and ISO, fiscal years as 令和N年度 / FYnnnn, ratios as exact
//! decimals, enum values by their names, entities by their titles, unknown
//! values as "不明" or as bounds. Decisions call these once; renderers only
//! print the texts.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::eval::Evaluation;
use crate::model::number::{group_digits, ratio};
use crate::model::{FiscalYear, JpDate};
use crate::program::{Message, Piece, Ty};
use crate::reference::hokkaido;
use crate::text::{Lang, Text};
use crate::value::{Missing, Value};

/// An amount in yen: `1,200,000円` / `¥1,200,000`.
pub(crate) fn yen(n: Decimal) -> Text {
    let g = group_digits(n);
    Text::new(format!("{g}円"), format!("¥{g}"))
}

impl Evaluation<'_> {
    /// Renders a message with the values of its holes (Japanese holes first).
    pub fn render(&self, m: &Message, args: &[Value]) -> Text {
        let ja_holes = m.ja.iter().filter(|p| matches!(p, Piece::Hole(_))).count();
        let (ja_args, en_args) = args.split_at(ja_holes.min(args.len()));
        Text::new(
            self.template(&m.ja, ja_args, Lang::Ja),
            self.template(&m.en, en_args, Lang::En),
        )
    }

    fn template(&self, pieces: &[Piece], args: &[Value], lang: Lang) -> String {
        let mut out = String::with_capacity(96);
        let mut args = args.iter();
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Hole(h) => {
                    if let Some(v) = args.next() {
                        self.show_into(&mut out, v, &h.ty, lang);
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
        let mut out = String::new();
        self.show_into(&mut out, v, ty, lang);
        out
    }

    /// Writes a value as a reader sees it: amounts in yen, dates in 和暦 (or
    /// ISO in English), fiscal years as 令和N年度, enum values by name.
    fn show_into(&self, out: &mut String, v: &Value, ty: &Ty, lang: Lang) {
        use std::fmt::Write;
        let ja = lang == Lang::Ja;
        match (v, ty) {
            (Value::Unknown(u), _) => match u.range {
                Some((lo, hi)) => {
                    self.show_into(out, &Value::Num(lo), ty, lang);
                    out.push_str(if ja { "〜" } else { "–" });
                    self.show_into(out, &Value::Num(hi), ty, lang);
                    out.push_str(if ja {
                        "（不明を含む）"
                    } else {
                        " (some facts unknown)"
                    });
                }
                None => out.push_str(if ja { "不明" } else { "unknown" }),
            },
            (Value::Num(n), Ty::Money) => {
                if !ja {
                    out.push('¥');
                }
                out.push_str(&group_digits(*n));
                if ja {
                    out.push('円');
                }
            }
            (Value::Num(n), Ty::Ratio) => out.push_str(&ratio(*n)),
            // A count or a year (2020) reads best as written; a population
            // (79,306) grouped.
            (Value::Num(n), Ty::Int) if n.abs() < Decimal::from(10_000) => {
                let _ = write!(out, "{}", n.normalize());
            }
            (Value::Num(n), _) => out.push_str(&group_digits(*n)),
            (Value::Bool(b), _) => out.push_str(match (b, ja) {
                (true, true) => "はい",
                (false, true) => "いいえ",
                (true, false) => "yes",
                (false, false) => "no",
            }),
            (Value::Date(d), _) => {
                if ja {
                    out.push_str(&JpDate(*d).to_wareki_ja());
                } else {
                    let _ = write!(out, "{d}");
                }
            }
            (Value::FiscalYear(y), _) => {
                let fy = FiscalYear(*y);
                out.push_str(&if ja { fy.label_ja() } else { fy.label_en() });
            }
            (Value::Text(t), _) | (Value::Other(t), _) => out.push_str(t),
            (Value::Enum(i), Ty::Enum(e)) => {
                let var = &self.program.enums[*e as usize].variants[*i as usize];
                out.push_str(if ja { &var.ja } else { &var.en });
            }
            (Value::Enum(i), _) => {
                let _ = write!(out, "{i}");
            }
            (Value::Municipality(m), _) => out.push_str(hokkaido().name(*m)),
            (Value::Entity(i), Ty::Entity(e)) => {
                let title = &self.facts.titles[*e as usize][*i as usize];
                if title.is_empty() {
                    out.push_str(&self.facts.instance_paths[*e as usize][*i as usize]);
                } else {
                    out.push_str(title);
                }
            }
            (Value::Entity(i), _) => {
                let _ = write!(out, "{i}");
            }
            (Value::List(items), ty) => {
                let inner = match ty {
                    Ty::List(t) => t,
                    _ => &Ty::Error,
                };
                if items.is_empty() {
                    out.push_str(if ja { "なし" } else { "none" });
                    return;
                }
                let nested = matches!(inner, Ty::List(_));
                let sep = match (nested, ja) {
                    (true, true) => "／",
                    (true, false) => " / ",
                    (false, true) => "・",
                    (false, false) => ", ",
                };
                for (k, e) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(sep);
                    }
                    if nested {
                        out.push(if ja { '｛' } else { '{' });
                    }
                    self.show_into(out, &e.value, inner, lang);
                    if e.maybe.is_some() {
                        out.push_str(if ja { "（不明）" } else { " (unknown)" });
                    }
                    if nested {
                        out.push(if ja { '｝' } else { '}' });
                    }
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
pub(crate) fn whole_number(n: Decimal) -> serde_json::Value {
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
    pub expr: Arc<str>,
    #[serde(rename = "type")]
    pub ty: Arc<str>,
    pub value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<(serde_json::Value, serde_json::Value)>,
}

impl Evaluation<'_> {
    /// The typed values of a message's holes, each expression once.
    pub fn shown(&self, m: &Message, args: &[Value]) -> Vec<Shown> {
        let mut out: Vec<Shown> = Vec::new();
        for (h, v) in m.holes().zip(args) {
            let ty = &h.ty;
            if out.iter().any(|s| s.expr == h.text) {
                continue;
            }
            let bounds = match v {
                Value::Unknown(u) => u
                    .range
                    .map(|(lo, hi)| (self.json(&Value::Num(lo), ty), self.json(&Value::Num(hi), ty))),
                _ => None,
            };
            out.push(Shown {
                expr: h.text.clone(),
                ty: h.ty_name.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_in_both_languages() {
        assert_eq!(yen(Decimal::from(1_200_000)), Text::new("1,200,000円", "¥1,200,000"));
    }
}
