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

    /// Paths in any order, with repeats: sorted and deduplicated once. Sets
    /// gathered over many entities (a project's facts, then the next's) are
    /// collected this way, never merged one by one (which is quadratic in
    /// a document of many projects).
    pub fn from_paths(mut paths: Vec<PathId>) -> Missing {
        paths.sort_unstable();
        paths.dedup();
        Missing(paths)
    }

    /// Both sets: one linear merge of the two sorted lists.
    pub fn union(&self, other: &Missing) -> Missing {
        if other.0.is_empty() {
            return self.clone();
        }
        if self.0.is_empty() {
            return other.clone();
        }
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Missing(out)
    }

    /// Adds `other`; when it comes after every path already here (facts
    /// met in the order of the document), it is appended.
    pub fn extend(&mut self, other: &Missing) {
        match (self.0.last(), other.0.first()) {
            (_, None) => {}
            (None, _) => self.0.clone_from(&other.0),
            (Some(last), Some(first)) if last < first => self.0.extend_from_slice(&other.0),
            _ => *self = self.union(other),
        }
    }

    /// The paths of `self` not in `other`, in one pass over both.
    pub fn without(&self, other: &Missing) -> Missing {
        let mut rest = other.0.iter().peekable();
        let mut out = Vec::with_capacity(self.0.len());
        for p in &self.0 {
            while rest.next_if(|q| *q < p).is_some() {}
            if rest.peek() != Some(&p) {
                out.push(*p);
            }
        }
        Missing(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_sets_merge_in_order_and_once() {
        let m = |v: &[PathId]| Missing(v.to_vec());
        assert_eq!(m(&[1, 4, 7]).union(&m(&[2, 4, 9])), m(&[1, 2, 4, 7, 9]));
        assert_eq!(m(&[]).union(&m(&[3])), m(&[3]));
        let mut a = m(&[1, 2]);
        a.extend(&m(&[5, 6]));
        assert_eq!(a, m(&[1, 2, 5, 6]), "appended");
        a.extend(&m(&[0, 2, 7]));
        assert_eq!(a, m(&[0, 1, 2, 5, 6, 7]), "merged");
        assert_eq!(m(&[1, 2, 3, 5, 8]).without(&m(&[0, 2, 5, 9])), m(&[1, 3, 8]));
        assert_eq!(Missing::from_paths(vec![5, 1, 5, 3, 1]), m(&[1, 3, 5]));
    }
}
