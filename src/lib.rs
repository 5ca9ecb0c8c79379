#![forbid(unsafe_code)]
//! grant-rules: the rules of 地域づくり総合交付金（広域連携加速化事業）as code.
//!
//! The pipeline, each stage its own module with its own errors:
//! rule files → [`syntax`] (pest grammar, AST with spans) → [`check`] (names
//! and types resolved, evaluation order fixed; [`program`]) → [`eval`]
//! (three-valued evaluation over the [`facts`] of one application) →
//! [`decision`] (typed, serialisable) → [`report`] (text) or JSON.

pub mod check;
pub mod cli;
pub mod decision;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod model;
pub mod program;
pub mod reference;
pub mod report;
pub mod rules;
pub mod schema;
pub mod schema_json;
pub mod source;
pub mod syntax;
pub mod value;
