//! Spreadsheet intake: `grant-rules import plan.xlsx` (or `.csv`) reads the
//! workbook an officer filled in into a `grant-application/v1` JSON
//! document, and `grant-rules template` writes that workbook.
//!
//! The workbook's layout ([`layout`]) only says where each field is
//! written; each cell becomes the JSON value it holds (a number cell a
//! number, a date cell a date, text as written: `"１２００千円"`,
//! `"令和2年10月9日"`, `"印刷製本費"`), and the document then goes through the
//! same reader as any JSON, so every convenience and check of the reader
//! applies and the 節 names resolve through the rules' aliases. While the
//! document is built, each JSON path is mapped to its cell, and every error
//! the reader finds is traced back to it: `経費!D5: …`. A cell the reader
//! cannot see (a formula's `#REF!`, a date in an amount column, an expense
//! of a project the projects sheet lacks) is reported by the importer, all
//! in the same pass.
//!
//! For `grant-rules review` and any other caller: [`document_from_path`]
//! (or [`document_from_bytes`]) gives the JSON document of a workbook, read
//! and checked, with [`Imported::place`] to say where a path of it was
//! written.

mod build;
mod delimited;
mod grid;
mod jsonw;
pub(crate) mod layout;
mod template;
mod trace;
mod xlsx;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

pub use template::template;

use crate::input::{self, InputErrors};
use crate::rules::RuleBook;
use grid::Place;

/// The row a reviewer adds to the 審査記録 sheet to close an open point:
/// its rule and the row of the entity it is about (`経費!A4:G4`; blank for
/// a rule of the whole application), the other columns to fill in.
pub fn record_row(rule: &str, at: &str) -> crate::text::Text {
    let t = &layout::DETERMINATION_TABLE;
    let head = |i: usize| t.columns[i].header;
    crate::text::Text::new(
        format!(
            "「{}」シートに1行：{} {rule}／{} {}／{} 認める・認めない／{}／{}／{}",
            layout::DETERMINATIONS,
            head(0),
            head(1),
            if at.is_empty() { "（空欄）" } else { at },
            head(2),
            head(3),
            head(4),
            head(5)
        ),
        format!(
            "add a row to the {} sheet: {} {rule} / {} {} / {} 認める (accept) or 認めない (reject) / {} / {} / {}",
            layout::DETERMINATIONS,
            head(0),
            head(1),
            if at.is_empty() { "(blank)" } else { at },
            head(2),
            head(3),
            head(4),
            head(5)
        ),
    )
}

/// The files a workbook may come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// An Excel workbook (.xlsx, .xlsm).
    Xlsx,
    /// A CSV file with the sheets as sections (`[地域]`, `[事業]`, `[経費]`),
    /// UTF-8 or Shift_JIS.
    Csv,
}

impl SheetFormat {
    /// The format a file's name says (`.xlsx`, `.xlsm`, `.csv`), if any.
    pub fn of_path(path: &Path) -> Option<SheetFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            // An old .xls or an .ods goes to the workbook reader, which says
            // to save it as .xlsx, rather than to the JSON reader.
            "xlsx" | "xlsm" | "xls" | "ods" => Some(SheetFormat::Xlsx),
            "csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }
}

/// True when the file is a workbook or a CSV (by its name), to import
/// rather than read as JSON.
pub fn is_spreadsheet(path: &Path) -> bool {
    SheetFormat::of_path(path).is_some()
}

/// One problem in a workbook: where (a cell, a row, a sheet, or the whole
/// file), what is wrong and what to write, in English and Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// `経費!D5`, `経費!A5:G5` (a row), `地域` (a sheet); empty for the whole file.
    pub place: String,
    /// The JSON path of the document the value went to, when the reader
    /// found the problem there (`projects[0].expenses[2].amount`); empty
    /// for what the importer found itself.
    pub path: String,
    pub en: String,
    pub ja: String,
}

impl CellError {
    /// `経費!D5: message` in one language.
    pub fn render(&self, ja: bool) -> String {
        let msg = if ja { &self.ja } else { &self.en };
        if self.place.is_empty() {
            msg.clone()
        } else {
            format!("{}: {msg}", self.place)
        }
    }
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Every problem found in one workbook, in the order of its sheets, rows
/// and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<CellError>);

impl ImportErrors {
    /// One line per problem.
    pub fn render(&self, ja: bool) -> String {
        self.0.iter().map(|e| format!("{}\n", e.render(ja))).collect()
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for ImportErrors {}

impl From<ImportErrors> for InputErrors {
    /// As input errors whose path is the cell (`経費!D5`), for a caller that
    /// reports both kinds alike.
    fn from(e: ImportErrors) -> InputErrors {
        InputErrors(
            e.0.into_iter()
                .map(|c| input::InputError::new(c.place, c.en, c.ja))
                .collect(),
        )
    }
}

/// A workbook read into its JSON document.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The `grant-application/v1` document, as UTF-8 JSON: read by the
    /// rules' reader without errors.
    pub json: Vec<u8>,
    /// The SHA-256 of the workbook's bytes, in hex: the file submitted.
    pub sha256: String,
    places: HashMap<String, Place>,
}

impl Imported {
    /// Where the value or entity at a JSON path was written: `経費!D5` for
    /// `projects[0].expenses[2].amount`, `経費!A5:H5` for the line
    /// `projects[0].expenses[2]`; for a path with no cell of its own, the
    /// nearest enclosing one.
    pub fn place(&self, json_path: &str) -> Option<String> {
        trace::nearest(&self.places, json_path).map(|p| p.to_string())
    }

    /// Input errors found in [`Imported::json`] by another reading (say,
    /// with other rules), each traced to its cell.
    pub fn trace(&self, errors: InputErrors) -> ImportErrors {
        finish(trace::trace(&self.places, &[], errors))
    }
}

/// Reads a workbook or CSV file (by its extension) into its JSON document.
pub fn document_from_path(book: &RuleBook, path: &Path) -> Result<Imported, ImportErrors> {
    let Some(format) = SheetFormat::of_path(path) else {
        // The caller names the file (`plan.xls: …`).
        return Err(file_error(
            "not a workbook (.xlsx, .xlsm) or a CSV (.csv)",
            "ブック（.xlsx、.xlsm）でも CSV（.csv）でもありません",
        ));
    };
    let bytes = read(path)?;
    document_from_bytes(book, &bytes, format)
}

/// Reads a workbook's or CSV's bytes into its JSON document: every problem
/// found, each at its cell, or the document.
pub fn document_from_bytes(book: &RuleBook, bytes: &[u8], format: SheetFormat) -> Result<Imported, ImportErrors> {
    let Some(program) = book.kind(layout::FORMAT) else {
        return Err(file_error(
            format!(
                "the rules have no kind {}: a workbook is an application",
                layout::FORMAT
            ),
            format!("ルールに {} がありません（ブックは交付申請の様式です）", layout::FORMAT),
        ));
    };
    if bytes.len() > input::MAX_DOCUMENT_BYTES {
        let e = input::too_large(Some(bytes.len()));
        return Err(file_error(e.en, e.ja));
    }
    let (sheets, names, mut errors) = match format {
        SheetFormat::Xlsx => match xlsx::read(bytes, &layout::SHEETS) {
            Ok((sheets, names)) => (sheets, names, Vec::new()),
            Err(e) => return Err(finish(vec![e])),
        },
        SheetFormat::Csv => match delimited::read(bytes) {
            Ok((sheets, errors)) => {
                let names = sheets.iter().map(|s| s.name.clone()).collect();
                (sheets, names, errors)
            }
            Err(e) => return Err(finish(vec![e])),
        },
    };
    let built = build::build(program, &sheets, &names, format);
    errors.extend(built.errors);
    let json = built.json.pretty().into_bytes();
    match input::parse(&json) {
        Ok(parsed) => {
            if let Err(found) = input::read(program, &parsed) {
                errors.extend(trace::trace(&built.places, &built.flagged, found));
            }
        }
        Err(found) => errors.extend(trace::trace(&built.places, &built.flagged, found)),
    }
    if errors.is_empty() {
        Ok(Imported {
            json,
            sha256: crate::source::sha256_hex(bytes),
            places: built.places,
        })
    } else {
        Err(finish(errors))
    }
}

/// Where a problem is.
#[derive(Clone, Debug)]
pub(crate) enum At {
    File,
    Sheet(String, usize),
    Place(Box<Place>),
}

impl At {
    pub(crate) fn cell(p: Place) -> At {
        At::Place(Box::new(p))
    }
}

/// A problem with where it is, before it is rendered.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    pub at: At,
    pub path: String,
    pub en: String,
    pub ja: String,
}

impl Located {
    pub(crate) fn new(at: At, en: impl Into<String>, ja: impl Into<String>) -> Located {
        Located {
            at,
            path: String::new(),
            en: en.into(),
            ja: ja.into(),
        }
    }

    fn rank(&self) -> (usize, u32, u32) {
        match &self.at {
            At::File => (0, 0, 0),
            At::Sheet(_, order) => (order + 1, 0, 0),
            At::Place(p) => (p.order + 1, p.top.0 + 1, p.top.1),
        }
    }
}

/// Sorted by sheet, row and column (stable: a cell's problems in the order found).
fn finish(mut errors: Vec<Located>) -> ImportErrors {
    errors.sort_by_key(Located::rank);
    ImportErrors(
        errors
            .into_iter()
            .map(|e| CellError {
                place: match e.at {
                    At::File => String::new(),
                    At::Sheet(name, _) => name,
                    At::Place(p) => p.to_string(),
                },
                path: e.path,
                en: e.en,
                ja: e.ja,
            })
            .collect(),
    )
}

fn file_error(en: impl Into<String>, ja: impl Into<String>) -> ImportErrors {
    finish(vec![Located::new(At::File, en, ja)])
}

/// A file, up to the size a document may be.
fn read(path: &Path) -> Result<Vec<u8>, ImportErrors> {
    use std::io::Read;
    let limit = input::MAX_DOCUMENT_BYTES as u64;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| file_error(format!("cannot read: {e}"), format!("ファイルを読み込めません（{e}）")))?;
    if bytes.len() as u64 > limit {
        let e = input::too_large(None);
        return Err(file_error(e.en, e.ja));
    }
    Ok(bytes)
}

/// Why a value could not be taken from its cell: English, Japanese.
#[derive(Debug)]
pub(crate) struct Problem {
    pub en: String,
    pub ja: String,
}

impl Problem {
    pub(crate) fn new(en: impl Into<String>, ja: impl Into<String>) -> Problem {
        Problem {
            en: en.into(),
            ja: ja.into(),
        }
    }
}
