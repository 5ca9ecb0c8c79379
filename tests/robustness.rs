//! Bad input always gets an error (or a decision), never a panic: fixtures
//! of every kind truncated at many points, and with values of the wrong kind
//! put in place of each scalar.

use grant_rules::engine;
use grant_rules::rules::RuleBook;

fn book() -> RuleBook {
    grant_rules::rules::embedded().unwrap()
}

/// The fixtures of every kind, by path.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for kind in std::fs::read_dir("fixtures").unwrap() {
        let dir = kind.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Two fixtures of each kind.
fn sample() -> Vec<(String, Vec<u8>)> {
    let all = fixtures();
    let mut out = Vec::new();
    for kind in ["application", "change", "report", "zone-finance", "central-city"] {
        out.extend(
            all.iter()
                .filter(|(n, _)| n.contains(&format!("/{kind}/")))
                .take(2)
                .cloned(),
        );
    }
    out
}

#[test]
fn truncated_documents_are_errors_with_a_location() {
    let book = book();
    for (name, bytes) in sample() {
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let part = &bytes[..cut];
            // Cutting only trailing white space leaves a whole document.
            if std::str::from_utf8(part).is_err() || bytes[cut..].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match engine::decide(&book, part) {
                Ok(_) => panic!("{name} cut at {cut} was accepted"),
                Err((p, e)) => assert!(
                    !e.render(p, false).trim().is_empty(),
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
    let book = book();
    let chosen = fixtures().into_iter().filter(|(n, _)| {
        [
            "minamisorachi-r3",
            "council-incomplete",
            "flag-missing-matters",
            "project-dropped",
            "other-formats-example",
            "only-municipality",
        ]
        .iter()
        .any(|x| n.contains(x))
    });
    for (name, bytes) in chosen {
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for m in mutations(&doc) {
            let text = serde_json::to_vec(&m).unwrap();
            if let Err((_, engine::EngineError::Input(errors))) = engine::decide(&book, &text) {
                assert!(!errors.0.is_empty(), "{name}: an input error with no error");
                for e in &errors.0 {
                    assert!(
                        !e.en.is_empty() && !e.ja.is_empty(),
                        "{name}: an error without a message: {e:?}"
                    );
                    assert!(
                        e.line.is_some() || e.path.is_empty() || e.path == "format",
                        "{name}: an error in the document's fields without a line: {e:?}"
                    );
                }
            }
        }
    }
}
