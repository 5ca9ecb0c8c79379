//! The `grant-rules` binary as a user runs it.

mod common;

use common::{run, stderr, stdout};

use std::process::Command;

/// A copy of the `rules/` tree (its folders, and `common/texts/`) in a
/// temporary directory with one text replaced.
fn rules_copy(tag: &str, from: &str, to: &str) -> std::path::PathBuf {
    fn copy(from_dir: &std::path::Path, to_dir: &std::path::Path, from: &str, to: &str, replaced: &mut bool) {
        std::fs::create_dir_all(to_dir).unwrap();
        for entry in std::fs::read_dir(from_dir).unwrap() {
            let path = entry.unwrap().path();
            let target = to_dir.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target, from, to, replaced);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            *replaced |= text.contains(from);
            std::fs::write(target, text.replace(from, to)).unwrap();
        }
    }
    let dir = std::env::temp_dir().join(format!("grant-rules-{tag}-{}", std::process::id()));
    let mut replaced = false;
    copy(std::path::Path::new("rules"), &dir, from, to, &mut replaced);
    assert!(replaced, "the rules contain {from:?}");
    dir
}

#[test]
fn check_prints_a_japanese_report_and_exits_zero() {
    let o = run(&["check", "fixtures/application/minamisorachi-r6.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("結果： 交付対象 — 全ての要件を満たしています"), "{out}");
    assert!(out.contains("交付額： 10,000,000円（10,000千円）"), "{out}");
    assert!(out.contains("構成市町村： 岩見沢市・夕張市・美唄市"), "{out}");
    assert!(
        !out.contains("floor(allocated, grant_unit)"),
        "no rule-language formula in a reviewer's report:\n{out}"
    );
    assert!(
        out.contains(
            "[適合] 国の制度に参加する市町村（２分の１）（applicant.half_exclusion；実施要綱 第2 2、推進要綱 第3(1)）"
        ),
        "{out}"
    );
    let explained = stdout(&run(&[
        "check",
        "--explain",
        "fixtures/application/minamisorachi-r6.json",
    ]));
    assert!(
        explained.contains("floor(allocated, grant_unit) = 10,000,000円"),
        "{explained}"
    );
    assert!(
        explained
            .contains("条文：「前項において、定住自立圏構想推進要綱（平成 20 年 12 月 26 日総行応第 39 号) に基づく"),
        "{explained}"
    );
}

#[test]
fn the_rules_are_embedded_so_it_runs_from_any_directory() {
    let fixture = std::fs::canonicalize("fixtures/application/minamisorachi-r6.json").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["check", "--lang", "en", fixture.to_str().unwrap()])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Grant: ¥10,000,000"), "{}", stdout(&o));
}

#[test]
fn an_ineligible_decision_is_still_a_decision_exit_zero() {
    let o = run(&["check", "--lang", "en", "fixtures/application/amount-99999.json"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("Outcome: INELIGIBLE"), "{out}");
    assert!(out.contains("[FAIL] The grant (amount.grant; 実施要綱 第6)"), "{out}");
    assert!(
        out.contains("Outcome: INELIGIBLE — The grant (amount.grant, 実施要綱 第6) not met"),
        "{out}"
    );
}

#[test]
fn json_output_follows_the_contract_and_is_byte_identical() {
    let a = run(&[
        "check",
        "--format",
        "json",
        "fixtures/application/minamisorachi-r3.json",
    ]);
    let b = run(&[
        "check",
        "--format",
        "json",
        "fixtures/application/minamisorachi-r3.json",
    ]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "same input, same bytes");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["outcome"], "eligible");
    assert_eq!(v["grant_amount"], 600000);
    assert_eq!(v["eligible_expenses"], 647500);
    for key in [
        "rules",
        "projects",
        "missing",
        "rules_version",
        "rules_sha256",
        "input_sha256",
    ] {
        assert!(v.get(key).is_some(), "decision lacks {key}");
    }
    let rule = &v["rules"][0];
    for key in ["id", "status", "citation", "reason"] {
        assert!(rule.get(key).is_some(), "rule lacks {key}");
    }
    assert!(rule["reason"]["ja"].is_string() && rule["reason"]["en"].is_string());
    let expense = &v["projects"][0]["expenses"][2];
    assert_eq!(expense["eligible"], false);
    assert!(expense["reason"]["ja"].as_str().unwrap().contains("第5 6"));
    assert_eq!(v["rules_sha256"].as_str().unwrap().len(), 64);
    let params: Vec<&str> = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        params.contains(&"grant_cap") && params.contains(&"grant_unit"),
        "{params:?}"
    );
    assert!(
        !params.contains(&"change_threshold"),
        "a parameter no rule reads is not listed: {params:?}"
    );
    let input = std::fs::read("fixtures/application/minamisorachi-r3.json").unwrap();
    assert_eq!(v["input_sha256"], grant_rules::source::sha256_hex(&input));
}

#[test]
fn a_bad_application_names_the_json_path_and_exits_non_zero() {
    let dir = std::env::temp_dir().join(format!("grant-rules-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("fixtures/application/minamisorachi-r3.json")
        .unwrap()
        .replacen("\"amount\": 38000", "\"amount\": -5", 1);
    assert!(text.contains("-5"), "the fixture has the line this test changes");
    let file = dir.join("bad.json");
    std::fs::write(&file, text).unwrap();
    let o = run(&["check", "--lang", "en", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("projects[0].expenses[1].amount"), "{err}");
    assert!(err.contains("negative amount -5"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_missing_file_is_an_error() {
    let o = run(&["check", "fixtures/application/does-not-exist.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does-not-exist.json: cannot read"));
}

#[test]
fn schema_prints_the_application_json_schema() {
    let o = run(&["schema"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "grant-application/v1");
    assert_eq!(v["additionalProperties"], false, "unknown fields are rejected");
    assert!(v["properties"]["projects"].is_object());
    let category = &v["$defs"]["Expense"]["properties"]["category"];
    assert!(
        category["examples"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "staff_travel"),
        "vocabulary from the rules"
    );
    assert!(category["description"].as_str().unwrap().contains("職員の旅費"));
}

#[test]
fn schema_decision_describes_the_json_decision() {
    let o = run(&["schema", "application", "--decision"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "decision on grant-application/v1");
    for key in [
        "outcome",
        "grant_amount",
        "eligible_expenses",
        "rules",
        "projects",
        "missing",
        "rules_sha256",
    ] {
        assert!(v["properties"][key].is_object(), "schema lacks {key}");
    }
}

#[test]
fn rules_dir_replaces_the_built_in_rules() {
    let dir = rules_copy("cap", "2020-11-02.. = 1000万円", "2020-11-02.. = 500万円");
    let o = run(&[
        "--rules",
        dir.to_str().unwrap(),
        "check",
        "--format",
        "json",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["grant_amount"], 5_000_000);
    let builtin = run(&[
        "check",
        "--format",
        "json",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    let w: serde_json::Value = serde_json::from_slice(&builtin.stdout).unwrap();
    assert_eq!(w["grant_amount"], 10_000_000);
    assert_ne!(v["rules_sha256"], w["rules_sha256"]);
}

#[test]
fn a_broken_rules_dir_reports_file_line_column_and_exits_non_zero() {
    let dir = rules_copy(
        "broken",
        "let capped = min(eligible_expenses, grant_cap)",
        "let capped = min(eligible_expenses, grant_cap) + fiscal_year_end",
    );
    let o = run(&[
        "--rules",
        dir.to_str().unwrap(),
        "check",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("cannot add money and date"), "{err}");
    assert!(err.contains("50-amount.rules:18:14"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(stdout(&o).is_empty(), "no application is evaluated with broken rules");
}

#[test]
fn reasons_carry_their_values_as_typed_data() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "fixtures/application/flag-missing-irrelevant.json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rule = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "applicant.half_exclusion")
        .unwrap();
    assert_eq!(rule["status"], "pass");
    let values = rule["values"].as_array().unwrap();
    let n = values.iter().find(|x| x["expr"] == "member_count").unwrap();
    assert_eq!((n["type"].as_str(), n["value"].as_i64()), (Some("int"), Some(9)));
    let k = values.iter().find(|x| x["expr"] == "k").unwrap();
    assert!(
        k["value"].is_null(),
        "k is not known exactly: one member's flag is missing"
    );
    assert_eq!(k["bounds"], serde_json::json!([3, 4]));
    assert_eq!(
        rule["missing_not_needed"],
        serde_json::json!(["region.members[1].settlement_zone"])
    );
}

#[test]
fn check_decides_a_document_of_each_kind_by_its_format() {
    for (file, outcome) in [
        ("fixtures/application/minamisorachi-r6.json", "eligible"),
        ("fixtures/change/other-formats-example.json", "no_approval_required"),
        ("fixtures/report/other-formats-example.json", "needs_review"),
        ("fixtures/zone-finance/other-formats-example.json", "ok"),
        ("fixtures/central-city/iwamizawa-2020-census.json", "needs_review"),
    ] {
        let o = run(&["check", "--format", "json", file]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["outcome"], outcome, "{file}");
        let text = run(&["check", "--lang", "en", file]);
        assert!(text.status.success(), "{file}");
        assert!(stdout(&text).contains("Outcome: "), "{file}: {}", stdout(&text));
    }
}

#[test]
fn a_document_of_an_unknown_format_names_the_known_ones() {
    let dir = std::env::temp_dir().join(format!("grant-rules-format-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("other.json");
    std::fs::write(&file, r#"{"format": "grant-other/v1"}"#).unwrap();
    let o = run(&["check", "--lang", "en", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("format: no rules for documents of format \"grant-other/v1\""),
        "{err}"
    );
    for known in [
        "grant-application/v1",
        "grant-change/v1",
        "grant-report/v1",
        "zone-finance/v1",
        "central-city/v1",
    ] {
        assert!(err.contains(known), "{known} in {err}");
    }
}

#[test]
fn schema_of_each_kind_is_derived_from_its_declaration() {
    for (kind, format, field) in [
        ("change", "grant-change/v1", "revised"),
        ("report", "grant-report/v1", "completion_date"),
        ("zone-finance", "zone-finance/v1", "bonds"),
        ("central-city/v1", "central-city/v1", "day_night_ratio"),
    ] {
        let o = run(&["schema", kind]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["title"], format);
        assert_eq!(v["properties"]["format"]["const"], format);
        assert!(v["properties"][field].is_object(), "{kind} lacks {field}");
        assert_eq!(v["additionalProperties"], false);
        let d = run(&["schema", kind, "--decision"]);
        let dv: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
        assert!(dv["properties"]["outcome"]["enum"].is_array(), "{kind}");
    }
    let o = run(&["schema", "nothing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the kinds are: "), "{}", stderr(&o));
}

#[test]
fn rules_refuses_a_quote_that_is_not_in_its_guideline() {
    // 「目的」 misquoted as 「目標」 (the guideline breaks its line inside
    // 「目的」, so the copy's text keeps the right word).
    let dir = rules_copy("quote", "ただし、目的の達成及び", "ただし、目標の達成及び");
    let o = run(&["--rules", dir.to_str().unwrap(), "rules"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("error: the quote is not in the text of 実施要綱"), "{err}");
    let rules = std::fs::read_to_string("rules/change/10-change.rules").unwrap();
    let (before, _) = rules.split_once("\"交付対象事業の内容を変更するときは").unwrap();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    assert!(
        err.contains(&format!("change/10-change.rules:{line}:{column}")),
        "{err}"
    );
    assert!(err.contains("not in texts/jisshi-youkou.txt"), "{err}");
    assert!(err.contains("common/texts/jisshi-youkou.txt:"), "{err}");
    assert!(err.contains("the text goes on here"), "{err}");
    assert!(
        err.contains(
            "then 「的の達成及び事業の能率的遂行に支…」 where the quote has 「標の達成及び事業の能率的遂行に支…」"
        ),
        "{err}"
    );
}

#[test]
fn coverage_prints_the_readme_section() {
    let o = run(&["coverage"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("## Coverage"), "{out}");
    assert!(
        out.contains("| 第9 1 | the application is made by the date set | — *procedural"),
        "{out}"
    );
}

#[test]
fn coverage_refuses_an_article_nothing_cites_without_a_reason() {
    let dir = rules_copy(
        "coverage",
        "\n    uncited \"procedural: the date is set year by year, not in the guideline\"",
        "",
    );
    let o = run(&["--rules", dir.to_str().unwrap(), "coverage"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("error: nothing cites article `第9 1` of 実施要綱, and it does not say why"),
        "{err}"
    );
    assert!(err.contains("common/00-sources.rules:"), "{err}");
}

#[test]
fn rules_checks_every_kind() {
    let o = run(&["rules"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for kind in ["application", "change", "report", "zone-finance", "central-city"] {
        assert!(out.contains(&format!("ok: {kind} (")), "{out}");
    }
}

#[test]
fn rules_sha256_does_not_depend_on_how_the_rules_directory_is_written() {
    let digest = |rules: Option<&str>| {
        let mut args = Vec::new();
        if let Some(dir) = rules {
            args.extend(["--rules", dir]);
        }
        args.extend(["check", "--format", "json", "fixtures/change/project-dropped.json"]);
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["rules_sha256"].as_str().unwrap().to_string()
    };
    let absolute = std::fs::canonicalize("rules").unwrap();
    let link = std::env::temp_dir().join(format!("grant-rules-link-{}", std::process::id()));
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&absolute, &link).unwrap();
    let builtin = digest(None);
    for dir in [
        "rules",
        "rules/",
        "./rules",
        absolute.to_str().unwrap(),
        link.to_str().unwrap(),
    ] {
        assert_eq!(digest(Some(dir)), builtin, "--rules {dir}");
    }
    let _ = std::fs::remove_file(&link);
}

#[test]
fn a_document_outside_the_rules_dates_is_refused_unless_the_rules_in_force_make_it_fail() {
    // Zone finance for FY2024 (as of 2025-03-31): the slide's figures date
    // from 2025-09-10, and no rule in force fails it: refused, never "ok".
    let text = std::fs::read_to_string("fixtures/zone-finance/other-formats-example.json").unwrap();
    let old = text.replacen("\"fiscal_year\": 2025", "\"fiscal_year\": 2024", 1);
    assert_ne!(old, text, "the fixture names its fiscal year");
    let path = std::env::temp_dir().join(format!("grant-rules-zone-2024-{}.json", std::process::id()));
    std::fs::write(&path, old).unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "基準日 2025-03-31 に施行されている `member_cap` の値がルールにありません（ルールの対象期間外の文書です）"
        ),
        "{}",
        stderr(&o)
    );
    // An application for FY2019 fails the programme term, a rule in force
    // whatever the date: a decision, exit 0.
    let o = run(&["check", "fixtures/application/programme-fy2019.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("結果： 交付対象外 — 事業年度（applicant.programme_term、推進要綱 第2(2)②）"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_amended_parameter_applies_from_its_date_and_as_of_asks_for_either_side() {
    let dir = rules_copy(
        "amended-cap",
        "  2020-11-02.. = 1000万円 cite 実施要綱 \"附則\"\n",
        "  2020-11-02..2024-03-31 = 1000万円 cite 実施要綱 \"附則\"\n  2024-04-01.. = 1200万円 cite 実施要綱 \"第6\"\n",
    );
    let decide = |as_of: Option<&str>| {
        let mut args = vec!["--rules", dir.to_str().unwrap(), "check", "--format", "json"];
        if let Some(d) = as_of {
            args.extend(["--as-of", d]);
        }
        args.push("fixtures/application/minamisorachi-r6.json");
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    // FY2024 is decided as of 2025-03-31: the amended cap of 12,000,000
    // applies to eligible expenses of 10,450,000 -> 10,400,000.
    let after = decide(None);
    assert_eq!(after["grant_amount"], 10_400_000);
    assert_eq!(after["rules_as_of"], "2025-03-31");
    assert!(after.get("document_as_of").is_none());
    let cap = after["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "grant_cap")
        .unwrap()
        .clone();
    assert_eq!(
        (cap["value"]["ja"].as_str(), cap["since"].as_str()),
        (Some("12,000,000円"), Some("2024-04-01"))
    );
    assert_eq!(cap["set_by"], "実施要綱 第6", "the notice that set the amended value");
    // The day before the amendment: the cap of 10,000,000.
    let before = decide(Some("2024-03-31"));
    assert_eq!(before["grant_amount"], 10_000_000);
    assert_eq!(before["rules_as_of"], "2024-03-31");
    assert_eq!(before["document_as_of"], "2025-03-31");
    // A Japanese date works too, and the report says the date was asked for.
    let o = run(&[
        "--rules",
        dir.to_str().unwrap(),
        "check",
        "--as-of",
        "令和6年3月31日",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert!(
        stdout(&o).contains("基準日 2024-03-31（--as-of で指定。文書の基準日は 2025-03-31）"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("適用した要綱： 実施要綱（令和5年4月3日改正）、推進要綱（令和4年5月20日改正）"));
    let bad = run(&[
        "check",
        "--as-of",
        "2024-13-01",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--as-of"), "{}", stderr(&bad));
}
