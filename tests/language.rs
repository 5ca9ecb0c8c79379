//! The rule language's semantics, through tiny rules added to the real rule
//! set (which supplies what every rule set needs: the enums, the outputs, the
//! header and the sources). Each extra file holds top-level `rule test.…`s;
//! the tests decide a fixture and read those rules' results.

mod common;

use common::{app_files, decide, decide_bytes, edited_fixture, load, with_test_rules, yen};
use grant_rules::decision::{Datum, Decision, RuleEntry};
use grant_rules::verdict::RuleStatus;

/// A top-level rule with the documentation every rule needs.
fn rule_src(id: &str, body: &str) -> String {
    format!(
        "rule test.{id} {{\n  cite 実施要綱 \"第1\"\n  text \"予算の範囲内\"\n  summary ja \"s\" en \"s\"\n{body}\n}}\n"
    )
}

fn rule<'d>(d: &'d Decision, id: &str) -> &'d RuleEntry {
    d.rules
        .iter()
        .find(|r| &*r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Asserts a rule's status and English reason.
fn assert_rule(d: &Decision, id: &str, status: RuleStatus, reason_en: &str) {
    let r = rule(d, id);
    assert_eq!((r.status, r.reason.en.as_str()), (status, reason_en), "{id}: {r:#?}");
}

// In minamisorachi-r6.json `budget_allocation` is null: an unknown money fact.
const UNKNOWN: &str = "budget_allocation > 0円";

#[test]
fn kleene_and_or_with_a_missing_fact() {
    let src = [
        rule_src(
            "and_false",
            &format!(
                "  fail when {UNKNOWN} and 1 == 2 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
        rule_src(
            "or_true",
            &format!(
                "  fail when {UNKNOWN} or 1 == 1 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
        rule_src(
            "and_unknown",
            &format!(
                "  fail when 1 == 1 and {UNKNOWN} ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
        rule_src(
            "or_unknown",
            &format!(
                "  fail when 1 == 2 or {UNKNOWN} ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
        rule_src(
            "not_unknown",
            &format!("  fail when not ({UNKNOWN}) ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""),
        ),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    let not_needed = "(budget_allocation is not given, but it cannot change the result)";
    // false and unknown = false: decided, and the missing fact did not matter.
    assert_rule(
        &d,
        "test.and_false",
        RuleStatus::Pass,
        &format!("not fired {not_needed}"),
    );
    assert_eq!(rule(&d, "test.and_false").missing, Vec::<String>::new());
    assert_eq!(rule(&d, "test.and_false").missing_not_needed, ["budget_allocation"]);
    // true or unknown = true.
    assert_rule(&d, "test.or_true", RuleStatus::Fail, &format!("fired {not_needed}"));
    assert_eq!(rule(&d, "test.or_true").missing_not_needed, ["budget_allocation"]);
    // true and unknown, false or unknown, not unknown: unknown, with the path.
    for id in ["test.and_unknown", "test.or_unknown", "test.not_unknown"] {
        assert_rule(
            &d,
            id,
            RuleStatus::Unknown,
            "Cannot be decided: missing budget_allocation",
        );
        assert_eq!(rule(&d, id).missing, ["budget_allocation"]);
    }
    assert!(d.missing.contains(&"budget_allocation".to_string()), "{:?}", d.missing);
    // The one certain failure decides the outcome over the unknowns.
    assert_eq!(d.outcome_reason.en, "test.or_true (実施要綱 第1) not met");
}

#[test]
fn unknown_clause_that_agrees_with_the_rest_still_decides() {
    // Whether or not the first clause fires, the rule fails.
    let src = rule_src(
        "same",
        &format!("  fail when {UNKNOWN} ja \"x\" en \"first\"\n  fail otherwise ja \"x\" en \"second\""),
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    let r = rule(&d, "test.same");
    assert_eq!(r.status, RuleStatus::Fail, "{r:#?}");
    assert!(r.reason.en.starts_with("second"), "{}", r.reason.en);
    assert_eq!(r.missing, Vec::<String>::new());
}

#[test]
fn count_bounds_decide_despite_a_missing_fact() {
    // flag-missing-irrelevant.json: 夕張市 (members[1]) has no settlement_zone; no
    // other member is in a settlement zone, so the count lies in 0..=1.
    let count = "count([m for m in region.members where m.settlement_zone])";
    let src = [
        rule_src(
            "count_gt_1",
            &format!("  fail when {count} > 1 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""),
        ),
        rule_src(
            "count_le_1",
            &format!("  fail when {count} <= 1 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""),
        ),
        rule_src(
            "count_gt_0",
            &format!("  fail when {count} > 0 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""),
        ),
        rule_src(
            "count_shown",
            &format!("  note when 1 == 1 ja \"x\" en \"count {{{count}}}\"\n  pass otherwise ja \"x\" en \"ok\""),
        ),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "flag-missing-irrelevant.json");
    let path = "region.members[1].settlement_zone";
    let not_needed = format!("({path} is not given, but it cannot change the result)");
    assert_rule(
        &d,
        "test.count_gt_1",
        RuleStatus::Pass,
        &format!("not fired {not_needed}"),
    );
    assert_eq!(rule(&d, "test.count_gt_1").missing_not_needed, [path]);
    assert_rule(&d, "test.count_le_1", RuleStatus::Fail, &format!("fired {not_needed}"));
    assert_rule(
        &d,
        "test.count_gt_0",
        RuleStatus::Unknown,
        &format!("Cannot be decided: missing {path}"),
    );
    assert_eq!(rule(&d, "test.count_gt_0").missing, [path]);
    assert!(
        rule(&d, "test.count_shown")
            .reason
            .en
            .starts_with("ok. count 0–1 (some facts unknown)"),
        "{:?}",
        rule(&d, "test.count_shown").reason
    );
}

#[test]
fn unless_exception_message_appears_in_the_reason() {
    let src = [
        rule_src("excepted", "  fail when 1 == 1 unless 2 == 2 except ja \"例外\" en \"the exception applies\" ja \"x\" en \"failed\"\n  pass otherwise ja \"x\" en \"passed\""),
        rule_src("not_excepted", "  fail when 1 == 1 unless 2 == 3 except ja \"例外\" en \"the exception applies\" ja \"x\" en \"failed\"\n  pass otherwise ja \"x\" en \"passed\""),
        rule_src("unknown_exception", &format!("  fail when 1 == 1 unless {UNKNOWN} except ja \"例外\" en \"the exception applies\" ja \"x\" en \"failed\"\n  pass otherwise ja \"x\" en \"passed\"")),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(&d, "test.excepted", RuleStatus::Pass, "the exception applies");
    assert_eq!(rule(&d, "test.excepted").reason.ja, "例外");
    assert_rule(&d, "test.not_excepted", RuleStatus::Fail, "failed");
    // Whether the exception holds is unknown: so is the rule.
    assert_rule(
        &d,
        "test.unknown_exception",
        RuleStatus::Unknown,
        "Cannot be decided: missing budget_allocation",
    );
}

#[test]
fn unless_exception_in_the_real_rules() {
    // wages-temporary-staff.json claims the 第5 1 exception for its wages line.
    let program = load(app_files());
    let d = decide(&program, "wages-temporary-staff.json");
    let wages: Vec<_> = d
        .list("projects")
        .unwrap()
        .entries
        .iter()
        .flat_map(|p| &p.list("expenses").unwrap().entries)
        .filter(|e| e.field("category").unwrap().value == Datum::Code("wages".into()))
        .collect();
    assert!(!wages.is_empty());
    for e in wages {
        assert_eq!(e.field("eligible").unwrap().value, Datum::Bool(true), "{e:#?}");
        assert!(e.reason().en.contains("eligible by the exception in 第5 1"), "{e:#?}");
    }
}

#[test]
fn warn_is_listed_and_does_not_decide() {
    let src = [
        rule_src("warns", "  warn when 1 == 1 ja \"警告\" en \"a test warning\"\n  warn when 1 == 2 ja \"x\" en \"a warning that does not fire\"\n  pass otherwise ja \"x\" en \"passed\""),
        rule_src("warns_then_fails", "  warn when 1 == 1 ja \"警告\" en \"another warning\"\n  fail otherwise ja \"x\" en \"failed\""),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(&d, "test.warns", RuleStatus::Pass, "passed");
    assert_rule(&d, "test.warns_then_fails", RuleStatus::Fail, "failed");
    let ours: Vec<(&str, &str, RuleStatus)> = d
        .warnings
        .iter()
        .filter(|w| w.rule.starts_with("test."))
        .map(|w| (&*w.rule, w.text.en.as_str(), w.status))
        .collect();
    assert_eq!(
        ours,
        [
            ("test.warns", "a test warning", RuleStatus::Pass),
            ("test.warns_then_fails", "another warning", RuleStatus::Fail)
        ]
    );
    assert_eq!(
        d.warnings
            .iter()
            .find(|w| &*w.rule == "test.warns")
            .unwrap()
            .citation
            .to_string(),
        "実施要綱 第1"
    );
}

#[test]
fn note_is_added_to_the_reason_not_to_warnings() {
    let src = rule_src(
        "notes",
        "  note when 1 == 1 ja \"注記\" en \"a test note\"\n  note when 1 == 2 ja \"x\" en \"a note that does not fire\"\n  pass otherwise ja \"合格\" en \"passed\"",
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(&d, "test.notes", RuleStatus::Pass, "passed. a test note");
    assert_eq!(rule(&d, "test.notes").reason.ja, "合格。注記");
    assert!(d.warnings.iter().all(|w| &*w.rule != "test.notes"), "{:#?}", d.warnings);
}

#[test]
fn applies_when_false_is_not_applicable() {
    let src = [
        rule_src("not_here", "  applies when 1 == 2 ja \"対象外\" en \"does not apply here\"\n  fail otherwise ja \"x\" en \"failed\""),
        rule_src("here", "  applies when present(deductible_consumption_tax) ja \"対象外\" en \"does not apply here\"\n  fail otherwise ja \"x\" en \"failed\""),
        rule_src("maybe", &format!("  applies when {UNKNOWN} ja \"対象外\" en \"does not apply here\"\n  fail otherwise ja \"x\" en \"failed\"")),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(&d, "test.not_here", RuleStatus::NotApplicable, "does not apply here");
    assert_rule(&d, "test.here", RuleStatus::Fail, "failed");
    assert_rule(
        &d,
        "test.maybe",
        RuleStatus::Unknown,
        "Cannot be decided: missing budget_allocation",
    );
    // A not-applicable rule does not make the decision fail: only test.here does.
    assert_eq!(d.outcome_reason.en, "test.here (実施要綱 第1) not met");
}

#[test]
fn effective_dates_select_the_rules_in_force() {
    // minamisorachi-r6.json is FY2024: evaluated as of 2025-03-31.
    let src = [
        rule_src(
            "future",
            "  effective 2030-01-01..\n  fail otherwise ja \"x\" en \"failed\"",
        ),
        rule_src(
            "until_last_day",
            "  effective 2020-01-01..2025-03-31\n  pass otherwise ja \"x\" en \"in force\"",
        ),
        rule_src(
            "ended_day_before",
            "  effective 2020-01-01..2025-03-30\n  fail otherwise ja \"x\" en \"failed\"",
        ),
        rule_src(
            "from_last_day",
            "  effective 2025-03-31..\n  pass otherwise ja \"x\" en \"in force\"",
        ),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_eq!(d.rules_as_of, "2025-03-31");
    assert_rule(
        &d,
        "test.future",
        RuleStatus::NotApplicable,
        "Not in force on 2025-03-31",
    );
    assert_rule(&d, "test.until_last_day", RuleStatus::Pass, "in force");
    assert_rule(
        &d,
        "test.ended_day_before",
        RuleStatus::NotApplicable,
        "Not in force on 2025-03-31",
    );
    assert_rule(&d, "test.from_last_day", RuleStatus::Pass, "in force");
    assert_eq!(d.outcome, "eligible");
}

#[test]
fn default_operator_and_present() {
    let src = [
        "let test_alloc = budget_allocation ?? 123万円\nlet test_tax = deductible_consumption_tax ?? 5円\n",
        &rule_src("defaults", "  fail when test_alloc == 123万円 and test_tax == 0円 ja \"x\" en \"alloc {test_alloc}, tax {test_tax}\"\n  pass otherwise ja \"x\" en \"no\""),
        &rule_src("present", "  fail when present(deductible_consumption_tax) and not present(budget_allocation) ja \"x\" en \"tax given, no allocation\"\n  pass otherwise ja \"x\" en \"no\""),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    // Reading a fact through `??` or present() handles its absence: it is not
    // even a fact that "did not matter".
    assert_rule(&d, "test.defaults", RuleStatus::Fail, "alloc ¥1,230,000, tax ¥0");
    assert_rule(&d, "test.present", RuleStatus::Fail, "tax given, no allocation");
    for id in ["test.defaults", "test.present"] {
        assert_eq!(rule(&d, id).missing_not_needed, Vec::<String>::new(), "{id}");
    }
}

#[test]
fn table_lookup_with_else() {
    let src = [
        "table test_weight: PolicyField -> int {\n  disaster => 5\n  public_transport, medical => 7\n  else => 1\n}\n",
        "let test_weights = [test_weight[f] for f in region.policy_fields]\n",
        &rule_src("weights", "  note when 1 == 1 ja \"x\" en \"{test_weights} = {sum(test_weights)}\"\n  pass otherwise ja \"x\" en \"ok\""),
    ]
    .concat();
    let program = with_test_rules(&src);
    // 防災 (5), 地域公共交通 (7), ICT (not listed: else 1).
    let d = decide(&program, "minamisorachi-r6.json");
    assert_rule(&d, "test.weights", RuleStatus::Pass, "ok. 5, 7, 1 = 13");
    // A value the table does not list takes `else`.
    let d = decide_bytes(&program, &edited_fixture("\"防災\"", "\"産業振興\""));
    assert_rule(&d, "test.weights", RuleStatus::Pass, "ok. 1, 7, 1 = 9");
}

#[test]
fn distinct_keeps_first_occurrences() {
    let src = rule_src(
        "distinct",
        "  note when 1 == 1 ja \"x\" en \"{distinct([3, 1, 3, 2, 1])} / {count(distinct([m.central_urban_area for m in region.members]))} of {count(region.members)} / {count(distinct(region.policy_fields))}\"\n  pass otherwise ja \"x\" en \"ok\"",
    );
    let program = with_test_rules(&src);
    let d = decide(&program, "minamisorachi-r6.json");
    assert_rule(&d, "test.distinct", RuleStatus::Pass, "ok. 3, 1, 2 / 2 of 9 / 3");
    // A policy field written twice (once by its alias) counts once.
    let d = decide_bytes(
        &program,
        &edited_fixture("\"地域公共交通\"", "\"地域公共交通\", \"公共交通\""),
    );
    assert_rule(&d, "test.distinct", RuleStatus::Pass, "ok. 3, 1, 2 / 2 of 9 / 3");
}

#[test]
fn floor_and_ceil_to_a_unit() {
    let src = rule_src(
        "rounding",
        "  note when 1 == 1 ja \"x\" en \"{floor(9_999_999円, 10万円)} {floor(99_999円, grant_unit)} {floor(100_000円, grant_unit)} {ceil(9_999_999円, 10万円)} {ceil(10万円, 10万円)}\"\n  pass otherwise ja \"x\" en \"ok\"",
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(
        &d,
        "test.rounding",
        RuleStatus::Pass,
        "ok. ¥9,900,000 ¥0 ¥100,000 ¥10,000,000 ¥100,000",
    );
}

#[test]
fn floor_in_the_real_amount() {
    let program = load(app_files());
    let d = decide(&program, "amount-9999999.json");
    assert_eq!(
        (yen(&d, "eligible_expenses"), yen(&d, "grant_amount")),
        (Some(9_999_999), Some(9_900_000))
    );
    let d = decide(&program, "amount-99999.json");
    assert_eq!(yen(&d, "eligible_expenses"), Some(99_999));
    assert_eq!(rule(&d, "amount.grant").status, RuleStatus::Fail);
    assert!(
        rule(&d, "amount.grant").reason.en.contains("below ¥100,000"),
        "{:?}",
        rule(&d, "amount.grant").reason
    );
    let step = d
        .derivation
        .iter()
        .find(|s| s.name == "this_reading")
        .expect("the rounding step");
    assert_eq!(step.value, serde_json::json!(0));
}

#[test]
fn min_and_max() {
    let src = rule_src(
        "minmax",
        "  note when 1 == 1 ja \"x\" en \"{min(3円, 5円)} {max(3円, 5円)} {min(2024-01-01, 2023-05-05)} {max(2, 7)} {min(grant_cap, 10_450_000円)} {max(-1円, 0円)}\"\n  pass otherwise ja \"x\" en \"ok\"",
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(
        &d,
        "test.minmax",
        RuleStatus::Pass,
        "ok. ¥3 ¥5 2023-05-05 7 ¥10,000,000 ¥0",
    );
}

#[test]
fn min_with_an_unknown_keeps_bounds() {
    // The count is 0..=1 (one flag missing): min with 5 is 0..=1 too, so
    // "< 2" is decided and "> 0" is not.
    let count = "count([m for m in region.members where m.settlement_zone])";
    let src = [
        rule_src(
            "min_lt",
            &format!(
                "  fail when min({count}, 5) < 2 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
        rule_src(
            "min_gt",
            &format!(
                "  fail when min({count}, 5) > 0 ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"not fired\""
            ),
        ),
    ]
    .concat();
    let d = decide(&with_test_rules(&src), "flag-missing-irrelevant.json");
    assert_eq!(rule(&d, "test.min_lt").status, RuleStatus::Fail);
    assert_eq!(rule(&d, "test.min_gt").status, RuleStatus::Unknown);
}

#[test]
fn fiscal_year_arithmetic_and_end_of() {
    // FY2024 (令和6年度), first granted FY2020.
    let src = rule_src(
        "fy",
        "  note when 1 == 1 ja \"{fiscal_year}\" en \"{fiscal_year} {end_of(fiscal_year)} {start_of(fiscal_year + 1)} {fiscal_year - 4} {fiscal_year - region.first_grant_fiscal_year} {fiscal_year_of(2024-03-31)} {fiscal_year_of(2024-04-01)} {end_of(fiscal_year) - start_of(fiscal_year)} {add_days(end_of(fiscal_year), 1)}\"\n  pass otherwise ja \"x\" en \"ok\"",
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_rule(
        &d,
        "test.fy",
        RuleStatus::Pass,
        "ok. FY2024 2025-03-31 2025-04-01 FY2020 4 FY2023 FY2024 364 2025-04-01",
    );
    assert_eq!(rule(&d, "test.fy").reason.ja, "x。令和6年度（2024年度）");
}

#[test]
fn parameter_version_is_chosen_at_the_end_of_the_fiscal_year() {
    // The second version starts in January 2025, inside FY2024: FY2024 is
    // evaluated as of 2025-03-31, so it gets the second value.
    let src = [
        "param test_rate: money {\n  label ja \"テスト\" en \"Test rate\"\n  2020-04-01..2024-12-31 = 1円\n  2025-01-01.. = 2円\n}\n",
        &rule_src("rate", "  note when 1 == 1 ja \"x\" en \"rate {test_rate}\"\n  pass otherwise ja \"x\" en \"ok\""),
    ]
    .concat();
    let program = with_test_rules(&src);
    let d = decide(&program, "minamisorachi-r6.json");
    assert_eq!(d.rules_as_of, "2025-03-31");
    assert_rule(&d, "test.rate", RuleStatus::Pass, "ok. rate ¥2");
    let param = d
        .parameters
        .iter()
        .find(|p| &*p.name == "test_rate")
        .expect("test_rate listed");
    assert_eq!((param.label.en.as_str(), param.value.en.as_str()), ("Test rate", "¥2"));
    // FY2023 (as of 2024-03-31) is still under the first version.
    let d = decide(&program, "flag-missing-irrelevant.json");
    assert_eq!(d.rules_as_of, "2024-03-31");
    assert_rule(&d, "test.rate", RuleStatus::Pass, "ok. rate ¥1");
}

#[test]
fn fiscal_year_outside_every_parameter_version_is_an_input_error() {
    let src = [
        "param test_rate: money {\n  2020-04-01..2024-03-31 = 1円\n}\n",
        &rule_src(
            "reads_rate",
            "  pass when test_rate > 0円 ja \"x\" en \"x\"\n  pass otherwise ja \"x\" en \"x\"",
        ),
    ]
    .concat();
    let program = with_test_rules(&src);
    let err = grant_rules::engine::decide_with(
        &program,
        &std::fs::read("fixtures/application/minamisorachi-r6.json").unwrap(),
    )
    .expect_err("no value of test_rate for FY2024");
    let msg = err.render(Some(&program), false);
    assert!(
        msg.starts_with("(document): the rules have no value of `test_rate` in force on 2025-03-31"),
        "{msg}"
    );
}

#[test]
fn a_parameter_no_rule_reads_need_not_be_in_force() {
    // Another kind's parameter in common/ may start after this document's date.
    let src = "param test_unread: money {\n  2030-01-01.. = 1円\n}\n";
    let d = decide(&with_test_rules(src), "minamisorachi-r6.json");
    assert_eq!(d.outcome, "eligible");
    assert!(d.parameters.iter().all(|p| &*p.name != "test_unread"));
}

#[test]
fn same_input_gives_byte_identical_json() {
    let program = load(app_files());
    for fixture in [
        "flag-missing-matters.json",
        "minamisorachi-r6.json",
        "island-review.json",
    ] {
        let a = serde_json::to_string(&decide(&program, fixture)).unwrap();
        let b = serde_json::to_string(&decide(&program, fixture)).unwrap();
        let c = serde_json::to_string(&decide(&load(app_files()), fixture)).unwrap();
        assert_eq!(a, b, "{fixture}: two runs differ");
        assert_eq!(a, c, "{fixture}: a reloaded rule set differs");
    }
}

#[test]
fn the_grant_cap_is_data_not_code() {
    let real = decide(&load(app_files()), "minamisorachi-r6.json");
    assert_eq!(
        (yen(&real, "eligible_expenses"), yen(&real, "grant_amount")),
        (Some(10_450_000), Some(10_000_000))
    );

    let mut files = app_files();
    let params = files
        .iter_mut()
        .find(|(n, _)| n == "rules/application/10-parameters.rules")
        .unwrap();
    assert!(params.1.contains("2020-11-02.. = 1000万円"));
    params.1 = params
        .1
        .replacen("2020-11-02.. = 1000万円", "2020-11-02.. = 500万円", 1);
    let d = decide(&load(files), "minamisorachi-r6.json");
    assert_eq!(
        (yen(&d, "eligible_expenses"), yen(&d, "grant_amount")),
        (Some(10_450_000), Some(5_000_000))
    );
    let cap = d.parameters.iter().find(|p| &*p.name == "grant_cap").unwrap();
    assert_eq!(cap.value.en, "¥5,000,000");
    assert_ne!(d.rules_sha256, real.rules_sha256);
}

/// An expense-level rule left unknown by a missing fact makes its line's
/// eligibility unknown: the amount cannot be computed, so the decision is
/// incomplete and names the missing fact (it is not `eligible` with no amount).
#[test]
fn an_unknown_expense_rule_makes_the_decision_incomplete() {
    let src = format!(
        "for project in projects {{\n for expense in project.expenses {{\n{}\n }}\n}}\n",
        rule_src(
            "expense_check",
            &format!("  fail when {UNKNOWN} ja \"x\" en \"fired\"\n  pass otherwise ja \"x\" en \"ok\"")
        )
    );
    let program = with_test_rules(&src);
    let d = decide(&program, "minamisorachi-r6.json");
    assert_eq!(d.outcome, "incomplete");
    assert_eq!(yen(&d, "grant_amount"), None);
    assert_eq!(yen(&d, "eligible_expenses"), None, "the lines' eligibility is unknown");
    assert_eq!(d.missing, vec!["budget_allocation".to_string()]);
    let project = &d.list("projects").unwrap().entries[0];
    assert_eq!(
        &*project.status, "unknown",
        "an unknown line leaves its project unknown"
    );
    let line = &project.list("expenses").unwrap().entries[0];
    assert_eq!(line.field("eligible").unwrap().value, Datum::Null);
}
