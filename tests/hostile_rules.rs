//! No rule file can crash, hang or silently go wrong: each problem a
//! hostile-input sweep of the old core found, reproduced with a few lines of
//! rules, now an error with a span (or a correct result).

mod common;

use common::{app_files, decide, load, with_test_rules};
use grant_rules::rules::{self, RulesError};
use grant_rules::syntax::parse_file;
use grant_rules::verdict::RuleStatus;

/// A top-level rule with the documentation every rule needs.
fn rule_src(id: &str, body: &str) -> String {
    format!(
        "rule test.{id} {{\n  cite 実施要綱 \"第1\"\n  text \"予算の範囲内\"\n  summary ja \"s\" en \"s\"\n{body}\n}}\n"
    )
}

/// The application's rules plus `extra`, which must fail to load.
fn load_error(extra: &str) -> RulesError {
    let mut files = app_files();
    files.push(("rules/application/99-test.rules".into(), extra.into()));
    match rules::load("application", files) {
        Err(e) => e,
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn deep_parentheses_inside_a_message_hole() {
    let src = format!(
        "rule t.x {{ pass otherwise ja \"{{{}1{}}}\" en \"x\" }}",
        "(".repeat(3581),
        ")".repeat(3581)
    );
    let e = parse_file(0, &src).unwrap_err();
    assert_eq!(e.message, "brackets nested more than 32 levels deep");
    assert_eq!(&src[e.span.range()], "(");
    // The 33rd bracket of the hole, which is checked on its own.
    let hole = src.find("\"{").unwrap() + 2;
    assert_eq!(e.span.start as usize, hole + 32);
}

#[test]
fn a_long_else_if_chain() {
    let chain = format!("let x = {}0", "if true then 1 else ".repeat(3581));
    let e = parse_file(0, &chain).unwrap_err();
    assert_eq!(
        e.message,
        "more than 32 `if`s in one statement: split it into `let` steps or a table"
    );
    assert_eq!(&chain[e.span.range()], "if");
    // The 33rd `if`.
    let thirty_third = chain.match_indices("if").nth(32).unwrap().0;
    assert_eq!(e.span.start as usize, thirty_third);
    // 32 are fine, and a statement's count starts again on the next line.
    let ok = format!(
        "let x = {}0\nlet y = {}0",
        "if true then 1 else ".repeat(32),
        "if true then 1 else ".repeat(32)
    );
    assert!(parse_file(0, &ok).is_ok());
}

#[test]
fn many_lets_declared_in_reverse_order() {
    // Each let reads the next one: 4,672 lets read before they are written.
    // Checked in order, without recursion: errors, never a stack overflow.
    let n = 4672;
    let src: String = (0..n)
        .map(|i| format!("let r{i} = r{} + 1\n", i + 1))
        .collect::<String>()
        + &format!("let r{n} = 1\n");
    let RulesError::Check { sources, errors } = load_error(&src) else {
        panic!("expected check errors")
    };
    assert_eq!(errors.len(), n);
    assert_eq!(errors[0].message, "`r1` is used before it is written");
    assert_eq!(sources.snippet(errors[0].span), "r1");
}

#[test]
fn a_very_long_field_chain() {
    let src = format!("let x = region{}", ".name".repeat(130_789));
    let e = parse_file(0, &src).unwrap_err();
    assert_eq!(
        e.message,
        "this expression has 130789 operators; split it into `let` steps (at most 100)"
    );
    assert!(e.span.start as usize == src.find("region").unwrap());
}

/// The application's rules plus one rule whose only clause fails with a
/// message showing `expr`: the decision's evaluation error, rendered.
fn runtime_error(expr: &str) -> (String, String) {
    let src = rule_src(
        "boom",
        &format!("  fail when {expr} == {expr} ja \"x\" en \"x\"\n  pass otherwise ja \"x\" en \"x\""),
    );
    let program = with_test_rules(&src);
    let bytes = std::fs::read("fixtures/application/minamisorachi-r6.json").unwrap();
    let e = grant_rules::engine::decide_with(&program, &bytes).expect_err("an evaluation error");
    let grant_rules::engine::EngineError::Rules(err) = &e else {
        panic!("{}", e.render(Some(&program), false))
    };
    (err.message.clone(), program.sources.snippet(err.span).to_string())
}

#[test]
fn add_days_beyond_the_calendar_is_an_error_not_a_panic() {
    let (message, underlined) = runtime_error("add_days(2020-01-01, 7304485)");
    assert!(message.contains("beyond the calendar"), "{message}");
    assert_eq!(
        underlined, "add_days(2020-01-01, 7304485)",
        "the failing expression, not the rule"
    );
    // Input can reach it: a vision period of years times 365.
    let (message, underlined) = runtime_error("add_days(end_of(fiscal_year), region.vision_period_years * 99_999_999)");
    assert!(message.contains("beyond the calendar"), "{message}");
    assert!(underlined.starts_with("add_days("), "{underlined}");
}

#[test]
fn fiscal_year_arithmetic_does_not_wrap() {
    let (message, underlined) = runtime_error("fiscal_year + 2147483647");
    assert!(message.contains("outside the calendar"), "{message}");
    assert_eq!(underlined, "fiscal_year + 2147483647");
}

#[test]
fn a_fiscal_year_past_the_calendar_is_an_error_not_an_unknown() {
    // end_of(FY9999) would be 10000-03-31: the arithmetic that reaches it
    // is the error (end_of itself is tested on its own in eval::ops).
    let (message, underlined) = runtime_error("end_of(fiscal_year + 9000)");
    assert!(message.contains("outside the calendar"), "{message}");
    assert_eq!(underlined, "fiscal_year + 9000");
}

#[test]
fn a_decimal_literal_too_precise_is_a_syntax_error_not_zero() {
    let src = "let x = 0.00000000000000000000000000001";
    let e = parse_file(0, src).unwrap_err();
    assert!(
        e.message.contains("not a number this engine can hold exactly"),
        "{}",
        e.message
    );
    assert_eq!(&src[e.span.range()], "0.00000000000000000000000000001");
    assert!(
        parse_file(0, "let x = 0.0000000000000000000000000001").is_ok(),
        "28 places are held"
    );
}

#[test]
fn drop_more_than_the_list_holds_drops_everything() {
    let src = rule_src(
        "drop",
        "  note when 1 == 1 ja \"x\" en \"{count(drop(region.members, 100000000000000000000))} {count(drop(region.members, 9))} {count(drop(region.members, 8))}\"\n  pass otherwise ja \"x\" en \"ok\"",
    );
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    let r = d.rule("test.drop").unwrap();
    assert_eq!((r.status, r.reason.en.as_str()), (RuleStatus::Pass, "ok. 0 0 1"));
}

#[test]
fn ids_do_not_wrap_past_65535() {
    // 70,000 lets: the last one must read its own value, not another's.
    let mut src: String = (0..70_000).map(|i| format!("let w{i} = {i}\n")).collect();
    src.push_str(&rule_src(
        "last",
        "  note when 1 == 1 ja \"x\" en \"{w69999} {w65536} {w0}\"\n  pass otherwise ja \"x\" en \"ok\"",
    ));
    let d = decide(&with_test_rules(&src), "minamisorachi-r6.json");
    assert_eq!(d.rule("test.last").unwrap().reason.en, "ok. 69,999 65,536 0");
}

#[test]
fn more_than_65535_files_keep_their_own_names() {
    let mut files = app_files();
    for i in 0..65_540 {
        files.push((format!("rules/application/pad-{i:05}.rules"), "# padding\n".into()));
    }
    files.push((
        "rules/application/zz-last.rules".into(),
        rule_src("in_last_file", "  pass otherwise ja \"x\" en \"ok\""),
    ));
    let program = load(files);
    let r = program.rules.iter().find(|r| &*r.id == "test.in_last_file").unwrap();
    assert!(
        r.location.starts_with("rules/application/zz-last.rules:1:"),
        "{}",
        r.location
    );
}

#[test]
fn ten_thousand_rules_load() {
    // Loading is linear: locating each rule is a binary search in its file's
    // line starts, the plan indexes its steps, rule ids are hashed.
    let src: String = (0..10_000)
        .map(|i| rule_src(&format!("r{i}"), "  pass otherwise ja \"x\" en \"ok\""))
        .collect();
    let program = with_test_rules(&src);
    let r = program.rules.iter().find(|r| &*r.id == "test.r9999").unwrap();
    assert!(
        r.location.starts_with("rules/application/99-test.rules:"),
        "{}",
        r.location
    );
}

#[cfg(unix)]
#[test]
fn a_rule_file_that_is_not_a_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("grant-rules-zero-{}", std::process::id()));
    let kind = dir.join("application");
    std::fs::create_dir_all(&kind).unwrap();
    let link = kind.join("00-zero.rules");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let err = rules::from_dir(&dir).err().expect("refused");
    let text = err.render();
    assert!(
        text.contains("00-zero.rules") && text.contains("not a regular file"),
        "{text}"
    );
}

#[test]
fn a_huge_rule_file_is_refused_before_it_fills_memory() {
    let dir = std::env::temp_dir().join(format!("grant-rules-huge-{}", std::process::id()));
    let kind = dir.join("application");
    std::fs::create_dir_all(&kind).unwrap();
    let big = "# x\n".repeat(300_000);
    std::fs::write(kind.join("big.rules"), big).unwrap();
    let err = rules::from_dir(&dir).err().expect("refused");
    assert!(err.render().contains("larger than 1048576 bytes"), "{}", err.render());
}
