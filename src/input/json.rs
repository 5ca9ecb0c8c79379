//! JSON text → a tree whose every value knows where it is written.
//!
//! Two libraries, each for what it does well: serde_json checks that the
//! text is strict JSON (RFC 8259; its errors have line and column, and its
//! recursion limit keeps a deeply nested document from exhausting the stack),
//! then jsonc-parser, with every extension switched off, gives the tree with
//! byte ranges and numbers as written (so `99999.99999999999999` is read
//! exactly, never through a float).

use jsonc_parser::{CollectOptions, ParseOptions, ast};

use super::error::InputError;

/// A parsed document and the line starts of its text, to turn byte offsets
/// into lines and columns.
pub(crate) struct Document<'t> {
    pub root: ast::Value<'t>,
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> Document<'t> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|s| *s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

/// Parses `text` (already UTF-8, without a byte-order mark).
pub(crate) fn parse(text: &str) -> Result<Document<'_>, InputError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| InputError::from_json(&e))?;
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    // serde_json accepted the text, so only jsonc-parser's own limit (512
    // levels of nesting, which keeps its recursion off the stack's end) can
    // refuse it here.
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
        let ja = if e.to_string().contains("nesting depth") {
            "入れ子が深すぎます".to_string()
        } else {
            format!("JSONとして読めません（{e}）")
        };
        InputError::new("", format!("invalid JSON: {e}"), ja)
    })?;
    let root = parsed
        .value
        .ok_or_else(|| InputError::new("", "the document is empty", "文書が空です"))?;
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    Ok(Document {
        root,
        text,
        line_starts,
    })
}

/// The byte range where a value starts.
pub(crate) fn start(v: &ast::Value) -> usize {
    match v {
        ast::Value::StringLit(x) => x.range.start,
        ast::Value::NumberLit(x) => x.range.start,
        ast::Value::BooleanLit(x) => x.range.start,
        ast::Value::Object(x) => x.range.start,
        ast::Value::Array(x) => x.range.start,
        ast::Value::NullKeyword(x) => x.range.start,
    }
}

/// What a JSON value is, as an error message names it: `string "abc"` /
/// `文字列「abc」`.
pub(crate) fn describe(v: &ast::Value) -> (String, String) {
    use crate::text::{kagi, quoted};
    match v {
        ast::Value::StringLit(s) => (
            format!("string {}", quoted(&s.value)),
            format!("文字列{}", kagi(&s.value)),
        ),
        ast::Value::NumberLit(n) => {
            let shown = crate::text::shown(n.value);
            (format!("number {shown}"), format!("数値 {shown}"))
        }
        ast::Value::BooleanLit(b) => (format!("boolean {}", b.value), format!("真偽値 {}", b.value)),
        ast::Value::NullKeyword(_) => ("null".into(), "null".into()),
        ast::Value::Object(_) => ("an object".into(), "オブジェクト（{…}）".into()),
        ast::Value::Array(_) => ("a list".into(), "配列（[…]）".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let doc = parse("{\n  \"名前\": 1,\n  \"b\": [true]\n}").unwrap();
        let ast::Value::Object(o) = &doc.root else { panic!() };
        assert_eq!(doc.position(start(&o.properties[0].value)), (2, 9));
        assert_eq!(doc.position(start(&o.properties[1].value)), (3, 8));
    }

    #[test]
    fn only_strict_json() {
        for bad in [
            "{'a': 1}",
            "{\"a\": 01}",
            "{\"a\": 1,}",
            "[0x10]",
            "{\"a\": \"x\ty\"}",
            "// c\n{}",
            "[NaN]",
            "{} {}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let e = parse("[\n  1,\n]").err().unwrap();
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
        assert_eq!(
            e.ja,
            "ここには値（文字列・数値・true/false/null・配列・オブジェクト）が必要です"
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        let doc = parse("[99999.99999999999999, 1e3]").unwrap();
        let ast::Value::Array(a) = &doc.root else { panic!() };
        let texts: Vec<&str> = a
            .elements
            .iter()
            .map(|v| match v {
                ast::Value::NumberLit(n) => n.value,
                _ => "",
            })
            .collect();
        assert_eq!(texts, ["99999.99999999999999", "1e3"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(&deep).err().unwrap();
        assert!(e.en.contains("nesting depth"), "{}", e.en);
        assert_eq!(e.ja, "入れ子が深すぎます");
    }
}
