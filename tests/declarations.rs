//! Document kinds are declared in the rule files, not in Rust: adding a
//! field to a kind, or a whole new kind, is a change to rule files only; and
//! the rule language's stricter checks (each with its span).

mod common;

use common::{app_files, decide_bytes, edited_fixture, kind_files, load, load_kind, with_test_rules};
use grant_rules::check::CheckError;
use grant_rules::decision::Datum;
use grant_rules::rules::{self, RulesError, Tree};
use grant_rules::source::SourceMap;
use grant_rules::verdict::RuleStatus;

fn rule_src(id: &str, body: &str) -> String {
    format!(
        "rule test.{id} {{\n  cite 実施要綱 \"第1\"\n  text \"予算の範囲内\"\n  summary ja \"s\" en \"s\"\n{body}\n}}\n"
    )
}

fn check_errors(files: Vec<(String, String)>) -> (Box<SourceMap>, Vec<CheckError>) {
    match rules::load("application", files) {
        Err(RulesError::Check { sources, errors }) => (sources, errors),
        Err(e) => panic!("expected check errors, got:\n{}", e.render()),
        Ok(_) => panic!("the broken rules loaded"),
    }
}

fn with_file(text: &str) -> Vec<(String, String)> {
    let mut files = app_files();
    files.push(("rules/application/99-test.rules".into(), text.into()));
    files
}

fn find<'a>(sources: &'a SourceMap, errors: &'a [CheckError], message: &str) -> (&'a CheckError, &'a str) {
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    let e = errors
        .iter()
        .find(|e| e.message == message)
        .unwrap_or_else(|| panic!("no error {message:?} among {all:#?}"));
    (e, sources.snippet(e.span))
}

// ------------------------------------------------------------ declared kinds

#[test]
fn a_field_added_in_a_rule_file_is_read_and_used() {
    // A new optional field on Project, declared in a copy of the rules, and
    // a rule that reads it: no Rust changes.
    let mut files = app_files();
    let kind = files
        .iter_mut()
        .find(|(n, _)| n == "rules/application/00-kind.rules")
        .unwrap();
    let anchor = "  joint: bool optional";
    assert!(kind.1.contains(anchor));
    kind.1 = kind.1.replacen(
        anchor,
        "  participants: int optional label ja \"参加者数\" en \"participants\"\n  joint: bool optional",
        1,
    );
    files.push((
        "rules/application/99-test.rules".into(),
        format!(
            "for project in projects {{\n{}\n}}\n",
            rule_src(
                "participants",
                "  fail when project.participants < 10 ja \"参加者 {project.participants} 人\" en \"only {project.participants} participants\"\n  pass otherwise ja \"x\" en \"{project.participants} participants\""
            )
        ),
    ));
    let program = load(files);
    let bytes = edited_fixture("\"joint\": true", "\"joint\": true, \"participants\": 7");
    let d = decide_bytes(&program, &bytes);
    let first = &d.list("projects").unwrap().entries[0];
    let r = first.rules.iter().find(|r| &*r.id == "test.participants").unwrap();
    assert_eq!(
        (r.status, r.reason.en.as_str()),
        (RuleStatus::Fail, "only 7 participants")
    );
    assert_eq!(&*first.status, "rejected");
    // Absent, it is an unknown fact listed as missing with its label.
    let d = decide_bytes(&program, &edited_fixture("\"joint\": true", "\"joint\": true"));
    assert_eq!(d.outcome, "incomplete");
    assert!(
        d.missing.iter().all(|m| m.ends_with(".participants")),
        "{:?}",
        d.missing
    );
    assert!(
        d.missing_details[0].what.ja.ends_with("参加者数"),
        "{:?}",
        d.missing_details[0]
    );
    // The built-in rules do not know it: the same document is an input error.
    let book = rules::embedded().unwrap();
    let Err((_, e)) = grant_rules::engine::decide(&book, &bytes) else {
        panic!("the built-in application has no field `participants`")
    };
    assert!(
        e.render(None, false).contains("unknown field \"participants\""),
        "{}",
        e.render(None, false)
    );
}

#[test]
fn a_new_kind_is_rule_files_only() {
    // A sixth kind, in its own folder of a copy of the rule tree.
    let mut tree: Tree = rules::read_tree(std::path::Path::new("rules")).unwrap();
    tree.kinds.push((
        "meeting".into(),
        vec![(
            "rules/meeting/00-kind.rules".into(),
            r#"
kind "council-meeting/v1" {
  title "協議会の開催"
  version "test"
  root Meeting
  as_of held_on
  outcome pass "quorate" ja "定足数あり" en "QUORATE"
  outcome fail "inquorate" ja "定足数なし" en "INQUORATE"
  outcome review "needs_review" ja "要審査" en "NEEDS REVIEW"
  outcome unknown "incomplete" ja "情報不足" en "INCOMPLETE"
}
entity Meeting {
  council: string
  held_on: date
  members: int
  present: list<Attendee> nonempty unique name
}
entity Attendee {
  title name
  name: municipality
  delegates: int default 1
}
param quorum_share: ratio {
  label ja "定足数" en "Quorum"
  2020-01-01.. = 1/2
}
for a in present {
  entry present { label ja "出席" en "Present" }
  show name = a.name label ja "市町村" en "Municipality"
}
rule meeting.quorum {
  cite 実施要綱 "第1"
  text "予算の範囲内"
  summary ja "過半数の出席" en "More than half present"
  fail when count(present) <= members * quorum_share
    ja "{count(present)} / {members}" en "{count(present)} of {members}: no quorum"
  pass otherwise ja "{count(present)} / {members}" en "{count(present)} of {members} present"
}
show council = council label ja "協議会" en "Council"
"#
            .into(),
        )],
    ));
    let book = rules::load_tree(tree).unwrap_or_else(|e| panic!("{}", e.render()));
    let doc = r#"{"format": "council-meeting/v1", "council": "南空知広域連携推進協議会", "held_on": "令和6年5月1日",
                   "members": 9, "present": [{"name": "岩見沢市"}, {"name": "夕張市"}, {"name": "美唄市"}, {"name": "三笠市"}, {"name": "南幌町"}]}"#;
    let (program, d) =
        grant_rules::engine::decide(&book, doc.as_bytes()).unwrap_or_else(|(p, e)| panic!("{}", e.render(p, false)));
    assert_eq!(program.kind.name, "meeting");
    assert_eq!(d.outcome, "quorate");
    assert_eq!(d.rules_as_of, "2024-05-01");
    assert_eq!(d.rule("meeting.quorum").unwrap().reason.en, "5 of 9 present");
    assert_eq!(d.list("present").unwrap().entries.len(), 5);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["council"], "南空知広域連携推進協議会");
    assert_eq!(json["present"][1]["name"], "夕張市");
    // Its schema and its input errors come from the same declaration.
    let schema: serde_json::Value = serde_json::from_str(&grant_rules::schema_json::input_schema(program)).unwrap();
    assert_eq!(
        schema["required"],
        serde_json::json!(["format", "council", "held_on", "members", "present"])
    );
    let bad = r#"{"format": "council-meeting/v1", "council": "c", "held_on": "令和6年5月1日", "members": 9,
                   "present": [{"name": "岩見沢"}, {"name": "夕張市", "delegates": "two"}]}"#;
    let Err((_, e)) = grant_rules::engine::decide(&book, bad.as_bytes()) else {
        panic!("bad document accepted")
    };
    let text = e.render(None, false);
    assert!(
        text.contains("present[0].name: \"岩見沢\" is not a Hokkaido municipality (did you mean: 岩見沢市?); write a Hokkaido municipality's name (\"岩見沢市\") or its code (\"012106\") (line 2, column 41)"),
        "{text}"
    );
    assert!(
        text.contains("present[1].delegates: not a whole number: \"two\"; write e.g. 5 (line 2, column 78)"),
        "{text}"
    );
}

#[test]
fn every_kind_reads_japanese_forms() {
    // 和暦 dates, 千円 amounts, full-width digits, municipality codes: the
    // reader goes by the declared type, whatever the kind.
    let book = rules::embedded().unwrap();
    let doc = r#"{"format": "grant-report/v1", "region": "日高連携地域", "decision_date": "R6.6.3",
                  "start_date": "令和6年5月20日", "completion_date": "２０２５－０２－１４",
                  "assets": [{"name": "テント", "unit_price": "６２０千円", "useful_life_years": 5}]}"#;
    let (_, d) =
        grant_rules::engine::decide(&book, doc.as_bytes()).unwrap_or_else(|(p, e)| panic!("{}", e.render(p, false)));
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["report_deadline"], "2025-03-16");
    assert_eq!(json["assets"][0]["restricted"], true);
    let doc = r#"{"format": "central-city/v1", "municipality": "012106", "population": 79306, "day_night_ratio": "１．０２"}"#;
    let (_, d) =
        grant_rules::engine::decide(&book, doc.as_bytes()).unwrap_or_else(|(p, e)| panic!("{}", e.render(p, false)));
    assert_eq!(d.field("municipality").unwrap().value, Datum::Text("岩見沢市".into()));
}

#[test]
fn every_input_error_of_a_document_in_one_pass() {
    let book = rules::embedded().unwrap();
    let doc = r#"{
  "format": "zone-finance/v1",
  "zone": "南空知定住自立圏",
  "fiscal_year": "令和7年度",
  "special_allocation_tax": [
    { "municipality": "岩見沢", "role": "central_city", "amount": -5 },
    { "municipality": "夕張市", "role": "mayor", "amount": "1.5円", "extra": 1 }
  ],
  "bonds": [ { "project": "p", "bond": "digital_promotion", "field": "ICT", "cost": 99999.99999999999999 } ]
}"#;
    let Err((_, e)) = grant_rules::engine::decide(&book, doc.as_bytes()) else {
        panic!("accepted")
    };
    let grant_rules::engine::EngineError::Input(errors) = e else {
        panic!()
    };
    let lines: Vec<String> = errors.0.iter().map(|e| e.render(false)).collect();
    let expected = [
        "special_allocation_tax[0].municipality: \"岩見沢\" is not a Hokkaido municipality (did you mean: 岩見沢市?); write a Hokkaido municipality's name (\"岩見沢市\") or its code (\"012106\") (line 6, column 23)",
        "special_allocation_tax[0].amount: negative amount -5: an amount is 0 yen or more (line 6, column 64)",
        "special_allocation_tax[1]: unknown field \"extra\", expected one of \"municipality\", \"role\", \"amount\"; rename or remove it (line 7, column 65)",
        "special_allocation_tax[1].role: \"mayor\" is not a value of \"Role in the zone\"; write one of: central_city (中心市), member (構成市町) (line 7, column 38)",
        "special_allocation_tax[1].amount: a fraction of a yen: 1.5 (\"1.5円\"): write whole yen (line 7, column 57)",
        "bonds[0].field: \"ICT\" is not a value of \"Field of the zone\"; did you mean \"ICTインフラ\" (ict_infrastructure)?; write one of: medical (医療), ",
        "bonds[0].cost: a fraction of a yen: 99999.99999999999999: write whole yen (line 9, column 85)",
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (got, want) in lines.iter().zip(expected) {
        assert!(got.starts_with(want), "{got}\n  does not start with\n{want}");
    }
    // …and each in Japanese.
    assert!(
        errors.0[1]
            .render(true)
            .starts_with("special_allocation_tax[0].amount: 負の金額です（-5）。0円以上で書いてください（6行64列）")
    );
}

// ------------------------------------------------------------ the language, tightened

#[test]
fn a_second_cite_summary_text_applies_or_effective_in_a_rule() {
    let src = "rule test.twice {\n  cite 実施要綱 \"第1\"\n  cite 実施要綱 \"第2\"\n  text \"予算の範囲内\"\n  text \"u\"\n  summary ja \"s\" en \"s\"\n  summary ja \"s\" en \"s\"\n  applies when true ja \"a\" en \"a\"\n  applies when true ja \"a\" en \"a\"\n  effective 2020-01-01..\n  effective 2021-01-01..\n  pass otherwise ja \"x\" en \"x\"\n}\n";
    let (sources, errors) = check_errors(with_file(src));
    for (item, snippet) in [
        ("cite", "cite 実施要綱 \"第2\""),
        ("text", "text \"u\""),
        ("summary", "summary ja \"s\" en \"s\""),
        ("applies", "applies when true ja \"a\" en \"a\""),
        ("effective", "effective 2021-01-01.."),
    ] {
        let (e, underlined) = find(&sources, &errors, &format!("rule `test.twice` has a second `{item}`"));
        assert_eq!(underlined, snippet, "{item}");
        assert_eq!(e.label, "given again here");
        if item == "cite" {
            assert!(e.notes[0].contains("`also SOURCE \"article\"`"), "{:?}", e.notes);
        }
    }
}

#[test]
fn remarks_are_evaluated_wherever_they_are_written() {
    // A `warn` after `otherwise`, and a `note` after a `fail` that fires:
    // neither is dropped.
    let src = rule_src(
        "late_remarks",
        "  fail when 1 == 1 ja \"x\" en \"failed\"\n  note when 1 == 1 ja \"注\" en \"a note after the failure\"\n  pass otherwise ja \"x\" en \"passed\"\n  warn when 2 == 2 ja \"警告\" en \"a warning after otherwise\"",
    );
    let d = common::decide(&with_test_rules(&src), "minamisorachi-r6.json");
    let r = d.rule("test.late_remarks").unwrap();
    assert_eq!(
        (r.status, r.reason.en.as_str()),
        (RuleStatus::Fail, "failed. a note after the failure")
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| &*w.rule == "test.late_remarks" && w.text.en == "a warning after otherwise")
    );
}

#[test]
fn a_let_named_like_an_enum_value() {
    let (sources, errors) = check_errors(with_file("let planned = 1\n"));
    let (e, snippet) = find(
        &sources,
        &errors,
        "`planned` is a value of Listing: a name like it would hide the value in comparisons",
    );
    assert_eq!(snippet, "planned");
    assert_eq!(e.label, "rename this");
    // In a rule too.
    let (sources, errors) = check_errors(with_file(&rule_src(
        "shadow",
        "  let soft = 1\n  pass otherwise ja \"x\" en \"x\"",
    )));
    let (_, snippet) = find(
        &sources,
        &errors,
        "`soft` is a value of ProjectKind: a name like it would hide the value in comparisons",
    );
    assert_eq!(snippet, "soft");
}

#[test]
fn every_failing_clause_is_in_the_reason() {
    // Both the agreement and the vision after the fiscal year: two facts to fix.
    let program = load(app_files());
    let bytes = edited_fixture(
        "\"agreement_date\": \"令和2年10月9日\"",
        "\"agreement_date\": \"2025-04-01\"",
    );
    let bytes = String::from_utf8(bytes).unwrap().replacen(
        "\"vision_date\": \"R2.10.23\"",
        "\"vision_date\": \"2025-05-01\"",
        1,
    );
    let d = decide_bytes(&program, bytes.as_bytes());
    let r = d.rule("applicant.agreement").unwrap();
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(
        r.reason.en,
        "The cooperation agreement (2025-04-01) comes after the end of the fiscal year applied for (2025-03-31). The cooperation vision (2025-05-01) comes after the end of the fiscal year applied for (2025-03-31)"
    );
}

#[test]
fn a_runtime_error_underlines_the_failing_expression() {
    let src = rule_src(
        "div",
        "  let zero = 0\n  fail when 1 / zero > 0 ja \"x\" en \"x\"\n  pass otherwise ja \"x\" en \"x\"",
    );
    let program = with_test_rules(&src);
    let bytes = std::fs::read("fixtures/application/minamisorachi-r6.json").unwrap();
    let e = grant_rules::engine::decide_with(&program, &bytes).expect_err("division by zero");
    let grant_rules::engine::EngineError::Rules(err) = &e else {
        panic!()
    };
    assert_eq!(err.message, "division by zero (1 / 0)");
    assert_eq!(program.sources.snippet(err.span), "1 / zero");
    let rendered = e.render(Some(&program), false);
    assert!(rendered.contains("99-test.rules:6:13"), "{rendered}");
    assert!(rendered.contains("^^^^^^^^ while evaluating this"), "{rendered}");
}

#[test]
fn the_change_kind_reads_its_own_folder_only() {
    // Each kind is compiled from common/ and its own folder: the change
    // kind has no `grant_cap` (an application parameter).
    let files = kind_files("change");
    assert!(
        files
            .iter()
            .all(|(n, _)| n.starts_with("rules/common/") || n.starts_with("rules/change/"))
    );
    let program = load_kind("change", files);
    assert!(program.params.iter().all(|p| p.name != "grant_cap"));
    assert!(program.params.iter().any(|p| p.name == "change_threshold"));
}
