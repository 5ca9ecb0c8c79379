//! Deciding one rule for one entity.
//!
//! Clauses are tried in order. A clause whose condition is unknown may or may
//! not fire, so the rule's possible outcomes are collected; when they all
//! agree (say, both the agreement date and the vision date could make the rule
//! fail, and the vision date certainly does), the rule is decided even though
//! a fact is missing, and the missing fact is reported as not mattering.

use serde::Serialize;

use super::{EvalError, Evaluation, Frame};
use crate::program::{Clause, Rule};
use crate::syntax::ast::Outcome;
use crate::value::{Missing, Tri, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Pass,
    Fail,
    Review,
    Unknown,
    NotApplicable,
}

impl RuleStatus {
    fn of(o: Outcome) -> RuleStatus {
        match o {
            Outcome::Pass => RuleStatus::Pass,
            Outcome::Fail => RuleStatus::Fail,
            _ => RuleStatus::Review,
        }
    }
}

/// The result of one rule for one entity, as typed data: which clause decided
/// it and the values its message shows; rendering to text happens later.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleResult {
    pub status: RuleStatus,
    /// The clause that decided the rule (`None` when unknown, not applicable
    /// or not in force).
    pub clause: Option<u16>,
    /// Values of the deciding message's holes (or of the `applies` message's,
    /// when not applicable).
    pub args: Vec<Value>,
    /// Exceptions (`unless`) that applied: clause and the values of its message.
    pub exceptions: Vec<(u16, Vec<Value>)>,
    /// `warn` and `note` clauses that fired.
    pub remarks: Vec<(u16, Vec<Value>)>,
    pub summary_args: Vec<Value>,
    /// Missing facts that left the rule unknown.
    pub missing: Missing,
    /// Missing facts the rule met that did not change its result.
    pub unneeded: Missing,
    /// The rule is not in force on the evaluation date.
    pub not_in_force: bool,
}

impl RuleResult {
    fn new(status: RuleStatus) -> RuleResult {
        RuleResult {
            status,
            clause: None,
            args: Vec::new(),
            exceptions: Vec::new(),
            remarks: Vec::new(),
            summary_args: Vec::new(),
            missing: Missing::default(),
            unneeded: Missing::default(),
            not_in_force: false,
        }
    }
}

impl Evaluation<'_> {
    pub(super) fn rule(&self, r: &Rule, f: &mut Frame) -> Result<RuleResult, EvalError> {
        if let Some((from, until)) = r.effective
            && (self.as_of < from || until.is_some_and(|u| self.as_of > u))
        {
            let mut out = RuleResult::new(RuleStatus::NotApplicable);
            out.not_in_force = true;
            return Ok(out);
        }
        let summary_args = match &r.summary {
            Some(s) => self.holes(s, f)?,
            None => Vec::new(),
        };
        let mut out = self.decide(r, f)?;
        out.summary_args = summary_args;
        out.unneeded = f.touched.without(&out.missing);
        Ok(out)
    }

    fn decide(&self, r: &Rule, f: &mut Frame) -> Result<RuleResult, EvalError> {
        if let Some((cond, msg)) = &r.applies {
            match self.eval(cond, f)?.tri() {
                Tri::True => {}
                Tri::False => {
                    let mut out = RuleResult::new(RuleStatus::NotApplicable);
                    out.args = self.holes(msg, f)?;
                    return Ok(out);
                }
                Tri::Unknown(m) => {
                    let mut out = RuleResult::new(RuleStatus::Unknown);
                    out.missing = m;
                    return Ok(out);
                }
            }
        }
        for (slot, node) in &r.lets {
            f.slots[*slot as usize] = self.eval(node, f)?;
        }
        let mut out = RuleResult::new(RuleStatus::Unknown);
        // (outcome, clause) of every clause that might decide, in order.
        let mut possible: Vec<(Outcome, u16)> = Vec::new();
        let mut uncertain = Missing::default();
        for (i, c) in r.clauses.iter().enumerate() {
            let i = i as u16;
            let fires = self.fires(c, i, f, &mut out, uncertain.is_empty())?;
            match fires {
                Tri::False => {}
                Tri::True if !c.outcome.decides() => {
                    if uncertain.is_empty() {
                        out.remarks.push((i, self.holes(&c.message, f)?));
                    }
                }
                Tri::Unknown(_) if !c.outcome.decides() => {}
                Tri::True => {
                    possible.push((c.outcome, i));
                    break;
                }
                Tri::Unknown(m) => {
                    possible.push((c.outcome, i));
                    uncertain.extend(&m);
                }
            }
        }
        let Some(&(last, clause)) = possible.last() else {
            return Err(EvalError {
                span: r.span,
                message: format!("rule `{}`: no clause decided (it needs a final `otherwise`)", r.id),
            });
        };
        if possible.iter().all(|(o, _)| *o == last) {
            out.status = RuleStatus::of(last);
            out.clause = Some(clause);
            out.args = self.holes(&r.clauses[clause as usize].message, f)?;
        } else {
            out.status = RuleStatus::Unknown;
            out.missing = uncertain;
        }
        Ok(out)
    }

    /// Whether a clause fires: its condition holds and its exception does
    /// not. An exception that applies is recorded (when the clause is reached
    /// for certain).
    fn fires(&self, c: &Clause, i: u16, f: &mut Frame, out: &mut RuleResult, certain: bool) -> Result<Tri, EvalError> {
        let guard = match &c.guard {
            Some(g) => self.eval(g, f)?.tri(),
            None => Tri::True,
        };
        let Some((cond, msg)) = &c.unless else { return Ok(guard) };
        if guard == Tri::False {
            return Ok(Tri::False);
        }
        let exception = self.eval(cond, f)?.tri();
        Ok(match (guard, exception) {
            (Tri::True, Tri::True) => {
                if certain && let Some(m) = msg {
                    out.exceptions.push((i, self.holes(m, f)?));
                }
                Tri::False
            }
            (_, Tri::True) => Tri::False,
            (Tri::True, Tri::False) => Tri::True,
            (Tri::Unknown(a), Tri::Unknown(b)) => Tri::Unknown(a.union(&b)),
            (Tri::Unknown(a), _) | (_, Tri::Unknown(a)) => Tri::Unknown(a),
            _ => Tri::False,
        })
    }
}
