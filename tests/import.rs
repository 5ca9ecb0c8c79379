//! Spreadsheet intake: `grant-rules template` → a workbook an officer fills
//! in → `grant-rules import` → the same decision as the JSON it stands for;
//! a wrong cell reported at its cell (`経費!D3`) in Japanese and English,
//! every one in one pass; 千円 and number cells; the CSV form; the public
//! function `grant-rules review` reads workbooks through; hostile files.
//!
//! The workbooks under `fixtures/import/` are written by [`officer`] below,
//! and `tests/inputs/import/errors.xlsx` by [`errors_workbook`] (`cargo test --test
//! import -- --ignored write_fixtures`); `officer-libreoffice.xlsx` is
//! `officer.xlsx` opened and saved again by LibreOffice Calc, a file from
//! another writer. The broken workbook and the hand-written `errors.csv`
//! live under `tests/inputs/`, not `fixtures/`: they are not documents to
//! decide, and `review fixtures/` or `diff … fixtures/` should decide all.

mod common;

use common::run;

use std::path::Path;
use std::sync::OnceLock;

use grant_rules::import::{self, CellError, SheetFormat};
use grant_rules::rules::RuleBook;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use sha2::Digest;

fn book() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| grant_rules::rules::embedded().unwrap_or_else(|e| panic!("{}", e.render())))
}

/// A decision as JSON, without the hash of its input (the JSON an import
/// writes is not the bytes of the fixture it stands for).
fn decision(json: &[u8]) -> serde_json::Value {
    let (_, d) = grant_rules::engine::decide(book(), json).unwrap_or_else(|(p, e)| panic!("{}", e.render(p, false)));
    let mut v = serde_json::to_value(&d).unwrap();
    v.as_object_mut().unwrap().remove("input_sha256");
    v
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn imported(bytes: &[u8], format: SheetFormat) -> Vec<u8> {
    match import::document_from_bytes(book(), bytes, format) {
        Ok(i) => i.json,
        Err(e) => panic!("{}", e.render(false)),
    }
}

fn errors(bytes: &[u8], format: SheetFormat) -> Vec<CellError> {
    match import::document_from_bytes(book(), bytes, format) {
        Ok(i) => panic!("imported without errors:\n{}", String::from_utf8_lossy(&i.json)),
        Err(e) => e.0,
    }
}

/// A cell of a workbook written for a test.
#[derive(Clone, Copy)]
enum V {
    /// Text.
    S(&'static str),
    /// A number.
    N(f64),
    /// A date cell.
    D(u16, u8, u8),
    /// A formula whose result is an error (`#REF!`).
    E(&'static str),
    /// Nothing.
    B,
}
use V::*;

/// A workbook of sheets, each its rows from row 1; merged ranges of a
/// sheet as (sheet, first row, col, last row, col), from 0.
fn workbook(sheets: &[(&str, Vec<Vec<V>>)], merges: &[(&str, u32, u16, u32, u16, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match *v {
                    S(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    N(n) => {
                        ws.write_number(r, c, n).unwrap();
                    }
                    D(y, m, d) => {
                        ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date)
                            .unwrap();
                    }
                    E(e) => {
                        ws.write_formula(r, c, Formula::new("=#REF!+1").set_result(e)).unwrap();
                    }
                    B => {}
                }
            }
        }
        for (sheet, r0, c0, r1, c1, text) in merges {
            if sheet == name {
                ws.merge_range(*r0, *c0, *r1, *c1, text, &Format::new()).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The README's example application, as an officer might fill the workbook
/// in: item labels in other words (地域の名称), no header row on the region
/// sheet, a date cell and 和暦 text, policy fields two in one cell and one
/// in a row of its own, ○／× flags, amounts in a 千円 column as number
/// cells and as text with its own unit, the budget's 節 names (講師謝金,
/// 印刷製本費, 職員旅費), the project's name in merged cells.
fn officer() -> Vec<u8> {
    officer_with("いいえ", None)
}

/// The officer's workbook with the staff travel claimed indispensable or
/// not, and a reviewer's 審査記録 sheet when given.
fn officer_with(indispensable: &'static str, judged: Option<Vec<Vec<V>>>) -> Vec<u8> {
    let mut sheets = vec![
        (
            "地域",
            vec![
                vec![S("年度"), S("令和6年度")],
                vec![S("地域の名称"), S("岩見沢・美唄連携地域")],
                vec![S("代表市町村"), S("岩見沢市")],
                vec![S("協定の締結日"), D(2020, 10, 9)],
                vec![S("ビジョンの策定日"), S("R2.10.23")],
                vec![S("ビジョンの期間"), S("5年"), S("（説明は読みません）")],
                vec![S("政策分野"), S("防災、地域公共交通")],
                vec![S("政策分野"), S("産業振興")],
                vec![S("初年度"), S("令和2年度")],
                vec![S("消費税等仕入控除税額"), N(0.0)],
                vec![S("予算配分額")],
                vec![],
                vec![S("構成市町村"), S("定住自立圏"), S("連携中枢都市圏")],
                vec![S("岩見沢市"), S("×"), S("○")],
                vec![S("美唄市"), S("いいえ"), S("いいえ")],
            ],
        ),
        (
            "事業",
            vec![
                vec![
                    S("事業名"),
                    S("前進プラン"),
                    S("ビジョン"),
                    S("種類"),
                    S("連携"),
                    S("除外事由"),
                ],
                vec![
                    S("地域防災体制の充実"),
                    S("掲載済み"),
                    S("掲載済"),
                    S("ソフト"),
                    S("○"),
                    S("なし"),
                ],
            ],
        ),
        (
            "経費",
            vec![
                vec![
                    S("事業名"),
                    S("内容"),
                    S("節"),
                    S("金額（千円）"),
                    S("臨時職員"),
                    S("必要不可欠"),
                    S("備考"),
                ],
                vec![B, S("合同研修会 講師謝礼"), S("講師謝金"), N(250.0)],
                vec![B, S("防災マップ 印刷"), S("印刷製本費"), S("1,200,000円")],
                vec![B, S("職員旅費"), S("職員旅費"), N(50.0), B, S(indispensable), S("視察")],
            ],
        ),
    ];
    if let Some(rows) = judged {
        sheets.push(("審査記録", rows));
    }
    workbook(&sheets, &[("経費", 1, 0, 3, 0, "地域防災体制の充実")])
}

/// The officer's workbook with ten wrong cells.
fn errors_workbook() -> Vec<u8> {
    workbook(
        &[
            (
                "地域",
                vec![
                    vec![S("項目"), S("内容"), S("説明")],
                    vec![S("年度"), S("令和6年度")],
                    vec![S("名称"), S("岩見沢・美唄連携地域")],
                    vec![S("代表市町村"), S("岩見沢市")],
                    vec![S("協定の締結日"), S("令和2年10月9日")],
                    vec![S("ビジョンの策定日"), S("令和2年10月23日")],
                    vec![S("ビジョンの期間"), S("5ヶ月")],
                    vec![S("政策分野"), S("防災、地域公共交通")],
                    vec![S("消費税等仕入控除税額"), N(0.0)],
                    vec![],
                    vec![S("構成市町村"), S("定住自立圏"), S("連携中枢都市圏")],
                    vec![S("岩見沢市"), S("いいえ"), S("はい")],
                    vec![S("美唄区"), S("いいえ"), S("いいえ")],
                ],
            ),
            (
                "事業",
                vec![
                    vec![
                        S("事業名"),
                        S("前進プラン"),
                        S("ビジョン"),
                        S("ソフト/ハード"),
                        S("連携"),
                        S("除外事由"),
                    ],
                    vec![
                        S("地域防災体制の充実"),
                        S("掲載済み"),
                        S("掲載済み"),
                        S("ソフト事業"),
                        S("たぶん"),
                        S("なし"),
                    ],
                ],
            ),
            (
                "経費",
                vec![
                    vec![S("事業名"), S("内容"), S("予算科目（節・細節）"), S("金額（円）")],
                    vec![
                        S("地域防災体制の充実"),
                        S("合同研修会 講師謝礼"),
                        S("旅費"),
                        N(250000.0),
                    ],
                    vec![S("地域防災体制の充実"), S("防災マップ 印刷"), S("雑費"), S("12OO円")],
                    vec![S("地域防災体制の充実"), S("職員旅費"), S("職員旅費"), D(2024, 6, 1)],
                    vec![S("防災マップ事業"), S("防災マップ 配布"), S("役務費"), N(100000.0)],
                    vec![S("地域防災体制の充実"), S("資機材"), S("備品購入費"), E("#REF!")],
                    vec![S("地域防災体制の充実"), B, S("委託料"), N(100000.0)],
                ],
            ),
        ],
        &[],
    )
}

#[test]
#[ignore = "writes the workbooks under fixtures/import/"]
fn write_fixtures() {
    std::fs::write("fixtures/import/officer.xlsx", officer()).unwrap();
    std::fs::write("tests/inputs/import/errors.xlsx", errors_workbook()).unwrap();
    let plan = import::template(book(), SheetFormat::Xlsx, None).unwrap();
    std::fs::write("fixtures/import/plan.xlsx", plan).unwrap();
}

#[test]
fn the_template_is_the_bundled_application_and_decides_as_it() {
    let want = decision(&fixture("fixtures/application/minamisorachi-r6.json"));
    for format in [SheetFormat::Xlsx, SheetFormat::Csv] {
        let sheet = import::template(book(), format, None).unwrap();
        let json = imported(&sheet, format);
        assert_eq!(decision(&json), want, "{format:?}");
    }
    // The committed workbook is the template's.
    let json = imported(&fixture("fixtures/import/plan.xlsx"), SheetFormat::Xlsx);
    assert_eq!(decision(&json), want);
    assert_eq!(want["outcome"], "eligible");
    assert_eq!(want["grant_amount"], 10_000_000);
}

/// Every application fixture goes through the workbook and through the
/// CSV (`template --from`, then `import`) and is decided exactly as the
/// fixture: outcome, amounts, every rule's status and reason, missing facts
/// by path — reviewers' determinations (the 審査記録 sheet, a CSV's
/// [審査記録] section) and notes on a project (the 審査担当者の指摘 column)
/// included.
#[test]
fn every_application_fixture_round_trips_through_the_workbook_and_the_csv() {
    let mut files: Vec<_> = std::fs::read_dir("fixtures/application")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut round_tripped, mut judged, mut flagged) = (0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let flags = doc["projects"].as_array().into_iter().flatten().any(|p| {
            p.get("reviewer_flags")
                .is_some_and(|f| f.as_array().is_some_and(|a| !a.is_empty()))
        });
        let determinations = doc
            .get("determinations")
            .is_some_and(|d| d.as_array().is_some_and(|a| !a.is_empty()));
        let Ok((_, _)) = grant_rules::engine::decide(book(), &bytes) else {
            continue;
        };
        let want = decision(&bytes);
        for format in [SheetFormat::Xlsx, SheetFormat::Csv] {
            let sheet = import::template(book(), format, Some(&bytes))
                .unwrap_or_else(|e| panic!("{}: {}", file.display(), e.render(false)));
            let json = imported(&sheet, format);
            assert_eq!(decision(&json), want, "{} through {format:?}", file.display());
            round_tripped += 1;
            judged += usize::from(determinations);
            flagged += usize::from(flags);
        }
    }
    assert!(round_tripped >= 120, "{round_tripped} round trips");
    assert!(judged >= 10, "{judged} with determinations");
    assert!(flagged >= 2, "{flagged} with a reviewer's notes");
}

#[test]
fn a_workbook_an_officer_filled_in_is_decided_as_its_json() {
    let want = decision(&fixture("fixtures/import/officer.json"));
    assert_eq!(want["outcome"], "eligible");
    assert_eq!(want["grant_amount"], 1_400_000);
    assert_eq!(want["eligible_expenses"], 1_450_000);
    let json = imported(&officer(), SheetFormat::Xlsx);
    assert_eq!(decision(&json), want);
    // The document keeps what the cells say: 節 names, 千円, 和暦, ○.
    let text = String::from_utf8(json).unwrap();
    for kept in [
        "\"category\": \"講師謝金\"",
        "\"amount\": \"250千円\"",
        "\"amount\": \"1,200,000円\"",
        "\"amount\": \"50千円\"",
        "\"agreement_date\": \"2020-10-09\"",
        "\"vision_date\": \"R2.10.23\"",
        "\"central_urban_area\": \"○\"",
        "\"exclusions\": []",
    ] {
        assert!(text.contains(kept), "{kept} in\n{text}");
    }
    // The files: as the test writes it, as LibreOffice saves it again, as CSV.
    for (file, format) in [
        ("fixtures/import/officer.xlsx", SheetFormat::Xlsx),
        ("fixtures/import/officer-libreoffice.xlsx", SheetFormat::Xlsx),
        ("fixtures/import/officer.csv", SheetFormat::Csv),
    ] {
        assert_eq!(decision(&imported(&fixture(file), format)), want, "{file}");
    }
}

#[test]
fn a_csv_saved_by_excel_on_japanese_windows_is_shift_jis() {
    let text = String::from_utf8(fixture("fixtures/import/officer.csv")).unwrap();
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text.trim_start_matches('\u{feff}'));
    assert!(!unmappable);
    let want = decision(&fixture("fixtures/import/officer.json"));
    assert_eq!(decision(&imported(&sjis, SheetFormat::Csv)), want);
}

fn at(errors: &[CellError]) -> Vec<&str> {
    errors.iter().map(|e| e.place.as_str()).collect()
}

/// Ten wrong cells, each reported at its cell with what is wrong and
/// what to write, in Japanese and English, all in one pass, in the order of
/// the sheets: what the importer sees (a formula's error, a date in an
/// amount, a line of a project the projects sheet lacks) and what the
/// reader finds in the document afterwards, traced back to its cell.
#[test]
fn wrong_cells_are_reported_at_their_cells_in_one_pass() {
    let found = errors(&errors_workbook(), SheetFormat::Xlsx);
    let text: String = found
        .iter()
        .map(|e| format!("{}\n{}\n", e.render(true), e.render(false)))
        .collect();
    assert_eq!(
        at(&found),
        [
            "地域!B7",
            "地域!A13",
            "事業!E2",
            "経費!C2",
            "経費!C3",
            "経費!D3",
            "経費!D4",
            "経費!A5",
            "経費!D6",
            "経費!B7"
        ],
        "{text}"
    );
    let expect = |place: &str, ja: &str, en: &str| {
        let e = found.iter().find(|e| e.place == place).unwrap();
        assert!(e.ja.contains(ja), "{place}: {}", e.ja);
        assert!(e.en.contains(en), "{place}: {}", e.en);
    };
    expect("地域!B7", "「5ヶ月」", "\"5ヶ月\"");
    expect("地域!A13", "「美唄区」は北海道の市町村にありません", "美唄区");
    expect(
        "事業!E2",
        "「たぶん」は「はい／いいえ」として読めません",
        "not yes or no",
    );
    expect(
        "経費!C2",
        "「旅費」は「旅費（講師・委員等）」か「職員の旅費」か書き分けてください",
        "旅費",
    );
    expect("経費!C3", "「雑費」", "\"雑費\"");
    expect("経費!D3", "12OO円", "12OO円");
    expect(
        "経費!D4",
        "セルが日付（2024-06-01）になっています",
        "the cell is a date (2024-06-01)",
    );
    expect(
        "経費!A5",
        "事業名「防災マップ事業」は「事業」シートにありません",
        "no project \"防災マップ事業\"",
    );
    expect("経費!D6", "エラー（#REF!）", "#REF!");
    expect("経費!B7", "「内容」が空欄です", "内容 is blank");
    // What the reader found keeps its JSON path; what the importer found has none.
    let path = |place: &str| found.iter().find(|e| e.place == place).unwrap().path.clone();
    assert_eq!(path("経費!D3"), "projects[0].expenses[1].amount");
    assert_eq!(path("経費!D4"), "");
    // The committed fixture is this workbook.
    assert_eq!(
        errors(&fixture("tests/inputs/import/errors.xlsx"), SheetFormat::Xlsx),
        found
    );
}

/// A path a message names is rewritten into its place: the representative
/// must be one of `region.members.name`, which is the members' column.
#[test]
fn paths_in_the_readers_messages_become_places() {
    let wb = workbook(
        &[
            (
                "地域",
                vec![
                    vec![S("年度"), S("R6")],
                    vec![S("名称"), S("x")],
                    vec![S("代表市町村"), S("札幌市")],
                    vec![S("構成市町村")],
                    vec![S("岩見沢市")],
                    vec![S("美唄市")],
                    vec![S("美唄市")],
                ],
            ),
            ("事業", vec![vec![S("事業名")], vec![S("a")]]),
            ("経費", vec![vec![S("事業名"), S("内容"), S("予算科目"), S("金額")]]),
        ],
        &[],
    );
    let found = errors(&wb, SheetFormat::Xlsx);
    let text: String = found.iter().map(|e| e.render(true) + "\n").collect();
    assert!(
        text.contains("地域!B3: 「札幌市」が 地域!A5:A7 に含まれていません"),
        "{text}"
    );
    assert!(
        text.contains("地域!A7: 「美唄市」が重複しています（地域!A6 と同じ）"),
        "{text}"
    );
}

#[test]
fn amounts_in_yen_and_in_thousand_yen() {
    let wb = |header: &'static str, amount: V| {
        workbook(
            &[
                (
                    "地域",
                    vec![
                        vec![S("年度"), S("R6")],
                        vec![S("名称"), S("x")],
                        vec![S("代表市町村"), S("岩見沢市")],
                        vec![S("構成市町村")],
                        vec![S("岩見沢市")],
                    ],
                ),
                ("事業", vec![vec![S("事業名")], vec![S("a")]]),
                (
                    "経費",
                    vec![
                        vec![S("事業名"), S("内容"), S("予算科目"), S(header)],
                        vec![S("a"), S("b"), S("委託料"), amount],
                    ],
                ),
            ],
            &[],
        )
    };
    let amount = |header, v| {
        let json = imported(&wb(header, v), SheetFormat::Xlsx);
        let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
        doc["projects"][0]["expenses"][0]["amount"].clone()
    };
    assert_eq!(amount("金額（円）", N(1_200_000.0)), serde_json::json!(1_200_000));
    assert_eq!(amount("金額", S("１２００千円")), serde_json::json!("１２００千円"));
    assert_eq!(amount("金額（千円）", N(1200.0)), serde_json::json!("1200千円"));
    assert_eq!(amount("金額（千円）", N(1.5)), serde_json::json!("1.5千円"));
    assert_eq!(amount("金額（千円）", S("1,200")), serde_json::json!("1,200千円"));
    assert_eq!(amount("金額（千円）", S("120万円")), serde_json::json!("120万円"));
    // A fraction of a yen, in either unit, is the reader's error at the cell.
    for (header, v) in [("金額（千円）", N(0.0005)), ("金額（円）", N(1200.5))] {
        let found = errors(&wb(header, v), SheetFormat::Xlsx);
        assert_eq!(at(&found), ["経費!D2"], "{found:?}");
        assert!(found[0].en.contains("fraction of a yen"), "{}", found[0].en);
    }
}

#[test]
fn csv_errors_name_the_cell_a_spreadsheet_shows() {
    let text = fixture("tests/inputs/import/errors.csv");
    let found = errors(&text, SheetFormat::Csv);
    let shown: String = found.iter().map(|e| e.render(true) + "\n").collect();
    assert_eq!(at(&found), ["地域!B8", "経費!C23", "経費!D23"], "{shown}");
    assert!(found[1].ja.contains("「雑費」"), "{shown}");
    assert!(found[2].ja.contains("12OO円"), "{shown}");
}

/// What `grant-rules review` calls: a workbook or CSV file to its JSON
/// document, with where each path was written.
#[test]
fn review_reads_a_workbook_through_document_from_path() {
    let want = decision(&fixture("fixtures/import/officer.json"));
    for file in ["fixtures/import/officer.xlsx", "fixtures/import/officer.csv"] {
        let imported = import::document_from_path(book(), Path::new(file)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decision(&imported.json), want, "{file}");
        let place = |p: &str| imported.place(p).unwrap_or_default();
        if file.ends_with("xlsx") {
            assert_eq!(place("projects[0].expenses[1].amount"), "経費!D3");
            assert_eq!(place("projects[0].expenses[1]"), "経費!A3:G3");
            assert_eq!(place("region.members[1].settlement_zone"), "地域!B15");
            assert_eq!(place("region.policy_fields[2]"), "地域!B8");
            assert_eq!(place("projects[0]"), "事業!A2:F2");
        }
    }
    let e = import::document_from_path(book(), Path::new("tests/inputs/import/errors.xlsx")).unwrap_err();
    assert_eq!(e.0.len(), 10);
    assert!(import::document_from_path(book(), Path::new("fixtures/import/officer.json")).is_err());
    assert!(import::is_spreadsheet(Path::new("plan.XLSX")));
}

/// Files that are not workbooks, or that would take gigabytes to open,
/// are refused with an error that says what to do.
#[test]
fn hostile_workbooks_are_refused_with_an_error() {
    let err = |bytes: &[u8]| {
        let e = errors(bytes, SheetFormat::Xlsx);
        e.iter().map(|e| e.render(false)).collect::<Vec<_>>().join("\n")
    };
    assert!(err(b"not a zip").contains("not an Excel workbook"));
    assert!(err(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]).contains(".xls"));
    // A shared-string table that declares a trillion strings (calamine
    // would reserve memory for them all).
    let plan = fixture("fixtures/import/plan.xlsx");
    let bomb = rezip(&plan, |name, data| {
        if name.ends_with("sharedStrings.xml") {
            let text = String::from_utf8(data).unwrap();
            let at = text.find("uniqueCount=\"").unwrap() + 13;
            let end = at + text[at..].find('"').unwrap();
            format!("{}999999999999{}", &text[..at], &text[end..]).into_bytes()
        } else {
            data
        }
    });
    assert!(
        err(&bomb).contains("shared-string table of 999999999999 strings"),
        "{}",
        err(&bomb)
    );
    // A sheet that unpacks to more than the limit (highly compressible).
    let big = rezip(&plan, |name, data| {
        if name.ends_with("sheet2.xml") {
            let mut d = data;
            d.extend(std::iter::repeat_n(b' ', 70 * 1024 * 1024));
            d
        } else {
            data
        }
    });
    assert!(big.len() < 1024 * 1024, "{}", big.len());
    assert!(err(&big).contains("too large"), "{}", err(&big));
}

/// The workbook's entries, each rewritten by `f`.
fn rezip(xlsx: &[u8], f: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.start_file(&name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&f(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn the_command_line_writes_the_template_and_imports_it() {
    let dir = std::env::temp_dir().join(format!("grant-rules-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = dir.join("plan.xlsx");
    let json = dir.join("plan.json");
    let o = run(&["template", "--out", plan.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Standard output is a pipe here: the workbook is written to it.
    let piped = run(&["template"]);
    assert!(piped.status.success());
    assert!(piped.stdout.starts_with(b"PK"));
    let o = run(&["import", plan.to_str().unwrap(), "--out", json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want = decision(&fixture("fixtures/application/minamisorachi-r6.json"));
    assert_eq!(decision(&std::fs::read(&json).unwrap()), want);
    // check reads a workbook as it reads JSON.
    let o = run(&["check", plan.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("交付額： 10,000,000円"));
    // The CSV form, by --out's extension.
    let csv = dir.join("plan.csv");
    assert!(run(&["template", "--out", csv.to_str().unwrap()]).status.success());
    let o = run(&["import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(decision(&o.stdout), want);
    // Errors: each on its line, prefixed by the file, exit 2.
    let o = run(&["import", "tests/inputs/import/errors.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 10, "{err}");
    assert!(
        err.lines()
            .all(|l| l.starts_with("tests/inputs/import/errors.xlsx: ") && l.contains('!')),
        "{err}"
    );
    let o = run(&["import", "--lang", "en", "tests/inputs/import/errors.xlsx"]);
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("経費!D4: the cell is a date (2024-06-01)")
    );
    let o = run(&["check", "tests/inputs/import/errors.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

/// The coded columns offer their lists in Excel: the 経費区分 column's
/// validation reads the hidden リスト sheet, whose column holds the 15
/// categories of 実施要綱 第5 in the rules' order (a 節 name is still
/// accepted: the validation only warns).
#[test]
fn the_template_offers_lists_for_the_coded_columns() {
    use calamine::{Reader, Xlsx};
    use std::io::{Cursor, Read};
    let bytes = import::template(book(), SheetFormat::Xlsx, None).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    assert!(workbook.contains(r#"<sheet name="経費" sheetId="4" r:id="rId4"/>"#));
    assert!(workbook.contains(r#"<sheet name="審査記録" sheetId="5" r:id="rId5"/>"#));
    assert!(workbook.contains(r#"<sheet name="リスト" sheetId="6" state="hidden""#));
    let mut expenses = String::new();
    zip.by_name("xl/worksheets/sheet4.xml")
        .unwrap()
        .read_to_string(&mut expenses)
        .unwrap();
    assert!(
        expenses.contains(r#"errorStyle="warning""#),
        "warn, never refuse a 節 name"
    );
    assert!(expenses.contains(r#"sqref="C2:C401"><formula1>'リスト'!$G$2:$G$16</formula1>"#));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let lists = wb.worksheet_range("リスト").unwrap();
    let column: Vec<String> = (1..=15)
        .map(|row| lists.get_value((row, 6)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(column.first().map(String::as_str), Some("委託料"));
    assert!(column.contains(&"職員の旅費".to_string()));
    assert_eq!(column.last().map(String::as_str), Some("不動産取得費・補償費"));
    assert_eq!(lists.get_value((16, 6)).map(|d| d.to_string()).unwrap_or_default(), "");
}

/// `review` takes workbooks and CSV from a folder as it takes JSON: each
/// decided, an entity named by the cells it was written in; a broken
/// workbook is a row with each wrong cell, the others still decided; Excel's
/// lock file beside an open workbook is not a document.
#[test]
fn review_decides_the_workbooks_of_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(from, dir.path().join(to)).unwrap();
    copy("fixtures/import/officer.xlsx", "岩見沢.xlsx");
    copy("fixtures/import/officer.csv", "岩見沢.csv");
    copy("tests/inputs/import/errors.xlsx", "broken.xlsx");
    std::fs::write(dir.path().join("~$岩見沢.xlsx"), b"owner").unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(&["review", d]);
    assert_eq!(o.status.code(), Some(2), "a file was not decided");
    let out = String::from_utf8(o.stdout).unwrap();
    let line = |file: &str| {
        let name = format!("{d}/{file}");
        out.lines()
            .find(|l| l.starts_with(&name))
            .unwrap_or_else(|| panic!("{file}: {out}"))
            .to_string()
    };
    assert!(line("岩見沢.xlsx").contains("交付対象  1,400,000円"), "{out}");
    assert!(line("岩見沢.csv").contains("交付対象  1,400,000円"), "{out}");
    assert!(line("broken.xlsx").contains("エラー"), "{out}");
    assert!(
        out.contains("    不適合 expense.eligible 対象外経費（第5） — 経費!A4:G4\n"),
        "{out}"
    );
    assert!(
        out.contains("    不適合 expense.eligible 対象外経費（第5） — 経費!A24:G24\n"),
        "{out}"
    );
    assert!(
        out.contains("    経費!D6: セルがエラー（#REF!）になっています。"),
        "{out}"
    );
    assert!(!out.contains("~$"), "{out}");
    assert!(out.contains("計 3 件：判断 2 件、エラー 1 件\n"), "{out}");

    // --out keeps each workbook's document as it was read, beside its
    // decision: the JSON `import` gives.
    let out = tempfile::tempdir().unwrap();
    let o = run(&["review", "--out", out.path().to_str().unwrap(), d]);
    assert_eq!(o.status.code(), Some(2));
    let stem = grant_rules::review::out_stem(&dir.path().join("岩見沢.xlsx"));
    let kept = std::fs::read(out.path().join(format!("{}.document.json", stem.display()))).unwrap();
    let o = run(&["import", &format!("{d}/岩見沢.xlsx")]);
    assert_eq!(kept, o.stdout);
    assert!(out.path().join(format!("{}.decision.json", stem.display())).is_file());
    // As data: the cells beside the JSON paths.
    let o = run(&["review", "--format", "json", d]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let broken = &v[format!("{d}/broken.xlsx")]["error"];
    assert_eq!(broken["kind"], "input");
    assert_eq!(broken["errors"][0]["path"], "地域!B7");
}

/// A fact left blank in a workbook is asked at its cell: the report, the
/// 審査調書 and the decision JSON (`missing_details[].cell`) name 地域!B16
/// beside the JSON path.
#[test]
fn missing_facts_of_a_workbook_are_asked_at_their_cells() {
    let csv = String::from_utf8(fixture("fixtures/import/officer.csv")).unwrap();
    assert!(csv.contains("\n美唄市,いいえ,いいえ,\n"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blank.csv");
    std::fs::write(&file, csv.replace("\n美唄市,いいえ,いいえ,\n", "\n美唄市,,,\n")).unwrap();
    let f = file.to_str().unwrap();
    let o = run(&["check", f]);
    assert_eq!(o.status.code(), Some(0), "incomplete is a decision");
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("結果： 情報不足"), "{text}");
    assert!(
        text.contains("  - 地域!B16（region.members[1].settlement_zone） — 美唄市：定住自立圏の取組を行っているか\n"),
        "{text}"
    );
    assert!(text.contains(
        "  - 地域!C16（region.members[1].central_urban_area） — 美唄市：連携中枢都市圏の取組を行っているか\n"
    ));
    assert!(
        text.contains("  - [記入] 地域!B16（region.members[1].settlement_zone） を記入する（美唄市：定住自立圏の取組を行っているか）\n"),
        "{text}"
    );
    let o = run(&["check", "--format", "json", f]);
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["missing_details"][0]["path"], "region.members[1].settlement_zone");
    assert_eq!(d["missing_details"][0]["cell"], "地域!B16");
    // The file submitted, by its digest, beside the document it was read
    // into.
    let bytes = std::fs::read(&file).unwrap();
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(d["workbook_sha256"], digest.as_str());
    assert_ne!(d["input_sha256"], digest.as_str());
    let o = run(&["check", "--format", "html", f]);
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.contains(
            "<td><span class=\"cell\">地域!B16</span><br><code>region.members[1].settlement_zone</code></td>"
        )
    );
    // Each listed entity says where it was written.
    assert_eq!(d["projects"][0]["cell"], "事業!A19:G19");
    assert_eq!(d["projects"][0]["expenses"][2]["cell"], "経費!A24:G24");
    let o = run(&["check", f]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("  事業「地域防災体制の充実」［要綱上の対象］ @ 事業!A19:G19\n"),
        "{text}"
    );
    assert!(
        text.contains("（事業の一環として必要不可欠とは申し出られていません） @ 経費!A24:G24\n"),
        "{text}"
    );
    // A JSON document has no cells: the key is left out.
    let o = run(&[
        "check",
        "--format",
        "json",
        "fixtures/application/flag-missing-matters.json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(d["missing_details"][0].get("cell").is_none());
    assert!(d["projects"][0].get("cell").is_none());
}

/// The reviewer closes a workbook's open points in its 審査記録 sheet: the
/// checklist says which row to add, 対象 names the entity by its row
/// (`経費!A24:G24`, or just `経費!24`), and the same rules decide again. A
/// row that names nothing is an error at its cell.
#[test]
fn a_reviewer_records_determinations_in_the_workbook() {
    let csv = String::from_utf8(fixture("fixtures/import/officer.csv")).unwrap();
    let claimed = csv.replace(
        "\n,職員旅費,職員の旅費,50000,,,\n",
        "\n,職員旅費,職員の旅費,50000,,はい,\n",
    );
    assert_ne!(claimed, csv, "the staff travel is claimed indispensable");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let open = write("open.csv", &claimed);
    let o = run(&["check", &open]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("結果： 要審査"), "{text}");
    assert!(
        text.contains("      判断の記録： 「審査記録」シートに1行：規定 expense.eligible／対象 経費!A24:G24／判断 認める・認めない／判断者／判断日／理由\n"),
        "{text}"
    );
    let sheet = "[審査記録]\n規定,対象,判断,判断者,判断日,理由\n";
    for target in ["経費!A24:G24", "経費!24", "projects[0].expenses[2]"] {
        let judged = write(
            "judged.csv",
            &format!(
                "{claimed}{sheet}expense.eligible,{target},認める,空知総合振興局 地域政策課,2024-06-20,合同研修の引率に必要不可欠\n"
            ),
        );
        let o = run(&["check", "--format", "json", &judged]);
        let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(d["outcome"], "eligible", "{target}");
        assert_eq!(
            d["grant_amount"], 1_500_000,
            "{target}: 250,000 + 1,200,000 + 50,000 counted"
        );
    }
    let wrong = write(
        "wrong.csv",
        &format!("{claimed}{sheet}expense.eligible,経費!A30,認める,空知総合振興局,2024-06-20,\n"),
    );
    let o = run(&["check", &wrong]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(
            "審査記録!B27: 「経費!A30」の行には事業・経費・構成市町村のいずれも書かれていません。読み込まれる行を指定してください"
        ),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The same in a workbook: the reviewer's 審査記録 sheet names the line by
/// its row (経費!A4, as the checklist gives it), the date a date cell.
#[test]
fn a_reviewer_records_determinations_in_an_excel_workbook() {
    let open = imported(&officer_with("はい", None), SheetFormat::Xlsx);
    let d = decision(&open);
    assert_eq!(d["outcome"], "needs_review");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.xlsx");
    std::fs::write(&path, officer_with("はい", None)).unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(
            "判断の記録： 「審査記録」シートに1行：規定 expense.eligible／対象 経費!A4:G4／判断 認める・認めない"
        ),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let judged = officer_with(
        "はい",
        Some(vec![
            vec![S("規定"), S("対象"), S("判断"), S("判断者"), S("判断日"), S("理由")],
            vec![
                S("expense.eligible"),
                S("経費!A4"),
                S("認めない"),
                S("空知総合振興局 地域政策課"),
                D(2024, 6, 20),
                S("視察は事業に必要不可欠とは認められない"),
            ],
        ]),
    );
    let d = decision(&imported(&judged, SheetFormat::Xlsx));
    assert_eq!(d["outcome"], "eligible");
    assert_eq!(
        d["grant_amount"], 1_400_000,
        "the travel rejected: 250,000 + 1,200,000, floored"
    );
}

/// A reviewer raises a concern (第4 2 (6) / 第5 8) in the 事業 sheet's
/// 審査担当者の指摘 column: a note is free text, one a line — 「、」 and "/"
/// inside it do not split it — and the project goes to review.
#[test]
fn a_reviewer_raises_a_concern_in_the_projects_sheet() {
    let csv = String::from_utf8(fixture("fixtures/import/officer.csv")).unwrap();
    let head = "事業名,前進プラン,ビジョン,ソフト/ハード,連携,除外事由,備考\n地域防災体制の充実,掲載済み,掲載済み,ソフト,はい,なし,\n";
    assert!(csv.contains(head));
    let flagged = csv.replace(
        head,
        "事業名,前進プラン,ビジョン,ソフト/ハード,連携,除外事由,審査担当者の指摘,備考\n地域防災体制の充実,掲載済み,掲載済み,ソフト,はい,なし,\"第4 2 (6)/第5 8: 防災テントの購入先が一社に限られ、見積りを確認\n講師謝礼の単価を確認\",\n",
    );
    let json = imported(flagged.as_bytes(), SheetFormat::Csv);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        doc["projects"][0]["reviewer_flags"],
        serde_json::json!([
            "第4 2 (6)/第5 8: 防災テントの購入先が一社に限られ、見積りを確認",
            "講師謝礼の単価を確認"
        ])
    );
    let d = decision(&json);
    assert_eq!(d["outcome"], "needs_review");
    let rules = d["projects"][0]["rules"].as_array().unwrap();
    let inappropriate = rules.iter().find(|r| r["id"] == "project.inappropriate").unwrap();
    assert_eq!(inappropriate["status"], "review");
}

/// template → fill → import → decision: the template as Excel gives it,
/// read back cell by cell and filled in as an officer would (the 防災テント
/// line cut from 4,050,000 to 50,000円), written again and imported. The
/// eligible expenses fall by 4,000,000 to 6,450,000円, under the cap, and
/// the grant is 6,400,000円 (rounded down to 100,000円, 実施要綱 第6).
#[test]
fn the_template_filled_in_is_decided_as_filled() {
    use calamine::{Data, Reader, Xlsx};
    let template = import::template(book(), SheetFormat::Xlsx, None).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(template)).unwrap();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut sheets = Vec::new();
    for name in ["地域", "事業", "経費", "審査記録"] {
        let range = wb.worksheet_range(name).unwrap();
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<V>> = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells: Vec<V> = vec![B; left as usize];
            for cell in row {
                cells.push(match cell {
                    Data::String(s) => S(leak(s.clone())),
                    Data::Float(f) => N(*f),
                    Data::Int(i) => N(*i as f64),
                    Data::DateTime(d) => {
                        // Excel's serial day, counted from 1899-12-30.
                        let day = jiff::civil::date(1899, 12, 30)
                            .checked_add(jiff::Span::new().days(d.as_f64() as i64))
                            .unwrap();
                        D(day.year() as u16, day.month() as u8, day.day() as u8)
                    }
                    _ => B,
                });
            }
            rows.push(cells);
        }
        sheets.push((name, rows));
    }
    let expenses = &mut sheets[2].1;
    let line = expenses
        .iter_mut()
        .find(|r| r.iter().any(|c| matches!(c, S(s) if s.contains("防災テント"))))
        .expect("the tent line");
    let amount = line
        .iter_mut()
        .find(|c| matches!(c, N(n) if *n == 4_050_000.0))
        .expect("its amount");
    *amount = N(50_000.0);
    let filled = workbook(&sheets, &[]);
    let d = decision(&imported(&filled, SheetFormat::Xlsx));
    assert_eq!(d["outcome"], "eligible");
    assert_eq!(d["eligible_expenses"], 6_450_000);
    assert_eq!(d["grant_amount"], 6_400_000);
}
