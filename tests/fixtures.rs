//! Every fixture's decision against its expectation in fixtures/expected.toml,
//! which was worked out by hand from the guideline text (see each case's
//! `hand_check`), not from this engine's output.

use std::collections::BTreeMap;
use std::path::Path;

use grant_rules::decision::Decision;
use serde::Deserialize;

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
    grant_amount: Option<i64>,
    eligible_expenses: Option<i64>,
    missing: Option<Vec<String>>,
    /// Rule ids with a warning, in the decision's order.
    warnings: Option<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    projects: BTreeMap<String, String>,
    hand_check: String,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn decide(file: &str) -> Decision {
    let program = grant_rules::rules::embedded().expect("the built-in rules load");
    let bytes = std::fs::read(Path::new("fixtures").join(file)).unwrap();
    grant_rules::engine::decide(&program, &bytes).unwrap_or_else(|e| panic!("{file}: {}", e.render(&program, false)))
}

/// Compares one case; returns the differences.
fn compare(c: &Case, d: &Decision) -> Vec<String> {
    let mut diffs = Vec::new();
    let outcome = json(&d.outcome);
    if outcome != c.outcome {
        diffs.push(format!("outcome: expected {}, got {outcome}", c.outcome));
    }
    if d.grant_amount != c.grant_amount {
        diffs.push(format!(
            "grant_amount: expected {:?}, got {:?}",
            c.grant_amount, d.grant_amount
        ));
    }
    if d.eligible_expenses != c.eligible_expenses {
        diffs.push(format!(
            "eligible_expenses: expected {:?}, got {:?}",
            c.eligible_expenses, d.eligible_expenses
        ));
    }
    if let Some(m) = &c.missing
        && *m != d.missing
    {
        diffs.push(format!("missing: expected {m:?}, got {:?}", d.missing));
    }
    let warned: Vec<String> = d.warnings.iter().map(|w| w.rule.clone()).collect();
    if let Some(w) = &c.warnings
        && *w != warned
    {
        diffs.push(format!("warnings: expected {w:?}, got {warned:?}"));
    }
    for (id, status) in &c.rules {
        match d.rules.iter().find(|r| r.id == *id) {
            Some(r) if json(&r.status) == *status => {}
            Some(r) => diffs.push(format!(
                "rule {id}: expected {status}, got {} ({})",
                json(&r.status),
                r.reason.en
            )),
            None => diffs.push(format!("rule {id}: not in the decision")),
        }
    }
    for (name, status) in &c.projects {
        match d.projects.iter().find(|p| p.name == *name) {
            Some(p) if json(&p.status) == *status => {}
            Some(p) => diffs.push(format!("project {name}: expected {status}, got {}", json(&p.status))),
            None => diffs.push(format!("project {name}: not in the decision")),
        }
    }
    diffs
}

#[test]
fn every_fixture_matches_its_hand_checked_expectation() {
    let text = std::fs::read_to_string("fixtures/expected.toml").unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    assert!(expected.case.len() >= 25, "at least 25 fixtures");
    let mut failures = Vec::new();
    for c in &expected.case {
        let d = decide(&c.file);
        let diffs = compare(c, &d);
        if !diffs.is_empty() {
            failures.push(format!("{} ({}):\n  {}", c.file, c.title, diffs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_has_an_expectation() {
    let text = std::fs::read_to_string("fixtures/expected.toml").unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    let listed: Vec<&str> = expected.case.iter().map(|c| c.file.as_str()).collect();
    for entry in std::fs::read_dir("fixtures").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".json") {
            assert!(
                listed.contains(&name.as_str()),
                "{name} has no [[case]] in fixtures/expected.toml"
            );
        }
    }
}
