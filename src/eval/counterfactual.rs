//! What would change a rule's result, read off its own clauses: for a rule
//! that fails (or is for review), the conditions of the clauses that decided
//! it and how each would have to change for them not to hold (or for their
//! exception to hold); for a rule that passes, how far each failing clause's
//! comparison is from holding (the support years left, say). Nothing here
//! knows a rule: it walks the compiled conditions (`and`, `or`, `not`,
//! comparisons, yes/no facts, and the lets they read) with the values of
//! this evaluation.

use super::{EvalError, Evaluation, Frame};
use crate::program::{CmpOp, ComputedKind, Node, Rule, Slot};
use crate::source::Span;
use crate::syntax::ast::Outcome;
use crate::text::Text;
use crate::value::{Tri, Value};

/// Why a flip is listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Ways for a failing (or reviewed) rule's deciding clause not to hold.
    ToPass,
    /// How far a passing rule is from one of its failing clauses holding.
    Margin,
}

/// One condition and the value it would need.
#[derive(Clone, Debug)]
pub(crate) enum Flip {
    /// `left op right` must come out `want`.
    Compare {
        op: CmpOp,
        want: bool,
        left: Value,
        right: Value,
        spans: [Span; 2],
        ty: crate::program::Ty,
        /// What the left side is, in words, when it is an input field or a
        /// step with a label.
        left_name: Option<Text>,
        /// The right side is a literal of the rule (`count(x) > 0`), not a
        /// figure of the document or a parameter.
        right_literal: bool,
        /// The right side reads a parameter of the guidelines (a limit
        /// such as `support_years`), not another figure of the document.
        right_param: bool,
    },
    /// A yes/no value must become `to`.
    Bool { name: Text, to: bool },
}

/// The flips found for one clause of a rule.
#[derive(Clone, Debug)]
pub(crate) struct FlipSet {
    pub clause: u32,
    pub purpose: Purpose,
    /// Any one of these changes the clause's condition (for `ToPass`; for a
    /// clause with an exception, making the exception hold is one of them).
    pub alternatives: Vec<Flip>,
}

/// How deep a condition is followed through the lets it reads.
const MAX_DEPTH: u32 = 8;

impl Evaluation<'_> {
    /// The flips of rule `id` for instance `index` of its entity, from its
    /// result: computed only for a decision that is not a plain pass, so
    /// deciding stays as fast as it was.
    pub(crate) fn rule_flips(&self, id: crate::program::RuleId, index: u32) -> Result<Vec<FlipSet>, EvalError> {
        let r = &self.program.rules[id as usize];
        let res = &self.results[id as usize][index as usize];
        if res.not_in_force || res.determination.is_some() {
            return Ok(Vec::new());
        }
        let mut f = self.frame(r.entity, index, r.frame_size);
        for (slot, node) in &r.lets {
            f.slots[*slot as usize] = self.eval(node, &mut f)?;
        }
        let also: Vec<u32> = res.also.iter().map(|(c, _)| *c).collect();
        self.flips_of(r, &mut f, res.status, res.clause, &also)
    }

    /// The flips of a rule just decided, for its result `status`, decided by
    /// `clause` with the later clauses `also` of the same outcome.
    fn flips_of(
        &self,
        r: &Rule,
        f: &mut Frame,
        status: crate::verdict::RuleStatus,
        decided: Option<u32>,
        also: &[u32],
    ) -> Result<Vec<FlipSet>, EvalError> {
        use crate::verdict::RuleStatus as S;
        let mut out = Vec::new();
        match (status, decided) {
            (S::Fail | S::Review, Some(c)) => {
                for i in std::iter::once(c).chain(also.iter().copied()) {
                    let clause = &r.clauses[i as usize];
                    let mut alternatives = Vec::new();
                    if let Some(g) = &clause.guard {
                        self.flips(g, f, &r.local_labels, false, 0, &mut alternatives)?;
                    }
                    if let Some((e, _)) = &clause.unless {
                        self.flips(e, f, &r.local_labels, true, 0, &mut alternatives)?;
                    }
                    if !alternatives.is_empty() {
                        out.push(FlipSet {
                            clause: i,
                            purpose: Purpose::ToPass,
                            alternatives,
                        });
                    }
                }
            }
            (S::Pass, _) => {
                for (i, clause) in r.clauses.iter().enumerate() {
                    let Some(g) = clause.guard.as_ref().filter(|_| clause.outcome == Outcome::Fail) else {
                        continue;
                    };
                    let mut found = Vec::new();
                    self.flips(g, f, &r.local_labels, true, 0, &mut found)?;
                    found.retain(|x| matches!(x, Flip::Compare { .. }));
                    if !found.is_empty() {
                        out.push(FlipSet {
                            clause: i as u32,
                            purpose: Purpose::Margin,
                            alternatives: found,
                        });
                    }
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// The changes that would make `n` come out `want`, when it does not.
    fn flips(
        &self,
        n: &Node,
        f: &mut Frame,
        labels: &[(Slot, Text)],
        want: bool,
        depth: u32,
        out: &mut Vec<Flip>,
    ) -> Result<(), EvalError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let now = self.eval(n, f)?.tri();
        let holds = match now {
            Tri::True => true,
            Tri::False => false,
            Tri::Unknown(_) => return Ok(()),
        };
        if holds == want {
            return Ok(());
        }
        match n {
            // `a and b` false: each part that holds; true: each that does not.
            Node::And(a, b) | Node::Or(a, b) => {
                self.flips(a, f, labels, want, depth + 1, out)?;
                self.flips(b, f, labels, want, depth + 1, out)?;
            }
            Node::Not(x) => self.flips(x, f, labels, !want, depth + 1, out)?,
            Node::Cmp(op, a, b, info) => {
                let (left, right) = (self.eval(a, f)?, self.eval(b, f)?);
                out.push(Flip::Compare {
                    op: *op,
                    want,
                    left,
                    right,
                    spans: info.spans,
                    ty: info.ty.clone(),
                    left_name: self.name_of(a, f, labels)?,
                    right_literal: matches!(**b, Node::Const(_)),
                    right_param: reads_param(b),
                });
            }
            Node::If(c, t, e) => match self.eval(c, f)?.tri() {
                Tri::True => self.flips(t, f, labels, want, depth + 1, out)?,
                Tri::False => self.flips(e, f, labels, want, depth + 1, out)?,
                Tri::Unknown(_) => {}
            },
            Node::Computed(base, e, slot) => {
                // A yes/no let: follow it into its own definition.
                let Value::Entity(i) = self.eval(base, f)? else {
                    return Ok(());
                };
                let info = &self.program.entities[*e as usize];
                if let Some(ComputedKind::Let(id)) = info.computed.get(*slot as usize).map(|c| &c.kind) {
                    let l = &self.program.lets[*id as usize];
                    let mut inner = self.frame(*e, i, l.frame_size);
                    let before = out.len();
                    self.flips(&l.node, &mut inner, &[], want, depth + 1, out)?;
                    if out.len() == before {
                        out.push(Flip::Bool {
                            name: l.label.clone().unwrap_or_else(|| Text::same(format!("`{}`", l.name))),
                            to: want,
                        });
                    }
                }
            }
            Node::Fact(..) => {
                if let Some(name) = self.name_of(n, f, labels)? {
                    out.push(Flip::Bool { name, to: want });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What a value is, in words: an input field (its label and path), a
    /// let with a `label` (the rule's own, by its slot in `labels`), or a
    /// step of a derivation with an `explain` label.
    fn name_of(&self, n: &Node, f: &mut Frame, labels: &[(Slot, Text)]) -> Result<Option<Text>, EvalError> {
        Ok(match n {
            Node::Local(s) => labels.iter().find(|(x, _)| x == s).map(|(_, t)| t.clone()),
            // `count(list)`: the number of what the list is.
            Node::Call(crate::program::Builtin::Count, args, _) if args.len() == 1 => {
                // A field's label is a description ("which cases … apply"),
                // a let's a noun ("members not in the council").
                let field = matches!(args[0], Node::Fact(..));
                self.name_of(&args[0], f, labels)?.map(|n| {
                    let en = if field {
                        format!("Entries of: {}", n.en)
                    } else {
                        format!("Number of {}", lower_first(&n.en))
                    };
                    Text::new(format!("{}の数", n.ja), en)
                })
            }
            Node::Fact(base, e, idx) => match self.eval(base, f)? {
                Value::Entity(i) => {
                    let field = self.program.schema.field(*e, *idx);
                    let path = &self.facts.instance_paths[*e as usize][i as usize];
                    let path = if path.is_empty() {
                        field.name.clone()
                    } else {
                        format!("{path}.{}", field.name)
                    };
                    Some(match &field.label {
                        Some(l) => Text::new(format!("{}（{path}）", l.ja), format!("{} ({path})", l.en)),
                        None => Text::same(path),
                    })
                }
                _ => None,
            },
            Node::Computed(base, e, slot) => {
                let info = &self.program.entities[*e as usize];
                match info.computed.get(*slot as usize).map(|c| &c.kind) {
                    Some(ComputedKind::Let(id)) => {
                        let l = &self.program.lets[*id as usize];
                        if let Some(label) = &l.label {
                            return Ok(Some(label.clone()));
                        }
                        let Some((m, _)) = &l.explain else {
                            return Ok(None);
                        };
                        // The step's words with this instance's values
                        // (事業「地域防災体制の充実」の…), as the derivation says.
                        let Value::Entity(i) = self.eval(base, f)? else {
                            return Ok(None);
                        };
                        let args = self.explains[*id as usize]
                            .get(i as usize)
                            .map(Vec::as_slice)
                            .unwrap_or(&[]);
                        Some(self.render(m, args))
                    }
                    _ => None,
                }
            }
            _ => None,
        })
    }
}

/// "Policy fields …" as it reads after "Number of".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Whether a value is computed from a parameter (`support_years`,
/// `member_count * national_scheme_share`).
fn reads_param(n: &Node) -> bool {
    let mut found = false;
    n.walk(&mut |x| found |= matches!(x, Node::Param(_)));
    found
}
