//! Helpers the integration tests share: the rule files of a kind as a test
//! can change them, loading them, and deciding a fixture.
#![allow(dead_code)]

pub mod page;

use std::process::{Command, Output};

/// Runs the `grant-rules` binary the tests were built with.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grant-rules"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What a run printed on standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// What a run printed on standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

use std::path::Path;

use grant_rules::decision::{Datum, Decision};
use grant_rules::program::Program;
use grant_rules::rules;
use rust_decimal::prelude::ToPrimitive;

/// The rule files of `kind` (the common files first), named as
/// `rules::embedded` names them (tests run in the crate root).
pub fn kind_files(kind: &str) -> Vec<(String, String)> {
    let tree = rules::read_tree(Path::new("rules")).expect("rules/ (tests run in the crate root)");
    let mut files = tree.common.clone();
    let (_, own) = tree
        .kinds
        .iter()
        .find(|(n, _)| n == kind)
        .unwrap_or_else(|| panic!("no kind {kind}"));
    files.extend(own.iter().cloned());
    files
}

/// The application's rule files.
pub fn app_files() -> Vec<(String, String)> {
    kind_files("application")
}

pub fn load_kind(kind: &str, files: Vec<(String, String)>) -> Program {
    rules::load(kind, files).unwrap_or_else(|e| panic!("{}", e.render()))
}

pub fn load(files: Vec<(String, String)>) -> Program {
    load_kind("application", files)
}

/// The application's rules plus `rules/application/99-test.rules`.
pub fn with_test_rules(extra: &str) -> Program {
    let mut files = app_files();
    files.push(("rules/application/99-test.rules".into(), extra.into()));
    load(files)
}

pub fn decide_bytes(program: &Program, bytes: &[u8]) -> Decision {
    grant_rules::engine::decide_with(program, bytes).unwrap_or_else(|e| panic!("{}", e.render(Some(program), false)))
}

/// Decides `fixtures/application/NAME`.
pub fn decide(program: &Program, fixture: &str) -> Decision {
    decide_bytes(
        program,
        &std::fs::read(format!("fixtures/application/{fixture}")).unwrap(),
    )
}

/// A top-level amount, in yen (`None` when null).
pub fn yen(d: &Decision, key: &str) -> Option<i64> {
    match d.field(key).map(|f| &f.value) {
        Some(Datum::Money(n)) => n.to_i64(),
        _ => None,
    }
}

/// fixtures/application/minamisorachi-r6.json with one text replaced.
pub fn edited_fixture(from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string("fixtures/application/minamisorachi-r6.json").unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}
