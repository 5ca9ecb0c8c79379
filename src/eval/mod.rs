//! Runs a compiled [`Program`] on the facts of one document. Steps run in
//! the plan's order; each let and rule is evaluated once per entity of its
//! scope, and each entity's verdict is combined from its rules and the
//! entities listed under it ([`crate::verdict`]). Missing facts propagate as
//! unknown values (three-valued logic with numeric bounds), so a rule is
//! `unknown` only when a missing fact could change its result.

mod counterfactual;
mod ops;
mod rule;

pub(crate) use counterfactual::{Flip, FlipSet, Purpose};

pub use rule::RuleResult;

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::facts::Facts;
use crate::program::*;
use crate::schema::EntityId;
use crate::source::Span;
use crate::value::{Elem, Missing, PathId, Tri, Value};
use crate::verdict::{RuleStatus, Verdict};

/// An error while evaluating (a rule divides by zero, an amount overflows):
/// a fault in the rules, reported against the rule text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub span: Span,
    pub message: String,
}

/// Everything evaluated for one document.
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
    /// entity → instance → verdict (for entities with a status)
    pub verdicts: Vec<Vec<Verdict>>,
    /// entity → instance → listed (its entry's `when` holds; true without one)
    pub listed: Vec<Vec<bool>>,
    /// (rule, instance) → the reviewer's determination for it.
    determined: HashMap<(RuleId, u32), u32>,
    /// Determinations of a rule that was not `review`: they closed nothing.
    pub unused_determinations: Vec<(u32, RuleStatus)>,
    /// Parameters the rules read that have no value on the evaluation date.
    pub absent_params: Vec<ParamId>,
}

/// The date the document's rules are evaluated as of: its kind's `as_of`,
/// read from the facts alone (it chooses the parameters, so it reads none).
/// The facts come back with the date.
pub fn as_of(program: &Program, facts: Facts) -> (Facts, Result<Option<jiff::civil::Date>, EvalError>) {
    let ev = Evaluation {
        program,
        facts,
        as_of: jiff::civil::Date::MIN,
        params: Vec::new(),
        computed: Vec::new(),
        results: Vec::new(),
        explains: Vec::new(),
        verdicts: Vec::new(),
        listed: Vec::new(),
        determined: HashMap::new(),
        unused_determinations: Vec::new(),
        absent_params: Vec::new(),
    };
    let mut f = Frame {
        slots: Vec::new(),
        touched: Missing::default(),
    };
    let v = ev.eval(&program.kind.as_of, &mut f).map(|v| match v {
        Value::Date(d) => Some(d),
        _ => None,
    });
    (ev.facts, v)
}

/// Evaluates `program` on `facts` as of `as_of` (which selects the parameter
/// versions and the rules in force).
pub fn evaluate(program: &Program, facts: Facts, as_of: jiff::civil::Date) -> Result<Evaluation<'_>, EvalError> {
    let (params, absent_params) = params_on(program, as_of);
    let n = program.schema.entities.len();
    let computed = (0..n)
        .map(|e| vec![vec![Value::Bool(false); program.entities[e].computed.len()]; facts.count(e as EntityId)])
        .collect();
    let verdicts = (0..n)
        .map(|e| vec![Verdict::Pass; facts.count(e as EntityId)])
        .collect();
    let listed = (0..n).map(|e| vec![true; facts.count(e as EntityId)]).collect();
    let results = program
        .rules
        .iter()
        .map(|r| Vec::with_capacity(facts.count(r.entity)))
        .collect();
    let explains = program.lets.iter().map(|_| Vec::new()).collect();
    let determined = facts.determined.iter().map(|&(r, i, d)| ((r, i), d)).collect();
    let mut ev = Evaluation {
        program,
        facts,
        as_of,
        params,
        computed,
        results,
        explains,
        verdicts,
        listed,
        determined,
        unused_determinations: Vec::new(),
        absent_params,
    };
    for step in &program.plan {
        match *step {
            Step::Let(id) => ev.run_let(id)?,
            Step::Rule(id) => ev.run_rule(id)?,
            Step::Status(e) => ev.run_status(e)?,
        }
    }
    Ok(ev)
}

/// The values of the parameters in force on `date`, and the parameters the
/// rules read that have none then (an unknown value; a rule that reads one
/// is not in force).
fn params_on(program: &Program, date: jiff::civil::Date) -> (Vec<Value>, Vec<ParamId>) {
    let mut absent = Vec::new();
    let values = program
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| match p.versions.iter().find(|v| v.in_force(date)) {
            Some(v) => v.value.clone(),
            None => {
                if program.params_used[i] {
                    absent.push(i as ParamId);
                }
                Value::unknown(Missing::default())
            }
        })
        .collect();
    (values, absent)
}

/// The evaluation state of one expression: its frame of locals, and the
/// missing facts it met (to say which did not matter).
pub(crate) struct Frame {
    pub slots: Vec<Value>,
    pub touched: Missing,
}

impl<'p> Evaluation<'p> {
    /// A frame for instance `index` of `entity`, with its `for` variables bound.
    pub(crate) fn frame(&self, entity: EntityId, index: u32, size: u32) -> Frame {
        let depth = self.program.entities[entity as usize].binding_depth as usize;
        let mut slots = vec![Value::Bool(false); (size as usize).max(depth)];
        let (mut e, mut i) = (entity, index);
        let mut d = depth;
        // The `for` variables are the entities with a scope on the owner
        // chain (an owner without one, like an object holding a list, is
        // skipped).
        while d > 0 {
            if self.program.entities[e as usize].binding_depth as usize == d {
                d -= 1;
                slots[d] = Value::Entity(i);
            }
            match self.program.schema.entity(e).owner {
                Some((owner, _)) => {
                    i = self.facts.parent[e as usize][i as usize];
                    e = owner;
                }
                None => break,
            }
        }
        Frame {
            slots,
            touched: Missing::default(),
        }
    }

    fn run_let(&mut self, id: LetId) -> Result<(), EvalError> {
        let l = &self.program.lets[id as usize];
        for i in 0..self.facts.count(l.entity) as u32 {
            let mut f = self.frame(l.entity, i, l.frame_size);
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
            if r.params.iter().any(|p| self.absent_params.contains(p)) {
                self.results[id as usize].push(RuleResult::out_of_force());
                continue;
            }
            let mut f = self.frame(r.entity, i, r.frame_size);
            let mut result = self.rule(r, &mut f)?;
            self.determine(id, i, &mut result);
            self.results[id as usize].push(result);
        }
        Ok(())
    }

    /// A reviewer's determination closes a `review`: `accept` makes it
    /// `pass`, `reject` makes it `fail`. One for a rule that is not `review`
    /// closes nothing, and the decision says so.
    fn determine(&mut self, rule: RuleId, instance: u32, result: &mut RuleResult) {
        let (Some(&d), Some(decl)) = (
            self.determined.get(&(rule, instance)),
            &self.program.kind.determinations,
        ) else {
            return;
        };
        if result.status != RuleStatus::Review {
            if self.program.rules[rule as usize].judged {
                // The rule read the judgment and decided with it.
                result.determination = Some(d);
            } else {
                self.unused_determinations.push((d, result.status));
            }
            return;
        }
        let accepted = *self.facts.field(decl.entity, d, decl.decision) == Value::Enum(decl.accept);
        result.status = if accepted { RuleStatus::Pass } else { RuleStatus::Fail };
        result.determination = Some(d);
    }

    /// An entity's verdict: its rules' statuses and the verdicts of the
    /// entities listed under it, combined as [`crate::verdict`] says.
    fn run_status(&mut self, e: EntityId) -> Result<(), EvalError> {
        let program = self.program;
        let info = &program.entities[e as usize];
        let Some(slot) = info.status_slot else { return Ok(()) };
        if let Some(entry) = &info.entry
            && let Some(filter) = &entry.filter
        {
            for i in 0..self.facts.count(e) as u32 {
                let mut f = self.frame(e, i, entry.filter_frame);
                // An unknown filter lists the entity: nothing is dropped unseen.
                self.listed[e as usize][i as usize] = self.eval(filter, &mut f)?.tri() != Tri::False;
            }
        }
        let n = self.facts.count(e);
        let mut verdicts = vec![Verdict::Pass; n];
        // Each instance's missing facts, gathered and sorted once (a
        // document holds thousands of projects).
        let mut missing: Vec<Vec<PathId>> = vec![Vec::new(); n];
        for r in &info.rules {
            for (i, res) in self.results[*r as usize].iter().enumerate() {
                if let Some(v) = Verdict::of_rule(res.status) {
                    verdicts[i] = verdicts[i].and(v);
                }
                if res.status == RuleStatus::Unknown {
                    missing[i].extend_from_slice(&res.missing.0);
                }
            }
        }
        for c in &info.children {
            let child = &program.entities[*c as usize];
            let set_aside = child.entry.as_ref().is_some_and(|x| x.set_aside);
            for j in 0..self.facts.count(*c) {
                if !self.listed[*c as usize][j] {
                    continue;
                }
                let Some(v) = self.verdicts[*c as usize][j].contribution(set_aside) else {
                    continue;
                };
                let a = self.ancestor(*c, j as u32, e) as usize;
                verdicts[a] = verdicts[a].and(v);
                if v == Verdict::Unknown
                    && let Some(cs) = child.status_slot
                {
                    missing[a].extend(self.computed[*c as usize][j][cs as usize].missing().0);
                }
            }
        }
        for (i, v) in verdicts.iter().enumerate() {
            self.computed[e as usize][i][slot as usize] = match v.variant() {
                Some(x) => Value::Enum(x),
                None => Value::unknown(Missing::from_paths(std::mem::take(&mut missing[i]))),
            };
        }
        self.verdicts[e as usize] = verdicts;
        Ok(())
    }

    /// The instance of `ancestor` that holds instance `index` of `e`.
    pub(crate) fn ancestor(&self, mut e: EntityId, mut index: u32, ancestor: EntityId) -> u32 {
        while e != ancestor {
            match self.program.schema.entity(e).owner {
                Some((owner, _)) => {
                    index = self.facts.parent[e as usize][index as usize];
                    e = owner;
                }
                None => return 0,
            }
        }
        index
    }

    /// The values of a message's holes (Japanese first, then English).
    pub(crate) fn holes(&self, m: &Message, f: &mut Frame) -> Result<Vec<Value>, EvalError> {
        m.holes().map(|h| self.eval(&h.node, f)).collect()
    }

    fn err(&self, span: Span, message: impl Into<String>) -> EvalError {
        EvalError {
            span,
            message: message.into(),
        }
    }

    pub(crate) fn eval(&self, n: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        let eval = |n: &Node, f: &mut Frame| self.eval(n, f);
        let facts = &self.facts;
        Ok(match n {
            Node::Const(v) => v.clone(),
            Node::Param(p) => self.params[*p as usize].clone(),
            Node::Local(s) => f.slots[*s as usize].clone(),
            Node::Root => Value::Entity(0),
            Node::Fact(base, e, idx) => match eval(base, f)? {
                Value::Entity(i) => self.read(f, &facts.rows[*e as usize][i as usize][*idx as usize]),
                other => other,
            },
            Node::Computed(base, e, slot) => match eval(base, f)? {
                Value::Entity(i) => self.read(f, &self.computed[*e as usize][i as usize][*slot as usize]),
                other => other,
            },
            Node::MuniAttr(base, attr) => match eval(base, f)? {
                Value::Municipality(m) => ops::muni_attr(m, *attr),
                other => other,
            },
            Node::Not(x) => match eval(x, f)?.tri() {
                Tri::True => Value::Bool(false),
                Tri::False => Value::Bool(true),
                u => u.value(),
            },
            Node::Neg(x, span) => {
                ops::arith(ArithOp::Sub, &Value::Num(Decimal::ZERO), &eval(x, f)?).map_err(|m| self.err(*span, m))?
            }
            Node::And(a, b) => self.and(a, b, f)?,
            Node::Or(a, b) => self.or(a, b, f)?,
            Node::Cmp(op, a, b, _) => {
                let (x, y) = (eval(a, f)?, eval(b, f)?);
                ops::compare(*op, &x, &y).value()
            }
            Node::Arith(op, a, b, span) => {
                let (x, y) = (eval(a, f)?, eval(b, f)?);
                ops::arith(*op, &x, &y).map_err(|m| self.err(*span, m))?
            }
            Node::In(x, list) => {
                let (x, list) = (eval(x, f)?, eval(list, f)?);
                ops::contains(&list, &x).value()
            }
            // A default and a presence test read the fact on purpose: its
            // absence is handled, so it is not a missing fact of the rule.
            Node::Default(a, b) => match self.eval_quiet(a, f)? {
                Value::Unknown(_) => eval(b, f)?,
                v => v,
            },
            Node::Present(a) => Value::Bool(!self.eval_quiet(a, f)?.is_unknown()),
            Node::If(c, t, e) => match eval(c, f)?.tri() {
                Tri::True => eval(t, f)?,
                Tri::False => eval(e, f)?,
                Tri::Unknown(m) => ops::either(&m, &eval(t, f)?, &eval(e, f)?),
            },
            Node::List(items) => {
                let elems = items
                    .iter()
                    .map(|i| Ok(Elem::sure(eval(i, f)?)))
                    .collect::<Result<Vec<_>, EvalError>>()?;
                Value::list(elems)
            }
            Node::Comprehension {
                head,
                slot,
                iter,
                filter,
            } => self.comprehension(head, *slot, iter, filter.as_deref(), f)?,
            Node::Table(t, key, span) => match eval(key, f)? {
                Value::Enum(v) => {
                    let table = &self.program.tables[*t as usize];
                    table.entries[v as usize]
                        .clone()
                        .or_else(|| table.otherwise.clone())
                        .ok_or_else(|| self.err(*span, format!("table `{}` has no entry for this key", table.name)))?
                }
                Value::Other(_) => {
                    let table = &self.program.tables[*t as usize];
                    table
                        .otherwise
                        .clone()
                        .ok_or_else(|| self.err(*span, format!("table `{}` has no `else` entry", table.name)))?
                }
                other => other,
            },
            Node::Call(b, args, span) => {
                // Builtins take one to three arguments: no list allocated for them.
                let r = match &args[..] {
                    [a] => ops::builtin(*b, &[eval(a, f)?]),
                    [a, b2] => ops::builtin(*b, &[eval(a, f)?, eval(b2, f)?]),
                    [a, b2, c] => ops::builtin(*b, &[eval(a, f)?, eval(b2, f)?, eval(c, f)?]),
                    _ => {
                        let vals = args.iter().map(|a| eval(a, f)).collect::<Result<Vec<_>, EvalError>>()?;
                        ops::builtin(*b, &vals)
                    }
                };
                r.map_err(|m| self.err(*span, m))?
            }
            Node::Outcome => {
                let root = self.program.schema.root;
                let slot = self.program.entities[root as usize].status_slot;
                match (slot, self.computed.get(root as usize).and_then(|c| c.first())) {
                    (Some(s), Some(row)) => self.read(f, &row[s as usize]),
                    _ => Value::unknown(Missing::default()),
                }
            }
            Node::Judgment(r) => Value::Enum(match self.determined.get(&(*r, 0)) {
                None => JUDGMENT_UNDECIDED,
                Some(&d) => {
                    let decl = self
                        .program
                        .kind
                        .determinations
                        .as_ref()
                        .expect("determinations were read");
                    if *self.facts.field(decl.entity, d, decl.decision) == Value::Enum(decl.accept) {
                        JUDGMENT_ACCEPTED
                    } else {
                        JUDGMENT_REJECTED
                    }
                }
            }),
            Node::Failed(rules) => {
                let n = rules
                    .iter()
                    .filter(|r| {
                        self.results[**r as usize]
                            .first()
                            .is_some_and(|x| x.status == RuleStatus::Fail)
                    })
                    .count();
                Value::Num(Decimal::from(n))
            }
            Node::StatusOf(r) => match self.results.get(*r as usize).and_then(|x| x.first()) {
                Some(res) => Value::Enum(res.status.index()),
                None => Value::unknown(Missing::default()),
            },
        })
    }

    /// Evaluates without noting the missing facts met.
    fn eval_quiet(&self, n: &Node, f: &mut Frame) -> Result<Value, EvalError> {
        let before = std::mem::take(&mut f.touched);
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
        slot: Slot,
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
