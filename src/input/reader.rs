//! The type-directed reader: walks a document's JSON tree along the kind's
//! schema and builds its facts. Each field is read by its declared type —
//! amounts in yen or 千円, dates in 和暦, fiscal years as 令和6年度,
//! municipalities by name or code with "did you mean", enum values by any of
//! their spellings — and every problem is collected with its JSON path,
//! line and column, so one pass reports them all.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::error::InputError;
use super::json::{Document, Json, Member, describe};
use crate::facts::Facts;
use crate::model::{Bilingual, FiscalYear, JpDate, Yen};
use crate::program::{EnumDef, Program};
use crate::reference::hokkaido;
use crate::schema::{Absent, EntityId, FieldDef, FieldTy};
use crate::text::{did_you_mean, kagi, key, key_of, normalized, quoted, shown};
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
                "the document is not a JSON object",
                "文書がJSONのオブジェクト（{…}）ではありません",
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
                "missing field \"format\"",
                "必須項目「format」がありません",
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
                    format!("duplicate field {}", quoted(name)),
                    format!("項目{}が二回書かれています", kagi(name)),
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
                let hint = did_you_mean(name, names.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                self.error(
                    path,
                    at,
                    format!(
                        "unknown field {}, expected one of {}{hint}",
                        quoted(name),
                        list.join(", ")
                    ),
                    format!(
                        "項目{}はこの様式にありません（使える項目: {}）",
                        kagi(name),
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
                self.errors.push(
                    InputError::new(
                        parent,
                        format!("missing field \"{name}\""),
                        format!("必須項目「{name}」がありません"),
                    )
                    .at(Some(position)),
                );
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
            (FieldTy::Bool, Json::Bool(b, _)) => Value::Bool(*b),
            (FieldTy::Text, Json::String(s, _)) => Value::Text(Arc::from(s.as_ref())),
            (FieldTy::Int, Json::Number(n, at)) => self.int(n, *at, path),
            (FieldTy::Money, Json::Number(n, at)) => self.money_number(n, *at, path),
            (FieldTy::Money, Json::String(s, at)) => {
                self.parsed(path, *at, Yen::parse(s), |y| Value::Num(Decimal::from(y.0)))
            }
            (FieldTy::Ratio, Json::Number(n, at)) => self.ratio(n, path, *at),
            (FieldTy::Ratio, Json::String(s, at)) => self.ratio(s, path, *at),
            (FieldTy::Date, Json::String(s, at)) => self.parsed(path, *at, JpDate::parse(s), |d| Value::Date(d.0)),
            (FieldTy::FiscalYear, Json::String(s, at)) => {
                self.parsed(path, *at, FiscalYear::parse(s), |y| Value::FiscalYear(y.0))
            }
            (FieldTy::FiscalYear, Json::Number(n, at)) => match exact(n).and_then(whole_i64) {
                Some(y) => self.parsed(path, *at, FiscalYear::new(y), |y| Value::FiscalYear(y.0)),
                None => self.mismatch(ty, v, path),
            },
            (FieldTy::Municipality, Json::String(s, at)) => match hokkaido().resolve(s) {
                Ok(m) => Value::Municipality(m),
                Err(err) => {
                    self.error(path, Some(*at), err.to_string(), err.message_ja());
                    placeholder()
                }
            },
            (FieldTy::Enum(id), Json::String(s, at)) => self.variant(*id, s, path, *at),
            (FieldTy::Entity(child), Json::Object(o, at)) => Value::Entity(self.entity(*child, o, *at, path, index)),
            (FieldTy::List(inner), Json::Array(a, at)) => self.list(inner, f, a, *at, path, (e, index)),
            _ => self.mismatch(ty, v, path),
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
        if f.nonempty && a.is_empty() {
            self.error(path, Some(at), "at least one is required", "1つ以上書いてください");
        }
        let mut elems = Vec::with_capacity(a.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, el) in a.iter().enumerate() {
            let epath = path.index(i);
            let value = if matches!(el, Json::Null(_)) {
                self.error(
                    &epath,
                    Some(el.start()),
                    "null is not allowed in a list",
                    "配列の要素に null は書けません",
                );
                placeholder()
            } else {
                self.value(inner, f, el, &epath, e, index)
            };
            if let (Some(k), FieldTy::Entity(child), Value::Entity(x)) = (f.unique, inner, &value) {
                let shown_value = self.facts.rows[*child as usize][*x as usize][k as usize].clone();
                if let Some(id) = unique_key(&shown_value) {
                    let name = &self.program.schema.field(*child, k).name;
                    if let Some(first) = seen.insert(id, i) {
                        let text = display(&shown_value);
                        self.error(
                            &epath.field(name),
                            Some(el.start()),
                            format!("{text} is listed twice (also {path}[{first}])"),
                            format!("{text} が重複しています（{path}[{first}] と同じ）"),
                        );
                    }
                }
            }
            elems.push(Elem::sure(value));
        }
        Value::list(elems)
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
        let list: Vec<String> = found.iter().map(display).collect();
        let text = display(&value);
        self.error(
            path,
            at,
            format!("{text} is not one of {target} ({})", list.join(", ")),
            format!("{text} が {target} に含まれていません（{}）", list.join("、")),
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

    fn parsed<T, E: Bilingual>(
        &mut self,
        path: &Path,
        at: usize,
        r: Result<T, E>,
        f: impl FnOnce(T) -> Value,
    ) -> Value {
        match r {
            Ok(x) => f(x),
            Err(err) => {
                self.error(path, Some(at), err.to_string(), err.ja());
                placeholder()
            }
        }
    }

    /// A whole number ≥ 0, read exactly from the number's text.
    fn int(&mut self, n: &str, at: usize, path: &Path) -> Value {
        match exact(n) {
            Some(d) if d.fract().is_zero() && !d.is_sign_negative() => Value::Num(d.normalize()),
            Some(d) if d.is_sign_negative() && !d.is_zero() => {
                self.error(
                    path,
                    Some(at),
                    format!("negative number {}", shown(n)),
                    format!("負の数です（{}）", shown(n)),
                );
                placeholder()
            }
            _ => {
                self.error(
                    path,
                    Some(at),
                    format!("not a whole number: {}", shown(n)),
                    format!("整数ではありません（{}）", shown(n)),
                );
                placeholder()
            }
        }
    }

    /// An amount written as a JSON number, read exactly from its text:
    /// `1200000` and `1200000.0` (a spreadsheet's integer) are whole yen,
    /// `99999.99999999999999` is a fraction of a yen (never rounded first).
    fn money_number(&mut self, n: &str, start: usize, path: &Path) -> Value {
        let at = Some(start);
        let Some(d) = exact(n) else {
            self.error(
                path,
                at,
                format!("amount {} is too large or too precise to hold exactly", shown(n)),
                format!("金額 {} は正確に扱えない大きさ・桁数です", shown(n)),
            );
            return placeholder();
        };
        let r = if d.is_sign_negative() && !d.is_zero() {
            Err(crate::model::AmountError::Negative {
                value: d.normalize().to_string(),
                input: None,
            })
        } else if !d.fract().is_zero() {
            Err(crate::model::AmountError::Fraction {
                value: d.normalize().to_string(),
                input: None,
            })
        } else {
            u64::try_from(d.trunc())
                .map(Yen)
                .map_err(|_| crate::model::AmountError::TooLarge { input: n.to_string() })
        };
        self.parsed(path, start, r, |y| Value::Num(Decimal::from(y.0)))
    }

    /// A ratio: a decimal number or string (`1.02`, `"1.000"`), or a
    /// percentage string (`"102%"`), ≥ 0.
    fn ratio(&mut self, text: &str, path: &Path, at: usize) -> Value {
        let t = normalized(text);
        let (body, scale) = match t.strip_suffix('%') {
            Some(b) => (b.trim(), Decimal::ONE_HUNDRED),
            None => (&*t, Decimal::ONE),
        };
        match exact(body).and_then(|d| d.checked_div(scale)) {
            Some(d) if !d.is_sign_negative() || d.is_zero() => Value::Num(d.normalize()),
            _ => {
                self.error(
                    path,
                    Some(at),
                    format!("not a ratio: {} (write e.g. 1.02, \"1.02\" or \"102%\")", quoted(text)),
                    format!(
                        "比率として読めません（{}）。1.02、\"1.02\"、\"102%\" のように書いてください",
                        kagi(text)
                    ),
                );
                placeholder()
            }
        }
    }

    /// An enum value by any of its spellings. An open enum keeps a value it
    /// does not list, as written.
    fn variant(&mut self, id: u32, input: &str, path: &Path, at: usize) -> Value {
        let e: &EnumDef = &self.program.enums[id as usize];
        // Spellings are keys already: a value written exactly as one (the
        // common case) is found without normalising it.
        let found = |k: &str| e.variants.iter().position(|v| v.spellings.iter().any(|s| **s == *k));
        if let Some(i) = found(input).or_else(|| found(&key_of(input))) {
            return Value::Enum(i as u32);
        }
        if e.open {
            return Value::Other(Arc::from(input.trim()));
        }
        let accepted: Vec<String> = e.variants.iter().map(|v| format!("{} ({})", v.code, v.ja)).collect();
        let spellings = e
            .variants
            .iter()
            .flat_map(|v| [v.code.as_str(), v.ja.as_str(), v.en.as_str()]);
        let hint = did_you_mean(input, spellings)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        self.error(
            path,
            Some(at),
            format!(
                "unknown value {} for {}{hint}; accepted: {}",
                quoted(input),
                e.name,
                accepted.join(", ")
            ),
            format!("{}は使えない値です（使える値: {}）", kagi(input), accepted.join("、")),
        );
        placeholder()
    }

    fn mismatch(&mut self, ty: &FieldTy, v: &Json, path: &Path) -> Value {
        let (found_en, found_ja) = describe(v);
        let (want_en, want_ja) = expected(ty);
        self.error(
            path,
            Some(v.start()),
            format!("invalid type: {found_en}, expected {want_en}"),
            format!("{found_ja}ではなく{want_ja}を書いてください"),
        );
        placeholder()
    }
}

/// What a field of type `ty` takes, in English and Japanese.
fn expected(ty: &FieldTy) -> (&'static str, &'static str) {
    match ty {
        FieldTy::Bool => ("true or false", "true か false"),
        FieldTy::Int => ("a whole number", "0以上の整数"),
        FieldTy::Money => (
            "an amount in yen (an integer or a string like \"1,200,000\")",
            "金額（整数、または \"1,200,000\" のような文字列）",
        ),
        FieldTy::Ratio => ("a ratio such as 1.02 or \"1.02\"", "比率（1.02 や \"1.02\"）"),
        FieldTy::Date => (
            "a date such as \"2020-10-09\" or \"令和2年10月9日\"",
            "日付（\"2020-10-09\" や \"令和2年10月9日\" のような文字列）",
        ),
        FieldTy::FiscalYear => (
            "a fiscal year such as 2024 or \"令和6年度\"",
            "年度（2024 や \"令和6年度\"）",
        ),
        FieldTy::Text => ("a string", "文字列"),
        FieldTy::Municipality => (
            "a municipality's name or code, as a string",
            "市町村名または団体コード（文字列）",
        ),
        FieldTy::Enum(_) => ("one of the listed values, as a string", "決められた値（文字列）"),
        FieldTy::Entity(_) => ("an object ({…})", "オブジェクト（{…}）"),
        FieldTy::List(_) => ("a list ([…])", "配列（[…]）"),
    }
}

/// A number's text as an exact decimal; `None` when a decimal cannot hold
/// it exactly (more than 28 decimal places, beyond ±7.9 × 10²⁸).
fn exact(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (t, 0),
    };
    let mut d = Decimal::from_str_exact(mantissa).ok()?;
    if exp.unsigned_abs() > 56 {
        return None;
    }
    for _ in 0..exp.unsigned_abs() {
        let next = if exp > 0 {
            d.checked_mul(Decimal::TEN)?
        } else {
            d.checked_div(Decimal::TEN)?
        };
        if exp < 0 && next.checked_mul(Decimal::TEN)? != d {
            return None;
        }
        d = next;
    }
    Some(d)
}

fn whole_i64(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        i64::try_from(d).ok()
    } else {
        None
    }
}

/// How the values of a `unique` field compare.
fn unique_key(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) | Value::Other(t) => Some(key(t)),
        Value::Municipality(m) => Some(format!("muni:{}", m.0)),
        Value::Enum(i) => Some(format!("enum:{i}")),
        Value::Num(n) => Some(n.normalize().to_string()),
        Value::Date(d) => Some(d.to_string()),
        Value::FiscalYear(y) => Some(y.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value as an input error quotes it.
fn display(v: &Value) -> String {
    match v {
        Value::Text(t) | Value::Other(t) => shown(t),
        Value::Municipality(m) => hokkaido().name(*m).to_string(),
        Value::Num(n) => n.normalize().to_string(),
        Value::Date(d) => d.to_string(),
        Value::FiscalYear(y) => y.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Enum(i) => i.to_string(),
        _ => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_exactly() {
        assert_eq!(exact("99999.99999999999999").map(|d| d.fract().is_zero()), Some(false));
        assert_eq!(exact("1200000.0"), Some(Decimal::new(12000000, 1)));
        assert_eq!(exact("1e3"), Some(Decimal::from(1000)));
        assert_eq!(
            exact("0.00000000000000000000000000001"),
            None,
            "29 places: not held exactly"
        );
        assert_eq!(exact("1e400"), None);
    }
}
