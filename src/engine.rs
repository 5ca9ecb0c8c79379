//! One call from input bytes to a decision: parse the document, pick its
//! kind by `format`, read its facts, evaluate the kind's rules as of the
//! kind's date, assemble the decision.

use crate::decision::{self, Decision};
use crate::diag::{self, Report};
use crate::eval::{self, EvalError};
use crate::input::{self, InputError, InputErrors};
use crate::program::Program;
use crate::rules::RuleBook;
use crate::source::sha256_hex;

/// Why no decision could be made.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The document could not be read (bad JSON, an unknown kind, a negative
    /// amount, an unknown municipality …): every problem found.
    #[error("{0}")]
    Input(InputErrors),
    /// A fault in the rules found while evaluating.
    #[error("{}", .0.message)]
    Rules(EvalError),
}

impl From<InputErrors> for EngineError {
    fn from(e: InputErrors) -> Self {
        EngineError::Input(e)
    }
}

impl From<InputError> for EngineError {
    fn from(e: InputError) -> Self {
        EngineError::Input(e.into())
    }
}

impl EngineError {
    /// The message to print: each input error with its JSON path, line and
    /// column, or a rules fault with its file, line and caret.
    pub fn render(&self, program: Option<&Program>, ja: bool) -> String {
        match (self, program) {
            (EngineError::Input(errors), _) => errors.0.iter().map(|e| format!("{}\n", e.render(ja))).collect(),
            (EngineError::Rules(e), Some(p)) => diag::render(
                &p.sources,
                &[Report {
                    message: &e.message,
                    span: e.span,
                    label: "while evaluating this",
                    notes: &[],
                    secondary: &[],
                }],
            ),
            (EngineError::Rules(e), None) => format!("error in the rules: {}\n", e.message),
        }
    }
}

/// Decides a document of any kind the rule book has; returns the kind's
/// program with the decision (or the error, with the program when the kind
/// was found).
pub fn decide<'b>(
    book: &'b RuleBook,
    bytes: &[u8],
) -> Result<(&'b Program, Decision), (Option<&'b Program>, EngineError)> {
    decide_as_of(book, bytes, None)
}

/// [`decide`], with the rules and parameters in force on `as_of` when it is
/// given (`check --as-of`) instead of on the kind's own date.
pub fn decide_as_of<'b>(
    book: &'b RuleBook,
    bytes: &[u8],
    as_of: Option<jiff::civil::Date>,
) -> Result<(&'b Program, Decision), (Option<&'b Program>, EngineError)> {
    let parsed = input::parse(bytes).map_err(|e| (None, e.into()))?;
    let format = parsed.format().map_err(|e| (None, e.into()))?;
    let Some(program) = book.kind(format) else {
        let known = book.formats().join("\", \"");
        let e = InputError::new(
            "format",
            format!(
                "no rules for documents of format {}; write one of \"{known}\"",
                crate::text::quoted(format)
            ),
            format!(
                "様式（format）{}のルールはありません。次のいずれかを書いてください：\"{known}\"",
                crate::text::kagi(format)
            ),
        );
        return Err((None, e.into()));
    };
    let facts = input::read(program, &parsed).map_err(|e| (Some(program), e.into()))?;
    decide_facts_as_of(program, facts, sha256_hex(bytes), as_of)
        .map(|d| (program, d))
        .map_err(|e| (Some(program), e))
}

/// Decides a document known to be of `program`'s kind.
pub fn decide_with(program: &Program, bytes: &[u8]) -> Result<Decision, EngineError> {
    let parsed = input::parse(bytes)?;
    let facts = input::read(program, &parsed)?;
    decide_facts(program, facts, sha256_hex(bytes))
}

/// Evaluates read facts as of the kind's date and assembles the decision.
pub fn decide_facts(
    program: &Program,
    facts: crate::facts::Facts,
    input_sha256: String,
) -> Result<Decision, EngineError> {
    decide_facts_as_of(program, facts, input_sha256, None)
}

/// [`decide_facts`], as of `requested` when it is given.
pub fn decide_facts_as_of(
    program: &Program,
    facts: crate::facts::Facts,
    input_sha256: String,
    requested: Option<jiff::civil::Date>,
) -> Result<Decision, EngineError> {
    let (facts, own) = eval::as_of(program, facts);
    let own = own.map_err(EngineError::Rules)?;
    let as_of = requested.or(own).ok_or_else(|| {
        InputError::new(
            "",
            "the date the rules are evaluated as of cannot be known from this document (the kind's `as_of` needs facts it lacks); give one with --as-of",
            "ルールを適用する基準日をこの文書から決められません（基準日に必要な項目がありません）。--as-of で指定してください",
        )
    })?;
    let ev = eval::evaluate(program, facts, as_of).map_err(EngineError::Rules)?;
    outside_the_rules_dates(&ev)?;
    let mut d = decision::decide(&ev, input_sha256).map_err(EngineError::Rules)?;
    if requested.is_some() {
        d.document_as_of = Some(own.map_or_else(String::new, |o| o.to_string()));
    }
    Ok(d)
}

/// A document dated where some parameter a rule reads has no value is
/// outside the rules' dates: the rules that read it are not in force, and a
/// decision is only made if the rules in force already make it fail (an
/// application for a fiscal year before the programme: `ineligible` by the
/// programme term). Otherwise it is an error, never a decision that passes
/// for want of rules.
fn outside_the_rules_dates(ev: &eval::Evaluation) -> Result<(), EngineError> {
    let root = ev.program.schema.root;
    let Some(&p) = ev.absent_params.first() else {
        return Ok(());
    };
    if ev.verdicts[root as usize].first() == Some(&crate::verdict::Verdict::Fail) {
        return Ok(());
    }
    let param = &ev.program.params[p as usize].name;
    let date = ev.as_of;
    Err(EngineError::from(InputError::new(
        "",
        format!(
            "the rules have no value of `{param}` in force on {date} (the date this document is decided as of): it is outside the rules' dates"
        ),
        format!("基準日 {date} に施行されている `{param}` の値がルールにありません（ルールの対象期間外の文書です）"),
    )))
}
