//! Rule files as loaded: their names and texts, and the spans that point into
//! them. Diagnostics render spans as `file:line:column` with the offending line.
//! The texts of the documents the rules cite (`common/texts/*.txt`) are files
//! of the map too: a quote's error can point into them, and the digest covers
//! them.

use codespan_reporting::files::SimpleFiles;
use sha2::{Digest, Sha256};

/// The folder of a rule tree's `common/` that holds the texts of the
/// documents cited.
pub const TEXTS: &str = "texts";

/// Whether a file of a rule set is a cited document's text (loaded, hashed
/// and searched for quotes, not parsed as rules).
pub fn is_text(name: &str) -> bool {
    name.ends_with(".txt")
}

/// Which file a span belongs to (an index into [`SourceMap`]).
pub type FileId = u32;

/// A byte range in one rule file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The rule files of one rule set, in load order (sorted by name).
#[derive(Default)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    names: Vec<String>,
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let name = name.into();
        self.names.push(name.clone());
        self.files.add(name, text.into()) as FileId
    }

    pub fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn name(&self, file: FileId) -> &str {
        self.names.get(file as usize).map_or("(no file)", String::as_str)
    }

    pub fn contains(&self, file: FileId) -> bool {
        (file as usize) < self.names.len()
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file as usize).map(|f| f.source().as_str()).unwrap_or("")
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// `file:line:column` (1-based; the column counts characters). The
    /// line is found by binary search in the file's line starts, computed
    /// once when it was added, so locating every rule of a large set stays
    /// linear.
    pub fn location(&self, span: Span) -> String {
        use codespan_reporting::files::Files;
        match self.files.location(span.file as usize, span.start as usize) {
            Ok(l) => format!("{}:{}:{}", self.name(span.file), l.line_number, l.column_number),
            Err(_) => self.name(span.file).to_string(),
        }
    }

    /// SHA-256 over every file's place in its rule tree and text (the rule
    /// files and the cited documents' texts alike), so two rule sets that
    /// differ in any byte (or file name) have different digests,
    /// and the same tree has the same digest however its directory was
    /// written (`rules`, `./rules/`, an absolute path, a symlink, the
    /// rules built into the binary).
    pub fn sha256(&self) -> String {
        let mut hasher = Sha256::new();
        for id in 0..self.len() {
            let name = tree_path(self.name(id as FileId));
            let text = self.text(id as FileId);
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hex(&hasher.finalize())
    }
}

impl SourceMap {
    /// A file's place in its rule tree (`application/30-applicant.rules`,
    /// `texts/jisshi-youkou.txt`), whatever directory holds the tree.
    pub fn tree_name(&self, file: FileId) -> String {
        tree_path(self.name(file))
    }
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.names).finish()
    }
}

/// A rule file's place in its tree: its folder and file name
/// (`application/30-applicant.rules`), whatever directory holds the tree.
pub(crate) fn tree_path(name: &str) -> String {
    let parts: Vec<String> = std::path::Path::new(name)
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts[parts.len().saturating_sub(2)..].join("/")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_is_hashed_by_its_place_in_the_tree() {
        for name in [
            "rules/application/30-applicant.rules",
            "./rules/application/30-applicant.rules",
            "/work/x/rules/application/30-applicant.rules",
            "application/30-applicant.rules",
        ] {
            assert_eq!(super::tree_path(name), "application/30-applicant.rules", "{name}");
        }
        assert_eq!(super::tree_path("99-test.rules"), "99-test.rules");
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
