//! `grant-rules diff`: the impact of a rules change on a corpus, with rule
//! sets from directories and from git revisions.

mod common;

use common::{run, stderr, stdout};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A copy of `rules/` with one text of one file replaced.
fn rules_copy(file: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let path = e.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    copy(Path::new("rules"), &rules);
    let path = rules.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} contains {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    (dir, rules)
}

/// The rules with the grant cap lowered from 10,000,000 to 8,000,000 yen.
fn cap_8m() -> (tempfile::TempDir, PathBuf) {
    rules_copy(
        "application/10-parameters.rules",
        "2020-11-02.. = 1000万円",
        "2020-11-02.. = 800万円",
    )
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// The changed decision of `file` in a JSON report.
fn changed<'v>(report: &'v Value, file: &str) -> &'v Value {
    report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == file)
        .unwrap_or_else(|| panic!("{file} changed"))
}

#[test]
fn a_lower_cap_changes_the_grants_above_it_and_exits_one() {
    let (_keep, head) = cap_8m();
    let o = run(&[
        "diff",
        "--base",
        "rules",
        "--head",
        head.to_str().unwrap(),
        "--format",
        "json",
        "fixtures/",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["format"], "grant-rules-diff/v1");
    assert_eq!(r["base"]["source"], "directory");
    let counts = &r["counts"];
    assert_eq!(
        (
            &counts["documents"],
            &counts["decided"],
            &counts["changed"],
            &counts["unchanged"],
            &counts["errors"]
        ),
        (&135.into(), &135.into(), &20.into(), &115.into(), &0.into())
    );
    // Every changed decision is an application whose grant was above the
    // new cap; the outcome stays, the grant becomes 8,000,000 yen (or less
    // where the second reading of the tax deduction takes 2,000,000 off).
    for (file, before, after) in [
        ("fixtures/application/minamisorachi-r6.json", 10_000_000, 8_000_000),
        ("fixtures/application/amount-9999999.json", 9_900_000, 8_000_000),
        ("fixtures/application/budget-allocation.json", 8_100_000, 8_000_000),
        ("fixtures/application/hidaka-r5.json", 9_400_000, 8_000_000),
        (
            "fixtures/application/tax-two-readings-rejected.json",
            9_000_000,
            7_000_000,
        ),
    ] {
        let c = changed(&r, file);
        assert_eq!(c["kind"], "application");
        assert_eq!(c["outcome"]["before"], c["outcome"]["after"], "{file}");
        let grant = c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "grant_amount")
            .unwrap();
        assert_eq!(grant["value"]["before"], before, "{file}");
        assert_eq!(grant["value"]["after"], after, "{file}");
        assert_eq!(grant["difference"], after - before, "{file}");
        assert_eq!(c["rules"], Value::Array(vec![]), "no rule changed status: {file}");
    }
    let files: Vec<&str> = r["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("fixtures/application/") || *f == "fixtures/import/plan.xlsx"),
        "{files:?}"
    );
    // The workbook `grant-rules template` writes holds 南空知 R6: it is
    // imported under each rule set and changes as its JSON does.
    assert!(files.contains(&"fixtures/import/plan.xlsx"));
    assert!(!files.contains(&"fixtures/application/amount-100000.json"));
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "in path order");
    let grant = &r["amounts"][0];
    assert_eq!(grant["key"], "grant_amount");
    // 130 JSON fixtures (228,800,000 → 194,600,000), the officer's plan
    // four times (JSON, two workbooks, CSV: 1,400,000 each, under the cap)
    // and the template's 南空知 R6 (10,000,000 → 8,000,000).
    assert_eq!(grant["total"]["before"], 228_800_000 + 4 * 1_400_000 + 10_000_000);
    assert_eq!(grant["total"]["after"], 194_600_000 + 4 * 1_400_000 + 8_000_000);
    assert_eq!(grant["difference"], -36_200_000);
    // The total granted: the eligible applications only (a reviewed one's
    // grant is what it would be if accepted). The fifteen eligible among
    // the twenty changed lose 26,800,000 between them.
    assert_eq!(grant["passing"]["before"], 189_800_000);
    assert_eq!(grant["passing"]["after"], 163_000_000);
    assert_eq!(grant["passing_label"]["ja"], "交付対象");
}

#[test]
fn the_text_report_says_what_changed_by_how_much() {
    let (_keep, head) = cap_8m();
    let head = head.to_str().unwrap();
    let o = run(&[
        "diff",
        "--base",
        "rules",
        "--head",
        head,
        "fixtures/application/minamisorachi-r6.json",
        "fixtures/application/amount-100000.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        format!(
            "基準（base）: rules（ディレクトリ）\n比較（head）: {head}（ディレクトリ）\n\
             計 2 件：両方で判断 2 件（変更あり 1 件、変更なし 1 件）、エラー 0 件\n\
             交付額（application、grant_amount）の合計: 10,100,000円 → 8,100,000円（−2,000,000円）；うち交付対象: 10,000,000円 → 8,000,000円（−2,000,000円）\n\
             \n\
             fixtures/application/minamisorachi-r6.json — application 「南空知圏域」\n  \
             結果: 交付対象（変わらず）\n  \
             交付額（grant_amount）: 10,000,000円 → 8,000,000円（−2,000,000円）\n"
        )
    );
    let o = run(&[
        "diff",
        "--lang",
        "en",
        "--base",
        "rules",
        "--head",
        head,
        "fixtures/application/minamisorachi-r6.json",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("1 document(s): 1 decided under both (1 changed, 0 unchanged), 0 error(s)\n"),
        "{out}"
    );
    assert!(out.contains("  outcome: eligible (unchanged)\n"), "{out}");
    assert!(
        out.contains("  Grant (grant_amount): ¥10,000,000 → ¥8,000,000 (−¥2,000,000)\n"),
        "{out}"
    );
}

#[test]
fn identical_rule_sets_change_nothing_and_exit_zero() {
    let o = run(&["diff", "--base", "rules", "--head", "rules", "fixtures/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("計 135 件：両方で判断 135 件（変更あり 0 件、変更なし 135 件）、エラー 0 件\n"));
}

#[test]
fn a_rule_that_changes_status_is_reported_per_entity_with_its_new_reason() {
    // Food becomes an eligible expense: the food lines pass, and a change
    // request that needed approval because of them no longer does.
    let (_keep, head) = rules_copy(
        "common/20-expenses.rules",
        "  food_entertainment => 6",
        "  food_entertainment => 0",
    );
    let o = run(&[
        "diff",
        "--base",
        "rules",
        "--head",
        head.to_str().unwrap(),
        "--format",
        "json",
        "--lang",
        "en",
        "fixtures/application/excluded-categories.json",
        "fixtures/change/excluded-food-flips-to-approval.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    let app = changed(&r, "fixtures/application/excluded-categories.json");
    let line = app["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "projects[0].expenses[6]")
        .unwrap();
    assert_eq!(line["title"], "設置訓練 参加者弁当代");
    assert_eq!(line["status"]["before"], "excluded");
    assert_eq!(line["status"]["after"], "eligible");
    assert_eq!(line["rules"][0]["id"], "expense.eligible");
    assert_eq!(line["rules"][0]["status"]["before"], "fail");
    assert_eq!(line["rules"][0]["status"]["after"], "pass");
    assert_eq!(line["rules"][0]["reason"]["en"], "food and entertainment: eligible");
    let grant = app["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "grant_amount")
        .unwrap();
    assert_eq!(
        (&grant["value"]["before"], &grant["value"]["after"]),
        (&8_000_000.into(), &8_100_000.into())
    );

    let change = changed(&r, "fixtures/change/excluded-food-flips-to-approval.json");
    assert_eq!(change["outcome"]["before"], "approval_required");
    assert_eq!(change["outcome"]["after"], "no_approval_required");
    assert_eq!(change["rules"][0]["id"], "change.total");
    assert_eq!(change["rules"][0]["status"]["after"], "pass");

    let text = run(&[
        "diff",
        "--lang",
        "en",
        "--base",
        "rules",
        "--head",
        head.to_str().unwrap(),
        "fixtures/change/excluded-food-flips-to-approval.json",
    ]);
    let out = stdout(&text);
    assert!(
        out.contains("  outcome: approval_required → no_approval_required\n"),
        "{out}"
    );
    assert!(
        out.contains("  rule change.total Change of the total: FAIL → PASS — The total changes by ¥0"),
        "{out}"
    );
    assert!(
        out.contains("  revised.projects[0] 「防災関連勉強会」: approval_required → no_approval_required\n"),
        "{out}"
    );
}

/// Whether the tests run in a git work tree of this repository (a source
/// archive has none: the revision tests then have nothing to read).
fn in_git() -> bool {
    Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `rules/` is as committed in HEAD (the revision tests compare
/// against it).
fn rules_committed() -> bool {
    Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", "rules"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_git_revision_is_a_rule_set() {
    if !in_git() || !rules_committed() {
        eprintln!("note: not in a git work tree with rules/ as committed; skipped");
        return;
    }
    let head_commit = Command::new("git").args(["rev-parse", "HEAD"]).output().unwrap();
    let head_commit = String::from_utf8(head_commit.stdout).unwrap().trim().to_string();
    // HEAD's rules are the working tree's: nothing changes.
    let o = run(&[
        "diff",
        "--base",
        "HEAD",
        "--head",
        "rules",
        "--format",
        "json",
        "fixtures/",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["base"]["source"], "git_revision");
    assert_eq!(r["base"]["commit"], head_commit.as_str());
    assert_eq!(r["counts"]["changed"], 0);
    assert_eq!(r["counts"]["decided"], 135);

    // HEAD against a modified copy: the change shows, either way round.
    let (_keep, cap) = cap_8m();
    let o = run(&[
        "diff",
        "--base",
        "HEAD",
        "--head",
        cap.to_str().unwrap(),
        "--format",
        "json",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let grant = &json(&o)["amounts"][0];
    assert_eq!(
        (&grant["total"]["before"], &grant["total"]["after"]),
        (&10_000_000.into(), &8_000_000.into())
    );
    let o = run(&[
        "diff",
        "--base",
        cap.to_str().unwrap(),
        "--head",
        "HEAD:rules",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("交付額（grant_amount）: 8,000,000円 → 10,000,000円（+2,000,000円）"));
    assert!(stdout(&o).contains(&format!(
        "比較（head）: HEAD:rules（git のリビジョン {}）",
        &head_commit[..12]
    )));
}

#[test]
fn a_revision_without_rules_names_its_files_by_revision() {
    if !in_git() {
        eprintln!("note: not in a git work tree; skipped");
        return;
    }
    let o = run(&["diff", "--base", "HEAD:src", "--head", "rules", "fixtures/change"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cannot read the rules at HEAD:src: no kind folders"),
        "{err}"
    );
    assert!(err.contains("error: --base: cannot load the rules"), "{err}");
    assert!(!err.contains("/tmp"), "no temporary path: {err}");
}

#[test]
fn neither_a_directory_nor_a_revision_is_an_error() {
    let o = run(&["diff", "--base", "no-such-rules", "--head", "rules", "fixtures/change"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no-such-rules is neither a directory nor a git revision of this repository"),
        "{err}"
    );
    let o = run(&[
        "--rules",
        "rules",
        "diff",
        "--base",
        "rules",
        "--head",
        "rules",
        "fixtures/change",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("diff takes its two rule sets from --base and --head, not --rules"));
}

#[test]
fn a_document_not_decided_is_an_error_under_both_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/application/minamisorachi-r6.json",
        dir.path().join("good.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.json"), "{\"format\": \"grant-other/v1\"}").unwrap();
    let (_keep, head) = cap_8m();
    let o = run(&[
        "diff",
        "--lang",
        "en",
        "--base",
        "rules",
        "--head",
        head.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "errors win over changes");
    let out = stdout(&o);
    assert!(
        out.contains("2 document(s): 1 decided under both (1 changed, 0 unchanged), 1 error(s)"),
        "{out}"
    );
    let bad = dir.path().join("bad.json");
    assert!(out.contains(&format!("{} — error\n", bad.display())), "{out}");
    assert!(
        out.contains("  base: format: no rules for documents of format \"grant-other/v1\""),
        "{out}"
    );
    assert!(
        out.contains("  head: format: no rules for documents of format \"grant-other/v1\""),
        "{out}"
    );
}
