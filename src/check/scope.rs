//! The second pass: `for` scopes and what is declared in them (lets, rules,
//! shows, entries), each entity's `status`, and the kind declaration.

use std::sync::Arc;

use super::expr::Ctx;
use super::{CheckError, Checker, EntryDecl, LetDecl, LetState, RuleDecl, Scope, ShowDecl};
use crate::program::*;
use crate::schema::{Absent, EntityId, FieldTy};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::text::Text;

/// Keys every decision has; a `show` may not take them.
pub(crate) const DECISION_KEYS: [&str; 19] = [
    "format",
    "kind",
    "outcome",
    "outcome_label",
    "outcome_reason",
    "verdict",
    "rules",
    "derivation",
    "missing",
    "missing_details",
    "warnings",
    "checklist",
    "parameters",
    "rules_title",
    "rules_version",
    "rules_as_of",
    "rules_amendments",
    "rules_sha256",
    "input_sha256",
];

/// Keys every listed entity has.
pub(crate) const ENTRY_KEYS: [&str; 7] = [
    "status",
    "status_label",
    "reason",
    "citation",
    "reasons",
    "rules",
    "verdict",
];

impl<'a> Checker<'a> {
    pub(crate) fn collect(&mut self, items: &'a [ast::Item], scope: &Arc<Scope>) {
        for item in items {
            match item {
                ast::Item::For(f) => self.collect_for(f, scope),
                ast::Item::Let(l) => self.collect_let(l, scope),
                ast::Item::Rule(r) => self.collect_rule(r, scope),
                ast::Item::Show(s) => self.shows.push(ShowDecl {
                    ast: s,
                    scope: scope.clone(),
                    lets_before: self.lets.len(),
                    group: None,
                }),
                ast::Item::Group(g) => {
                    if !scope.bindings.is_empty() {
                        self.error(CheckError::new(g.span, "a `group` is a top-level part of the decision"));
                    }
                    for s in &g.shows {
                        self.shows.push(ShowDecl {
                            ast: s,
                            scope: scope.clone(),
                            lets_before: self.lets.len(),
                            group: Some(g),
                        });
                    }
                }
                ast::Item::Entry(e) => {
                    if scope.bindings.is_empty() {
                        self.error(
                            CheckError::new(e.span, "an `entry` lists the entities of a `for` scope")
                                .note("write it inside `for x in … { … }`"),
                        );
                    } else if self.entries.iter().any(|d| d.scope.entity == scope.entity) {
                        self.error(CheckError::new(e.span, "a second `entry` for the same entities"));
                    } else {
                        self.entries.push(EntryDecl {
                            ast: e,
                            scope: scope.clone(),
                            lets_before: self.lets.len(),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn collect_rule(&mut self, r: &'a ast::Rule, scope: &Arc<Scope>) {
        let id = self.rules.len() as RuleId;
        if let Some(first) = self.rule_names.get(&r.id.name) {
            let first_span = self.rules[*first as usize].ast.id.span;
            self.error(
                CheckError::new(r.id.span, format!("rule `{}` is declared twice", r.id.name))
                    .secondary(first_span, "first declared here"),
            );
        } else {
            self.rule_names.insert(r.id.name.clone(), id);
        }
        self.rules.push(RuleDecl {
            ast: r,
            scope: scope.clone(),
            lets_before: self.lets.len(),
        });
    }

    fn collect_for(&mut self, f: &'a ast::ForBlock, scope: &Arc<Scope>) {
        if self.enum_value_named(&f.var.name).is_some() {
            let e = self.shadows_enum_value(&f.var);
            self.error(e);
        }
        if let Some(entity) = self.for_entity(f, scope) {
            let mut bindings = scope.bindings.clone();
            bindings.push((f.var.name.clone(), entity));
            let inner = Arc::new(Scope { entity, bindings });
            self.collect(&f.items, &inner);
        }
    }

    /// The entity a `for` iterates over. Its path starts at the enclosing
    /// `for` variable (or at a field of the document at the top level) and
    /// names one list of entities.
    fn for_entity(&mut self, f: &ast::ForBlock, scope: &Scope) -> Option<EntityId> {
        let (first, rest) = f.path.split_first()?;
        match scope.bindings.last() {
            Some((var, e)) if *var == first.name => {
                if rest.is_empty() {
                    self.error(CheckError::new(f.span, "`for` needs a list to iterate over"));
                    return None;
                }
                self.follow_path(*e, rest, f.span)
            }
            Some((var, _)) => {
                self.error(
                    CheckError::new(
                        first.span,
                        format!("a nested `for` must iterate over a field of `{var}`"),
                    )
                    .label(format!("expected `{var}.…`")),
                );
                None
            }
            None => self.follow_path(self.schema.root, &f.path, f.span),
        }
    }

    fn follow_path(&mut self, mut entity: EntityId, path: &[ast::Ident], span: Span) -> Option<EntityId> {
        for (i, seg) in path.iter().enumerate() {
            let Some(k) = self.schema.field_index(entity, &seg.name) else {
                let e = self.unknown_field(entity, seg);
                self.error(e);
                return None;
            };
            let last = i + 1 == path.len();
            match (&self.schema.field(entity, k).ty, last) {
                (FieldTy::Entity(e), false) => entity = *e,
                (FieldTy::List(inner), true) if matches!(**inner, FieldTy::Entity(_)) => {
                    if let FieldTy::Entity(e) = **inner {
                        return Some(e);
                    }
                }
                _ => {
                    self.error(
                        CheckError::new(
                            seg.span,
                            format!("`{}` is not a list of entities to iterate over with `for`", seg.name),
                        )
                        .note("`for` opens the scope of each project, expense line or member"),
                    );
                    return None;
                }
            }
        }
        self.error(CheckError::new(span, "`for` needs a list to iterate over"));
        None
    }

    pub(crate) fn shadows_enum_value(&self, name: &ast::Ident) -> CheckError {
        let e = self.enum_value_named(&name.name).unwrap_or_default();
        CheckError::new(
            name.span,
            format!(
                "`{}` is a value of {e}: a name like it would hide the value in comparisons",
                name.name
            ),
        )
        .label("rename this")
    }

    fn collect_let(&mut self, l: &'a ast::LetDef, scope: &Arc<Scope>) {
        if self.enum_value_named(&l.name.name).is_some() {
            let e = self.shadows_enum_value(&l.name);
            self.error(e);
        }
        let entity = scope.entity;
        if entity == self.schema.root {
            if self.name_taken(&l.name) {
                return;
            }
        } else if self.computed_names[entity as usize].contains_key(&l.name.name)
            || self.schema.field_index(entity, &l.name.name).is_some()
        {
            self.error(CheckError::new(
                l.name.span,
                format!(
                    "{} already has a field or attribute `{}`",
                    self.schema.entity(entity).name,
                    l.name.name
                ),
            ));
            return;
        }
        let id = self.lets.len() as LetId;
        let slot = self.computed_lets[entity as usize].len() as Slot;
        self.computed_lets[entity as usize].push(Some(id));
        self.computed_names[entity as usize].insert(l.name.name.clone(), slot);
        self.lets.push(LetDecl {
            ast: l,
            scope: scope.clone(),
            slot,
        });
        self.let_state.push(LetState::Pending);
    }

    /// Every entity with rules or an entry, and the root, gets a `status`
    /// attribute: its verdict.
    pub(crate) fn add_status_slots(&mut self) {
        let mut with: Vec<EntityId> = self.rules.iter().map(|r| r.scope.entity).collect();
        with.extend(self.entries.iter().map(|e| e.scope.entity));
        with.push(self.schema.root);
        with.sort();
        with.dedup();
        for e in with {
            if self.computed_names[e as usize].contains_key("status") || self.schema.field_index(e, "status").is_some()
            {
                let span = self
                    .lets
                    .iter()
                    .find(|l| l.scope.entity == e && l.ast.name.name == "status")
                    .map(|l| l.ast.name.span)
                    .unwrap_or(self.schema.entity(e).span);
                self.error(CheckError::new(
                    span,
                    "`status` is the verdict of an entity's rules and cannot be redefined",
                ));
                continue;
            }
            let slot = self.computed_lets[e as usize].len() as Slot;
            self.computed_lets[e as usize].push(None);
            self.computed_names[e as usize].insert("status".to_string(), slot);
        }
    }

    // ------------------------------------------------------------ the kind

    /// The `kind` declaration: its format, root, the date its rules are
    /// evaluated as of, and the words of its outcome.
    pub(crate) fn check_kind(&mut self, sources: &SourceMap) -> Option<Kind> {
        let Some(k) = self.kind_ast else {
            let first = if sources.is_empty() {
                "(no files)".to_string()
            } else {
                sources.name(0).to_string()
            };
            self.error(
                CheckError::new(
                    Span::default(),
                    format!(
                        "the rule folder `{}` declares no `kind` (first file: {first})",
                        self.kind_name
                    ),
                )
                .note("declare `kind \"format/v1\" { title … version … root … as_of … outcome … }`"),
            );
            return None;
        };
        self.repeated(&format!("kind {:?}", k.format), &k.repeated);
        let mut missing = Vec::new();
        if k.title.is_none() {
            missing.push("`title \"…\"`");
        }
        if k.version.is_none() {
            missing.push("`version \"…\"` (shown in every decision)");
        }
        if k.root.is_none() {
            missing.push("`root ENTITY` (the document)");
        }
        if k.as_of.is_none() {
            missing.push("`as_of DATE` (the date its rules are evaluated as of)");
        }
        if !missing.is_empty() {
            self.error(CheckError::new(
                k.span,
                format!("the kind lacks {}", missing.join(", ")),
            ));
        }
        let as_of = k.as_of.as_ref().map(|e| {
            let mut ctx = Ctx::facts_only(self.schema.root);
            (self.expect_in(&mut ctx, e, &Ty::Date), e.span)
        });
        let outcomes = self.words(&format!("kind {:?}", k.format), &k.outcomes, k.span, true);
        let label = k.label.as_ref().map(|l| self.plain(l));
        let rules_label = k
            .rules_label
            .as_ref()
            .map(|l| self.plain(l))
            .unwrap_or_else(|| Text::new("要件", "Requirements"));
        let title = k.title.clone().unwrap_or_default();
        let determinations = match &k.determinations {
            Some(f) if self.root_ok => self.determinations(f),
            _ => None,
        };
        let (as_of, as_of_span) = as_of?;
        Some(Kind {
            format: k.format.clone(),
            name: self.kind_name.clone(),
            label: label.unwrap_or_else(|| Text::same(title.clone())),
            title,
            version: k.version.clone().unwrap_or_default(),
            rules_label,
            as_of,
            as_of_span,
            outcomes,
            determinations,
        })
    }

    /// `determinations FIELD`: a root field listing entities with the fields
    /// the engine reads, of the types it reads them as.
    fn determinations(&mut self, field: &ast::Ident) -> Option<Determinations> {
        let root = self.schema.root;
        let def = self.schema.entity(root);
        let shape = "a list of entities with `rule_id: string`, `at: string optional`, `decision: ENUM` (variants `accept` and `reject`), `by: string`, `on: date` and `reason: string optional`";
        let Some(k) = def.fields.iter().position(|f| f.name == field.name) else {
            self.error(
                CheckError::new(field.span, format!("the document has no field `{}`", field.name))
                    .label("not a field of the root entity")
                    .note(format!(
                        "`determinations FIELD` names a field of the root entity: {shape}"
                    )),
            );
            return None;
        };
        let FieldTy::List(inner) = &def.fields[k].ty else {
            self.error(CheckError::new(field.span, format!("`{}` is not a list", field.name)).note(shape));
            return None;
        };
        let FieldTy::Entity(entity) = **inner else {
            self.error(CheckError::new(field.span, format!("`{}` is not a list of entities", field.name)).note(shape));
            return None;
        };
        let fields = &self.schema.entity(entity).fields;
        let mut problems = Vec::new();
        let mut find = |name: &str, ok: &dyn Fn(&FieldTy) -> bool, optional: bool| -> u32 {
            match fields.iter().position(|f| f.name == name) {
                Some(i) if ok(&fields[i].ty) && (optional || fields[i].absent == Absent::Required) => i as u32,
                Some(_) => {
                    problems.push(format!("`{name}` has the wrong type or is optional"));
                    0
                }
                None => {
                    problems.push(format!("no field `{name}`"));
                    0
                }
            }
        };
        let text = |t: &FieldTy| *t == FieldTy::Text;
        let rule = find("rule_id", &text, false);
        let at = find("at", &text, true);
        let decision = find("decision", &|t| matches!(t, FieldTy::Enum(_)), false);
        let by = find("by", &text, false);
        let on = find("on", &|t| *t == FieldTy::Date, false);
        let reason = find("reason", &text, true);
        let mut accept = 0;
        if let FieldTy::Enum(e) = fields.get(decision as usize).map(|f| &f.ty).unwrap_or(&FieldTy::Bool) {
            let variants = &self.enums[*e as usize].variants;
            match (
                variants.iter().position(|v| v.code == "accept"),
                variants.iter().any(|v| v.code == "reject"),
            ) {
                (Some(a), true) if variants.len() == 2 => accept = a as u32,
                _ => problems.push("`decision`'s enum must have exactly the variants `accept` and `reject`".into()),
            }
        }
        if !problems.is_empty() {
            self.error(
                CheckError::new(
                    field.span,
                    format!("`{}` cannot hold determinations: {}", field.name, problems.join("; ")),
                )
                .note(shape),
            );
            return None;
        }
        Some(Determinations {
            field: k as u32,
            entity,
            rule,
            at,
            decision,
            accept,
            by,
            on,
            reason,
        })
    }

    /// The four words of a verdict; a kind must give all four, an entry
    /// takes defaults for the ones it does not give.
    pub(crate) fn words(&mut self, what: &str, given: &[ast::Word], span: Span, required: bool) -> Words {
        let defaults = [
            ("pass", "適合", "pass"),
            ("fail", "不適合", "fail"),
            ("review", "要審査", "review"),
            ("unknown", "判断不可", "unknown"),
        ];
        let mut out: Words = defaults.map(|(w, ja, en)| Word {
            word: w.into(),
            label: Text::new(ja, en).into(),
            because: None,
        });
        let mut seen = [false; 4];
        for w in given {
            let i = match w.verdict {
                ast::VerdictName::Pass => 0,
                ast::VerdictName::Fail => 1,
                ast::VerdictName::Review => 2,
                ast::VerdictName::Unknown => 3,
            };
            if seen[i] {
                self.error(CheckError::new(
                    w.span,
                    format!("{what} gives a second word for this verdict"),
                ));
            }
            seen[i] = true;
            let label = self.plain(&w.label);
            let because = w.because.as_ref().map(|b| self.plain(b));
            out[i] = Word {
                word: w.word.as_str().into(),
                label: label.into(),
                because,
            };
        }
        let names = ["pass", "fail", "review", "unknown"];
        let absent: Vec<&str> = names.iter().zip(seen).filter(|(_, s)| !s).map(|(n, _)| *n).collect();
        if required && !absent.is_empty() {
            self.error(
                CheckError::new(span, format!("{what} gives no outcome word for: {}", absent.join(", ")))
                    .note("every kind words all four verdicts: `outcome pass \"…\" ja \"…\" en \"…\"`"),
            );
        }
        let mut words: Vec<&str> = out.iter().map(|w| &*w.word).collect();
        words.sort();
        if words.windows(2).any(|p| p[0] == p[1]) {
            self.error(CheckError::new(
                span,
                format!("{what} gives two verdicts the same word"),
            ));
        }
        out
    }
}
