//! Errors in rule files: each test breaks one thing in a copy of the real
//! rules (rules/*.rules) and checks the diagnostic's message and the exact
//! text it underlines, not only that loading failed.

mod common;

use grant_rules::check::CheckError;
use grant_rules::rules::{self, RulesError};
use grant_rules::source::SourceMap;

/// The application's real rule files (the common ones first).
fn real_rules() -> Vec<(String, String)> {
    common::app_files()
}

/// The real rules with `from` replaced by `to` (once) in `file`.
fn edited(file: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let mut files = real_rules();
    let (_, text) = files
        .iter_mut()
        .find(|(n, _)| n == file)
        .unwrap_or_else(|| panic!("no {file}"));
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
    files
}

/// The real rules plus one extra file.
fn with_file(text: &str) -> Vec<(String, String)> {
    let mut files = real_rules();
    files.push(("rules/application/99-test.rules".into(), text.into()));
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

/// The one check error whose message is `message`, and the text it underlines.
fn find<'a>(sources: &'a SourceMap, errors: &'a [CheckError], message: &str) -> (&'a CheckError, &'a str) {
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    let e = errors
        .iter()
        .find(|e| e.message == message)
        .unwrap_or_else(|| panic!("no error {message:?} among {all:#?}"));
    (e, sources.snippet(e.span))
}

/// 1-based line and column (in characters) of byte offset `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    (
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().unwrap().chars().count() + 1,
    )
}

#[test]
fn real_rules_load() {
    // The base every other test breaks must itself be valid.
    if let Err(e) = rules::load("application", real_rules()) {
        panic!("{}", e.render());
    }
}

#[test]
fn syntax_error_points_at_the_found_token() {
    let files = edited(
        "rules/application/40-projects.rules",
        "fail when count(project.exclusions) > 0",
        "fail when count(project.exclusions) + > 0",
    );
    let text = files
        .iter()
        .find(|(n, _)| n == "rules/application/40-projects.rules")
        .unwrap()
        .1
        .clone();
    let at = text.find("+ > 0").unwrap() + 2; // the `>` where an operand should be
    let (line, col) = line_col(&text, at);
    let line_text = text.lines().nth(line - 1).unwrap();

    let err = rules::load("application", files).err().expect("a syntax error");
    let rendered = err.render();
    let RulesError::Syntax { sources, errors } = &err else {
        panic!("expected a syntax error:\n{rendered}")
    };
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(sources.snippet(errors[0].span), ">", "{rendered}");
    assert_eq!(errors[0].span.start as usize, at);
    assert!(errors[0].message.starts_with("expected "), "{}", errors[0].message);
    assert!(
        errors[0].message.contains("a name") && errors[0].message.contains("a number"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].message.ends_with("found `>`"), "{}", errors[0].message);

    // The rendered diagnostic: file:line:column, the line, a caret under `>`.
    assert!(
        rendered.contains(&format!("rules/application/40-projects.rules:{line}:{col}")),
        "{rendered}"
    );
    assert!(rendered.contains(&errors[0].message), "{rendered}");
    let lines: Vec<&str> = rendered.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.ends_with(line_text.trim_start()))
        .unwrap_or_else(|| panic!("offending line not shown:\n{rendered}"));
    let text_start =
        lines[src].find(line_text.trim_start()).unwrap() - (line_text.len() - line_text.trim_start().len());
    let caret = lines[src + 1];
    assert_eq!(
        caret.find('^'),
        Some(text_start + col - 1),
        "caret not under `>`:\n{rendered}"
    );
    assert_eq!(caret.matches('^').count(), 1, "{rendered}");
}

#[test]
fn unknown_field_suggests_the_close_name() {
    let (sources, errors) = check_errors(edited(
        "rules/application/40-projects.rules",
        "project.kind == hard",
        "project.knd == hard",
    ));
    assert_eq!(errors[0].message, "Project has no field `knd`");
    assert_eq!(sources.snippet(errors[0].span), "knd");
    assert!(
        errors[0].notes.iter().any(|n| n == "did you mean `kind`?"),
        "{:?}",
        errors[0].notes
    );
    assert!(
        errors[0]
            .notes
            .iter()
            .any(|n| n.starts_with("the fields of Project are: ") && n.contains("kind")),
        "{:?}",
        errors[0].notes
    );
    let text = sources.text(errors[0].span.file).to_string();
    let line = text[..errors[0].span.start as usize].matches('\n').count() + 1;
    let rendered = RulesError::Check { sources, errors }.render();
    assert!(
        rendered.contains(&format!("rules/application/40-projects.rules:{line}:")),
        "{rendered}"
    );
    assert!(rendered.contains("did you mean `kind`?"), "{rendered}");
}

#[test]
fn unknown_field_is_reported_once() {
    // `hard` is a fine value of ProjectKind: only the field is wrong.
    let (_, errors) = check_errors(edited(
        "rules/application/40-projects.rules",
        "project.kind == hard",
        "project.knd == hard",
    ));
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(all, ["Project has no field `knd`"]);
}

#[test]
fn adding_money_to_a_date_is_a_type_error() {
    let (sources, errors) = check_errors(edited(
        "rules/application/30-applicant.rules",
        "let fiscal_year_end = end_of(fiscal_year)",
        "let fiscal_year_end = end_of(fiscal_year) + 1円",
    ));
    assert_eq!(errors[0].message, "cannot add date and money");
    assert_eq!(sources.snippet(errors[0].span), "end_of(fiscal_year) + 1円");
    assert_eq!(errors[0].label, "date + money");
}

#[test]
fn unknown_name_suggests_the_close_name() {
    let (sources, errors) = check_errors(edited(
        "rules/application/30-applicant.rules",
        "member_count < minimum_members",
        "member_count < minimum_membrs",
    ));
    let (e, snippet) = find(&sources, &errors, "unknown name `minimum_membrs`");
    assert_eq!(snippet, "minimum_membrs");
    assert!(
        e.notes.iter().any(|n| n == "did you mean `minimum_members`?"),
        "{:?}",
        e.notes
    );
}

#[test]
fn unknown_enum_value_in_a_table() {
    let (sources, errors) = check_errors(edited("rules/common/20-expenses.rules", "  wages => 1", "  wagez => 1"));
    assert_eq!(errors[0].message, "`wagez` is not a value of ExpenseCategory");
    assert_eq!(sources.snippet(errors[0].span), "wagez");
    assert!(
        errors[0].notes.iter().any(|n| n == "did you mean `wages`?"),
        "{:?}",
        errors[0].notes
    );
    // …and so the table no longer covers `wages`.
    let (_, snippet) = find(
        &sources,
        &errors,
        "table `excluded_item` does not cover every key: no entry for: wages",
    );
    assert_eq!(snippet, "excluded_item");
}

#[test]
fn table_missing_a_key() {
    let (sources, errors) = check_errors(edited("rules/common/20-expenses.rules", "  staff_travel => 2\n", ""));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "table `excluded_item` does not cover every key: no entry for: staff_travel"
    );
    assert_eq!(sources.snippet(errors[0].span), "excluded_item");
    assert!(
        errors[0].notes.iter().any(|n| n.contains("`else => value`")),
        "{:?}",
        errors[0].notes
    );
}

#[test]
fn table_over_an_open_enum_needs_else() {
    // Every variant listed, but the enum made open: values it does not list
    // would have no entry.
    let (sources, errors) = check_errors(edited(
        "rules/application/20-vocabulary.rules",
        "enum PolicyField {",
        "enum PolicyField open {",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("table `counts_toward_two` does not cover every key: enum PolicyField is open"),
        "{}",
        errors[0].message
    );
    assert_eq!(sources.snippet(errors[0].span), "counts_toward_two");
}

#[test]
fn a_policy_field_the_counting_table_forgets_is_an_error() {
    // The extra fields of 第3(2)②エ are listed as not counting: a new value
    // must be classified, never counted (or not) by default.
    let (sources, errors) = check_errors(edited(
        "rules/application/20-vocabulary.rules",
        "  land_use, industry, local_consumption, migration, private_talent => false\n",
        "  land_use, industry, local_consumption, migration => false\n",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "table `counts_toward_two` does not cover every key: no entry for: private_talent"
    );
    assert_eq!(sources.snippet(errors[0].span), "counts_toward_two");
}

#[test]
fn an_alias_may_stand_on_several_values_a_name_only_on_one() {
    let (sources, errors) = check_errors(edited(
        "rules/common/20-expenses.rules",
        "alias \"委託費\", \"業務委託料\"",
        "alias \"委託費\", \"業務委託料\", \"負担金\"",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "`負担金` is a name of `contribution` and an alias of another value in enum ExpenseCategory"
    );
    assert!(sources.snippet(errors[0].span).starts_with("contribution "));
}

#[test]
fn field_attributes_unit_example_and_unique_are_checked() {
    let cases = [
        (
            "  name: string example \"○○圏域\" label ja \"連携地域の名称\"",
            "  name: string unit \"年\" example \"○○圏域\" label ja \"連携地域の名称\"",
            "only an `int` field has a `unit`",
            "unit \"年\"",
        ),
        (
            "vision_period_years: int unit \"年\", \"年間\" optional example \"5年\"",
            "vision_period_years: int unit \"5年\" optional example 5",
            "a unit is a word without digits or spaces, not \"5年\"",
            "unit \"5年\"",
        ),
        (
            "fiscal_year: fiscal_year example \"令和6年度\"",
            "fiscal_year: fiscal_year example \"令和六年度\"",
            "the example does not read as this field's value: not a fiscal year: \"令和六年度\"",
            "example \"令和六年度\"",
        ),
        (
            "representative: municipality one_of members.name example \"岩見沢市\"",
            "representative: municipality one_of members.name example \"岩見澤市\"",
            "the example does not read as this field's value: \"岩見澤市\" is not a Hokkaido municipality (did you mean: 岩見沢市?)",
            "example \"岩見澤市\"",
        ),
        (
            "members: list<Member> nonempty unique name example \"岩見沢市\", \"美唄市\"",
            "members: list<Member> nonempty unique name example \"岩見沢市\", \"美唄\"",
            "the example does not read as this field's value: \"美唄\" is not a Hokkaido municipality (did you mean: 美唄市?)",
            "example \"岩見沢市\", \"美唄\"",
        ),
        (
            "members: list<municipality> unique example",
            "members: list<municipality> unique name example",
            "`unique FIELD` is for a list of entities",
            "unique name",
        ),
        (
            "members: list<Member> nonempty unique name",
            "members: list<Member> nonempty unique",
            "`unique` on a list of entities names the field that must differ",
            "unique",
        ),
    ];
    for (from, to, message, underlined) in cases {
        let (sources, errors) = check_errors(edited("rules/application/00-kind.rules", from, to));
        assert_eq!(errors.len(), 1, "{to}: {errors:#?}");
        assert!(errors[0].message.starts_with(message), "{to}: {}", errors[0].message);
        assert_eq!(sources.snippet(errors[0].span).trim_end(), underlined, "{to}");
    }
}

#[test]
fn rule_without_otherwise() {
    let (sources, errors) = check_errors(edited(
        "rules/application/40-projects.rules",
        "pass otherwise\n      ja \"市町村が連携して",
        "pass when true\n      ja \"市町村が連携して",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].message, "rule `project.soft` has no final `otherwise` clause");
    assert_eq!(sources.snippet(errors[0].span), "project.soft");
}

#[test]
fn clause_after_otherwise() {
    let (sources, errors) = check_errors(edited(
        "rules/application/40-projects.rules",
        "    pass otherwise\n      ja \"市町村が連携して取り組むソフト事業です\" en \"A soft project carried out together\"\n",
        "    pass otherwise ja \"a\" en \"a\"\n    fail otherwise ja \"b\" en \"b\"\n",
    ));
    let (e, snippet) = find(&sources, &errors, "clauses after `otherwise` can never decide");
    assert_eq!(snippet, "pass otherwise ja \"a\" en \"a\"");
    assert_eq!(e.label, "this `otherwise` ends the rule");
}

#[test]
fn rule_without_summary() {
    let summary = "    summary ja \"市町村が連携して取り組むソフト事業であること\" en \"A soft project the municipalities carry out together\"\n";
    let (sources, errors) = check_errors(edited("rules/application/40-projects.rules", summary, ""));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "rule `project.soft` lacks `summary ja \"…\" en \"…\"`"
    );
    assert_eq!(sources.snippet(errors[0].span), "project.soft");
}

#[test]
fn rule_without_cite_text_and_summary() {
    let (sources, errors) = check_errors(with_file("rule test.bare {\n  pass otherwise ja \"a\" en \"a\"\n}\n"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "rule `test.bare` lacks `cite SOURCE \"article\"`, `text \"the original clause\"`, `summary ja \"…\" en \"…\"`"
    );
    assert_eq!(sources.snippet(errors[0].span), "test.bare");
    assert_eq!(sources.location(errors[0].span), "rules/application/99-test.rules:1:6");
}

#[test]
fn a_let_read_before_it_is_written() {
    // Lets read only the lets written before them, so two lets can never
    // depend on each other (and checking never recurses).
    let (sources, errors) = check_errors(with_file("let loop_a = loop_b + 1\nlet loop_b = loop_a + 1\n"));
    let (e, snippet) = find(&sources, &errors, "`loop_b` is used before it is written");
    assert_eq!(snippet, "loop_b");
    assert_eq!(sources.location(e.span), "rules/application/99-test.rules:1:14");
    assert_eq!(e.secondary.len(), 1);
    assert_eq!(sources.snippet(e.secondary[0].0), "let loop_b = loop_a + 1");
    assert_eq!(errors.len(), 1, "loop_a reads a let already written: {errors:#?}");
}

#[test]
fn cycle_through_a_status() {
    // A project's let reads the project's status, which its rules decide,
    // and one of its rules reads the let.
    let extra = "for project in projects {\n  let adopted_here = project.status == pass\n  rule project.loop {\n    cite 実施要綱 \"第4 1\"\n    text \"ソフト事業\"\n    summary ja \"s\" en \"s\"\n    fail when adopted_here ja \"a\" en \"a\"\n    pass otherwise ja \"b\" en \"b\"\n  }\n}\n";
    let (sources, errors) = check_errors(with_file(extra));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let m = &errors[0].message;
    assert!(m.starts_with("these depend on each other in a cycle: "), "{m}");
    assert!(
        m.contains("`adopted_here`") && m.contains("rule `project.loop`") && m.contains("the status of each Project"),
        "{m}"
    );
    // Each member of the cycle is underlined: the primary span and a
    // secondary label for each of the others.
    let mut underlined: Vec<&str> = vec![sources.snippet(errors[0].span)];
    underlined.extend(errors[0].secondary.iter().map(|(s, _)| sources.snippet(*s)));
    assert!(
        underlined.iter().any(|u| u.starts_with("let adopted_here")),
        "{underlined:?}"
    );
    assert!(
        underlined.iter().any(|u| u.starts_with("rule project.loop")),
        "{underlined:?}"
    );
    assert!(
        errors[0]
            .secondary
            .iter()
            .all(|(_, l)| l.ends_with("is part of the cycle"))
    );
    let rendered = RulesError::Check { sources, errors }.render();
    assert!(rendered.matches("is part of the cycle").count() >= 2, "{rendered}");
}

#[test]
fn unknown_source_in_cite() {
    let (sources, errors) = check_errors(edited(
        "rules/application/40-projects.rules",
        "cite 実施要綱 \"第4 1\"",
        "cite 実施要領 \"第4 1\"",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].message, "unknown source `実施要領`");
    assert_eq!(sources.snippet(errors[0].span), "実施要領");
    assert_eq!(errors[0].label, "not declared with `source`");
    assert!(
        errors[0].notes.iter().any(|n| n == "did you mean `実施要綱`?"),
        "{:?}",
        errors[0].notes
    );
}

#[test]
fn a_kind_must_word_every_verdict() {
    let (sources, errors) = check_errors(edited(
        "rules/application/00-kind.rules",
        "  outcome unknown \"incomplete\" ja \"情報不足\" en \"INCOMPLETE\"\n",
        "",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "kind \"grant-application/v1\" gives no outcome word for: unknown"
    );
    assert!(
        sources
            .snippet(errors[0].span)
            .starts_with("kind \"grant-application/v1\"")
    );
}

#[test]
fn a_show_of_an_undeclared_name() {
    let (sources, errors) = check_errors(edited(
        "rules/application/50-amount.rules",
        "show grant_amount = grant_amount when",
        "show grant_amount = grant_amout when",
    ));
    let (e, snippet) = find(&sources, &errors, "unknown name `grant_amout`");
    assert_eq!(snippet, "grant_amout");
    assert!(
        e.notes.iter().any(|n| n == "did you mean `grant_amount`?"),
        "{:?}",
        e.notes
    );
}

#[test]
fn overlapping_parameter_versions() {
    let (sources, errors) = check_errors(edited(
        "rules/application/10-parameters.rules",
        "  2020-11-02.. = 10万円 cite 実施要綱 \"附則\"\n",
        "  2020-11-02.. = 10万円 cite 実施要綱 \"附則\"\n  2021-04-01.. = 20万円\n",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("parameter `grant_unit`: this version overlaps the one before it"),
        "{}",
        errors[0].message
    );
    assert_eq!(sources.snippet(errors[0].span).trim_end(), "2021-04-01.. = 20万円");
    assert_eq!(
        sources.location(errors[0].span),
        "rules/application/10-parameters.rules:20:3"
    );
}

#[test]
fn parameter_version_span_stops_at_its_value() {
    let (sources, errors) = check_errors(edited(
        "rules/application/10-parameters.rules",
        "  2020-11-02.. = 10万円 cite 実施要綱 \"附則\"\n",
        "  2020-11-02.. = 10万円 cite 実施要綱 \"附則\"\n  2021-04-01.. = 20万円\n",
    ));
    assert_eq!(sources.snippet(errors[0].span), "2021-04-01.. = 20万円");
    let rendered = RulesError::Check { sources, errors }.render();
    assert!(!rendered.contains("21 │"), "the caret spills onto line 21:\n{rendered}");
}

#[test]
fn parameter_version_ending_before_it_starts() {
    let (sources, errors) = check_errors(edited(
        "rules/application/10-parameters.rules",
        "2020-11-02.. = 10万円",
        "2020-11-02..2020-11-01 = 10万円",
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "the version ends (2020-11-01) before it starts (2020-11-02)"
    );
    assert_eq!(
        sources.snippet(errors[0].span).trim_end(),
        "2020-11-02..2020-11-01 = 10万円 cite 実施要綱 \"附則\""
    );
}

#[test]
fn parameter_value_of_the_wrong_type() {
    let (sources, errors) = check_errors(edited(
        "rules/application/10-parameters.rules",
        "2020-11-02.. = 1000万円",
        "2020-11-02.. = 2020-01-01",
    ));
    assert_eq!(errors[0].message, "expected money, found date");
    assert_eq!(sources.snippet(errors[0].span), "2020-01-01");
}

#[test]
fn bad_date_literal() {
    let files = edited(
        "rules/application/10-parameters.rules",
        "2020-11-02.. = 1000万円",
        "2020-13-02.. = 1000万円",
    );
    let err = rules::load("application", files).err().expect("a bad date");
    let rendered = err.render();
    let RulesError::Syntax { sources, errors } = &err else {
        panic!("expected a syntax error:\n{rendered}")
    };
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(errors[0].message, "`2020-13-02` is not a valid date");
    assert_eq!(sources.snippet(errors[0].span), "2020-13-02");
    assert!(
        rendered.contains("rules/application/10-parameters.rules:12:3"),
        "{rendered}"
    );
    assert!(rendered.contains("2020-13-02.. = 1000万円"), "{rendered}");
}

#[test]
fn bad_hole_in_a_message() {
    let files = edited(
        "rules/application/40-projects.rules",
        "en \"Not eligible under 第4 2: {project.exclusions}\"",
        "en \"Not eligible under 第4 2: {project.exclusions +}\"",
    );
    let err = rules::load("application", files)
        .err()
        .expect("a syntax error in a hole");
    let RulesError::Syntax { sources, errors } = &err else {
        panic!("{}", err.render())
    };
    // The error is placed in the file, inside the string, at the end of the hole's text.
    let loc = sources.location(errors[0].span);
    let text = sources.text(errors[0].span.file);
    let line = text[..text.find("{project.exclusions +}").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        loc.starts_with(&format!("rules/application/40-projects.rules:{line}:")),
        "{loc}"
    );
    let hole = text.find("{project.exclusions +}").unwrap();
    assert!(
        (hole..hole + "{project.exclusions +}".len()).contains(&(errors[0].span.start as usize)),
        "{loc}"
    );
}

#[test]
fn unclosed_brace_in_a_message() {
    let files = edited(
        "rules/application/40-projects.rules",
        "en \"A soft project carried out together\"",
        "en \"A soft {project carried out together\"",
    );
    let err = rules::load("application", files).err().expect("an unclosed brace");
    let RulesError::Syntax { sources, errors } = &err else {
        panic!("{}", err.render())
    };
    assert_eq!(
        errors[0].message,
        "unclosed `{` in message: write `{{` for a literal brace"
    );
    assert_eq!(sources.snippet(errors[0].span), "{");
}

#[test]
fn type_error_span_includes_parentheses() {
    let (sources, errors) = check_errors(edited(
        "rules/application/30-applicant.rules",
        "let fiscal_year_end = end_of(fiscal_year)",
        "let fiscal_year_end = (end_of(fiscal_year)) + (1円)",
    ));
    assert_eq!(errors[0].message, "cannot add date and money");
    assert_eq!(sources.snippet(errors[0].span), "(end_of(fiscal_year)) + (1円)");
}

#[test]
fn two_kinds_in_one_folder() {
    let (sources, errors) = check_errors(with_file(
        "kind \"grant-application/v2\" {\n  title \"t\"\n  version \"1\"\n  root Application\n  as_of end_of(fiscal_year)\n}\n",
    ));
    let (e, snippet) = find(&sources, &errors, "a second `kind` in one rule folder");
    assert!(snippet.starts_with("kind \"grant-application/v2\""), "{snippet}");
    assert!(
        e.notes.iter().any(|n| n.contains("grant-application/v1")),
        "{:?}",
        e.notes
    );
}

#[test]
fn as_of_reads_no_parameter() {
    // The date chooses the parameters in force, so it cannot read one.
    let (sources, errors) = check_errors(edited(
        "rules/application/00-kind.rules",
        "as_of end_of(fiscal_year)",
        "as_of end_of(fiscal_year) + support_years",
    ));
    let (e, snippet) = find(&sources, &errors, "unknown field of the document `support_years`");
    assert_eq!(snippet, "support_years");
    assert!(e.notes.iter().any(|n| n.contains("cannot read one")), "{:?}", e.notes);
}

#[test]
fn a_field_of_an_unknown_type() {
    let (sources, errors) = check_errors(edited(
        "rules/application/20-vocabulary.rules",
        "enum ProjectExclusion {",
        "enum ProjectExclusions {",
    ));
    let (e, snippet) = find(&sources, &errors, "unknown type `ProjectExclusion`");
    assert_eq!(snippet, "ProjectExclusion");
    assert!(
        e.notes.iter().any(|n| n == "did you mean `ProjectExclusions`?"),
        "{:?}",
        e.notes
    );
    assert!(sources.location(e.span).starts_with("rules/application/00-kind.rules:"));
}

#[test]
fn garbage_never_panics() {
    let mut inputs: Vec<Vec<(String, String)>> = vec![
        vec![],
        vec![("a.rules".into(), "}".into())],
        vec![("a.rules".into(), String::new())],
        vec![("a.rules".into(), "rule x.y { pass otherwise ja \"{\" en \"}\" }".into())],
        vec![(
            "a.rules".into(),
            "kind \"x/v1\" { title \"t\" version \"1\" root X as_of 2020-01-01 }".into(),
        )],
        vec![("a.rules".into(), "let x = \"unterminated".into())],
        vec![(
            "a.rules".into(),
            "param p: money { 9999-12-31.. = 99999999999999999999999999999999万円 }".into(),
        )],
        vec![("a.rules".into(), "\u{3000}ルール　｛\n".into())],
    ];
    // Pseudo-random bytes, read as text the way a file would be.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [1, 7, 64, 500, 4096] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (seed >> 56) as u8
            })
            .collect();
        inputs.push(vec![(
            "random.rules".into(),
            String::from_utf8_lossy(&bytes).into_owned(),
        )]);
    }
    for files in inputs {
        let shown = format!("{files:?}");
        let err = rules::load("application", files)
            .err()
            .unwrap_or_else(|| panic!("loaded: {shown}"));
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn garbage_errors_render() {
    let err = rules::load("application", vec![("a.rules".into(), "}".into())])
        .err()
        .expect("`}` alone is not a rule set");
    let rendered = err.render();
    assert!(
        rendered.contains("a.rules:1:1") && rendered.contains("found `}`"),
        "{rendered}"
    );
    let err = rules::load("application", vec![("a.rules".into(), String::new())])
        .err()
        .expect("an empty file is not a rule set");
    let rendered = err.render();
    assert!(
        rendered.contains("the rule folder `application` declares no `kind` (first file: a.rules)"),
        "{rendered}"
    );
}

#[test]
fn empty_file_set_error_renders() {
    let err = rules::load("application", vec![])
        .err()
        .expect("no files is not a rule set");
    let rendered = err.render();
    assert!(rendered.contains("(no files)"), "{rendered}");
}

#[test]
fn truncated_real_rules_never_panic() {
    let mut seed: u64 = 42;
    for round in 0..20 {
        let mut files = real_rules();
        let i = round % files.len();
        let text = &mut files[i].1;
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mut cut = (seed >> 33) as usize % text.len();
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // Cut the file short: the rest is lost mid-declaration.
        text.truncate(cut);
        let result = rules::load("application", files);
        if let Err(e) = result {
            assert!(!e.render().is_empty());
        }
    }
}

/// Deep nesting and very long expressions are syntax errors, not a stack overflow.
#[test]
fn deep_nesting_and_long_chains_are_errors() {
    let deep = format!("let x = {}1{}", "(".repeat(700), ")".repeat(700));
    let e = grant_rules::syntax::parse_file(0, &deep).unwrap_err();
    assert!(e.message.contains("nested more than 32"), "{}", e.message);
    assert_eq!(&deep[e.span.range()], "(");
    let long = format!("let x = 1{}", " + 1".repeat(300));
    let e = grant_rules::syntax::parse_file(0, &long).unwrap_err();
    assert!(e.message.contains("300 operators"), "{}", e.message);
    let nots = format!("let x = {}true", "not ".repeat(80));
    let e = grant_rules::syntax::parse_file(0, &nots).unwrap_err();
    assert!(e.message.contains("nested more than 64"), "{}", e.message);
}

/// A let's `label` names a value (for the counterfactuals); it is words,
/// not a message: a hole in it is an error at the label.
#[test]
fn a_let_label_is_plain_text() {
    let (sources, errors) = check_errors(edited(
        "rules/application/30-applicant.rules",
        r#"label ja "連携市町村の数" en "Number of members""#,
        r#"label ja "連携市町村の数 {member_count}" en "Number of members""#,
    ));
    let (_, underlined) = find(
        &sources,
        &errors,
        "a label is plain text: it cannot show values with `{…}`",
    );
    assert_eq!(
        underlined,
        r#"ja "連携市町村の数 {member_count}" en "Number of members""#
    );
}

/// A rule's own let may have a label (it names, it is no step), not an
/// `explain` (a step of a derivation).
#[test]
fn a_rule_let_takes_a_label_not_an_explain() {
    let labelled = edited(
        "rules/application/30-applicant.rules",
        "  let supplied = [m.name for m in region.members where count(m.supplied) > 0]\n",
        "  let supplied = [m.name for m in region.members where count(m.supplied) > 0]\n    label ja \"登録から補った市町村\" en \"Members the registry supplied\"\n",
    );
    assert!(rules::load("application", labelled).is_ok());
    let (sources, errors) = check_errors(edited(
        "rules/application/30-applicant.rules",
        "  let supplied = [m.name for m in region.members where count(m.supplied) > 0]\n",
        "  let supplied = [m.name for m in region.members where count(m.supplied) > 0]\n    explain ja \"登録から補った市町村\" en \"Members the registry supplied\"\n",
    ));
    let (_, underlined) = find(
        &sources,
        &errors,
        "a rule's own `let` is a local step: `explain` and `output` belong to lets outside rules",
    );
    assert!(underlined.starts_with("let supplied = "), "{underlined}");
}
