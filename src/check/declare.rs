//! The first pass: declarations that everything else refers to — the kind,
//! the input's entities (built into the [`Schema`]), enums, sources,
//! parameters and tables.

use std::collections::HashMap;

use super::{CheckError, Checker, did_you_mean, variant};
use crate::program::*;
use crate::schema::{Absent, EntityDef, EntityId, EnumId, FieldDef, FieldTy, Unique};
use crate::syntax::ast;
use crate::value::Value;

/// Type names the language knows before any declaration.
const BASE_TYPES: [&str; 9] = [
    "bool",
    "int",
    "integer",
    "money",
    "ratio",
    "date",
    "fiscal_year",
    "string",
    "municipality",
];

impl<'a> Checker<'a> {
    /// Collects the declarations of one file. Only `for` blocks may nest,
    /// and none of these may stand inside one.
    pub(crate) fn declare(&mut self, items: &'a [ast::Item], top: bool) {
        for item in items {
            let (what, span) = match item {
                ast::Item::Kind(k) => ("a `kind`", k.span),
                ast::Item::Entity(e) => ("an entity", e.span),
                ast::Item::Source(s) => ("a source", s.span),
                ast::Item::Param(p) => ("a parameter", p.span),
                ast::Item::Enum(e) => ("an enum", e.span),
                ast::Item::Table(t) => ("a table", t.span),
                ast::Item::For(f) => {
                    self.declare(&f.items, false);
                    continue;
                }
                _ => continue,
            };
            if !top {
                self.error(CheckError::new(
                    span,
                    format!("{what} must be declared at the top level, not inside `for`"),
                ));
                continue;
            }
            match item {
                ast::Item::Kind(k) => self.declare_kind(k),
                ast::Item::Entity(e) => self.declare_entity(e),
                ast::Item::Source(s) => self.declare_source(s),
                ast::Item::Param(p) => self.declare_param(p),
                ast::Item::Enum(e) => self.declare_enum(e),
                ast::Item::Table(t) => self.declare_table(t),
                _ => {}
            }
        }
    }

    fn declare_kind(&mut self, k: &'a ast::KindDef) {
        if let Some(first) = self.kind_ast {
            let e = CheckError::new(k.span, "a second `kind` in one rule folder")
                .label("a kind folder declares one kind")
                .note(format!(
                    "the first is {:?}; put each kind in its own folder",
                    first.format
                ));
            self.error(e);
        } else {
            self.kind_ast = Some(k);
        }
    }

    fn declare_entity(&mut self, e: &'a ast::EntityDecl) {
        let n = &e.name.name;
        if self.entity_names.contains_key(n) || self.enum_names.contains_key(n) || BASE_TYPES.contains(&n.as_str()) {
            self.error(CheckError::new(
                e.name.span,
                format!("`{n}` is already a type (an entity, an enum or a built-in type)"),
            ));
            return;
        }
        self.entity_names.insert(n.clone(), self.entity_asts.len() as EntityId);
        self.entity_asts.push(e);
    }

    fn declare_source(&mut self, s: &'a ast::Source) {
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
            // Resolved with the texts and quotes (`trace`).
            text_file: s.text_file.as_ref().map(|(path, _)| path.clone()),
            text: None,
            articles: Vec::new(),
        });
    }

    fn declare_param(&mut self, p: &'a ast::Param) {
        if self.name_taken(&p.name) {
            return;
        }
        self.param_names
            .insert(p.name.name.clone(), self.param_asts.len() as ParamId);
        self.param_asts.push(p);
        self.params.push(None);
    }

    fn declare_enum(&mut self, e: &'a ast::EnumDef) {
        let n = &e.name.name;
        if self.enum_names.contains_key(n) || self.entity_names.contains_key(n) || BASE_TYPES.contains(&n.as_str()) {
            self.error(CheckError::new(
                e.name.span,
                format!("enum `{n}` is declared twice (or is a built-in type or an entity)"),
            ));
            return;
        }
        // A code, Japanese or English name names one variant; an alias may
        // stand on several, and a value written so is ambiguous (the reader
        // asks which is meant).
        let mut names: HashMap<String, u32> = HashMap::new();
        let mut aliases: HashMap<String, Vec<u32>> = HashMap::new();
        let mut alias_order: Vec<String> = Vec::new();
        let mut variants = Vec::new();
        for (i, v) in e.variants.iter().enumerate() {
            let i = i as u32;
            let var = variant(&v.code.name, &v.ja, &v.en, &[]);
            for s in &var.spellings {
                if let Some(other) = names.insert(s.clone(), i)
                    && other != i
                {
                    let other = &e.variants[other as usize].code.name;
                    self.error(CheckError::new(
                        v.span,
                        format!("`{s}` names both `{other}` and `{}` in enum {n}", v.code.name),
                    ));
                }
            }
            for a in &v.aliases {
                let k = crate::text::key(a);
                let list = aliases.entry(k.clone()).or_default();
                if list.is_empty() {
                    alias_order.push(k);
                }
                if !list.contains(&i) {
                    list.push(i);
                }
            }
            variants.push(var);
        }
        let mut ambiguous = Vec::new();
        for k in alias_order {
            let list = &aliases[&k];
            match names.get(&k) {
                Some(owner) if list.iter().any(|x| x != owner) => {
                    let owner = &e.variants[*owner as usize];
                    self.error(
                        CheckError::new(
                            owner.span,
                            format!(
                                "`{k}` is a name of `{}` and an alias of another value in enum {n}",
                                owner.code.name
                            ),
                        )
                        .note("an alias may stand on several values (the reader then asks which is meant), a code or a name only on one"),
                    );
                }
                Some(_) => {}
                None if list.len() > 1 => ambiguous.push((k, list.clone())),
                None => {
                    let var = &mut variants[list[0] as usize];
                    var.spellings.push(k);
                    var.spellings.sort();
                }
            }
        }
        let id = self.add_enum(n, e.open, variants);
        let label = e.doc.label.as_ref().map(|l| self.plain(l));
        let help = e.help.as_ref().map(|l| self.plain(l));
        let def = &mut self.enums[id as usize];
        def.label = label;
        def.help = help;
        def.ambiguous = ambiguous;
    }

    fn declare_table(&mut self, t: &'a ast::Table) {
        if self.name_taken(&t.name) {
            return;
        }
        self.table_names
            .insert(t.name.name.clone(), self.table_asts.len() as TableId);
        self.table_asts.push(t);
        self.tables.push(None);
    }

    /// Parameters, tables and top-level lets share one namespace.
    pub(crate) fn name_taken(&mut self, name: &ast::Ident) -> bool {
        let n = &name.name;
        let root_field = !self.schema.entities.is_empty() && self.schema.field_index(self.schema.root, n).is_some();
        let taken = self.param_names.contains_key(n)
            || self.table_names.contains_key(n)
            || self
                .computed_names
                .get(self.schema.root as usize)
                .is_some_and(|c| c.contains_key(n))
            || root_field;
        if taken {
            self.error(CheckError::new(
                name.span,
                format!("`{n}` is already declared (as a parameter, table, let or input field)"),
            ));
        }
        taken
    }

    // ------------------------------------------------------------ the schema

    /// Builds the input's shape from the `entity` declarations and the
    /// kind's `root`: field types, what absence means, who owns whom.
    pub(crate) fn build_schema(&mut self) {
        let asts = self.entity_asts.clone();
        self.schema.entities = asts
            .iter()
            .map(|e| EntityDef {
                name: e.name.name.clone(),
                label: None,
                fields: Vec::new(),
                title: None,
                owner: None,
                span: e.span,
            })
            .collect();
        let own: Vec<Vec<FieldDef>> = asts.iter().map(|e| self.own_fields(e)).collect();
        for (id, e) in asts.iter().enumerate() {
            let mut fields = self.like_fields(e, &own);
            for f in &own[id] {
                if fields.iter().any(|x| x.name == f.name) {
                    self.error(CheckError::new(
                        f.span,
                        format!("{} has two fields `{}`", e.name.name, f.name),
                    ));
                } else {
                    fields.push(f.clone());
                }
            }
            let label = e.label.as_ref().map(|l| self.plain(l));
            let def = &mut self.schema.entities[id];
            def.fields = fields;
            def.label = label;
        }
        for (id, e) in asts.iter().enumerate() {
            self.entity_extras(id as EntityId, e);
        }
        // Every title is known now: the examples of lists of entities name
        // their elements by title.
        for (id, e) in asts.iter().enumerate() {
            let mut at = Some(*e);
            let mut depth = 0;
            while let Some(x) = at {
                for f in &x.fields {
                    if let Some(index) = self.schema.field_index(id as EntityId, &f.name.name) {
                        self.element_titles(id as EntityId, index, f);
                    }
                }
                depth += 1;
                at = x
                    .like
                    .as_ref()
                    .and_then(|b| self.entity_names.get(&b.name))
                    .map(|b| asts[*b as usize])
                    .filter(|_| depth <= 16);
            }
        }
        self.set_owners();
        self.set_root();
        let n = self.schema.entities.len();
        self.computed_names = vec![HashMap::new(); n];
        self.computed_lets = vec![Vec::new(); n];
    }

    /// The fields an entity declares itself.
    fn own_fields(&mut self, e: &'a ast::EntityDecl) -> Vec<FieldDef> {
        let mut fields: Vec<FieldDef> = Vec::new();
        for f in &e.fields {
            if f.name.name == "format" {
                self.error(
                    CheckError::new(f.name.span, "`format` is every document's own field")
                        .note("the reader checks it against the kind's format"),
                );
                continue;
            }
            if fields.iter().any(|x| x.name == f.name.name) {
                self.error(CheckError::new(
                    f.name.span,
                    format!("{} has two fields `{}`", e.name.name, f.name.name),
                ));
                continue;
            }
            if let Some(def) = self.field_def(f) {
                fields.push(def);
            }
        }
        fields
    }

    /// The fields an entity takes from the entity it is `like` (and that
    /// one's own `like`, …), outermost first.
    fn like_fields(&mut self, e: &'a ast::EntityDecl, own: &[Vec<FieldDef>]) -> Vec<FieldDef> {
        let mut chain = Vec::new();
        let mut at = e;
        while let Some(base) = &at.like {
            match self.entity_names.get(&base.name).copied() {
                Some(b) if chain.contains(&b) || chain.len() > 16 => {
                    self.error(CheckError::new(base.span, "`like` goes round in a circle"));
                    break;
                }
                Some(b) => {
                    chain.push(b);
                    at = self.entity_asts[b as usize];
                }
                None => {
                    let err = self.unknown_type(base);
                    self.error(err);
                    break;
                }
            }
        }
        chain
            .iter()
            .rev()
            .flat_map(|b| own[*b as usize].iter().cloned())
            .collect()
    }

    fn field_def(&mut self, f: &ast::FieldDecl) -> Option<FieldDef> {
        let ty = self.field_type(&f.ty)?;
        let absent = match (&f.default, f.optional) {
            (Some(d), true) => {
                self.error(CheckError::new(
                    d.span,
                    "a field is `optional` (absent = unknown) or has a `default`, not both",
                ));
                Absent::Unknown
            }
            (Some(d), false) => {
                let want = self.field_ty_to_ty(&ty);
                match self.const_value(d, &want) {
                    Some(v) => Absent::Default(v),
                    None => Absent::Unknown,
                }
            }
            (None, true) => Absent::Unknown,
            (None, false) => Absent::Required,
        };
        if f.nonempty && !matches!(ty, FieldTy::List(_)) {
            self.error(CheckError::new(f.span, "only a list can be `nonempty`"));
        }
        let unit = if f.unit.is_empty() {
            Vec::new()
        } else if ty != FieldTy::Int {
            self.error(
                CheckError::new(f.unit_span.unwrap_or(f.span), "only an `int` field has a `unit`")
                    .note("amounts, dates and fiscal years read their own units (千円, 年度 …)"),
            );
            Vec::new()
        } else if let Some(bad) = f.unit.iter().find(|u| {
            let k = crate::text::normalize(u);
            k.is_empty() || k.chars().any(|c| c.is_ascii_digit() || c.is_whitespace())
        }) {
            self.error(CheckError::new(
                f.unit_span.unwrap_or(f.span),
                format!("a unit is a word without digits or spaces, not {bad:?}"),
            ));
            Vec::new()
        } else {
            f.unit.clone()
        };
        let label = f.label.as_ref().map(|l| self.plain(l));
        let mut def = FieldDef {
            name: f.name.name.clone(),
            ty,
            absent,
            nonempty: f.nonempty,
            unique: None,
            unit,
            example: Vec::new(),
            one_of: None,
            label,
            span: f.span,
        };
        if let Some((examples, span)) = &f.example {
            let json: Vec<String> = examples
                .iter()
                .map(|e| match e {
                    ast::Example::String(s) => serde_json::Value::String(s.clone()).to_string(),
                    ast::Example::Number(n) => n.clone(),
                    ast::Example::Bool(b) => b.to_string(),
                })
                .collect();
            let read = match &def.ty {
                // The titles of the list's elements: checked once titles are known.
                FieldTy::List(inner) if matches!(**inner, FieldTy::Entity(_)) => Ok(()),
                FieldTy::List(inner) => {
                    let one = FieldDef {
                        ty: (**inner).clone(),
                        ..def.clone()
                    };
                    json.iter()
                        .try_for_each(|j| crate::input::read_example(&one, &self.enums, j))
                }
                _ if json.len() > 1 => Err("a field of one value has one example".to_string()),
                _ => crate::input::read_example(&def, &self.enums, &json[0]),
            };
            match read {
                Ok(()) => def.example = json,
                Err(why) => self.error(example_error(*span, &why)),
            }
        }
        Some(def)
    }

    /// `unique`, `one_of` and `title`, which name fields of other entities.
    fn entity_extras(&mut self, id: EntityId, e: &'a ast::EntityDecl) {
        // An entity `like` another takes its title, and the `unique` and
        // `one_of` of the fields it takes.
        let mut chain = vec![e];
        while let Some(base) = chain.last().and_then(|x| x.like.as_ref()) {
            match self.entity_names.get(&base.name) {
                Some(b) if chain.len() <= 16 => chain.push(self.entity_asts[*b as usize]),
                _ => break,
            }
        }
        if let Some(t) = chain.iter().find_map(|x| x.title.as_ref()) {
            match self.schema.field_index(id, &t.name) {
                Some(i) if scalar(&self.schema.field(id, i).ty) => self.schema.entities[id as usize].title = Some(i),
                Some(_) => self.error(CheckError::new(
                    t.span,
                    "a title is a field of one value (a name, a code)",
                )),
                None => {
                    let err = self.unknown_field(id, t);
                    self.error(err);
                }
            }
        }
        for f in chain.iter().flat_map(|x| x.fields.iter()) {
            let Some(index) = self.schema.field_index(id, &f.name.name) else {
                continue;
            };
            if let Some(u) = &f.unique {
                let span = f.unique_span.unwrap_or(f.span);
                let (entity, values) = match &self.schema.field(id, index).ty {
                    FieldTy::List(inner) => match **inner {
                        FieldTy::Entity(el) => (Some(el), false),
                        ref t => (None, scalar(t)),
                    },
                    _ => (None, false),
                };
                let unique = match (u, entity) {
                    (None, None) if values => Some(Unique::Values),
                    (None, Some(_)) => {
                        self.error(
                            CheckError::new(span, "`unique` on a list of entities names the field that must differ")
                                .note("write `unique FIELD`, e.g. `unique name`"),
                        );
                        None
                    }
                    (Some(name), Some(el)) => match self.schema.field_index(el, &name.name) {
                        Some(k) if scalar(&self.schema.field(el, k).ty) => Some(Unique::Field(k)),
                        Some(_) => {
                            self.error(CheckError::new(name.span, "`unique FIELD` names a field of one value"));
                            None
                        }
                        None => {
                            let err = self.unknown_field(el, name);
                            self.error(err);
                            None
                        }
                    },
                    (Some(_), None) if values => {
                        self.error(
                            CheckError::new(span, "`unique FIELD` is for a list of entities")
                                .note("a list of values is `unique` alone: its values must differ"),
                        );
                        None
                    }
                    _ => {
                        self.error(CheckError::new(
                            span,
                            "`unique` is for a list: of values (`unique`) or of entities (`unique FIELD`)",
                        ));
                        None
                    }
                };
                self.schema.entities[id as usize].fields[index as usize].unique = unique;
            }
            if let Some(path) = &f.one_of
                && let Some(steps) = self.one_of_path(id, index, path)
            {
                self.schema.entities[id as usize].fields[index as usize].one_of = Some(steps);
            }
        }
    }

    /// The `example` of a list of entities names its elements by their
    /// titles (`members: list<Member> example "岩見沢市", "夕張市"`): each
    /// must read as the element's title field.
    fn element_titles(&mut self, id: EntityId, index: u32, f: &ast::FieldDecl) {
        let Some((_, span)) = &f.example else {
            return;
        };
        let field = self.schema.field(id, index);
        let FieldTy::List(inner) = &field.ty else {
            return;
        };
        let FieldTy::Entity(el) = **inner else {
            return;
        };
        let examples = field.example.clone();
        let Some(t) = self.schema.entity(el).title else {
            self.schema.entities[id as usize].fields[index as usize].example.clear();
            self.error(
                CheckError::new(
                    *span,
                    "the example of a list of entities names its elements by their titles",
                )
                .note(format!("{} has no `title`", self.schema.entity(el).name)),
            );
            return;
        };
        let title = self.schema.field(el, t).clone();
        if let Err(why) = examples
            .iter()
            .try_for_each(|j| crate::input::read_example(&title, &self.enums, j))
        {
            self.schema.entities[id as usize].fields[index as usize].example.clear();
            self.error(example_error(*span, &why));
        }
    }

    /// Resolves `one_of members.name` from entity `id`: each step a field,
    /// into entities or lists of entities, ending at a value of the field's type.
    fn one_of_path(&mut self, id: EntityId, index: u32, path: &[ast::Ident]) -> Option<Vec<u32>> {
        let want = self.schema.field(id, index).ty.clone();
        let mut entity = id;
        let mut steps = Vec::new();
        for (i, seg) in path.iter().enumerate() {
            let Some(k) = self.schema.field_index(entity, &seg.name) else {
                let err = self.unknown_field(entity, seg);
                self.error(err);
                return None;
            };
            steps.push(k);
            let ty = self.schema.field(entity, k).ty.clone();
            let last = i + 1 == path.len();
            match (ty, last) {
                (FieldTy::Entity(e), false) => entity = e,
                (FieldTy::List(inner), false) if matches!(*inner, FieldTy::Entity(_)) => {
                    if let FieldTy::Entity(e) = *inner {
                        entity = e;
                    }
                }
                (t, true) if t == want || t == FieldTy::List(Box::new(want.clone())) => return Some(steps),
                _ => {
                    self.error(CheckError::new(
                        seg.span,
                        "`one_of` names a path to values of the field's own type",
                    ));
                    return None;
                }
            }
        }
        None
    }

    /// Each entity type has one place in the tree: the field that holds it.
    fn set_owners(&mut self) {
        let n = self.schema.entities.len();
        for id in 0..n {
            for (k, f) in self.schema.entities[id].fields.clone().iter().enumerate() {
                let held = match &f.ty {
                    FieldTy::Entity(e) => Some(*e),
                    FieldTy::List(inner) => match **inner {
                        FieldTy::Entity(e) => Some(e),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(e) = held else { continue };
                if e as usize == id {
                    self.error(CheckError::new(f.span, "an entity cannot hold itself"));
                    continue;
                }
                match self.schema.entities[e as usize].owner {
                    Some((o, ok)) => {
                        let (oname, fname) = (
                            self.schema.entities[o as usize].name.clone(),
                            self.schema.field(o, ok).name.clone(),
                        );
                        let ename = self.schema.entities[e as usize].name.clone();
                        self.error(
                            CheckError::new(f.span, format!("{ename} is already held by {oname}.{fname}"))
                                .note(format!(
                                    "an entity has one place in a document: declare `entity Other{ename} like {ename} {{}}` for this one"
                                )),
                        );
                    }
                    None => self.schema.entities[e as usize].owner = Some((id as EntityId, k as u32)),
                }
            }
        }
    }

    fn set_root(&mut self) {
        let Some(kind) = self.kind_ast else {
            return;
        };
        let Some(root) = &kind.root else {
            return;
        };
        match self.entity_names.get(&root.name).copied() {
            Some(r) if self.schema.entities[r as usize].owner.is_none() => {
                self.schema.root = r;
                self.root_ok = true;
            }
            Some(_) => self.error(CheckError::new(
                root.span,
                "the root is the document itself: an entity no other entity holds",
            )),
            None => {
                let e = self.unknown_type(root);
                self.error(e);
            }
        }
    }

    /// The type of an input field.
    fn field_type(&mut self, t: &ast::TypeExpr) -> Option<FieldTy> {
        match t {
            ast::TypeExpr::List(inner, _) => Some(FieldTy::List(Box::new(self.field_type(inner)?))),
            ast::TypeExpr::Named(id) => Some(match id.name.as_str() {
                "bool" => FieldTy::Bool,
                "int" | "integer" => FieldTy::Int,
                "money" => FieldTy::Money,
                "ratio" => FieldTy::Ratio,
                "date" => FieldTy::Date,
                "fiscal_year" => FieldTy::FiscalYear,
                "string" => FieldTy::Text,
                "municipality" => FieldTy::Municipality,
                other => match (self.enum_names.get(other), self.entity_names.get(other)) {
                    (Some(e), _) => FieldTy::Enum(*e),
                    (_, Some(e)) => FieldTy::Entity(*e),
                    _ => {
                        let e = self.unknown_type(id);
                        self.error(e);
                        return None;
                    }
                },
            }),
        }
    }

    /// The rule-language type of an input field.
    pub(crate) fn field_ty_to_ty(&self, t: &FieldTy) -> Ty {
        match t {
            FieldTy::Bool => Ty::Bool,
            FieldTy::Int => Ty::Int,
            FieldTy::Money => Ty::Money,
            FieldTy::Ratio => Ty::Ratio,
            FieldTy::Date => Ty::Date,
            FieldTy::FiscalYear => Ty::FiscalYear,
            FieldTy::Text => Ty::Text,
            FieldTy::Municipality => Ty::Municipality,
            FieldTy::Enum(e) => Ty::Enum(*e),
            FieldTy::Entity(e) => Ty::Entity(*e),
            FieldTy::List(inner) => Ty::List(Box::new(self.field_ty_to_ty(inner))),
        }
    }

    pub(crate) fn unknown_type(&self, id: &ast::Ident) -> CheckError {
        let mut names: Vec<&str> = BASE_TYPES.to_vec();
        names.extend(self.enum_names.keys().map(String::as_str));
        names.extend(self.entity_names.keys().map(String::as_str));
        let mut e = CheckError::new(id.span, format!("unknown type `{}`", id.name)).label("not a type");
        if let Some(h) = did_you_mean(&id.name, names.iter().copied()) {
            e = e.note(h);
        }
        e
    }

    pub(crate) fn unknown_field(&self, entity: EntityId, name: &ast::Ident) -> CheckError {
        let def = self.schema.entity(entity);
        let mut names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
        if let Some(c) = self.computed_names.get(entity as usize) {
            names.extend(c.keys().map(String::as_str));
        }
        names.sort();
        let mut e =
            CheckError::new(name.span, format!("{} has no field `{}`", def.name, name.name)).label("unknown field");
        if let Some(hint) = did_you_mean(&name.name, names.iter().copied()) {
            e = e.note(hint);
        }
        e.note(format!("the fields of {} are: {}", def.name, names.join(", ")))
    }

    // ------------------------------------------------------------ parameters and tables

    /// A type written in a parameter or table declaration.
    pub(crate) fn resolve_type(&mut self, t: &ast::TypeExpr) -> Ty {
        match t {
            ast::TypeExpr::List(inner, _) => Ty::List(Box::new(self.resolve_type(inner))),
            ast::TypeExpr::Named(id) => match self.field_type(t) {
                Some(FieldTy::Entity(_)) => {
                    self.error(CheckError::new(
                        id.span,
                        "an entity is input, not a value of a parameter or table",
                    ));
                    Ty::Error
                }
                Some(f) => self.field_ty_to_ty(&f),
                None => Ty::Error,
            },
        }
    }

    pub(crate) fn check_params(&mut self) {
        for id in 0..self.param_asts.len() {
            let p = self.param_asts[id];
            self.repeated(&format!("parameter `{}`", p.name.name), &p.doc.repeated);
            let ty = self.resolve_type(&p.ty);
            let cite = p.doc.cite.as_ref().map(|c| self.citation(c));
            let label = p.doc.label.as_ref().map(|l| self.plain(l));
            let mut versions: Vec<ParamVersion> = Vec::new();
            for v in &p.versions {
                let Some(value) = self.const_value(&v.value, &ty) else {
                    continue;
                };
                if let (Some(until), Some(from)) = (v.until, v.from)
                    && until < from
                {
                    self.error(CheckError::new(
                        v.span,
                        format!("the version ends ({until}) before it starts ({from})"),
                    ));
                }
                if let Some(prev) = versions.last()
                    && (v.from.is_none() || prev.until.is_none_or(|u| Some(u) >= v.from))
                {
                    self.error(CheckError::new(v.span, format!("parameter `{}`: this version overlaps the one before it; list versions in date order, each starting after the previous one ends (only the first may start with `..`)", p.name.name)));
                }
                versions.push(ParamVersion {
                    from: v.from,
                    until: v.until,
                    value,
                    cite: v.cite.as_ref().map(|c| self.citation(c)),
                    citation: None,
                });
            }
            self.params[id] = Some(Param {
                name: p.name.name.clone(),
                ty,
                label,
                cite,
                shown: ParamShown::default(),
                versions,
                span: p.span,
            });
        }
    }

    pub(crate) fn check_tables(&mut self) {
        for id in 0..self.table_asts.len() {
            let t = self.table_asts[id];
            self.repeated(&format!("table `{}`", t.name.name), &t.doc.repeated);
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

    pub(crate) fn variant_index(&self, e: EnumId, code: &str) -> Option<u32> {
        self.enums[e as usize]
            .variants
            .iter()
            .position(|v| v.code == code)
            .map(|i| i as u32)
    }

    pub(crate) fn unknown_variant(&self, e: EnumId, name: &ast::Ident) -> CheckError {
        let def = &self.enums[e as usize];
        let codes: Vec<&str> = def.variants.iter().map(|v| v.code.as_str()).collect();
        let mut err = CheckError::new(name.span, format!("`{}` is not a value of {}", name.name, def.name))
            .label("unknown value");
        if let Some(h) = did_you_mean(&name.name, codes.iter().copied()) {
            err = err.note(h);
        }
        err.note(format!("the values of {} are: {}", def.name, codes.join(", ")))
    }

    /// Whether `name` is a value of some enum (a `let` of that name would
    /// hide it in comparisons).
    pub(crate) fn enum_value_named(&self, name: &str) -> Option<&str> {
        self.enums
            .iter()
            .find(|e| e.variants.iter().any(|v| v.code == name))
            .map(|e| e.name.as_str())
    }
}

fn example_error(span: crate::source::Span, why: &str) -> CheckError {
    CheckError::new(span, format!("the example does not read as this field's value: {why}"))
        .note("`grant-rules init` writes it into a starting document, which must read without errors")
}

/// A field of one value (not a list, not an entity).
fn scalar(t: &FieldTy) -> bool {
    !matches!(t, FieldTy::List(_) | FieldTy::Entity(_))
}
