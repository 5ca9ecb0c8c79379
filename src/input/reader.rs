//! The type-directed reader: walks a document's JSON tree along the kind's
//! schema and builds its facts. Each field is read by its declared type —
//! amounts in yen or 千円, dates in 和暦, fiscal years as 令和6年度,
//! municipalities by name or code with "did you mean", enum values by any of
//! their spellings — and every problem is collected with its JSON path,
//! line and column, so one pass reports them all.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::InputError;
use super::json::{Document, Json, Member, describe};
use super::scalar;
use crate::facts::Facts;
use crate::program::Program;
use crate::reference::hokkaido;
use crate::schema::{Absent, EntityId, FieldDef, FieldTy, Unique};
use crate::text::{closest, kagi, quoted, shown};
use crate::value::{Elem, Missing, PathId, Value};

pub(crate) struct Reader<'p, 'd, 't> {
    program: &'p Program,
    doc: &'d Document<'t>,
    pub facts: Facts,
    pub errors: Vec<InputError>,
    /// Whose facts are being read (the title of the nearest entity that has
    /// one), for the description of missing facts.
    owner: String,
    /// A buffer to write paths in, and the empty title all untitled
    /// entities share: fewer allocations per document.
    scratch: String,
    empty: Arc<str>,
}

/// An object's properties by name. Objects are small (an expense line has
/// five fields): a list searched in order beats hashing; a hostile object
/// with thousands of keys is indexed.
struct Props<'o, 't> {
    list: Vec<(&'o str, &'o Member<'t>)>,
    index: Option<HashMap<&'o str, usize>>,
}

impl<'o, 't> Props<'o, 't> {
    const INDEX_FROM: usize = 32;

    fn with_capacity(n: usize) -> Self {
        Props {
            list: Vec::with_capacity(n),
            index: (n > Self::INDEX_FROM).then(|| HashMap::with_capacity(n)),
        }
    }

    /// Adds a property; false when the name is already there.
    fn insert(&mut self, name: &'o str, p: &'o Member<'t>) -> bool {
        if self.get(name).is_some() {
            return false;
        }
        if let Some(index) = &mut self.index {
            index.insert(name, self.list.len());
        }
        self.list.push((name, p));
        true
    }

    fn get(&self, name: &str) -> Option<&'o Member<'t>> {
        match &self.index {
            Some(index) => index.get(name).map(|i| self.list[*i].1),
            None => self.list.iter().find(|(n, _)| *n == name).map(|(_, p)| *p),
        }
    }
}

/// A value that was wrong in the input: the document has errors and no
/// decision is made, so it is never read.
fn placeholder() -> Value {
    Value::unknown(Missing::default())
}

/// Where a value is in the document (`projects[0].expenses[2].amount`),
/// written out only when it is needed (an error, a missing fact, an
/// entity's path): a document of a thousand fields has a thousand paths.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(p, name) => write!(f, "{p}.{name}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

impl<'a> Path<'a> {
    fn field(&'a self, name: &'a str) -> Path<'a> {
        Path::Field(self, name)
    }

    fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The path of the object holding this field, and the field's name.
    fn split(&self) -> (String, &str) {
        match self {
            Path::Field(p, name) => (p.to_string(), name),
            other => (other.to_string(), ""),
        }
    }
}

impl<'p, 'd, 't> Reader<'p, 'd, 't> {
    pub(super) fn new(program: &'p Program, doc: &'d Document<'t>) -> Self {
        Reader {
            program,
            doc,
            facts: Facts::new(program.schema.entities.len()),
            errors: Vec::new(),
            owner: String::new(),
            scratch: String::with_capacity(64),
            empty: Arc::from(""),
        }
    }

    fn error(&mut self, path: &Path, at: Option<usize>, en: impl Into<String>, ja: impl Into<String>) {
        let position = at.map(|a| self.doc.position(a));
        self.errors.push(InputError::new(path.to_string(), en, ja).at(position));
    }

    /// Reads the whole document.
    pub(super) fn read(&mut self) {
        let root = self.program.schema.root;
        let doc = self.doc;
        let Json::Object(obj, at) = &doc.root else {
            self.error(
                &Path::Root,
                Some(doc.root.start()),
                "the document is not a JSON object: write it as { \"format\": …, … }",
                "文書がJSONのオブジェクト（{…}）ではありません。{ \"format\": …, … } の形で書いてください",
            );
            return;
        };
        self.format(obj, *at);
        self.entity(root, obj, *at, &Path::Root, 0);
    }

    /// The `format` every document carries: exactly the kind's.
    fn format(&mut self, obj: &[Member], at: usize) {
        let want = self.program.kind.format.as_str();
        match obj.iter().find(|p| p.name == "format") {
            None => self.error(
                &Path::Root,
                Some(at),
                format!("missing field \"format\": add \"format\": \"{want}\""),
                format!("必須項目「format」がありません。\"format\": \"{want}\" を書き加えてください"),
            ),
            Some(p) => match &p.value {
                Json::String(s, _) if s == want => {}
                Json::String(s, at) => self.error(
                    &Path::Root.field("format"),
                    Some(*at),
                    format!("expected \"{want}\", found {}", quoted(s)),
                    format!(
                        "様式（format）は「{want}」でなければなりません（{}と書かれています）",
                        kagi(s)
                    ),
                ),
                other => {
                    let (en, ja) = describe(other);
                    self.error(
                        &Path::Root.field("format"),
                        Some(other.start()),
                        format!("invalid type: {en}, expected the string \"{want}\""),
                        format!("{ja}ではなく文字列 \"{want}\" を書いてください"),
                    );
                }
            },
        }
    }

    /// An object read as entity `e`; returns its instance index.
    fn entity(&mut self, e: EntityId, obj: &[Member<'t>], at: usize, path: &Path, parent: u32) -> u32 {
        let program = self.program;
        let def = program.schema.entity(e);
        let index = self.facts.rows[e as usize].len() as u32;
        self.facts.rows[e as usize].push(Vec::new());
        self.facts.parent[e as usize].push(parent);
        self.scratch.clear();
        let _ = std::fmt::Write::write_fmt(&mut self.scratch, format_args!("{path}"));
        let instance_path: Arc<str> = Arc::from(self.scratch.as_str());
        self.facts.instance_paths[e as usize].push(instance_path);
        self.facts.titles[e as usize].push(self.empty.clone());
        let props = self.properties(e, obj, path);
        let mut saved_owner = None;
        if let Some(t) = def.title
            && let Some(p) = props.get(def.fields[t as usize].name.as_str())
            && let Json::String(s, _) = &p.value
        {
            let title = match def.fields[t as usize].ty {
                FieldTy::Municipality => hokkaido()
                    .resolve(s)
                    .map(|m| hokkaido().name(m).to_string())
                    .unwrap_or_else(|_| shown(s)),
                _ => shown(s),
            };
            self.facts.titles[e as usize][index as usize] = title.as_str().into();
            saved_owner = Some(std::mem::replace(&mut self.owner, title));
        }
        let mut row = Vec::with_capacity(def.fields.len());
        for (k, f) in def.fields.iter().enumerate() {
            let fpath = path.field(&f.name);
            let given = props.get(f.name.as_str()).map(|p| &p.value);
            let value = match given {
                Some(v) if !matches!(v, Json::Null(_)) => self.value(&f.ty, f, v, &fpath, e, index),
                _ => self.absent(f, (e, k as u32), &fpath, given.map_or(at, Json::start)),
            };
            row.push(value);
        }
        self.facts.rows[e as usize][index as usize] = row;
        for (k, f) in def.fields.iter().enumerate() {
            if let Some(steps) = &f.one_of {
                let at = props.get(f.name.as_str()).map(|p| p.value.start());
                self.one_of(e, index, k, steps, &path.field(&f.name), at);
            }
        }
        if let Some(owner) = saved_owner {
            self.owner = owner;
        }
        index
    }

    /// The object's properties by name; unknown and repeated ones are errors.
    fn properties<'o>(&mut self, e: EntityId, obj: &'o [Member<'t>], path: &Path) -> Props<'o, 't> {
        let def = self.program.schema.entity(e);
        let is_root = e == self.program.schema.root;
        let mut out = Props::with_capacity(obj.len());
        for p in obj {
            let name: &str = &p.name;
            let at = Some(p.at);
            if !out.insert(name, p) {
                self.error(
                    path,
                    at,
                    format!("duplicate field {}: keep one of the two", quoted(name)),
                    format!("項目{}が二回書かれています。どちらか一つにしてください", kagi(name)),
                );
                continue;
            }
            if is_root && name == "format" {
                continue;
            }
            if def.fields.iter().all(|f| f.name != name) {
                let mut names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                if is_root {
                    names.insert(0, "format");
                }
                let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                let near = closest(name, names.iter().copied());
                let hint = near.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default();
                let ja_hint = near.map(|h| format!("（もしかして「{h}」？）")).unwrap_or_default();
                self.error(
                    path,
                    at,
                    format!(
                        "unknown field {}, expected one of {}{hint}; rename or remove it",
                        quoted(name),
                        list.join(", ")
                    ),
                    format!(
                        "項目{}はこの様式にありません{}。項目名を直すか、削除してください（使える項目: {}）",
                        kagi(name),
                        ja_hint,
                        names.join(", ")
                    ),
                );
            }
        }
        out
    }

    /// An absent or null field: an error, an unknown fact or its default.
    fn absent(&mut self, f: &FieldDef, field: (EntityId, u32), path: &Path, at: usize) -> Value {
        match &f.absent {
            Absent::Required => {
                let (parent, name) = path.split();
                let position = self.doc.position(at);
                let what = self.what(f);
                let (en, ja) = if what.ja == name {
                    (
                        format!("missing field \"{name}\": add it"),
                        format!("必須項目「{name}」がありません。書き加えてください"),
                    )
                } else {
                    (
                        format!("missing field \"{name}\" ({}): add it", what.en),
                        format!("必須項目「{name}」（{}）がありません。書き加えてください", what.ja),
                    )
                };
                self.errors.push(InputError::new(parent, en, ja).at(Some(position)));
                placeholder()
            }
            Absent::Unknown => self.missing(path, field),
            Absent::Default(v) => v.clone(),
        }
    }

    /// An absent fact: unknown, with its path recorded for the decision.
    fn missing(&mut self, path: &Path, field: (EntityId, u32)) -> Value {
        let id = self.facts.paths.len() as PathId;
        self.facts.paths.push(path.to_string());
        self.facts.owners.push(self.owner.clone());
        self.facts.fields.push(field);
        Value::unknown(Missing::one(id))
    }

    /// A value of type `ty`.
    fn value(&mut self, ty: &FieldTy, f: &FieldDef, v: &Json<'t>, path: &Path, e: EntityId, index: u32) -> Value {
        match (ty, v) {
            (FieldTy::Entity(child), Json::Object(o, at)) => Value::Entity(self.entity(*child, o, *at, path, index)),
            (FieldTy::List(inner), Json::Array(a, at)) => self.list(inner, f, a, *at, path, (e, index)),
            _ => match scalar::scalar(ty, f, &self.program.enums, v) {
                Ok(value) => value,
                Err(p) => {
                    self.error(path, Some(v.start()), p.en, p.ja);
                    placeholder()
                }
            },
        }
    }

    fn list(
        &mut self,
        inner: &FieldTy,
        f: &FieldDef,
        a: &[Json<'t>],
        at: usize,
        path: &Path,
        (e, index): (EntityId, u32),
    ) -> Value {
        if a.len() > super::MAX_LIST_ITEMS {
            let max = super::MAX_LIST_ITEMS;
            self.error(
                path,
                Some(at),
                format!("{} items: a list holds at most {max}; split the document", a.len()),
                format!(
                    "{} 件あります。一つの配列に書けるのは {max} 件までです。文書を分けてください",
                    a.len()
                ),
            );
            return placeholder();
        }
        if f.nonempty && a.is_empty() {
            let what = self.what(f);
            self.error(
                path,
                Some(at),
                format!("at least one is required: write one or more {}", what.en),
                format!("{}を1つ以上書いてください", what.ja),
            );
        }
        let mut elems = Vec::with_capacity(a.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, el) in a.iter().enumerate() {
            let epath = path.index(i);
            let value = if matches!(el, Json::Null(_)) {
                self.error(
                    &epath,
                    Some(el.start()),
                    "null is not allowed in a list: remove it",
                    "配列の要素に null は書けません。取り除いてください",
                );
                placeholder()
            } else {
                self.value(inner, f, el, &epath, e, index)
            };
            match (f.unique, inner, &value) {
                (Some(Unique::Field(k)), FieldTy::Entity(child), Value::Entity(x)) => {
                    let v = self.facts.rows[*child as usize][*x as usize][k as usize].clone();
                    let kf = self.program.schema.field(*child, k);
                    let (name, kty) = (&kf.name, &kf.ty);
                    let at = match el {
                        Json::Object(o, _) => o.iter().find(|m| m.name == **name).map(|m| m.value.start()),
                        _ => None,
                    };
                    let at = (&epath.field(name), at.unwrap_or(el.start()));
                    self.unique(&v, kty, &mut seen, i, at, path);
                }
                (Some(Unique::Values), _, v) => {
                    let v = v.clone();
                    self.unique(&v, inner, &mut seen, i, (&epath, el.start()), path);
                }
                _ => {}
            }
            elems.push(Elem::sure(value));
        }
        Value::list(elems)
    }

    /// A value of a `unique` list: an error when an earlier element has it.
    fn unique(
        &mut self,
        v: &Value,
        ty: &FieldTy,
        seen: &mut HashMap<String, usize>,
        i: usize,
        (at_path, at): (&Path, usize),
        list: &Path,
    ) {
        let Some(id) = scalar::unique_key(v) else {
            return;
        };
        if let Some(first) = seen.insert(id, i) {
            let text = self.display(v, ty);
            self.error(
                at_path,
                Some(at),
                format!("\"{text}\" is listed twice (also {list}[{first}]): write it once, or tell the two apart"),
                format!("「{text}」が重複しています（{list}[{first}] と同じ）。一つにまとめるか、書き分けてください"),
            );
        }
    }

    /// What a field is, for a message: its label, else its name.
    fn what(&self, f: &FieldDef) -> crate::text::Text {
        f.label
            .clone()
            .unwrap_or_else(|| crate::text::Text::same(f.name.clone()))
    }

    /// Checks a `one_of` field against the values at its path.
    fn one_of(&mut self, e: EntityId, index: u32, k: usize, steps: &[u32], path: &Path, at: Option<usize>) {
        let value = self.facts.rows[e as usize][index as usize][k].clone();
        if value.is_unknown() {
            return;
        }
        let mut found = Vec::new();
        self.values_at(e, index, steps, &mut found);
        if found.contains(&value) || found.iter().any(Value::is_unknown) {
            return;
        }
        let schema = &self.program.schema;
        let mut names = Vec::new();
        let mut at_entity = e;
        for s in steps {
            let f = schema.field(at_entity, *s);
            names.push(f.name.clone());
            at_entity = match &f.ty {
                FieldTy::Entity(x) => *x,
                FieldTy::List(inner) => match **inner {
                    FieldTy::Entity(x) => x,
                    _ => at_entity,
                },
                _ => at_entity,
            };
        }
        let (parent, _) = path.split();
        let target = if parent.is_empty() {
            names.join(".")
        } else {
            format!("{parent}.{}", names.join("."))
        };
        let ty = &self.program.schema.field(e, k as u32).ty;
        let list: Vec<String> = found.iter().map(|v| self.display(v, ty)).collect();
        let text = self.display(&value, ty);
        self.error(
            path,
            at,
            format!(
                "\"{text}\" is not one of {target} ({}): write one of them, or add it there",
                list.join(", ")
            ),
            format!(
                "「{text}」が {target} に含まれていません（{}）。その中から選ぶか、{target} に加えてください",
                list.join("、")
            ),
        );
    }

    /// The values found by following field `steps` from an instance.
    fn values_at(&self, e: EntityId, index: u32, steps: &[u32], out: &mut Vec<Value>) {
        let Some((first, rest)) = steps.split_first() else {
            return;
        };
        let schema = &self.program.schema;
        let f = schema.field(e, *first);
        let v = &self.facts.rows[e as usize][index as usize][*first as usize];
        let next = match &f.ty {
            FieldTy::Entity(x) => Some(*x),
            FieldTy::List(inner) => match **inner {
                FieldTy::Entity(x) => Some(x),
                _ => None,
            },
            _ => None,
        };
        match (v, next, rest.is_empty()) {
            (Value::Entity(i), Some(x), false) => self.values_at(x, *i, rest, out),
            (Value::List(items), Some(x), false) => {
                for it in items.iter() {
                    if let Value::Entity(i) = it.value {
                        self.values_at(x, i, rest, out);
                    }
                }
            }
            (Value::List(items), _, true) => out.extend(items.iter().map(|i| i.value.clone())),
            (other, _, true) => out.push(other.clone()),
            _ => {}
        }
    }

    /// A value as an input error quotes it (user text cut and escaped).
    fn display(&self, v: &Value, ty: &FieldTy) -> String {
        match v {
            Value::Text(t) | Value::Other(t) => shown(t),
            Value::Municipality(m) => hokkaido().name(*m).to_string(),
            Value::Num(n) => n.normalize().to_string(),
            Value::Date(d) => d.to_string(),
            Value::FiscalYear(y) => y.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Enum(i) => match ty {
                FieldTy::Enum(id) => self.program.enums[*id as usize].variants[*i as usize].ja.clone(),
                _ => i.to_string(),
            },
            _ => "?".into(),
        }
    }
}
