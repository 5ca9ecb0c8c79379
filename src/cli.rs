//! The `grant-rules` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::decision::Decision;
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
        /// Output: a text report, the decision JSON (with several files,
        /// one object keyed by file, a file not decided with its errors, as
        /// `review --format json` gives it), or the 審査調書 a prefecture
        /// files (HTML for A4 print, or Markdown).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the report and of error messages.
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
    /// Decide every document of folders and files at once, on every core,
    /// and print a summary: a row per file (kind, title, outcome, amount,
    /// the rules not passed) and the totals.
    ///
    /// A directory is searched recursively for *.json files and workbooks
    /// (*.xlsx, *.xlsm, *.csv; hidden ones, Excel's ~$ lock files and the
    /// --out directory left out); a file named is taken whatever its name. Each document's kind comes from its `format`, as in
    /// `check`. The rows are sorted by path. A file that cannot be read or
    /// decided is a row with its errors; the others are still decided.
    ///
    /// Exit status: 0 when every file was decided (whatever the outcomes),
    /// 2 when some could not be (or --out could not be written).
    Review {
        /// Directories and document files: JSON, and workbooks (.xlsx, .xlsm,
        /// .csv) imported as `import` does.
        #[arg(required = true, value_name = "DIR_OR_FILE")]
        paths: Vec<PathBuf>,
        /// Output: the summary table; one JSON object keyed by file
        /// ({"FILE": {"decision": {…}}} or {"FILE": {"error": {…}}}); or, as
        /// html or markdown, the summary as a cover sheet followed by every
        /// decided file's 審査調書, to print at once.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the summary, the reports and the error messages.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
        /// Also write into DIR, for each file, its decision
        /// (PATH.decision.json), report (PATH.report.txt) and 審査調書
        /// (PATH.審査調書.html), for a workbook the document it was read into
        /// (PATH.document.json) — or its errors
        /// (PATH.error.json, PATH.error.txt) — named by its path without
        /// `.json`, and the summary (summary.txt, summary.json). Each file is
        /// written to a temporary file beside it and renamed, so an
        /// interrupted run leaves no half-written file.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Decide with the rules and parameters in force on this date, as
        /// `check --as-of` does.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<jiff::civil::Date>,
        /// Threads to decide on (0: one per core).
        #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
        jobs: usize,
    },
    /// The impact of a rules change: decide a corpus under two rule sets
    /// and report every decision that changed.
    ///
    /// For each changed decision: the outcome, each top-level value that
    /// differs (amounts with the difference), each rule whose status
    /// changed with its new reason, and the same for each listed entity
    /// (a project, an expense line) by its JSON path; then the counts.
    ///
    /// BASE and HEAD are each a rule-tree directory (like --rules: common/
    /// and one folder per kind) or a git revision of the repository the
    /// current directory is in (HEAD~1, main, a commit), whose rules/ is
    /// read with git; REV:DIR reads another directory of the revision. An
    /// existing directory wins over a revision of the same name.
    ///
    /// Exit status: 0 when no decision changed, 1 when some did, 2 when a
    /// document could not be decided under either rule set or a rule set
    /// could not be loaded.
    Diff {
        /// The rules before the change: a directory or a git revision.
        #[arg(long, value_name = "DIR_OR_REV")]
        base: String,
        /// The rules after the change: a directory or a git revision.
        #[arg(long, value_name = "DIR_OR_REV")]
        head: String,
        /// Directories and document files (JSON and workbooks), as `review`
        /// takes them.
        #[arg(required = true, value_name = "CORPUS")]
        corpus: Vec<PathBuf>,
        /// Output: a text report, or JSON.
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
        /// Language of the report.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
        /// Threads to decide on (0: one per core).
        #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
        jobs: usize,
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
    /// A self-contained HTML page (inline CSS, no script), for A4 print.
    Html,
    /// GitHub-flavoured Markdown.
    #[value(alias = "md")]
    Markdown,
}

/// `diff`'s output: a report of changes has no 審査調書 to print.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum DataFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

/// Runs the command line; the exit code is 0 whenever decisions were made
/// (whatever their outcome) and non-zero only when a document or the rules
/// could not be read.
pub fn run(cli: Cli) -> ExitCode {
    if let Command::Diff {
        base,
        head,
        corpus,
        format,
        lang,
        jobs,
    } = cli.command
    {
        if cli.rules.is_some() {
            eprintln!("error: diff takes its two rule sets from --base and --head, not --rules");
            return ExitCode::from(2);
        }
        let options = crate::diff::Options {
            base,
            head,
            json: matches!(format, DataFormat::Json),
            lang: lang.into(),
            jobs,
        };
        return crate::diff::run(&corpus, &options);
    }
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
        Command::Review {
            paths,
            format,
            lang,
            out,
            as_of,
            jobs,
        } => {
            let options = crate::review::Options {
                output: match format {
                    Format::Text => crate::review::Output::Table,
                    Format::Json => crate::review::Output::Json,
                    Format::Html => crate::review::Output::Html,
                    Format::Markdown => crate::review::Output::Markdown,
                },
                lang: lang.into(),
                out,
                as_of,
                jobs,
            };
            crate::review::run(&book, &paths, &options)
        }
        Command::Diff { .. } => unreachable!("diff is run before the rules are loaded"),
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
    let lang: Lang = lang.into();
    let decided: Vec<crate::batch::Decided> = files
        .iter()
        .map(|f| crate::batch::decide_file(book, f, as_of))
        .collect();
    let mut outputs: Vec<(&PathBuf, &Decision)> = Vec::new();
    let mut failed = false;
    for (file, d) in files.iter().zip(&decided) {
        match &d.result {
            Ok(decision) => outputs.push((file, decision)),
            Err(e) => {
                for line in e.lines(lang) {
                    eprintln!("{}: {line}", file.display());
                }
                failed = true;
            }
        }
    }
    let text = match format {
        Format::Json if files.len() == 1 => outputs.first().map(|(_, d)| json(d)).unwrap_or_default(),
        // Several files: one object keyed by file, a file that failed
        // keyed with its errors, as `review --format json` gives it.
        Format::Json => json(&crate::batch::Keyed(&decided)),
        Format::Text if files.len() == 1 => outputs
            .first()
            .map(|(_, d)| report_with(d, lang, explain))
            .unwrap_or_default(),
        Format::Text => outputs
            .iter()
            .map(|(file, d)| format!("== {} ==\n{}", file.display(), report_with(d, lang, explain)))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Html | Format::Markdown => {
            let docs: Vec<(Option<String>, crate::document::Document)> = outputs
                .iter()
                .map(|(f, d)| {
                    let file = (files.len() > 1).then(|| f.display().to_string());
                    (file, crate::document::of(d, explain))
                })
                .collect();
            match (docs.is_empty(), format) {
                (true, _) => String::new(),
                (false, Format::Html) => render::html::render(&docs, lang),
                (false, _) => render::markdown::render(&docs, lang),
            }
        }
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
    let ext = out
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if let (Some(path), Some("xls" | "ods")) = (out, ext.as_deref()) {
        eprintln!(
            "error: {}: the template is written as .xlsx (or .csv): give a name ending in .xlsx, e.g. --out plan.xlsx",
            path.display()
        );
        return ExitCode::from(2);
    }
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
    let from_bytes = match from.map(crate::batch::read_document) {
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

/// The 審査調書 of a decision as a self-contained HTML page (`check
/// --format html`); with `explain`, each step's formula too.
pub fn html(d: &Decision, lang: Lang, explain: bool) -> String {
    render::html::render(&[(None, crate::document::of(d, explain))], lang)
}

/// The 審査調書 as GitHub-flavoured Markdown (`check --format markdown`).
pub fn markdown(d: &Decision, lang: Lang, explain: bool) -> String {
    render::markdown::render(&[(None, crate::document::of(d, explain))], lang)
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
