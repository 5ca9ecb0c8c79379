//! The type-directed reader: walks a document's JSON tree along the kind's
//! schema and builds its facts. Each field is read by its declared type —
//! amounts in yen or 千円, dates in 和暦, fiscal years as 令和6年度,
//! municipalities by name or code with "did you mean", enum values by any of
//! their spellings — and every problem is collected with its JSON path,
//! line and column, so one pass reports them all.

use std::collections::HashMap;
use std::sync::Arc;

use jsonc_parser::ast;
use rust_decimal::Decimal;

use super::error::InputError;
use super::json::{Document, describe, start};
use crate::facts::Facts;
use crate::model::{Bilingual, FiscalYear, JpDate, Yen};
use crate::program::{EnumDef, Program};
use crate::reference::hokkaido;
use crate::schema::{Absent, EntityId, FieldDef, FieldTy};
use crate::text::{did_you_mean, kagi, key, normalize, quoted, shown};
use crate::value::{Elem, Missing, PathId, Value};

pub(crate) struct Reader<'p, 'd, 't> {
    program: &'p Program,
    doc: &'d Document<'t>,
    pub facts: Facts,
    pub errors: Vec<InputError>,
    /// Whose facts are being read (the title of the nearest entity that has
    /// one), for the description of missing facts.
    owner: String,
}

/// A value that was wrong in the input: the document has errors and no
/// decision is made, so it is never read.
fn placeholder() -> Value {
    Value::unknown(Missing::default())
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

impl<'p, 'd, 't> Reader<'p, 'd, 't> {
    pub fn new(program: &'p Program, doc: &'d Document<'t>) -> Self {
        Reader {
            program,
            doc,
            facts: Facts::new(program.schema.entities.len()),
            errors: Vec::new(),
            owner: String::new(),
        }
    }

    fn error(&mut self, path: &str, at: Option<usize>, en: impl Into<String>, ja: impl Into<String>) {
        let position = at.map(|a| self.doc.position(a));
        self.errors.push(InputError::new(path, en, ja).at(position));
    }

    /// Reads the whole document.
    pub fn read(&mut self) {
        let root = self.program.schema.root;
        let doc = self.doc;
        let ast::Value::Object(obj) = &doc.root else {
            self.error(
                "",
                Some(start(&doc.root)),
                "the document is not a JSON object",
                "文書がJSONのオブジェクト（{…}）ではありません",
            );
            return;
        };
        self.format(obj);
        self.entity(root, obj, "", 0);
    }

    /// The `format` every document carries: exactly the kind's.
    fn format(&mut self, obj: &ast::Object) {
        let want = self.program.kind.format.as_str();
        match obj.properties.iter().find(|p| p.name.as_str() == "format") {
            None => self.error(
                "",
                Some(obj.range.start),
                "missing field \"format\"",
                "必須項目「format」がありません",
            ),
            Some(p) => match &p.value {
                ast::Value::StringLit(s) if s.value == want => {}
                ast::Value::StringLit(s) => self.error(
                    "format",
                    Some(s.range.start),
                    format!("expected \"{want}\", found {}", quoted(&s.value)),
                    format!(
                        "様式（format）は「{want}」でなければなりません（{}と書かれています）",
                        kagi(&s.value)
                    ),
                ),
                other => {
                    let (en, ja) = describe(other);
                    self.error(
                        "format",
                        Some(start(other)),
                        format!("invalid type: {en}, expected the string \"{want}\""),
                        format!("{ja}ではなく文字列 \"{want}\" を書いてください"),
                    );
                }
            },
        }
    }

    /// An object read as entity `e`; returns its instance index.
    fn entity(&mut self, e: EntityId, obj: &ast::Object<'t>, path: &str, parent: u32) -> u32 {
        let program = self.program;
        let def = program.schema.entity(e);
        let index = self.facts.rows[e as usize].len() as u32;
        self.facts.rows[e as usize].push(Vec::new());
        self.facts.parent[e as usize].push(parent);
        self.facts.instance_paths[e as usize].push(path.to_string());
        self.facts.titles[e as usize].push(String::new());
        let props = self.properties(e, obj, path);
        let saved_owner = self.owner.clone();
        if let Some(t) = def.title
            && let Some(p) = props.get(def.fields[t as usize].name.as_str())
            && let ast::Value::StringLit(s) = &p.value
        {
            let title = match def.fields[t as usize].ty {
                FieldTy::Municipality => hokkaido()
                    .resolve(&s.value)
                    .map(|m| hokkaido().name(m).to_string())
                    .unwrap_or_else(|_| shown(&s.value)),
                _ => shown(&s.value),
            };
            self.facts.titles[e as usize][index as usize] = title.clone();
            self.owner = title;
        }
        let mut row = Vec::with_capacity(def.fields.len());
        for (k, f) in def.fields.iter().enumerate() {
            let fpath = join(path, &f.name);
            let given = props.get(f.name.as_str()).map(|p| &p.value);
            let value = match given {
                Some(v) if !matches!(v, ast::Value::NullKeyword(_)) => self.value(&f.ty, f, v, &fpath, e, index),
                _ => self.absent(f, (e, k as u32), &fpath, given.map_or(obj.range.start, start)),
            };
            row.push(value);
        }
        self.facts.rows[e as usize][index as usize] = row;
        for (k, f) in def.fields.iter().enumerate() {
            if let Some(steps) = &f.one_of {
                let at = props.get(f.name.as_str()).map(|p| start(&p.value));
                self.one_of(e, index, k, steps, &join(path, &f.name), at);
            }
        }
        self.owner = saved_owner;
        index
    }

    /// The object's properties by name; unknown and repeated ones are errors.
    fn properties<'o>(
        &mut self,
        e: EntityId,
        obj: &'o ast::Object<'t>,
        path: &str,
    ) -> HashMap<&'o str, &'o ast::ObjectProp<'t>> {
        let def = self.program.schema.entity(e);
        let is_root = e == self.program.schema.root;
        let mut out: HashMap<&str, &ast::ObjectProp> = HashMap::with_capacity(obj.properties.len());
        for p in &obj.properties {
            let name = p.name.as_str();
            let at = Some(p.range.start);
            if out.insert(name, p).is_some() {
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
    fn absent(&mut self, f: &FieldDef, field: (EntityId, u32), path: &str, at: usize) -> Value {
        match &f.absent {
            Absent::Required => {
                let (parent, name) = path.rsplit_once('.').unwrap_or(("", path));
                self.error(
                    parent,
                    Some(at),
                    format!("missing field \"{name}\""),
                    format!("必須項目「{name}」がありません"),
                );
                placeholder()
            }
            Absent::Unknown => self.missing(path, field),
            Absent::Default(v) => v.clone(),
        }
    }

    /// An absent fact: unknown, with its path recorded for the decision.
    fn missing(&mut self, path: &str, field: (EntityId, u32)) -> Value {
        let id = self.facts.paths.len() as PathId;
        self.facts.paths.push(path.to_string());
        self.facts.owners.push(self.owner.clone());
        self.facts.fields.push(field);
        Value::unknown(Missing::one(id))
    }

    /// A value of type `ty`.
    fn value(&mut self, ty: &FieldTy, f: &FieldDef, v: &ast::Value<'t>, path: &str, e: EntityId, index: u32) -> Value {
        match (ty, v) {
            (FieldTy::Bool, ast::Value::BooleanLit(b)) => Value::Bool(b.value),
            (FieldTy::Text, ast::Value::StringLit(s)) => Value::Text(Arc::from(s.value.as_ref())),
            (FieldTy::Int, ast::Value::NumberLit(n)) => self.int(n, path),
            (FieldTy::Money, ast::Value::NumberLit(n)) => self.money_number(n, path),
            (FieldTy::Money, ast::Value::StringLit(s)) => self.parsed(path, s.range.start, Yen::parse(&s.value), |y| {
                Value::Num(Decimal::from(y.0))
            }),
            (FieldTy::Ratio, ast::Value::NumberLit(n)) => self.ratio(n.value, path, n.range.start),
            (FieldTy::Ratio, ast::Value::StringLit(s)) => self.ratio(&s.value, path, s.range.start),
            (FieldTy::Date, ast::Value::StringLit(s)) => {
                self.parsed(path, s.range.start, JpDate::parse(&s.value), |d| Value::Date(d.0))
            }
            (FieldTy::FiscalYear, ast::Value::StringLit(s)) => {
                self.parsed(path, s.range.start, FiscalYear::parse(&s.value), |y| {
                    Value::FiscalYear(y.0)
                })
            }
            (FieldTy::FiscalYear, ast::Value::NumberLit(n)) => match exact(n.value).and_then(whole_i64) {
                Some(y) => self.parsed(path, n.range.start, FiscalYear::new(y), |y| Value::FiscalYear(y.0)),
                None => self.mismatch(ty, v, path),
            },
            (FieldTy::Municipality, ast::Value::StringLit(s)) => match hokkaido().resolve(&s.value) {
                Ok(m) => Value::Municipality(m),
                Err(err) => {
                    self.error(path, Some(s.range.start), err.to_string(), err.message_ja());
                    placeholder()
                }
            },
            (FieldTy::Enum(id), ast::Value::StringLit(s)) => self.variant(*id, &s.value, path, s.range.start),
            (FieldTy::Entity(child), ast::Value::Object(o)) => Value::Entity(self.entity(*child, o, path, index)),
            (FieldTy::List(inner), ast::Value::Array(a)) => self.list(inner, f, a, path, e, index),
            _ => self.mismatch(ty, v, path),
        }
    }

    fn list(
        &mut self,
        inner: &FieldTy,
        f: &FieldDef,
        a: &ast::Array<'t>,
        path: &str,
        e: EntityId,
        index: u32,
    ) -> Value {
        if f.nonempty && a.elements.is_empty() {
            self.error(
                path,
                Some(a.range.start),
                "at least one is required",
                "1つ以上書いてください",
            );
        }
        let mut elems = Vec::with_capacity(a.elements.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, el) in a.elements.iter().enumerate() {
            let epath = format!("{path}[{i}]");
            let value = if matches!(el, ast::Value::NullKeyword(_)) {
                self.error(
                    &epath,
                    Some(start(el)),
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
                            &format!("{epath}.{name}"),
                            Some(start(el)),
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
    fn one_of(&mut self, e: EntityId, index: u32, k: usize, steps: &[u32], path: &str, at: Option<usize>) {
        let value = self.facts.rows[e as usize][index as usize][k].clone();
        if value.is_unknown() {
            return;
        }
        let mut found = Vec::new();
        self.values_at(e, index, steps, &mut found);
        if found.iter().any(|v| *v == value) || found.iter().any(Value::is_unknown) {
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
        let (parent, _) = path.rsplit_once('.').unwrap_or(("", path));
        let target = join(parent, &names.join("."));
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

    fn parsed<T, E: Bilingual>(&mut self, path: &str, at: usize, r: Result<T, E>, f: impl FnOnce(T) -> Value) -> Value {
        match r {
            Ok(x) => f(x),
            Err(err) => {
                self.error(path, Some(at), err.to_string(), err.ja());
                placeholder()
            }
        }
    }

    /// A whole number ≥ 0, read exactly from the number's text.
    fn int(&mut self, n: &ast::NumberLit, path: &str) -> Value {
        match exact(n.value) {
            Some(d) if d.fract().is_zero() && !d.is_sign_negative() => Value::Num(d.normalize()),
            Some(d) if d.is_sign_negative() && !d.is_zero() => {
                self.error(
                    path,
                    Some(n.range.start),
                    format!("negative number {}", shown(n.value)),
                    format!("負の数です（{}）", shown(n.value)),
                );
                placeholder()
            }
            _ => {
                self.error(
                    path,
                    Some(n.range.start),
                    format!("not a whole number: {}", shown(n.value)),
                    format!("整数ではありません（{}）", shown(n.value)),
                );
                placeholder()
            }
        }
    }

    /// An amount written as a JSON number, read exactly from its text:
    /// `1200000` and `1200000.0` (a spreadsheet's integer) are whole yen,
    /// `99999.99999999999999` is a fraction of a yen (never rounded first).
    fn money_number(&mut self, n: &ast::NumberLit, path: &str) -> Value {
        let at = Some(n.range.start);
        let Some(d) = exact(n.value) else {
            self.error(
                path,
                at,
                format!("amount {} is too large or too precise to hold exactly", shown(n.value)),
                format!("金額 {} は正確に扱えない大きさ・桁数です", shown(n.value)),
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
                .map_err(|_| crate::model::AmountError::TooLarge {
                    input: n.value.to_string(),
                })
        };
        self.parsed(path, n.range.start, r, |y| Value::Num(Decimal::from(y.0)))
    }

    /// A ratio: a decimal number or string (`1.02`, `"1.000"`), or a
    /// percentage string (`"102%"`), ≥ 0.
    fn ratio(&mut self, text: &str, path: &str, at: usize) -> Value {
        let t = normalize(text);
        let (body, scale) = match t.strip_suffix('%') {
            Some(b) => (b.trim(), Decimal::ONE_HUNDRED),
            None => (t.as_str(), Decimal::ONE),
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
    fn variant(&mut self, id: u32, input: &str, path: &str, at: usize) -> Value {
        let e: &EnumDef = &self.program.enums[id as usize];
        let k = key(input);
        if let Some(i) = e.variants.iter().position(|v| v.spellings.contains(&k)) {
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

    fn mismatch(&mut self, ty: &FieldTy, v: &ast::Value, path: &str) -> Value {
        let (found_en, found_ja) = describe(v);
        let (want_en, want_ja) = expected(ty);
        self.error(
            path,
            Some(start(v)),
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
