//! Many documents at once, for `review` and `diff`: finding them (files and
//! directories, recursively), deciding each on every core, and the errors of
//! the ones that could not be decided as data. The results keep the order of
//! the paths, sorted, whatever the parallelism, so every report built on
//! them is the same from one run to the next.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::decision::Decision;
use crate::engine::{self, EngineError};
use crate::input::InputError;
use crate::program::Program;
use crate::rules::RuleBook;
use crate::text::Lang;

/// One document's result: the kind's rules (when its `format` named one)
/// and its decision, or why there is none.
pub struct Decided<'b> {
    pub path: PathBuf,
    pub program: Option<&'b Program>,
    pub result: Result<Decision, FileError>,
    /// For a workbook, where each JSON path of its document was written
    /// (`経費!A4:G4`), so a summary can name the cell, not the path.
    pub cells: Option<crate::import::Imported>,
}

impl Decided<'_> {
    /// The path as reports and the keyed JSON name it.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The kind's folder name (`application`), when known.
    pub fn kind(&self) -> Option<&str> {
        self.program.map(|p| p.kind.name.as_str())
    }
}

/// Why a file has no decision, as data (`review --format json`, `check
/// --format json` with several files): each problem in both languages, an
/// input error with its JSON path, line and column.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileError {
    /// The file could not be read (missing, a directory, unreadable).
    Read { ja: String, en: String },
    /// The document could not be read as a document of its kind: every
    /// problem found, in the order of the document.
    Input { errors: Vec<ErrorItem> },
    /// A fault in the rules met while deciding it (with file:line:column).
    Rules { ja: String, en: String },
}

/// One input error: where (JSON path, 1-based line and column in
/// characters) and why, in both languages.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ErrorItem {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub ja: String,
    pub en: String,
}

impl From<&InputError> for ErrorItem {
    fn from(e: &InputError) -> Self {
        ErrorItem {
            path: e.path.clone(),
            line: e.line,
            column: e.column,
            ja: e.ja.clone(),
            en: e.en.clone(),
        }
    }
}

impl FileError {
    fn read(e: &std::io::Error) -> FileError {
        FileError::Read {
            // The system's message is English either way; `check` printed
            // it so before, and still begins with it.
            ja: format!("cannot read: {e}（ファイルを読み込めません）"),
            en: format!("cannot read: {e}"),
        }
    }

    /// A workbook's problems: at cells, as input errors whose path is the
    /// cell (`経費!D5`); about the file as a whole (not a workbook, cannot
    /// be read), as a file that cannot be read.
    fn import(errors: crate::import::ImportErrors) -> FileError {
        if errors.0.iter().all(|e| e.place.is_empty()) {
            let join = |f: fn(&crate::import::CellError) -> &str| errors.0.iter().map(f).collect::<Vec<_>>().join("\n");
            return FileError::Read {
                ja: join(|e| &e.ja),
                en: join(|e| &e.en),
            };
        }
        FileError::Input {
            errors: crate::input::InputErrors::from(errors)
                .0
                .iter()
                .map(ErrorItem::from)
                .collect(),
        }
    }

    fn engine(e: &EngineError, program: Option<&Program>) -> FileError {
        match e {
            EngineError::Input(errors) => FileError::Input {
                errors: errors.0.iter().map(ErrorItem::from).collect(),
            },
            EngineError::Rules(_) => FileError::Rules {
                ja: e.render(program, true),
                en: e.render(program, false),
            },
        }
    }

    /// The problems as lines of text, the way `check` prints them (an input
    /// error: `path: message (line L, column C)`).
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let ja = lang == Lang::Ja;
        let pick = |j: &str, e: &str| -> Vec<String> { (if ja { j } else { e }).lines().map(String::from).collect() };
        match self {
            FileError::Read { ja: j, en } | FileError::Rules { ja: j, en } => pick(j, en),
            FileError::Input { errors } => errors
                .iter()
                .map(|e| {
                    let back = InputError {
                        path: e.path.clone(),
                        line: e.line,
                        column: e.column,
                        en: e.en.clone(),
                        ja: e.ja.clone(),
                    };
                    back.render(ja)
                })
                .collect(),
        }
    }
}

/// The documents under `inputs`, sorted by path and without repeats: a file
/// named is taken whatever its name; a directory is searched recursively for
/// `*.json` files and workbooks (`*.xlsx`, `*.xlsm`, `*.csv`; an `.xls` or
/// `.ods` too, whose row says to save it as `.xlsx`), leaving out
/// hidden entries (`.git`, names starting with a dot), Excel's lock files
/// (`~$…`), symbolic links to directories (no loops) and `exclude` (the
/// output directory of `review --out`, whose decisions are JSON too). A path that
/// does not exist, or a directory that cannot be listed, is kept: reading it
/// fails, and its error is reported in its place.
pub fn find(inputs: &[PathBuf], exclude: Option<&Path>) -> Vec<PathBuf> {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut found = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, exclude.as_deref(), &mut found);
        } else {
            found.push(input.clone());
        }
    }
    found.sort();
    found.dedup();
    found
}

fn walk(dir: &Path, exclude: Option<&Path>, found: &mut Vec<PathBuf>) {
    if exclude.is_some() && dir.canonicalize().ok().as_deref() == exclude {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        found.push(dir.to_path_buf());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, exclude, found),
            Ok(t) if t.is_symlink() && path.is_dir() => {}
            Ok(_) if is_document(&path) => found.push(path),
            _ => {}
        }
    }
}

/// A file `review` takes from a directory: JSON, or a workbook or CSV to
/// import; not the lock file Excel keeps beside a workbook it has open
/// (`~$plan.xlsx`).
fn is_document(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    !name.starts_with("~$") && (path.extension().is_some_and(|e| e == "json") || crate::import::is_spreadsheet(path))
}

/// A document file, up to the size the reader accepts; `None` for a larger
/// one, or a device like `/dev/zero`, refused before it fills memory.
pub fn read_document(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let limit = crate::input::MAX_DOCUMENT_BYTES as u64;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The bytes of a document, or why they cannot be had.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    match read_document(path) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(FileError::Input {
            errors: vec![ErrorItem::from(&crate::input::too_large(None))],
        }),
        Err(e) => Err(FileError::read(&e)),
    }
}

/// Decides one document's bytes with `book` (its kind by its `format`).
pub fn decide_bytes<'b>(book: &'b RuleBook, bytes: &[u8], as_of: Option<jiff::civil::Date>) -> Decided<'b> {
    let (program, result) = match engine::decide_as_of(book, bytes, as_of) {
        Ok((p, d)) => (Some(p), Ok(d)),
        Err((p, e)) => (p, Err(FileError::engine(&e, p))),
    };
    Decided {
        path: PathBuf::new(),
        program,
        result,
        cells: None,
    }
}

/// Reads and decides one file: a workbook or CSV (by its name) is imported
/// first, as `grant-rules import` does, its problems reported at their
/// cells (`経費!D5` in the error's path).
pub fn decide_file<'b>(book: &'b RuleBook, path: &Path, as_of: Option<jiff::civil::Date>) -> Decided<'b> {
    let not_read = |e: FileError| Decided {
        path: PathBuf::new(),
        program: None,
        result: Err(e),
        cells: None,
    };
    let mut decided = if crate::import::is_spreadsheet(path) {
        match crate::import::document_from_path(book, path) {
            Ok(imported) => {
                let mut d = decide_bytes(book, &imported.json, as_of);
                // Its missing facts asked at their cells, its entities
                // named by them, its open points recorded in its sheet.
                if let Ok(decision) = &mut d.result {
                    decision.locate(&|p| imported.place(p), &crate::import::record_row);
                    decision.workbook_sha256 = Some(imported.sha256.clone());
                }
                d.cells = Some(imported);
                d
            }
            Err(e) => not_read(FileError::import(e)),
        }
    } else {
        match read_bytes(path) {
            Ok(bytes) => decide_bytes(book, &bytes, as_of),
            Err(e) => not_read(e),
        }
    };
    decided.path = path.to_path_buf();
    decided
}

/// Runs `f` on every path on `jobs` threads (0: one per core), advancing
/// `progress` as each ends; the results are in the order of `paths`.
pub fn each<T: Send>(
    paths: &[PathBuf],
    jobs: usize,
    progress: &ProgressBar,
    f: impl Fn(&Path) -> T + Sync,
) -> Result<Vec<T>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let results = pool.install(|| {
        paths
            .par_iter()
            .map(|p| {
                let r = f(p);
                progress.inc(1);
                r
            })
            .collect()
    });
    progress.finish_and_clear();
    Ok(results)
}

/// A progress bar of `len` documents on stderr when it is a terminal;
/// nothing otherwise (a pipe, a file, CI), so logs hold no bar.
pub fn progress(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// Several files' results as one JSON object keyed by file, in their
/// order: `{"a.json": {"decision": {…}}, "b.json": {"error": {…}}}`.
pub struct Keyed<'a, 'b>(pub &'a [Decided<'b>]);

impl Serialize for Keyed<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for d in self.0 {
            m.serialize_entry(&d.name(), &Outcome(&d.result))?;
        }
        m.end()
    }
}

/// `{"decision": …}` or `{"error": …}`.
struct Outcome<'a>(&'a Result<Decision, FileError>);

impl Serialize for Outcome<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        match self.0 {
            Ok(d) => m.serialize_entry("decision", d)?,
            Err(e) => m.serialize_entry("error", e)?,
        }
        m.end()
    }
}

/// Writes `bytes` to `path` so that no reader ever sees it half-written:
/// into a temporary file in the same directory (the same file system, so
/// the rename is atomic), flushed to disk, then renamed over `path`. An
/// interrupted run leaves `path` as it was (at most a hidden
/// `.grant-rules-*.tmp` beside it); a failed one removes its temporary file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::Builder::new()
        .prefix(".grant-rules-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
