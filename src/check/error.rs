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

#[cfg(test)]
mod tests {
    use crate::text::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("knd", ["kind", "joint", "name"]).as_deref(),
            Some("did you mean `kind`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["kind", "joint"]), None);
    }
}
