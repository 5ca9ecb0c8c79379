//! Reading a document: bytes → JSON tree with positions → the facts of its
//! kind, every field read by the type its `entity` declaration gives. All
//! problems of one document are reported together, each with its JSON path,
//! line and column, in Japanese and English.

mod determinations;
mod error;
mod json;
mod reader;
mod scalar;

pub(crate) use scalar::{expected, read_example};

pub use error::{InputError, InputErrors};

use crate::facts::Facts;
use crate::program::Program;

/// The largest document read, in bytes. An application of a hundred
/// projects is under 200 kB; anything near this is not a document an
/// officer wrote, and reading it whole would only exhaust memory.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The most elements a list of a document may hold (projects, expense
/// lines, members …). A real application has tens; a decision keeps every
/// element with its rules and reasons, so a list of hundreds of thousands
/// (which 10 MiB of JSON can hold) would take gigabytes to decide.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// A document parsed as JSON, not yet read as any kind.
pub struct Parsed<'t> {
    doc: json::Document<'t>,
}

/// Parses a document's bytes.
pub fn parse(bytes: &[u8]) -> Result<Parsed<'_>, InputErrors> {
    let text = text(bytes)?;
    Ok(Parsed {
        doc: json::parse(text)?,
    })
}

impl Parsed<'_> {
    /// The document's `format`, which picks its kind.
    pub fn format(&self) -> Result<&str, InputErrors> {
        use json::Json;
        let Json::Object(obj, at) = &self.doc.root else {
            return Err(InputError::new(
                "",
                "the document is not a JSON object: write it as { \"format\": \"grant-application/v1\", … }",
                "文書がJSONのオブジェクト（{…}）ではありません。{ \"format\": \"grant-application/v1\", … } の形で書いてください",
            )
            .into());
        };
        match obj.iter().find(|p| p.name == "format").map(|p| &p.value) {
            Some(Json::String(s, _)) => Ok(s.as_ref()),
            None => Err(InputError::new(
                "",
                "missing field \"format\": add the document's format, e.g. \"format\": \"grant-application/v1\"",
                "必須項目「format」がありません。\"format\": \"grant-application/v1\" のように様式を書き加えてください",
            )
            .at(Some(self.doc.position(*at)))
            .into()),
            Some(v) => Err(InputError::new(
                "format",
                "\"format\" must be a string such as \"grant-application/v1\"",
                "format は \"grant-application/v1\" のような文字列で書いてください",
            )
            .at(Some(self.doc.position(v.start())))
            .into()),
        }
    }
}

/// Reads a parsed document as `program`'s kind: its facts, or every problem found.
pub fn read(program: &Program, parsed: &Parsed) -> Result<Facts, InputErrors> {
    let mut r = reader::Reader::new(program, &parsed.doc);
    r.read();
    if r.errors.is_empty() {
        r.errors = determinations::resolve(program, &parsed.doc, &mut r.facts);
    }
    if r.errors.is_empty() {
        Ok(r.facts)
    } else {
        Err(InputErrors(r.errors))
    }
}

/// A document over [`MAX_DOCUMENT_BYTES`] (of `size` bytes, when known: a
/// device like `/dev/zero` has none).
pub fn too_large(size: Option<usize>) -> InputError {
    let (en, ja) = match size {
        Some(n) => (
            format!("the document is {n} bytes; the largest read is {MAX_DOCUMENT_BYTES} bytes (10 MiB)"),
            format!("{n} バイト。"),
        ),
        None => (
            format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes (10 MiB), the largest read"),
            String::new(),
        ),
    };
    InputError::new(
        "",
        format!("{en}: split it into several documents"),
        format!("文書が大きすぎます（{ja}上限 {MAX_DOCUMENT_BYTES} バイト＝10 MiB）。複数の文書に分けてください"),
    )
}

/// The bytes as text: within the size limit, UTF-8, a byte-order mark
/// (which Windows editors add and officers cannot see) dropped.
fn text(bytes: &[u8]) -> Result<&str, InputError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(Some(bytes.len())));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            "",
            format!(
                "the document is not UTF-8 text (byte {}): save it as UTF-8",
                e.valid_up_to()
            ),
            "文字コードが正しくありません。UTF-8で保存し直してください",
        )
    })
}
