//! `grant-rules schema`: the JSON Schema of `grant-application/v1`, generated
//! from the Rust types that read it.

use crate::model::Application;

pub fn application_schema() -> String {
    let schema = schemars::schema_for!(Application);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
