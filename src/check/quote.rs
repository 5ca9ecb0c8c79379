//! Is a quote in the text of the document it cites? A rule's `text "…"` is
//! what a reviewer reads as the guideline's words beside the decision, so
//! it must be those words, not a paraphrase that drifted.
//!
//! Both sides are compared as [`Compact`] text: NFKC (full-width and
//! half-width forms, `（６）` and `(6)`, `１，０００` and `1,000` are one) with
//! every white space removed (the PDF's line breaks and odd spaces, `第 10`
//! and `第10`). A quote may leave words out with `…` (or `...`): its parts
//! between elisions must each be in the text, in order. Nothing else is
//! forgiven: a wrong character, a paraphrase, parts out of order.

use std::ops::Range;

use crate::text::Compact;

/// Why a quote is not in a text.
#[derive(Debug, PartialEq)]
pub(crate) enum Miss {
    /// The quote has no words, only elisions (or nothing).
    Empty,
    /// A part of the quote is not in the text (after the parts before it).
    Part(Part),
}

/// The part of a quote that is not in the text, and how far it gets.
#[derive(Debug, PartialEq)]
pub(crate) struct Part {
    /// Which part (0-based) of how many: the pieces between elisions.
    pub index: usize,
    pub count: usize,
    /// The longest beginning of that part the text has (after the parts
    /// before it), as a byte range of the quote as written.
    pub found: Range<usize>,
    /// The rest of the part, as a byte range of the quote as written.
    pub rest: Range<usize>,
    /// Where the text goes on after that beginning (a byte offset in the
    /// text as written), when some of it was found.
    pub text_at: Option<usize>,
    /// The whole part is in the text, but before the part preceding it.
    pub out_of_order: bool,
}

/// Finds `quote` in `text` (already made [`Compact`]).
pub(crate) fn find(text: &Compact, quote: &str) -> Result<(), Miss> {
    let q = Compact::new(quote);
    let parts = parts(&q.text);
    if parts.is_empty() {
        return Err(Miss::Empty);
    }
    let mut from = 0;
    for (index, part) in parts.iter().enumerate() {
        let words = &q.text[part.clone()];
        match text.text[from..].find(words) {
            Some(at) => from += at + words.len(),
            None => {
                let found = longest_prefix_in(&text.text[from..], words);
                let text_at = (found > 0).then(|| {
                    let at = text.text[from..].find(&words[..found]).unwrap_or(0);
                    text.origin(from + at + found)
                });
                let split = q.origin(part.start + found);
                return Err(Miss::Part(Part {
                    index,
                    count: parts.len(),
                    found: q.origin(part.start)..split,
                    rest: split..q.origin(part.end),
                    text_at,
                    out_of_order: index > 0 && text.text.contains(words),
                }));
            }
        }
    }
    Ok(())
}

/// The byte ranges of the parts of a compact quote: the text between runs
/// of three or more full stops (NFKC writes `…` as `...`), empty ones left out.
fn parts(q: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = q.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| **b == b'.').count();
        if run >= 3 {
            if i > start {
                out.push(start..i);
            }
            start = i + run;
            i = start;
        } else {
            i += run.max(1);
        }
    }
    if start < q.len() {
        out.push(start..q.len());
    }
    out
}

/// The length in bytes of the longest beginning of `words` that `text`
/// contains (less than all of it). Containing a beginning means containing
/// every shorter one, so the length is found by bisection over characters.
fn longest_prefix_in(text: &str, words: &str) -> usize {
    let ends: Vec<usize> = words
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([words.len()])
        .collect();
    // ends[k] is the byte end of the first k+1 characters.
    let (mut lo, mut hi) = (0usize, ends.len());
    // Invariant: the first `lo` characters are in the text; the first `hi` are not.
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if text.contains(&words[..ends[mid - 1]]) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if lo == 0 { 0 } else { ends[lo - 1] }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "第 10 交付の条件\n１ 交付対象経費の額又は配分の変更を行うときは、知事の承認を受けなければならない。た\nだし、当該交付対象経費の増減額が 20 パー\nセント未満の変更については、この限りではない。";

    fn find_in(quote: &str) -> Result<(), Miss> {
        find(&Compact::new(TEXT), quote)
    }

    fn part(quote: &str) -> Part {
        match find_in(quote) {
            Err(Miss::Part(p)) => p,
            other => panic!("{quote:?}: {other:?}"),
        }
    }

    #[test]
    fn white_space_and_width_do_not_matter() {
        assert_eq!(
            find_in("ただし、当該交付対象経費の増減額が２０パーセント未満の変更"),
            Ok(())
        );
        assert_eq!(find_in("第10 交付の条件"), Ok(()));
        assert_eq!(find_in("１ 交付対象経費の額"), Ok(()));
    }

    #[test]
    fn elided_parts_are_found_in_order() {
        assert_eq!(find_in("交付対象経費の額…知事の承認…この限りではない。"), Ok(()));
        assert_eq!(find_in("…知事の承認を受けなければならない..."), Ok(()));
        let p = part("この限りではない。…知事の承認");
        assert_eq!((p.index, p.count, p.out_of_order), (1, 2, true));
    }

    #[test]
    fn a_wrong_word_shows_how_far_the_quote_goes() {
        let quote = "ただし、当該交付対象経費の増減額が 30 パーセント未満";
        let p = part(quote);
        assert_eq!(&quote[p.found.clone()], "ただし、当該交付対象経費の増減額が ");
        assert_eq!(&quote[p.rest.clone()], "30 パーセント未満");
        let at = p.text_at.unwrap();
        assert!(TEXT[at..].starts_with("20 パー"), "{:?}", &TEXT[at..]);
        assert!(!p.out_of_order);
    }

    #[test]
    fn nothing_found_and_nothing_quoted() {
        let p = part("まったく別の文");
        assert_eq!((p.found.clone(), p.text_at), (0..0, None));
        assert_eq!(find_in("…"), Err(Miss::Empty));
        assert_eq!(find_in("  "), Err(Miss::Empty));
    }

    #[test]
    fn parts_split_at_runs_of_dots() {
        let ps = |q: &str| parts(q).into_iter().map(|r| q[r].to_string()).collect::<Vec<_>>();
        assert_eq!(ps("a...b"), ["a", "b"]);
        assert_eq!(ps("......a.b...."), ["a.b"]);
        assert_eq!(ps("a..b"), ["a..b"]);
    }

    #[test]
    fn longest_prefix_by_characters() {
        assert_eq!(longest_prefix_in("交付対象", "交付金"), "交付".len());
        assert_eq!(longest_prefix_in("abc", "x"), 0);
    }
}
