#![forbid(unsafe_code)]
//! grant-rules: the rules of 地域づくり総合交付金（広域連携加速化事業） and
//! of settlement-zone finance as code.
//!
//! The pipeline, each stage its own module with its own errors:
//! rule files → [`syntax`] (pest grammar, AST with spans) → [`check`] (the
//! kind and its input's shape built from their declarations, names and
//! types resolved, evaluation order fixed; [`program`]) → [`input`] (a
//! document read by that shape into [`facts`]) → [`eval`] (three-valued
//! evaluation, verdicts combined as [`verdict`] says) → [`decision`] (typed,
//! serialisable) → [`document`] → [`render`] (text) or JSON.

pub mod check;
pub mod cli;
pub mod decision;
pub mod diag;
pub mod document;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod input;
pub mod model;
pub mod program;
pub mod reference;
pub mod render;
pub mod rules;
pub mod schema;
pub mod schema_json;
pub mod source;
pub mod syntax;
pub mod text;
pub mod value;
pub mod verdict;
