//! Bilingual input errors.
//!
//! Municipal officers read the Japanese text; developers and logs read the English one.
//! Our own parsers raise errors carrying both texts; serde only knows a single message
//! string, so both travel inside it joined by [`SEP`] and are split again here. Serde's and
//! serde_json's own English messages are translated from their (stable) wording.

use std::fmt;

use serde_json::error::Category;
use serde_path_to_error::{Path, Segment};

use crate::model::text::shown;

/// Joins the English and Japanese text inside one serde custom message. A control
/// character, so it can never come from user input (quoted input escapes control characters).
pub(crate) const SEP: char = '\u{1f}';

/// An error that can explain itself in Japanese; `Display` is the English text.
pub trait Bilingual: fmt::Display {
    /// The Japanese text, for municipal officers.
    fn ja(&self) -> String;
}

/// Wraps a bilingual error as a serde error, both texts joined by [`SEP`].
pub(crate) fn to_serde_error<E: serde::de::Error>(err: &impl Bilingual) -> E {
    E::custom(format!("{err}{SEP}{}", err.ja()))
}

/// Why an input document could not be read: where (JSON path, line, column) and why, in
/// English and Japanese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {en}", if path.is_empty() { "(document)" } else { path.as_str() })]
pub struct InputError {
    /// JSON path such as `projects[0].expenses[2].amount`; empty for the whole document.
    pub path: String,
    /// 1-based line in the input, when the JSON parser knew it.
    pub line: Option<usize>,
    /// 1-based column (bytes) in the input, when the JSON parser knew it.
    pub column: Option<usize>,
    /// English message.
    pub en: String,
    /// Japanese message.
    pub ja: String,
}

impl InputError {
    /// An error found after parsing (no line or column).
    pub fn new(path: impl Into<String>, en: impl Into<String>, ja: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            line: None,
            column: None,
            en: en.into(),
            ja: ja.into(),
        }
    }

    /// Translates a serde_json error that has no path (syntax errors, `sniff_format`).
    pub fn from_json(err: &serde_json::Error) -> Self {
        let full = err.to_string();
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        let (en, ja) = translate(message, err.classify());
        let known = |n: usize| (n > 0).then_some(n);
        InputError {
            path: String::new(),
            line: known(err.line()),
            column: known(err.column()),
            en,
            ja,
        }
    }

    /// Translates a serde_json error with the JSON path where it happened.
    /// An unknown field is reported at the object that has it (`region`), the field's
    /// name being in the message.
    pub fn from_path_error(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let unknown_field = err.inner().to_string().starts_with("unknown field ");
        let mut out = InputError::from_json(err.inner());
        out.path = path_text(err.path(), unknown_field);
        out
    }
}

impl Bilingual for InputError {
    fn ja(&self) -> String {
        self.ja.clone()
    }
}

/// `projects[0].expenses[2].amount`; empty for the document itself.
fn path_text(path: &Path, drop_last: bool) -> String {
    let segments: Vec<&Segment> = path.iter().collect();
    let keep = segments.len() - usize::from(drop_last && !segments.is_empty());
    let mut out = String::new();
    for segment in &segments[..keep] {
        if !out.is_empty() && !matches!(segment, Segment::Seq { .. }) {
            out.push('.');
        }
        out.push_str(&segment.to_string());
    }
    out
}

/// Splits our own bilingual messages; translates serde's and serde_json's.
fn translate(message: &str, category: Category) -> (String, String) {
    if let Some((en, ja)) = message.split_once(SEP) {
        return (en.to_string(), ja.to_string());
    }
    match category {
        Category::Syntax | Category::Eof => syntax(message),
        Category::Data | Category::Io => data(message),
    }
}

/// Syntax errors: the document is not well-formed JSON.
fn syntax(message: &str) -> (String, String) {
    const TABLE: &[(&str, &str)] = &[
        (
            "EOF while parsing",
            "JSONが途中で終わっています（} ] \" の閉じ忘れはありませんか）",
        ),
        ("trailing characters", "JSONの終わりの後に余分な文字があります"),
        ("trailing comma", "最後の要素の後に余分なカンマ「,」があります"),
        (
            "expected value",
            "ここには値（文字列・数値・true/false/null・配列・オブジェクト）が必要です",
        ),
        ("expected `,` or `]`", "「,」か「]」が必要です"),
        ("expected `,` or `}`", "「,」か「}」が必要です"),
        ("expected `:`", "「:」が必要です"),
        ("key must be a string", "項目名は \" で囲んでください"),
        ("expected ident", "true / false / null のつづりが違います"),
        ("invalid number", "数値の書き方が正しくありません"),
        ("number out of range", "数値が大きすぎます"),
        (
            "control character",
            "文字列の中に改行などの制御文字があります（\\n と書いてください）",
        ),
        ("invalid escape", "文字列の中の \\ の使い方が正しくありません"),
        (
            "invalid unicode",
            "文字コードが正しくありません（UTF-8で保存してください）",
        ),
        ("lone leading surrogate", "文字列の中の \\u の使い方が正しくありません"),
        ("recursion limit exceeded", "入れ子が深すぎます"),
    ];
    let ja = TABLE
        .iter()
        .find(|(en, _)| message.starts_with(en))
        .map(|(_, ja)| ja.to_string())
        .unwrap_or_else(|| format!("JSONの書き方に誤りがあります（{message}）"));
    (format!("invalid JSON: {message}"), ja)
}

/// Data errors: well-formed JSON that does not fit the format.
fn data(message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = unquote(rest);
        return (
            format!("missing field \"{name}\""),
            format!("必須項目「{name}」がありません"),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let name = unquote(rest);
        return (
            format!("duplicate field \"{name}\""),
            format!("項目「{name}」が二回書かれています"),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown(rest, "field", "項目「{}」はこの様式にありません", "使える項目");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return unknown(rest, "variant", "「{}」は使えない値です", "使える値");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let ja = format!(
            "{}ではなく{}を書いてください",
            unexpected_ja(found),
            expected_ja(expected)
        );
        return (message.to_string(), ja);
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let ja = format!(
            "値が正しくありません（{}。{}が必要です）",
            unexpected_ja(found),
            expected_ja(expected)
        );
        return (message.to_string(), ja);
    }
    if message.starts_with("invalid length ") {
        return (message.to_string(), format!("要素の数が正しくありません（{message}）"));
    }
    (message.to_string(), format!("入力を読めません（{message}）"))
}

/// `` `foo`, expected one of `a`, `b` `` → English with double quotes, and Japanese
/// listing the accepted names.
fn unknown(rest: &str, what: &str, ja_head: &str, ja_list: &str) -> (String, String) {
    let cut = rest.rfind(", expected ").or_else(|| rest.rfind(", there are no "));
    let (quoted_name, tail) = rest.split_at(cut.unwrap_or(rest.len()));
    let name = shown(quoted_name.trim_matches('`'));
    let accepted = names(tail);
    let head = ja_head.replacen("{}", &name, 1);
    if accepted.is_empty() {
        let en = format!("unknown {what} \"{name}\", there are no {what}s");
        return (en, head);
    }
    let quoted: Vec<String> = accepted.iter().map(|n| format!("\"{n}\"")).collect();
    let en = format!("unknown {what} \"{name}\", expected one of {}", quoted.join(", "));
    (en, format!("{head}（{ja_list}: {}）", accepted.join(", ")))
}

/// The first back-quoted name in a serde message: `` `foo`, … `` → `foo`.
fn unquote(text: &str) -> String {
    names(text).into_iter().next().unwrap_or_default()
}

/// Every back-quoted name in a serde message, control characters escaped.
fn names(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(shown).collect()
}

/// Serde's `Unexpected` wording in Japanese: `integer `5`` → `整数 5`.
fn unexpected_ja(found: &str) -> String {
    const KINDS: &[(&str, &str)] = &[
        ("boolean ", "真偽値 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("string ", "文字列 "),
        ("char ", "文字 "),
    ];
    let plain = found.replace('`', "");
    for (en, ja) in KINDS {
        if let Some(value) = plain.strip_prefix(en) {
            return format!("{ja}{value}");
        }
    }
    match plain.as_str() {
        "null" | "unit value" | "Option value" => "null".into(),
        "map" => "オブジェクト（{…}）".into(),
        "sequence" => "配列（[…]）".into(),
        _ => plain,
    }
}

/// What was expected, in Japanese; falls back to the English wording.
fn expected_ja(expected: &str) -> String {
    use crate::model::{amount, application, date, fiscal_year};
    const TABLE: &[(&str, &str)] = &[
        ("a string", "文字列"),
        ("a boolean", "true か false"),
        ("u32", "0以上の整数"),
        ("a sequence", "配列（[…]）"),
        (amount::EXPECTING, "金額（整数、または \"1,200,000\" のような文字列）"),
        (
            date::EXPECTING,
            "日付（\"2020-10-09\" や \"令和2年10月9日\" のような文字列）",
        ),
        (fiscal_year::EXPECTING, "年度（2024 や \"令和6年度\"）"),
        (application::FORMAT_EXPECTING, "文字列 \"grant-application/v1\""),
    ];
    if expected.starts_with("struct ") {
        return "オブジェクト（{…}）".into();
    }
    TABLE
        .iter()
        .find(|(en, _)| *en == expected)
        .map(|(_, ja)| ja.to_string())
        .unwrap_or_else(|| expected.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bilingual_messages() {
        let (en, ja) = translate("negative amount -5\u{1f}負の金額です（-5）", Category::Data);
        assert_eq!((en.as_str(), ja.as_str()), ("negative amount -5", "負の金額です（-5）"));
    }

    #[test]
    fn translates_serde_messages() {
        let (en, ja) = data("unknown field `foo`, expected one of `name`, `members`");
        assert_eq!(en, "unknown field \"foo\", expected one of \"name\", \"members\"");
        assert_eq!(ja, "項目「foo」はこの様式にありません（使える項目: name, members）");
        let (en, ja) = data("unknown field `foo`, expected `name`");
        assert_eq!(en, "unknown field \"foo\", expected one of \"name\"");
        assert_eq!(ja, "項目「foo」はこの様式にありません（使える項目: name）");
        let (en, ja) = data("unknown field `foo`, there are no fields");
        assert_eq!(
            (en.as_str(), ja.as_str()),
            (
                "unknown field \"foo\", there are no fields",
                "項目「foo」はこの様式にありません"
            )
        );
        let (_, ja) = data("unknown variant `yes`, expected one of `listed`, `planned`, `no`");
        assert_eq!(ja, "「yes」は使えない値です（使える値: listed, planned, no）");
        let (en, ja) = data("missing field `name`");
        assert_eq!(
            (en.as_str(), ja.as_str()),
            ("missing field \"name\"", "必須項目「name」がありません")
        );
        let (_, ja) = data("invalid type: integer `5`, expected a string");
        assert_eq!(ja, "整数 5ではなく文字列を書いてください");
        let (_, ja) = data("duplicate field `name`");
        assert_eq!(ja, "項目「name」が二回書かれています");
        let (en, ja) = syntax("trailing characters");
        assert_eq!(
            (en.as_str(), ja.as_str()),
            (
                "invalid JSON: trailing characters",
                "JSONの終わりの後に余分な文字があります"
            )
        );
    }

    #[test]
    fn display_uses_document_for_empty_path() {
        let e = InputError::new("", "x", "y");
        assert_eq!(e.to_string(), "(document): x");
        assert_eq!(InputError::new("projects", "x", "y").to_string(), "projects: x");
    }
}
