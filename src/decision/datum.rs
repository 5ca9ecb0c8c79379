//! A value a decision shows, typed: amounts are exact yen, ratios exact
//! decimals, dates dates. Serialised by type (yen as a JSON integer, a ratio
//! as a decimal string, a date as ISO, an enum value by its code); rendered
//! as text through the display form computed with it.

use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    /// No value: a `show … when` whose condition does not hold, or a value
    /// that could not be known.
    Null,
    Bool(bool),
    Int(Decimal),
    Money(Decimal),
    Ratio(Decimal),
    Date(jiff::civil::Date),
    FiscalYear(i32),
    Text(String),
    /// An enum value, by its code.
    Code(String),
    List(Vec<Datum>),
    /// A group of shown values (`total`), or a rule's id and status.
    Record(Vec<(String, Datum)>),
}

impl Datum {
    pub fn as_money(&self) -> Option<Decimal> {
        match self {
            Datum::Money(n) => Some(*n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        *self == Datum::Null
    }
}

/// A whole number as a JSON integer of any size; otherwise its decimal text.
fn number<S: Serializer>(n: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    if n.fract().is_zero()
        && let Ok(i) = i128::try_from(*n)
    {
        return match i64::try_from(i) {
            Ok(small) => s.serialize_i64(small),
            Err(_) => s.serialize_i128(i),
        };
    }
    s.serialize_str(&n.normalize().to_string())
}

impl Serialize for Datum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Datum::Null => s.serialize_none(),
            Datum::Bool(b) => s.serialize_bool(*b),
            Datum::Int(n) | Datum::Money(n) => number(n, s),
            Datum::Ratio(n) => s.serialize_str(&crate::model::number::ratio(*n)),
            Datum::Date(d) => s.collect_str(d),
            Datum::FiscalYear(y) => s.serialize_i32(*y),
            Datum::Text(t) | Datum::Code(t) => s.serialize_str(t),
            Datum::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Datum::Record(fields) => {
                let mut m = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}
