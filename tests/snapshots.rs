//! Snapshots of the decision on every fixture, as the Japanese text report
//! and as JSON. A change to the rules shows up here as exactly the decisions
//! it changes. The rules' digest and the rules' line numbers are redacted so
//! that editing a comment in a rule file does not touch every snapshot.

use grant_rules::report::{self, Lang};

fn program() -> grant_rules::program::Program {
    grant_rules::rules::embedded().expect("the built-in rules load")
}

#[test]
fn text_and_json_decision_of_every_fixture() {
    let program = program();
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"), "*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        let d = grant_rules::engine::decide(&program, &bytes)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render(&program, false)));
        let text: String = report::render(&d, Lang::Ja)
            .lines()
            .filter(|l| !l.starts_with("rules_sha256"))
            .map(|l| format!("{l}\n"))
            .collect();
        insta::assert_snapshot!("text", text);
        insta::assert_json_snapshot!("json", d, {
            ".rules_sha256" => "[rules digest]",
            ".rules[].rule_source" => "[rule file:line]",
            ".rules[].clause_source" => "[rule file:line]",
            ".projects[].rules[].rule_source" => "[rule file:line]",
            ".projects[].rules[].clause_source" => "[rule file:line]",
        });
    });
}

#[test]
fn english_report_of_one_fixture() {
    let program = program();
    let bytes = std::fs::read("fixtures/minamisorachi-r3.json").unwrap();
    let d = grant_rules::engine::decide(&program, &bytes).unwrap();
    let text: String = report::render(&d, Lang::En)
        .lines()
        .filter(|l| !l.starts_with("rules_sha256"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(text);
}
