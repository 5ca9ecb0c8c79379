//! Turning user text (a name or a code) into a [`MuniId`], with suggestions on failure.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use crate::reference::{Hokkaido, MuniId, hokkaido};
use crate::text::{kagi, quoted};

/// Kanji variants → the forms the registry writes (`澤` → `沢`), from
/// `data/kanji/variants.csv` (its README says where they come from).
const VARIANTS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/kanji/variants.csv"));

static VARIANTS: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    VARIANTS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split(',');
            let one = |s: Option<&str>| {
                let mut cs = s?.chars();
                let c = cs.next()?;
                cs.next().is_none().then_some(c)
            };
            Some((one(cols.next())?, one(cols.next())?))
        })
        .collect()
});

/// The name with every kanji variant in the table replaced by the form
/// the registry uses; `None` when it has none.
fn standard_kanji(key: &str) -> Option<String> {
    key.chars()
        .any(|c| VARIANTS.contains_key(&c))
        .then(|| key.chars().map(|c| VARIANTS.get(&c).copied().unwrap_or(c)).collect())
}

/// Most suggestions offered for an unknown input; more would bury the likely one.
const MAX_SUGGESTIONS: usize = 3;

/// Prefix accepted and ignored before a name, as in `北海道岩見沢市` on application forms.
const PREFECTURE: &str = "北海道";

/// The input names no Hokkaido municipality.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UnknownMunicipality {
    /// The input exactly as given.
    pub input: String,
    /// Likely intended municipalities, best first, at most three.
    pub suggestions: Vec<MuniId>,
}

impl UnknownMunicipality {
    /// Japanese message for applicants, e.g.
    /// `「新冠村」は北海道の市町村にありません（もしかして: 新冠町）`.
    #[must_use]
    pub(crate) fn message_ja(&self) -> String {
        let mut msg = format!("{}は北海道の市町村にありません", kagi(&self.input));
        if !self.suggestions.is_empty() {
            msg += "（もしかして: ";
            msg += &self.suggestion_names("、");
            msg += "）";
        }
        msg
    }

    /// Suggested names joined with `sep`.
    fn suggestion_names(&self, sep: &str) -> String {
        let data = hokkaido();
        let names: Vec<&str> = self.suggestions.iter().map(|&id| data.name(id)).collect();
        names.join(sep)
    }
}

impl fmt::Display for UnknownMunicipality {
    /// English message for logs and developers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a Hokkaido municipality", quoted(&self.input))?;
        if !self.suggestions.is_empty() {
            write!(f, " (did you mean: {}?)", self.suggestion_names(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownMunicipality {}

/// Canonical lookup key: the one normaliser's form (NFKC: full-width digits and half-width kana
/// become the forms used in the data; surrounding whitespace removed), and a leading `北海道`
/// dropped.
fn normalise(input: &str) -> String {
    let normal = crate::text::normalized(input);
    normal
        .strip_prefix(PREFECTURE)
        .map_or(&*normal, str::trim_start)
        .to_owned()
}

/// Splits a trailing 市/町/村 off a name, if there is one and something precedes it.
fn stem(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(['市', '町', '村'])?;
    (!stem.is_empty()).then_some(stem)
}

/// Whether `key` and `name` differ only in the final 市/町/村 (`新冠村` vs `新冠町`).
fn same_stem(key: &str, name: &str) -> bool {
    stem(key).is_some_and(|s| stem(name) == Some(s))
}

/// Whether one contains the other. A one-character input would match dozens of names, so the
/// input must have at least two characters to be searched for inside names.
fn overlaps(key: &str, name: &str) -> bool {
    (key.chars().count() >= 2 && name.contains(key)) || key.contains(name)
}

impl Hokkaido {
    /// Resolves a name (NFKC-normalised and trimmed, optionally prefixed with `北海道`), a
    /// 6-digit code with check digit (`012106`) or a 5-digit code (`01210`).
    ///
    /// # Errors
    ///
    /// [`UnknownMunicipality`] with up to three suggestions when nothing matches exactly.
    pub(crate) fn resolve(&self, input: &str) -> Result<MuniId, UnknownMunicipality> {
        // Most names are written exactly as in the registry.
        if let Some(&id) = self.by_key.get(input) {
            return Ok(id);
        }
        let key = normalise(input);
        match self.by_key.get(&key) {
            Some(&id) => Ok(id),
            None => Err(UnknownMunicipality {
                input: input.to_owned(),
                suggestions: self.suggestions(&key),
            }),
        }
    }

    /// Up to [`MAX_SUGGESTIONS`] ids, in priority order: the name written with old or
    /// variant kanji (`岩見澤市` → `岩見沢市`), the code with a corrected check digit, names
    /// differing only in 市/町/村, then names overlapping the input.
    fn suggestions(&self, key: &str) -> Vec<MuniId> {
        if let Some(standard) = standard_kanji(key) {
            if let Some(&id) = self.by_key.get(&standard) {
                return vec![id];
            }
            return self.suggestions(&standard);
        }
        let code_fix = self.code_with_wrong_check_digit(key);
        let stems = self.iter().filter(|&id| same_stem(key, self.name(id)));
        let overlapping = self.iter().filter(|&id| overlaps(key, self.name(id)));
        let mut out = Vec::with_capacity(MAX_SUGGESTIONS);
        for id in code_fix.into_iter().chain(stems).chain(overlapping) {
            if !out.contains(&id) {
                out.push(id);
            }
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
        out
    }

    /// For a 6-digit input whose first five digits are a known code, the municipality meant
    /// (only the check digit was wrong).
    fn code_with_wrong_check_digit(&self, key: &str) -> Option<MuniId> {
        let is_code = key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit());
        is_code.then(|| self.by_key.get(&key[..5]).copied()).flatten()
    }
}
