//! Errors found when a rule set loads: names that do not resolve, type
//! mismatches, missing declarations. Each points at the rule text.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CheckError {
    pub span: Span,
    pub message: String,
    /// Text under the caret.
    pub label: String,
    /// Further help lines ("did you mean …", "available: …").
    pub notes: Vec<String>,
    /// Other places the error is about (the members of a cycle, the first
    /// declaration of a name given twice), each with its label.
    pub secondary: Vec<(Span, String)>,
}

impl CheckError {
    pub fn new(span: Span, message: impl Into<String>) -> CheckError {
        CheckError {
            span,
            message: message.into(),
            label: String::new(),
            notes: Vec::new(),
            secondary: Vec::new(),
        }
    }

    pub fn secondary(mut self, span: Span, label: impl Into<String>) -> CheckError {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> CheckError {
        self.label = label.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> CheckError {
        self.notes.push(note.into());
        self
    }
}

/// "did you mean …" for a misspelt name: the closest candidates by edit distance.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (name.chars().count().max(c.chars().count()) / 3).max(1))
        .collect();
    best.sort();
    best.first().map(|(_, c)| format!("did you mean `{c}`?"))
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
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("knd", ["kind", "joint", "name"]).as_deref(),
            Some("did you mean `kind`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["kind", "joint"]), None);
    }
}
