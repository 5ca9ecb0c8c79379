//! Snapshots of the decision on every fixture of every kind, as the Japanese
//! text report and as JSON. A change to the rules shows up here as exactly
//! the decisions it changes. The rules' digest and the rules' line numbers
//! are redacted so that editing a comment in a rule file does not touch
//! every snapshot.

use grant_rules::cli::report;
use grant_rules::text::Lang;

fn decide(book: &grant_rules::rules::RuleBook, path: &std::path::Path) -> grant_rules::decision::Decision {
    let bytes = std::fs::read(path).unwrap();
    match grant_rules::engine::decide(book, &bytes) {
        Ok((_, d)) => d,
        Err((p, e)) => panic!("{}: {}", path.display(), e.render(p, false)),
    }
}

fn without_digest(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("rules_sha256"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn text_and_json_decision_of_every_fixture() {
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"), "*/*.json", |path| {
        let d = decide(&book, path);
        insta::assert_snapshot!("text", without_digest(&report(&d, Lang::Ja)));
        insta::assert_json_snapshot!("json", d, {
            ".rules_sha256" => "[rules digest]",
            ".**.rule_source" => "[rule file:line]",
            ".**.clause_source" => "[rule file:line]",
        });
    });
}

#[test]
fn english_report_of_one_fixture_of_each_kind() {
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    for file in [
        "application/minamisorachi-r3.json",
        "change/content-changed-review.json",
        "report/late-decision-no-reason.json",
        "zone-finance/regional-education-fail.json",
        "central-city/town-not-city.json",
    ] {
        let d = decide(&book, &std::path::Path::new("fixtures").join(file));
        let name = file.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, without_digest(&report(&d, Lang::En)));
    }
}
