//! The input model: the application document (`grant-application/v1`) and the value types
//! it is built from — exact yen amounts, Japanese-style dates and fiscal years — with
//! bilingual (English/Japanese) input errors that name the JSON path.

mod amount;
mod application;
mod date;
mod errors;
mod fiscal_year;
mod load;
mod shape;
mod text;

pub use amount::{AmountError, Yen};
pub use application::{
    APPLICATION_FORMAT, Application, Council, Expense, FormatError, FormatTag, Listing, Member, Project, ProjectKind,
    Region,
};
pub use date::{DateError, Era, JpDate};
pub use errors::{Bilingual, InputError};
pub use fiscal_year::{FIRST_YEAR, FiscalYear, FiscalYearError, LAST_YEAR};
pub use load::{parse_application, sniff_format};
