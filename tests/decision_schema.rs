//! The decision JSON and its schema (`grant-rules schema KIND --decision`)
//! agree: for every fixture of every kind, each key the decision writes is
//! one the schema declares, and each key the schema requires is written —
//! at the top level and for each listed entity, at every depth. A key added
//! to decisions and not to the schema (or the other way) fails here.

use serde_json::{Map, Value};

fn check(what: &str, value: &Map<String, Value>, schema: &Value, errors: &mut Vec<String>) {
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for key in value.keys() {
        if !properties.contains_key(key) {
            errors.push(format!("{what}: `{key}` is written but not in the schema"));
        }
    }
    for key in schema["required"].as_array().into_iter().flatten() {
        let key = key.as_str().unwrap_or_default();
        if !value.contains_key(key) {
            errors.push(format!("{what}: `{key}` is required by the schema but not written"));
        }
    }
    // Listed entities: arrays whose items the schema describes as objects
    // with properties of their own.
    for (key, sub) in properties {
        let items = &sub["items"];
        if items["type"] != "object" || items.get("properties").is_none() {
            continue;
        }
        for (i, v) in value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(obj) = v.as_object() {
                check(&format!("{what}.{key}[{i}]"), obj, items, errors);
            }
        }
    }
}

#[test]
fn every_fixture_decision_is_described_by_its_schema() {
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    let mut errors = Vec::new();
    let mut decided = 0;
    for kind in ["application", "change", "report", "zone-finance", "central-city"] {
        let program = book.kinds.iter().find(|p| p.kind.name == kind).expect("the kind");
        let schema: Value = serde_json::from_str(&grant_rules::schema_json::decision_schema(program)).unwrap();
        for entry in std::fs::read_dir(format!("fixtures/{kind}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok((_, d)) = grant_rules::engine::decide(&book, &bytes) else {
                continue;
            };
            let v = serde_json::to_value(&d).unwrap();
            check(
                &path.display().to_string(),
                v.as_object().unwrap(),
                &schema,
                &mut errors,
            );
            decided += 1;
        }
    }
    // A workbook's decision says where things were written, and the file's
    // digest: keys the schema declares too.
    let program = book.kinds.iter().find(|p| p.kind.name == "application").unwrap();
    let schema: Value = serde_json::from_str(&grant_rules::schema_json::decision_schema(program)).unwrap();
    for file in ["fixtures/import/officer.xlsx", "fixtures/import/officer.csv"] {
        let d = grant_rules::batch::decide_file(&book, std::path::Path::new(file), None);
        let v = serde_json::to_value(d.result.as_ref().expect("decided")).unwrap();
        assert!(v.get("workbook_sha256").is_some(), "{file}");
        assert!(v["projects"][0].get("cell").is_some(), "{file}");
        check(file, v.as_object().unwrap(), &schema, &mut errors);
        decided += 1;
    }
    assert!(decided >= 132, "{decided} decided");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
