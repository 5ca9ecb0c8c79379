//! The hostile-document sweep (issue 6, item 6): no document can make a
//! decision wrong, hang or blow up. Each finding has its test here, with
//! the message (Japanese and English), the JSON path, line and column.

mod common;

use grant_rules::decision::{Datum, Decision};
use grant_rules::engine::{self, EngineError};
use grant_rules::input::InputError;
use grant_rules::rules::RuleBook;
use grant_rules::text::Lang;
use rust_decimal::Decimal;

fn book() -> RuleBook {
    grant_rules::rules::embedded().unwrap()
}

fn fixture() -> String {
    std::fs::read_to_string("fixtures/application/minamisorachi-r6.json").unwrap()
}

/// The fixture with `from` replaced by `to` (once).
fn edited(from: &str, to: &str) -> String {
    let text = fixture();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

fn decide(text: &str) -> Decision {
    let book = book();
    match engine::decide(&book, text.as_bytes()) {
        Ok((_, d)) => d,
        Err((p, e)) => panic!("{}", e.render(p, false)),
    }
}

/// The input errors of a document that must be refused.
fn errors(text: &str) -> Vec<InputError> {
    let book = book();
    match engine::decide(&book, text.as_bytes()) {
        Ok((_, d)) => panic!("accepted: {}", d.outcome),
        Err((_, EngineError::Input(e))) => e.0,
        Err((p, e)) => panic!("not an input error: {}", e.render(p, false)),
    }
}

/// The one input error of a document: path, line, column, ja, en.
fn one_error(text: &str) -> InputError {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().unwrap()
}

fn assert_error(e: &InputError, path: &str, at: (usize, usize), ja: &str, en: &str) {
    assert_eq!(e.path, path, "{e:?}");
    assert_eq!((e.line, e.column), (Some(at.0), Some(at.1)), "{e:?}");
    assert_eq!(e.ja, ja);
    assert_eq!(e.en, en);
}

fn money(d: &Decision, key: &str) -> Datum {
    d.field(key).unwrap().value.clone()
}

fn report(d: &Decision, lang: Lang) -> String {
    grant_rules::cli::report(d, lang)
}

// ------------------------------------------------------------ amounts

#[test]
fn amounts_from_2_63_to_2_64_minus_1_are_exact_and_shown_in_full() {
    // One line of 2^63 yen (a JSON number beyond i64), one of 2^64 − 1 (a
    // string with commas), one of 1 yen: never 0, never ¥0, never a null
    // beside a grant.
    let text = edited("\"amount\": 250000", "\"amount\": 9223372036854775808")
        .replacen(
            "\"amount\": \"4,050,000\"",
            "\"amount\": \"18,446,744,073,709,551,615\"",
            1,
        )
        .replacen("\"amount\": 68000", "\"amount\": 1", 1);
    let d = decide(&text);
    assert_eq!(d.outcome, "eligible");
    // 2^63 + (2^64 − 1) + 1 + the other projects' 6,082,000.
    let total = Decimal::from(9_223_372_036_854_775_808u64) + Decimal::from(u64::MAX) + Decimal::from(6_082_001u64);
    assert_eq!(money(&d, "eligible_expenses"), Datum::Money(total));
    assert_eq!(money(&d, "grant_amount"), Datum::Money(Decimal::from(10_000_000)));
    let ja = report(&d, Lang::Ja);
    assert!(
        ja.contains("  交付対象経費： 27,670,116,110,570,409,424円（27,670,116,110,570,409.424千円）\n"),
        "{ja}"
    );
    assert!(ja.contains("  交付額： 10,000,000円（10,000千円）\n"), "{ja}");
    let en = report(&d, Lang::En);
    assert!(en.contains("¥27,670,116,110,570,409,424"), "{en}");
    // The decision JSON writes the exact integers (beyond what a u64 or a
    // float holds).
    let json = serde_json::to_string(&d).unwrap();
    assert!(json.contains("\"grant_amount\":10000000,"), "{json}");
    assert!(json.contains("\"eligible_expenses\":27670116110570409424,"));
    assert!(
        json.contains("\"eligible_expenses\":27670116110564327424,"),
        "the project's"
    );
}

#[test]
fn amounts_whose_sum_is_beyond_u64_are_summed_exactly() {
    // Every line of every project at 2^64 − 1 yen: 11 lines, a sum beyond
    // u64 that exact decimals still hold. (A sum beyond the decimals, 7.9 ×
    // 10^28, would take 4 × 10^9 such lines: far beyond the 10 MiB limit.)
    let mut text = fixture();
    for from in [
        "250000",
        "\"4,050,000\"",
        "68000",
        "1540000",
        "682000",
        "\"１１００千円\"",
        "150000",
        "396000",
        "1650000",
        "300000",
        "264000",
    ] {
        let needle = format!("\"amount\": {from}");
        assert!(text.contains(&needle), "{needle}");
        text = text.replacen(&needle, "\"amount\": 18446744073709551615", 1);
    }
    let d = decide(&text);
    assert_eq!(d.outcome, "eligible");
    let total = Decimal::from(u64::MAX) * Decimal::from(11);
    assert_eq!(money(&d, "eligible_expenses"), Datum::Money(total));
    assert_eq!(money(&d, "grant_amount"), Datum::Money(Decimal::from(10_000_000)));
    assert!(report(&d, Lang::Ja).contains("交付対象経費： 202,914,184,810,805,067,765円"));
}

#[test]
fn an_amount_beyond_u64_is_a_clear_error() {
    let e = one_error(&edited("\"amount\": 250000", "\"amount\": 18446744073709551616"));
    assert_error(
        &e,
        "projects[0].expenses[0].amount",
        (78, 21),
        "金額が大きすぎます（18446744073709551616。上限は18,446,744,073,709,551,615円）。金額と単位を確かめてください",
        "amount too large: 18446744073709551616 (the largest is 18,446,744,073,709,551,615 yen): check the amount and its unit",
    );
    let e = one_error(&edited(
        "\"amount\": 250000",
        "\"amount\": \"99999999999999999999億円\"",
    ));
    assert_eq!(
        e.en,
        "amount too large: 99999999999999999999億円 (the largest is 18,446,744,073,709,551,615 yen): check the amount and its unit"
    );
    // Beyond what a decimal holds at all.
    let e = one_error(&edited("\"amount\": 250000", "\"amount\": 1e40"));
    assert_eq!(
        e.en,
        "amount 1e40 is too large or too precise to hold exactly; write whole yen, e.g. 1200000"
    );
    assert_eq!(
        e.ja,
        "金額 1e40 は正確に扱えない大きさ・桁数です。1200000 のように円単位の整数で書いてください"
    );
}

#[test]
fn a_fraction_of_a_yen_is_refused_exactly_as_a_number_and_as_a_string() {
    // As a float, 99999.99999999999999 is 100000.0: it must be read exactly.
    for (written, column) in [("99999.99999999999999", 21), ("\"99999.99999999999999\"", 21)] {
        let e = one_error(&edited("\"amount\": 250000", &format!("\"amount\": {written}")));
        assert_error(
            &e,
            "projects[0].expenses[0].amount",
            (78, column),
            "1円未満の端数があります（99999.99999999999999）。円単位の整数で書いてください",
            "a fraction of a yen: 99999.99999999999999: write whole yen",
        );
    }
    let e = one_error(&edited("\"amount\": 250000", "\"amount\": \"99,999.99999999999999円\""));
    assert_eq!(
        e.en,
        "a fraction of a yen: 99999.99999999999999 (\"99,999.99999999999999円\"): write whole yen"
    );
}

#[test]
fn characters_nfkc_turns_into_digits_are_not_digits() {
    // NFKC folds ² to 2: "10²千円" must not read as 102,000 yen.
    let e = one_error(&edited("\"amount\": 250000", "\"amount\": \"10²千円\""));
    assert_error(
        &e,
        "projects[0].expenses[0].amount",
        (78, 21),
        "「10²千円」の「²」は数字ではありません（上付き・丸数字・分数などは読みません）。0〜9の数字で書いてください",
        "\"10²千円\" has \"²\" (U+00B2), which is not a digit: write numbers with the digits 0–9",
    );
    for bad in ["①００千円", "1½万円", "１０⁰", "𝟏𝟎𝟎"] {
        let e = one_error(&edited("\"amount\": 250000", &format!("\"amount\": \"{bad}\"")));
        assert!(e.en.contains("which is not a digit"), "{bad}: {}", e.en);
    }
    // In a date, a fiscal year, a vision period, a municipality's code.
    for (from, to, path) in [
        ("\"令和2年10月9日\"", "\"令和②年10月9日\"", "region.agreement_date"),
        ("\"令和6年度\"", "\"令和⑥年度\"", "fiscal_year"),
        (
            "\"vision_period_years\": 5",
            "\"vision_period_years\": \"⑤年\"",
            "region.vision_period_years",
        ),
        ("\"name\": \"夕張市\"", "\"name\": \"01209①\"", "region.members[1].name"),
    ] {
        let e = one_error(&edited(from, to));
        assert_eq!(e.path, path);
        assert!(e.ja.contains("は数字ではありません"), "{}", e.ja);
    }
    // Full-width digits are digits.
    let d = decide(&edited("\"amount\": 250000", "\"amount\": \"２５０千円\""));
    assert_eq!(d.outcome, "eligible");
}

// ------------------------------------------------------------ dates

#[test]
fn year_zero_dates_are_refused() {
    let e = one_error(&edited("\"令和2年10月9日\"", "\"0000-01-01\""));
    assert_error(
        &e,
        "region.agreement_date",
        (55, 23),
        "「0000-01-01」の年（0年）は範囲外です。1868年から2200年までの日付を書いてください",
        "the year 0 of \"0000-01-01\" is out of range: write a date from 1868 to 2200",
    );
    let e = one_error(&edited("\"令和2年10月9日\"", "\"令和0年10月9日\""));
    assert_error(
        &e,
        "region.agreement_date",
        (55, 23),
        "令和0年はありません。元号の最初の年は令和元年（1年）です",
        "令和0年 does not exist: an era's first year is 令和元年 (1)",
    );
    let e = one_error(&edited("\"R2.10.23\"", "\"H0.1.8\""));
    assert_eq!(e.path, "region.vision_date");
    assert_eq!(e.en, "平成0年 does not exist: an era's first year is 平成元年 (1)");
    let e = one_error(&edited("\"令和6年度\"", "\"令和0年度\""));
    assert_eq!(e.ja, "令和0年度はありません（令和元年度から）");
}

// ------------------------------------------------------------ lists and names

#[test]
fn a_council_member_listed_twice_is_refused() {
    // The same municipality by name and by code.
    let council = "\"council\": {\"name\": \"南空知広域連携推進協議会\", \"members\": [\"岩見沢市\", \"夕張市\", \"美唄市\", \"三笠市\", \"南幌町\", \"由仁町\", \"長沼町\", \"栗山町\", \"月形町\", \"012106\"]}";
    let e = one_error(&edited("\"council\": null", council));
    assert_error(
        &e,
        "region.council.members[9]",
        (54, 117),
        "「岩見沢市」が重複しています（region.council.members[0] と同じ）。一つにまとめるか、書き分けてください",
        "\"岩見沢市\" is listed twice (also region.council.members[0]): write it once, or tell the two apart",
    );
}

#[test]
fn duplicate_project_names_are_refused() {
    let e = one_error(&edited("\"ICTインフラの研究・活用\"", "\"地域防災体制の充実\""));
    assert_error(
        &e,
        "projects[2].name",
        (124, 15),
        "「地域防災体制の充実」が重複しています（projects[0] と同じ）。一つにまとめるか、書き分けてください",
        "\"地域防災体制の充実\" is listed twice (also projects[0]): write it once, or tell the two apart",
    );
    // Names that differ only in width are the same name.
    let e = one_error(&edited("\"ICTインフラの研究・活用\"", "\"地域防災体制の充実　\""));
    assert_eq!(e.path, "projects[2].name");
}

#[test]
fn old_and_variant_kanji_of_a_municipality_get_a_did_you_mean() {
    let e = one_error(&edited("\"name\": \"岩見沢市\"", "\"name\": \"岩見澤市\""));
    assert_error(
        &e,
        "region.members[0].name",
        (9, 17),
        "「岩見澤市」は北海道の市町村にありません（もしかして: 岩見沢市）。北海道の市町村名（「岩見沢市」など）か団体コード（「012106」など）で書いてください",
        "\"岩見澤市\" is not a Hokkaido municipality (did you mean: 岩見沢市?); write a Hokkaido municipality's name (\"岩見沢市\") or its code (\"012106\")",
    );
    let e = one_error(&edited("\"name\": \"夕張市\"", "\"name\": \"濱頓別町\""));
    assert!(
        e.ja.starts_with("「濱頓別町」は北海道の市町村にありません（もしかして: 浜頓別町）"),
        "{}",
        e.ja
    );
}

// ------------------------------------------------------------ text

#[test]
fn text_with_a_line_break_or_a_terminal_escape_is_refused() {
    for (written, shown_ja, what_ja, what_en) in [
        (
            "地域防災\\n体制の充実",
            "地域防災\\n体制の充実",
            "改行（U+000A）",
            "U+000A (a line break)",
        ),
        (
            "地域防災\\r体制の充実",
            "地域防災\\r体制の充実",
            "改行（CR）（U+000D）",
            "U+000D (a carriage return)",
        ),
        (
            "地域防災\\u001b[2J体制",
            "地域防災\\u{1b}[2J体制",
            "エスケープ文字（U+001B）",
            "U+001B (a terminal escape)",
        ),
        ("地域防災\\t体制", "地域防災\\t体制", "タブ（U+0009）", "U+0009 (a tab)"),
        (
            "地域防災\\u2028体制",
            "地域防災\\u{2028}体制",
            "改行（行区切り）（U+2028）",
            "U+2028 (a line separator)",
        ),
        (
            "地域防災\\u202e体制",
            "地域防災\\u{202e}体制",
            "文字の向きを変える制御文字（U+202E）",
            "U+202E (a character that reorders text)",
        ),
    ] {
        let e = one_error(&edited("\"地域防災体制の充実\"", &format!("\"{written}\"")));
        assert_error(
            &e,
            "projects[0].name",
            (67, 15),
            &format!("「{shown_ja}」に{what_ja}が含まれています。改行や制御文字を除いて1行で書いてください"),
            &format!("\"{shown_ja}\" contains {what_en}: text is one line without control characters; remove it"),
        );
    }
    // Every text field: an expense line's item, a reviewer's note.
    let e = one_error(&edited(
        "\"reviewer_flags\": []",
        "\"reviewer_flags\": [\"要確認\\n[適合] 偽の行\"]",
    ));
    assert_eq!(e.path, "projects[0].reviewer_flags[0]");
    let e = one_error(&edited("\"防災担当職員合同研修会 講師謝礼\"", "\"講師謝礼\\r\\n\""));
    assert_eq!(e.path, "projects[0].expenses[0].item");
}

#[test]
fn the_text_report_escapes_control_characters_whatever_their_source() {
    // Input text cannot hold them; a rule's message can (a line break in a
    // rule file's string). The report prints it escaped: no line of the
    // report is forged.
    let program = common::with_test_rules(
        "rule test.forged {\n  cite 実施要綱 \"第1\"\n  text \"予算の範囲内\"\n  summary ja \"s\" en \"s\"\n  pass otherwise ja \"一行目\n[不適合] 偽の行\u{1b}[2J\" en \"line\n[FAIL] forged\"\n}\n",
    );
    let d = common::decide(&program, "minamisorachi-r6.json");
    let ja = report(&d, Lang::Ja);
    assert!(ja.contains("    一行目\\n[不適合] 偽の行\\u{1b}[2J\n"), "{ja}");
    assert!(!ja.lines().any(|l| l.starts_with("[不適合] 偽の行")));
    assert!(!ja.contains('\u{1b}'));
    assert!(report(&d, Lang::En).contains("    line\\n[FAIL] forged\n"));
}

#[test]
fn echoes_of_a_huge_value_are_cut_and_escaped() {
    // Half a megabyte pasted into fields of every type: each error quotes
    // at most 60 characters of it.
    let huge = "あ".repeat(500_000 / 3);
    let digits = "9".repeat(500_000);
    let text = edited("\"name\": \"夕張市\"", &format!("\"name\": \"{huge}\""))
        .replacen("\"amount\": 250000", &format!("\"amount\": \"{digits}\""), 1)
        .replacen("\"amount\": 68000", &format!("\"amount\": {digits}"), 1)
        .replacen("\"R2.10.23\"", &format!("\"{huge}\""), 1)
        .replacen("\"kind\": \"soft\"", &format!("\"kind\": \"{huge}\""), 1)
        .replacen("\"category\": \"commission\"", &format!("\"category\": \"{huge}\""), 1)
        .replacen(
            "\"fiscal_year\": \"令和6年度\"",
            &format!("\"fiscal_year\": \"{huge}\""),
            1,
        )
        .replacen("\"joint\": true", &format!("\"joint\": \"{huge}\", \"{huge}\": 1"), 1)
        .replacen(
            "\"vision_period_years\": 5",
            &format!("\"vision_period_years\": \"{digits}年\""),
            1,
        )
        .replacen("\"防災\"", &format!("\"{huge}\""), 1);
    assert!(text.len() < grant_rules::input::MAX_DOCUMENT_BYTES);
    let started = std::time::Instant::now();
    let e = errors(&text);
    assert_eq!(e.len(), 11, "{e:#?}");
    for x in &e {
        for msg in [&x.ja, &x.en] {
            assert!(
                msg.chars().count() < 1500,
                "{}: {} characters",
                x.path,
                msg.chars().count()
            );
        }
    }
    assert!(e.iter().any(|x| x.ja.contains(&format!("「{}…」", "あ".repeat(60)))));
    // "did you mean" does not compare a megabyte with every name.
    assert!(started.elapsed().as_secs() < 60);
    // The format, too.
    let book = book();
    let Err((_, err)) = engine::decide(&book, format!("{{\"format\": \"{huge}\"}}").as_bytes()) else {
        panic!()
    };
    assert!(err.render(None, true).chars().count() < 400);
}

// ------------------------------------------------------------ size and time

#[test]
fn a_document_over_10_mib_is_refused_with_the_limit() {
    let big = format!(
        "{{\"format\": \"grant-application/v1\", \"x\": \"{}\"}}",
        "a".repeat(10 * 1024 * 1024)
    );
    let e = one_error(&big);
    assert_eq!(e.path, "");
    assert_eq!(
        e.en,
        format!(
            "the document is {} bytes; the largest read is 10485760 bytes (10 MiB): split it into several documents",
            big.len()
        )
    );
    assert_eq!(
        e.ja,
        format!(
            "文書が大きすぎます（{} バイト。上限 10485760 バイト＝10 MiB）。複数の文書に分けてください",
            big.len()
        )
    );
}

#[test]
fn check_dev_zero_stops_with_the_size_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["check", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/dev/zero: (document): 文書が大きすぎます（上限 10485760 バイト＝10 MiB）。複数の文書に分けてください\n"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["check", "--lang", "en", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/dev/zero: (document): the document is larger than 10485760 bytes (10 MiB), the largest read: split it into several documents\n"
    );
}

/// A document of `n` projects, each with its facts missing (the case where
/// gathering missing facts project by project was quadratic: 20,000
/// projects took minutes).
fn many_projects(n: usize) -> String {
    let projects: Vec<String> = (0..n)
        .map(|i| format!("{{\"name\": \"事業{i}\", \"expenses\": [{{\"item\": \"謝礼\", \"category\": \"謝礼\", \"amount\": {i}}}]}}"))
        .collect();
    let text = fixture();
    let start = text.find("\"projects\": [").unwrap();
    let end = text.find("\"deductible_consumption_tax\"").unwrap();
    format!(
        "{}\"projects\": [{}],\n  {}",
        &text[..start],
        projects.join(",\n"),
        &text[end..]
    )
}

#[test]
fn the_most_projects_a_list_holds_are_decided_and_reported_in_linear_time() {
    let n = grant_rules::input::MAX_LIST_ITEMS;
    let d = decide(&many_projects(n));
    assert_eq!(d.outcome, "incomplete");
    assert_eq!(d.list("projects").unwrap().entries.len(), n);
    // Five facts of each project are missing, and listed.
    assert_eq!(d.missing.len(), 5 * n);
    assert_eq!(d.missing.last().unwrap(), &format!("projects[{}].exclusions", n - 1));
    let ja = report(&d, Lang::Ja);
    assert!(
        ja.contains(&format!("事業「事業{}」［判断不可］", n - 1)),
        "{}",
        &ja[..2000]
    );
    // eligible expenses: 0 + 1 + … + 9,999 at most, unknown until the projects are.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["projects"][n - 1]["eligible_expenses"], n as u64 - 1);
}

#[test]
fn a_list_longer_than_the_limit_is_refused_not_decided() {
    // 10 MiB of JSON holds hundreds of thousands of projects; deciding them
    // would take gigabytes. The limit is an error that says what to do.
    let n = grant_rules::input::MAX_LIST_ITEMS + 1;
    let e = one_error(&many_projects(n));
    assert_eq!(e.path, "projects");
    assert_eq!(e.en, "10001 items: a list holds at most 10000; split the document");
    assert_eq!(
        e.ja,
        "10001 件あります。一つの配列に書けるのは 10000 件までです。文書を分けてください"
    );
}

#[test]
fn ten_thousand_policy_fields_are_counted_at_once() {
    // Every field written hundreds of times, in every spelling.
    let names = [
        "防災",
        "地域公共交通",
        "医療",
        "福祉",
        "ICTの活用",
        "人材育成",
        "土地利用",
        "産業振興",
        "disaster",
        "ＩＣＴの活用",
    ];
    let fields: Vec<String> = (0..10_000).map(|i| format!("\"{}\"", names[i % names.len()])).collect();
    let text = edited(
        "\"policy_fields\": [\n      \"防災\",\n      \"地域公共交通\",\n      \"デジタル・ディバイドの解消へ向けたICTの活用\"\n    ]",
        &format!("\"policy_fields\": [{}]", fields.join(", ")),
    );
    let d = decide(&text);
    let rule = d.rules.iter().find(|r| &*r.id == "applicant.policy_fields").unwrap();
    assert_eq!(
        rule.reason.ja,
        "政策分野 6 分野：防災・地域公共交通・医療・福祉・デジタル・ディバイドの解消へ向けたICTの活用・連携市町村における人材の育成。土地利用・産業振興 は第3(2)②エ (ア)〜(ウ) に掲げる政策分野ではないため数えません"
    );
    assert_eq!(
        rule.reason.en,
        "6 listed policy fields: disaster prevention, regional public transport, medical care, welfare, ICT to close the digital divide, developing people in the member municipalities. land use, industrial promotion are not among the fields listed in 第3(2)②エ (ア)–(ウ) and do not count"
    );
}

#[test]
fn distinct_over_thirty_thousand_values_is_linear() {
    // `distinct` compared every element with every kept one (and
    // normalised text on each comparison): 30,000 amounts of which 10,000
    // differ are 3·10^8 comparisons. By hash, a moment. (A list holds at
    // most 10,000 lines: the rule joins it to itself three times.)
    let program = common::with_test_rules(
        "for project in projects {\n  rule test.distinct_amounts {\n    cite 実施要綱 \"第5\"\n    text \"交付対象事業に要する経費\"\n    summary ja \"s\" en \"s\"\n    let lines = [e.amount for e in project.expenses]\n    let amounts = distinct(lines + lines + lines)\n    pass otherwise ja \"{count(amounts)}\" en \"{count(amounts)} distinct amounts\"\n  }\n}\n",
    );
    let lines: Vec<String> = (0..10_000)
        .map(|i| format!("{{\"item\": \"x\", \"category\": \"委託料\", \"amount\": {i}}}"))
        .collect();
    let text = many_projects(1).replacen(
        "[{\"item\": \"謝礼\", \"category\": \"謝礼\", \"amount\": 0}]",
        &format!("[{}]", lines.join(",")),
        1,
    );
    let d = common::decide_bytes(&program, text.as_bytes());
    let project = &d.list("projects").unwrap().entries[0];
    let rule = project
        .rules
        .iter()
        .find(|r| &*r.id == "test.distinct_amounts")
        .unwrap();
    assert_eq!(rule.reason.en, "10,000 distinct amounts");
}
