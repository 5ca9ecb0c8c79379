//! Yes and no as an officer writes them: `true`/`false`, or the words of a
//! Japanese form — はい／いいえ, ○／×, 有／無 (あり／なし).

use crate::text::key_of;

/// The words read as true, after NFKC and lower-casing (`"ＹＥＳ"` is `yes`).
pub(crate) const TRUE_WORDS: &[&str] = &["true", "はい", "○", "〇", "◯", "有", "有り", "あり", "yes"];
/// The words read as false.
pub(crate) const FALSE_WORDS: &[&str] = &["false", "いいえ", "×", "✕", "無", "無し", "なし", "no"];

/// What a yes/no field takes, for messages: `true か false（はい／いいえ、○／×、有／無 も可）`.
pub(crate) const FORMS_JA: &str = "true か false（「はい」「いいえ」、「○」「×」、「有」「無」も可）";
pub(crate) const FORMS_EN: &str = "true or false (or \"はい\"/\"いいえ\", \"○\"/\"×\", \"有\"/\"無\")";

/// A written yes or no; `None` for anything else.
pub(crate) fn parse(text: &str) -> Option<bool> {
    let k = key_of(text);
    if TRUE_WORDS.contains(&&*k) {
        Some(true)
    } else if FALSE_WORDS.contains(&&*k) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_words_of_a_form() {
        for t in ["true", "TRUE", "はい", "○", "〇", "有", "あり", "ｙｅｓ", " Yes "] {
            assert_eq!(parse(t), Some(true), "{t}");
        }
        for f in ["false", "いいえ", "×", "無", "なし", "no", "ＮＯ"] {
            assert_eq!(parse(f), Some(false), "{f}");
        }
        for bad in ["", "1", "0", "はいはい", "-", "y", "済"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_words_are_their_own_keys_and_never_both() {
        for w in TRUE_WORDS.iter().chain(FALSE_WORDS) {
            assert_eq!(key_of(w), *w, "{w} is written as its key");
        }
        assert!(TRUE_WORDS.iter().all(|w| !FALSE_WORDS.contains(w)));
    }
}
