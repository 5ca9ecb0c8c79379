//! Bad input always gets an error (or a decision), never a panic: every
//! fixture truncated at many points, and with values of the wrong kind put in
//! place of each scalar.

use grant_rules::engine;

fn program() -> grant_rules::program::Program {
    grant_rules::rules::embedded().unwrap()
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn truncated_documents_are_errors_with_a_location() {
    let program = program();
    for (name, bytes) in fixtures().iter().take(8) {
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let part = &bytes[..cut];
            if std::str::from_utf8(part).is_err() {
                continue;
            }
            match engine::decide(&program, part) {
                Ok(_) => panic!("{name} cut at {cut} was accepted"),
                Err(e) => assert!(
                    !e.render(&program, false).trim().is_empty(),
                    "{name} cut at {cut}: empty error"
                ),
            }
        }
    }
}

/// Replaces each scalar of the document, one at a time, with values of
/// other kinds.
fn mutations(v: &serde_json::Value) -> Vec<serde_json::Value> {
    let replacements = [
        serde_json::json!(null),
        serde_json::json!(-1),
        serde_json::json!(1.5),
        serde_json::json!("？？"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!(true),
    ];
    let mut out = Vec::new();
    let mut paths = Vec::new();
    collect_paths(v, &mut Vec::new(), &mut paths);
    for path in paths {
        for r in &replacements {
            let mut copy = v.clone();
            *pointer(&mut copy, &path) = r.clone();
            out.push(copy);
        }
    }
    out
}

fn collect_paths(v: &serde_json::Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                here.push(k.clone());
                collect_paths(x, here, out);
                here.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(i.to_string());
                collect_paths(x, here, out);
                here.pop();
            }
        }
        _ => out.push(here.clone()),
    }
}

fn pointer<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, k| match v {
        serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        other => &mut other[k.as_str()],
    })
}

#[test]
fn values_of_the_wrong_kind_never_panic_and_errors_name_a_path() {
    let program = program();
    for (name, bytes) in fixtures().iter().filter(|(n, _)| {
        n.contains("minamisorachi-r3") || n.contains("council-incomplete") || n.contains("flag-missing")
    }) {
        let doc: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        for m in mutations(&doc) {
            let text = serde_json::to_vec(&m).unwrap();
            if let Err(engine::EngineError::Input(e)) = engine::decide(&program, &text) {
                assert!(
                    !e.en.is_empty() && !e.ja.is_empty(),
                    "{name}: an error without a message: {e:?}"
                );
            }
        }
    }
}
