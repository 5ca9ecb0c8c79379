//! `grant-rules review`: a folder decided at once, a broken file a row of
//! its own, the summary as a table and as JSON keyed by file, `--out`, and
//! `check --format json` with several files.

mod common;

use common::{run, stdout};

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A corpus: two applications with the same file name in two folders, a
/// change request, a broken document, and what is not a document (a
/// README, a hidden folder).
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let put = |rel: &str, from: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(from, path).unwrap();
    };
    put("north/r6.json", "fixtures/application/minamisorachi-r6.json");
    put("south/r6.json", "fixtures/application/half-3of5-fail.json");
    put("south/change.json", "fixtures/change/project-dropped.json");
    put("north/README.md", "fixtures/README.md");
    put(".hidden/x.json", "fixtures/application/minamisorachi-r6.json");
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"format\": \"grant-application/v1\",\n  \"fiscal_year\": 2024,\n",
    )
    .unwrap();
    dir
}

fn p(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn a_broken_file_is_a_row_with_its_error_and_the_others_are_decided() {
    let dir = corpus();
    let o = run(&["review", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2), "exit 2 when a file is not decided");
    let out = stdout(&o);
    let root = dir.path().display().to_string();
    let lines: Vec<&str> = out.lines().collect();
    // Sorted by path: broken.json, north/r6.json, south/change.json, south/r6.json.
    let rows: Vec<&str> = lines.iter().filter(|l| l.starts_with(&root)).copied().collect();
    assert_eq!(rows.len(), 4, "{out}");
    assert!(
        rows[0].starts_with(&format!("{root}/broken.json")) && rows[0].contains("エラー"),
        "{out}"
    );
    assert!(out.contains("    (document): JSONが途中で終わっています"), "{out}");
    assert!(rows[1].starts_with(&format!("{root}/north/r6.json")), "{out}");
    for cell in ["application", "南空知圏域", "交付対象", "10,000,000円"] {
        assert!(rows[1].contains(cell), "{cell} in {}", rows[1]);
    }
    assert!(rows[2].contains("change") && rows[2].contains("承認が必要"), "{out}");
    assert!(
        rows[3].contains("交付対象外") && rows[3].trim_end().ends_with('—'),
        "{out}"
    );
    assert!(
        out.contains("    不適合 applicant.half_exclusion 国の制度に参加する市町村（２分の１）\n"),
        "{out}"
    );
    assert!(
        out.contains("    不適合 change.project_dropped 構成事業の取りやめ — approved.projects[2]\n"),
        "{out}"
    );
    assert!(out.contains("計 4 件：判断 3 件、エラー 1 件\n"), "{out}");
    assert!(
        out.contains("application: 交付対象 1、交付対象外 1；交付額の合計 10,000,000円\n"),
        "{out}"
    );
    assert!(out.contains("change: 承認が必要 1\n"), "{out}");
    assert!(!out.contains(".hidden") && !out.contains("README"), "{out}");
}

#[test]
fn review_speaks_english() {
    let dir = corpus();
    let o = run(&["review", "--lang", "en", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("(document): invalid JSON: EOF while parsing a value"),
        "{out}"
    );
    assert!(out.contains("eligible") && out.contains("¥10,000,000"), "{out}");
    assert!(out.contains("    FAIL applicant.half_exclusion "), "{out}");
    assert!(out.contains("4 document(s): 3 decided, 1 error(s)\n"), "{out}");
    assert!(
        out.contains("application: eligible 1, ineligible 1; total grant ¥10,000,000\n"),
        "{out}"
    );
}

#[test]
fn every_file_decided_is_exit_zero() {
    let o = run(&["review", "fixtures/change"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("エラー 0 件"));
}

#[test]
fn json_is_one_object_keyed_by_file_in_path_order() {
    let dir = corpus();
    let o = run(&["review", "--format", "json", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Map<String, Value> = serde_json::from_slice(&o.stdout).unwrap();
    let root = dir.path().display().to_string();
    let keys: Vec<&String> = v.keys().collect();
    let expected: Vec<String> = ["broken.json", "north/r6.json", "south/change.json", "south/r6.json"]
        .iter()
        .map(|f| format!("{root}/{f}"))
        .collect();
    assert_eq!(keys, expected.iter().collect::<Vec<_>>());
    let error = &v[&expected[0]]["error"];
    assert_eq!(error["kind"], "input");
    assert_eq!(error["errors"][0]["path"], "");
    assert_eq!(error["errors"][0]["line"], 4);
    assert!(
        error["errors"][0]["ja"]
            .as_str()
            .unwrap()
            .starts_with("JSONが途中で終わっています")
    );
    assert!(error["errors"][0]["en"].as_str().unwrap().starts_with("invalid JSON"));
    let decision = &v[&expected[1]]["decision"];
    assert_eq!(decision["outcome"], "eligible");
    assert_eq!(decision["grant_amount"], 10_000_000);
    assert_eq!(v[&expected[2]]["decision"]["outcome"], "approval_required");
    assert_eq!(v[&expected[3]]["decision"]["outcome"], "ineligible");
    // The raw text keeps the same order (serde_json's map sorts its keys).
    let text = stdout(&o);
    let at = |k: &String| text.find(&format!("\"{k}\"")).unwrap();
    assert!(expected.windows(2).all(|w| at(&w[0]) < at(&w[1])), "{text}");
}

#[test]
fn the_output_does_not_depend_on_the_threads() {
    let dir = corpus();
    let one = run(&["review", "-j", "1", "--format", "json", p(dir.path())]);
    let four = run(&["review", "-j", "4", "--format", "json", p(dir.path())]);
    assert_eq!(one.stdout, four.stdout);
    let one = run(&["review", "-j", "1", p(dir.path())]);
    let four = run(&["review", "-j", "4", p(dir.path())]);
    assert_eq!(stdout(&one), stdout(&four));
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(d: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn out_writes_each_decision_report_and_the_summary() {
    let dir = corpus();
    let out = dir.path().join("out");
    let o = run(&["review", "--out", p(&out), p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    let written = files_under(&out);
    let stem = out_stem(dir.path());
    let expected: Vec<String> = [
        "broken.error.json",
        "broken.error.txt",
        "north/r6.decision.json",
        "north/r6.report.txt",
        "north/r6.審査調書.html",
        "south/change.decision.json",
        "south/change.report.txt",
        "south/change.審査調書.html",
        "south/r6.decision.json",
        "south/r6.report.txt",
        "south/r6.審査調書.html",
    ]
    .iter()
    .map(|f| format!("{stem}/{f}"))
    .chain(["summary.json".to_string(), "summary.txt".to_string()])
    .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(written, expected, "no temporary file is left, no name collides");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let json = |f: &str| -> Value { serde_json::from_str(&read(f)).unwrap() };
    let north = json(&format!("{stem}/north/r6.decision.json"));
    assert_eq!(north["grant_amount"], 10_000_000);
    assert_eq!(json(&format!("{stem}/south/r6.decision.json"))["outcome"], "ineligible");
    assert!(read(&format!("{stem}/north/r6.report.txt")).contains("交付額"));
    let chosho = read(&format!("{stem}/north/r6.審査調書.html"));
    assert!(chosho.starts_with("<!DOCTYPE html>"), "{chosho:.80}");
    assert!(chosho.contains("10,000,000円"));
    assert_eq!(json(&format!("{stem}/broken.error.json"))["kind"], "input");
    assert!(read(&format!("{stem}/broken.error.txt")).starts_with("(document): JSONが途中で終わっています"));
    let summary = json("summary.json");
    assert_eq!(summary["format"], "grant-rules-review/v1");
    assert_eq!(summary["totals"]["documents"], 4);
    assert_eq!(summary["totals"]["errors"], 1);
    assert_eq!(summary["files"][1]["title"]["value"], "南空知圏域");
    assert_eq!(summary["files"][1]["amount"]["key"], "grant_amount");
    assert_eq!(summary["files"][1]["amount"]["value"], 10_000_000);
    assert_eq!(summary["files"][3]["rules"][0]["id"], "applicant.half_exclusion");
    assert_eq!(summary["totals"]["kinds"][0]["amount"]["value"], 10_000_000);
    assert_eq!(read("summary.txt"), stdout(&o), "the table printed is the one written");

    // Run again with the output directory inside the corpus: it is not
    // read back as documents, and a file that now decides replaces its
    // errors.
    std::fs::copy(
        "fixtures/application/minamisorachi-r6.json",
        dir.path().join("broken.json"),
    )
    .unwrap();
    let o = run(&["review", "--out", p(&out), p(dir.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let written = files_under(&out);
    assert!(written.contains(&format!("{stem}/broken.decision.json")), "{written:?}");
    assert!(!written.iter().any(|f| f.contains("error")), "{written:?}");
    assert!(stdout(&o).contains("計 4 件：判断 4 件、エラー 0 件"));
}

/// Where `review --out` puts the files of `dir`: its path without the root.
fn out_stem(dir: &Path) -> String {
    grant_rules::review::out_stem(&dir.join("x.json"))
        .parent()
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn out_names_come_from_the_relative_path() {
    use grant_rules::review::out_stem;
    assert_eq!(out_stem(Path::new("a/x.json")), PathBuf::from("a/x"));
    assert_eq!(out_stem(Path::new("b/x.json")), PathBuf::from("b/x"));
    assert_eq!(out_stem(Path::new("./a/x.json")), PathBuf::from("a/x"));
    assert_eq!(out_stem(Path::new("../a/x.json")), PathBuf::from("__/a/x"));
    assert_eq!(out_stem(Path::new("/srv/a/x.json")), PathBuf::from("srv/a/x"));
    assert_eq!(out_stem(Path::new("notes.txt")), PathBuf::from("notes.txt"));
}

#[test]
fn write_atomic_replaces_a_file_whole_and_leaves_nothing_behind() {
    use grant_rules::batch::write_atomic;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("deep/er/a.json");
    write_atomic(&target, b"first").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"first");
    write_atomic(&target, b"second").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"second");
    assert_eq!(files_under(dir.path()), ["deep/er/a.json"], "no temporary file left");

    // A rename that fails (the target is a directory that is not empty):
    // the error is returned, the target is untouched and the temporary
    // file is removed.
    let blocked = dir.path().join("blocked");
    std::fs::create_dir_all(blocked.join("inside")).unwrap();
    assert!(write_atomic(&blocked, b"never").is_err());
    assert!(blocked.join("inside").is_dir());
    assert_eq!(files_under(dir.path()), ["deep/er/a.json"], "no temporary file left");
}

#[test]
fn check_json_with_several_files_is_keyed_by_file_and_keeps_the_failures() {
    let dir = corpus();
    let broken = dir.path().join("broken.json");
    let files = [
        "fixtures/change/project-dropped.json",
        broken.to_str().unwrap(),
        "fixtures/application/minamisorachi-r6.json",
    ];
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Map<String, Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.len(), 3);
    assert_eq!(v[files[0]]["decision"]["outcome"], "approval_required");
    assert_eq!(v[files[1]]["error"]["kind"], "input");
    assert_eq!(v[files[2]]["decision"]["grant_amount"], 10_000_000);
    // In the order given.
    let text = stdout(&o);
    let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(at(files[0]) < at(files[1]) && at(files[1]) < at(files[2]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.json: (document): JSONが途中で終わっています"),
        "{err}"
    );

    // One file: the decision itself, as before.
    let o = run(&["check", "--format", "json", files[0]]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outcome"], "approval_required");
}

#[test]
fn a_missing_path_is_a_row_with_its_error() {
    let o = run(&[
        "review",
        "--lang",
        "en",
        "fixtures/application/minamisorachi-r6.json",
        "fixtures/application/no-such-file.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("fixtures/application/no-such-file.json"), "{out}");
    assert!(out.contains("    cannot read: No such file or directory"), "{out}");
    assert!(out.contains("2 document(s): 1 decided, 1 error(s)"), "{out}");
}

/// An empty folder decides nothing, and says so on stderr: an empty inbox
/// is not an error, but it is more often the wrong folder.
#[test]
fn an_empty_folder_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["review", p(dir.path())]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("計 0 件：判断 0 件、エラー 0 件"));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "注意：{} に文書（*.json、*.xlsx、*.xlsm、*.csv）が見つかりません。フォルダを確かめてください\n",
            p(dir.path())
        )
    );
}

/// The total granted adds up the applications that are eligible; a
/// reviewed application's grant is what it would be if the reviewer
/// accepts, so it is summed apart, under its own outcome.
#[test]
fn the_total_granted_leaves_a_reviewed_grant_apart() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["minamisorachi-r6.json", "island-review.json", "half-3of5-fail.json"] {
        std::fs::copy(format!("fixtures/application/{f}"), dir.path().join(f)).unwrap();
    }
    let o = run(&["review", p(dir.path())]);
    assert!(
        stdout(&o).contains(
            "application: 交付対象 1、交付対象外 1、要審査 1；交付額の合計 10,000,000円（要審査 1 件の見込み額 1,600,000円）\n"
        ),
        "{}",
        stdout(&o)
    );
    let out = dir.path().join("out");
    run(&["review", "--out", p(&out), p(dir.path())]);
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let app = &summary["totals"]["kinds"][0];
    assert_eq!(app["amount"]["value"], 10_000_000);
    let outcomes = app["outcomes"].as_array().unwrap();
    assert_eq!(outcomes[0]["verdict"], "pass");
    assert_eq!(outcomes[0]["amount"]["value"], 10_000_000);
    assert_eq!(outcomes[1]["verdict"], "fail");
    assert!(outcomes[1].get("amount").is_none(), "an ineligible grant is withheld");
    assert_eq!(outcomes[2]["verdict"], "review");
    assert_eq!(outcomes[2]["amount"]["value"], 1_600_000);
}

/// `--format html`: one page to print — the summary as a cover sheet, each
/// decided file's row linked to its 審査調書, which follow in the table's
/// order; a file not decided is a row with its error and no record.
#[test]
fn html_is_a_cover_sheet_then_every_record() {
    let dir = corpus();
    let o = run(&["review", "--format", "html", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2), "a file was not decided");
    let page = stdout(&o);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<article class=\"chosho cover\" id=\"cover\">").count(), 1);
    let cover = &page[..page
        .find("<article class=\"chosho\" id=\"d1\">")
        .expect("a first record")];
    assert!(cover.contains("<h1>審査一覧</h1>"));
    let root = p(dir.path());
    assert!(
        cover.contains(&format!(
            "<tr class=\"error\"><td class=\"file\">{root}/broken.json</td><td></td><td></td><td class=\"outcome\">エラー</td>"
        )),
        "{cover}"
    );
    for (k, file) in ["north/r6.json", "south/change.json", "south/r6.json"]
        .iter()
        .enumerate()
    {
        let link = format!("<td class=\"file\"><a href=\"#d{}\">{root}/{file}</a></td>", k + 1);
        assert!(cover.contains(&link), "{link}");
        let record = format!("<article class=\"chosho\" id=\"d{}\">", k + 1);
        let at = page.find(&record).unwrap_or_else(|| panic!("{record}"));
        assert!(page[at..].contains(&format!("<p class=\"file\">{root}/{file}</p>")));
    }
    assert_eq!(
        page.matches("<article class=\"chosho\" id=\"d").count(),
        3,
        "one record per decided file"
    );
    common::page::assert_well_formed(&page, "review --format html");
    assert!(cover.contains("<p class=\"totals\">application: 交付対象 1、交付対象外 1；交付額の合計 10,000,000円</p>"));

    let o = run(&["review", "--format", "markdown", p(dir.path())]);
    let md = stdout(&o);
    assert!(md.starts_with("# 審査一覧\n\n| ファイル | 種類 | 件名 | 結果 | 金額 |\n|:--|:--|:--|:--|--:|\n"));
    assert!(md.contains(&format!(
        "| `{root}/north/r6.json` | application | 南空知圏域 | 交付対象 | 10,000,000円 |"
    )));
    assert_eq!(md.matches("\n# 審査調書\n").count(), 3);

    // diff reports changes: it has no record to print.
    let o = run(&["diff", "--format", "html", "--base", "rules", "--head", "rules", root]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid value 'html' for '--format <FORMAT>'"));
}

/// A file's name is text like any other: on the cover sheet and above its
/// record it is escaped, and the page stays well formed.
#[test]
fn a_file_name_with_markup_is_escaped_on_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<b>&\"x'.json";
    std::fs::copy("fixtures/application/minamisorachi-r6.json", dir.path().join(name)).unwrap();
    let o = run(&["review", "--format", "html", p(dir.path())]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    common::page::assert_well_formed(&page, "a hostile file name");
    assert!(page.contains("&lt;b&gt;&amp;&quot;x&#39;.json</a>"), "{page}");
}
