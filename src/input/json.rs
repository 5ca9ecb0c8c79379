//! JSON text → a tree whose every value knows where it is written.
//!
//! serde_json is the judge of what is JSON, and gives the messages when a
//! document is not; but its values carry no positions, and every input error
//! of a document must name one. So a small strict parser (RFC 8259: no
//! trailing commas, no raw control characters in strings, numbers as
//! written) builds the tree, borrowing the text wherever it can (a string
//! without escapes, every number), and only when it refuses a text is
//! serde_json asked why.
//!
//! One thing more than RFC 8259: comments, `// …` to the end of the line and
//! `/* … */`, wherever white space may stand, so a document can explain
//! itself (`grant-rules init` writes one that does). They are skipped in
//! place, so every byte offset, line and column stays the text's own; to ask
//! serde_json why a text with comments is refused, the comments are first
//! blanked out byte for byte.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::error::InputError;

/// The deepest nesting of arrays and objects read (serde_json's own limit):
/// a document nested deeper is refused, never a stack overflow.
const MAX_DEPTH: usize = 128;

/// A JSON value and the byte offset where it starts.
#[derive(Debug, PartialEq)]
pub(crate) enum Json<'t> {
    Null(usize),
    Bool(bool, usize),
    /// The number exactly as written (`99999.99999999999999` is never a float).
    Number(&'t str, usize),
    String(Cow<'t, str>, usize),
    Array(Vec<Json<'t>>, usize),
    /// The members in order (a repeated name is kept, for the reader to
    /// report): name, where the name starts, value.
    Object(Vec<Member<'t>>, usize),
}

#[derive(Debug, PartialEq)]
pub(crate) struct Member<'t> {
    pub name: Cow<'t, str>,
    pub at: usize,
    pub value: Json<'t>,
}

impl Json<'_> {
    pub(super) fn start(&self) -> usize {
        match self {
            Json::Null(at)
            | Json::Bool(_, at)
            | Json::Number(_, at)
            | Json::String(_, at)
            | Json::Array(_, at)
            | Json::Object(_, at) => *at,
        }
    }
}

/// A parsed document and the line starts of its text, to turn byte offsets
/// into lines and columns.
pub(crate) struct Document<'t> {
    pub root: Json<'t>,
    text: &'t str,
    /// Found on the first error: a document without errors never needs them.
    line_starts: OnceCell<Vec<usize>>,
}

impl<'t> Document<'t> {
    /// 1-based line and column (in characters) of a byte offset.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let line_starts = self.line_starts.get_or_init(|| {
            let newlines = self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n');
            std::iter::once(0).chain(newlines.map(|(i, _)| i + 1)).collect()
        });
        let line = line_starts.partition_point(|s| *s <= offset).max(1);
        let start = line_starts[line - 1];
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
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
        members: Vec::new(),
        items: Vec::new(),
    };
    let root = p.document().map_err(|refused| why(text, refused))?;
    Ok(Document {
        root,
        text,
        line_starts: OnceCell::new(),
    })
}

/// Why a text was refused: serde_json's diagnosis (a message translated
/// into Japanese, at the line and column of this text), the depth limit, or
/// a comment left open.
fn why(text: &str, refused: Refused) -> InputError {
    let position = |offset: usize| {
        Document {
            root: Json::Null(0),
            text,
            line_starts: OnceCell::new(),
        }
        .position(offset)
    };
    match refused {
        Refused::TooDeep => {
            return InputError::new(
                "",
                format!("invalid JSON: arrays and objects nested more than {MAX_DEPTH} deep: flatten the document"),
                "入れ子が深すぎます（配列・オブジェクトの入れ子は128段まで）",
            );
        }
        Refused::OpenComment(at) => {
            return InputError::new(
                "",
                "invalid JSON: a comment /* is never closed: end it with */",
                "コメント「/*」が閉じられていません。「*/」で閉じてください",
            )
            .at(Some(position(at)));
        }
        Refused::Syntax => {}
    }
    let blanked = without_comments(text);
    match serde_json::from_str::<serde_json::Value>(&blanked) {
        Err(e) => {
            let mut err = InputError::from_json(&e);
            // serde_json counts columns in bytes; a line with kanji before
            // the error is shown in characters, as every other position.
            if let (Some(line), Some(column)) = (err.line, err.column) {
                let start = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
                let (l, c) = position((start + column - 1).min(text.len()));
                err.line = Some(l);
                err.column = Some(c);
            }
            err
        }
        // Both read RFC 8259; should they ever disagree, the refusal stands.
        Ok(_) => InputError::new("", "invalid JSON", "JSONの書き方に誤りがあります"),
    }
}

/// The text with each comment's bytes replaced by spaces (line breaks
/// kept): the same offsets, no comments.
fn without_comments(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                for o in &mut out[i..end] {
                    if *o != b'\n' {
                        *o = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // Whole characters were blanked (a comment ends at ASCII), so it is text.
    String::from_utf8(out).unwrap_or_default()
}

enum Refused {
    Syntax,
    TooDeep,
    /// A `/*` without its `*/`, at this offset.
    OpenComment(usize),
}

type R<T> = Result<T, Refused>;

struct Parser<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
    depth: usize,
    /// The members and items of the objects and arrays being read, nested
    /// ones above their parents': each finished object or array takes its
    /// own off the top in one allocation of the right size.
    members: Vec<Member<'t>>,
    items: Vec<Json<'t>>,
}

impl<'t> Parser<'t> {
    fn document(&mut self) -> R<Json<'t>> {
        let v = self.value()?;
        self.space()?;
        if self.i == self.s.len() {
            Ok(v)
        } else {
            Err(Refused::Syntax)
        }
    }

    /// White space and comments.
    fn space(&mut self) -> R<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'/') => match self.s.get(self.i + 1) {
                    Some(b'/') => {
                        self.i += 2;
                        while let Some(b) = self.peek() {
                            if b == b'\n' {
                                break;
                            }
                            self.i += 1;
                        }
                    }
                    Some(b'*') => {
                        let open = self.i;
                        match self.text[self.i + 2..].find("*/") {
                            Some(end) => self.i += 2 + end + 2,
                            None => return Err(Refused::OpenComment(open)),
                        }
                    }
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, b: u8) -> R<()> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(Refused::Syntax)
        }
    }

    fn value(&mut self) -> R<Json<'t>> {
        self.space()?;
        let at = self.i;
        match self.peek().ok_or(Refused::Syntax)? {
            b'{' => self.object(at),
            b'[' => self.array(at),
            b'"' => Ok(Json::String(self.string()?, at)),
            b't' => self.word(b"true").map(|_| Json::Bool(true, at)),
            b'f' => self.word(b"false").map(|_| Json::Bool(false, at)),
            b'n' => self.word(b"null").map(|_| Json::Null(at)),
            b'-' | b'0'..=b'9' => self.number(at),
            _ => Err(Refused::Syntax),
        }
    }

    fn word(&mut self, w: &[u8]) -> R<()> {
        if self.s[self.i..].starts_with(w) {
            self.i += w.len();
            Ok(())
        } else {
            Err(Refused::Syntax)
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Refused::TooDeep)
        } else {
            Ok(())
        }
    }

    fn object(&mut self, at: usize) -> R<Json<'t>> {
        self.enter()?;
        self.i += 1;
        let base = self.members.len();
        self.space()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                self.space()?;
                let name_at = self.i;
                if self.peek() != Some(b'"') {
                    return Err(Refused::Syntax);
                }
                let name = self.string()?;
                self.space()?;
                self.expect(b':')?;
                let value = self.value()?;
                self.members.push(Member {
                    name,
                    at: name_at,
                    value,
                });
                self.space()?;
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(Refused::Syntax),
                }
            }
        }
        self.depth -= 1;
        Ok(Json::Object(self.members.split_off(base), at))
    }

    fn array(&mut self, at: usize) -> R<Json<'t>> {
        self.enter()?;
        self.i += 1;
        let base = self.items.len();
        self.space()?;
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                let item = self.value()?;
                self.items.push(item);
                self.space()?;
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(Refused::Syntax),
                }
            }
        }
        self.depth -= 1;
        Ok(Json::Array(self.items.split_off(base), at))
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    fn number(&mut self, at: usize) -> R<Json<'t>> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Refused::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.some_digits()?;
        }
        Ok(Json::Number(&self.text[at..self.i], at))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> R<()> {
        let from = self.i;
        self.digits();
        if self.i > from { Ok(()) } else { Err(Refused::Syntax) }
    }

    /// A string, borrowed from the text when it has no escapes.
    fn string(&mut self) -> R<Cow<'t, str>> {
        self.i += 1;
        let from = self.i;
        loop {
            match self.peek().ok_or(Refused::Syntax)? {
                b'"' => {
                    let s = &self.text[from..self.i];
                    self.i += 1;
                    return Ok(Cow::Borrowed(s));
                }
                b'\\' => break,
                0x00..=0x1f => return Err(Refused::Syntax),
                _ => self.i += 1,
            }
        }
        let mut out = String::from(&self.text[from..self.i]);
        loop {
            match self.peek().ok_or(Refused::Syntax)? {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek().ok_or(Refused::Syntax)?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(Refused::Syntax),
                    }
                }
                0x00..=0x1f => return Err(Refused::Syntax),
                _ => {
                    // Copy the run up to the next quote or escape whole: it is
                    // valid UTF-8, being part of a `str`.
                    let run = self.i;
                    while let Some(b) = self.peek() {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(&self.text[run..self.i]);
                }
            }
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let h = self.text.get(self.i..self.i + 4).ok_or(Refused::Syntax)?;
        let v = u32::from_str_radix(h, 16).map_err(|_| Refused::Syntax)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Refused::Syntax);
        }
        self.i += 4;
        Ok(v)
    }

    /// `\uXXXX`, a surrogate pair joined; a lone surrogate is refused.
    fn unicode_escape(&mut self) -> R<char> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !self.s[self.i..].starts_with(b"\\u") {
                return Err(Refused::Syntax);
            }
            self.i += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(Refused::Syntax);
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or(Refused::Syntax)
    }
}

/// What a JSON value is, as an error message names it: `string "abc"` /
/// `文字列「abc」`.
pub(crate) fn describe(v: &Json) -> (String, String) {
    use crate::text::{kagi, quoted};
    match v {
        Json::String(s, _) => (format!("string {}", quoted(s)), format!("文字列{}", kagi(s))),
        Json::Number(n, _) => {
            let shown = crate::text::shown(n);
            (format!("number {shown}"), format!("数値 {shown}"))
        }
        Json::Bool(b, _) => (format!("boolean {b}"), format!("真偽値 {b}")),
        Json::Null(_) => ("null".into(), "null".into()),
        Json::Object(..) => ("an object".into(), "オブジェクト（{…}）".into()),
        Json::Array(..) => ("a list".into(), "配列（[…]）".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let doc = parse("{\n  \"名前\": 1,\n  \"b\": [true]\n}").unwrap();
        let Json::Object(o, _) = &doc.root else { panic!() };
        assert_eq!(doc.position(o[0].value.start()), (2, 9));
        assert_eq!(doc.position(o[1].value.start()), (3, 8));
        assert_eq!(doc.position(o[1].at), (3, 3));
    }

    #[test]
    fn reads_every_json_value() {
        let doc =
            parse(r#" {"a": [1, -2.5e-3, 0, true, false, null, "x\n\u00e9\ud83d\ude00\"\\\/"], "b": {}} "#).unwrap();
        let Json::Object(o, _) = &doc.root else { panic!() };
        let Json::Array(a, _) = &o[0].value else { panic!() };
        let kinds: Vec<String> = a
            .iter()
            .map(|v| match v {
                Json::Number(n, _) => n.to_string(),
                Json::Bool(b, _) => b.to_string(),
                Json::Null(_) => "null".into(),
                Json::String(s, _) => s.to_string(),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(kinds, ["1", "-2.5e-3", "0", "true", "false", "null", "x\né😀\"\\/"]);
        assert_eq!(o[1].value, Json::Object(vec![], 79));
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let doc = parse(r#"["防災テント", "a\tb"]"#).unwrap();
        let Json::Array(a, _) = &doc.root else { panic!() };
        assert!(matches!(&a[0], Json::String(Cow::Borrowed("防災テント"), _)));
        assert!(matches!(&a[1], Json::String(Cow::Owned(_), _)));
    }

    #[test]
    fn only_strict_json() {
        for bad in [
            "{'a': 1}",
            "{\"a\": 01}",
            "{\"a\": 1,}",
            "[1,]",
            "[0x10]",
            "{\"a\": \"x\ty\"}",
            "[NaN]",
            "{} {}",
            "[1.]",
            "[.5]",
            "[+1]",
            "[-]",
            "[1e]",
            "{\"a\" 1}",
            "{a: 1}",
            "[\"\\x41\"]",
            "[\"\\ud800\"]",
            "[\"\\ud800\\u0041\"]",
            "[\u{3000}1]",
            "[\u{b}1]",
            "",
            "   ",
            "[",
            "\"abc",
            "tru",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
            assert!(
                serde_json::from_str::<serde_json::Value>(bad).is_err(),
                "serde_json agrees: {bad:?}"
            );
        }
        let e = parse("[\n  1,\n]").err().unwrap();
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
        assert!(e.en.starts_with("invalid JSON: "), "{}", e.en);
    }

    #[test]
    fn comments_are_skipped_in_place() {
        let text = "// 申請書\n{\n  /* 年度 */ \"a\": 1, // 西暦\n  \"b\": /* 名前 */ \"/* not a comment */ // nor this\"\n}\n// end";
        let doc = parse(text).unwrap();
        let Json::Object(o, _) = &doc.root else { panic!() };
        assert_eq!(o[0].name, "a");
        assert_eq!(doc.position(o[0].at), (3, 12), "columns count the comment's characters");
        assert!(matches!(&o[1].value, Json::String(s, _) if s == "/* not a comment */ // nor this"));
        assert_eq!(doc.position(o[1].value.start()), (4, 17));
        assert!(parse("[1 /* a */, /**/ 2 //\n]").is_ok());
        assert!(parse("/* only a comment */").is_err());
    }

    #[test]
    fn errors_after_comments_are_where_they_are() {
        // The trailing comma on line 3, after a comment of kanji: the
        // column is in characters.
        let e = parse("{\n  // 申請する年度\n  \"年度\": 1,\n}").err().unwrap();
        assert_eq!((e.line, e.column), (Some(4), Some(1)), "{e:?}");
        assert_eq!(e.ja, "最後の要素の後に余分なカンマ「,」があります。削除してください");
        assert_eq!(e.en, "invalid JSON: trailing comma: remove the comma");
        let e = parse("{\"名前\": 1,, }").err().unwrap();
        assert_eq!((e.line, e.column), (Some(1), Some(10)), "{e:?}");
        let e = parse("{\n  /* 閉じない\n  \"a\": 1\n}").err().unwrap();
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
        assert_eq!(e.ja, "コメント「/*」が閉じられていません。「*/」で閉じてください");
        assert_eq!(e.en, "invalid JSON: a comment /* is never closed: end it with */");
        let e = parse("[1 / 2]").err().unwrap();
        assert_eq!((e.line, e.column), (Some(1), Some(4)));
    }

    #[test]
    fn numbers_keep_their_text() {
        let doc = parse("[99999.99999999999999, 1e3]").unwrap();
        let Json::Array(a, _) = &doc.root else { panic!() };
        let texts: Vec<&str> = a
            .iter()
            .map(|v| match v {
                Json::Number(n, _) => *n,
                _ => "",
            })
            .collect();
        assert_eq!(texts, ["99999.99999999999999", "1e3"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(&deep).err().unwrap();
        assert!(e.en.contains("nested more than 128"), "{}", e.en);
        assert_eq!(e.ja, "入れ子が深すぎます（配列・オブジェクトの入れ子は128段まで）");
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
    }
}
