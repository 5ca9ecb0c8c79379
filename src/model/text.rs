//! Small text helpers shared by the amount, date and fiscal-year parsers.
//!
//! Officers type amounts and dates in Word/Excel habits: full-width digits, ideographic
//! spaces, `￥`. NFKC folds all of those into plain ASCII forms, so every parser starts here.

use unicode_normalization::UnicodeNormalization;

/// Longest piece of user input quoted back in an error message, in characters.
/// A whole pasted document in one field should not become a megabyte error.
const MAX_SHOWN: usize = 60;

/// NFKC-normalises and trims, so `"　１２００千円 "` becomes `"1200千円"`.
pub(crate) fn normalize(input: &str) -> String {
    input.nfkc().collect::<String>().trim().to_string()
}

/// NFKC-normalises and drops every whitespace character; for dates, where spaces carry
/// no meaning (`"令和 2年 10月 9日"`).
pub(crate) fn compact(input: &str) -> String {
    input.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Quotes user input for an English message: `"abc"`, control characters escaped,
/// long input shortened with `…`.
pub(crate) fn quoted(input: &str) -> String {
    format!("\"{}\"", shown(input))
}

/// Quotes user input for a Japanese message: `「abc」`.
pub(crate) fn kagi(input: &str) -> String {
    format!("「{}」", shown(input))
}

/// Escapes control characters (they would break terminals and the bilingual message
/// encoding) and shortens long input.
pub(crate) fn shown(input: &str) -> String {
    let mut out = String::new();
    for (i, c) in input.chars().enumerate() {
        if i == MAX_SHOWN {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// True when `s` is a non-empty run of ASCII digits.
pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_full_width() {
        assert_eq!(normalize("　１２００千円 "), "1200千円");
        assert_eq!(normalize("￥１，２００"), "¥1,200");
        assert_eq!(compact("令和 2年 10月\u{3000}9日"), "令和2年10月9日");
    }

    #[test]
    fn quotes_safely() {
        assert_eq!(quoted("a\"b\u{1f}"), "\"a\\\"b\\u{1f}\"");
        assert_eq!(kagi("abc"), "「abc」");
        let long = "x".repeat(100);
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN + 1);
    }
}
