//! A sheet as the importer sees it: its non-empty cells by position, each
//! a text, a number, a yes/no, a date or an error, whatever file it came
//! from (a workbook's sheet, or a section of a CSV); and where a value was
//! written (`経費!D5`, `経費!A5:G5`), for the messages.

use std::collections::BTreeMap;
use std::fmt;

/// One non-empty cell.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    /// Text, trimmed of surrounding white space (never empty).
    Text(String),
    /// A number cell (a spreadsheet keeps every number as a double).
    Number(f64),
    /// A whole number held exactly (an old binary workbook's integer).
    Int(i64),
    /// TRUE / FALSE.
    Bool(bool),
    /// A cell formatted as a date: its day, and whether it has a time of day too.
    Date { y: i16, m: i8, d: i8, time: bool },
    /// A formula's error (`#DIV/0!`, `#REF!`, `#N/A` …).
    Error(String),
}

impl Cell {
    /// A text cell, or nothing when it is blank.
    pub(crate) fn text(s: &str) -> Option<Cell> {
        let t = s.trim();
        (!t.is_empty()).then(|| Cell::Text(t.to_string()))
    }

    /// The cell as text, as it reads (a label, a header, a project's name).
    pub(crate) fn shown(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => number(*n),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Date { y, m, d, .. } => iso(*y, *m, *d),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn iso(y: i16, m: i8, d: i8) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A double as its shortest exact decimal (`1200000`, `0.1`, never an exponent).
pub(crate) fn number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet: its name and its non-empty cells by (row, column), both from 0.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Cell>,
}

impl Sheet {
    pub(crate) fn new(name: impl Into<String>) -> Sheet {
        Sheet {
            name: name.into(),
            cells: BTreeMap::new(),
        }
    }

    #[cfg(test)]
    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    /// The rows that hold a cell, in order, each with its cells in column order.
    pub(crate) fn rows(&self) -> Vec<(u32, Vec<(u32, &Cell)>)> {
        let mut out: Vec<(u32, Vec<(u32, &Cell)>)> = Vec::new();
        for (&(r, c), cell) in &self.cells {
            match out.last_mut() {
                Some((row, cells)) if *row == r => cells.push((c, cell)),
                _ => out.push((r, vec![(c, cell)])),
            }
        }
        out
    }
}

/// A column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_name(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Where something was written: a cell or a rectangle of one sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    /// The sheet's name (`経費`; in a CSV, its section).
    pub sheet: String,
    /// The sheet's position in the layout, to order messages.
    pub order: usize,
    pub top: (u32, u32),
    pub bottom: (u32, u32),
    /// The item or column header written there (`金額（円）`).
    pub label: Option<&'static str>,
}

impl Place {
    pub(crate) fn cell(sheet: &str, order: usize, row: u32, col: u32) -> Place {
        Place {
            sheet: sheet.to_string(),
            order,
            top: (row, col),
            bottom: (row, col),
            label: None,
        }
    }

    pub(crate) fn to(mut self, row: u32, col: u32) -> Place {
        self.bottom = (row.max(self.top.0), col.max(self.top.1));
        self
    }

    pub(crate) fn labelled(mut self, label: &'static str) -> Place {
        self.label = Some(label);
        self
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a1 = |(r, c): (u32, u32)| format!("{}{}", column_name(c), r + 1);
        if self.top == self.bottom {
            write!(f, "{}!{}", self.sheet, a1(self.top))
        } else {
            write!(f, "{}!{}:{}", self.sheet, a1(self.top), a1(self.bottom))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_places_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(Place::cell("経費", 2, 11, 1).to_string(), "経費!B12");
        assert_eq!(Place::cell("経費", 2, 4, 0).to(4, 6).to_string(), "経費!A5:G5");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(1_200_000.0), "1200000");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(-5.0), "-5");
    }
}
