//! `grant-rules schema`: the JSON Schema of `grant-application/v1`, generated
//! from the Rust types that read it (schemars), with the vocabularies the rule
//! set defines (expense categories, project exclusions, policy fields) added
//! to the fields that use them, so the schema follows the rules in use.

use serde_json::{Value, json};

use crate::model::Application;
use crate::program::Program;

pub fn application_schema(program: &Program) -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(Application)).unwrap_or(Value::Null);
    let defs = &mut schema["$defs"];
    vocabulary(
        program,
        "ExpenseCategory",
        &mut defs["Expense"]["properties"]["category"],
        false,
    );
    vocabulary(
        program,
        "ProjectExclusion",
        &mut defs["Project"]["properties"]["exclusions"]["items"],
        false,
    );
    vocabulary(
        program,
        "PolicyField",
        &mut defs["Region"]["properties"]["policy_fields"]["items"],
        true,
    );
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of the decision (`check --format json`).
pub fn decision_schema() -> String {
    let schema = schemars::schema_for!(crate::decision::Decision);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Adds the enum's values (codes and every accepted spelling) to a string
/// field's schema. An open enum also accepts other text, so its values are
/// only examples.
fn vocabulary(program: &Program, name: &str, field: &mut Value, open: bool) {
    let Some(id) = program.enum_id(name) else { return };
    let e = &program.enums[id as usize];
    let listed: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{} ({} / {})", v.code, v.ja, v.en))
        .collect();
    let note = if open {
        format!(
            "Values named by the rules (other text is kept but does not count): {}",
            listed.join(", ")
        )
    } else {
        format!(
            "Accepted values (code, Japanese or English name; NFKC, case-insensitive): {}",
            listed.join(", ")
        )
    };
    let description = match field.get("description").and_then(Value::as_str) {
        Some(d) => format!("{d}\n{note}"),
        None => note,
    };
    field["description"] = json!(description);
    field["examples"] = json!(e.variants.iter().map(|v| v.code.clone()).collect::<Vec<_>>());
}
