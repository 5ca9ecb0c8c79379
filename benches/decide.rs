//! One decision, stage by stage: parse (JSON bytes → a tree with
//! positions), read (the tree → facts, by the kind's declared shape),
//! evaluate (the kind's date, then the rules), assemble (the typed
//! decision), render (document model → text report, and JSON), and the
//! whole path from bytes to decision. An application (a typical one and the
//! largest fixture) and a document of each other kind.
//!
//! `cargo bench --bench decide`; the numbers in the README come from here.
//! The old core's numbers (before one core served every kind) are in
//! docs/bench-baseline.md, from the same fixtures and stages.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use grant_rules::{decision, engine, eval, input};

const FIXTURES: [(&str, &str); 6] = [
    ("minamisorachi-r6", "fixtures/application/minamisorachi-r6.json"),
    ("exclusions-mixed", "fixtures/application/project-exclusions-mixed.json"),
    ("change", "fixtures/change/project-dropped.json"),
    ("report", "fixtures/report/other-formats-example.json"),
    ("zone-finance", "fixtures/zone-finance/other-formats-example.json"),
    ("central-city", "fixtures/central-city/iwamizawa-2020-census.json"),
];

fn stages(c: &mut Criterion) {
    let book = grant_rules::rules::embedded().expect("rules load");
    for (name, file) in FIXTURES {
        let bytes = std::fs::read(file).expect("fixture");
        let (program, d) = engine::decide(&book, &bytes).unwrap_or_else(|_| panic!("{file} decides"));
        let mut g = c.benchmark_group(name);
        if name.starts_with("minamisorachi") || name.starts_with("exclusions") {
            let parsed = input::parse(&bytes).expect("parses");
            let facts = || input::read(program, &input::parse(&bytes).unwrap()).unwrap();
            let (f, as_of) = eval::as_of(program, facts());
            let as_of = as_of.unwrap().unwrap();
            let ev = eval::evaluate(program, f, as_of).expect("evaluates");
            g.bench_function("parse", |b| b.iter(|| input::parse(black_box(&bytes))));
            g.bench_function("read", |b| b.iter(|| input::read(program, black_box(&parsed))));
            g.bench_function("evaluate", |b| {
                b.iter_batched(
                    facts,
                    |f| {
                        let (f, as_of) = eval::as_of(program, f);
                        eval::evaluate(program, f, as_of.unwrap().unwrap())
                    },
                    BatchSize::SmallInput,
                )
            });
            g.bench_function("assemble", |b| {
                b.iter(|| decision::decide(black_box(&ev), String::new()))
            });
            g.bench_function("render_text", |b| {
                b.iter(|| grant_rules::cli::report(black_box(&d), grant_rules::text::Lang::Ja))
            });
            g.bench_function("render_json", |b| {
                b.iter(|| serde_json::to_string_pretty(black_box(&d)))
            });
        }
        g.bench_function("bytes_to_decision", |b| {
            b.iter(|| engine::decide(&book, black_box(&bytes)))
        });
        g.finish();
    }
}

/// Loading the built-in rules of every kind (parse, check, compile).
fn load(c: &mut Criterion) {
    c.bench_function("load_rules", |b| b.iter(grant_rules::rules::embedded));
}

criterion_group!(benches, stages, load);
criterion_main!(benches);
