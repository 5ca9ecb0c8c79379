//! Every fixture of the four kinds besides the application (change requests,
//! results reports, settlement-zone finance, central city) against its
//! hand-checked expectation in `fixtures/KIND/expected.toml`: the outcome,
//! every decision key of the contract at its JSON path, the keys that must
//! be null, and the rules that warn. The expectations were worked out by
//! hand from the guideline text (each case's `hand_check`), not from this
//! engine's output.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Expected {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Case {
    file: String,
    title: String,
    outcome: String,
    hand_check: String,
    #[serde(default)]
    nulls: Vec<String>,
    warnings: Option<Vec<String>>,
    #[serde(default)]
    expect: BTreeMap<String, toml::Value>,
}

/// The value at a dotted path with `[i]` indices (`projects[0].status`).
fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = v;
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            cur = cur.get(key)?;
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_end_matches(']').parse().ok()?;
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

fn to_json(t: &toml::Value) -> Value {
    serde_json::to_value(t).unwrap()
}

fn check_kind(kind: &str) {
    let dir = Path::new("fixtures").join(kind);
    let expected: Expected = toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    let mut failures = Vec::new();
    for c in &expected.case {
        let bytes = std::fs::read(dir.join(&c.file)).unwrap();
        let d = match grant_rules::engine::decide(&book, &bytes) {
            Ok((_, d)) => d,
            Err((p, e)) => {
                failures.push(format!("{}: no decision: {}", c.file, e.render(p, false)));
                continue;
            }
        };
        let json = serde_json::to_value(&d).unwrap();
        let mut diffs = Vec::new();
        if json["outcome"] != Value::String(c.outcome.clone()) {
            diffs.push(format!(
                "outcome: expected {}, got {} ({})",
                c.outcome, json["outcome"], d.outcome_reason.en
            ));
        }
        for (path, want) in &c.expect {
            let want = to_json(want);
            match at(&json, path) {
                Some(got) if *got == want => {}
                got => diffs.push(format!(
                    "{path}: expected {want}, got {}",
                    got.map_or("nothing".into(), |g| g.to_string())
                )),
            }
        }
        for path in &c.nulls {
            match at(&json, path) {
                Some(Value::Null) => {}
                got => diffs.push(format!(
                    "{path}: expected null, got {}",
                    got.map_or("nothing".into(), |g| g.to_string())
                )),
            }
        }
        if let Some(w) = &c.warnings {
            let got: Vec<String> = d.warnings.iter().map(|x| x.rule.to_string()).collect();
            if *w != got {
                diffs.push(format!("warnings: expected {w:?}, got {got:?}"));
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("{} ({}):\n  {}", c.file, c.title, diffs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(expected.case.len() >= 10, "{kind}: at least 10 hand-checked cases");
}

#[test]
fn change_requests() {
    check_kind("change");
}

#[test]
fn results_reports() {
    check_kind("report");
}

#[test]
fn zone_finance() {
    check_kind("zone-finance");
}

#[test]
fn central_city() {
    check_kind("central-city");
}

#[test]
fn every_fixture_file_has_an_expectation() {
    for kind in ["change", "report", "zone-finance", "central-city"] {
        let dir = Path::new("fixtures").join(kind);
        let expected: Expected = toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
        let listed: Vec<&str> = expected.case.iter().map(|c| c.file.as_str()).collect();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".json") {
                assert!(listed.contains(&name.as_str()), "{kind}/{name} has no [[case]]");
            }
        }
    }
}

#[test]
fn every_bundled_rule_has_a_title_in_both_languages() {
    let book = grant_rules::rules::embedded().unwrap();
    for p in &book.kinds {
        for r in &p.rules {
            let t = r.title.as_ref().unwrap_or_else(|| panic!("rule {} has no title", r.id));
            assert!(!t.ja.is_empty() && !t.en.is_empty(), "rule {}", r.id);
            assert!(!t.ja.is_ascii(), "rule {}: its Japanese title is Japanese", r.id);
        }
    }
}
