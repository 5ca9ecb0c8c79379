//! What a decision shows: the top-level `show`s and `group`s, and each
//! `entry` (the entities of a scope listed in the decision, with their own
//! shows and the words of their verdicts).

use std::collections::HashMap;

use super::expr::Ctx;
use super::scope::{DECISION_KEYS, ENTRY_KEYS};
use super::{CheckError, Checker};
use crate::program::*;
use crate::schema::EntityId;
use crate::syntax::ast::{self, ExprKind, Literal};
use crate::text::Text;

/// An entity with an entry: the entry, and the steps its filter reads.
pub(crate) type EntryOf = (EntityId, Entry, Vec<Step>);

impl Checker<'_> {
    /// Checks the shows and entries; returns the top-level shows and, per
    /// entity with an entry, the entry and what its filter reads.
    pub(crate) fn check_decision(&mut self) -> (Vec<ShowItem>, Vec<EntryOf>) {
        let root = self.schema.root;
        let mut top: Vec<ShowItem> = Vec::new();
        let mut per_entity: HashMap<EntityId, Vec<Show>> = HashMap::new();
        let mut names: HashMap<(EntityId, Option<String>, String), ()> = HashMap::new();
        for i in 0..self.shows.len() {
            let (ast, scope, group, lets_before) = {
                let decl = &self.shows[i];
                (decl.ast, decl.scope.clone(), decl.group, decl.lets_before)
            };
            let entity = scope.entity;
            let group_name = group.map(|g| g.name.name.clone());
            let reserved = if entity == root {
                &DECISION_KEYS[..]
            } else {
                &ENTRY_KEYS[..]
            };
            if group.is_none() && reserved.contains(&ast.name.name.as_str()) {
                self.error(CheckError::new(
                    ast.name.span,
                    format!(
                        "`{}` is a key every decision has: name the shown value otherwise",
                        ast.name.name
                    ),
                ));
            }
            if names
                .insert((entity, group_name.clone(), ast.name.name.clone()), ())
                .is_some()
            {
                self.error(CheckError::new(
                    ast.name.span,
                    format!("`{}` is shown twice here", ast.name.name),
                ));
            }
            self.lets_visible = lets_before;
            let Some(show) = self.show(ast, scope) else { continue };
            match group {
                None if entity == root => top.push(ShowItem::Show(show)),
                None => per_entity.entry(entity).or_default().push(show),
                Some(g) => {
                    let label = self.plain(&g.label);
                    match top
                        .iter_mut()
                        .find(|item| matches!(item, ShowItem::Group { name, .. } if **name == *g.name.name))
                    {
                        Some(ShowItem::Group { shows, .. }) => shows.push(show),
                        _ => {
                            if reserved.contains(&g.name.name.as_str()) {
                                self.error(CheckError::new(
                                    g.name.span,
                                    format!(
                                        "`{}` is a key every decision has: name the group otherwise",
                                        g.name.name
                                    ),
                                ));
                            }
                            top.push(ShowItem::Group {
                                name: g.name.name.as_str().into(),
                                label: label.into(),
                                shows: vec![show],
                            })
                        }
                    }
                }
            }
        }
        let entries = self.check_entries(&mut per_entity);
        self.check_list_keys(&top, &entries);
        (top, entries)
    }

    fn show(&mut self, ast: &ast::ShowDef, scope: std::sync::Arc<super::Scope>) -> Option<Show> {
        let errors = self.errors.len();
        let mut ctx = Ctx::show(scope.clone());
        let label = self.plain(&ast.label);
        let value = match &ast.value.kind {
            ExprKind::Call(f, args) if f.name == "rules" => {
                ShowValue::Rules(self.rules_prefix(args, &ast.value, &scope))
            }
            _ => {
                let (node, ty) = self.expr(&mut ctx, &ast.value, None);
                ShowValue::Expr(node, ty)
            }
        };
        let when = ast.when.as_ref().map(|w| self.expect_in(&mut ctx, w, &Ty::Bool));
        if self.errors.len() > errors {
            return None;
        }
        Some(Show {
            name: ast.name.name.as_str().into(),
            label: label.into(),
            value,
            when,
            frame_size: ctx.next_slot,
            span: ast.span,
        })
    }

    /// `rules("central_city.")`: a prefix that some top-level rules have.
    fn rules_prefix(&mut self, args: &[ast::Expr], whole: &ast::Expr, scope: &super::Scope) -> String {
        let prefix = match args {
            [
                ast::Expr {
                    kind: ExprKind::Lit(Literal::Text(p)),
                    ..
                },
            ] => p.clone(),
            _ => {
                self.error(CheckError::new(
                    whole.span,
                    "`rules(\"prefix.\")` takes the start of rule ids, as a string",
                ));
                return String::new();
            }
        };
        let root = self.schema.root;
        let any = self
            .rules
            .iter()
            .any(|r| r.scope.entity == root && r.ast.id.name.starts_with(&prefix));
        if scope.entity != root {
            self.error(CheckError::new(
                whole.span,
                "`rules(…)` lists top-level rules: show it at the top level",
            ));
        } else if !any {
            self.error(CheckError::new(
                whole.span,
                format!("no top-level rule id starts with {prefix:?}"),
            ));
        }
        prefix
    }

    fn check_entries(&mut self, shows: &mut HashMap<EntityId, Vec<Show>>) -> Vec<(EntityId, Entry, Vec<Step>)> {
        let root = self.schema.root;
        let with_entry: Vec<EntityId> = self.entries.iter().map(|e| e.scope.entity).collect();
        let mut out = Vec::new();
        for i in 0..self.entries.len() {
            let (ast, scope, lets_before) = {
                let decl = &self.entries[i];
                (decl.ast, decl.scope.clone(), decl.lets_before)
            };
            let entity = scope.entity;
            self.lets_visible = lets_before;
            let what = format!("entry `{}`", ast.key.name);
            let words = self.words(&what, &ast.words, ast.span, false);
            let label = match &ast.label {
                Some(l) => self.plain(l),
                None => self
                    .schema
                    .entity(entity)
                    .label
                    .clone()
                    .unwrap_or_else(|| Text::same(ast.key.name.clone())),
            };
            let mut ctx = Ctx::new(scope.clone());
            let filter = ast.when.as_ref().map(|w| self.expect_in(&mut ctx, w, &Ty::Bool));
            let parent = self
                .schema
                .ancestors(entity)
                .find(|a| with_entry.contains(a))
                .unwrap_or(root);
            out.push((
                entity,
                Entry {
                    key: ast.key.name.as_str().into(),
                    label: label.into(),
                    filter,
                    filter_frame: ctx.next_slot,
                    set_aside: ast.set_aside,
                    words,
                    shows: shows.remove(&entity).unwrap_or_default(),
                    parent,
                    span: ast.span,
                },
                ctx.deps,
            ));
        }
        // Rules and shows of a scope appear in the decision through its entry.
        for r in 0..self.rules.len() {
            let e = self.rules[r].scope.entity;
            if e != root && !with_entry.contains(&e) {
                let span = self.rules[r].ast.id.span;
                let name = self.schema.entity(e).name.clone();
                self.error(
                    CheckError::new(span, format!("the rules of each {name} are not shown in any decision"))
                        .note("declare `entry NAME { … }` in this `for`: it lists each one with its rules"),
                );
            }
        }
        for (e, list) in shows.iter() {
            let name = self.schema.entity(*e).name.clone();
            for s in list {
                self.error(
                    CheckError::new(
                        s.span,
                        format!("the values shown for each {name} are not in any decision"),
                    )
                    .note("declare `entry NAME { … }` in this `for`: it lists each one with its shows"),
                );
            }
        }
        out
    }

    /// A list key must not take a shown value's name at the same level, and
    /// two lists under one parent share a key only on purpose (they are
    /// merged, in declaration order).
    fn check_list_keys(&mut self, top: &[ShowItem], entries: &[(EntityId, Entry, Vec<Step>)]) {
        let root = self.schema.root;
        for (_, entry, _) in entries {
            let taken = if entry.parent == root {
                DECISION_KEYS.contains(&&*entry.key)
                    || top.iter().any(|item| match item {
                        ShowItem::Show(s) => s.name == entry.key,
                        ShowItem::Group { name, .. } => *name == entry.key,
                    })
            } else {
                ENTRY_KEYS.contains(&&*entry.key)
                    || entries
                        .iter()
                        .find(|(e, _, _)| *e == entry.parent)
                        .is_some_and(|(_, p, _)| p.shows.iter().any(|s| s.name == entry.key))
            };
            if taken {
                self.error(CheckError::new(
                    entry.span,
                    format!("`{}` is already a key of the decision at this level", entry.key),
                ));
            }
        }
    }
}
