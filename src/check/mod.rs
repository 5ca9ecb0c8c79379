//! Checks a parsed rule set and compiles it into a [`Program`]: every name is
//! resolved (sources, parameters, enums, tables, input fields, computed
//! attributes), every expression is typed, and the evaluation order is fixed.
//! All of this happens when the rules load, before any application is read,
//! so a rule that adds money to a date or names a field the input does not
//! have never reaches a decision.

mod error;
mod expr;
mod plan;

pub use error::{CheckError, did_you_mean};

use std::collections::HashMap;
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::program::*;
use crate::schema::{self, ENTITIES, EntityId, FieldTy};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::value::Value;

/// The `for` variables bound around a declaration, outermost first, and the
/// entity whose scope it is (the last binding's entity, or the application).
#[derive(Clone, Debug)]
pub(crate) struct Scope {
    pub entity: EntityId,
    pub bindings: Vec<(String, EntityId)>,
}

pub(crate) enum LetState {
    Pending,
    InProgress,
    Done {
        ty: Ty,
        node: Node,
        explain: Option<(Message, Option<Citation>)>,
        frame: u16,
        deps: Vec<Step>,
    },
    Failed,
}

pub(crate) struct LetDecl<'a> {
    pub ast: &'a ast::LetDef,
    pub scope: Arc<Scope>,
    pub slot: u16,
}

pub(crate) struct RuleDecl<'a> {
    pub ast: &'a ast::Rule,
    pub scope: Arc<Scope>,
}

pub(crate) struct Checker<'a> {
    pub errors: Vec<CheckError>,
    pub sources: HashMap<String, SourceId>,
    pub docs: Vec<SourceDoc>,
    pub param_names: HashMap<String, ParamId>,
    pub param_asts: Vec<&'a ast::Param>,
    pub params: Vec<Option<Param>>,
    pub enums: Vec<EnumDef>,
    pub enum_names: HashMap<String, EnumId>,
    pub table_names: HashMap<String, TableId>,
    pub table_asts: Vec<&'a ast::Table>,
    pub tables: Vec<Option<Table>>,
    /// Per entity: computed attribute names → slot.
    pub computed_names: Vec<HashMap<String, u16>>,
    /// Per entity: slot → let index (None for the status slot).
    pub computed_lets: Vec<Vec<Option<LetId>>>,
    pub lets: Vec<LetDecl<'a>>,
    pub let_state: Vec<LetState>,
    pub rules: Vec<RuleDecl<'a>>,
    pub ruleset: Option<&'a ast::Ruleset>,
}

/// Checks and compiles the parsed files of one rule set.
/// On failure the sources come back with the errors, to render them.
pub fn check(sources: SourceMap, files: &[ast::File]) -> Result<Program, (SourceMap, Vec<CheckError>)> {
    let mut c = Checker::new();
    let root = Arc::new(Scope {
        entity: schema::APPLICATION,
        bindings: Vec::new(),
    });
    for file in files {
        c.collect(&file.items, &root);
    }
    c.check_required_enums();
    c.check_params();
    c.check_tables();
    c.add_status_slots();
    for id in 0..c.lets.len() {
        c.check_let(id as LetId);
    }
    let rules: Vec<Option<(Rule, Vec<Step>)>> = (0..c.rules.len()).map(|i| c.check_rule(i)).collect();
    c.check_ruleset_header(&sources);
    c.check_required_outputs();
    if !c.errors.is_empty() {
        return Err((sources, c.errors));
    }
    c.finish(sources, rules)
}

impl<'a> Checker<'a> {
    fn new() -> Self {
        let mut c = Checker {
            errors: Vec::new(),
            sources: HashMap::new(),
            docs: Vec::new(),
            param_names: HashMap::new(),
            param_asts: Vec::new(),
            params: Vec::new(),
            enums: Vec::new(),
            enum_names: HashMap::new(),
            table_names: HashMap::new(),
            table_asts: Vec::new(),
            tables: Vec::new(),
            computed_names: vec![HashMap::new(); ENTITIES.len()],
            computed_lets: vec![Vec::new(); ENTITIES.len()],
            lets: Vec::new(),
            let_state: Vec::new(),
            rules: Vec::new(),
            ruleset: None,
        };
        for b in &schema::BUILTIN_ENUMS {
            let variants = b
                .variants
                .iter()
                .map(|(code, ja, en)| variant(code, ja, en, &[]))
                .collect();
            c.add_enum(b.name, false, variants);
        }
        c
    }

    pub fn error(&mut self, e: CheckError) {
        self.errors.push(e);
    }

    fn add_enum(&mut self, name: &str, open: bool, variants: Vec<Variant>) -> EnumId {
        let id = self.enums.len() as EnumId;
        self.enums.push(EnumDef {
            name: name.to_string(),
            open,
            variants,
        });
        self.enum_names.insert(name.to_string(), id);
        id
    }

    // ------------------------------------------------------------ collection

    fn collect(&mut self, items: &'a [ast::Item], scope: &Arc<Scope>) {
        for item in items {
            match item {
                ast::Item::Ruleset(r) => self.collect_ruleset(r),
                ast::Item::Source(s) => self.collect_source(s),
                ast::Item::Param(p) => self.collect_param(p, scope),
                ast::Item::Enum(e) => self.collect_enum(e, scope),
                ast::Item::Table(t) => self.collect_table(t, scope),
                ast::Item::For(f) => self.collect_for(f, scope),
                ast::Item::Let(l) => self.collect_let(l, scope),
                ast::Item::Rule(r) => self.rules.push(RuleDecl {
                    ast: r,
                    scope: scope.clone(),
                }),
            }
        }
    }

    fn top_level_only(&mut self, what: &str, span: Span, scope: &Scope) -> bool {
        if scope.bindings.is_empty() {
            return true;
        }
        self.error(CheckError::new(
            span,
            format!("{what} must be declared at the top level, not inside `for`"),
        ));
        false
    }

    fn collect_ruleset(&mut self, r: &'a ast::Ruleset) {
        if let Some(first) = self.ruleset {
            let e = CheckError::new(r.span, "a second `ruleset` header")
                .label("one rule set has one header")
                .note(format!("the first is {:?}", first.title));
            self.error(e);
        } else {
            self.ruleset = Some(r);
        }
    }

    fn collect_source(&mut self, s: &'a ast::Source) {
        if self.sources.contains_key(&s.name.name) {
            self.error(CheckError::new(
                s.name.span,
                format!("source `{}` is declared twice", s.name.name),
            ));
            return;
        }
        self.sources.insert(s.name.name.clone(), self.docs.len() as SourceId);
        self.docs.push(SourceDoc {
            name: s.name.name.clone(),
            title: s.title.clone().unwrap_or_else(|| s.name.name.clone()),
            in_force: s.in_force,
            amended: s.amended.clone(),
        });
    }

    fn collect_param(&mut self, p: &'a ast::Param, scope: &Scope) {
        if !self.top_level_only("a parameter", p.span, scope) || self.name_taken(&p.name) {
            return;
        }
        self.param_names
            .insert(p.name.name.clone(), self.param_asts.len() as ParamId);
        self.param_asts.push(p);
        self.params.push(None);
    }

    fn collect_enum(&mut self, e: &'a ast::EnumDef, scope: &Scope) {
        if !self.top_level_only("an enum", e.span, scope) {
            return;
        }
        if self.enum_names.contains_key(&e.name.name) {
            self.error(CheckError::new(
                e.name.span,
                format!("enum `{}` is declared twice (or is built in)", e.name.name),
            ));
            return;
        }
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut variants = Vec::new();
        for v in &e.variants {
            let aliases: Vec<&str> = v.aliases.iter().map(String::as_str).collect();
            let var = variant(&v.code.name, &v.ja, &v.en, &aliases);
            for s in &var.spellings {
                if let Some(other) = seen.insert(s.clone(), &v.code.name)
                    && other != v.code.name
                {
                    self.error(CheckError::new(
                        v.span,
                        format!(
                            "`{s}` names both `{other}` and `{}` in enum {}",
                            v.code.name, e.name.name
                        ),
                    ));
                }
            }
            variants.push(var);
        }
        self.add_enum(&e.name.name, e.open, variants);
    }

    fn collect_table(&mut self, t: &'a ast::Table, scope: &Scope) {
        if !self.top_level_only("a table", t.span, scope) || self.name_taken(&t.name) {
            return;
        }
        self.table_names
            .insert(t.name.name.clone(), self.table_asts.len() as TableId);
        self.table_asts.push(t);
        self.tables.push(None);
    }

    /// Parameters, tables and top-level lets share one namespace.
    fn name_taken(&mut self, name: &ast::Ident) -> bool {
        let n = &name.name;
        let taken = self.param_names.contains_key(n)
            || self.table_names.contains_key(n)
            || self.computed_names[schema::APPLICATION as usize].contains_key(n)
            || field_of(schema::APPLICATION, n).is_some();
        if taken {
            self.error(CheckError::new(
                name.span,
                format!("`{n}` is already declared (as a parameter, table, let or input field)"),
            ));
        }
        taken
    }

    fn collect_for(&mut self, f: &'a ast::ForBlock, scope: &Arc<Scope>) {
        if let Some(entity) = self.for_entity(f, scope) {
            let mut bindings = scope.bindings.clone();
            bindings.push((f.var.name.clone(), entity));
            let inner = Arc::new(Scope { entity, bindings });
            self.collect(&f.items, &inner);
        }
    }

    /// The entity a `for` iterates over. Its path starts at the enclosing
    /// `for` variable (or at an input field of the application at the top
    /// level) and names one list of entities.
    fn for_entity(&mut self, f: &ast::ForBlock, scope: &Scope) -> Option<EntityId> {
        let (first, rest) = f.path.split_first()?;
        let mut entity = match scope.bindings.last() {
            Some((var, e)) if *var == first.name => *e,
            Some((var, _)) => {
                self.error(
                    CheckError::new(
                        first.span,
                        format!("a nested `for` must iterate over a field of `{var}`"),
                    )
                    .label(format!("expected `{var}.…`")),
                );
                return None;
            }
            None => {
                // A field of the application: follow it.
                return self.follow_path(schema::APPLICATION, &f.path, f.span);
            }
        };
        if rest.is_empty() {
            self.error(CheckError::new(f.span, "`for` needs a list to iterate over"));
            return None;
        }
        entity = self.follow_path(entity, rest, f.span)?;
        Some(entity)
    }

    fn follow_path(&mut self, mut entity: EntityId, path: &[ast::Ident], span: Span) -> Option<EntityId> {
        for (i, seg) in path.iter().enumerate() {
            let Some(field) = field_of(entity, &seg.name) else {
                let e = self.unknown_field(entity, seg);
                self.error(e);
                return None;
            };
            let last = i + 1 == path.len();
            match (field.ty, last) {
                (FieldTy::Entity(e), false) => entity = e,
                (FieldTy::List(FieldTy::Entity(e)), true) => return Some(*e),
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

    pub fn unknown_field(&self, entity: EntityId, name: &ast::Ident) -> CheckError {
        let def = &ENTITIES[entity as usize];
        let mut names: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
        names.extend(self.computed_names[entity as usize].keys().map(String::as_str));
        names.sort();
        let mut e =
            CheckError::new(name.span, format!("{} has no field `{}`", def.name, name.name)).label("unknown field");
        if let Some(hint) = did_you_mean(&name.name, names.iter().copied()) {
            e = e.note(hint);
        }
        e.note(format!("the fields of {} are: {}", def.name, names.join(", ")))
    }

    fn collect_let(&mut self, l: &'a ast::LetDef, scope: &Arc<Scope>) {
        let entity = scope.entity;
        if entity == schema::APPLICATION {
            if self.name_taken(&l.name) {
                return;
            }
        } else if self.computed_names[entity as usize].contains_key(&l.name.name)
            || field_of(entity, &l.name.name).is_some()
        {
            self.error(CheckError::new(
                l.name.span,
                format!(
                    "{} already has a field or attribute `{}`",
                    ENTITIES[entity as usize].name, l.name.name
                ),
            ));
            return;
        }
        let id = self.lets.len() as LetId;
        let slot = self.computed_lets[entity as usize].len() as u16;
        self.computed_lets[entity as usize].push(Some(id));
        self.computed_names[entity as usize].insert(l.name.name.clone(), slot);
        self.lets.push(LetDecl {
            ast: l,
            scope: scope.clone(),
            slot,
        });
        self.let_state.push(LetState::Pending);
    }

    /// Every entity whose scope has rules gets a `status` attribute.
    fn add_status_slots(&mut self) {
        let mut with_rules: Vec<EntityId> = self.rules.iter().map(|r| r.scope.entity).collect();
        with_rules.sort();
        with_rules.dedup();
        for e in with_rules {
            if self.computed_names[e as usize].contains_key("status") {
                let span = self
                    .lets
                    .iter()
                    .find(|l| l.scope.entity == e && l.ast.name.name == "status")
                    .map(|l| l.ast.name.span)
                    .unwrap_or_default();
                self.error(CheckError::new(
                    span,
                    "`status` is the result of a scope's rules and cannot be redefined",
                ));
                continue;
            }
            let slot = self.computed_lets[e as usize].len() as u16;
            self.computed_lets[e as usize].push(None);
            self.computed_names[e as usize].insert("status".to_string(), slot);
        }
    }

    // ------------------------------------------------------------ declarations

    fn check_required_enums(&mut self) {
        for name in schema::REQUIRED_RULE_ENUMS {
            if !self.enum_names.contains_key(name) {
                let span = self.ruleset.map(|r| r.span).unwrap_or_default();
                self.error(
                    CheckError::new(
                        span,
                        format!("the rules do not define enum `{name}`, which the application format uses"),
                    )
                    .note("declare it with `enum NAME { code ja \"…\" en \"…\" … }`"),
                );
            }
        }
    }

    /// A type written in a declaration.
    pub fn resolve_type(&mut self, t: &ast::TypeExpr) -> Ty {
        match t {
            ast::TypeExpr::List(inner, _) => Ty::List(Box::new(self.resolve_type(inner))),
            ast::TypeExpr::Named(id) => match id.name.as_str() {
                "bool" => Ty::Bool,
                "int" | "integer" => Ty::Int,
                "money" => Ty::Money,
                "ratio" => Ty::Ratio,
                "date" => Ty::Date,
                "fiscal_year" => Ty::FiscalYear,
                "string" => Ty::Text,
                "municipality" => Ty::Municipality,
                other => match self.enum_names.get(other) {
                    Some(e) => Ty::Enum(*e),
                    None => {
                        let mut names = vec![
                            "bool",
                            "int",
                            "money",
                            "ratio",
                            "date",
                            "fiscal_year",
                            "string",
                            "municipality",
                        ];
                        names.extend(self.enum_names.keys().map(String::as_str));
                        let mut e = CheckError::new(id.span, format!("unknown type `{other}`")).label("not a type");
                        if let Some(h) = did_you_mean(other, names.iter().copied()) {
                            e = e.note(h);
                        }
                        self.error(e);
                        Ty::Error
                    }
                },
            },
        }
    }

    pub fn citation(&mut self, c: &ast::Citation) -> Citation {
        let source = match self.sources.get(&c.source.name) {
            Some(s) => *s,
            None => {
                let mut e = CheckError::new(c.source.span, format!("unknown source `{}`", c.source.name))
                    .label("not declared with `source`");
                if let Some(h) = did_you_mean(&c.source.name, self.sources.keys().map(String::as_str)) {
                    e = e.note(h);
                }
                self.error(e);
                0
            }
        };
        Citation {
            source,
            article: c.article.clone(),
        }
    }

    fn check_params(&mut self) {
        for id in 0..self.param_asts.len() {
            let p = self.param_asts[id];
            let ty = self.resolve_type(&p.ty);
            let cite = p.doc.cite.as_ref().map(|c| self.citation(c));
            let label = p.doc.label.as_ref().map(|l| self.const_message(l));
            let mut versions: Vec<(jiff::civil::Date, Option<jiff::civil::Date>, Value)> = Vec::new();
            for v in &p.versions {
                let Some(value) = self.const_value(&v.value, &ty) else {
                    continue;
                };
                if let Some(until) = v.until
                    && until < v.from
                {
                    self.error(CheckError::new(
                        v.span,
                        format!("the version ends ({until}) before it starts ({})", v.from),
                    ));
                }
                if let Some(prev) = versions.last()
                    && prev.1.is_none_or(|u| u >= v.from)
                {
                    self.error(CheckError::new(v.span, format!("parameter `{}`: this version overlaps the one before it; list versions in date order, each starting after the previous one ends", p.name.name)));
                }
                versions.push((v.from, v.until, value));
            }
            self.params[id] = Some(Param {
                name: p.name.name.clone(),
                ty,
                label,
                cite,
                versions,
                span: p.span,
            });
        }
    }

    fn check_tables(&mut self) {
        for id in 0..self.table_asts.len() {
            let t = self.table_asts[id];
            let key_ty = self.resolve_type(&t.key);
            let value_ty = self.resolve_type(&t.value);
            let Ty::Enum(key) = key_ty else {
                if key_ty != Ty::Error {
                    self.error(CheckError::new(t.key.span(), "a table's key must be an enum").label("not an enum"));
                }
                continue;
            };
            let n = self.enums[key as usize].variants.len();
            let mut entries: Vec<Option<Value>> = vec![None; n];
            for entry in &t.entries {
                let Some(value) = self.const_value(&entry.value, &value_ty) else {
                    continue;
                };
                for k in &entry.keys {
                    match self.variant_index(key, &k.name) {
                        Some(v) if entries[v as usize].is_some() => {
                            self.error(CheckError::new(
                                k.span,
                                format!("`{}` appears twice in table `{}`", k.name, t.name.name),
                            ));
                        }
                        Some(v) => entries[v as usize] = Some(value.clone()),
                        None => {
                            let e = self.unknown_variant(key, k);
                            self.error(e);
                        }
                    }
                }
            }
            let otherwise = t.otherwise.as_ref().and_then(|e| self.const_value(e, &value_ty));
            let missing: Vec<&str> = entries
                .iter()
                .zip(&self.enums[key as usize].variants)
                .filter(|(e, _)| e.is_none())
                .map(|(_, v)| v.code.as_str())
                .collect();
            if otherwise.is_none() && (!missing.is_empty() || self.enums[key as usize].open) {
                let what = if missing.is_empty() {
                    format!(
                        "enum {} is open (values it does not list are kept as written)",
                        self.enums[key as usize].name
                    )
                } else {
                    format!("no entry for: {}", missing.join(", "))
                };
                self.error(
                    CheckError::new(
                        t.name.span,
                        format!("table `{}` does not cover every key: {what}", t.name.name),
                    )
                    .note("add the missing entries or an `else => value` line"),
                );
            }
            self.tables[id] = Some(Table {
                name: t.name.name.clone(),
                key,
                value_ty,
                entries,
                otherwise,
            });
        }
    }

    pub fn variant_index(&self, e: EnumId, code: &str) -> Option<u16> {
        self.enums[e as usize]
            .variants
            .iter()
            .position(|v| v.code == code)
            .map(|i| i as u16)
    }

    pub fn unknown_variant(&self, e: EnumId, name: &ast::Ident) -> CheckError {
        let def = &self.enums[e as usize];
        let codes: Vec<&str> = def.variants.iter().map(|v| v.code.as_str()).collect();
        let mut err = CheckError::new(name.span, format!("`{}` is not a value of {}", name.name, def.name))
            .label("unknown value");
        if let Some(h) = did_you_mean(&name.name, codes.iter().copied()) {
            err = err.note(h);
        }
        err.note(format!("the values of {} are: {}", def.name, codes.join(", ")))
    }

    fn check_ruleset_header(&mut self, sources: &SourceMap) {
        let Some(r) = self.ruleset else {
            let span = Span::default();
            let file = if sources.is_empty() {
                "(no files)".to_string()
            } else {
                sources.name(0).to_string()
            };
            self.error(CheckError::new(
                span,
                format!("the rule set has no `ruleset \"title\" {{ … }}` header (first file: {file})"),
            ));
            return;
        };
        match r.applies_to.as_deref() {
            Some("grant-application/v1") => {}
            Some(other) => self.error(CheckError::new(
                r.span,
                format!("this engine decides `grant-application/v1` documents, not `{other}`"),
            )),
            None => self.error(CheckError::new(
                r.span,
                "the ruleset header needs `applies_to \"grant-application/v1\"`",
            )),
        }
        if r.version.is_none() {
            self.error(CheckError::new(
                r.span,
                "the ruleset header needs `version \"…\"` (shown in every decision)",
            ));
        }
    }

    fn check_required_outputs(&mut self) {
        let span = self.ruleset.map(|r| r.span).unwrap_or_default();
        for (entity, name) in schema::REQUIRED_OUTPUTS {
            let found = self
                .lets
                .iter()
                .enumerate()
                .find(|(_, l)| l.scope.entity == entity && l.ast.name.name == name);
            let Some((id, l)) = found.map(|(id, l)| (id, l.ast)) else {
                let e = CheckError::new(
                    span,
                    format!(
                        "the rules must define `output {name}` in the scope of {}",
                        ENTITIES[entity as usize].name
                    ),
                );
                self.error(e.note("a decision reads it"));
                continue;
            };
            if !l.output {
                self.error(CheckError::new(
                    l.name.span,
                    format!("`{name}` is read by the decision: declare it with `output`, not `let`"),
                ));
            }
            if let LetState::Done { ty, .. } = &self.let_state[id]
                && *ty != Ty::Money
            {
                let msg = format!("`{name}` must be money, but this is {}", self.ty_name(ty));
                self.error(CheckError::new(l.value.span, msg));
            }
        }
    }

    pub fn ty_name(&self, t: &Ty) -> String {
        t.name(&self.enums)
    }

    /// The rule-language type of an input field.
    pub fn field_ty(&mut self, t: FieldTy) -> Ty {
        match t {
            FieldTy::Bool => Ty::Bool,
            FieldTy::Int => Ty::Int,
            FieldTy::Money => Ty::Money,
            FieldTy::Date => Ty::Date,
            FieldTy::FiscalYear => Ty::FiscalYear,
            FieldTy::Text => Ty::Text,
            FieldTy::Municipality => Ty::Municipality,
            FieldTy::Entity(e) => Ty::Entity(e),
            FieldTy::List(inner) => Ty::List(Box::new(self.field_ty(*inner))),
            FieldTy::Enum(name) => self.enum_names.get(name).map(|e| Ty::Enum(*e)).unwrap_or(Ty::Error),
        }
    }

    fn finish(
        self,
        sources: SourceMap,
        rules: Vec<Option<(Rule, Vec<Step>)>>,
    ) -> Result<Program, (SourceMap, Vec<CheckError>)> {
        let mut lets = Vec::new();
        let mut let_deps = Vec::new();
        for (id, decl) in self.lets.iter().enumerate() {
            if let LetState::Done {
                ty,
                node,
                explain,
                frame,
                deps,
            } = &self.let_state[id]
            {
                lets.push(Let {
                    name: decl.ast.name.name.clone(),
                    entity: decl.scope.entity,
                    slot: decl.slot,
                    node: node.clone(),
                    ty: ty.clone(),
                    output: decl.ast.output,
                    explain: explain.clone(),
                    frame_size: *frame,
                    span: decl.ast.span,
                    expr_span: decl.ast.value.span,
                });
                let_deps.push(deps.clone());
            }
        }
        let (mut rules, rule_deps): (Vec<Rule>, Vec<Vec<Step>>) = rules.into_iter().flatten().unzip();
        for r in &mut rules {
            r.location = sources.location(r.span);
            for c in &mut r.clauses {
                c.location = sources.location(c.span);
            }
        }
        let mut entities: Vec<EntityInfo> = (0..ENTITIES.len())
            .map(|e| EntityInfo {
                computed: Vec::new(),
                status_slot: self.computed_names[e].get("status").copied(),
                rules: Vec::new(),
                lets: Vec::new(),
                binding_depth: 0,
            })
            .collect();
        for (e, slots) in self.computed_lets.iter().enumerate() {
            for l in slots {
                entities[e].computed.push(match l {
                    Some(id) => Computed {
                        name: lets[*id as usize].name.clone(),
                        ty: lets[*id as usize].ty.clone(),
                        kind: ComputedKind::Let(*id),
                    },
                    None => Computed {
                        name: "status".into(),
                        ty: Ty::Enum(self.enum_names["Status"]),
                        kind: ComputedKind::Status,
                    },
                });
            }
        }
        for (i, l) in lets.iter().enumerate() {
            entities[l.entity as usize].lets.push(i as LetId);
        }
        for (i, r) in rules.iter().enumerate() {
            entities[r.entity as usize].rules.push(i as RuleId);
        }
        for decl in &self.lets {
            entities[decl.scope.entity as usize].binding_depth = decl.scope.bindings.len() as u16;
        }
        for decl in &self.rules {
            entities[decl.scope.entity as usize].binding_depth = decl.scope.bindings.len() as u16;
        }
        let plan = match plan::order(&lets, &let_deps, &rules, &rule_deps, &entities) {
            Ok(p) => p,
            Err(e) => return Err((sources, vec![e])),
        };
        let mut params_used = vec![false; self.params.len()];
        let mut mark = |n: &Node| {
            if let Node::Param(p) = n {
                params_used[*p as usize] = true;
            }
        };
        for l in &lets {
            l.node.walk(&mut mark);
            l.explain
                .iter()
                .flat_map(|(m, _)| m.nodes())
                .for_each(|n| n.walk(&mut mark));
        }
        rules.iter().flat_map(Rule::nodes).for_each(|n| n.walk(&mut mark));
        let vocab = schema::REQUIRED_RULE_ENUMS.map(|name| self.enum_names.get(name).copied().unwrap_or(0));
        let outputs = schema::REQUIRED_OUTPUTS.map(|(entity, name)| {
            lets.iter()
                .position(|l| l.entity == entity && l.name == name)
                .unwrap_or(0) as LetId
        });
        let header = self.ruleset.expect("checked: header present");
        Ok(Program {
            sha256: sources.sha256(),
            sources,
            title: header.title.clone(),
            version: header.version.clone().unwrap_or_default(),
            applies_to: header.applies_to.clone().unwrap_or_default(),
            docs: self.docs,
            params: self.params.into_iter().flatten().collect(),
            enums: self.enums,
            tables: self.tables.into_iter().flatten().collect(),
            entities,
            lets,
            rules,
            plan,
            params_used,
            vocab,
            outputs,
        })
    }
}

/// The schema field `name` of `entity`.
pub(crate) fn field_of(entity: EntityId, name: &str) -> Option<&'static schema::FieldDef> {
    ENTITIES[entity as usize].fields.iter().find(|f| f.name == name)
}

/// An enum variant with every spelling an input may use, NFKC-normalised.
fn variant(code: &str, ja: &str, en: &str, aliases: &[&str]) -> Variant {
    let mut spellings: Vec<String> = [code, ja, en].iter().chain(aliases).map(|s| normalize(s)).collect();
    spellings.sort();
    spellings.dedup();
    Variant {
        code: code.to_string(),
        ja: ja.to_string(),
        en: en.to_string(),
        spellings,
    }
}

/// How names are compared: NFKC (full-width/half-width), trimmed, and
/// case-insensitive for Latin letters.
pub fn normalize(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_lowercase()
}
