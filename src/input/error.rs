//! Why a document could not be read: where (JSON path, line, column) and
//! why, in English and Japanese, with what to write instead.

use std::fmt;

/// One problem in an input document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {en}", if path.is_empty() { "(document)" } else { path.as_str() })]
pub struct InputError {
    /// JSON path such as `projects[0].expenses[2].amount`; empty for the whole document.
    pub path: String,
    /// 1-based line in the input, when known.
    pub line: Option<usize>,
    /// 1-based column (characters) in the input, when known.
    pub column: Option<usize>,
    /// English message.
    pub en: String,
    /// Japanese message.
    pub ja: String,
}

impl InputError {
    /// An error without a position.
    pub fn new(path: impl Into<String>, en: impl Into<String>, ja: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            line: None,
            column: None,
            en: en.into(),
            ja: ja.into(),
        }
    }

    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    /// Translates a serde_json syntax error (the document is not JSON).
    pub fn from_json(err: &serde_json::Error) -> Self {
        let full = err.to_string();
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        let (en, ja) = syntax(message);
        let known = |n: usize| (n > 0).then_some(n);
        InputError {
            path: String::new(),
            line: known(err.line()),
            column: known(err.column()),
            en,
            ja,
        }
    }

    /// `path: message (line L, column C)` in one language.
    pub fn render(&self, ja: bool) -> String {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            self.path.as_str()
        };
        let at = match (self.line, self.column) {
            (Some(l), Some(c)) if ja => format!("（{l}行{c}列）"),
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        let msg = if ja { &self.ja } else { &self.en };
        format!("{path}: {msg}{at}")
    }
}

/// Every problem found in one document, in the order of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

impl From<InputError> for InputErrors {
    fn from(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}

/// Syntax errors: the document is not well-formed JSON. Each with what to
/// do about it, in both languages.
fn syntax(message: &str) -> (String, String) {
    const TABLE: &[(&str, &str, &str)] = &[
        (
            "EOF while parsing",
            "JSONが途中で終わっています（} ] \" の閉じ忘れはありませんか）",
            "close every {, [ and \"",
        ),
        (
            "trailing characters",
            "JSONの終わりの後に余分な文字があります。削除してください",
            "remove what follows the document",
        ),
        (
            "trailing comma",
            "最後の要素の後に余分なカンマ「,」があります。削除してください",
            "remove the comma",
        ),
        (
            "expected value",
            "ここには値（文字列・数値・true/false/null・配列・オブジェクト）が必要です",
            "write a value: a string in \"…\", a number, true, false, null, […] or {…}",
        ),
        (
            "expected `,` or `]`",
            "「,」か「]」が必要です",
            "separate the items with , and end with ]",
        ),
        (
            "expected `,` or `}`",
            "「,」か「}」が必要です",
            "separate the fields with , and end with }",
        ),
        ("expected `:`", "「:」が必要です", "write \"name\": value"),
        (
            "key must be a string",
            "項目名は \" で囲んでください",
            "write the field's name in double quotes",
        ),
        (
            "expected ident",
            "true / false / null のつづりが違います",
            "write true, false or null in lower case, or a string in \"…\"",
        ),
        (
            "invalid number",
            "数値の書き方が正しくありません。1200000 のように書くか、\"…\" で囲んで文字列にしてください",
            "write a number like 1200000, or a string in \"…\"",
        ),
        (
            "number out of range",
            "数値が大きすぎます。\"…\" で囲んで文字列で書いてください",
            "write it as a string in \"…\"",
        ),
        (
            "control character",
            "文字列の中に改行などの制御文字があります（\\n と書いてください）",
            "a string is one line: write a line break as \\n",
        ),
        (
            "invalid escape",
            "文字列の中の \\ の使い方が正しくありません。\\ そのものは \\\\ と書いてください",
            "write a backslash as \\\\",
        ),
        (
            "invalid unicode",
            "文字コードが正しくありません（UTF-8で保存してください）",
            "save the document as UTF-8",
        ),
        (
            "lone leading surrogate",
            "文字列の中の \\u の使い方が正しくありません",
            "write the character itself instead of \\u",
        ),
        ("recursion limit exceeded", "入れ子が深すぎます", "flatten the document"),
    ];
    match TABLE.iter().find(|(en, _, _)| message.starts_with(en)) {
        Some((_, ja, fix)) => (format!("invalid JSON: {message}: {fix}"), ja.to_string()),
        None => (
            format!("invalid JSON: {message}"),
            format!("JSONの書き方に誤りがあります（{message}）"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_translated() {
        let (en, ja) = syntax("trailing characters");
        assert_eq!(
            (en.as_str(), ja.as_str()),
            (
                "invalid JSON: trailing characters: remove what follows the document",
                "JSONの終わりの後に余分な文字があります。削除してください"
            )
        );
    }

    #[test]
    fn display_uses_document_for_empty_path() {
        let e = InputError::new("", "x", "y");
        assert_eq!(e.to_string(), "(document): x");
        assert_eq!(InputError::new("projects", "x", "y").to_string(), "projects: x");
        let e = InputError::new("a", "x", "y").at(Some((3, 4)));
        assert_eq!(e.render(false), "a: x (line 3, column 4)");
        assert_eq!(e.render(true), "a: y（3行4列）");
    }
}
