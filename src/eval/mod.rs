//! Runs a compiled [`Program`] on the facts of one application. Steps run in
//! the plan's order; each let and rule is evaluated once per entity of its
//! scope. Missing facts propagate as unknown values (three-valued logic with
//! numeric bounds), so a rule is `unknown` only when a missing fact could
//! change its result.

mod ops;
mod rule;

pub use rule::{RuleResult, RuleStatus};

use rust_decimal::Decimal;

use crate::facts::Facts;
use crate::program::*;
use crate::schema::{ENTITIES, EntityId, STATUS_ADOPTED, STATUS_REJECTED, STATUS_TO_REVIEW};
use crate::source::Span;
use crate::value::{Elem, Missing, Tri, Value};

/// An error while evaluating (a rule divides by zero, an amount overflows):
/// a fault in the rules, reported against the rule text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub span: Span,
    pub message: String,
}

/// Everything evaluated for one application.
pub struct Evaluation<'p> {
    pub program: &'p Program,
    pub facts: Facts,
    pub as_of: jiff::civil::Date,
    pub params: Vec<Value>,
    /// entity → instance → computed slot → value
    pub computed: Vec<Vec<Vec<Value>>>,
    /// rule → instance → result
    pub results: Vec<Vec<RuleResult>>,
    /// let → instance → values of its `explain` label's holes
    pub explains: Vec<Vec<Vec<Value>>>,
}

/// Why an application could not be evaluated with these rules.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error("parameter `{param}` has no value in force on {date}")]
    NoParameter { param: String, date: jiff::civil::Date },
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Evaluates `program` on `facts` as of `as_of` (which selects the parameter
/// versions and the rules in force).
pub fn evaluate(program: &Program, facts: Facts, as_of: jiff::civil::Date) -> Result<Evaluation<'_>, EvaluateError> {
    let params = program.params_on(as_of).map_err(|p| EvaluateError::NoParameter {
        param: program.params[p as usize].name.clone(),
        date: as_of,
    })?;
    let computed = (0..ENTITIES.len())
        .map(|e| vec![vec![Value::Bool(false); program.entities[e].computed.len()]; facts.count(e as EntityId)])
        .collect();
    let results = program
        .rules
        .iter()
        .map(|r| Vec::with_capacity(facts.count(r.entity)))
        .collect();
    let explains = program.lets.iter().map(|_| Vec::new()).collect();
    let mut ev = Evaluation {
        program,
        facts,
        as_of,
        params,
        computed,
        results,
        explains,
    };
    for step in &program.plan {
        match *step {
            Step::Let(id) => ev.run_let(id)?,
            Step::Rule(id) => ev.run_rule(id)?,
            Step::Status(e) => ev.run_status(e),
        }
    }
    Ok(ev)
}

/// The evaluation state of one expression: its frame of locals, and the
/// missing facts it met (to say which did not matter).
pub(crate) struct Frame {
    pub slots: Vec<Value>,
    pub touched: Missing,
    pub span: Span,
}

impl<'p> Evaluation<'p> {
    /// A frame for instance `index` of `entity`, with its `for` variables bound.
    fn frame(&self, entity: EntityId, index: u32, size: u16, span: Span) -> Frame {
        let depth = self.program.entities[entity as usize].binding_depth as usize;
        let mut slots = vec![Value::Bool(false); (size as usize).max(depth)];
        let (mut e, mut i) = (entity, index);
        for d in (0..depth).rev() {
            slots[d] = Value::Entity(i);
            if let Some((owner, _)) = ENTITIES[e as usize].owner {
                i = self.facts.parent[e as usize][i as usize];
                e = owner;
            }
        }
        Frame {
            slots,
            touched: Missing::default(),
            span,
        }
    }

    fn run_let(&mut self, id: LetId) -> Result<(), EvalError> {
        let l = &self.program.lets[id as usize];
        for i in 0..self.facts.count(l.entity) as u32 {
            let mut f = self.frame(l.entity, i, l.frame_size, l.span);
            let v = self.eval(&l.node, &mut f)?;
            self.computed[l.entity as usize][i as usize][l.slot as usize] = v;
            if let Some((label, _)) = &l.explain {
                let args = self.holes(label, &mut f)?;
                self.explains[id as usize].push(args);
            }
        }
        Ok(())
    }

    fn run_rule(&mut self, id: RuleId) -> Result<(), EvalError> {
        let r = &self.program.rules[id as usize];
        for i in 0..self.facts.count(r.entity) as u32 {
            let mut f = self.frame(r.entity, i, r.frame_size, r.span);
            let result = self.rule(r, &mut f)?;
            self.results[id as usize].push(result);
        }
        Ok(())
    }

    /// An entity's status from its rules: any failure rejects it; otherwise
    /// an unknown rule leaves it unknown; otherwise a review leaves it to a
    /// reviewer; otherwise it is adopted.
    fn run_status(&mut self, e: EntityId) {
        let info = &self.program.entities[e as usize];
        let Some(slot) = info.status_slot else { return };
        for i in 0..self.facts.count(e) {
            let statuses = info.rules.iter().map(|r| &self.results[*r as usize][i]);
            let mut missing = Missing::default();
            let (mut fail, mut unknown, mut review) = (false, false, false);
            for s in statuses {
                match s.status {
                    RuleStatus::Fail => fail = true,
                    RuleStatus::Unknown => {
                        unknown = true;
                        missing.extend(&s.missing);
                    }
                    RuleStatus::Review => review = true,
                    RuleStatus::Pass | RuleStatus::NotApplicable => {}
                }
            }
            let v = if fail {
                Value::Enum(STATUS_REJECTED)
            } else if unknown {
                Value::unknown(missing)
            } else if review {
                Value::Enum(STATUS_TO_REVIEW)
            } else {
                Value::Enum(STATUS_ADOPTED)
            };
            self.computed[e as usize][i][slot as usize] = v;
        }
    }

    /// The values of a message's holes (Japanese first, then English).
    pub(crate) fn holes(&self, m: &Message, f: &mut Frame) -> Result<Vec<Value>, EvalError> {
        m.holes().map(|(n, _)| self.eval(n, f)).collect()
    }

    fn err(&self, f: &Frame, message: impl Into<String>) -> EvalError {
        EvalError {
            span: f.span,
            message: message.into(),
        }
    }

    pub(crate) fn eval(&self, n: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        Ok(match n {
            Node::Const(v) => v.clone(),
            Node::Param(p) => self.params[*p as usize].clone(),
            Node::Local(s) => f.slots[*s as usize].clone(),
            Node::Root => Value::Entity(0),
            Node::Fact(base, e, idx) => match self.eval(base, f)? {
                Value::Entity(i) => self.read(f, &self.facts.rows[*e as usize][i as usize][*idx as usize]),
                other => other,
            },
            Node::Computed(base, e, slot) => match self.eval(base, f)? {
                Value::Entity(i) => self.read(f, &self.computed[*e as usize][i as usize][*slot as usize]),
                other => other,
            },
            Node::MuniAttr(base, attr) => match self.eval(base, f)? {
                Value::Municipality(m) => ops::muni_attr(m, *attr),
                other => other,
            },
            Node::Not(x) => match self.eval(x, f)?.tri() {
                Tri::True => Value::Bool(false),
                Tri::False => Value::Bool(true),
                u => u.value(),
            },
            Node::Neg(x) => {
                ops::arith(ArithOp::Sub, &Value::Num(Decimal::ZERO), &self.eval(x, f)?).map_err(|m| self.err(f, m))?
            }
            Node::And(a, b) => self.and(a, b, f)?,
            Node::Or(a, b) => self.or(a, b, f)?,
            Node::Cmp(op, a, b) => {
                let (x, y) = (self.eval(a, f)?, self.eval(b, f)?);
                ops::compare(*op, &x, &y).value()
            }
            Node::Arith(op, a, b) => {
                let (x, y) = (self.eval(a, f)?, self.eval(b, f)?);
                ops::arith(*op, &x, &y).map_err(|m| self.err(f, m))?
            }
            Node::In(x, list) => {
                let (x, list) = (self.eval(x, f)?, self.eval(list, f)?);
                ops::contains(&list, &x).value()
            }
            // A default and a presence test read the fact on purpose: its
            // absence is handled, so it is not a missing fact of the rule.
            Node::Default(a, b) => match self.eval_quiet(a, f)? {
                Value::Unknown(_) => self.eval(b, f)?,
                v => v,
            },
            Node::Present(a) => Value::Bool(!self.eval_quiet(a, f)?.is_unknown()),
            Node::If(c, t, e) => match self.eval(c, f)?.tri() {
                Tri::True => self.eval(t, f)?,
                Tri::False => self.eval(e, f)?,
                Tri::Unknown(m) => ops::either(&m, &self.eval(t, f)?, &self.eval(e, f)?),
            },
            Node::List(items) => {
                let elems = items
                    .iter()
                    .map(|i| Ok(Elem::sure(self.eval(i, f)?)))
                    .collect::<Result<Vec<_>, EvalError>>()?;
                Value::list(elems)
            }
            Node::Comprehension {
                head,
                slot,
                iter,
                filter,
            } => self.comprehension(head, *slot, iter, filter.as_deref(), f)?,
            Node::Table(t, key) => match self.eval(key, f)? {
                Value::Enum(v) => {
                    let table = &self.program.tables[*t as usize];
                    table.entries[v as usize]
                        .clone()
                        .or_else(|| table.otherwise.clone())
                        .ok_or_else(|| self.err(f, format!("table `{}` has no entry for this key", table.name)))?
                }
                Value::Other(_) => {
                    let table = &self.program.tables[*t as usize];
                    table
                        .otherwise
                        .clone()
                        .ok_or_else(|| self.err(f, format!("table `{}` has no `else` entry", table.name)))?
                }
                other => other,
            },
            Node::Call(b, args) => {
                let vals = args
                    .iter()
                    .map(|a| self.eval(a, f))
                    .collect::<Result<Vec<_>, EvalError>>()?;
                ops::builtin(*b, &vals).map_err(|m| self.err(f, m))?
            }
        })
    }

    /// Evaluates without noting the missing facts met.
    fn eval_quiet(&self, n: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        let before = f.touched.clone();
        let v = self.eval(n, f);
        f.touched = before;
        v
    }

    /// Reads a stored value, noting the missing facts behind an unknown one.
    fn read(&self, f: &mut Frame, v: &Value) -> Value {
        if let Value::Unknown(u) = v {
            f.touched.extend(&u.missing);
        }
        v.clone()
    }

    fn and(&self, a: &Node, b: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        Ok(match self.eval(a, f)?.tri() {
            Tri::False => Value::Bool(false),
            Tri::True => self.eval(b, f)?,
            Tri::Unknown(m) => match self.eval(b, f)?.tri() {
                Tri::False => Value::Bool(false),
                Tri::True => Value::unknown(m),
                Tri::Unknown(m2) => Value::unknown(m.union(&m2)),
            },
        })
    }

    fn or(&self, a: &Node, b: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        Ok(match self.eval(a, f)?.tri() {
            Tri::True => Value::Bool(true),
            Tri::False => self.eval(b, f)?,
            Tri::Unknown(m) => match self.eval(b, f)?.tri() {
                Tri::True => Value::Bool(true),
                Tri::False => Value::unknown(m),
                Tri::Unknown(m2) => Value::unknown(m.union(&m2)),
            },
        })
    }

    /// `[head for x in iter where filter]`: an element whose filter is unknown
    /// stays in the list as a "maybe" element.
    fn comprehension(
        &self,
        head: &Node,
        slot: u16,
        iter: &Node,
        filter: Option<&Node>,
        f: &mut Frame,
    ) -> Result<Value, EvalError> {
        let list = match self.eval(iter, f)? {
            Value::List(l) => l,
            other => return Ok(Value::unknown(other.missing())),
        };
        let mut out = Vec::with_capacity(list.len());
        for elem in list.iter() {
            f.slots[slot as usize] = elem.value.clone();
            let maybe = match filter.map(|c| self.eval(c, f)).transpose()?.map(|v| v.tri()) {
                None | Some(Tri::True) => elem.maybe.clone(),
                Some(Tri::False) => continue,
                Some(Tri::Unknown(m)) => Some(elem.maybe.as_ref().map_or(m.clone(), |x| x.union(&m))),
            };
            out.push(Elem {
                value: self.eval(head, f)?,
                maybe,
            });
        }
        Ok(Value::list(out))
    }
}
