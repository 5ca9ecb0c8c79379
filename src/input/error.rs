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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_translated() {
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
        let e = InputError::new("a", "x", "y").at(Some((3, 4)));
        assert_eq!(e.render(false), "a: x (line 3, column 4)");
        assert_eq!(e.render(true), "a: y（3行4列）");
    }
}
