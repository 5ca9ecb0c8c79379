//! Text in both languages, and the one normaliser every name comparison uses.

use std::borrow::Cow;

use serde::Serialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// A text in Japanese and English.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

/// A language to render in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages (a name, a number).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text { ja: s.clone(), en: s }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ja.is_empty() && self.en.is_empty()
    }

    /// Joins sentences: in Japanese with 「。」 where the previous one does not
    /// already end a sentence (a parenthesis continues it), in English with a
    /// full stop and a space.
    pub fn join(parts: &[Text]) -> Text {
        let mut ja = String::new();
        let mut en = String::new();
        for t in parts {
            if !t.ja.is_empty() {
                if !ja.is_empty() && !ja.ends_with('。') && !t.ja.starts_with('（') {
                    ja.push('。');
                }
                ja.push_str(&t.ja);
            }
            if !t.en.is_empty() {
                if !en.is_empty() {
                    if !en.ends_with('.') && !t.en.starts_with('(') {
                        en.push('.');
                    }
                    en.push(' ');
                }
                en.push_str(&t.en);
            }
        }
        Text::new(ja, en)
    }

    /// Joins items of a list: 「、」 in Japanese, "; " in English.
    pub fn list(items: &[Text]) -> Text {
        Text::new(
            items.iter().map(|t| t.ja.as_str()).collect::<Vec<_>>().join("、"),
            items.iter().map(|t| t.en.as_str()).collect::<Vec<_>>().join("; "),
        )
    }
}

/// The one text normaliser. Officers type in Word/Excel habits (full-width
/// digits, ideographic spaces, `￥`, half-width kana): NFKC folds them all,
/// and surrounding white space is dropped. Amounts, fiscal years and names
/// start here.
pub fn normalize(s: &str) -> String {
    normalized(s).into_owned()
}

/// [`normalize`] without copying text that is already normal (ASCII, or
/// already NFKC, with no white space around it): the common case.
pub fn normalized(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim();
    let already =
        trimmed.chars().all(plain) || unicode_normalization::is_nfkc_quick(trimmed.chars()) == IsNormalized::Yes;
    if already {
        return Cow::Borrowed(trimmed);
    }
    let folded: String = s.nfkc().collect();
    match (folded.len(), folded.trim().len()) {
        (a, b) if a == b => Cow::Owned(folded),
        _ => Cow::Owned(folded.trim().to_string()),
    }
}

/// A character NFKC leaves alone whatever surrounds it: ASCII, kanji and
/// the kana and punctuation of ordinary Japanese text (not the half-width or
/// full-width forms, not the ideographic space, not the combining sound
/// marks). Most text an officer writes is only these, and checking them is
/// cheaper than the library's quick check; the test below holds the ranges
/// to the library.
fn plain(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7f}'
        | '\u{3001}'..='\u{3002}' // 、。
        | '\u{300c}'..='\u{300f}' // 「」『』
        | '\u{3041}'..='\u{3096}' // hiragana
        | '\u{309d}'..='\u{309e}' // ゝゞ
        | '\u{30a1}'..='\u{30fe}' // katakana, ・ ー ヽ ヾ
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
    )
}

/// How names compare (enum spellings, `unique` fields): normalised and
/// case-insensitive for Latin letters.
pub fn key(s: &str) -> String {
    key_of(s).into_owned()
}

/// [`key`] without copying a key that is already one.
pub fn key_of(s: &str) -> Cow<'_, str> {
    match normalized(s) {
        Cow::Borrowed(b) if !b.chars().any(char::is_uppercase) => Cow::Borrowed(b),
        other => Cow::Owned(other.to_lowercase()),
    }
}

/// Normalised with every white space removed: for dates, where spaces carry
/// no meaning (`"令和 2年 10月 9日"`).
pub fn compact(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// [`compact`] text that remembers where each of its characters came from,
/// so a search in it (a rule's quote in a guideline's text) can point back
/// at the original words, line and column.
#[derive(Clone, Debug, Default)]
pub struct Compact {
    /// The text, normalised with every white space removed, as [`compact`].
    pub text: String,
    /// For each character of `text`: its byte offset there, and the byte
    /// offset in the original of the character it came from.
    origins: Vec<(usize, usize)>,
    original_len: usize,
}

impl Compact {
    /// Normalises `s` as [`compact`] does. NFKC is applied to each run of a
    /// character and the combining marks after it (a half-width `ｶﾞ` is one
    /// run), which gives the same text as normalising the whole, and keeps
    /// every character's origin.
    pub fn new(s: &str) -> Compact {
        let mut out = Compact {
            text: String::with_capacity(s.len()),
            origins: Vec::with_capacity(s.len() / 2),
            original_len: s.len(),
        };
        let mut run_start = 0;
        let mut run_plain = true;
        for (i, c) in s.char_indices() {
            let is_plain = plain(c);
            if (is_plain || starts_run(c)) && i > run_start {
                out.push_run(&s[run_start..i], run_start, run_plain);
                run_start = i;
                run_plain = is_plain;
            } else if i > run_start {
                run_plain = false;
            } else {
                run_plain = is_plain;
            }
        }
        out.push_run(&s[run_start..], run_start, run_plain);
        out
    }

    /// Appends a run normalised; `plain`: it is one [`plain`] character,
    /// which NFKC leaves as it is.
    fn push_run(&mut self, run: &str, from: usize, plain: bool) {
        let mut push = |c: char| {
            if !c.is_whitespace() {
                self.origins.push((self.text.len(), from));
                self.text.push(c);
            }
        };
        if plain {
            run.chars().for_each(&mut push);
        } else {
            run.nfkc().for_each(push);
        }
    }

    /// The byte offset in the original of the character at byte `at` of
    /// [`Compact::text`] (the original's length at the end).
    pub fn origin(&self, at: usize) -> usize {
        match self.origins.binary_search_by_key(&at, |(t, _)| *t) {
            Ok(i) => self.origins[i].1,
            Err(i) => self.origins.get(i).map_or(self.original_len, |(_, o)| *o),
        }
    }
}

/// Whether NFKC never joins `c` to the character before it: it is not a
/// combining mark (after decomposition: `ﾞ` is U+3099) nor a character that
/// composes with its predecessor. Each such character starts a run that
/// [`Compact`] normalises on its own.
fn starts_run(c: char) -> bool {
    use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
    let mut first = None;
    decompose_compatible(c, |d| {
        first.get_or_insert(d);
    });
    let first = first.unwrap_or(c);
    canonical_combining_class(first) == 0
        && unicode_normalization::is_nfc_quick(std::iter::once(first)) == IsNormalized::Yes
}

/// Longest piece of user input quoted back in a message, in characters: a
/// whole pasted document in one field should not become a megabyte error.
const MAX_SHOWN: usize = 60;

/// User input as it may be shown in a message or a report: control
/// characters (line breaks, escapes that would forge lines on a terminal)
/// written as escapes, long input shortened with `…`.
pub fn shown(input: &str) -> String {
    let mut out = String::new();
    for (i, c) in input.chars().enumerate() {
        if i == MAX_SHOWN {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if forbidden(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// The first character of `s` that would forge or hide text where it is
/// shown: a control character (a line break, a tab, a terminal escape), a
/// line or paragraph separator, or a bidirectional override that reorders
/// what follows. Text fields refuse them, and the text report escapes them.
pub fn control_char(s: &str) -> Option<char> {
    s.chars().find(|c| forbidden(*c))
}

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// A character's name in an error message: `U+000A (a line break)`.
pub fn describe_char(c: char) -> (String, String) {
    let code = format!("U+{:04X}", u32::from(c));
    let (en, ja) = match c {
        '\n' => ("a line break", "改行"),
        '\r' => ("a carriage return", "改行（CR）"),
        '\t' => ("a tab", "タブ"),
        '\u{1b}' => ("a terminal escape", "エスケープ文字"),
        '\u{2028}' | '\u{2029}' => ("a line separator", "改行（行区切り）"),
        c if c.is_control() => ("a control character", "制御文字"),
        _ => ("a character that reorders text", "文字の向きを変える制御文字"),
    };
    (format!("{code} ({en})"), format!("{ja}（{code}）"))
}

/// The text with every [`control_char`] written as an escape (`\n`,
/// `\u{1b}`), uncut: what the text report prints of any text, so no text
/// can start a line of its own or rewrite the terminal.
pub fn escaped(s: &str) -> Cow<'_, str> {
    // Every forbidden character is ASCII below a space or DEL, or starts
    // with byte C2 (C1 controls), D8 (U+061C) or E2 (U+200E…U+2069): text
    // without those bytes (most Japanese) is clean without decoding it.
    let suspect = |b: &u8| *b < 0x20 || matches!(*b, 0x7f | 0xc2 | 0xd8 | 0xe2);
    if !s.as_bytes().iter().any(suspect) || !s.chars().any(forbidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if forbidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first character of `s` that NFKC turns into a digit but that is not
/// one (a superscript `²`, a circled `①`, a fraction `½`): folded, `"10²"`
/// would read as 102. Full-width digits (`１`) are digits and pass.
pub fn digit_lookalike(s: &str) -> Option<char> {
    s.chars().find(|c| {
        !c.is_ascii() && !('\u{ff10}'..='\u{ff19}').contains(c) && !plain(*c) && c.nfkc().any(|d| d.is_ascii_digit())
    })
}

/// Quotes user input for an English message: `"abc"`.
pub fn quoted(input: &str) -> String {
    format!("\"{}\"", shown(input))
}

/// Quotes user input for a Japanese message: `「abc」`.
pub fn kagi(input: &str) -> String {
    format!("「{}」", shown(input))
}

/// True when `s` is a non-empty run of ASCII digits.
pub fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// "did you mean …" for a misspelt name: the closest candidates by edit distance.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate nearest `name` by edit distance, if one is near enough (a
/// third of the longer name's characters). A candidate whose length alone
/// puts it too far is never compared, so a pasted megabyte costs nothing.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let n = name.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let m = c.chars().count();
        let limit = (n.max(m) / 3).max(1);
        if n.abs_diff(m) > limit {
            continue;
        }
        let d = edit_distance(name, c);
        if d <= limit && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_characters_are_nfkc_stable_and_never_compose() {
        use unicode_normalization::char::{canonical_combining_class, compose};
        let plain_chars: Vec<char> = ('\0'..=char::MAX).filter(|c| plain(*c)).collect();
        assert!(plain_chars.len() > 20_000);
        for c in &plain_chars {
            let s = c.to_string();
            assert_eq!(s.nfkc().collect::<String>(), s, "{c:?} changes under NFKC");
            assert_eq!(canonical_combining_class(*c), 0, "{c:?}");
        }
        // No plain character is the second of a composition (a following
        // combining mark is not plain, so the quick check sees it).
        for second in &plain_chars {
            for first in ['\u{3046}', '\u{304b}', '\u{30a6}', '\u{30ab}', 'a', 'A', '\u{4e00}'] {
                assert_eq!(compose(first, *second), None, "{first:?}+{second:?}");
            }
        }
        assert!(!plain('\u{3000}') && !plain('\u{ff11}') && !plain('\u{ff76}') && !plain('\u{3099}'));
    }

    #[test]
    fn joins_sentences_in_each_language() {
        let t = Text::join(&[Text::new("a", "A"), Text::new("（b）", "(b)"), Text::new("c", "C.")]);
        assert_eq!(t, Text::new("a（b）。c", "A (b). C."));
    }

    #[test]
    fn normalizes_width_space_and_case() {
        assert_eq!(normalize("　１２００千円 "), "1200千円");
        assert_eq!(normalize("￥１，２００"), "¥1,200");
        assert_eq!(key("　ＩＣＴの活用 "), "ictの活用");
        assert_eq!(compact("令和 2年 10月\u{3000}9日"), "令和2年10月9日");
    }

    #[test]
    fn compact_keeps_each_characters_origin() {
        for s in [
            "",
            "  交付対象経費の 20 パー\n  セント未満",
            "ｶﾞｲﾄﾞ　１，２００千円",
            "か\u{3099}き\u{309a} (６) ①…",
            "e\u{301}\u{323}x",
        ] {
            let c = Compact::new(s);
            assert_eq!(c.text, compact(s), "{s:?}");
        }
        let s = "第 10　交付の\n条件";
        let c = Compact::new(s);
        assert_eq!(c.text, "第10交付の条件");
        let at = c.text.find("交付").unwrap();
        assert_eq!(&s[c.origin(at)..], "交付の\n条件");
        assert_eq!(c.origin(c.text.find("条").unwrap()), s.find("条").unwrap());
        assert_eq!(c.origin(c.text.len()), s.len());
        // Half-width kana with its voicing mark is one character, from the kana.
        let c = Compact::new("ｶﾞｲ");
        assert_eq!(c.text, "ガイ");
        assert_eq!(c.origin("ガ".len()), "ｶﾞ".len());
    }

    #[test]
    fn escapes_what_would_forge_a_line() {
        assert_eq!(escaped("防災テント — ○×"), "防災テント — ○×");
        assert!(matches!(escaped("防災テント — ○×"), Cow::Borrowed(_)));
        assert_eq!(escaped("a\nb\r\u{1b}[2J"), "a\\nb\\r\\u{1b}[2J");
        assert_eq!(escaped("x\u{2028}y\u{202e}z\u{85}"), "x\\u{2028}y\\u{202e}z\\u{85}");
        assert_eq!(escaped("\u{61c}"), "\\u{61c}");
        // The byte test finds every forbidden character.
        for c in ('\0'..='\u{ffff}').filter(|c| forbidden(*c)) {
            let s = c.to_string();
            assert_ne!(escaped(&s), s, "{c:?}");
        }
        assert_eq!(control_char("a\tb"), Some('\t'));
        assert_eq!(digit_lookalike("１２３"), None);
        assert_eq!(digit_lookalike("10²"), Some('²'));
        assert_eq!(digit_lookalike("①"), Some('①'));
    }

    #[test]
    fn closest_skips_candidates_too_far_by_length() {
        assert_eq!(closest("ICTの括用", ["ICTの活用", "防災"]), Some("ICTの活用"));
        let huge = "あ".repeat(100_000);
        assert_eq!(closest(&huge, ["防災", "医療"]), None);
    }

    #[test]
    fn quotes_safely() {
        assert_eq!(quoted("a\"b\u{1f}"), "\"a\\\"b\\u{1f}\"");
        assert_eq!(kagi("abc"), "「abc」");
        let long = "x".repeat(100);
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN + 1);
    }
}
