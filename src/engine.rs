//! One call from input bytes to a decision: read the application, build its
//! facts, evaluate the rules as of the end of the fiscal year applied for,
//! assemble the decision.

use crate::decision::{self, Decision};
use crate::diag::{self, Report};
use crate::eval::{self, EvalError, EvaluateError};
use crate::facts;
use crate::model::{self, InputError};
use crate::program::Program;
use crate::source::sha256_hex;

/// Why no decision could be made.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The application could not be read (bad JSON, a negative amount, an
    /// unknown municipality …).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A fault in the rules found while evaluating.
    #[error("{}", .0.message)]
    Rules(EvalError),
}

impl EngineError {
    /// The message to print: an input error with its JSON path, or a rules
    /// fault with its file, line and caret.
    pub fn render(&self, program: &Program, ja: bool) -> String {
        match self {
            EngineError::Input(e) => {
                let path = if e.path.is_empty() {
                    "(document)"
                } else {
                    e.path.as_str()
                };
                let at = match (e.line, e.column) {
                    (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                    _ => String::new(),
                };
                let msg = if ja { &e.ja } else { &e.en };
                format!("{path}: {msg}{at}\n")
            }
            EngineError::Rules(e) => diag::render(
                &program.sources,
                &[Report {
                    message: &e.message,
                    span: e.span,
                    label: "while evaluating this",
                    notes: &[],
                }],
            ),
        }
    }
}

/// Decides the application in `input` (a `grant-application/v1` document).
pub fn decide(program: &Program, input: &[u8]) -> Result<Decision, EngineError> {
    let app = model::parse_application(input)?;
    let facts = facts::build(program, &app)?;
    let as_of = app.fiscal_year.end();
    let ev = eval::evaluate(program, facts, as_of).map_err(|e| match e {
        EvaluateError::NoParameter { param, date } => EngineError::Input(InputError::new(
            "fiscal_year",
            format!("the rules have no value of `{param}` in force on {date} (the end of {}): this fiscal year is outside the rules' dates", app.fiscal_year.label_en()),
            format!("{} の末日 {date} に施行されている `{param}` の値がルールにありません（対象外の年度です）", app.fiscal_year.label_ja()),
        )),
        EvaluateError::Eval(e) => EngineError::Rules(e),
    })?;
    decision::decide(&ev, sha256_hex(input)).map_err(EngineError::Rules)
}
