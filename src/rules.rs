//! Loading a rule tree: `common/` (sources, shared parameters and
//! vocabularies) and one folder per document kind, from the `rules/`
//! directory embedded in the binary or from another directory given with
//! `--rules`. Each kind is compiled on its own from the common files and its
//! folder's files, each folder read in file-name order.
//!
//! The texts of the documents the rules cite are part of the tree:
//! `common/texts/*.txt`, named by the `source` declarations (`text_file
//! "texts/…"`). They are loaded with the rule files, under the same limits,
//! into the same [`SourceMap`], so `rules_sha256` covers them and a quote
//! that is not in its document's text can be shown beside that text.

use std::io::Read;
use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::check::{self, CheckError};
use crate::diag::{self, Report};
use crate::program::Program;
use crate::source::SourceMap;
pub use crate::source::{TEXTS, is_text};
use crate::syntax::{self, SyntaxError};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The folder of rules every kind shares.
pub const COMMON: &str = "common";
/// The largest rule file read, in bytes: far above any real rule file, and
/// a guard against a path that is not one (a device, a huge file).
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;
/// The most rule files a tree may hold.
pub const MAX_RULE_FILES: usize = 1000;

/// Named rule texts: (name, text).
pub type Files = Vec<(String, String)>;

/// A rule tree as read: the common files, and each kind folder's files.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    /// The common rule files, then the cited documents' texts
    /// (`common/texts/*.txt`), each sorted by name.
    pub common: Files,
    /// (folder name, files), sorted by folder name.
    pub kinds: Vec<(String, Files)>,
}

/// Every kind of a rule tree, compiled.
pub struct RuleBook {
    pub kinds: Vec<Program>,
}

impl RuleBook {
    /// The kind whose documents have this `format`, or whose folder has this
    /// name (`change`).
    pub fn kind(&self, format_or_name: &str) -> Option<&Program> {
        self.kinds
            .iter()
            .find(|p| p.kind.format == format_or_name || p.kind.name == format_or_name)
    }

    /// The formats decided, for messages.
    pub fn formats(&self) -> Vec<&str> {
        self.kinds.iter().map(|p| p.kind.format.as_str()).collect()
    }
}

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
    /// Errors in several kinds.
    #[error("errors in the rules of {} kind(s)", .0.len())]
    Many(Vec<RulesError>),
}

impl RulesError {
    /// The full diagnostic text: each error with its file, line, column and
    /// caret; an error of a common file that every kind meets is shown once.
    pub fn render(&self) -> String {
        let mut seen: Vec<String> = Vec::new();
        let mut out = String::new();
        self.render_into(&mut seen, &mut out);
        out
    }

    fn render_into(&self, seen: &mut Vec<String>, out: &mut String) {
        let mut push = |text: String| {
            if !seen.contains(&text) {
                out.push_str(&text);
                seen.push(text);
            }
        };
        match self {
            RulesError::Io { .. } => push(format!("error: {self}\n")),
            RulesError::Syntax { sources, errors } => {
                for e in errors {
                    push(diag::render(
                        sources,
                        &[Report {
                            message: &e.message,
                            span: e.span,
                            label: "here",
                            notes: &[],
                            secondary: &[],
                        }],
                    ));
                }
            }
            RulesError::Check { sources, errors } => {
                for e in errors {
                    push(diag::render(
                        sources,
                        &[Report {
                            message: &e.message,
                            span: e.span,
                            label: &e.label,
                            notes: &e.notes,
                            secondary: &e.secondary,
                        }],
                    ));
                }
            }
            RulesError::Many(all) => {
                for e in all {
                    e.render_into(seen, out);
                }
            }
        }
    }
}

/// The rules built into the binary (`rules/` of this repository).
pub fn embedded() -> Result<RuleBook, RulesError> {
    load_tree(embedded_tree())
}

/// The embedded rule tree, as files.
pub fn embedded_tree() -> Tree {
    let files_of = |dir: &Dir, extension: &str| -> Files {
        let mut files: Files = dir
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == extension))
            .map(|f| {
                let name = format!("rules/{}", f.path().display());
                (name, f.contents_utf8().unwrap_or_default().to_string())
            })
            .collect();
        files.sort();
        files
    };
    let mut tree = Tree::default();
    for dir in EMBEDDED.dirs() {
        let name = dir.path().display().to_string();
        if name == COMMON {
            tree.common = files_of(dir, "rules");
            if let Some(texts) = EMBEDDED.get_dir(format!("{COMMON}/{TEXTS}")) {
                tree.common.extend(files_of(texts, "txt"));
            }
        } else {
            tree.kinds.push((name, files_of(dir, "rules")));
        }
    }
    tree.kinds.sort();
    tree
}

/// The rule tree in `dir`.
pub fn from_dir(dir: &Path) -> Result<RuleBook, RulesError> {
    load_tree(read_tree(dir)?)
}

fn io(path: &Path, message: impl Into<String>) -> RulesError {
    RulesError::Io {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads a rule tree: `DIR/common/*.rules`, the texts `DIR/common/texts/*.txt`
/// and `DIR/KIND/*.rules` for each kind folder. A `.rules` file directly in
/// `DIR` is an error (it belongs in `common/` or a kind's folder).
pub fn read_tree(dir: &Path) -> Result<Tree, RulesError> {
    let mut tree = Tree::default();
    let mut count = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e.to_string()))?;
    let mut paths: Vec<_> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| io(dir, e.to_string()))?;
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if path.is_dir() {
            let mut files = read_folder(&path, &mut count)?;
            if name == COMMON {
                let texts = path.join(TEXTS);
                if texts.is_dir() {
                    files.extend(read_files(&texts, "txt", &mut count)?);
                }
                tree.common = files;
            } else if !files.is_empty() {
                tree.kinds.push((name, files));
            }
        } else if path.extension().is_some_and(|e| e == "rules") {
            return Err(io(
                &path,
                "a rule file belongs in `common/` or in the folder of the kind it is for",
            ));
        }
    }
    if tree.kinds.is_empty() {
        return Err(io(
            dir,
            "no kind folders with *.rules files (expected common/ and one folder per document kind)",
        ));
    }
    Ok(tree)
}

/// The `*.rules` files of one folder, sorted by name.
pub fn read_folder(dir: &Path, count: &mut usize) -> Result<Files, RulesError> {
    read_files(dir, "rules", count)
}

/// The files of one folder with this extension, sorted by name, each under
/// the limits of a rule file; `count` counts them against [`MAX_RULE_FILES`].
fn read_files(dir: &Path, extension: &str, count: &mut usize) -> Result<Files, RulesError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e.to_string()))? {
        let path = entry.map_err(|e| io(dir, e.to_string()))?.path();
        if path.extension().is_some_and(|e| e == extension) {
            *count += 1;
            if *count > MAX_RULE_FILES {
                return Err(io(dir, format!("more than {MAX_RULE_FILES} rule files")));
            }
            files.push((path.display().to_string(), read_file(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// One rule file (or text): a regular file (a symlink is followed, but to a
/// file) of at most [`MAX_RULE_FILE_BYTES`], in UTF-8.
fn read_file(path: &Path) -> Result<String, RulesError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e.to_string()))?;
    if !meta.is_file() {
        return Err(io(path, "not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(|e| io(path, e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, e.to_string()))?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(io(path, format!("larger than {MAX_RULE_FILE_BYTES} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| io(path, "not UTF-8 text"))
}

/// Compiles every kind of a tree.
pub fn load_tree(tree: Tree) -> Result<RuleBook, RulesError> {
    let mut kinds = Vec::new();
    let mut errors = Vec::new();
    for (name, files) in tree.kinds {
        let mut all = tree.common.clone();
        all.extend(files);
        match load(&name, all) {
            Ok(p) => kinds.push(p),
            Err(e) => errors.push(e),
        }
    }
    let mut formats: Vec<&str> = kinds.iter().map(|p: &Program| p.kind.format.as_str()).collect();
    formats.sort();
    if let Some(w) = formats.windows(2).find(|w| w[0] == w[1]) {
        errors.push(RulesError::Io {
            path: "rules".into(),
            message: format!("two kind folders declare the format {:?}", w[0]),
        });
    }
    match errors.len() {
        0 => Ok(RuleBook { kinds }),
        1 => Err(errors.remove(0)),
        _ => Err(RulesError::Many(errors)),
    }
}

/// Parses and checks the named rule texts of the kind in folder `kind`
/// (the common files first). A file named `*.txt` is a cited document's
/// text ([`is_text`]): kept with the rules, not parsed.
pub fn load(kind: &str, files: Files) -> Result<Program, RulesError> {
    let mut sources = SourceMap::default();
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        let text_file = is_text(&name);
        let id = sources.add(name, text);
        if text_file {
            continue;
        }
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
    check::check(sources, &parsed, kind).map_err(|(sources, errors)| RulesError::Check {
        sources: Box::new(sources),
        errors,
    })
}
