//! One application decision, stage by stage: read (JSON bytes → document),
//! facts, evaluate, assemble (the typed decision), render (text report and
//! JSON), and the whole path from bytes to decision.
//!
//! `cargo bench --bench decide`; the numbers in the README come from here.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use grant_rules::report::{self, Lang};
use grant_rules::{decision, engine, eval, facts, model};

/// A typical application (南空知圏域 令和6年度: 9 members, 3 projects, 11
/// lines) and the largest fixture (5 projects, 23 lines, every exclusion).
const FIXTURES: [(&str, &str); 2] = [
    ("minamisorachi-r6", "fixtures/minamisorachi-r6.json"),
    ("exclusions-mixed", "fixtures/project-exclusions-mixed.json"),
];

fn stages(c: &mut Criterion) {
    for (name, file) in FIXTURES {
        fixture(c, name, file);
    }
}

fn fixture(c: &mut Criterion, name: &str, file: &str) {
    let program = grant_rules::rules::embedded().expect("rules load");
    let bytes = std::fs::read(file).expect("fixture");
    let app = model::parse_application(&bytes).expect("reads");
    let as_of = app.fiscal_year.end();
    let built = || facts::build(&program, &app).expect("facts");
    let ev = eval::evaluate(&program, built(), as_of).expect("evaluates");
    let d = decision::decide(&ev, String::new()).expect("decides");

    let mut g = c.benchmark_group(name);
    g.bench_function("read", |b| b.iter(|| model::parse_application(black_box(&bytes))));
    g.bench_function("facts", |b| b.iter(|| facts::build(&program, black_box(&app))));
    g.bench_function("evaluate", |b| {
        b.iter_batched(
            built,
            |f| eval::evaluate(&program, f, as_of),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("assemble", |b| {
        b.iter(|| decision::decide(black_box(&ev), String::new()))
    });
    g.bench_function("render_text", |b| b.iter(|| report::render(black_box(&d), Lang::Ja)));
    g.bench_function("render_json", |b| {
        b.iter(|| serde_json::to_string_pretty(black_box(&d)))
    });
    g.bench_function("bytes_to_decision", |b| {
        b.iter(|| engine::decide(&program, black_box(&bytes)))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
