//! What would make it eligible: counterfactuals read off the rules'
//! conditions, for decisions that are not a plain pass (issue 7, item 4).

mod common;

use common::{app_files, decide, load};
use grant_rules::decision::{Counterfactual, CounterfactualKind, Decision};

fn of_kind(d: &Decision, kind: CounterfactualKind) -> Vec<&Counterfactual> {
    d.counterfactuals.iter().filter(|c| c.kind == kind).collect()
}

fn for_rule<'d>(d: &'d Decision, kind: CounterfactualKind, rule: &str) -> &'d Counterfactual {
    of_kind(d, kind)
        .into_iter()
        .find(|c| c.rule.as_deref() == Some(rule))
        .unwrap_or_else(|| panic!("no {kind:?} for {rule}: {:#?}", d.counterfactuals))
}

#[test]
fn an_eligible_decision_has_none() {
    let d = decide(&load(app_files()), "minamisorachi-r6.json");
    assert_eq!(d.outcome, "eligible");
    assert!(d.counterfactuals.is_empty());
}

#[test]
fn the_half_rule_says_how_many_members_must_be_outside_a_scheme() {
    // 3 of 5 in a national scheme: 2k = 6 > 5. At most 2.5, so 2: one fewer.
    let d = decide(&load(app_files()), "half-3of5-fail.json");
    let c = for_rule(&d, CounterfactualKind::ToPass, "applicant.half_exclusion");
    assert_eq!(c.changes.len(), 1);
    let ch = &c.changes[0];
    assert_eq!(
        (&*ch.expr, &*ch.compared_with),
        ("k", "member_count * national_scheme_share")
    );
    assert_eq!((ch.now.ja.as_str(), ch.needed.ja.as_str()), ("3", "2.5 以下"));
    assert_eq!(ch.by.as_ref().unwrap().ja, "1 減らす");
    assert_eq!(ch.by.as_ref().unwrap().en, "1 less");
    // And how far the passing support period is from failing: the first
    // fiscal year of five, it fails at the sixth.
    let years = of_kind(&d, CounterfactualKind::Margin)
        .into_iter()
        .filter(|c| c.rule.as_deref() == Some("applicant.support_period"))
        .flat_map(|c| c.changes.iter())
        .find(|x| &*x.expr == "year_number")
        .unwrap();
    assert_eq!((years.now.ja.as_str(), years.needed.ja.as_str()), ("1", "5 を超える"));
    assert_eq!(years.by.as_ref().unwrap().ja, "5 増やす");
}

#[test]
fn a_sixth_year_says_it_is_one_year_too_many() {
    let d = decide(&load(app_files()), "minamisorachi-r7-sixth-year.json");
    let c = for_rule(&d, CounterfactualKind::ToPass, "applicant.support_period");
    let ch = &c.changes[0];
    assert_eq!((ch.now.ja.as_str(), ch.needed.ja.as_str()), ("6", "5 以下"));
    assert_eq!(ch.by.as_ref().unwrap().ja, "1 減らす");
    let term = for_rule(&d, CounterfactualKind::ToPass, "applicant.programme_term");
    assert_eq!(term.changes[0].needed.ja, "令和6年度（2024年度） 以下");
}

#[test]
fn amounts_say_how_far_the_next_step_and_the_cap_are() {
    let d = decide(&load(app_files()), "amount-99999.json");
    let amounts: Vec<&str> = of_kind(&d, CounterfactualKind::Amount)
        .iter()
        .map(|c| c.text.ja.as_str())
        .collect();
    assert!(
        amounts.contains(&"100,000円 単位に切り捨て：99,999円 は次の単位 100,000円 まで 1円"),
        "{amounts:#?}"
    );
    assert!(
        amounts.contains(&"上限額 10,000,000円 と交付対象経費のいずれか少ない額：99,999円 は 10,000,000円 まで 9,900,001円 の余地があります"),
        "{amounts:#?}"
    );
}

#[test]
fn an_incomplete_decision_lists_the_facts_to_supply() {
    let d = decide(&load(app_files()), "missing-project-kind.json");
    assert_eq!(d.outcome, "incomplete");
    let supply: Vec<&str> = of_kind(&d, CounterfactualKind::Supply)
        .iter()
        .map(|c| c.text.en.as_str())
        .collect();
    assert_eq!(supply.len(), 1, "{supply:#?}");
    assert!(supply[0].starts_with("give projects[0].kind ("), "{supply:#?}");
}

#[test]
fn rejected_projects_are_left_out_with_why_and_what_would_change_it() {
    let d = decide(&load(app_files()), "all-projects-rejected.json");
    let left: Vec<&str> = of_kind(&d, CounterfactualKind::LeftOut)
        .iter()
        .map(|c| c.text.ja.as_str())
        .collect();
    assert_eq!(left.len(), 3, "{left:#?}");
    assert!(
        left[1].ends_with("は算入されません：地域連携ビジョンに掲載されておらず、掲載予定もありません"),
        "{left:#?}"
    );
    let planned = for_rule(&d, CounterfactualKind::ToPass, "project.planned");
    assert_eq!(planned.of.as_deref(), Some("事業「看護師確保PRイベント（仮想）」"));
    assert_eq!(planned.changes[0].needed.ja, "掲載なし 以外");
}

#[test]
fn a_change_request_says_the_largest_change_that_needs_no_approval() {
    // Exactly 20%: 200,000 on 1,000,000 needs approval; 199,999 would not.
    let book = grant_rules::rules::embedded().unwrap();
    let bytes = std::fs::read("fixtures/change/exact-20-percent-increase.json").unwrap();
    let (_, d) = grant_rules::engine::decide(&book, &bytes).unwrap_or_else(|_| panic!("decides"));
    assert_eq!(d.outcome, "approval_required");
    let c = for_rule(&d, CounterfactualKind::ToPass, "change.total");
    let ch = &c.changes[0];
    assert_eq!(
        (ch.now.ja.as_str(), ch.needed.ja.as_str()),
        ("200,000円", "200,000円 未満")
    );
    assert_eq!(ch.by.as_ref().unwrap().ja, "1円 減らす");
    // Change requests list projects, but nothing is left out of them.
    assert!(of_kind(&d, CounterfactualKind::LeftOut).is_empty());
}

#[test]
fn the_report_shows_them_after_the_figures() {
    let d = decide(&load(app_files()), "half-3of5-fail.json");
    let text = grant_rules::cli::report(&d, grant_rules::text::Lang::Ja);
    assert!(
        text.contains("■ 結果を変えるには（ルールから求めた変更の候補）\n  - [変更] 国の制度に参加する市町村（２分の１）（applicant.half_exclusion） 適合するためには：定住自立圏又は連携中枢都市圏の取組を行っている市町村の数：現在 3、2.5 以下（1 減らす）"),
        "{text}"
    );
}

/// A margin is measured against a limit the guidelines set (a parameter),
/// and a rule shows only its closest one: the programme's last year (a
/// year away), not also its first (five years back); no margin on the
/// agreement's date (compared with the fiscal year's end, not a limit) nor
/// on the first granted year (compared with the year applied for).
#[test]
fn margins_are_the_closest_limit_of_each_rule() {
    let d = decide(&load(app_files()), "half-3of5-fail.json");
    let margins: Vec<(&str, &str)> = of_kind(&d, CounterfactualKind::Margin)
        .iter()
        .map(|c| (c.rule.as_deref().unwrap_or(""), c.text.ja.as_str()))
        .collect();
    let rules: Vec<&str> = margins.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        rules,
        [
            "applicant.programme_term",
            "applicant.adjacency",
            "applicant.support_period",
            "applicant.policy_fields"
        ],
        "{margins:#?}"
    );
    assert!(margins[0].1.ends_with("を超える（1 増やす）"), "{}", margins[0].1);
    assert!(
        margins[2]
            .1
            .starts_with("不適合になるまで：支援期間の何ヵ年度目か：現在 1、5 を超える")
    );
}

/// Every value the counterfactuals of the bundled fixtures speak of is
/// named in words — a field's label, a let's `label`, an explained step
/// with its values — never shown as an expression (`` `k` ``) or with an
/// empty hole (事業「」): a rule maintainer who adds a comparison on an
/// unnamed value gives it a label.
#[test]
fn every_value_is_named_in_words() {
    let book = grant_rules::rules::embedded().expect("the built-in rules load");
    let mut seen = 0;
    for kind in ["application", "change", "report", "zone-finance", "central-city"] {
        for entry in std::fs::read_dir(format!("fixtures/{kind}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok((_, d)) = grant_rules::engine::decide(&book, &bytes) else {
                continue;
            };
            for c in &d.counterfactuals {
                seen += 1;
                for text in [&c.text.ja, &c.text.en] {
                    assert!(
                        !text.contains('`') && !text.contains("「」"),
                        "{}: {text}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(seen > 100, "{seen} counterfactuals");
}
