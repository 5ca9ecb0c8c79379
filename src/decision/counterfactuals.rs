//! What would make a decision that is not a plain pass come out otherwise:
//! for each rule that fails or is for review, the changes to its deciding
//! conditions that would let it pass; for each passing rule, how far its
//! failing conditions are (the support years left); the missing facts to
//! supply; the lines left out and why; how far each rounded or capped
//! amount is from its next step or its cap. All read off the rules'
//! compiled conditions and steps ([`crate::eval`]), none written per rule.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Decision, EntryList};
use crate::eval::{EvalError, Evaluation, Flip, FlipSet, Purpose};
use crate::program::{Builtin, CmpOp, Node, Ty};
use crate::schema::EntityId;
use crate::text::Text;
use crate::value::Value;
use crate::verdict::{RuleStatus, Verdict};

/// One thing that would change the decision.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Counterfactual {
    pub kind: CounterfactualKind,
    /// The rule it is about, when it is about one.
    pub rule: Option<Arc<str>>,
    pub title: Option<Arc<Text>>,
    /// The entity (`事業「…」`), when not the document.
    pub of: Option<String>,
    pub text: Text,
    /// The conditions it is made of, typed.
    pub changes: Vec<Change>,
    /// Where the clause those conditions belong to is written.
    pub clause_source: Option<Arc<str>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CounterfactualKind {
    /// Any one of `changes` would let a failing (or reviewed) rule pass.
    ToPass,
    /// How far a passing rule is from failing.
    Margin,
    /// A missing fact to supply.
    Supply,
    /// A line or entity left out, and why.
    LeftOut,
    /// How far an amount is from its next step or from its cap.
    Amount,
}

/// A condition and what it would need: `expr` compared with `compared_with`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// The expression in the rule (`k`, `region.vision_period_years`).
    pub expr: Arc<str>,
    pub compared_with: Arc<str>,
    /// What the expression is, in words, when it is an input field or a
    /// labelled step.
    pub name: Option<Text>,
    pub now: Text,
    pub needed: Text,
    /// How far: the difference to close, when the values are numbers.
    pub by: Option<Text>,
}

/// The counterfactuals of a decision (none for a plain pass).
pub(super) fn of(ev: &Evaluation, d: &Decision) -> Result<Vec<Counterfactual>, EvalError> {
    if d.verdict == Verdict::Pass {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let root = ev.program.schema.root;
    rules_of(ev, root, 0, None, &mut out)?;
    entities(ev, root, 0, &mut out)?;
    for m in &d.missing_details {
        out.push(Counterfactual {
            kind: CounterfactualKind::Supply,
            rule: None,
            title: None,
            of: None,
            text: supply_text(m),
            changes: Vec::new(),
            clause_source: None,
        });
    }
    left_out(ev, &d.lists, &mut out);
    amounts(ev, &mut out)?;
    Ok(out)
}

/// What to write, and where: the JSON path, and the cell of a workbook's.
pub(super) fn supply_text(m: &super::MissingEntry) -> Text {
    let at = match &m.cell {
        Some(c) => format!("{c}（{}）", m.path),
        None => m.path.clone(),
    };
    Text::new(
        format!("{at} を記入する（{}）", m.what.ja),
        format!("give {at} ({})", m.what.en),
    )
}

/// The counterfactuals of the rules of instance `i` of entity `e`.
fn rules_of(
    ev: &Evaluation,
    e: EntityId,
    i: u32,
    of: Option<&str>,
    out: &mut Vec<Counterfactual>,
) -> Result<(), EvalError> {
    let p = ev.program;
    let root = p.schema.root;
    for &r in &p.entities[e as usize].rules {
        let mut sets = ev.rule_flips(r, i)?;
        for s in &mut sets {
            let purpose = s.purpose;
            s.alternatives.retain(|f| worth_saying(f, purpose, e == root));
        }
        sets.retain(|s| !s.alternatives.is_empty());
        for set in tightest_margin(sets) {
            let changes: Vec<Change> = set.alternatives.iter().map(|f| change(ev, f)).collect();
            if changes.is_empty() {
                continue;
            }
            out.push(Counterfactual {
                kind: match set.purpose {
                    Purpose::ToPass => CounterfactualKind::ToPass,
                    Purpose::Margin => CounterfactualKind::Margin,
                },
                rule: Some(p.rules[r as usize].id.clone()),
                title: p.rules[r as usize].title.clone(),
                of: of.map(str::to_string),
                text: summary(set.purpose, ev.results[r as usize][i as usize].status, &changes),
                changes,
                clause_source: Some(p.rules[r as usize].clauses[set.clause as usize].location.clone()),
            });
        }
    }
    Ok(())
}

/// A rule's ways to pass, and of its margins only the closest to failing:
/// `fiscal_year > programme_last_year` a year away, not also
/// `fiscal_year < programme_first_year` five years the other way.
fn tightest_margin(sets: Vec<FlipSet>) -> Vec<FlipSet> {
    let closest = |s: &FlipSet| -> Option<Decimal> {
        s.alternatives
            .iter()
            .filter_map(|f| match f {
                Flip::Compare {
                    op,
                    want,
                    left,
                    right,
                    ty,
                    ..
                } => gap(left, right, if *want { *op } else { negate(*op) }, ty),
                Flip::Bool { .. } => None,
            })
            .min()
    };
    let best = sets
        .iter()
        .filter(|s| s.purpose == Purpose::Margin)
        .filter_map(|s| Some((closest(s)?, s.clause)))
        .min()
        .map(|(_, clause)| clause);
    sets.into_iter()
        .filter(|s| s.purpose == Purpose::ToPass || best.is_none_or(|b| s.clause == b))
        .collect()
}

/// The listed entities under instance `i` of `e`, and theirs.
fn entities(ev: &Evaluation, e: EntityId, i: u32, out: &mut Vec<Counterfactual>) -> Result<(), EvalError> {
    let p = ev.program;
    for &c in &p.entities[e as usize].children {
        let Some(entry) = &p.entities[c as usize].entry else {
            continue;
        };
        for j in 0..ev.facts.count(c) as u32 {
            if !ev.listed[c as usize][j as usize] || ev.ancestor(c, j, e) != i {
                continue;
            }
            let title = &ev.facts.titles[c as usize][j as usize];
            let of = format!("{}「{}」", entry.label.ja, title);
            rules_of(ev, c, j, Some(&of), out)?;
            entities(ev, c, j, out)?;
        }
    }
    Ok(())
}

/// Whether a flip tells a reader something: a margin only for a rule of the
/// document, of an ordered comparison against a figure (not a literal of
/// the rule: `count(exclusions) > 0` is not a distance); a way to pass, not
/// an equality of an unnamed value (`item == 6`: the reason says why).
fn worth_saying(f: &Flip, purpose: Purpose, top: bool) -> bool {
    match (f, purpose) {
        (
            Flip::Compare {
                op,
                right_literal,
                right_param,
                ..
            },
            Purpose::Margin,
        ) => top && !right_literal && *right_param && !matches!(op, CmpOp::Eq | CmpOp::Ne),
        (Flip::Compare { op, left_name, .. }, Purpose::ToPass) => {
            left_name.is_some() || !matches!(op, CmpOp::Eq | CmpOp::Ne)
        }
        (Flip::Bool { .. }, Purpose::Margin) => false,
        (Flip::Bool { .. }, Purpose::ToPass) => true,
    }
}

/// One flip as a change.
fn change(ev: &Evaluation, f: &Flip) -> Change {
    let snippet = |s: crate::source::Span| -> Arc<str> { ev.program.sources.snippet(s).into() };
    match f {
        Flip::Compare {
            op,
            want,
            left,
            right,
            spans,
            ty,
            left_name,
            ..
        } => {
            let rel = if *want { *op } else { negate(*op) };
            let right_shown = ev.show_text(right, ty);
            let (ja, en) = relation(rel);
            Change {
                expr: snippet(spans[0]),
                compared_with: snippet(spans[1]),
                name: left_name.clone(),
                now: ev.show_text(left, ty),
                needed: Text::new(format!("{}{ja}", right_shown.ja), format!("{en} {}", right_shown.en)),
                by: distance(left, right, rel, ty),
            }
        }
        Flip::Bool { name, to } => Change {
            expr: name.en.as_str().into(),
            compared_with: "".into(),
            name: Some(name.clone()),
            now: yes_no(!to),
            needed: yes_no(*to),
            by: None,
        },
    }
}

fn yes_no(b: bool) -> Text {
    if b {
        Text::new("はい", "yes")
    } else {
        Text::new("いいえ", "no")
    }
}

fn negate(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
    }
}

fn relation(op: CmpOp) -> (&'static str, &'static str) {
    match op {
        CmpOp::Lt => (" 未満", "below"),
        CmpOp::Le => (" 以下", "at most"),
        CmpOp::Gt => (" を超える", "above"),
        CmpOp::Ge => (" 以上", "at least"),
        CmpOp::Eq => (" と同じ", "equal to"),
        CmpOp::Ne => (" 以外", "other than"),
    }
}

/// How far `left` is from meeting `rel right`: a count of whole units for
/// whole numbers (yen, members, years), exact otherwise.
/// How far `left` has to move for `left rel right` to hold: a number (of
/// the values' unit), days for dates; none when it holds or the values are
/// not numbers.
fn gap(left: &Value, right: &Value, rel: CmpOp, ty: &Ty) -> Option<Decimal> {
    let (l, r) = match (left, right) {
        (Value::Num(l), Value::Num(r)) => (*l, *r),
        (Value::FiscalYear(l), Value::FiscalYear(r)) => (Decimal::from(*l), Decimal::from(*r)),
        (Value::Date(l), Value::Date(r)) => return Some(Decimal::from(l.until(*r).ok()?.get_days().abs())),
        _ => return None,
    };
    let whole = matches!(ty, Ty::Int | Ty::Money | Ty::FiscalYear);
    let by = match rel {
        CmpOp::Le if whole => l - r.floor(),
        CmpOp::Le => l - r,
        CmpOp::Lt if whole => l - r.ceil() + Decimal::ONE,
        CmpOp::Lt => l - r,
        CmpOp::Ge if whole => r.ceil() - l,
        CmpOp::Ge => r - l,
        CmpOp::Gt if whole => r.floor() - l + Decimal::ONE,
        CmpOp::Gt => r - l,
        CmpOp::Eq | CmpOp::Ne => (l - r).abs(),
    };
    (by > Decimal::ZERO).then_some(by)
}

fn distance(left: &Value, right: &Value, rel: CmpOp, ty: &Ty) -> Option<Text> {
    let by = gap(left, right, rel, ty)?;
    if matches!((left, right), (Value::Date(_), Value::Date(_))) {
        return Some(Text::new(format!("{by} 日"), format!("{by} days")));
    }
    let shown = match ty {
        Ty::Money => crate::explain::yen(by),
        _ => Text::same(crate::model::number::group_digits(by.normalize())),
    };
    let fewer = matches!(rel, CmpOp::Le | CmpOp::Lt);
    Some(if fewer {
        Text::new(format!("{} 減らす", shown.ja), format!("{} less", shown.en))
    } else {
        Text::new(format!("{} 増やす", shown.ja), format!("{} more", shown.en))
    })
}

/// A sentence for a set of changes.
fn summary(purpose: Purpose, status: RuleStatus, changes: &[Change]) -> Text {
    let each: Vec<Text> = changes
        .iter()
        .map(|c| {
            let name = c.name.clone().unwrap_or_else(|| Text::same(format!("`{}`", c.expr)));
            let by = c.by.as_ref().map(|b| (format!("（{}）", b.ja), format!(" ({})", b.en)));
            let (by_ja, by_en) = by.unwrap_or_default();
            Text::new(
                format!("{}：現在 {}、{}{by_ja}", name.ja, c.now.ja, c.needed.ja),
                format!("{}: now {}, {}{by_en}", name.en, c.now.en, c.needed.en),
            )
        })
        .collect();
    let list = Text::new(
        each.iter().map(|t| t.ja.as_str()).collect::<Vec<_>>().join("、又は "),
        each.iter().map(|t| t.en.as_str()).collect::<Vec<_>>().join("; or "),
    );
    match (purpose, status) {
        (Purpose::Margin, _) => Text::new(
            format!("不適合になるまで：{}", list.ja),
            format!("Until it fails: {}", list.en),
        ),
        (Purpose::ToPass, RuleStatus::Review) => Text::new(
            format!("審査に回らないためには：{}", list.ja),
            format!("It would not need a review if: {}", list.en),
        ),
        (Purpose::ToPass, _) => Text::new(
            format!("適合するためには：{}", list.ja),
            format!("It would pass if: {}", list.en),
        ),
    }
}

/// The entities left out (of an entry that sets aside what fails: a
/// rejected project, an excluded line), and why.
fn left_out(ev: &Evaluation, lists: &[EntryList], out: &mut Vec<Counterfactual>) {
    for l in lists {
        let set_aside = ev
            .program
            .entities
            .iter()
            .filter_map(|x| x.entry.as_ref())
            .any(|en| en.key == l.key && en.set_aside);
        for e in &l.entries {
            if set_aside && e.verdict == Verdict::Fail {
                let reason = e.reason();
                out.push(Counterfactual {
                    kind: CounterfactualKind::LeftOut,
                    rule: e
                        .rules
                        .iter()
                        .find(|r| r.status == RuleStatus::Fail)
                        .map(|r| r.id.clone()),
                    title: None,
                    of: Some(format!("{}「{}」", l.label.ja, e.title)),
                    text: Text::new(
                        format!("{}「{}」は算入されません：{}", l.label.ja, e.title, reason.ja),
                        format!("{} \"{}\" does not count: {}", l.label.en, e.title, reason.en),
                    ),
                    changes: Vec::new(),
                    clause_source: None,
                });
            }
            left_out(ev, &e.lists, out);
        }
    }
}

/// How far each top-level step rounded down (`floor(x, unit)`) is from its
/// next step, and each capped one (`min(x, cap)`) from its cap.
fn amounts(ev: &Evaluation, out: &mut Vec<Counterfactual>) -> Result<(), EvalError> {
    let p = ev.program;
    let root = p.schema.root;
    for &id in &p.entities[root as usize].lets {
        let l = &p.lets[id as usize];
        let Some((label, _)) = &l.explain else { continue };
        let Node::Call(b, args, _) = &l.node else { continue };
        let mut f = ev.frame(root, 0, l.frame_size);
        let vals = args.iter().map(|a| ev.eval(a, &mut f)).collect::<Result<Vec<_>, _>>()?;
        let (Some(Value::Num(x)), Some(Value::Num(y))) = (vals.first(), vals.get(1)) else {
            continue;
        };
        let label = ev.render(label, &ev.explains[id as usize][0]);
        let text = match b {
            Builtin::Floor if !y.is_zero() => {
                let rest = x % y;
                if rest.is_zero() {
                    continue;
                }
                let next = *x - rest + *y;
                Text::new(
                    format!(
                        "{}：{} は次の単位 {} まで {}",
                        label.ja,
                        yen_or(&l.ty, *x).ja,
                        yen_or(&l.ty, next).ja,
                        yen_or(&l.ty, *y - rest).ja
                    ),
                    format!(
                        "{}: {} is {} short of the next step, {}",
                        label.en,
                        yen_or(&l.ty, *x).en,
                        yen_or(&l.ty, *y - rest).en,
                        yen_or(&l.ty, next).en
                    ),
                )
            }
            Builtin::Min if x != y => {
                let (a, c) = (*x, *y);
                if a > c {
                    Text::new(
                        format!(
                            "{}：{} は {} を {} 上回っています（上回る分は算入されません）",
                            label.ja,
                            yen_or(&l.ty, a).ja,
                            yen_or(&l.ty, c).ja,
                            yen_or(&l.ty, a - c).ja
                        ),
                        format!(
                            "{}: {} exceeds {} by {} (the excess does not count)",
                            label.en,
                            yen_or(&l.ty, a).en,
                            yen_or(&l.ty, c).en,
                            yen_or(&l.ty, a - c).en
                        ),
                    )
                } else {
                    Text::new(
                        format!(
                            "{}：{} は {} まで {} の余地があります",
                            label.ja,
                            yen_or(&l.ty, a).ja,
                            yen_or(&l.ty, c).ja,
                            yen_or(&l.ty, c - a).ja
                        ),
                        format!(
                            "{}: {} is {} below {}",
                            label.en,
                            yen_or(&l.ty, a).en,
                            yen_or(&l.ty, c - a).en,
                            yen_or(&l.ty, c).en
                        ),
                    )
                }
            }
            _ => continue,
        };
        out.push(Counterfactual {
            kind: CounterfactualKind::Amount,
            rule: None,
            title: None,
            of: None,
            text,
            changes: Vec::new(),
            clause_source: None,
        });
    }
    Ok(())
}

fn yen_or(ty: &Ty, n: Decimal) -> Text {
    match ty {
        Ty::Money => crate::explain::yen(n),
        _ => Text::same(crate::model::number::group_digits(n)),
    }
}
