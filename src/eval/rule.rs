//! Deciding one rule for one entity.
//!
//! The deciding clauses (`pass`, `fail`, `review`) are tried in order. A
//! clause whose condition is unknown may or may not fire, so the rule's
//! possible outcomes are collected; when they all agree (say, both the
//! agreement date and the vision date could make the rule fail, and the
//! vision date certainly does), the rule is decided even though a fact is
//! missing, and the missing fact is reported as not mattering. When the
//! deciding clause is certain, the later clauses of the same outcome that
//! also fire are kept too: the reason lists every fact to fix, not only the
//! first. Remarks (`warn`, `note`) are evaluated on their own, wherever they
//! are written, so none is ever dropped because a clause before it decided.

use super::{EvalError, Evaluation, Frame};
use crate::program::{Clause, Rule};
use crate::syntax::ast::Outcome;
use crate::value::{Missing, Tri, Value};
use crate::verdict::RuleStatus;

fn status_of(o: Outcome) -> RuleStatus {
    match o {
        Outcome::Pass => RuleStatus::Pass,
        Outcome::Fail => RuleStatus::Fail,
        _ => RuleStatus::Review,
    }
}

/// The result of one rule for one entity, as typed data: which clause decided
/// it and the values its message shows; rendering to text happens later.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleResult {
    pub status: RuleStatus,
    /// The clause that decided the rule (`None` when unknown, not applicable
    /// or not in force).
    pub clause: Option<u32>,
    /// Values of the deciding message's holes (or of the `applies` message's,
    /// when not applicable).
    pub args: Vec<Value>,
    /// Later clauses of the deciding outcome that fire too, with the values
    /// of their messages.
    pub also: Vec<(u32, Vec<Value>)>,
    /// Exceptions (`unless`) that applied: clause and the values of its message.
    pub exceptions: Vec<(u32, Vec<Value>)>,
    /// `warn` and `note` clauses that fired.
    pub remarks: Vec<(u32, Vec<Value>)>,
    pub summary_args: Vec<Value>,
    /// Missing facts that left the rule unknown.
    pub missing: Missing,
    /// Missing facts the rule met that did not change its result.
    pub unneeded: Missing,
    /// The rule is not in force on the evaluation date.
    pub not_in_force: bool,
    /// The reviewer's determination that closed its `review` (an instance
    /// of the kind's determination entity): the status is then theirs.
    pub determination: Option<u32>,
}

impl RuleResult {
    fn new(status: RuleStatus) -> RuleResult {
        RuleResult {
            status,
            clause: None,
            args: Vec::new(),
            also: Vec::new(),
            exceptions: Vec::new(),
            remarks: Vec::new(),
            summary_args: Vec::new(),
            missing: Missing::default(),
            unneeded: Missing::default(),
            not_in_force: false,
            determination: None,
        }
    }
}

impl RuleResult {
    /// Not in force on the evaluation date: `not_applicable`.
    pub(super) fn out_of_force() -> RuleResult {
        let mut out = RuleResult::new(RuleStatus::NotApplicable);
        out.not_in_force = true;
        out
    }
}

impl Evaluation<'_> {
    pub(super) fn rule(&self, r: &Rule, f: &mut Frame) -> Result<RuleResult, EvalError> {
        if let Some((from, until)) = r.effective
            && (self.as_of < from || until.is_some_and(|u| self.as_of > u))
        {
            return Ok(RuleResult::out_of_force());
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
        for (i, c) in r.clauses.iter().enumerate().filter(|(_, c)| !c.outcome.decides()) {
            let i = i as u32;
            if self.fires(c, i, f, &mut out, true)? == Tri::True {
                out.remarks.push((i, self.holes(&c.message, f)?));
            }
        }
        // (outcome, clause) of every deciding clause that might decide, in order.
        let mut possible: Vec<(Outcome, u32)> = Vec::new();
        let mut uncertain = Missing::default();
        let decisive = r.clauses.iter().enumerate().filter(|(_, c)| c.outcome.decides());
        for (i, c) in decisive {
            let i = i as u32;
            match self.fires(c, i, f, &mut out, uncertain.is_empty())? {
                Tri::False => {}
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
            out.status = status_of(last);
            out.clause = Some(clause);
            out.args = self.holes(&r.clauses[clause as usize].message, f)?;
            // Every fact to fix (or to judge) is listed; `pass` clauses are
            // alternatives, the first that holds says why.
            if uncertain.is_empty() && last != Outcome::Pass {
                self.also(r, clause, last, f, &mut out)?;
            }
        } else {
            out.status = RuleStatus::Unknown;
            out.missing = uncertain;
        }
        Ok(out)
    }

    /// The later clauses of the deciding outcome that fire for certain.
    fn also(
        &self,
        r: &Rule,
        decided: u32,
        outcome: Outcome,
        f: &mut Frame,
        out: &mut RuleResult,
    ) -> Result<(), EvalError> {
        for (j, c) in r.clauses.iter().enumerate().skip(decided as usize + 1) {
            if c.outcome != outcome || c.guard.is_none() {
                continue;
            }
            let j = j as u32;
            if self.fires(c, j, f, out, true)? == Tri::True {
                out.also.push((j, self.holes(&c.message, f)?));
            }
        }
        Ok(())
    }

    /// Whether a clause fires: its condition holds and its exception does
    /// not. An exception that applies is recorded (when the clause is reached
    /// for certain).
    fn fires(&self, c: &Clause, i: u32, f: &mut Frame, out: &mut RuleResult, certain: bool) -> Result<Tri, EvalError> {
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
