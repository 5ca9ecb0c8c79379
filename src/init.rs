//! `grant-rules init [KIND]`: a starting document of a kind, in Japanese,
//! derived from the kind's entity declarations like everything else of its
//! input. Above each field a comment says what it is (its label) and how it
//! may be written (its type, its unit, its values); the value is the field's
//! declared `example`, its default, or `null` when it may be left unknown.
//! An optional object, or a list that may stay empty, is shown in the
//! comment as one would write it. The output is JSON with comments, which
//! the reader accepts, and reads without errors: fed back to `check` it is
//! decided (most likely `incomplete`, until the officer fills in the rest).

use std::fmt::Write;

use crate::input::expected;
use crate::model::boolean;
use crate::program::Program;
use crate::schema::{Absent, EntityId, FieldDef, FieldTy};
use crate::value::Value;

/// The starting document of `p`'s kind.
pub fn starter(p: &Program) -> String {
    let k = &p.kind;
    let mut o = String::with_capacity(4096);
    let _ = writeln!(o, "// {}", k.title);
    let _ = writeln!(o, "// {}（format: {}）のひな形です。", k.label.ja, k.format);
    o.push_str(
        "// 「//」から行末まではコメントです（消さなくても読めます）。各項目の上に、何を書くかと書き方があります。\n\
         // 例の値を書き換えてください。null は「分からない」の意味で、判定に必要なら「不足している情報」に挙がります。\n\
         // 書き終えたら: grant-rules check このファイル\n",
    );
    let w = Writer { p };
    w.entity(&mut o, p.schema.root, 0, true);
    o.push('\n');
    o
}

struct Writer<'p> {
    p: &'p Program,
}

fn pad(o: &mut String, indent: usize) {
    o.extend(std::iter::repeat_n(' ', indent));
}

impl Writer<'_> {
    /// An object of entity `e`, with a comment above each field.
    fn entity(&self, o: &mut String, e: EntityId, indent: usize, root: bool) {
        self.entity_with(o, e, indent, root, None);
    }

    /// … with its title field (index) given this value.
    fn entity_with(&self, o: &mut String, e: EntityId, indent: usize, root: bool, title: Option<(u32, &str)>) {
        let def = self.p.schema.entity(e);
        o.push_str("{\n");
        let inner = indent + 2;
        if root {
            pad(o, inner);
            o.push_str("// 文書の様式（変えないでください）\n");
            pad(o, inner);
            let _ = write!(o, "\"format\": {}", json_string(&self.p.kind.format));
            if !def.fields.is_empty() {
                o.push(',');
            }
            o.push('\n');
        }
        for (i, f) in def.fields.iter().enumerate() {
            for line in self.comment(f) {
                pad(o, inner);
                let _ = writeln!(o, "// {line}");
            }
            pad(o, inner);
            let _ = write!(o, "{}: ", json_string(&f.name));
            match title {
                Some((k, t)) if k as usize == i => o.push_str(t),
                _ => self.value(o, f, inner, true),
            }
            if i + 1 < def.fields.len() {
                o.push(',');
            }
            o.push('\n');
        }
        pad(o, indent);
        o.push('}');
    }

    /// An object of entity `e` on one line, without comments (for a comment).
    fn compact(&self, o: &mut String, e: EntityId) {
        let def = self.p.schema.entity(e);
        o.push_str("{ ");
        for (i, f) in def.fields.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            let _ = write!(o, "{}: ", json_string(&f.name));
            self.value(o, f, 0, false);
        }
        o.push_str(" }");
    }

    /// The value of field `f`: its example, its default, `null` when it may
    /// be unknown, or (required) an object or a list of one object.
    fn value(&self, o: &mut String, f: &FieldDef, indent: usize, pretty: bool) {
        match (&f.ty, f.example.as_slice()) {
            (_, []) => {}
            (FieldTy::List(inner), titles) if matches!(**inner, FieldTy::Entity(_)) => {
                if let FieldTy::Entity(child) = **inner {
                    self.titled(o, child, titles, indent, pretty);
                    return;
                }
            }
            (FieldTy::List(_), xs) => {
                let _ = write!(o, "[{}]", xs.join(", "));
                return;
            }
            (_, [x, ..]) => {
                o.push_str(x);
                return;
            }
        }
        match (&f.absent, &f.ty) {
            (Absent::Default(v), ty) => o.push_str(&self.default_json(v, ty)),
            (Absent::Unknown, _) => o.push_str("null"),
            (Absent::Required, FieldTy::Entity(child)) if pretty => self.entity(o, *child, indent, false),
            (Absent::Required, FieldTy::Entity(child)) => self.compact(o, *child),
            (Absent::Required, FieldTy::List(inner)) => match **inner {
                FieldTy::Entity(child) if pretty => {
                    o.push_str("[\n");
                    pad(o, indent + 2);
                    self.entity(o, child, indent + 2, false);
                    o.push('\n');
                    pad(o, indent);
                    o.push(']');
                }
                FieldTy::Entity(child) => {
                    o.push('[');
                    self.compact(o, child);
                    o.push(']');
                }
                _ => o.push_str("[]"),
            },
            (Absent::Required, FieldTy::Bool) => o.push_str("false"),
            (Absent::Required, FieldTy::Int | FieldTy::Money) => o.push('0'),
            (Absent::Required, FieldTy::Text) => o.push_str("\"\""),
            (Absent::Required, _) => o.push_str("null"),
        }
    }

    /// A list of entities, one element per title.
    fn titled(&self, o: &mut String, e: EntityId, titles: &[String], indent: usize, pretty: bool) {
        let title = self.p.schema.entity(e).title;
        o.push('[');
        for (i, t) in titles.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            if pretty {
                o.push('\n');
                pad(o, indent + 2);
            }
            self.object(o, e, indent + 2, pretty, title.map(|k| (k, t.as_str())));
        }
        if pretty {
            o.push('\n');
            pad(o, indent);
        }
        o.push(']');
    }

    fn object(&self, o: &mut String, e: EntityId, indent: usize, pretty: bool, title: Option<(u32, &str)>) {
        if pretty {
            self.entity_with(o, e, indent, false, title);
        } else {
            self.compact(o, e);
        }
    }

    fn default_json(&self, v: &Value, ty: &FieldTy) -> String {
        match (v, ty) {
            (Value::Bool(b), _) => b.to_string(),
            (Value::Num(n), _) => n.normalize().to_string(),
            (Value::Text(t), _) => json_string(t),
            (Value::Enum(i), FieldTy::Enum(e)) => json_string(&self.p.enums[*e as usize].variants[*i as usize].ja),
            (Value::List(items), _) if items.is_empty() => "[]".into(),
            _ => "null".into(),
        }
    }

    /// The comment above field `f`: what it is, how it is written, what
    /// leaving it out means, and the shape of an object it may hold.
    fn comment(&self, f: &FieldDef) -> Vec<String> {
        let mut lines = Vec::new();
        let label = f.label.as_ref().map_or(f.name.as_str(), |l| l.ja.as_str());
        lines.push(label.to_string());
        let how = self.how(&f.ty, f);
        if !how.is_empty() {
            lines.extend(wrap(&format!("  書き方: {how}")));
        }
        match &f.absent {
            Absent::Unknown => lines.push("  省略可（分からなければ null）".into()),
            Absent::Default(v) => lines.push(format!("  省略した場合: {}", self.shown_default(v, &f.ty))),
            Absent::Required => {}
        }
        let held = match &f.ty {
            FieldTy::Entity(e) => Some((*e, false)),
            FieldTy::List(inner) => match **inner {
                FieldTy::Entity(e) => Some((e, true)),
                _ => None,
            },
            _ => None,
        };
        if let Some((e, list)) = held
            && f.absent != Absent::Required
        {
            let mut one = String::new();
            self.compact(&mut one, e);
            lines.push(if list {
                format!("  書く場合の例: [{one}]")
            } else {
                format!("  書く場合の例: {one}")
            });
        }
        lines
    }

    /// How a value of `ty` is written, in Japanese.
    fn how(&self, ty: &FieldTy, f: &FieldDef) -> String {
        match ty {
            FieldTy::Bool => boolean::FORMS_JA.to_string(),
            FieldTy::Enum(e) => {
                let names: Vec<&str> = self.p.enums[*e as usize]
                    .variants
                    .iter()
                    .map(|v| v.ja.as_str())
                    .collect();
                format!("次のいずれか — {}", names.join("／"))
            }
            FieldTy::List(inner) => match &**inner {
                FieldTy::Entity(_) => "配列（[…]）。1件ごとに {…} を書きます".into(),
                t => format!("配列（[…]）。要素は {}", self.how(t, f)),
            },
            FieldTy::Entity(_) => String::new(),
            FieldTy::Money => "金額（円）。1200000、\"1,200,000\"、\"1200千円\"、\"120万円\" など".into(),
            FieldTy::Date => "日付。\"2020-10-09\"、\"令和2年10月9日\"、\"R2.10.9\" など".into(),
            FieldTy::FiscalYear => "年度。2024、\"令和6年度\"、\"R6\" など".into(),
            FieldTy::Municipality => "北海道の市町村名（\"岩見沢市\" など）または団体コード（\"012106\"）".into(),
            t => expected(t, f, &self.p.enums).1,
        }
    }

    fn shown_default(&self, v: &Value, ty: &FieldTy) -> String {
        match (v, ty) {
            (Value::Bool(true), _) => "はい".into(),
            (Value::Bool(false), _) => "いいえ".into(),
            (Value::List(items), _) if items.is_empty() => "なし（[]）".into(),
            (v, ty) => self.default_json(v, ty),
        }
    }
}

/// A long comment line broken after a 「／」 (between enum values), the
/// rest indented: no line much over forty characters of Japanese.
fn wrap(line: &str) -> Vec<String> {
    const WIDTH: usize = 44;
    let mut out = Vec::new();
    let mut cur = String::new();
    for piece in line.split_inclusive('／') {
        if !cur.is_empty() && cur.chars().count() + piece.chars().count() > WIDTH {
            out.push(std::mem::take(&mut cur));
            cur.push_str("    ");
        }
        cur.push_str(piece);
    }
    out.push(cur);
    out
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
