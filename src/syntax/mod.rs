//! Rule files → abstract syntax ([`ast`]). The grammar is `grammar/rules.pest`.

pub mod ast;
mod error;
mod parse;

pub use error::{SyntaxError, phrase};
pub use parse::parse_file;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
pub struct RulesParser;
