//! The value types officers write in documents — exact yen amounts
//! (`"１２００千円"`), dates in 和暦 (`"令和2年10月9日"`), fiscal years
//! (`"令和6年度"`) — each with a parser whose errors explain themselves in
//! Japanese and English, and the display forms decisions use.

mod amount;
mod date;
mod fiscal_year;
pub mod number;

pub use amount::{AmountError, Yen};
pub use date::JpDate;
pub use fiscal_year::FiscalYear;

/// An error that can explain itself in Japanese; `Display` is the English text.
pub trait Bilingual: std::fmt::Display {
    /// The Japanese text, for municipal officers.
    fn ja(&self) -> String;
}
