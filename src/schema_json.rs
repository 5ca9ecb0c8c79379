//! `grant-rules schema KIND`: the JSON Schema of a kind's documents, and of
//! its decisions, both derived from the kind's declarations. The value types
//! an officer writes (amounts, dates, fiscal years) and the decision's fixed
//! parts come from their Rust types through schemars; entities, fields,
//! vocabularies and shown values come from the rule files.

use schemars::SchemaGenerator;
use serde_json::{Map, Value, json};

use crate::decision::{
    AmendmentEntry, CheckItem, Counterfactual, MissingEntry, ParamEntry, Remark, RuleEntry, RuleText, StepEntry,
};
use crate::model::{FiscalYear, JpDate, Yen, boolean};
use crate::program::{Program, ShowItem, ShowValue, Ty};
use crate::schema::{Absent, EntityId, FieldTy};
use crate::text::Text;
use crate::verdict::Verdict;

fn describe(t: &Option<Text>) -> Option<String> {
    t.as_ref().map(|t| format!("{} / {}", t.ja, t.en))
}

/// The JSON Schema of `program`'s documents.
pub fn input_schema(program: &Program) -> String {
    let mut generator = SchemaGenerator::default();
    let root = program.schema.root;
    let mut schema = entity(program, root, &mut generator);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["title"] = json!(program.kind.format);
    schema["description"] = json!(format!("{} / {}", program.kind.label.ja, program.kind.label.en));
    schema["properties"]["format"] =
        json!({ "const": program.kind.format, "description": "様式の識別子 / The document's format" });
    let required = schema["required"]
        .as_array_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut with_format = vec![json!("format")];
    with_format.extend(required);
    schema["required"] = Value::Array(with_format);
    let mut defs: Map<String, Value> = Map::new();
    for e in 0..program.schema.entities.len() as EntityId {
        if e != root && reachable(program, e) {
            defs.insert(
                program.schema.entity(e).name.clone(),
                entity(program, e, &mut generator),
            );
        }
    }
    for (name, s) in generator.take_definitions(true) {
        defs.insert(name, s);
    }
    schema["$defs"] = Value::Object(defs);
    pretty(&schema)
}

fn reachable(program: &Program, e: EntityId) -> bool {
    let root = program.schema.root;
    e == root || program.schema.ancestors(e).any(|a| a == root)
}

fn entity(program: &Program, e: EntityId, generator: &mut SchemaGenerator) -> Value {
    let def = program.schema.entity(e);
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in &def.fields {
        let mut s = field(program, &f.ty, &f.unit, generator);
        if f.nonempty {
            s["minItems"] = json!(1);
        }
        if let Some(d) = describe(&f.label) {
            let note = match &f.absent {
                Absent::Required => String::new(),
                Absent::Unknown => " (absent or null: not known / 省略・null は不明)".into(),
                Absent::Default(_) => " (optional / 省略可)".into(),
            };
            s["description"] = json!(match s.get("description").and_then(Value::as_str) {
                Some(more) => format!("{d}{note}\n{more}"),
                None => format!("{d}{note}"),
            });
        }
        if f.absent == Absent::Required {
            required.push(json!(f.name));
        } else {
            s = json!({ "anyOf": [s, { "type": "null" }] });
        }
        properties.insert(f.name.clone(), s);
    }
    let mut out = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    if let Some(d) = describe(&def.label) {
        out["description"] = json!(d);
    }
    out
}

fn field(program: &Program, ty: &FieldTy, unit: &[String], generator: &mut SchemaGenerator) -> Value {
    let sub = |s: schemars::Schema| s.to_value();
    match ty {
        FieldTy::Bool => {
            let words: Vec<&str> = boolean::TRUE_WORDS
                .iter()
                .chain(boolean::FALSE_WORDS)
                .copied()
                .collect();
            json!({
                "description": format!("{} / {}", boolean::FORMS_JA, boolean::FORMS_EN),
                "oneOf": [{ "type": "boolean" }, { "type": "string", "examples": words }]
            })
        }
        FieldTy::Int => {
            let (ja, en) = match unit.first() {
                Some(u) => (
                    format!("、「5{u}」のように単位「{}」を付けても可", unit.join("」「")),
                    format!(", also with its unit (\"5{u}\")"),
                ),
                None => (String::new(), String::new()),
            };
            json!({
                "description": format!(
                    "0以上の整数（\"5\"、\"1,200\" のような文字列も可{ja}） / A whole number ≥ 0, or a string of one{en}"
                ),
                "oneOf": [{ "type": "integer", "minimum": 0 }, { "type": "string" }]
            })
        }
        FieldTy::Money => sub(generator.subschema_for::<Yen>()),
        FieldTy::Date => sub(generator.subschema_for::<JpDate>()),
        FieldTy::FiscalYear => sub(generator.subschema_for::<FiscalYear>()),
        FieldTy::Ratio => json!({
            "description": "比率（1.02、\"1.02\"、\"102%\"） / A ratio: a decimal number or string, or a percentage",
            "oneOf": [{ "type": "number", "minimum": 0 }, { "type": "string" }]
        }),
        FieldTy::Text => json!({ "type": "string" }),
        FieldTy::Municipality => json!({
            "type": "string",
            "description": "北海道の市町村名または団体コード（全角・半角は正規化） / A Hokkaido municipality's name or local-government code (full-width/half-width normalised)"
        }),
        FieldTy::Enum(e) => {
            let def = &program.enums[*e as usize];
            let listed: Vec<String> = def
                .variants
                .iter()
                .map(|v| format!("{} ({} / {})", v.code, v.ja, v.en))
                .collect();
            let ambiguous: Vec<&str> = def.ambiguous.iter().map(|(k, _)| k.as_str()).collect();
            let ambiguous = if ambiguous.is_empty() {
                String::new()
            } else {
                format!(
                    ". Words several values share are refused with a question (書き分けてください): {}",
                    ambiguous.join(", ")
                )
            };
            let note = if def.open {
                format!(
                    "Values named by the rules (other text is kept but counts as none of them): {}",
                    listed.join(", ")
                )
            } else {
                format!(
                    "Accepted values (code, Japanese or English name or an alias; NFKC, case-insensitive): {}",
                    listed.join(", ")
                )
            };
            json!({
                "type": "string",
                "description": format!("{note}{ambiguous}"),
                "examples": def.variants.iter().map(|v| v.code.clone()).collect::<Vec<_>>(),
            })
        }
        FieldTy::Entity(e) => json!({ "$ref": format!("#/$defs/{}", program.schema.entity(*e).name) }),
        FieldTy::List(inner) => json!({ "type": "array", "items": field(program, inner, &[], generator) }),
    }
}

/// The JSON Schema of `program`'s decisions (`check --format json`).
pub fn decision_schema(program: &Program) -> String {
    let mut generator = SchemaGenerator::default();
    let mut properties = Map::new();
    let root = program.schema.root;
    let words: Vec<&str> = program.kind.outcomes.iter().map(|w| &*w.word).collect();
    properties.insert("format".into(), json!({ "const": crate::decision::DECISION_FORMAT }));
    properties.insert("kind".into(), json!({ "const": program.kind.format }));
    properties.insert("outcome".into(), json!({ "enum": words }));
    properties.insert("verdict".into(), generator.subschema_for::<Verdict>().to_value());
    let text = generator.subschema_for::<Text>().to_value();
    properties.insert("outcome_label".into(), text.clone());
    properties.insert("outcome_reason".into(), text.clone());
    for item in &program.shows {
        match item {
            ShowItem::Show(s) => {
                properties.insert(s.name.to_string(), show(program, &s.label, &s.value));
            }
            ShowItem::Group { name, label, shows } => {
                let inner: Map<String, Value> = shows
                    .iter()
                    .map(|s| (s.name.to_string(), show(program, &s.label, &s.value)))
                    .collect();
                properties.insert(
                    name.to_string(),
                    json!({ "type": "object", "description": format!("{} / {}", label.ja, label.en), "properties": inner }),
                );
            }
        }
    }
    let rule = generator.subschema_for::<RuleEntry>().to_value();
    let step = generator.subschema_for::<StepEntry>().to_value();
    properties.insert("rules".into(), json!({ "type": "array", "items": rule }));
    lists(program, root, &mut properties, &mut generator);
    properties.insert("derivation".into(), json!({ "type": "array", "items": step }));
    properties.insert(
        "missing".into(),
        json!({ "type": "array", "items": { "type": "string" } }),
    );
    let missing = generator.subschema_for::<MissingEntry>().to_value();
    properties.insert("missing_details".into(), json!({ "type": "array", "items": missing }));
    let remark = generator.subschema_for::<Remark>().to_value();
    properties.insert("warnings".into(), json!({ "type": "array", "items": remark }));
    let check = generator.subschema_for::<CheckItem>().to_value();
    properties.insert("checklist".into(), json!({ "type": "array", "items": check }));
    let param = generator.subschema_for::<ParamEntry>().to_value();
    properties.insert("parameters".into(), json!({ "type": "array", "items": param }));
    for (key, items) in [
        ("amendments", generator.subschema_for::<AmendmentEntry>().to_value()),
        ("rule_texts", generator.subschema_for::<RuleText>().to_value()),
        (
            "counterfactuals",
            generator.subschema_for::<Counterfactual>().to_value(),
        ),
    ] {
        properties.insert(key.into(), json!({ "type": "array", "items": items }));
    }
    for k in [
        "rules_title",
        "rules_version",
        "rules_as_of",
        "rules_sha256",
        "input_sha256",
    ] {
        properties.insert(k.into(), json!({ "type": "string" }));
    }
    let required: Vec<String> = properties.keys().cloned().collect();
    // Present only for some decisions: with --as-of, or from a workbook.
    properties.insert(
        "document_as_of".into(),
        json!({ "type": ["string", "null"], "description": "with --as-of: the date the document itself would be decided as of" }),
    );
    properties.insert(
        "workbook_sha256".into(),
        json!({ "type": "string", "description": "for a document imported from a workbook: the SHA-256 of the file submitted" }),
    );
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("decision on {}", program.kind.format),
        "type": "object",
        "required": required,
        "properties": properties,
    });
    let defs: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schema["$defs"] = Value::Object(defs);
    pretty(&schema)
}

/// The entry lists under entity `e`, into `properties`.
fn lists(program: &Program, e: EntityId, properties: &mut Map<String, Value>, generator: &mut SchemaGenerator) {
    for c in &program.entities[e as usize].children {
        let Some(entry) = &program.entities[*c as usize].entry else {
            continue;
        };
        let mut item = Map::new();
        for s in &entry.shows {
            item.insert(s.name.to_string(), show(program, &s.label, &s.value));
        }
        let words: Vec<&str> = entry.words.iter().map(|w| &*w.word).collect();
        item.insert("status".into(), json!({ "enum": words }));
        item.insert("verdict".into(), generator.subschema_for::<Verdict>().to_value());
        item.insert("reason".into(), generator.subschema_for::<Text>().to_value());
        item.insert("citation".into(), json!({ "type": ["string", "null"] }));
        item.insert(
            "reasons".into(),
            json!({ "type": "array", "items": generator.subschema_for::<Text>().to_value() }),
        );
        item.insert(
            "rules".into(),
            json!({ "type": "array", "items": generator.subschema_for::<RuleEntry>().to_value() }),
        );
        item.insert(
            "derivation".into(),
            json!({ "type": "array", "items": generator.subschema_for::<StepEntry>().to_value(), "description": "the entity's own steps, when it has any" }),
        );
        item.insert(
            "cell".into(),
            json!({ "type": "string", "description": "where it was written in the workbook the document was imported from (経費!A4:G4); only for such a document" }),
        );
        lists(program, *c, &mut item, generator);
        properties.insert(
            entry.key.to_string(),
            json!({
                "type": "array",
                "description": format!("{} / {}", entry.label.ja, entry.label.en),
                "items": { "type": "object", "properties": item },
            }),
        );
    }
}

fn show(program: &Program, label: &Text, value: &ShowValue) -> Value {
    let mut s = match value {
        ShowValue::Expr(_, ty) => datum(program, ty),
        ShowValue::Rules(_) => json!({
            "type": "array",
            "items": { "type": "object", "properties": { "id": { "type": "string" }, "status": { "type": "string" } } }
        }),
    };
    s["description"] = json!(format!("{} / {}", label.ja, label.en));
    s
}

/// The JSON of a shown value of type `ty` (null when not known or not shown).
fn datum(program: &Program, ty: &Ty) -> Value {
    match ty {
        Ty::Bool => json!({ "type": ["boolean", "null"] }),
        Ty::Int | Ty::Money | Ty::FiscalYear => json!({ "type": ["integer", "null"] }),
        Ty::Ratio => {
            json!({ "type": ["string", "null"], "description": "exact decimal, or rounded to 6 places when it does not terminate" })
        }
        Ty::Date => json!({ "type": ["string", "null"], "format": "date" }),
        Ty::Enum(e) => {
            let codes: Vec<String> = program.enums[*e as usize]
                .variants
                .iter()
                .map(|v| v.code.clone())
                .collect();
            json!({ "enum": codes.into_iter().map(Value::String).chain([Value::Null]).collect::<Vec<_>>() })
        }
        Ty::List(inner) => json!({ "type": ["array", "null"], "items": datum(program, inner) }),
        _ => json!({ "type": ["string", "null"] }),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
