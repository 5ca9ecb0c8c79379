#![forbid(unsafe_code)]
#![warn(unreachable_pub)]
//! grant-rules: the rules of 地域づくり総合交付金（広域連携加速化事業） and
//! of settlement-zone finance as code.
//!
//! The pipeline, each stage its own module with its own errors:
//! rule files → [`syntax`] (pest grammar, AST with spans) → [`check`] (the
//! kind and its input's shape built from their declarations, names and
//! types resolved, evaluation order fixed; [`program`]) → [`input`] (a
//! document read by that shape into its facts) → [`eval`] (three-valued
//! evaluation, verdicts combined as [`verdict`] says) → [`decision`] (typed,
//! serialisable) → a small document model → the text renderer, or JSON.
//! [`engine`] runs the whole path; [`cli`] is the command line; [`init`]
//! writes a kind's starting document from its declarations; [`batch`]
//! decides many documents at once, for [`review`] (a folder summarised)
//! and [`diff`] (the impact of a rules change); [`import`] reads a
//! workbook or CSV into an application document, and writes the workbook
//! (`grant-rules template`).

pub mod batch;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod decision;
mod diag;
pub mod diff;
mod document;
pub mod engine;
pub mod eval;
mod explain;
mod facts;
pub mod import;
pub mod init;
pub mod input;
mod model;
pub mod program;
mod reference;
mod render;
pub mod review;
pub mod rules;
mod schema;
pub mod schema_json;
pub mod source;
pub mod syntax;
pub mod text;
mod value;
pub mod verdict;
