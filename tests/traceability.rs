//! Traceability to the guidelines: the texts of the cited documents are in
//! the rule tree, every quote is checked against the text of the document
//! its `cite` names when the rules load, every citation names an article
//! its document lists, and the coverage of the articles is computed. Each
//! test breaks one thing in a copy of the real rules and checks the message
//! and what it underlines.

mod common;

use common::{app_files, kind_files, load, load_kind};
use grant_rules::check::CheckError;
use grant_rules::rules::{self, RulesError};
use grant_rules::source::SourceMap;

/// The application's rule files with `from` replaced by `to` (once) in `file`.
fn edited(file: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let mut files = app_files();
    let (_, text) = files
        .iter_mut()
        .find(|(n, _)| n.ends_with(file))
        .unwrap_or_else(|| panic!("no {file}"));
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
    files
}

/// Loads rules that must fail the checker.
fn check_errors(files: Vec<(String, String)>) -> (Box<SourceMap>, Vec<CheckError>) {
    match rules::load("application", files) {
        Err(RulesError::Check { sources, errors }) => (sources, errors),
        Err(e) => panic!("expected check errors, got:\n{}", e.render()),
        Ok(_) => panic!("the broken rules loaded"),
    }
}

/// The one error, its message, and the text it underlines.
fn only_error(files: Vec<(String, String)>) -> (Box<SourceMap>, CheckError) {
    let (sources, mut errors) = check_errors(files);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    (sources, errors.remove(0))
}

/// 1-based line and column (in characters) of byte offset `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    (
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().unwrap().chars().count() + 1,
    )
}

// ------------------------------------------------------------ the texts

#[test]
fn the_texts_are_the_seeds_cleaned_mechanically() {
    // rules/common/texts/README.md: the seed's lines, page numbers and empty
    // lines removed, trailing spaces trimmed, nothing else.
    let cleaned = |seed: &str, from: usize, to: usize| -> Option<String> {
        let text = std::fs::read_to_string(format!("../shared/seeds/{seed}")).ok()?;
        let page_number = |l: &str| {
            let t = l.trim();
            t.len() > 4
                && t.starts_with("- ")
                && t.ends_with(" -")
                && t[2..t.len() - 2].bytes().all(|b| b.is_ascii_digit())
        };
        let lines: Vec<&str> = text
            .lines()
            .skip(from - 1)
            .take(to + 1 - from)
            .filter(|l| !page_number(l))
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .collect();
        Some(lines.join("\n") + "\n")
    };
    for (file, seed, from, to) in [
        ("jisshi-youkou.txt", "003_753382f18d87338f.txt", 5004, 5278),
        ("suishin-youkou.txt", "003_753382f18d87338f.txt", 4560, 5003),
        ("teijuu-jiritsuken-shiryou.txt", "000_a61508fec1d3fe11.txt", 258, 555),
    ] {
        let ours = std::fs::read_to_string(format!("rules/common/texts/{file}")).unwrap();
        match cleaned(seed, from, to) {
            Some(expected) => assert!(ours == expected, "{file} is not seed {seed} lines {from}-{to}, cleaned"),
            None => eprintln!("../shared/seeds/{seed} is not here: {file} not compared with it"),
        }
    }
}

#[test]
fn every_bundled_source_has_its_text_and_articles() {
    let book = rules::embedded().unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(book.kinds.len(), 5);
    for p in &book.kinds {
        let texts: Vec<(&str, String)> = p
            .docs
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.text.map(|f| p.sources.tree_name(f)).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("実施要綱", "texts/jisshi-youkou.txt".to_string()),
                ("推進要綱", "texts/suishin-youkou.txt".to_string()),
                ("定住自立圏資料", "texts/teijuu-jiritsuken-shiryou.txt".to_string()),
            ],
            "{}",
            p.kind.name
        );
        assert!(p.docs.iter().all(|d| !d.articles.is_empty()));
    }
    // The embedded tree and the directory carry the same texts.
    let on_disk = rules::read_tree(std::path::Path::new("rules")).unwrap();
    let names = |files: &[(String, String)]| -> Vec<String> {
        files
            .iter()
            .filter(|(n, _)| rules::is_text(n))
            .map(|(n, _)| n.rsplit('/').next().unwrap().to_string())
            .collect()
    };
    let embedded = rules::embedded_tree();
    assert_eq!(names(&on_disk.common), names(&embedded.common));
    assert_eq!(names(&on_disk.common).len(), 3);
}

#[test]
fn the_digest_covers_the_texts() {
    let real = load(app_files());
    let mut files = app_files();
    let (_, text) = files
        .iter_mut()
        .find(|(n, _)| n.ends_with("jisshi-youkou.txt"))
        .unwrap();
    text.push_str("（追記）\n");
    assert_ne!(load(files).sha256, real.sha256);
}

#[test]
fn a_text_larger_than_a_rule_file_may_be_is_refused() {
    let dir = std::env::temp_dir().join(format!("grant-rules-big-text-{}", std::process::id()));
    let texts = dir.join("common").join("texts");
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::create_dir_all(dir.join("application")).unwrap();
    std::fs::write(dir.join("application").join("00-kind.rules"), "").unwrap();
    std::fs::write(texts.join("big.txt"), "あ\n".repeat(300_000)).unwrap();
    let Err(err) = rules::read_tree(&dir) else {
        panic!("a text over the size limit was read")
    };
    let text = err.render();
    assert!(text.contains("big.txt: larger than 1048576 bytes"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_text_file_that_is_not_there() {
    let (sources, e) = only_error(edited(
        "common/00-sources.rules",
        "text_file \"texts/jisshi-youkou.txt\"",
        "text_file \"texts/jisshi.txt\"",
    ));
    assert_eq!(e.message, "no text file `texts/jisshi.txt` in the rule tree");
    assert_eq!(sources.snippet(e.span), "\"texts/jisshi.txt\"");
    assert!(
        e.notes.iter().any(|n| n == "did you mean `texts/jisshi-youkou.txt`?"),
        "{:?}",
        e.notes
    );
    assert!(
        e.notes.iter().any(|n| n
            == "the texts are: texts/jisshi-youkou.txt, texts/suishin-youkou.txt, texts/teijuu-jiritsuken-shiryou.txt"),
        "{:?}",
        e.notes
    );
}

// ------------------------------------------------------------ quotes

const SUPPORT: &str = "支援期間は最大５ヵ年度までとする。";

#[test]
fn a_quote_with_a_typo_is_refused_with_where_it_parts_from_the_text() {
    let files = edited(
        "application/30-applicant.rules",
        SUPPORT,
        "支援期間は最長５ヵ年度までとする。",
    );
    let rule_file = files
        .iter()
        .find(|(n, _)| n.ends_with("30-applicant.rules"))
        .unwrap()
        .1
        .clone();
    let (sources, e) = only_error(files);
    assert_eq!(e.message, "the quote is not in the text of 実施要綱");
    assert_eq!(sources.snippet(e.span), "\"支援期間は最長５ヵ年度までとする。\"");
    let at = rule_file.find("\"支援期間は最長").unwrap();
    let (line, column) = line_col(&rule_file, at);
    assert_eq!(
        sources.location(e.span),
        format!("rules/application/30-applicant.rules:{line}:{column}")
    );
    assert_eq!(e.label, "not in texts/jisshi-youkou.txt");
    assert_eq!(
        e.notes,
        [
            "the text has it as far as 「支援期間は最」, then 「大５ヵ年度までとする。 第４ 交…」 where the quote has 「長５ヵ年度までとする。」"
        ]
    );
    // The place in the guideline's text where the quote parts from it.
    let (span, label) = &e.secondary[0];
    assert_eq!(label, "the text goes on here");
    assert_eq!(sources.tree_name(span.file), "texts/jisshi-youkou.txt");
    assert_eq!(sources.snippet(*span), "大");
    let text = sources.text(span.file);
    let (line, column) = line_col(text, text.find("大５ヵ年度").unwrap());
    assert_eq!(
        sources.location(*span),
        format!("rules/common/texts/jisshi-youkou.txt:{line}:{column}")
    );
    // As the command line shows it: both places, each with its line.
    let rendered = RulesError::Check {
        sources,
        errors: vec![e],
    }
    .render();
    assert!(rendered.contains("支援期間は最大５ヵ年度までとする。"), "{rendered}");
    assert!(rendered.contains("支援期間は最長５ヵ年度までとする。"), "{rendered}");
}

#[test]
fn a_parameters_quote_is_checked_too() {
    let (sources, e) = only_error(edited(
        "application/10-parameters.rules",
        "上限 1,000 万円の定額",
        "上限 2,000 万円の定額",
    ));
    assert_eq!(e.message, "the quote is not in the text of 実施要綱");
    assert_eq!(
        sources.snippet(e.span),
        "\"１地域又は１協議会あたり上限 2,000 万円の定額とする。\""
    );
    assert!(
        e.notes[0].starts_with("the text has it as far as 「１地域又は１協議会あたり上限」, then 「1,000 万円の定額"),
        "{:?}",
        e.notes
    );
}

#[test]
fn width_white_space_and_line_breaks_do_not_matter() {
    // Half-width digits and brackets for full-width ones, spaces and a line
    // break where the guideline has none, none where it has some.
    let files = edited(
        "application/30-applicant.rules",
        SUPPORT,
        "支援期間は 最大 5 ヵ年度\\n  までとする。",
    );
    let files = replace_in(
        files,
        "application/40-projects.rules",
        "\"(６) その他知事が不適当と認める事業\"",
        "\"（6）その他知事が不適当と認める事業\"",
    );
    let files = replace_in(
        files,
        "application/40-projects.rules",
        "前項の規定にかかわらず、次に掲げる事業については交付対象事業としない。(１) 国の補助金等",
        "前項の規定にかかわらず、次に掲げる事業については交付対象事業としない。（1）国の補助金等",
    );
    load(files);
}

fn replace_in(mut files: Vec<(String, String)>, file: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let (_, text) = files.iter_mut().find(|(n, _)| n.ends_with(file)).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
    files
}

#[test]
fn an_elision_is_accepted() {
    let whole = "前項において、定住自立圏構想推進要綱（平成 20 年 12 月 26 日総行応第 39 号) に基づく定住自立圏又は連携中枢都市圏推進要綱（平成 26 年 8 月 26 日総行市 200 号）に基づく連携中枢都市圏による連携の取組を行っている市町村が２分の１を超える場合は交付対象としない。";
    for elided in [
        "前項において、…連携の取組を行っている市町村が２分の１を超える場合は交付対象としない。",
        "前項において、...定住自立圏又は...２分の１を超える場合は...",
        "…２分の１を超える場合は交付対象としない。",
    ] {
        load(edited("application/30-applicant.rules", whole, elided));
    }
}

#[test]
fn elided_parts_out_of_order_are_refused() {
    let (sources, e) = only_error(edited(
        "application/30-applicant.rules",
        SUPPORT,
        "までとする。…支援期間は最大",
    ));
    assert_eq!(e.message, "the quote is not in the text of 実施要綱");
    assert_eq!(sources.snippet(e.span), "\"までとする。…支援期間は最大\"");
    assert_eq!(
        e.notes,
        ["its part 2 of 2 (between `…`s) is in the text, but before part 1: elided parts keep the text's order"]
    );
}

#[test]
fn an_elided_part_that_is_not_there_is_named() {
    let (_, e) = only_error(edited(
        "application/30-applicant.rules",
        SUPPORT,
        "支援期間は…最大６ヵ年度",
    ));
    assert_eq!(
        e.notes,
        [
            "the text has its part 2 of 2 (between `…`s) as far as 「最大」, then 「５ヵ年度までとする。 第４ 交付…」 where the quote has 「６ヵ年度」"
        ]
    );
}

#[test]
fn a_quote_of_only_elisions_is_refused() {
    let (sources, e) = only_error(edited("application/30-applicant.rules", SUPPORT, "…"));
    assert_eq!(sources.snippet(e.span), "\"…\"");
    assert_eq!(e.notes, ["a quote has words of the document, not only elisions `…`"]);
}

#[test]
fn a_quote_of_the_also_source_is_refused_and_said_so() {
    // applicant.agreement cites 実施要綱 第2 1 and, with `also`, 推進要綱 第3.
    let rule = "  cite 実施要綱 \"第2 1\"\n  also 推進要綱 \"第3\"\n  text \"";
    let files = edited(
        "application/30-applicant.rules",
        rule,
        &format!("{rule}国の広域連携制度の活用が困難な市町村等が、前進プランに基づき連携して取り組み\"\n  remark \""),
    );
    let (sources, e) = only_error(files);
    assert_eq!(e.message, "the quote is not in the text of 実施要綱");
    assert_eq!(
        sources.snippet(e.span),
        "\"国の広域連携制度の活用が困難な市町村等が、前進プランに基づき連携して取り組み\""
    );
    assert_eq!(
        e.notes.last().unwrap(),
        "it is in the text of 推進要綱, which is cited with `also`: a quote is of the document of the `cite`"
    );
}

#[test]
fn a_quote_that_cites_nothing_is_refused() {
    let (sources, e) = only_error(edited(
        "application/10-parameters.rules",
        "  cite 実施要綱 \"第3\"\n  text \"支援期間",
        "  text \"支援期間",
    ));
    assert_eq!(e.message, "the quote of parameter `support_years` cites nothing");
    assert_eq!(sources.snippet(e.span), format!("\"{SUPPORT}\""));
}

#[test]
fn a_source_without_a_text_has_its_quotes_unchecked() {
    let mut files = app_files();
    files.push((
        "rules/application/99-test.rules".into(),
        "source 手引 { title \"審査の手引（試し）\" }\nrule test.guide {\n  cite 手引 \"p. 1\"\n  text \"どの文書にもない言葉\"\n  summary ja \"s\" en \"s\"\n  pass otherwise ja \"x\" en \"x\"\n}\n".into(),
    ));
    let program = load(files);
    let guide = program.docs.iter().find(|d| d.name == "手引").unwrap();
    assert_eq!((guide.text, guide.articles.len()), (None, 0));
}

// ------------------------------------------------------------ articles

#[test]
fn a_citation_of_an_article_not_listed_is_refused() {
    let (sources, e) = only_error(edited(
        "application/40-projects.rules",
        "cite 実施要綱 \"第4 2 (6)\"",
        "cite 実施要綱 \"第4 2 (7)\"",
    ));
    assert_eq!(e.message, "実施要綱 has no article `第4 2 (7)`");
    assert_eq!(sources.snippet(e.span), "\"第4 2 (7)\"");
    assert_eq!(e.label, "not in its list of articles");
    assert!(
        e.notes.iter().any(|n| n == "did you mean `第4 2 (6)`?"),
        "{:?}",
        e.notes
    );
}

#[test]
fn a_clause_citation_is_checked_too() {
    let (sources, e) = only_error(edited(
        "application/40-projects.rules",
        "cite 実施要綱 \"第5 1\"",
        "cite 実施要綱 \"第5 9\"",
    ));
    assert_eq!(e.message, "実施要綱 has no article `第5 9`");
    assert_eq!(sources.snippet(e.span), "\"第5 9\"");
}

#[test]
fn articles_compare_by_their_digits_not_their_spacing() {
    let files = edited(
        "application/40-projects.rules",
        "cite 実施要綱 \"第4 2 (6)\"",
        "cite 実施要綱 \"第４ ２（６）\"",
    );
    load(replace_in(
        files,
        "application/30-applicant.rules",
        "cite 推進要綱 \"第3(1)\"",
        "cite 推進要綱 \"第3 (1)\"",
    ));
}

#[test]
fn an_article_listed_twice_is_refused() {
    let (sources, e) = only_error(edited(
        "common/00-sources.rules",
        "  article \"第3\" \"support",
        "  article \"第 3\" \"again\"\n  article \"第3\" \"support",
    ));
    assert_eq!(e.message, "article `第3` of `実施要綱` is listed twice");
    assert_eq!(sources.snippet(e.span), "\"第3\"");
    assert_eq!(sources.snippet(e.secondary[0].0), "\"第 3\"");
}

#[test]
fn a_source_given_a_second_text_file_is_refused() {
    let (sources, e) = only_error(edited(
        "common/00-sources.rules",
        "  text_file \"texts/suishin-youkou.txt\"",
        "  text_file \"texts/suishin-youkou.txt\"\n  text_file \"texts/jisshi-youkou.txt\"",
    ));
    assert_eq!(e.message, "source `推進要綱` has a second `text_file`");
    assert_eq!(sources.snippet(e.span), "text_file \"texts/jisshi-youkou.txt\"");
}

// ------------------------------------------------------------ coverage

#[test]
fn coverage_lists_every_article_with_what_cites_it() {
    let book = rules::embedded().unwrap();
    let c = grant_rules::coverage::of(&book);
    assert!(c.problems.is_empty(), "{}", c.render_problems());
    // The row of an article in the section of a source.
    let row_of = |source: &str, id: &str| {
        c.markdown
            .split("\n### ")
            .find(|section| section.starts_with(&format!("{source}:")))
            .unwrap_or_else(|| panic!("no section {source}"))
            .lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .unwrap_or_else(|| panic!("no row {id}"))
            .to_string()
    };
    let row = |id: &str| row_of("実施要綱", id);
    // Every kind: the change kind's rules, the report kind's parameters.
    assert!(row("第10 1").contains("rule `change.total`"), "{}", row("第10 1"));
    assert!(row("第12 3").contains("parameter `report_days`"), "{}", row("第12 3"));
    // `also`, clause citations and steps.
    let third = row_of("推進要綱", "第3");
    assert!(third.ends_with("| rule `applicant.agreement` (also) |"), "{third}");
    assert!(
        row("第5 7").ends_with("| rule `expense.eligible` (a clause) |"),
        "{}",
        row("第5 7")
    );
    assert!(row("第8").contains("step `adopted_total`"), "{}", row("第8"));
    // An article nothing cites, with its reason.
    assert!(row("第13 1").ends_with("| — *procedural: payment is in no document format* |"));
    // Every rule, once.
    let rules: usize = book.kinds.iter().map(|p| p.rules.len()).sum();
    assert_eq!(
        c.markdown
            .lines()
            .filter(|l| l.starts_with("| `") && l.contains(".rules` |"))
            .count(),
        rules
    );
}

#[test]
fn coverage_refuses_a_reason_for_an_article_that_is_cited() {
    let mut tree = rules::read_tree(std::path::Path::new("rules")).unwrap();
    let (_, sources) = tree
        .common
        .iter_mut()
        .find(|(n, _)| n.ends_with("00-sources.rules"))
        .unwrap();
    let from = "  article \"第3\" \"support for at most 5 fiscal years\"";
    assert!(sources.contains(from));
    *sources = sources.replacen(from, &format!("{from} uncited \"none\""), 1);
    let book = rules::load_tree(tree).unwrap_or_else(|e| panic!("{}", e.render()));
    let c = grant_rules::coverage::of(&book);
    assert_eq!(c.problems.len(), 1, "{}", c.render_problems());
    let e = &c.problems[0].error;
    assert_eq!(
        e.message,
        "article `第3` of 実施要綱 says nothing cites it, but parameter `support_years` does"
    );
    assert_eq!(
        c.problems[0].sources.snippet(e.span),
        "article \"第3\" \"support for at most 5 fiscal years\" uncited \"none\""
    );
    assert!(
        c.render_problems().contains("common/00-sources.rules:"),
        "{}",
        c.render_problems()
    );
}

#[test]
fn coverage_of_a_source_without_articles_lists_what_is_cited() {
    let mut files = kind_files("report");
    files.push((
        "rules/report/99-test.rules".into(),
        "source 手引 { title \"審査の手引（試し）\" }\nrule test.guide {\n  cite 手引 \"p. 1\"\n  text \"t\"\n  summary ja \"s\" en \"s\"\n  pass otherwise ja \"x\" en \"x\"\n}\n".into(),
    ));
    let program = load_kind("report", files);
    let book = rules::RuleBook { kinds: vec![program] };
    let c = grant_rules::coverage::of(&book);
    assert!(
        c.markdown
            .contains("### 手引: 審査の手引（試し）\n\nIt lists no articles: the articles its citations name.\n"),
        "{}",
        c.markdown
    );
    assert!(c.markdown.contains("| p. 1 | | rule `test.guide` |"), "{}", c.markdown);
}
