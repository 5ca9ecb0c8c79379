//! Every application fixture's decision against its expectation in
//! fixtures/application/expected.toml, which was worked out by hand from the
//! guideline text (see each case's `hand_check`), not from this engine's
//! output.

use std::collections::BTreeMap;
use std::path::Path;

use grant_rules::decision::{Datum, Decision};
use rust_decimal::prelude::ToPrimitive;
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

fn decide(book: &grant_rules::rules::RuleBook, file: &str) -> Decision {
    let bytes = std::fs::read(Path::new("fixtures/application").join(file)).unwrap();
    match grant_rules::engine::decide(book, &bytes) {
        Ok((_, d)) => d,
        Err((p, e)) => panic!("{file}: {}", e.render(p, false)),
    }
}

/// A top-level amount of the decision, in yen (`None` when null).
fn yen(d: &Decision, key: &str) -> Option<i64> {
    match d.field(key).map(|f| &f.value) {
        Some(Datum::Money(n)) => n.to_i64(),
        _ => None,
    }
}

/// Compares one case; returns the differences.
fn compare(c: &Case, d: &Decision) -> Vec<String> {
    let mut diffs = Vec::new();
    if d.outcome != c.outcome {
        diffs.push(format!("outcome: expected {}, got {}", c.outcome, d.outcome));
    }
    if yen(d, "grant_amount") != c.grant_amount {
        diffs.push(format!(
            "grant_amount: expected {:?}, got {:?}",
            c.grant_amount,
            yen(d, "grant_amount")
        ));
    }
    if yen(d, "eligible_expenses") != c.eligible_expenses {
        diffs.push(format!(
            "eligible_expenses: expected {:?}, got {:?}",
            c.eligible_expenses,
            yen(d, "eligible_expenses")
        ));
    }
    if let Some(m) = &c.missing
        && *m != d.missing
    {
        diffs.push(format!("missing: expected {m:?}, got {:?}", d.missing));
    }
    let warned: Vec<String> = d.warnings.iter().map(|w| w.rule.to_string()).collect();
    if let Some(w) = &c.warnings
        && *w != warned
    {
        diffs.push(format!("warnings: expected {w:?}, got {warned:?}"));
    }
    for (id, status) in &c.rules {
        match d.rules.iter().find(|r| &*r.id == id.as_str()) {
            Some(r) if json(&r.status) == *status => {}
            Some(r) => diffs.push(format!(
                "rule {id}: expected {status}, got {} ({})",
                json(&r.status),
                r.reason.en
            )),
            None => diffs.push(format!("rule {id}: not in the decision")),
        }
    }
    let projects = d.list("projects").map(|l| l.entries.as_slice()).unwrap_or_default();
    for (name, status) in &c.projects {
        match projects.iter().find(|p| &*p.title == name.as_str()) {
            Some(p) if &*p.status == status.as_str() => {}
            Some(p) => diffs.push(format!("project {name}: expected {status}, got {}", p.status)),
            None => diffs.push(format!("project {name}: not in the decision")),
        }
    }
    diffs
}

#[test]
fn every_fixture_matches_its_hand_checked_expectation() {
    let text = std::fs::read_to_string("fixtures/application/expected.toml").unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    assert!(expected.case.len() >= 25, "at least 25 fixtures");
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    let mut failures = Vec::new();
    for c in &expected.case {
        let d = decide(&book, &c.file);
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
    let text = std::fs::read_to_string("fixtures/application/expected.toml").unwrap();
    let expected: Expected = toml::from_str(&text).unwrap();
    let listed: Vec<&str> = expected.case.iter().map(|c| c.file.as_str()).collect();
    for entry in std::fs::read_dir("fixtures/application").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".json") {
            assert!(
                listed.contains(&name.as_str()),
                "{name} has no [[case]] in fixtures/expected.toml"
            );
        }
    }
}
