//! Reviewers' determinations recorded in the document: they close a
//! `review` and the same rules give the final decision; a determination that
//! names nothing is an input error with its path, line and column; one that
//! closes nothing is said so in the decision.

mod common;

use common::{app_files, decide_bytes, load};
use grant_rules::decision::{CheckState, Decision};
use grant_rules::engine::{self, EngineError};
use grant_rules::verdict::RuleStatus;

/// `island-review.json` (an island cut off → adjacency `review`) with these
/// determinations.
fn island_with(determinations: &str) -> Vec<u8> {
    let text = std::fs::read_to_string("fixtures/application/island-review.json").unwrap();
    let at = text.rfind('}').unwrap();
    format!(
        "{},\n  \"determinations\": {determinations}\n}}\n",
        text[..at].trim_end()
    )
    .into_bytes()
}

fn decide(bytes: &[u8]) -> Decision {
    decide_bytes(&load(app_files()), bytes)
}

/// The input errors, rendered in English, one per line.
fn input_errors(bytes: &[u8]) -> Vec<String> {
    let program = load(app_files());
    match engine::decide_with(&program, bytes) {
        Err(EngineError::Input(errors)) => errors.0.iter().map(|e| e.render(false)).collect(),
        Err(e) => panic!("not an input error: {e}"),
        Ok(d) => panic!("decided: {}", d.outcome),
    }
}

#[test]
fn an_open_review_says_how_to_record_its_determination() {
    let d = decide(&std::fs::read("fixtures/application/island-review.json").unwrap());
    assert_eq!(d.outcome, "needs_review");
    let open: Vec<_> = d.checklist.iter().filter(|c| c.state == CheckState::Open).collect();
    assert_eq!(open.len(), 1, "{:#?}", d.checklist);
    assert_eq!(&*open[0].rule, "applicant.adjacency");
    assert_eq!(
        open[0].record.as_deref(),
        Some(
            r#"{"rule_id": "applicant.adjacency", "decision": "accept" | "reject", "by": "…", "on": "…", "reason": "…"}"#
        )
    );
    let text = grant_rules::cli::report(&d, grant_rules::text::Lang::Ja);
    assert!(
        text.contains("[未判断] 隣接（applicant.adjacency；推進要綱 第3(1)） 陸続きでない部分があります"),
        "{text}"
    );
    assert!(
        text.contains("[要審査] 隣接（applicant.adjacency；推進要綱 第3(1)、実施要綱 第2 1）"),
        "{text}"
    );
    let checklist = text
        .split("■ 審査担当者の確認事項")
        .nth(1)
        .unwrap()
        .split("■ ")
        .next()
        .unwrap();
    assert!(
        !checklist.contains("[適合]"),
        "no machine pass under the reviewer's checklist:\n{checklist}"
    );
    assert!(
        text.contains("[指摘なし] 事業「地域防災体制の充実」 知事が不適当と認める事業（project.inappropriate；実施要綱 第4 2 (6)）"),
        "{text}"
    );
}

#[test]
fn an_accepted_review_makes_the_application_eligible_with_the_reviewers_reason() {
    let d = decide(&island_with(
        r#"[{"rule_id": "applicant.adjacency", "decision": "認める", "by": "檜山振興局 審査担当", "on": "令和6年6月10日", "reason": "フェリーで日常的に結ばれている"}]"#,
    ));
    assert_eq!(d.outcome, "eligible");
    let rule = d.rules.iter().find(|r| &*r.id == "applicant.adjacency").unwrap();
    assert_eq!(rule.status, RuleStatus::Pass);
    let det = rule.determination.as_ref().unwrap();
    assert_eq!(
        (det.path.as_str(), det.decision.as_str(), det.on.as_str()),
        ("determinations[0]", "accept", "2024-06-10")
    );
    assert!(
        rule.reason
            .ja
            .ends_with("審査担当者の判断（檜山振興局 審査担当、2024-06-10）：認める。フェリーで日常的に結ばれている"),
        "{}",
        rule.reason.ja
    );
    assert!(
        d.outcome_reason.ja.contains("applicant.adjacency — 審査担当者の判断"),
        "{}",
        d.outcome_reason.ja
    );
    let closed = d.checklist.iter().find(|c| &*c.rule == "applicant.adjacency").unwrap();
    assert_eq!(closed.state, CheckState::Accepted);
    assert!(closed.record.is_none());
    let text = grant_rules::cli::report(&d, grant_rules::text::Lang::Ja);
    assert!(
        text.contains(
            "[判断済：認める（檜山振興局 審査担当、2024-06-10）] 隣接（applicant.adjacency；推進要綱 第3(1)）"
        ),
        "{text}"
    );
}

#[test]
fn a_rejected_review_makes_the_application_ineligible() {
    let d = decide(&island_with(
        r#"[{"rule_id": "applicant.adjacency", "decision": "reject", "by": "檜山振興局 審査担当", "on": "2024-06-10"}]"#,
    ));
    assert_eq!(d.outcome, "ineligible");
    assert!(d.field("grant_amount").unwrap().withheld);
    let rule = d.rules.iter().find(|r| &*r.id == "applicant.adjacency").unwrap();
    assert_eq!(rule.status, RuleStatus::Fail);
    assert!(
        rule.reason
            .en
            .ends_with("Reviewer's determination (檜山振興局 審査担当, 2024-06-10): rejected")
    );
}

#[test]
fn a_determination_of_a_rule_that_is_not_for_review_closes_nothing() {
    let d = decide(&island_with(
        r#"[{"rule_id": "applicant.half_exclusion", "decision": "reject", "by": "審査担当", "on": "2024-06-10"}]"#,
    ));
    assert_eq!(
        d.outcome, "needs_review",
        "the half exclusion passes; the rejection is not applied"
    );
    let w = d
        .warnings
        .iter()
        .find(|w| &*w.rule == "applicant.half_exclusion")
        .unwrap();
    assert!(w.text.en.starts_with("determinations[0] (reject) was not applied: rule applicant.half_exclusion is not for a reviewer to decide (it is pass)"), "{}", w.text.en);
}

#[test]
fn a_determination_that_names_nothing_is_an_input_error_with_its_place() {
    let errors = input_errors(&island_with(
        "[\n    {\"rule_id\": \"applicant.adjacensy\", \"decision\": \"accept\", \"by\": \"x\", \"on\": \"2024-06-10\"},\n    {\"rule_id\": \"project.inappropriate\", \"at\": \"projects[7]\", \"decision\": \"accept\", \"by\": \"x\", \"on\": \"2024-06-10\"},\n    {\"rule_id\": \"applicant.adjacency\", \"at\": \"projects[0]\", \"decision\": \"accept\", \"by\": \"x\", \"on\": \"2024-06-10\"}\n  ]",
    ));
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with("determinations[0].rule_id: no rule \"applicant.adjacensy\" in these rules; did you mean `applicant.adjacency`? (line 59, column 17)"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("determinations[1].at: \"projects[7]\" is not a Project of this document (one of: projects[0]) (line 60, column 48)"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].starts_with("determinations[2].at: rule `applicant.adjacency` is decided for the whole document: leave `at` out (found \"projects[0]\") (line 61, column 46)"),
        "{}",
        errors[2]
    );
}

#[test]
fn two_determinations_of_one_point_are_an_error() {
    let one = r#"{"rule_id": "applicant.adjacency", "decision": "accept", "by": "x", "on": "2024-06-10"}"#;
    let errors = input_errors(&island_with(&format!("[{one}, {one}]")));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("determinations[1]: a second determination of the same rule for the same entity (the first is determinations[0])"),
        "{}",
        errors[0]
    );
}

#[test]
fn the_kind_names_a_field_that_can_hold_determinations() {
    let broken = |from: &str, to: &str| {
        let files: Vec<(String, String)> = app_files()
            .into_iter()
            .map(|(n, t)| {
                let t = if n.ends_with("00-kind.rules") {
                    t.replace(from, to)
                } else {
                    t
                };
                (n, t)
            })
            .collect();
        match grant_rules::rules::load("application", files) {
            Err(e) => e.render(),
            Ok(_) => panic!("{to} loaded"),
        }
    };
    let e = broken("determinations determinations", "determinations projects");
    assert!(
        e.contains("`projects` cannot hold determinations: no field `rule_id`; no field `at`; no field `decision`; no field `by`; no field `on`; no field `reason`"),
        "{e}"
    );
    assert!(e.contains("00-kind.rules:14:18"), "{e}");
    assert!(
        e.contains("14 │   determinations projects\n   │                  ^^^^^^^^"),
        "{e}"
    );
    let e = broken("determinations determinations", "determinations decisions");
    assert!(e.contains("the document has no field `decisions`"), "{e}");
}
