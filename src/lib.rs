#![forbid(unsafe_code)]
//! grant-rules: the rules of 地域づくり総合交付金（広域連携加速化事業）as code.

pub mod check;
pub mod diag;
pub mod model;
pub mod program;
pub mod reference;
pub mod rules;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod value;
