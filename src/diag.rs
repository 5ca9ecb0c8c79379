//! Renders errors found in rule files as `file:line:column` diagnostics with
//! the offending line and a caret under the span (codespan-reporting, which
//! measures Japanese characters as two columns wide).

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::term::{self, Config, termcolor::NoColor};

use crate::source::{SourceMap, Span};

/// One diagnostic: a message, the span it is about, a label under the caret and notes.
pub(crate) struct Report<'a> {
    pub message: &'a str,
    pub span: Span,
    pub label: &'a str,
    pub notes: &'a [String],
    /// Further places, each underlined with its own label.
    pub secondary: &'a [(Span, String)],
}

/// Renders reports as plain text (no colour, so output is the same on any terminal).
pub(crate) fn render(sources: &SourceMap, reports: &[Report]) -> String {
    let mut out = NoColor::new(Vec::new());
    let config = Config::default();
    for r in reports {
        // An error about the rule set as a whole (no files at all) has no line to show.
        let mut labels = Vec::new();
        if sources.contains(r.span.file) {
            labels.push(Label::primary(r.span.file as usize, r.span.range()).with_message(r.label));
        }
        for (span, label) in r.secondary {
            if sources.contains(span.file) {
                labels.push(Label::secondary(span.file as usize, span.range()).with_message(label));
            }
        }
        let diagnostic = Diagnostic::error()
            .with_message(r.message)
            .with_labels(labels)
            .with_notes(r.notes.to_vec());
        if term::emit(&mut out, &config, sources.files(), &diagnostic).is_err() {
            return reports
                .iter()
                .map(|r| format!("{}: {}\n", sources.name(r.span.file), r.message))
                .collect();
        }
    }
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}
