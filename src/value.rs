//! Runtime values of the rule language, with three-valued logic: a value can
//! be unknown because an input fact is missing. An unknown number may still
//! have known bounds (a count of members in a national scheme when one flag
//! is missing lies between two integers), so a comparison with it can still be
//! decided — that is how a missing fact that cannot change a result does not
//! make the result unknown.

use rust_decimal::Decimal;
use std::sync::Arc;

use crate::reference::MuniId;

/// Index into the decision's table of input paths (`region.members[2].settlement_zone`).
pub(crate) type PathId = u32;

/// A sorted, duplicate-free set of missing input paths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing(pub Vec<PathId>);

impl Missing {
    pub fn one(p: PathId) -> Missing {
        Missing(vec![p])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn union(&self, other: &Missing) -> Missing {
        let mut out = self.0.clone();
        out.extend_from_slice(&other.0);
        out.sort_unstable();
        out.dedup();
        Missing(out)
    }

    pub fn extend(&mut self, other: &Missing) {
        if !other.0.is_empty() {
            *self = self.union(other);
        }
    }

    pub fn without(&self, other: &Missing) -> Missing {
        Missing(self.0.iter().copied().filter(|p| !other.0.contains(p)).collect())
    }
}

/// What is known of an unknown value.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub missing: Missing,
    /// For numbers: inclusive bounds, when known.
    pub range: Option<(Decimal, Decimal)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    /// int, money and ratio share exact decimal arithmetic; their static types
    /// differ.
    Num(Decimal),
    Date(jiff::civil::Date),
    FiscalYear(i32),
    Text(Arc<str>),
    /// A variant of an enumeration (the enum is known statically).
    Enum(u32),
    /// A value of an open enumeration that is not one of its variants, as written.
    Other(Arc<str>),
    Municipality(MuniId),
    /// An entity (the entity type is known statically): its index.
    Entity(u32),
    List(Arc<[Elem]>),
    Unknown(Arc<Unknown>),
}

/// An element of a list. `maybe` is set when the element is in the list only
/// if some missing facts turn out one way (a member whose scheme flag is
/// unknown, in the list of members in a scheme).
#[derive(Clone, Debug, PartialEq)]
pub struct Elem {
    pub value: Value,
    pub maybe: Option<Missing>,
}

impl Elem {
    pub fn sure(value: Value) -> Elem {
        Elem { value, maybe: None }
    }
}

/// Three-valued truth.
#[derive(Clone, Debug, PartialEq)]
pub enum Tri {
    True,
    False,
    Unknown(Missing),
}

impl Value {
    pub fn unknown(missing: Missing) -> Value {
        Value::Unknown(Arc::new(Unknown { missing, range: None }))
    }

    /// An unknown number between `lo` and `hi`; a known one when they meet.
    pub fn range(lo: Decimal, hi: Decimal, missing: Missing) -> Value {
        if lo == hi {
            Value::Num(lo)
        } else {
            Value::Unknown(Arc::new(Unknown {
                missing,
                range: Some((lo, hi)),
            }))
        }
    }

    pub fn list(elems: Vec<Elem>) -> Value {
        Value::List(elems.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// The missing facts behind an unknown value (empty for a known one).
    pub fn missing(&self) -> Missing {
        match self {
            Value::Unknown(u) => u.missing.clone(),
            _ => Missing::default(),
        }
    }

    /// Bounds of a number, known or not.
    pub fn bounds(&self) -> Option<(Decimal, Decimal)> {
        match self {
            Value::Num(n) => Some((*n, *n)),
            Value::Unknown(u) => u.range,
            _ => None,
        }
    }

    pub fn tri(&self) -> Tri {
        match self {
            Value::Bool(true) => Tri::True,
            Value::Bool(false) => Tri::False,
            other => Tri::Unknown(other.missing()),
        }
    }
}

impl Tri {
    pub fn value(self) -> Value {
        match self {
            Tri::True => Value::Bool(true),
            Tri::False => Value::Bool(false),
            Tri::Unknown(m) => Value::unknown(m),
        }
    }
}
