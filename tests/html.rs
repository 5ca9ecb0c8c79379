//! The 審査調書 (`check --format html` and `--format markdown`): what a
//! prefecture files carries the outcome, each rule with its quoted clause,
//! the derivation, the checklist with its boxes and the questions to the
//! applicant; every text of a document is escaped; the page is well formed
//! and self-contained, for every fixture of every kind, in both languages.

mod common;

use common::run;

use common::page::assert_well_formed;
use std::path::Path;

use grant_rules::cli::{html, markdown};
use grant_rules::decision::Decision;
use grant_rules::rules::RuleBook;
use grant_rules::text::Lang;

fn book() -> RuleBook {
    grant_rules::rules::embedded().expect("the built-in rules load")
}

fn decide_bytes(book: &RuleBook, bytes: &[u8]) -> Decision {
    match grant_rules::engine::decide(book, bytes) {
        Ok((_, d)) => d,
        Err((p, e)) => panic!("{}", e.render(p, false)),
    }
}

fn decide(book: &RuleBook, path: &str) -> Decision {
    decide_bytes(book, &std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Text as the page writes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn an_eligible_application_has_its_title_outcome_rules_clauses_and_derivation() {
    let book = book();
    let d = decide(&book, "fixtures/application/minamisorachi-r6.json");
    let page = html(&d, Lang::Ja, false);
    assert_well_formed(&page, "minamisorachi-r6");
    for piece in [
        "<html lang=\"ja\">",
        "<h1>審査調書</h1>",
        "<p class=\"kind\">地域づくり総合交付金（広域連携加速化事業）</p>",
        // The 決裁 box.
        "<th rowspan=\"2\" class=\"v\">決裁</th><th>局長</th>",
        // The outcome in the kind's words, then what the kind shows.
        "<span class=\"outcome pass\">交付対象</span><span class=\"word\">eligible</span>",
        "<tr><th>地域</th><td>南空知圏域</td></tr>",
        "<tr><th>代表市町村</th><td>岩見沢市</td></tr>",
        "<tr><th>年度</th><td>令和6年度（2024年度）</td></tr>",
        "<tr><th>構成市町村</th><td>岩見沢市・夕張市・美唄市・三笠市・南幌町・由仁町・長沼町・栗山町・月形町</td></tr>",
        "<tr><th>交付額</th><td class=\"amount\">10,000,000円<span class=\"sen\">（10,000千円）</span></td></tr>",
        // The rules applied, their date in 和暦, the amendments and digests.
        "（ルール版 2023-04-03）<br>基準日 令和7年3月31日",
        "適用した要綱：実施要綱（令和5年4月3日改正）、推進要綱（令和4年5月20日改正）",
        // A rule: status, title, id, articles, then its clause and reason.
        "<tr class=\"rule pass\"><td class=\"status\"><span class=\"badge pass\">適合</span></td><td class=\"item\"><span class=\"title\">国の制度に参加する市町村（２分の１）</span><span class=\"id\">applicant.half_exclusion</span><span class=\"cite\">実施要綱 第2 2</span><span class=\"cite\">推進要綱 第3(1)</span></td>",
        "定住自立圏又は連携中枢都市圏の取組を行っている市町村は 9 市町村のうち 3 で、２分の１以下です",
        // A discretionary clause nothing raised is not a machine's pass.
        "<span class=\"badge not-raised\">指摘なし</span>",
        // A project with its expense lines as a table.
        "<h3>事業「地域防災体制の充実」<span class=\"badge pass\">要綱上の対象</span></h3>",
        "<td>防災担当職員合同研修会 講師謝礼</td><td>報償費（講師謝礼等）</td><td class=\"num\">250,000円</td>",
        // The derivation: step, what, article, value.
        "<tr class=\"result\"><td class=\"c-no\">5</td><td>100,000円 単位に切り捨て</td><td class=\"cite\">実施要綱 第6</td><td class=\"num\">10,000,000円</td></tr>",
        "<td class=\"c-no\">3</td><td>上限額 10,000,000円 と交付対象経費のいずれか少ない額</td>",
        // Parameters with the version applied, in 和暦.
        "令和2年11月2日 から（実施要綱 附則）",
        // A4 print.
        "size: A4;",
        "break-inside: avoid;",
        "\"Noto Serif CJK JP\"",
    ] {
        assert!(page.contains(piece), "{piece}\n---\n{page}");
    }
    assert!(page.contains(&format!("<code>rules_sha256 {}</code>", d.rules_sha256)));
    assert!(page.contains(&format!("<code>input_sha256 {}</code>", d.input_sha256)));
    // Every top-level rule's clause is quoted, as in rule_texts.
    for r in &d.rules {
        let text = d.rule_texts.iter().find(|t| t.id == r.id).map(|t| &t.text);
        let quote = r
            .quote
            .as_ref()
            .or(text)
            .unwrap_or_else(|| panic!("{} quotes a clause", r.id));
        assert!(
            page.contains(&format!("<blockquote class=\"clause\">「{}」</blockquote>", esc(quote))),
            "the clause of {}",
            r.id
        );
    }
    // A rule decided for each project is quoted once, then referred to.
    let inappropriate = d.rule_texts.iter().find(|t| &*t.id == "project.inappropriate").unwrap();
    assert_eq!(page.matches(&esc(&inappropriate.text)).count(), 1);
    assert_eq!(
        page.matches("条文は前出").count(),
        2 * 6,
        "two more projects, six rules each"
    );
    // The rules of a line of a table are quoted at the end.
    assert!(page.contains("引用条文（上の表と確認事項で参照した規定）"));
    assert!(page.contains("<span class=\"id\">expense.eligible</span>"));
    // No rule-language formula without --explain.
    assert!(!page.contains("floor(allocated, grant_unit)"));
    let explained = html(&d, Lang::Ja, true);
    assert!(explained.contains("<th>算式</th>"));
    assert!(explained.contains("<code class=\"formula\">floor(allocated, grant_unit)</code>"));
    assert_well_formed(&explained, "minamisorachi-r6 --explain");
}

#[test]
fn the_checklist_has_a_box_per_point_open_with_its_record_closed_with_who_and_when() {
    let book = book();
    let d = decide(&book, "docs/examples/island-review-partly-decided.json");
    assert_eq!(d.outcome, "needs_review");
    let page = html(&d, Lang::Ja, false);
    assert_well_formed(&page, "island-review-partly-decided");
    assert!(page.contains("<span class=\"outcome review\">要審査</span>"));
    // Open: an empty box, the point, and the entry that records a determination.
    assert!(page.contains(
        "<tr class=\"check open\"><td class=\"box\"><span class=\"box\" role=\"img\" aria-label=\"未判断\">☐</span><span class=\"state\">未判断</span></td><td class=\"item\"><span class=\"title\">隣接</span><span class=\"id\">applicant.adjacency</span>"
    ));
    assert!(page.contains(
        "<pre>{&quot;rule_id&quot;: &quot;applicant.adjacency&quot;, &quot;decision&quot;: &quot;accept&quot; | &quot;reject&quot;"
    ));
    assert!(page.contains("<span>認める ・ 認めない</span><span>判断者</span>"));
    // Closed: a ticked box, with who, when (和暦), what and why.
    assert!(page.contains(
        "<span class=\"box\" role=\"img\" aria-label=\"認める\">☑</span><span class=\"state\">認める</span></td><td class=\"item\"><span class=\"of\">経費「奥尻島 避難経路の現地調査 職員旅費」</span>"
    ));
    assert!(page.contains(
        "<dl class=\"judged\"><dt>判断</dt><dd><b>認める</b></dd><dt>判断者</dt><dd>檜山振興局 地域政策課</dd><dt>日付</dt><dd>令和6年6月18日</dd><dt>理由</dt><dd>離島の避難経路の現地確認は計画の検討に不可欠と認める</dd></dl>"
    ));
    // A discretionary clause nothing raised: an empty box, not a tick.
    assert!(page.contains("aria-label=\"指摘なし\">☐</span>"));
    assert_eq!(page.matches("☑").count(), 1);

    let md = markdown(&d, Lang::Ja, false);
    assert!(
        md.contains("- [ ] **未判断** **隣接**（`applicant.adjacency`；推進要綱 第3(1)） — 陸続きでない部分があります")
    );
    assert!(md.contains(
        "  ```json\n  {\"rule_id\": \"applicant.adjacency\", \"decision\": \"accept\" | \"reject\", \"by\": \"…\", \"on\": \"…\", \"reason\": \"…\"}\n  ```"
    ));
    assert!(md.contains("- [x] **認める** 経費「奥尻島 避難経路の現地調査 職員旅費」 **対象外経費（第5）**"));
    assert!(md.contains(
        "  - 判断者：檜山振興局 地域政策課、日付：令和6年6月18日、判断：認める、理由：離島の避難経路の現地確認は計画の検討に不可欠と認める"
    ));
}

#[test]
fn missing_information_is_asked_of_the_applicant() {
    let book = book();
    let d = decide(&book, "fixtures/application/flag-missing-matters.json");
    let page = html(&d, Lang::Ja, false);
    assert_well_formed(&page, "flag-missing-matters");
    assert!(page.contains("<span class=\"outcome unknown\">情報不足</span>"));
    assert!(page.contains(
        "<tr><td class=\"c-no\">1</td><td>由仁町は定住自立圏の取組を行っていますか<span class=\"what\">由仁町：定住自立圏の取組を行っているか</span></td><td><code>region.members[2].settlement_zone</code></td><td></td></tr>"
    ));
    let md = markdown(&d, Lang::Ja, false);
    assert!(md.contains("| 1 | 由仁町は定住自立圏の取組を行っていますか | `region.members[2].settlement_zone` |  |"));
    let en = html(&d, Lang::En, false);
    assert!(en.contains("For 由仁町, please state: whether it already cooperates in a settlement zone (定住自立圏)"));

    for (file, question) in [
        (
            "fixtures/central-city/population-missing.json",
            "人口（国勢調査）をご記入ください",
        ),
        (
            "fixtures/application/missing-project-kind.json",
            "の事業の種類（soft / hard）をご記入ください",
        ),
    ] {
        let page = html(&decide(&book, file), Lang::Ja, false);
        assert!(page.contains(question), "{file}: {question}");
    }
}

/// minamisorachi-r6 with a project's name and an expense line's item that
/// hold markup, an ampersand and quotes.
fn hostile() -> Vec<u8> {
    let text = std::fs::read_to_string("fixtures/application/minamisorachi-r6.json").unwrap();
    let text = text.replacen(
        "\"地域防災体制の充実\"",
        r#""<script>alert(1)</script>&\"防災' <b>""#,
        1,
    );
    let text = text.replacen(
        "\"防災担当職員合同研修会 講師謝礼\"",
        r#""謝礼 </td></tr></table><img src=x onerror=alert(1)> | `x` *y* [z](http://e) &amp;""#,
        1,
    );
    assert!(text.contains("<script>") && text.contains("<img"));
    text.into_bytes()
}

#[test]
fn every_text_of_a_document_is_escaped() {
    let book = book();
    let d = decide_bytes(&book, &hostile());
    for lang in [Lang::Ja, Lang::En] {
        let page = html(&d, lang, false);
        assert_well_formed(&page, "hostile names");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;防災&#39; &lt;b&gt;"));
        assert!(page.contains(
            "<td>謝礼 &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt; | `x` *y* [z](http://e) &amp;amp;</td>"
        ));
        assert!(!page.contains("<script>") && !page.contains("<img") && !page.contains("<b>"));
        // In the checklist too, where the project is named.
        let named = page
            .split("<span class=\"of\">")
            .skip(1)
            .filter_map(|s| s.split("</span>").next())
            .find(|s| s.contains("alert"))
            .expect("the checklist names the project");
        // (the decision's own `of` shows the quote as \")
        assert!(
            named.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;\\&quot;防災&#39; &lt;b&gt;"),
            "{named}"
        );
    }
    let md = markdown(&d, Lang::Ja, false);
    // (the decision's own title shows the quote as \")
    assert!(
        md.contains(r#"### 事業「\<script\>alert(1)\</script\>\&\\"防災' \<b\>」［要綱上の対象］"#),
        "{md}"
    );
    assert!(
        md.contains(r#"| 事業名 | \<script\>alert(1)\</script\>\&"防災' \<b\> |"#),
        "{md}"
    );
    assert!(md.contains(
        r#"謝礼 \</td\>\</tr\>\</table\>\<img src=x onerror=alert(1)\> \| \`x\` \*y\* \[z\](http://e) \&amp;"#
    ));
    // Every < is escaped but the <br> the tables' cells are broken with.
    let b = md.as_bytes();
    for (i, _) in md.match_indices('<') {
        assert!(b[i - 1] == b'\\' || md[i..].starts_with("<br>"), "{}", &md[i - 1..]);
    }
    gfm_tables(&md).unwrap();
}

/// Every row of every Markdown table has as many cells as its head (no
/// text adds a cell with a `|`).
fn gfm_tables(md: &str) -> Result<(), String> {
    let cells = |line: &str| {
        let b = line.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut head = None;
    for line in md.lines() {
        match (line.starts_with('|'), head) {
            (true, None) => head = Some(cells(line)),
            (true, Some(n)) if cells(line) != n => return Err(format!("{} cells, not {n}: {line}", cells(line))),
            (false, _) => head = None,
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn every_fixture_of_every_kind_gives_a_well_formed_page_in_both_languages() {
    let book = book();
    let mut n = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for dir in std::fs::read_dir("fixtures").unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let d = decide(&book, f.to_str().unwrap());
            kinds.insert(d.kind.clone());
            for (lang, explain) in [(Lang::Ja, false), (Lang::En, false), (Lang::Ja, true)] {
                let what = format!("{} ({lang:?}, explain {explain})", f.display());
                let page = html(&d, lang, explain);
                assert_well_formed(&page, &what);
                assert!(page.contains(&esc(d.outcome_label.get(lang))), "{what}: the outcome");
                let md = markdown(&d, lang, explain);
                if let Err(e) = gfm_tables(&md) {
                    panic!("{what}: {e}");
                }
                assert!(md.contains(&format!("**{}**", d.outcome_label.get(lang))), "{what}");
            }
            n += 1;
        }
    }
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert!(n >= 130, "{n} fixtures");
}

#[test]
fn each_kind_names_its_own_outcome_and_lists() {
    let book = book();
    for (file, pieces) in [
        (
            "fixtures/change/other-formats-example.json",
            &[
                "地域づくり総合交付金（広域連携加速化事業）計画の変更",
                "<span class=\"outcome pass\">承認不要</span>",
                "<h3>構成事業「地域防災体制の充実」<span class=\"badge pass\">承認不要</span></h3>",
            ][..],
        ),
        (
            "fixtures/report/other-formats-example.json",
            &[
                "<span class=\"outcome review\">要審査</span>",
                "<tr><th>実績報告の期限</th><td>令和7年3月16日</td></tr>",
                "<td>防災テント</td><td class=\"date\">令和12年12月31日</td>",
                "aria-label=\"未判断\">☐</span>",
            ][..],
        ),
        (
            "fixtures/zone-finance/other-formats-example.json",
            &[
                "定住自立圏に対する財政支援（特別交付税・地方債）",
                "<span class=\"outcome pass\">問題なし</span>",
                "<td>岩見沢市</td><td>中心市</td><td class=\"num\">85,000,000円</td>",
                "<h3>地方債「乗務員確保支援」<span class=\"badge pass\">適合</span></h3>",
            ][..],
        ),
        (
            "fixtures/central-city/iwamizawa-2020-census.json",
            &[
                "定住自立圏の中心市の要件",
                "<span class=\"outcome review\">要審査</span>",
                "<span class=\"title\">都市機能</span><span class=\"id\">central_city.urban_functions</span>",
            ][..],
        ),
    ] {
        let page = html(&decide(&book, file), Lang::Ja, false);
        for piece in pieces {
            assert!(page.contains(piece), "{file}: {piece}");
        }
    }
}

#[test]
fn the_english_record_has_english_headings_and_iso_dates() {
    let book = book();
    let d = decide(&book, "fixtures/application/island-review.json");
    let page = html(&d, Lang::En, false);
    assert_well_formed(&page, "island-review en");
    for piece in [
        "<html lang=\"en\">",
        "<h1>Review Record</h1>",
        "<span class=\"outcome review\">NEEDS REVIEW</span>",
        "<tr><th>Fiscal year</th><td>FY2024</td></tr>",
        "As of 2025-03-31",
        "<th>Status</th><th>Requirement and article</th><th>Clause and reason</th>",
        "<span class=\"badge review\">REVIEW</span></td><td class=\"item\"><span class=\"title\">Adjacency</span>",
        "aria-label=\"Open\">☐</span>",
        "To record a determination (add to the document's determinations)",
        "from 2020-11-02 (実施要綱 附則)",
    ] {
        assert!(page.contains(piece), "{piece}");
    }
    for ja in ["審査調書", "判定", "決裁", "未判断", "条文・判断の理由", "令和7年"] {
        assert!(!page.contains(ja), "{ja} in the English record");
    }
    let md = markdown(&d, Lang::En, false);
    assert!(md.starts_with("# Review Record\n"));
    assert!(md.contains("- \\[REVIEW\\] **Adjacency** (`applicant.adjacency`; 推進要綱 第3(1), 実施要綱 第2 1)"));
}

#[test]
fn the_markdown_record_has_tables_rules_with_clauses_and_the_derivation() {
    let book = book();
    let d = decide(&book, "fixtures/application/minamisorachi-r6.json");
    let md = markdown(&d, Lang::Ja, false);
    gfm_tables(&md).unwrap();
    for piece in [
        "# 審査調書\n\n**地域づくり総合交付金（広域連携加速化事業）**",
        "| 審査結果 | **交付対象**（`eligible`）— 全ての要件を満たしています |",
        "| 交付額 | 10,000,000円（10,000千円） |",
        "| 適用したルール | 地域づくり総合交付金（広域連携加速化事業）（ルール版 2023-04-03）<br>基準日 令和7年3月31日",
        "## 1. 地域の要件",
        "- ［適合］ **国の制度に参加する市町村（２分の１）**（`applicant.half_exclusion`；実施要綱 第2 2、推進要綱 第3(1)）\n\n  > 「前項において、",
        "#### 経費\n\n| 判定 | 内容 | 経費区分 | 金額 | 理由 |\n|:--|:--|:--|--:|:--|\n| ○ 対象 | 防災担当職員合同研修会 講師謝礼 | 報償費（講師謝礼等） | 250,000円 |",
        "| 順 | 算定項目 | 根拠 | 値 |\n|--:|:--|:--|--:|",
        "| 5 | 100,000円 単位に切り捨て | 実施要綱 第6 | 10,000,000円 |",
        "- [ ] **指摘なし** 事業「地域防災体制の充実」 **知事が不適当と認める事業**",
    ] {
        assert!(md.contains(piece), "{piece}\n---\n{md}");
    }
    assert!(!md.contains("floor("));
    assert!(
        markdown(&d, Lang::Ja, true).contains(
            "| 5 | 100,000円 単位に切り捨て | 実施要綱 第6 | 10,000,000円 | `floor(allocated, grant_unit)` |"
        )
    );
}

#[test]
fn check_format_html_and_markdown_on_the_command_line() {
    let o = run(&[
        "check",
        "--format",
        "html",
        "fixtures/application/minamisorachi-r6.json",
    ]);
    assert!(o.status.success());
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert_well_formed(&page, "cli");
    assert_eq!(page.matches("<article class=\"chosho\" id=\"d1\">").count(), 1);
    assert!(!page.contains("<p class=\"file\">"), "one document: no file name");

    // Several documents: one page, a record each, named by its file.
    let o = run(&[
        "check",
        "--format",
        "html",
        "--lang",
        "en",
        "fixtures/change/project-dropped.json",
        "fixtures/report/improvement.json",
    ]);
    assert!(o.status.success());
    let page = String::from_utf8(o.stdout).unwrap();
    assert_well_formed(&page, "cli, two files");
    assert_eq!(page.matches("<article class=\"chosho\" id=\"d").count(), 2);
    assert!(page.contains("<p class=\"file\">fixtures/change/project-dropped.json</p>"));
    assert!(page.contains("<p class=\"file\">fixtures/report/improvement.json</p>"));
    assert!(page.contains("article.chosho + article.chosho { break-before: page; }"));

    let o = run(&[
        "check",
        "--format",
        "markdown",
        "fixtures/zone-finance/other-formats-example.json",
    ]);
    assert!(o.status.success());
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.starts_with("# 審査調書\n"));
    gfm_tables(&md).unwrap();
    let o = run(&[
        "check",
        "--format",
        "md",
        "--explain",
        "fixtures/zone-finance/other-formats-example.json",
    ]);
    assert!(o.status.success(), "md is an alias");

    // A document that cannot be read: exit 2, nothing on stdout.
    let o = run(&["check", "--format", "html", "Cargo.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn the_readme_shows_the_command_and_a_screenshot() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("check --format html"));
    for line in readme.lines().filter(|l| l.contains("](docs/") && l.contains(".png)")) {
        let path = line.split("](").nth(1).and_then(|s| s.split(')').next()).unwrap();
        assert!(Path::new(path).is_file(), "{path}");
    }
    assert!(readme.contains("](docs/shinsa-chosho"), "a screenshot");
}

#[test]
fn what_would_change_the_result_is_a_table_for_a_decision_that_did_not_pass() {
    let book = book();
    let d = decide(&book, "fixtures/application/half-3of5-fail.json");
    let page = html(&d, Lang::Ja, false);
    assert_well_formed(&page, "half-3of5-fail");
    assert!(page.contains("結果を変えるには（ルールから求めた変更の候補）"));
    assert!(page.contains(
        "<tr><td class=\"status\"><span class=\"kind\">変更</span></td><td class=\"item\"><span class=\"title\">国の制度に参加する市町村（２分の１）</span><span class=\"id\">applicant.half_exclusion</span></td><td>適合するためには：定住自立圏又は連携中枢都市圏の取組を行っている市町村の数：現在 3、2.5 以下（1 減らす）</td></tr>"
    ));
    // --explain shows the condition each change is read from.
    let explained = html(&d, Lang::Ja, true);
    assert!(
        explained.contains("<code class=\"formula\">"),
        "conditions under --explain"
    );
    let md = markdown(&d, Lang::Ja, false);
    assert!(md.contains(
        "- **[変更]** **国の制度に参加する市町村（２分の１）**（`applicant.half_exclusion`） — 適合するためには："
    ));
    // A plain pass has nothing to change: no such section.
    let pass = html(
        &decide(&book, "fixtures/application/minamisorachi-r6.json"),
        Lang::Ja,
        false,
    );
    assert!(!pass.contains("結果を変えるには"));
}
