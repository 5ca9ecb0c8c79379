//! The reviewer's workbench (issue 7): what a decision that does not pass
//! costs with its counterfactuals, the 審査調書 (HTML) of a decision, a
//! workbook imported, and a whole folder reviewed on one thread and on
//! every core.
//!
//! `cargo bench --bench workbench`; the README's Speed section quotes it.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use grant_rules::import::{self, SheetFormat};
use grant_rules::{batch, engine};

/// Decisions that are not a plain pass: the engine reads what would change
/// them off the rules (counterfactuals), which a pass does not pay for.
const NOT_PASS: [(&str, &str); 3] = [
    ("ineligible/half-3of5-fail", "fixtures/application/half-3of5-fail.json"),
    ("needs_review/island-review", "fixtures/application/island-review.json"),
    (
        "incomplete/flag-missing-matters",
        "fixtures/application/flag-missing-matters.json",
    ),
];

fn not_pass(c: &mut Criterion) {
    let book = grant_rules::rules::embedded().expect("rules load");
    let mut g = c.benchmark_group("decide");
    for (name, file) in NOT_PASS {
        let bytes = std::fs::read(file).expect("fixture");
        g.bench_function(name, |b| b.iter(|| engine::decide(&book, black_box(&bytes))));
    }
    g.finish();
}

fn renderings(c: &mut Criterion) {
    let book = grant_rules::rules::embedded().expect("rules load");
    let bytes = std::fs::read("fixtures/application/minamisorachi-r6.json").expect("fixture");
    let (_, d) = engine::decide(&book, &bytes).unwrap_or_else(|_| panic!("decides"));
    let mut g = c.benchmark_group("render/minamisorachi-r6");
    let lang = grant_rules::text::Lang::Ja;
    g.bench_function("text", |b| b.iter(|| grant_rules::cli::report(black_box(&d), lang)));
    g.bench_function("html", |b| {
        b.iter(|| grant_rules::cli::html(black_box(&d), lang, false))
    });
    g.bench_function("markdown", |b| {
        b.iter(|| grant_rules::cli::markdown(black_box(&d), lang, false))
    });
    g.finish();
}

fn intake(c: &mut Criterion) {
    let book = grant_rules::rules::embedded().expect("rules load");
    let mut g = c.benchmark_group("import");
    for (name, file, format) in [
        ("officer.xlsx", "fixtures/import/officer.xlsx", SheetFormat::Xlsx),
        ("officer.csv", "fixtures/import/officer.csv", SheetFormat::Csv),
        ("plan.xlsx (南空知 R6)", "fixtures/import/plan.xlsx", SheetFormat::Xlsx),
    ] {
        let bytes = std::fs::read(file).expect("fixture");
        g.bench_function(name, |b| {
            b.iter(|| import::document_from_bytes(&book, black_box(&bytes), format))
        });
    }
    g.bench_function("template.xlsx", |b| {
        b.iter(|| import::template(&book, SheetFormat::Xlsx, None))
    });
    g.finish();
}

/// `review fixtures/` without the table: find, read, import, decide.
fn review(c: &mut Criterion) {
    let book = grant_rules::rules::embedded().expect("rules load");
    let paths: Vec<PathBuf> = batch::find(&[PathBuf::from("fixtures")], None);
    let mut g = c.benchmark_group(format!("review/{} documents", paths.len()));
    g.sample_size(20);
    for jobs in [1, 2] {
        g.bench_function(format!("{jobs} thread(s)"), |b| {
            b.iter(|| {
                let bar = indicatif::ProgressBar::hidden();
                batch::each(&paths, jobs, &bar, |p| batch::decide_file(&book, p, None)).expect("threads")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, not_pass, renderings, intake, review);
criterion_main!(benches);
