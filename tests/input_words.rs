//! Input an officer can write (issue 6, item 5): Japanese words wherever a
//! code is (yes/no, enum values, the budget's 節 names), whole numbers with
//! their unit, comments in a document, `init`'s starting documents, and
//! every input error of a document in one pass, each saying how to fix it.

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

/// The fixture with each `(from, to)` replaced (once each).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = fixture();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn decide(text: &str) -> Decision {
    let book = book();
    match engine::decide(&book, text.as_bytes()) {
        Ok((_, d)) => d,
        Err((p, e)) => panic!("{}", e.render(p, false)),
    }
}

fn errors(text: &str) -> Vec<InputError> {
    let book = book();
    match engine::decide(&book, text.as_bytes()) {
        Ok((_, d)) => panic!("accepted: {}", d.outcome),
        Err((_, EngineError::Input(e))) => e.0,
        Err((p, e)) => panic!("not an input error: {}", e.render(p, false)),
    }
}

fn one_error(text: &str) -> InputError {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().unwrap()
}

/// The decision without what depends on the input's bytes.
fn decision_json(d: &Decision) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap();
    v["input_sha256"] = serde_json::Value::Null;
    v
}

// ------------------------------------------------------------ yes and no

#[test]
fn yes_and_no_in_the_words_of_a_form() {
    let plain = decide(&fixture());
    let words = fixture()
        .replacen("\"central_urban_area\": true", "\"central_urban_area\": \"はい\"", 1)
        .replacen("\"central_urban_area\": true", "\"central_urban_area\": \"○\"", 1)
        .replacen("\"central_urban_area\": true", "\"central_urban_area\": \"有\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"いいえ\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"×\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"無\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"なし\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"ＮＯ\"", 1)
        .replacen("\"settlement_zone\": false", "\"settlement_zone\": \"false\"", 1)
        .replacen("\"joint\": true", "\"joint\": \"あり\"", 1)
        .replacen("\"joint\": true", "\"joint\": \"yes\"", 1)
        .replacen("\"joint\": true", "\"joint\": \"true\"", 1);
    let d = decide(&words);
    assert_eq!(decision_json(&d), decision_json(&plain));
    let e = one_error(&edited(&[("\"joint\": true", "\"joint\": \"多分\"")]));
    assert_eq!(e.path, "projects[0].joint");
    assert_eq!((e.line, e.column), (Some(71), Some(16)));
    assert_eq!(
        e.ja,
        "「多分」は「はい／いいえ」として読めません。true か false（「はい」「いいえ」、「○」「×」、「有」「無」も可）で書いてください"
    );
    assert_eq!(
        e.en,
        "not yes or no: \"多分\"; write true or false (or \"はい\"/\"いいえ\", \"○\"/\"×\", \"有\"/\"無\")"
    );
    // A number is not yes or no.
    let e = one_error(&edited(&[("\"joint\": true", "\"joint\": 1")]));
    assert_eq!(
        e.ja,
        "数値 1ではなくtrue か false（「はい」「いいえ」、「○」「×」、「有」「無」も可）を書いてください"
    );
}

// ------------------------------------------------------------ enum values

#[test]
fn enum_values_by_their_japanese_names() {
    let plain = decide(&fixture());
    let words = edited(&[
        ("\"in_advance_plan\": \"listed\"", "\"in_advance_plan\": \"掲載済み\""),
        ("\"in_vision\": \"listed\"", "\"in_vision\": \"掲載済\""),
        ("\"kind\": \"soft\"", "\"kind\": \"ソフト\""),
        ("\"kind\": \"soft\"", "\"kind\": \"ｿﾌﾄ事業\""),
    ]);
    assert_eq!(decision_json(&decide(&words)), decision_json(&plain));
    let d = decide(&edited(&[
        ("\"in_advance_plan\": \"listed\"", "\"in_advance_plan\": \"掲載予定\""),
        ("\"in_vision\": \"listed\"", "\"in_vision\": \"なし\""),
        ("\"kind\": \"soft\"", "\"kind\": \"ハード\""),
    ]));
    let p = &d.list("projects").unwrap().entries[0];
    assert_eq!(&*p.status, "rejected");
    let planned = p.rules.iter().find(|r| &*r.id == "project.planned").unwrap();
    assert!(
        planned
            .reason
            .ja
            .contains("地域連携ビジョンに掲載されておらず、掲載予定もありません"),
        "{}",
        planned.reason.ja
    );
    let e = one_error(&edited(&[("\"kind\": \"soft\"", "\"kind\": \"ソフド\"")]));
    assert_eq!(e.path, "projects[0].kind");
    assert_eq!(
        e.ja,
        "「ソフド」は事業の種類にありません（もしかして「ソフト事業」？）。次のいずれかで書いてください：ソフト事業、ハード事業。"
    );
    assert_eq!(
        e.en,
        "\"ソフド\" is not a value of \"Kind of project\"; did you mean \"ソフト事業\" (soft)?; write one of: soft (ソフト事業), hard (ハード事業)"
    );
}

#[test]
fn expense_lines_by_the_names_of_the_budgets_sections() {
    // 節・細節 names an officer copies from the budget sheet.
    let plain = decide(&fixture());
    let words = edited(&[
        ("\"category\": \"honoraria\"", "\"category\": \"講師謝金\""),
        ("\"category\": \"equipment\"", "\"category\": \"備品購入費\""),
        ("\"category\": \"external_travel\"", "\"category\": \"費用弁償\""),
        ("\"category\": \"commission\"", "\"category\": \"委託料\""),
        ("\"category\": \"supplies\"", "\"category\": \"印刷製本費\""),
        ("\"category\": \"services\"", "\"category\": \"広告料\""),
        ("\"category\": \"honoraria\"", "\"category\": \"謝礼\""),
        (
            "\"category\": \"contribution\"",
            "\"category\": \"負担金補助及び交付金\"",
        ),
        ("\"category\": \"rental\"", "\"category\": \"使用料\""),
    ]);
    assert_eq!(decision_json(&decide(&words)), decision_json(&plain));
    // 報酬（会計年度任用職員） is wages: excluded unless temporary staff.
    let d = decide(&edited(&[(
        "\"category\": \"supplies\"",
        "\"category\": \"報酬（会計年度任用職員）\"",
    )]));
    let p = &d.list("projects").unwrap().entries[1];
    let line = &p.list("expenses").unwrap().entries[1];
    assert_eq!(&*line.status, "excluded", "{:?}", line.reason());
    assert_eq!(line.field("category").unwrap().value, Datum::Code("wages".into()));
    for (written, code) in [
        ("消耗品費", "supplies"),
        ("通信運搬費", "services"),
        ("ＩＣＴ負担金", ""),
        ("負担金", "contribution"),
        ("職員旅費", "staff_travel"),
        ("普通旅費", "staff_travel"),
        ("賃借料", "rental"),
        ("食糧費", "food_entertainment"),
    ] {
        let text = edited(&[("\"category\": \"supplies\"", &format!("\"category\": \"{written}\""))]);
        if code.is_empty() {
            assert_eq!(errors(&text).len(), 1, "{written}");
            continue;
        }
        let d = decide(&text);
        let line = &d.list("projects").unwrap().entries[1].list("expenses").unwrap().entries[1];
        assert_eq!(
            line.field("category").unwrap().value,
            Datum::Code(code.into()),
            "{written}"
        );
    }
}

#[test]
fn a_word_two_categories_share_is_a_question() {
    let e = one_error(&edited(&[(
        "\"category\": \"external_travel\"",
        "\"category\": \"旅費\"",
    )]));
    assert_eq!(e.path, "projects[0].expenses[2].category");
    assert_eq!((e.line, e.column), (Some(87), Some(23)));
    assert_eq!(
        e.ja,
        "「旅費」は「旅費（講師・委員等）」か「職員の旅費」か書き分けてください"
    );
    assert_eq!(
        e.en,
        "\"旅費\" could be external_travel (旅費（講師・委員等）) or staff_travel (職員の旅費): write which one is meant"
    );
    let e = one_error(&edited(&[("\"category\": \"supplies\"", "\"category\": \"修繕料\"")]));
    assert_eq!(
        e.ja,
        "「修繕料」は「需用費（消耗品・印刷製本等）」か「施設等の維持補修費・維持管理費」か書き分けてください"
    );
    let e = one_error(&edited(&[("\"category\": \"supplies\"", "\"category\": \"報酬\"")]));
    assert_eq!(
        e.ja,
        "「報酬」は「報償費（講師謝礼等）」か「賃金・職員費」か書き分けてください"
    );
}

// ------------------------------------------------------------ policy fields

#[test]
fn a_policy_field_not_listed_is_an_error_with_did_you_mean() {
    let e = one_error(&edited(&[(
        "\"デジタル・ディバイドの解消へ向けたICTの活用\"",
        "\"ICT活用\"",
    )]));
    assert_eq!(e.path, "region.policy_fields[2]");
    assert_eq!((e.line, e.column), (Some(61), Some(7)));
    assert!(
        e.ja.starts_with(
            "「ICT活用」は政策分野にありません（もしかして「デジタル・ディバイドの解消へ向けたICTの活用」？）。次のいずれかで書いてください：医療、福祉、"
        ),
        "{}",
        e.ja
    );
    assert!(
        e.ja.ends_with(
            "(ア)〜(ウ) に掲げる分野のほかは２分野に数えないため、一覧にない分野は書かなくても判定は変わりません。"
        ),
        "{}",
        e.ja
    );
    assert!(
        e.en.starts_with(
            "\"ICT活用\" is not a value of \"Policy field\"; did you mean \"デジタル・ディバイドの解消へ向けたICTの活用\" (digital_divide)?; write one of: medical (医療), "
        ),
        "{}",
        e.en
    );
    let e = one_error(&edited(&[("\"防災\"", "\"観光振興\"")]));
    assert!(e.ja.starts_with("「観光振興」は政策分野にありません。"), "{}", e.ja);
}

#[test]
fn the_other_fields_of_the_clause_are_accepted_and_not_counted() {
    // 防災 and 地域公共交通 count; 土地利用, 産業振興 and 移住促進 may be written
    // in the agreement but do not count toward the two.
    let d = decide(&edited(&[(
        "\"デジタル・ディバイドの解消へ向けたICTの活用\"",
        "\"土地利用\", \"産業振興\", \"移住促進\"",
    )]));
    let rule = d.rules.iter().find(|r| &*r.id == "applicant.policy_fields").unwrap();
    assert_eq!(rule.status, grant_rules::verdict::RuleStatus::Pass);
    assert_eq!(
        rule.reason.ja,
        "政策分野 2 分野：防災・地域公共交通。土地利用・産業振興・移住促進 は第3(2)②エ (ア)〜(ウ) に掲げる政策分野ではないため数えません"
    );
    // Only extra fields: fewer than two, a failure that says why.
    let d = decide(&edited(&[
        ("\"防災\"", "\"土地利用\""),
        ("\"地域公共交通\"", "\"地産地消\""),
        ("\"デジタル・ディバイドの解消へ向けたICTの活用\"", "\"民間人材確保\""),
    ]));
    let rule = d.rules.iter().find(|r| &*r.id == "applicant.policy_fields").unwrap();
    assert_eq!(rule.status, grant_rules::verdict::RuleStatus::Fail);
    assert!(
        rule.reason.ja.starts_with("数えられる政策分野は 0 分野"),
        "{}",
        rule.reason.ja
    );
}

// ------------------------------------------------------------ units

#[test]
fn a_whole_number_with_its_declared_unit() {
    let plain = decide(&fixture());
    for written in ["\"5年\"", "\"５年\"", "\"5年間\"", "\"5 年\"", "\"5\""] {
        let d = decide(&edited(&[(
            "\"vision_period_years\": 5",
            &format!("\"vision_period_years\": {written}"),
        )]));
        assert_eq!(decision_json(&d), decision_json(&plain), "{written}");
    }
    let e = one_error(&edited(&[(
        "\"vision_period_years\": 5",
        "\"vision_period_years\": \"5ヶ月\"",
    )]));
    assert_eq!(e.path, "region.vision_period_years");
    assert_eq!((e.line, e.column), (Some(57), Some(28)));
    assert_eq!(
        e.ja,
        "「5ヶ月」は整数（年）として読めません。5 や「5年」のように書いてください"
    );
    assert_eq!(e.en, "not a whole number of 年: \"5ヶ月\"; write e.g. 5 or \"5年\"");
    let e = one_error(&edited(&[(
        "\"vision_period_years\": 5",
        "\"vision_period_years\": \"-5年\"",
    )]));
    assert_eq!(e.ja, "負の数です（-5年）。5 や「5年」のように0以上で書いてください");
    let e = one_error(&edited(&[(
        "\"vision_period_years\": 5",
        "\"vision_period_years\": 4.5",
    )]));
    assert_eq!(
        e.en,
        "not a whole number: 4.5; write a whole number such as 5 or \"5年\""
    );
    // Units of other kinds: a population in 人 with commas, a useful life in 年.
    let d = decide(
        r#"{"format": "central-city/v1", "municipality": "岩見沢市", "census_year": "2020年", "population": "79,306人", "day_night_ratio": 1.02, "in_major_metropolitan_area": "いいえ", "urban_functions_confirmed": "はい"}"#,
    );
    assert_eq!(d.outcome, "meets");
}

// ------------------------------------------------------------ comments

#[test]
fn a_document_may_carry_comments() {
    let plain = decide(&fixture());
    let commented = format!(
        "// 南空知圏域の申請（令和6年度）\n/* 担当: 企画課 */\n{}",
        fixture()
            .replacen("\"fiscal_year\"", "// 申請する年度\n  \"fiscal_year\"", 1)
            .replacen(
                "\"amount\": 250000",
                "\"amount\": /* 税込 */ 250000 // 見積書のとおり",
                1
            )
    );
    let d = decide(&commented);
    assert_eq!(decision_json(&d), decision_json(&plain));
    // Positions stay the text's own, comments and all.
    let e = one_error(&commented.replacen("\"amount\": 68000", "\"amount\": \"六万八千円\"", 1));
    assert_eq!(e.path, "projects[0].expenses[2].amount");
    assert_eq!((e.line, e.column), (Some(91), Some(21)));
    // A comment never closed.
    let e = one_error(&format!("/* 下書き\n{}", fixture()));
    assert_eq!((e.line, e.column), (Some(1), Some(1)));
    assert_eq!(e.ja, "コメント「/*」が閉じられていません。「*/」で閉じてください");
}

// ------------------------------------------------------------ init

#[test]
fn init_writes_a_document_of_each_kind_that_is_decided() {
    let book = book();
    for p in &book.kinds {
        let text = grant_rules::init::starter(p);
        assert!(text.starts_with(&format!("// {}\n", p.kind.title)), "{text}");
        let (_, d) = engine::decide(&book, text.as_bytes())
            .unwrap_or_else(|(q, e)| panic!("{}: {}\n{text}", p.kind.name, e.render(q, true)));
        assert_eq!(d.kind, p.kind.format);
    }
    let app = grant_rules::init::starter(book.kind("application").unwrap());
    let d = decide(&app);
    // The officer still has to say whether the members are in a national
    // scheme, and which exclusions apply. For the first member, 岩見沢市,
    // the registry knows it is in さっぽろ連携中枢都市圏: it counts as in a
    // scheme whatever its settlement-zone flag, so neither flag is missing.
    assert_eq!(d.outcome, "incomplete");
    assert_eq!(
        d.missing,
        [
            "region.members[1].settlement_zone",
            "region.members[1].central_urban_area",
            "projects[0].exclusions",
        ]
    );
    for line in [
        "  \"format\": \"grant-application/v1\",\n",
        "  // 申請する年度（開始する西暦年、または \"令和6年度\"）\n  //   書き方: 年度。2024、\"令和6年度\"、\"R6\" など\n  \"fiscal_year\": \"令和6年度\",\n",
        "    //   書き方: 0以上の整数（5 や「5年」）\n    //   省略可（分からなければ null）\n    \"vision_period_years\": \"5年\",\n",
        "    //   書く場合の例: { \"name\": \"○○広域連携推進協議会\", \"members\": [\"岩見沢市\"] }\n    \"council\": null,\n",
        "      \"kind\": \"ソフト\",\n",
        "      \"joint\": \"はい\",\n",
        "          \"amount\": \"100,000円\",\n",
    ] {
        assert!(app.contains(line), "{line}\n---\n{app}");
    }
}

#[test]
fn init_on_the_command_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["init"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"format\": \"grant-application/v1\""));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["init", "report"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("\"format\": \"grant-report/v1\"")
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(["init", "grant-other/v1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: no kind \"grant-other/v1\"; the kinds are: application (grant-application/v1), ")
    );
}

// ------------------------------------------------------------ one pass

#[test]
fn every_input_error_in_one_pass_each_saying_how_to_fix_it() {
    let text = edited(&[
        ("\"fiscal_year\": \"令和6年度\"", "\"fiscal_year\": \"令和六年度\""),
        ("\"name\": \"夕張市\"", "\"name\": \"夕張\""),
        ("\"vision_period_years\": 5", "\"vision_period_years\": \"五年\""),
        (
            "\"in_vision\": \"listed\"",
            "\"in_vision\": \"掲載\", \"in_vison\": \"listed\"",
        ),
        ("\"joint\": true", "\"joint\": \"〇×\""),
        ("\"amount\": 250000", "\"amount\": -250000"),
        ("\"category\": \"equipment\"", "\"category\": \"旅費\""),
        ("\"item\": \"合同研修会 講師旅費\",", ""),
    ]);
    let e = errors(&text);
    let got: Vec<(String, Option<usize>, Option<usize>, String)> = e
        .iter()
        .map(|x| (x.path.clone(), x.line, x.column, x.ja.clone()))
        .collect();
    let want = [
        (
            "fiscal_year",
            3,
            18,
            "年度として読めません（「令和六年度」）。2024、「2024年度」「令和6年度」「R6」「FY2024」のように書いてください",
        ),
        (
            "region.members[1].name",
            14,
            17,
            "「夕張」は北海道の市町村にありません（もしかして: 夕張市）。北海道の市町村名（「岩見沢市」など）か団体コード（「012106」など）で書いてください",
        ),
        (
            "region.vision_period_years",
            57,
            28,
            "「五年」は整数（年）として読めません。5 や「5年」のように書いてください",
        ),
        (
            "projects[0]",
            69,
            26,
            "項目「in_vison」はこの様式にありません（もしかして「in_vision」？）。項目名を直すか、削除してください（使える項目: name, in_advance_plan, in_vision, kind, joint, exclusions, reviewer_flags, expenses）",
        ),
        (
            "projects[0].joint",
            71,
            16,
            "「〇×」は「はい／いいえ」として読めません。true か false（「はい」「いいえ」、「○」「×」、「有」「無」も可）で書いてください",
        ),
        (
            "projects[0].expenses[0].amount",
            78,
            21,
            "負の金額です（-250000）。0円以上で書いてください",
        ),
        (
            "projects[0].expenses[1].category",
            82,
            23,
            "「旅費」は「旅費（講師・委員等）」か「職員の旅費」か書き分けてください",
        ),
        (
            "projects[0].expenses[2]",
            85,
            9,
            "必須項目「item」（経費の内容）がありません。書き加えてください",
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, (path, line, column, ja)) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1, g.2, g.3.as_str()),
            (path, Some(line), Some(column), ja)
        );
    }
    // The English of the same errors, in the same order.
    let en: Vec<&str> = e.iter().map(|x| x.en.as_str()).collect();
    assert_eq!(
        en,
        [
            "not a fiscal year: \"令和六年度\" (write e.g. 2024, \"2024年度\", \"令和6年度\", \"R6\", \"FY2024\")",
            "\"夕張\" is not a Hokkaido municipality (did you mean: 夕張市?); write a Hokkaido municipality's name (\"岩見沢市\") or its code (\"012106\")",
            "not a whole number of 年: \"五年\"; write e.g. 5 or \"5年\"",
            "unknown field \"in_vison\", expected one of \"name\", \"in_advance_plan\", \"in_vision\", \"kind\", \"joint\", \"exclusions\", \"reviewer_flags\", \"expenses\"; did you mean `in_vision`?; rename or remove it",
            "not yes or no: \"〇×\"; write true or false (or \"はい\"/\"いいえ\", \"○\"/\"×\", \"有\"/\"無\")",
            "negative amount -250000: an amount is 0 yen or more",
            "\"旅費\" could be external_travel (旅費（講師・委員等）) or staff_travel (職員の旅費): write which one is meant",
            "missing field \"item\" (what the expense is): add it",
        ]
    );
    // "掲載" (an alias of listed) is no error.
    assert!(!e.iter().any(|x| x.path == "projects[0].in_vision"));
}

#[test]
fn the_text_report_of_a_document_in_japanese_words() {
    // Read in words, reported the same as in codes.
    let words = edited(&[
        ("\"kind\": \"soft\"", "\"kind\": \"ソフト\""),
        ("\"category\": \"supplies\"", "\"category\": \"印刷製本費\""),
        ("\"vision_period_years\": 5", "\"vision_period_years\": \"5年\""),
    ]);
    let d = decide(&words);
    let plain = decide(&fixture());
    assert_eq!(
        grant_rules::cli::report(&d, Lang::Ja)
            .lines()
            .filter(|l| !l.contains("input_sha256"))
            .collect::<Vec<_>>(),
        grant_rules::cli::report(&plain, Lang::Ja)
            .lines()
            .filter(|l| !l.contains("input_sha256"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        d.field("grant_amount").unwrap().value,
        Datum::Money(Decimal::from(10_000_000))
    );
}
