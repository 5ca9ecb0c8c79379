//! Builds the decision from an [`Evaluation`], for any kind: the document's
//! verdict in its kind's words, the shown values, the top-level rules, and
//! each listed entity with its own.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::{
    AmendmentEntry, Because, CheckItem, CheckState, Datum, Decision, DeterminationEntry, Entry, EntryList, Field,
    MissingEntry, ParamEntry, Remark, RuleEntry, RuleText, StepEntry,
};
use crate::eval::{EvalError, Evaluation, RuleResult};
use crate::explain::yen;
use crate::program::{Rule, Show, ShowItem, ShowValue, Ty};
use crate::schema::EntityId;
use crate::syntax::ast::Outcome as ClauseKind;
use crate::text::Text;
use crate::value::{Missing, PathId, Value};
use crate::verdict::{RuleStatus, Verdict};

/// Builds the decision. Fails only when the rules produce a value a decision
/// cannot show as declared (an amount that is not whole yen: a fault in the
/// rules).
pub fn decide(ev: &Evaluation, input_sha256: String) -> Result<Decision, EvalError> {
    let p = ev.program;
    let root = p.schema.root;
    let a = Assembler::new(ev);
    let verdict = ev.verdicts[root as usize][0];
    let word = &p.kind.outcomes[verdict.word_index()];
    let rules: Vec<RuleEntry> = a
        .rules_of(root, 0)
        .iter()
        .map(|(r, res)| a.rule_entry(r, res, None, None))
        .collect();
    let lists = a.lists(root, 0)?;
    let mut missing = Vec::new();
    a.missing(root, 0, &mut missing);
    let missing = Missing::from_paths(missing);
    let mut outcome_reason = a.outcome_reason(verdict, &rules, &lists);
    let closed: Vec<Text> = a
        .checklist
        .borrow()
        .iter()
        .filter_map(|c| c.determination.as_ref().map(|d| (c, d)))
        .map(|(c, d)| {
            let of = c.of.as_deref().map(|o| format!("{o} ")).unwrap_or_default();
            let t = determination_text(d);
            Text::new(
                format!("{of}{} — {}", c.rule, t.ja),
                format!("{of}{} — {}", c.rule, t.en),
            )
        })
        .collect();
    if !closed.is_empty() {
        let list = Text::list(&closed);
        outcome_reason = Text::new(
            format!("{}（{}）", outcome_reason.ja, list.ja),
            format!("{} ({})", outcome_reason.en, list.en),
        );
    }
    let mut fields = Vec::new();
    for item in &p.shows {
        match item {
            ShowItem::Show(s) => fields.push(a.field(s, root, 0)?),
            ShowItem::Group { name, label, shows } => {
                let inner: Vec<Field> = shows.iter().map(|s| a.field(s, root, 0)).collect::<Result<_, _>>()?;
                let shown = Text::new(
                    inner
                        .iter()
                        .filter(|f| !f.withheld)
                        .map(|f| format!("{}：{}", f.label.ja, f.shown.ja))
                        .collect::<Vec<_>>()
                        .join("、"),
                    inner
                        .iter()
                        .filter(|f| !f.withheld)
                        .map(|f| format!("{}: {}", f.label.en, f.shown.en))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                fields.push(Field {
                    key: name.clone(),
                    label: label.clone(),
                    value: Datum::Record(inner.into_iter().map(|f| (f.key.to_string(), f.value)).collect()),
                    shown,
                    withheld: false,
                });
            }
        }
    }
    let mut d = Decision {
        kind: p.kind.format.clone(),
        kind_title: p.kind.title.clone(),
        outcome: word.word.to_string(),
        verdict,
        outcome_label: (*word.label).clone(),
        outcome_reason,
        fields,
        rules_label: p.kind.rules_label.clone(),
        rules,
        lists,
        derivation: a.steps(root, 0),
        missing: ev.paths(&missing),
        missing_details: missing.0.iter().map(|m| a.missing_entry(*m)).collect(),
        warnings: {
            let mut w = a.warnings.take();
            w.extend(a.unused_determinations());
            w
        },
        checklist: a.checklist.take(),
        parameters: a.parameters(),
        amendments: a.amendments(),
        rule_texts: p
            .rules
            .iter()
            .filter_map(|r| {
                Some(RuleText {
                    id: r.id.clone(),
                    title: r
                        .title
                        .clone()
                        .unwrap_or_else(|| Arc::new(Text::same(r.id.to_string()))),
                    citation: r.cite_text.clone(),
                    text: r.quote.clone()?,
                })
            })
            .collect(),
        rules_title: p.kind.title.clone(),
        rules_version: p.kind.version.clone(),
        rules_as_of: ev.as_of.to_string(),
        document_as_of: None,
        rules_sha256: p.sha256.clone(),
        input_sha256,
        workbook_sha256: None,
        counterfactuals: Vec::new(),
    };
    d.counterfactuals = super::counterfactuals::of(ev, &d)?;
    Ok(d)
}

struct Assembler<'e, 'p> {
    ev: &'e Evaluation<'p>,
    /// child entity → instance of its entry parent → its instances, in order
    children: HashMap<EntityId, HashMap<u32, Vec<u32>>>,
    /// Warnings and the reviewer's checklist, gathered as the rules are
    /// shown (the document's first, then each listed entity's).
    warnings: RefCell<Vec<Remark>>,
    checklist: RefCell<Vec<CheckItem>>,
}

impl<'e, 'p> Assembler<'e, 'p> {
    fn new(ev: &'e Evaluation<'p>) -> Self {
        let mut children: HashMap<EntityId, HashMap<u32, Vec<u32>>> = HashMap::new();
        for (c, info) in ev.program.entities.iter().enumerate() {
            let Some(entry) = &info.entry else { continue };
            let by_parent = children.entry(c as EntityId).or_default();
            for j in 0..ev.facts.count(c as EntityId) as u32 {
                let a = ev.ancestor(c as EntityId, j, entry.parent);
                by_parent.entry(a).or_default().push(j);
            }
        }
        Assembler {
            ev,
            children,
            warnings: RefCell::new(Vec::new()),
            checklist: RefCell::new(Vec::new()),
        }
    }

    /// The instances of `child` listed under instance `i` of its parent.
    fn instances(&self, child: EntityId, i: u32) -> impl Iterator<Item = u32> + '_ {
        self.children
            .get(&child)
            .and_then(|m| m.get(&i))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |j| self.ev.listed[child as usize][*j as usize])
    }

    /// The rules of one entity instance, with their results, in declaration order.
    fn rules_of(&self, entity: EntityId, index: u32) -> Vec<(&'p Rule, &'e RuleResult)> {
        let p = self.ev.program;
        p.entities[entity as usize]
            .rules
            .iter()
            .map(|r| (&p.rules[*r as usize], &self.ev.results[*r as usize][index as usize]))
            .collect()
    }

    /// The lists of entities under instance `i` of `e`, by key, in
    /// declaration order (entities sharing a key are merged).
    fn lists(&self, e: EntityId, i: u32) -> Result<Vec<EntryList>, EvalError> {
        let p = self.ev.program;
        let mut out: Vec<EntryList> = Vec::new();
        for c in &p.entities[e as usize].children {
            let Some(entry) = &p.entities[*c as usize].entry else {
                continue;
            };
            let entries = self
                .instances(*c, i)
                .map(|j| self.entry(*c, j))
                .collect::<Result<Vec<_>, _>>()?;
            match out.iter_mut().find(|l| l.key == entry.key) {
                Some(l) => l.entries.extend(entries),
                None => out.push(EntryList {
                    key: entry.key.clone(),
                    label: entry.label.clone(),
                    entries,
                }),
            }
        }
        Ok(out)
    }

    fn entry(&self, e: EntityId, j: u32) -> Result<Entry, EvalError> {
        let ev = self.ev;
        let info = &ev.program.entities[e as usize];
        let entry = info.entry.as_ref().expect("listed entities have an entry");
        let verdict = ev.verdicts[e as usize][j as usize];
        let word = &entry.words[verdict.word_index()];
        let rules = self.rules_of(e, j);
        let title = &ev.facts.titles[e as usize][j as usize];
        let of = format!("{}「{}」", entry.label.ja, title);
        let at = &ev.facts.instance_paths[e as usize][j as usize];
        let entries: Vec<RuleEntry> = rules
            .iter()
            .map(|(r, res)| self.rule_entry(r, res, Some(&of), Some(at)))
            .collect();
        let deciding = deciding(&entries);
        // A passing entity with several rules passes them all: no one of
        // them is its reason.
        let applied = entries.iter().filter(|r| r.status != RuleStatus::NotApplicable).count();
        let all_pass = verdict == Verdict::Pass && applied > 1;
        let fields = entry
            .shows
            .iter()
            .map(|s| self.field(s, e, j))
            .collect::<Result<Vec<_>, _>>()?;
        let path = ev.facts.instance_paths[e as usize][j as usize].clone();
        Ok(Entry {
            title: if title.is_empty() { path.clone() } else { title.clone() },
            path,
            status: word.word.clone(),
            status_label: word.label.clone(),
            verdict,
            fields,
            because: match (all_pass, deciding) {
                (true, _) => Because::AllPass,
                (false, Some(i)) => Because::Rule(i),
                (false, None) => Because::Nothing,
            },
            rules: entries,
            lists: self.lists(e, j)?,
            derivation: self.steps(e, j),
            cell: None,
        })
    }

    /// A shown value of instance `i` of `e`.
    fn field(&self, s: &Show, e: EntityId, i: u32) -> Result<Field, EvalError> {
        let ev = self.ev;
        let mut f = ev.frame(e, i, s.frame_size);
        if let Some(cond) = &s.when
            && ev.eval(cond, &mut f)? != Value::Bool(true)
        {
            return Ok(Field {
                key: s.name.clone(),
                label: s.label.clone(),
                value: Datum::Null,
                shown: Text::new("—", "—"),
                withheld: true,
            });
        }
        let (value, shown) = match &s.value {
            ShowValue::Expr(node, ty) => {
                let v = ev.eval(node, &mut f)?;
                (self.datum(&v, ty, s)?, ev.show_text(&v, ty))
            }
            ShowValue::Rules(prefix) => self.rule_statuses(prefix),
        };
        Ok(Field {
            key: s.name.clone(),
            label: s.label.clone(),
            value,
            shown,
            withheld: false,
        })
    }

    /// `rules("prefix.")`: each top-level rule under the prefix, with its status.
    fn rule_statuses(&self, prefix: &str) -> (Datum, Text) {
        let root = self.ev.program.schema.root;
        let mut items = Vec::new();
        let mut shown = Vec::new();
        for (r, res) in self.rules_of(root, 0) {
            if let Some(id) = r.id.strip_prefix(prefix) {
                items.push(Datum::Record(vec![
                    ("id".into(), Datum::Code(id.to_string())),
                    ("status".into(), Datum::Code(res.status.code().into())),
                ]));
                let title = r.title.as_deref().cloned().unwrap_or_else(|| Text::same(id));
                shown.push(Text::new(
                    format!("{}：{}", title.ja, status_ja(res.status)),
                    format!("{}: {}", title.en, res.status.code()),
                ));
            }
        }
        (Datum::List(items), Text::list(&shown))
    }

    /// A value as a typed datum.
    fn datum(&self, v: &Value, ty: &Ty, s: &Show) -> Result<Datum, EvalError> {
        let ev = self.ev;
        Ok(match (v, ty) {
            (Value::Unknown(_), _) => Datum::Null,
            (Value::Num(n), Ty::Money) if !n.fract().is_zero() => {
                return Err(EvalError {
                    span: s.span,
                    message: format!(
                        "`{}` is {n} yen, not a whole number of yen: round it explicitly (floor(x, 1円))",
                        s.name
                    ),
                });
            }
            (Value::Num(n), Ty::Money) => Datum::Money(*n),
            (Value::Num(n), Ty::Ratio) => Datum::Ratio(*n),
            (Value::Num(n), _) => Datum::Int(*n),
            (Value::Bool(b), _) => Datum::Bool(*b),
            (Value::Date(d), _) => Datum::Date(*d),
            (Value::FiscalYear(y), _) => Datum::FiscalYear(*y),
            (Value::Text(t), _) | (Value::Other(t), _) => Datum::Text(t.to_string()),
            (Value::Enum(i), Ty::Enum(e)) => {
                Datum::Code(ev.program.enums[*e as usize].variants[*i as usize].code.clone())
            }
            (Value::Enum(i), _) => Datum::Int((*i).into()),
            (Value::Municipality(m), _) => Datum::Text(crate::reference::hokkaido().name(*m).to_string()),
            (Value::Entity(_), _) => Datum::Text(ev.show_text(v, ty).ja),
            (Value::List(items), ty) => {
                let inner = match ty {
                    Ty::List(t) => (**t).clone(),
                    _ => Ty::Error,
                };
                Datum::List(
                    items
                        .iter()
                        .map(|e| self.datum(&e.value, &inner, s))
                        .collect::<Result<_, _>>()?,
                )
            }
        })
    }

    /// A rule's result as the decision shows it; its warnings and, for a
    /// rule a reviewer decides, its checklist line are gathered on the way.
    fn rule_entry(&self, r: &Rule, res: &RuleResult, of: Option<&str>, at: Option<&Arc<str>>) -> RuleEntry {
        let ev = self.ev;
        let mut citations: Vec<Arc<str>> = Vec::new();
        let clauses = res.clause.iter().chain(res.also.iter().map(|(c, _)| c));
        for c in clauses {
            if let Some(text) = &r.clauses[*c as usize].cite_text
                && !citations.contains(text)
            {
                citations.push(text.clone());
            }
        }
        citations.extend(r.also_texts.iter().cloned());
        let determination = res.determination.map(|d| self.determination(d));
        let mut reason = self.reason(r, res);
        if let Some(d) = &determination {
            reason = Text::join(&[reason, determination_text(d)]);
        }
        for (c, args) in &res.remarks {
            if r.clauses[*c as usize].outcome == ClauseKind::Warn {
                self.warnings.borrow_mut().push(Remark {
                    rule: r.id.clone(),
                    title: rule_title(r),
                    citation: r.cite_text.clone(),
                    of: of.map(str::to_string),
                    status: res.status,
                    text: ev.render(&r.clauses[*c as usize].message, args),
                });
            }
        }
        let state = match (&determination, res.status) {
            (Some(d), _) if d.decision == "accept" => Some(CheckState::Accepted),
            (Some(_), _) => Some(CheckState::Rejected),
            (None, RuleStatus::Review) => Some(CheckState::Open),
            (None, _) if r.discretionary => Some(CheckState::NotRaised),
            _ => None,
        };
        if let Some(state) = state {
            let record = match (&ev.program.kind.determinations, state) {
                (Some(decl), CheckState::Open) => {
                    let fields = &ev.program.schema.entity(decl.entity).fields;
                    let name = |f: u32| &fields[f as usize].name;
                    let at = at
                        .map(|a| format!(", \"{}\": \"{a}\"", name(decl.at)))
                        .unwrap_or_default();
                    Some(format!(
                        "{{\"{}\": \"{}\"{at}, \"{}\": \"accept\" | \"reject\", \"{}\": \"…\", \"{}\": \"…\", \"{}\": \"…\"}}",
                        name(decl.rule),
                        r.id,
                        name(decl.decision),
                        name(decl.by),
                        name(decl.on),
                        name(decl.reason)
                    ))
                }
                _ => None,
            };
            self.checklist.borrow_mut().push(CheckItem {
                rule: r.id.clone(),
                title: rule_title(r),
                citation: r.cite_text.clone(),
                of: of.map(str::to_string),
                at: at.cloned(),
                state,
                status: res.status,
                text: reason.clone(),
                determination: determination.clone(),
                record,
                record_row: None,
            });
        }
        RuleEntry {
            id: r.id.clone(),
            title: r
                .title
                .clone()
                .unwrap_or_else(|| Arc::new(Text::same(r.id.to_string()))),
            status: res.status,
            citation: r.cite_text.clone(),
            citations,
            reason,
            summary: r
                .summary
                .as_ref()
                .map(|s| ev.render(s, &res.summary_args))
                .unwrap_or_default(),
            discretionary: r.discretionary,
            missing: ev.paths(&res.missing),
            missing_not_needed: ev.paths(&res.unneeded),
            values: self.shown_values(r, res),
            rule_source: r.location.clone(),
            clause_source: res.clause.map(|c| r.clauses[c as usize].location.clone()),
            determination,
            quote: r.quote.clone(),
        }
    }

    /// Determination `d` of the document, as a decision shows it.
    fn determination(&self, d: u32) -> DeterminationEntry {
        let ev = self.ev;
        let decl = ev
            .program
            .kind
            .determinations
            .as_ref()
            .expect("a determination was applied");
        let field = &ev.program.schema.entity(ev.program.schema.root).fields[decl.field as usize].name;
        let text = |f: u32| match ev.facts.field(decl.entity, d, f) {
            Value::Text(t) => Some(t.to_string()),
            _ => None,
        };
        let accepted = *ev.facts.field(decl.entity, d, decl.decision) == Value::Enum(decl.accept);
        DeterminationEntry {
            path: format!("{field}[{d}]"),
            decision: if accepted { "accept" } else { "reject" }.into(),
            by: text(decl.by).unwrap_or_default(),
            on: match ev.facts.field(decl.entity, d, decl.on) {
                Value::Date(x) => x.to_string(),
                _ => String::new(),
            },
            reason: text(decl.reason),
        }
    }

    /// Determinations of rules that were not for a reviewer: they closed
    /// nothing, and the decision says so.
    fn unused_determinations(&self) -> Vec<Remark> {
        let ev = self.ev;
        ev.unused_determinations
            .iter()
            .map(|&(d, status)| {
                let entry = self.determination(d);
                let rule = ev
                    .facts
                    .determined
                    .iter()
                    .find(|x| x.2 == d)
                    .map(|x| &ev.program.rules[x.0 as usize]);
                let id = rule.map(|r| r.id.clone()).unwrap_or_default();
                Remark {
                    rule: id.clone(),
                    title: rule.map(rule_title).unwrap_or_else(|| Arc::new(Text::same(id.to_string()))),
                    citation: rule.map(|r| r.cite_text.clone()).unwrap_or_default(),
                    of: None,
                    status,
                    text: Text::new(
                        format!(
                            "{} の判断（{}）は適用していません：ルール {id} は審査担当者の判断を要する結果（要審査）ではなく「{}」です",
                            entry.path,
                            if entry.decision == "accept" { "認める" } else { "認めない" },
                            status_ja(status)
                        ),
                        format!(
                            "{} ({}) was not applied: rule {id} is not for a reviewer to decide (it is {})",
                            entry.path,
                            entry.decision,
                            status.code()
                        ),
                    ),
                }
            })
            .collect()
    }

    /// The typed values of the message that gave the rule's reason.
    fn shown_values(&self, r: &Rule, res: &RuleResult) -> Vec<crate::explain::Shown> {
        let ev = self.ev;
        match (res.status, res.clause) {
            (RuleStatus::NotApplicable, _) if !res.not_in_force => r
                .applies
                .as_ref()
                .map(|(_, m)| ev.shown(m, &res.args))
                .unwrap_or_default(),
            (_, Some(c)) => ev.shown(&r.clauses[c as usize].message, &res.args),
            _ => Vec::new(),
        }
    }

    /// The reason shown for a rule: exceptions that applied, the deciding
    /// message and every other clause of its outcome that fired, notes, and
    /// which missing facts did not matter.
    fn reason(&self, r: &Rule, res: &RuleResult) -> Text {
        let ev = self.ev;
        if res.not_in_force {
            return Text::new(
                format!("{} 時点では施行されていません", ev.as_of),
                format!("Not in force on {}", ev.as_of),
            );
        }
        let mut parts: Vec<Text> = Vec::new();
        match (res.status, res.clause) {
            (RuleStatus::NotApplicable, _) => {
                if let Some((_, msg)) = &r.applies {
                    parts.push(ev.render(msg, &res.args));
                }
            }
            (RuleStatus::Unknown, _) => {
                let paths = ev.paths(&res.missing).join(", ");
                parts.push(Text::new(
                    format!("判断に必要な情報がありません：{paths}"),
                    format!("Cannot be decided: missing {paths}"),
                ));
            }
            (_, Some(c)) => {
                for (i, args) in &res.exceptions {
                    if let Some((_, Some(m))) = &r.clauses[*i as usize].unless {
                        parts.push(ev.render(m, args));
                    }
                }
                if res.exceptions.is_empty() || res.status != RuleStatus::Pass {
                    parts.push(ev.render(&r.clauses[c as usize].message, &res.args));
                }
                for (i, args) in &res.also {
                    parts.push(ev.render(&r.clauses[*i as usize].message, args));
                }
            }
            _ => {}
        }
        for (i, args) in &res.remarks {
            if r.clauses[*i as usize].outcome == ClauseKind::Note {
                parts.push(ev.render(&r.clauses[*i as usize].message, args));
            }
        }
        if !res.unneeded.is_empty() && res.status != RuleStatus::Unknown {
            let paths = ev.paths(&res.unneeded).join(", ");
            parts.push(Text::new(
                format!("（{paths} は不明ですが、結果は変わりません）"),
                format!("({paths} is not given, but it cannot change the result)"),
            ));
        }
        Text::join(&parts)
    }

    /// The missing facts that matter: those of the top-level rules and of
    /// every listed entity that counts (one set aside after failing does not).
    fn missing(&self, e: EntityId, i: u32, out: &mut Vec<PathId>) {
        for (_, res) in self.rules_of(e, i) {
            out.extend_from_slice(&res.missing.0);
        }
        let p = self.ev.program;
        for c in &p.entities[e as usize].children {
            let set_aside = p.entities[*c as usize].entry.as_ref().is_some_and(|x| x.set_aside);
            for j in self.instances(*c, i) {
                if set_aside && self.ev.verdicts[*c as usize][j as usize] == Verdict::Fail {
                    continue;
                }
                self.missing(*c, j, out);
            }
        }
    }

    /// Why the outcome is what it is: for a failure, what failed.
    fn outcome_reason(&self, verdict: Verdict, rules: &[RuleEntry], lists: &[EntryList]) -> Text {
        let p = self.ev.program;
        let word = &p.kind.outcomes[verdict.word_index()];
        let default = match verdict {
            Verdict::Pass => Text::new("全ての要件を満たしています", "Every requirement is met"),
            Verdict::Review => Text::new(
                "審査担当者の判断が必要な事項があります",
                "A reviewer must decide some points",
            ),
            Verdict::Unknown => Text::new(
                "判断に必要な情報が不足しています",
                "Information needed for the decision is missing",
            ),
            Verdict::Fail => Text::default(),
        };
        if verdict != Verdict::Fail {
            return word.because.clone().unwrap_or(default);
        }
        let mut failed: Vec<Text> = rules
            .iter()
            .filter(|r| r.status == RuleStatus::Fail)
            .map(|r| {
                if *r.title.ja == *r.id {
                    Text::new(
                        format!("{}（{}）", r.id, r.citation),
                        format!("{} ({})", r.id, r.citation),
                    )
                } else {
                    Text::new(
                        format!("{}（{}、{}）", r.title.ja, r.id, r.citation),
                        format!("{} ({}, {})", r.title.en, r.id, r.citation),
                    )
                }
            })
            .collect();
        for l in lists {
            for x in l.entries.iter().filter(|x| x.verdict == Verdict::Fail) {
                let set_aside = p
                    .entities
                    .iter()
                    .filter_map(|i| i.entry.as_ref())
                    .any(|en| en.key == l.key && en.set_aside);
                if !set_aside {
                    failed.push(Text::new(
                        format!("{}「{}」", l.label.ja, x.title),
                        format!("{} \"{}\"", l.label.en, x.title),
                    ));
                }
            }
        }
        let list = Text::list(&failed);
        match &word.because {
            Some(b) => Text::new(format!("{}：{}", b.ja, list.ja), format!("{}: {}", b.en, list.en)),
            None => Text::new(format!("{}を満たしていません", list.ja), format!("{} not met", list.en)),
        }
    }

    /// The explained steps (`let … explain …`) of one instance.
    fn steps(&self, e: EntityId, i: u32) -> Vec<StepEntry> {
        let ev = self.ev;
        let p = ev.program;
        let mut out = Vec::new();
        for let_id in &p.entities[e as usize].lets {
            let l = &p.lets[*let_id as usize];
            let Some((label, cite)) = &l.explain else { continue };
            let value = &ev.computed[e as usize][i as usize][l.slot as usize];
            out.push(StepEntry {
                name: l.name.clone(),
                label: ev.render(label, &ev.explains[*let_id as usize][i as usize]),
                formula: l.formula.clone(),
                value: ev.json(value, &l.ty),
                shown: ev.show_text(value, &l.ty),
                citation: cite.as_ref().map(|c| p.citation_text(c)),
            });
        }
        out
    }

    /// "夕張市（region.members[1]）：定住自立圏の取組を行っているか".
    fn missing_entry(&self, id: crate::value::PathId) -> MissingEntry {
        let ev = self.ev;
        let path = ev.facts.path(id).to_string();
        let (e, k) = ev.facts.fields[id as usize];
        let field = ev.program.schema.field(e, k);
        let label = field.label.clone().unwrap_or_else(|| Text::same(field.name.clone()));
        let owner = &ev.facts.owners[id as usize];
        let what = if owner.is_empty() {
            label
        } else {
            Text::new(format!("{owner}：{}", label.ja), format!("{owner}: {}", label.en))
        };
        MissingEntry { path, what, cell: None }
    }

    fn parameters(&self) -> Vec<ParamEntry> {
        let ev = self.ev;
        ev.program
            .params
            .iter()
            .zip(&ev.params)
            .zip(&ev.program.params_used)
            .filter(|(_, used)| **used)
            .map(|((p, v), _)| {
                let version = p.versions.iter().find(|x| x.in_force(ev.as_of));
                ParamEntry {
                    name: p.shown.name.clone(),
                    label: p.shown.label.clone(),
                    value: match (v, &p.ty) {
                        (Value::Num(n), Ty::Money) => yen(*n),
                        _ => ev.show_text(v, &p.ty),
                    },
                    citation: p.shown.citation.clone(),
                    since: version.and_then(|x| x.from).map(|d| d.to_string()),
                    set_by: version.and_then(|x| x.citation.clone()),
                }
            })
            .collect()
    }

    /// Each guideline the rules and parameters cite, and the version of it
    /// in force on the decision's date.
    fn amendments(&self) -> Vec<AmendmentEntry> {
        let p = self.ev.program;
        let as_of = self.ev.as_of;
        let mut cited = vec![false; p.docs.len()];
        for r in &p.rules {
            cited[r.cite.source as usize] = true;
            r.also.iter().for_each(|c| cited[c.source as usize] = true);
            r.clauses
                .iter()
                .filter_map(|c| c.cite.as_ref())
                .for_each(|c| cited[c.source as usize] = true);
        }
        p.params
            .iter()
            .filter_map(|x| x.cite.as_ref())
            .for_each(|c| cited[c.source as usize] = true);
        p.docs
            .iter()
            .zip(cited)
            .filter(|(_, c)| *c)
            .map(|(doc, _)| {
                let amended = doc.amended.iter().filter(|d| **d <= as_of).max();
                let (version, label) = match (doc.in_force, amended) {
                    (Some(f), _) if as_of < f => (
                        None,
                        Text::new(
                            format!("{} 時点では未施行", as_of),
                            format!("not yet in force on {as_of}"),
                        ),
                    ),
                    (_, Some(a)) => (
                        Some(*a),
                        Text::new(
                            format!("{}改正", crate::model::JpDate(*a).to_wareki_ja()),
                            format!("as amended {a}"),
                        ),
                    ),
                    (Some(f), None) => (
                        Some(f),
                        Text::new(
                            format!("{}施行（改正なし）", crate::model::JpDate(f).to_wareki_ja()),
                            format!("as in force from {f}, not amended"),
                        ),
                    ),
                    (None, None) => (None, Text::new("版の記載なし", "no version given")),
                };
                AmendmentEntry {
                    source: doc.name.clone(),
                    title: doc.title.clone(),
                    version: version.map(|d| d.to_string()),
                    label,
                }
            })
            .collect()
    }
}

/// A rule's short name, its id when it gives none.
fn rule_title(r: &Rule) -> Arc<Text> {
    r.title
        .clone()
        .unwrap_or_else(|| Arc::new(Text::same(r.id.to_string())))
}

/// What a determination adds to a rule's reason.
fn determination_text(d: &DeterminationEntry) -> Text {
    let note = |sep: &str| d.reason.as_ref().map(|n| format!("{sep}{n}")).unwrap_or_default();
    let (ja, en) = if d.decision == "accept" {
        ("認める", "accepted")
    } else {
        ("認めない", "rejected")
    };
    Text::new(
        format!("審査担当者の判断（{}、{}）：{ja}{}", d.by, d.on, note("。")),
        format!("Reviewer's determination ({}, {}): {en}{}", d.by, d.on, note(". ")),
    )
}

fn status_ja(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Pass => "適合",
        RuleStatus::Fail => "不適合",
        RuleStatus::Review => "要審査",
        RuleStatus::Unknown => "判断不可",
        RuleStatus::NotApplicable => "該当なし",
    }
}

/// The rule whose reason explains an entity's verdict: the first that fails,
/// else the first unknown, else the first for review, else the last that
/// applied.
fn deciding(rules: &[RuleEntry]) -> Option<usize> {
    let first = |s: RuleStatus| rules.iter().position(|r| r.status == s);
    first(RuleStatus::Fail)
        .or_else(|| first(RuleStatus::Unknown))
        .or_else(|| first(RuleStatus::Review))
        .or_else(|| rules.iter().rposition(|r| r.status != RuleStatus::NotApplicable))
        .or(rules.len().checked_sub(1))
}
