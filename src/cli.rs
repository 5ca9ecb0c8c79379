//! The `grant-rules` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::decision::Decision;
use crate::engine;
use crate::render;
use crate::rules::{self, RuleBook};
use crate::text::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "grant-rules",
    version,
    about = "Decides documents of 地域づくり総合交付金（広域連携加速化事業） and of settlement-zone finance, article by article"
)]
pub struct Cli {
    /// Evaluate with the rule tree in this directory (common/ and one folder
    /// per kind) instead of the built-in rules.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decide one or more documents; each one's kind comes from its `format`.
    Check {
        /// Document files (JSON; a workbook .xlsx or a .csv is imported
        /// first, as `import` does).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output: a text report, or the decision JSON.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the text report and of error messages.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
        /// Decide with the rules and parameters in force on this date
        /// (YYYY-MM-DD) instead of the document's own date (an application:
        /// the end of its fiscal year).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
        /// Show the rule language too: each rule's quoted clause and the
        /// formula of each step of the amounts.
        #[arg(long)]
        explain: bool,
    },
    /// Print the JSON Schema of a kind's documents (or, with --decision, of its decisions).
    Schema {
        /// The kind: its folder name (application, change, report,
        /// zone-finance, central-city) or its format (grant-change/v1).
        #[arg(default_value = "application")]
        kind: String,
        /// The schema of the decision instead of the document.
        #[arg(long)]
        decision: bool,
    },
    /// Check the rule files of every kind and report errors (file:line:column).
    Rules,
    /// Print, as Markdown, which articles of the cited documents the rules
    /// cite (in every kind), and why the others are not; exit 2 when an
    /// article nothing cites gives no reason, or one that is cited gives one.
    Coverage,
    /// Print a starting document of a kind, in Japanese, with a comment on
    /// each field (JSON with comments, which `check` reads).
    Init {
        /// The kind: its folder name (application, change, report,
        /// zone-finance, central-city) or its format.
        #[arg(default_value = "application")]
        kind: String,
    },
    /// Read an application written in the workbook (.xlsx) or its CSV form
    /// into a grant-application/v1 JSON document; every wrong cell is
    /// reported as Sheet!B12, in one pass.
    Import {
        /// The workbook (.xlsx, .xlsm) or CSV (.csv).
        file: PathBuf,
        /// Write the document to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Language of the error messages.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
    },
    /// Write the application workbook (.xlsx, or its CSV form) to fill in,
    /// with the bundled example (or --from an application) filled in.
    Template {
        /// Write to this file (.xlsx, or .csv for the CSV form) instead of
        /// standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The CSV form (the default when --out ends in .csv).
        #[arg(long)]
        csv: bool,
        /// Fill the workbook with this application (JSON) instead of the example.
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

/// Runs the command line; the exit code is 0 whenever decisions were made
/// (whatever their outcome) and non-zero only when a document or the rules
/// could not be read.
pub fn run(cli: Cli) -> ExitCode {
    let Some(book) = load(cli.rules.as_deref()) else {
        return ExitCode::from(2);
    };
    let no_kind = |kind: &str| {
        let kinds: Vec<String> = book
            .kinds
            .iter()
            .map(|p| format!("{} ({})", p.kind.name, p.kind.format))
            .collect();
        eprintln!(
            "error: no kind {}; the kinds are: {}",
            crate::text::quoted(kind),
            kinds.join(", ")
        );
        ExitCode::from(2)
    };
    match cli.command {
        Command::Schema { kind, decision } => match book.kind(&kind) {
            Some(p) if decision => print(&crate::schema_json::decision_schema(p)),
            Some(p) => print(&crate::schema_json::input_schema(p)),
            None => no_kind(&kind),
        },
        Command::Init { kind } => match book.kind(&kind) {
            Some(p) => print(&crate::init::starter(p)),
            None => no_kind(&kind),
        },
        Command::Rules => {
            let lines: String = book
                .kinds
                .iter()
                .map(|p| {
                    format!(
                        "ok: {} ({}): {} rules, {} parameters, version {} (sha256 {})\n",
                        p.kind.name,
                        p.kind.format,
                        p.rules.len(),
                        p.params.len(),
                        p.kind.version,
                        p.sha256
                    )
                })
                .collect();
            print(&lines)
        }
        Command::Check {
            files,
            format,
            lang,
            as_of,
            explain,
        } => check(&book, &files, format, lang, as_of, explain),
        Command::Import { file, out, lang } => import(&book, &file, out.as_deref(), lang == LangArg::Ja),
        Command::Template { out, csv, from } => template(&book, out.as_deref(), csv, from.as_deref()),
        Command::Coverage => {
            let coverage = crate::coverage::of(&book);
            if coverage.problems.is_empty() {
                return print(&coverage.markdown);
            }
            eprint!("{}", coverage.render_problems());
            eprintln!("error: {} problem(s) in the article lists", coverage.problems.len());
            ExitCode::from(2)
        }
    }
}

fn load(dir: Option<&std::path::Path>) -> Option<RuleBook> {
    let loaded = match dir {
        Some(d) => rules::from_dir(d),
        None => rules::embedded(),
    };
    match loaded {
        Ok(p) => Some(p),
        Err(e) => {
            eprint!("{}", e.render());
            eprintln!("error: {e}");
            None
        }
    }
}

/// `--as-of`: an ISO date, or a Japanese one (`令和6年4月1日`).
fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    crate::model::JpDate::parse(s).map(|d| d.0).map_err(|e| e.to_string())
}

fn check(
    book: &RuleBook,
    files: &[PathBuf],
    format: Format,
    lang: LangArg,
    as_of: Option<jiff::civil::Date>,
    explain: bool,
) -> ExitCode {
    let lang = match lang {
        LangArg::Ja => Lang::Ja,
        LangArg::En => Lang::En,
    };
    let mut outputs: Vec<(&PathBuf, Decision)> = Vec::new();
    let mut failed = false;
    for file in files {
        if crate::import::is_spreadsheet(file) {
            match crate::import::document_from_path(book, file) {
                Ok(imported) => match engine::decide_as_of(book, &imported.json, as_of) {
                    Ok((_, d)) => outputs.push((file, d)),
                    Err((program, e)) => {
                        for line in e.render(program, lang == Lang::Ja).lines() {
                            eprintln!("{}: {line}", file.display());
                        }
                        failed = true;
                    }
                },
                Err(errors) => {
                    for line in errors.render(lang == Lang::Ja).lines() {
                        eprintln!("{}: {line}", file.display());
                    }
                    failed = true;
                }
            }
            continue;
        }
        let bytes = match read(file) {
            Ok(Some(b)) => b,
            Ok(None) => {
                let e = crate::input::too_large(None);
                eprintln!("{}: {}", file.display(), e.render(lang == Lang::Ja));
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("{}: cannot read: {e}", file.display());
                failed = true;
                continue;
            }
        };
        match engine::decide_as_of(book, &bytes, as_of) {
            Ok((_, d)) => outputs.push((file, d)),
            Err((program, e)) => {
                let text = e.render(program, lang == Lang::Ja);
                for line in text.lines() {
                    eprintln!("{}: {line}", file.display());
                }
                failed = true;
            }
        }
    }
    let text = match format {
        Format::Json if files.len() == 1 => outputs.first().map(|(_, d)| json(d)).unwrap_or_default(),
        Format::Json => {
            let labelled: Vec<serde_json::Value> = outputs
                .iter()
                .map(|(f, d)| serde_json::json!({ "file": f.display().to_string(), "decision": d }))
                .collect();
            json(&labelled)
        }
        Format::Text if files.len() == 1 => outputs
            .first()
            .map(|(_, d)| report_with(d, lang, explain))
            .unwrap_or_default(),
        Format::Text => outputs
            .iter()
            .map(|(file, d)| format!("== {} ==\n{}", file.display(), report_with(d, lang, explain)))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if !text.is_empty() {
        let _ = print(&text);
    }
    if failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
}

/// `grant-rules import`: the document, or every wrong cell (exit 2).
fn import(book: &RuleBook, file: &std::path::Path, out: Option<&std::path::Path>, ja: bool) -> ExitCode {
    match crate::import::document_from_path(book, file) {
        Ok(imported) => write_out(out, &imported.json),
        Err(errors) => {
            for line in errors.render(ja).lines() {
                eprintln!("{}: {line}", file.display());
            }
            ExitCode::from(2)
        }
    }
}

/// `grant-rules template`: the workbook (or CSV), never printed to a terminal.
fn template(book: &RuleBook, out: Option<&std::path::Path>, csv: bool, from: Option<&std::path::Path>) -> ExitCode {
    use crate::import::SheetFormat;
    let format = match out.and_then(SheetFormat::of_path) {
        Some(f) if !csv => f,
        _ if csv => SheetFormat::Csv,
        _ => SheetFormat::Xlsx,
    };
    if out.is_none() && format == SheetFormat::Xlsx && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        eprintln!(
            "error: a workbook is not for a terminal: redirect it (grant-rules template > plan.xlsx) or give --out plan.xlsx"
        );
        return ExitCode::from(2);
    }
    let from_bytes = match from.map(read) {
        None => None,
        Some(Ok(Some(b))) => Some(b),
        Some(Ok(None)) => {
            eprintln!("error: {}", crate::input::too_large(None).en);
            return ExitCode::from(2);
        }
        Some(Err(e)) => {
            eprintln!(
                "error: cannot read {}: {e}",
                from.unwrap_or(std::path::Path::new("")).display()
            );
            return ExitCode::from(2);
        }
    };
    match crate::import::template(book, format, from_bytes.as_deref()) {
        Ok(bytes) => write_out(out, &bytes),
        Err(errors) => {
            let name = from.map(|f| f.display().to_string()).unwrap_or_default();
            for line in errors.render(false).lines() {
                eprintln!("{name}: {line}");
            }
            ExitCode::from(2)
        }
    }
}

/// Bytes to a file, or to standard output.
fn write_out(out: Option<&std::path::Path>, bytes: &[u8]) -> ExitCode {
    match out {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            let mut o = std::io::stdout().lock();
            if o.write_all(bytes).and_then(|_| o.flush()).is_err() {
                return ExitCode::from(3);
            }
            ExitCode::SUCCESS
        }
    }
}

/// The text report of a decision.
pub fn report(d: &Decision, lang: Lang) -> String {
    report_with(d, lang, false)
}

/// The text report, with the rule language too (formulas, quoted clauses)
/// when `explain` (`check --explain`).
pub fn report_with(d: &Decision, lang: Lang, explain: bool) -> String {
    render::text::render(&crate::document::of(d, explain), lang)
}

/// A document file, up to the size the reader accepts; `None` for a larger
/// one, or a device like `/dev/zero`, refused before it fills memory.
fn read(path: &std::path::Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let limit = crate::input::MAX_DOCUMENT_BYTES as u64;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn print(s: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    if out.write_all(s.as_bytes()).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}
