//! Loading a rule set: the `rules/` directory embedded in the binary, or
//! another directory given with `--rules`. Files are read in name order;
//! every `*.rules` file is part of the set.

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::check::{self, CheckError};
use crate::diag::{self, Report};
use crate::program::Program;
use crate::source::SourceMap;
use crate::syntax::{self, SyntaxError};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Why a rule set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read the rules at {path}: {message}")]
    Io { path: String, message: String },
    #[error("{} syntax error(s) in the rules", .errors.len())]
    Syntax {
        sources: Box<SourceMap>,
        errors: Vec<SyntaxError>,
    },
    #[error("{} error(s) in the rules", .errors.len())]
    Check {
        sources: Box<SourceMap>,
        errors: Vec<CheckError>,
    },
}

impl RulesError {
    /// The full diagnostic text: each error with its file, line, column and caret.
    pub fn render(&self) -> String {
        match self {
            RulesError::Io { .. } => format!("error: {self}\n"),
            RulesError::Syntax { sources, errors } => {
                let reports: Vec<Report> = errors
                    .iter()
                    .map(|e| Report {
                        message: &e.message,
                        span: e.span,
                        label: "here",
                        notes: &[],
                    })
                    .collect();
                diag::render(sources, &reports)
            }
            RulesError::Check { sources, errors } => {
                let reports: Vec<Report> = errors
                    .iter()
                    .map(|e| Report {
                        message: &e.message,
                        span: e.span,
                        label: &e.label,
                        notes: &e.notes,
                    })
                    .collect();
                diag::render(sources, &reports)
            }
        }
    }
}

/// The rules built into the binary (`rules/` of this repository).
pub fn embedded() -> Result<Program, RulesError> {
    let mut files: Vec<(String, String)> = EMBEDDED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "rules"))
        .map(|f| {
            let name = format!("rules/{}", f.path().display());
            (name, f.contents_utf8().unwrap_or_default().to_string())
        })
        .collect();
    files.sort();
    load(files)
}

/// The rules in `dir` (every `*.rules` file, in name order).
pub fn from_dir(dir: &Path) -> Result<Program, RulesError> {
    load(read_dir(dir)?)
}

/// The rule files in `dir`, named by their paths and sorted by name, ready
/// for [`load`] (tests change one before loading).
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, RulesError> {
    let io = |path: &Path, e: std::io::Error| RulesError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "rules") {
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            files.push((path.display().to_string(), text));
        }
    }
    if files.is_empty() {
        return Err(RulesError::Io {
            path: dir.display().to_string(),
            message: "no *.rules files in this directory".into(),
        });
    }
    files.sort();
    Ok(files)
}

/// Parses and checks named rule texts (in the order given).
pub fn load(files: Vec<(String, String)>) -> Result<Program, RulesError> {
    let mut sources = SourceMap::default();
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        let id = sources.add(name, text);
        match syntax::parse_file(id, sources.text(id)) {
            Ok(f) => parsed.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(RulesError::Syntax {
            sources: Box::new(sources),
            errors,
        });
    }
    check::check(sources, &parsed).map_err(|(sources, errors)| RulesError::Check {
        sources: Box::new(sources),
        errors,
    })
}
