//! Operations on values, three-valued: a known result when the inputs (or
//! their bounds) decide it, otherwise an unknown carrying the missing facts.

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::model::FiscalYear;
use crate::program::{ArithOp, Builtin, CmpOp, MuniAttr};
use crate::reference::{MuniId, SchemeKind, hokkaido, registry};
use crate::value::{Elem, Missing, PathId, Tri, Value};

pub(crate) fn muni_attr(m: MuniId, attr: MuniAttr) -> Value {
    let h = hokkaido();
    match attr {
        MuniAttr::Name => Value::Text(Arc::from(h.name(m))),
        MuniAttr::Code => Value::Text(Arc::from(h.code(m))),
        MuniAttr::Subprefecture => Value::Text(Arc::from(h.subprefecture(m))),
        MuniAttr::Kind => Value::Text(Arc::from(h.kind(m))),
        MuniAttr::Island => Value::Bool(h.on_island(m)),
    }
}

fn both_missing(a: &Value, b: &Value) -> Missing {
    a.missing().union(&b.missing())
}

/// Exact arithmetic; on unknown numbers with bounds, interval arithmetic.
pub(crate) fn arith(op: ArithOp, a: &Value, b: &Value) -> Result<Value, String> {
    match (op, a, b) {
        (ArithOp::FyAdd, Value::FiscalYear(y), Value::Num(n)) => fiscal_year(y.checked_add(whole(*n)?)),
        (ArithOp::FySub, Value::FiscalYear(y), Value::Num(n)) => fiscal_year(y.checked_sub(whole(*n)?)),
        (ArithOp::FyDiff, Value::FiscalYear(x), Value::FiscalYear(y)) => {
            Ok(Value::Num(Decimal::from(i64::from(*x) - i64::from(*y))))
        }
        (ArithOp::Concat, Value::List(x), Value::List(y)) => {
            Ok(Value::list(x.iter().chain(y.iter()).cloned().collect()))
        }
        (ArithOp::DateDiff, Value::Date(x), Value::Date(y)) => {
            let days = y.until(*x).map_err(|e| e.to_string())?.get_days();
            Ok(Value::Num(Decimal::from(days)))
        }
        (_, Value::Num(x), Value::Num(y)) => num_op(op, *x, *y).map(Value::Num),
        _ => match (a.bounds(), b.bounds()) {
            (Some((alo, ahi)), Some((blo, bhi))) => interval(op, (alo, ahi), (blo, bhi)).map(|r| {
                r.map_or_else(
                    || Value::unknown(both_missing(a, b)),
                    |(lo, hi)| Value::range(lo, hi, both_missing(a, b)),
                )
            }),
            _ => Ok(Value::unknown(both_missing(a, b))),
        },
    }
}

/// A fiscal year within the calendar; beyond it an error, never a wrapped year.
fn fiscal_year(y: Option<i32>) -> Result<Value, String> {
    match y {
        Some(y) if (-9999..=9998).contains(&y) => Ok(Value::FiscalYear(y)),
        _ => Err("the fiscal year is outside the calendar (years -9999 to 9998)".into()),
    }
}

fn whole(n: Decimal) -> Result<i32, String> {
    if n.fract().is_zero() {
        i32::try_from(n.mantissa() / 10i128.pow(n.scale())).map_err(|_| format!("{n} years is out of range"))
    } else {
        Err(format!("{n} is not a whole number of years"))
    }
}

fn num_op(op: ArithOp, x: Decimal, y: Decimal) -> Result<Decimal, String> {
    let r = match op {
        ArithOp::Add => x.checked_add(y),
        ArithOp::Sub => x.checked_sub(y),
        ArithOp::Mul => x.checked_mul(y),
        ArithOp::Div if y.is_zero() => return Err(format!("division by zero ({x} / 0)")),
        ArithOp::Div => x.checked_div(y),
        _ => return Err("arithmetic on values of the wrong kind".into()),
    };
    r.ok_or_else(|| format!("the result of {x} and {y} is too large"))
}

/// Interval arithmetic; `None` when the result has no bounds (division by an
/// interval that contains zero).
fn interval(op: ArithOp, a: (Decimal, Decimal), b: (Decimal, Decimal)) -> Result<Option<(Decimal, Decimal)>, String> {
    match op {
        ArithOp::Add => Ok(Some((num_op(op, a.0, b.0)?, num_op(op, a.1, b.1)?))),
        ArithOp::Sub => Ok(Some((num_op(op, a.0, b.1)?, num_op(op, a.1, b.0)?))),
        ArithOp::Mul | ArithOp::Div => {
            if op == ArithOp::Div && b.0 <= Decimal::ZERO && b.1 >= Decimal::ZERO {
                return Ok(None);
            }
            let products = [
                num_op(op, a.0, b.0)?,
                num_op(op, a.0, b.1)?,
                num_op(op, a.1, b.0)?,
                num_op(op, a.1, b.1)?,
            ];
            let lo = products.iter().copied().fold(products[0], Decimal::min);
            let hi = products.iter().copied().fold(products[0], Decimal::max);
            Ok(Some((lo, hi)))
        }
        _ => Ok(None),
    }
}

/// Order of two known values of the same type.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::FiscalYear(x), Value::FiscalYear(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Equality of two known values.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Other(x), Value::Other(y)) => crate::text::key(x) == crate::text::key(y),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(&p.value, &q.value))
        }
        _ => a == b,
    }
}

pub(crate) fn compare(op: CmpOp, a: &Value, b: &Value) -> Tri {
    if !a.is_unknown() && !b.is_unknown() {
        let holds = match op {
            CmpOp::Eq => equal(a, b),
            CmpOp::Ne => !equal(a, b),
            _ => match order(a, b) {
                Some(o) => match op {
                    CmpOp::Lt => o.is_lt(),
                    CmpOp::Le => o.is_le(),
                    CmpOp::Gt => o.is_gt(),
                    _ => o.is_ge(),
                },
                None => false,
            },
        };
        return if holds { Tri::True } else { Tri::False };
    }
    let missing = both_missing(a, b);
    let (Some((alo, ahi)), Some((blo, bhi))) = (a.bounds(), b.bounds()) else {
        return Tri::Unknown(missing);
    };
    let (t, f) = match op {
        CmpOp::Lt => (ahi < blo, alo >= bhi),
        CmpOp::Le => (ahi <= blo, alo > bhi),
        CmpOp::Gt => (alo > bhi, ahi <= blo),
        CmpOp::Ge => (alo >= bhi, ahi < blo),
        CmpOp::Eq => (false, ahi < blo || bhi < alo),
        CmpOp::Ne => (ahi < blo || bhi < alo, false),
    };
    if t {
        Tri::True
    } else if f {
        Tri::False
    } else {
        Tri::Unknown(missing)
    }
}

/// `x in list`.
pub(crate) fn contains(list: &Value, x: &Value) -> Tri {
    let Value::List(elems) = list else {
        return Tri::Unknown(list.missing().union(&x.missing()));
    };
    let mut result = Tri::False;
    for e in elems.iter() {
        match compare(CmpOp::Eq, x, &e.value) {
            Tri::True => match &e.maybe {
                None => return Tri::True,
                Some(m) => result = unknown_with(result, m),
            },
            Tri::Unknown(m) => result = unknown_with(result, &m),
            Tri::False => {}
        }
    }
    result
}

fn unknown_with(t: Tri, m: &Missing) -> Tri {
    match t {
        Tri::Unknown(prev) => Tri::Unknown(prev.union(m)),
        _ => Tri::Unknown(m.clone()),
    }
}

/// `if c then a else b` with `c` unknown: the common value, or the hull of
/// two numbers, or unknown.
pub(crate) fn either(cond: &Missing, a: &Value, b: &Value) -> Value {
    if !a.is_unknown() && !b.is_unknown() && equal(a, b) {
        return a.clone();
    }
    let missing = cond.union(&both_missing(a, b));
    match (a.bounds(), b.bounds()) {
        (Some((alo, ahi)), Some((blo, bhi))) => Value::range(alo.min(blo), ahi.max(bhi), missing),
        _ => Value::unknown(missing),
    }
}

fn elems(v: &Value) -> Result<&[Elem], Missing> {
    match v {
        Value::List(l) => Ok(l),
        other => Err(other.missing()),
    }
}

pub(crate) fn builtin(b: Builtin, args: &[Value]) -> Result<Value, String> {
    match b {
        Builtin::Count => Ok(match elems(&args[0]) {
            Ok(list) => count(list),
            Err(m) => Value::unknown(m),
        }),
        Builtin::Sum => Ok(match elems(&args[0]) {
            Ok(list) => sum(list)?,
            Err(m) => Value::unknown(m),
        }),
        Builtin::All => Ok(match elems(&args[0]) {
            Ok(list) => quantify(list, true),
            Err(m) => Value::unknown(m),
        }),
        Builtin::Any => Ok(match elems(&args[0]) {
            Ok(list) => quantify(list, false),
            Err(m) => Value::unknown(m),
        }),
        Builtin::Distinct => Ok(match elems(&args[0]) {
            Ok(list) => distinct(list),
            Err(m) => Value::unknown(m),
        }),
        Builtin::Drop => Ok(match (elems(&args[0]), &args[1]) {
            (Ok(_), Value::Num(n)) if n.is_sign_negative() && !n.is_zero() => {
                return Err(format!("drop({n}): cannot drop a negative number of elements"));
            }
            (Ok(list), Value::Num(n)) => {
                // More than the list holds (however large) drops them all.
                let skip = usize::try_from(n.trunc()).unwrap_or(usize::MAX);
                Value::list(list.iter().skip(skip).cloned().collect())
            }
            (Ok(_), other) => Value::unknown(other.missing()),
            (Err(m), _) => Value::unknown(m),
        }),
        Builtin::Min | Builtin::Max => Ok(min_max(b == Builtin::Min, &args[0], &args[1])),
        Builtin::Floor | Builtin::Ceil => round_to(b == Builtin::Floor, &args[0], &args[1]),
        Builtin::EndOf => fy_date(&args[0], FiscalYear::end),
        Builtin::StartOf => fy_date(&args[0], FiscalYear::start),
        Builtin::FiscalYearOf => Ok(match &args[0] {
            Value::Date(d) => Value::FiscalYear(FiscalYear::of_date(*d).0),
            other => Value::unknown(other.missing()),
        }),
        Builtin::AddDays => match (&args[0], &args[1]) {
            (Value::Date(d), Value::Num(n)) => add_days(*d, *n).map(Value::Date),
            (a, b) => Ok(Value::unknown(both_missing(a, b))),
        },
        Builtin::Abs => Ok(match &args[0] {
            Value::Num(n) => Value::Num(n.abs()),
            other => match other.bounds() {
                Some((lo, hi)) if lo.is_sign_negative() && hi.is_sign_positive() => {
                    Value::range(Decimal::ZERO, lo.abs().max(hi.abs()), other.missing())
                }
                Some((lo, hi)) => Value::range(lo.abs().min(hi.abs()), lo.abs().max(hi.abs()), other.missing()),
                None => Value::unknown(other.missing()),
            },
        }),
        Builtin::Date => match (&args[0], &args[1], &args[2]) {
            (Value::Num(y), Value::Num(m), Value::Num(d)) => {
                let part = |n: &Decimal| i64::try_from(*n).ok().filter(|_| n.fract().is_zero());
                let made = match (part(y), part(m), part(d)) {
                    (Some(y), Some(m), Some(d)) => i16::try_from(y)
                        .ok()
                        .zip(i8::try_from(m).ok())
                        .zip(i8::try_from(d).ok())
                        .and_then(|((y, m), d)| jiff::civil::Date::new(y, m, d).ok()),
                    _ => None,
                };
                made.map(Value::Date)
                    .ok_or_else(|| format!("date({y}, {m}, {d}) is not a date on the calendar"))
            }
            (a, b, c) => Ok(Value::unknown(both_missing(a, b).union(&c.missing()))),
        },
        Builtin::YearOf => Ok(match &args[0] {
            Value::Date(d) => Value::Num(Decimal::from(d.year())),
            other => Value::unknown(other.missing()),
        }),
        Builtin::Percent => Ok(match &args[0] {
            Value::Num(n) => Value::Text(Arc::from(format!(
                "{}%",
                crate::model::number::ratio(*n * Decimal::ONE_HUNDRED)
            ))),
            other => Value::unknown(other.missing()),
        }),
        Builtin::Blank => Ok(match &args[0] {
            Value::Text(t) => Value::Bool(crate::text::normalize(t).is_empty()),
            other => Value::unknown(other.missing()),
        }),
        Builtin::LandComponents => Ok(municipality_groups(&args[0], |ids| hokkaido().components(ids))),
        Builtin::TouchingComponents => Ok(municipality_groups(&args[0], |ids| hokkaido().components_touching(ids))),
        Builtin::SettlementZones | Builtin::CentralUrbanAreas => Ok(match (&args[0], &args[1]) {
            (Value::Municipality(m), Value::Date(d)) => {
                let kind = if b == Builtin::SettlementZones {
                    SchemeKind::SettlementZone
                } else {
                    SchemeKind::CentralUrbanArea
                };
                let names = registry().schemes_on(*m, kind, *d);
                Value::list(names.into_iter().map(|n| Elem::sure(Value::Text(n.into()))).collect())
            }
            (a, b) => Value::unknown(a.missing().union(&b.missing())),
        }),
        Builtin::Joined => Ok(match (&args[0], &args[1]) {
            (Value::Text(region), Value::Municipality(m)) => Value::list(
                registry()
                    .joined(region, *m)
                    .map(|d| Elem::sure(Value::Date(d)))
                    .into_iter()
                    .collect(),
            ),
            (a, b) => Value::unknown(a.missing().union(&b.missing())),
        }),
        Builtin::PointContacts => Ok(municipality_groups(&args[0], |ids| {
            hokkaido()
                .point_contacts()
                .iter()
                .filter(|(a, b)| ids.contains(a) && ids.contains(b))
                .map(|&(a, b)| vec![a, b])
                .collect()
        })),
    }
}

fn count(list: &[Elem]) -> Value {
    let sure = list.iter().filter(|e| e.maybe.is_none()).count();
    let paths = list
        .iter()
        .filter_map(|e| e.maybe.as_ref())
        .flat_map(|m| m.0.iter().copied());
    Value::range(
        Decimal::from(sure),
        Decimal::from(list.len()),
        Missing::from_paths(paths.collect()),
    )
}

fn sum(list: &[Elem]) -> Result<Value, String> {
    let (mut lo, mut hi) = (Decimal::ZERO, Decimal::ZERO);
    // Gathered in one list and sorted once: a sum over thousands of
    // projects with missing facts stays linear.
    let mut missing: Vec<PathId> = Vec::new();
    for e in list {
        if let Value::Unknown(u) = &e.value {
            missing.extend_from_slice(&u.missing.0);
        }
        let Some((vlo, vhi)) = e.value.bounds() else {
            return Ok(Value::unknown(Missing::from_paths(missing)));
        };
        let (add_lo, add_hi) = match &e.maybe {
            None => (vlo, vhi),
            Some(m) => {
                missing.extend_from_slice(&m.0);
                (vlo.min(Decimal::ZERO), vhi.max(Decimal::ZERO))
            }
        };
        lo = lo.checked_add(add_lo).ok_or("sum too large")?;
        hi = hi.checked_add(add_hi).ok_or("sum too large")?;
    }
    Ok(Value::range(lo, hi, Missing::from_paths(missing)))
}

/// `all` (`every` = true) or `any` over a list of conditions.
fn quantify(list: &[Elem], every: bool) -> Value {
    let mut missing: Option<Vec<PathId>> = None;
    for e in list {
        let decisive = match &e.value {
            Value::Bool(b) => *b != every,
            other => {
                missing.get_or_insert_default().extend(other.missing().0);
                continue;
            }
        };
        if decisive {
            match &e.maybe {
                None => return Value::Bool(!every),
                Some(m) => missing.get_or_insert_default().extend_from_slice(&m.0),
            }
        }
    }
    match missing {
        Some(m) => Value::unknown(Missing::from_paths(m)),
        None => Value::Bool(every),
    }
}

/// A known value as `distinct` compares it: equal keys exactly when
/// [`equal`] holds (numbers by value, open-enum text by its normalised key,
/// lists element by element). `None` for a list holding an unknown value.
#[derive(PartialEq, Eq, Hash)]
enum Key {
    Bool(bool),
    Num(Decimal),
    Date(jiff::civil::Date),
    FiscalYear(i32),
    Text(Arc<str>),
    Enum(u32),
    Other(String),
    Municipality(MuniId),
    Entity(u32),
    List(Vec<Key>),
}

fn key(v: &Value) -> Option<Key> {
    Some(match v {
        Value::Bool(b) => Key::Bool(*b),
        Value::Num(n) => Key::Num(n.normalize()),
        Value::Date(d) => Key::Date(*d),
        Value::FiscalYear(y) => Key::FiscalYear(*y),
        Value::Text(t) => Key::Text(t.clone()),
        Value::Enum(i) => Key::Enum(*i),
        Value::Other(t) => Key::Other(crate::text::key(t)),
        Value::Municipality(m) => Key::Municipality(*m),
        Value::Entity(i) => Key::Entity(*i),
        Value::List(items) => Key::List(items.iter().map(|e| key(&e.value)).collect::<Option<_>>()?),
        Value::Unknown(_) => return None,
    })
}

/// The list without repeats, first occurrences kept in order; a repeat of a
/// "maybe" element makes the kept one surer. Known values are found by hash
/// (each normalised once), so ten thousand elements take a moment, not
/// minutes; unknown values are never merged.
fn distinct(list: &[Elem]) -> Value {
    let mut out: Vec<Elem> = Vec::new();
    let mut index: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    // Known lists that hold an unknown element: compared one by one (rare).
    let mut unhashed: Vec<usize> = Vec::new();
    for e in list {
        if e.value.is_unknown() {
            out.push(e.clone());
            continue;
        }
        let found = match key(&e.value) {
            Some(k) => match index.entry(k) {
                std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(out.len());
                    None
                }
            },
            None => {
                let f = unhashed.iter().copied().find(|i| equal(&out[*i].value, &e.value));
                if f.is_none() {
                    unhashed.push(out.len());
                }
                f
            }
        };
        match found {
            Some(i) => {
                let o = &mut out[i];
                match (&o.maybe, &e.maybe) {
                    (_, None) => o.maybe = None,
                    (Some(a), Some(b)) => o.maybe = Some(a.union(b)),
                    (None, Some(_)) => {}
                }
            }
            None => out.push(e.clone()),
        }
    }
    Value::list(out)
}

fn min_max(min: bool, a: &Value, b: &Value) -> Value {
    if let Some(o) = order(a, b) {
        let pick_a = if min { o.is_le() } else { o.is_ge() };
        return if pick_a { a.clone() } else { b.clone() };
    }
    match (a.bounds(), b.bounds()) {
        (Some((alo, ahi)), Some((blo, bhi))) => {
            let (lo, hi) = if min {
                (alo.min(blo), ahi.min(bhi))
            } else {
                (alo.max(blo), ahi.max(bhi))
            };
            Value::range(lo, hi, both_missing(a, b))
        }
        _ => Value::unknown(both_missing(a, b)),
    }
}

/// Rounds down (`floor`) or up to a multiple of `unit`.
fn round_to(down: bool, x: &Value, unit: &Value) -> Result<Value, String> {
    let Value::Num(u) = unit else {
        return Ok(Value::unknown(both_missing(x, unit)));
    };
    if *u <= Decimal::ZERO {
        return Err(format!("rounding to a unit of {u}: the unit must be positive"));
    }
    let r = |v: Decimal| -> Result<Decimal, String> {
        let q = v.checked_div(*u).ok_or("amount too large to round")?;
        let q = if down { q.floor() } else { q.ceil() };
        q.checked_mul(*u).ok_or_else(|| "amount too large to round".to_string())
    };
    match x {
        Value::Num(v) => Ok(Value::Num(r(*v)?)),
        other => Ok(match other.bounds() {
            Some((lo, hi)) => Value::range(r(lo)?, r(hi)?, other.missing()),
            None => Value::unknown(other.missing()),
        }),
    }
}

/// The first or last day of a fiscal year; an error outside the calendar,
/// never an unknown value with nothing missing.
fn fy_date(v: &Value, day: impl Fn(FiscalYear) -> Option<jiff::civil::Date>) -> Result<Value, String> {
    match v {
        Value::FiscalYear(y) => day(FiscalYear(*y))
            .map(Value::Date)
            .ok_or_else(|| format!("fiscal year {y} has no date on the calendar (years -9999 to 9999)")),
        other => Ok(Value::unknown(other.missing())),
    }
}

/// `d` plus `n` days; an error (not a panic) beyond the calendar.
fn add_days(d: jiff::civil::Date, n: Decimal) -> Result<jiff::civil::Date, String> {
    let too_far = || format!("{d} plus {n} days is beyond the calendar (years -9999 to 9999)");
    if !n.fract().is_zero() {
        return Err(format!("add_days: {n} is not a whole number of days"));
    }
    let days = i64::try_from(n).map_err(|_| too_far())?;
    let span = jiff::Span::new().try_days(days).map_err(|_| too_far())?;
    d.checked_add(span).map_err(|_| too_far())
}

/// Groups of a list of municipalities (components, pairs), as a list of
/// lists; unknown while any member is.
fn municipality_groups(v: &Value, groups: impl Fn(&[MuniId]) -> Vec<Vec<MuniId>>) -> Value {
    let list = match elems(v) {
        Ok(l) => l,
        Err(m) => return Value::unknown(m),
    };
    let mut ids = Vec::with_capacity(list.len());
    for e in list {
        match (&e.value, &e.maybe) {
            (Value::Municipality(m), None) => ids.push(*m),
            (other, maybe) => return Value::unknown(other.missing().union(&maybe.clone().unwrap_or_default())),
        }
    }
    let parts = groups(&ids);
    Value::list(
        parts
            .into_iter()
            .map(|part| {
                Elem::sure(Value::list(
                    part.into_iter().map(|m| Elem::sure(Value::Municipality(m))).collect(),
                ))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yen(n: i64) -> Value {
        Value::Num(Decimal::from(n))
    }

    fn floor(n: i64) -> Value {
        builtin(Builtin::Floor, &[yen(n), yen(100_000)]).unwrap()
    }

    #[test]
    fn money_rounds_down_to_the_unit() {
        assert_eq!(floor(10_000_000), yen(10_000_000));
        assert_eq!(floor(9_999_999), yen(9_900_000));
        assert_eq!(floor(100_000), yen(100_000));
        assert_eq!(floor(99_999), yen(0));
        assert_eq!(
            builtin(Builtin::Ceil, &[yen(100_001), yen(100_000)]).unwrap(),
            yen(200_000)
        );
        assert!(
            builtin(Builtin::Floor, &[yen(5), yen(0)]).is_err(),
            "a zero unit is an error, not a panic"
        );
    }

    #[test]
    fn halves_are_exact() {
        let half = Value::Num(Decimal::new(5, 1));
        let n9 = arith(ArithOp::Mul, &yen(9), &half).unwrap();
        assert_eq!(
            compare(CmpOp::Gt, &yen(4), &n9),
            Tri::False,
            "4 of 9 is not more than half"
        );
        assert_eq!(compare(CmpOp::Gt, &yen(5), &n9), Tri::True);
        let n4 = arith(ArithOp::Mul, &yen(4), &half).unwrap();
        assert_eq!(compare(CmpOp::Gt, &yen(2), &n4), Tri::False, "exactly half passes");
    }

    fn maybe(v: Value, path: u32) -> Elem {
        Elem {
            value: v,
            maybe: Some(Missing::one(path)),
        }
    }

    #[test]
    fn a_count_with_unknown_members_has_bounds_that_can_still_decide() {
        let list = [
            Elem::sure(yen(1)),
            Elem::sure(yen(1)),
            Elem::sure(yen(1)),
            maybe(yen(1), 7),
        ];
        let k = count(&list);
        assert_eq!(k.bounds(), Some((Decimal::from(3), Decimal::from(4))));
        assert_eq!(k.missing(), Missing::one(7));
        let half_of_9 = Value::Num(Decimal::new(45, 1));
        assert_eq!(
            compare(CmpOp::Gt, &k, &half_of_9),
            Tri::False,
            "3 or 4 of 9: never more than half"
        );
        let half_of_7 = Value::Num(Decimal::new(35, 1));
        assert_eq!(
            compare(CmpOp::Gt, &k, &half_of_7),
            Tri::Unknown(Missing::one(7)),
            "3 or 4 of 7: depends"
        );
    }

    #[test]
    fn a_sum_with_a_maybe_line_is_a_range() {
        let s = sum(&[Elem::sure(yen(100)), maybe(yen(50), 1)]).unwrap();
        assert_eq!(s.bounds(), Some((Decimal::from(100), Decimal::from(150))));
        assert_eq!(floor_range(&s), Some((Decimal::ZERO, Decimal::ZERO)));
    }

    fn floor_range(v: &Value) -> Option<(Decimal, Decimal)> {
        builtin(Builtin::Floor, &[v.clone(), yen(100_000)]).unwrap().bounds()
    }

    #[test]
    fn kleene_quantifiers() {
        let t = Value::Bool(true);
        let f = Value::Bool(false);
        let u = Value::unknown(Missing::one(3));
        assert_eq!(quantify(&[Elem::sure(t.clone()), Elem::sure(u.clone())], true), u);
        assert_eq!(quantify(&[Elem::sure(f.clone()), Elem::sure(u.clone())], true), f);
        assert_eq!(quantify(&[Elem::sure(t.clone()), Elem::sure(u.clone())], false), t);
        assert_eq!(
            quantify(&[maybe(f.clone(), 2)], true),
            Value::unknown(Missing::one(2)),
            "a maybe-false makes all() unknown"
        );
        assert_eq!(
            quantify(&[maybe(t.clone(), 2)], true),
            t,
            "a maybe-true cannot break all()"
        );
    }

    #[test]
    fn interval_comparisons() {
        let r = Value::range(Decimal::from(10), Decimal::from(20), Missing::one(0));
        assert_eq!(compare(CmpOp::Lt, &r, &yen(21)), Tri::True);
        assert_eq!(compare(CmpOp::Ge, &r, &yen(10)), Tri::True);
        assert_eq!(compare(CmpOp::Eq, &r, &yen(5)), Tri::False);
        assert!(matches!(compare(CmpOp::Eq, &r, &yen(15)), Tri::Unknown(_)));
        assert!(matches!(
            compare(CmpOp::Lt, &r, &Value::unknown(Missing::one(1))),
            Tri::Unknown(_)
        ));
    }

    #[test]
    fn division_by_zero_is_an_error_not_a_panic() {
        assert!(arith(ArithOp::Div, &yen(1), &yen(0)).is_err());
        let r = Value::range(Decimal::from(-1), Decimal::from(1), Missing::one(0));
        assert!(arith(ArithOp::Div, &yen(1), &r).unwrap().bounds().is_none());
    }

    #[test]
    fn fiscal_year_dates_outside_the_calendar_are_errors() {
        let e = builtin(Builtin::EndOf, &[Value::FiscalYear(9999)]).unwrap_err();
        assert!(e.contains("fiscal year 9999 has no date on the calendar"), "{e}");
        assert!(builtin(Builtin::StartOf, &[Value::FiscalYear(-10_000)]).is_err());
        assert!(builtin(Builtin::EndOf, &[Value::FiscalYear(i32::MAX)]).is_err());
        assert!(arith(ArithOp::FyAdd, &Value::FiscalYear(2024), &yen(i64::from(i32::MAX))).is_err());
        assert!(arith(ArithOp::FySub, &Value::FiscalYear(i32::MIN), &yen(1)).is_err());
    }

    #[test]
    fn add_days_beyond_the_calendar_is_an_error() {
        let d = Value::Date(jiff::civil::date(2020, 1, 1));
        assert!(builtin(Builtin::AddDays, &[d.clone(), yen(7_304_485)]).is_err());
        assert!(builtin(Builtin::AddDays, &[d.clone(), yen(-7_304_485)]).is_err());
        assert!(builtin(Builtin::AddDays, &[d.clone(), Value::Num(Decimal::from(i64::MAX))]).is_err());
        assert_eq!(
            builtin(Builtin::AddDays, &[d, yen(30)]).unwrap(),
            Value::Date(jiff::civil::date(2020, 1, 31))
        );
    }

    #[test]
    fn fiscal_year_dates() {
        assert_eq!(
            builtin(Builtin::EndOf, &[Value::FiscalYear(2024)]).unwrap(),
            Value::Date(jiff::civil::date(2025, 3, 31))
        );
        assert_eq!(
            builtin(Builtin::StartOf, &[Value::FiscalYear(2024)]).unwrap(),
            Value::Date(jiff::civil::date(2024, 4, 1))
        );
        assert_eq!(
            builtin(Builtin::FiscalYearOf, &[Value::Date(jiff::civil::date(2025, 3, 31))]).unwrap(),
            Value::FiscalYear(2024)
        );
        assert_eq!(
            builtin(Builtin::FiscalYearOf, &[Value::Date(jiff::civil::date(2025, 4, 1))]).unwrap(),
            Value::FiscalYear(2025)
        );
    }
}
