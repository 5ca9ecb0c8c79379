//! The value types officers write in documents — exact yen amounts
//! (`"１２００千円"`), dates in 和暦 (`"令和2年10月9日"`), fiscal years
//! (`"令和6年度"`) — each with a parser whose errors explain themselves in
//! Japanese and English, and the display forms decisions use.

mod amount;
pub(crate) mod boolean;
mod date;
mod fiscal_year;
pub(crate) mod number;

pub(crate) use amount::{AmountError, Yen};
pub(crate) use date::JpDate;
pub(crate) use fiscal_year::FiscalYear;

/// An error that can explain itself in Japanese; `Display` is the English text.
pub(crate) trait Bilingual: std::fmt::Display {
    /// The Japanese text, for municipal officers.
    fn ja(&self) -> String;
}
