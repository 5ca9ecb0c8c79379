//! The `grant-rules` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::decision::Decision;
use crate::engine;
use crate::program::Program;
use crate::report::{self, Lang};
use crate::rules;

#[derive(Parser, Debug)]
#[command(
    name = "grant-rules",
    version,
    about = "Decides applications for 地域づくり総合交付金（広域連携加速化事業）, article by article"
)]
pub struct Cli {
    /// Evaluate with the rule files in this directory instead of the built-in rules.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decide one or more applications (grant-application/v1 JSON files).
    Check {
        /// Application files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output: a text report, or the decision JSON.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the text report and of error messages.
        #[arg(long, value_enum, default_value_t = LangArg::Ja)]
        lang: LangArg,
    },
    /// Print the JSON Schema of the application format (or of the decision).
    Schema {
        #[arg(value_enum, default_value_t = SchemaKind::Application)]
        of: SchemaKind,
    },
    /// Check the rule files and report errors (file:line:column).
    Rules,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SchemaKind {
    /// grant-application/v1, the input
    Application,
    /// the decision printed by `check --format json`
    Decision,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

/// Runs the command line; the exit code is 0 whenever decisions were made
/// (whatever their outcome) and non-zero only when the input or the rules
/// could not be read.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Schema {
            of: SchemaKind::Decision,
        } => print(&crate::schema_json::decision_schema()),
        Command::Schema {
            of: SchemaKind::Application,
        } => match load(cli.rules.as_deref()) {
            Some(p) => print(&crate::schema_json::application_schema(&p)),
            None => ExitCode::from(2),
        },
        Command::Rules => match load(cli.rules.as_deref()) {
            Some(p) => print(&format!(
                "ok: {} rules, {} parameters, version {} (sha256 {})\n",
                p.rules.len(),
                p.params.len(),
                p.version,
                p.sha256
            )),
            None => ExitCode::from(2),
        },
        Command::Check { files, format, lang } => {
            let Some(program) = load(cli.rules.as_deref()) else {
                return ExitCode::from(2);
            };
            check(&program, &files, format, lang)
        }
    }
}

fn load(dir: Option<&std::path::Path>) -> Option<Program> {
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

fn check(program: &Program, files: &[PathBuf], format: Format, lang: LangArg) -> ExitCode {
    let lang = match lang {
        LangArg::Ja => Lang::Ja,
        LangArg::En => Lang::En,
    };
    let mut outputs = Vec::new();
    let mut failed = false;
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", file.display());
                failed = true;
                continue;
            }
        };
        match engine::decide(program, &bytes) {
            Ok(d) => outputs.push((file, d)),
            Err(e) => {
                eprint!("{}: {}", file.display(), e.render(program, lang == Lang::Ja));
                failed = true;
            }
        }
    }
    let decisions: Vec<&Decision> = outputs.iter().map(|(_, d)| d).collect();
    let text = match format {
        Format::Json if files.len() == 1 => decisions.first().map(json).unwrap_or_default(),
        Format::Json => json(&decisions),
        Format::Text if files.len() == 1 => decisions.first().map(|d| report::render(d, lang)).unwrap_or_default(),
        Format::Text => outputs
            .iter()
            .map(|(file, d)| format!("== {} ==\n{}", file.display(), report::render(d, lang)))
            .collect::<Vec<_>>()
            .join("\n"),
    };

    if !text.is_empty() {
        let _ = print(&text);
    }
    if failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
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
