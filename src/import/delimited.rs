//! Reading the CSV layout: one file holding the workbook's three sheets as
//! sections, each begun by a row `[地域]`, `[事業]` or `[経費]` and laid out
//! as its sheet is. A row whose first cell begins with `#` is a comment.
//! Rows are counted as a spreadsheet shows the file (row 12 is the 12th
//! record), so `経費!D12` is cell D12 of the CSV opened in Excel. UTF-8
//! (with or without a byte-order mark) or Shift_JIS, which Excel on
//! Japanese Windows writes.

use super::grid::{Cell, Place, Sheet};
use super::layout::{SHEETS, label_key};
use super::{At, Located};

/// The sections found (named as their sheets), and the problems of rows
/// outside any section.
pub(crate) fn read(bytes: &[u8]) -> Result<(Vec<Sheet>, Vec<Located>), Located> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut errors = Vec::new();
    let mut current: Option<usize> = None;
    let mut cells = 0usize;
    // Line breaks inside quoted cells so far: a spreadsheet shows a record
    // as one row, and a blank line as an empty one.
    let mut breaks = 0u64;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Located::new(
                At::File,
                format!("the CSV cannot be read at line {line}: {e}; save it again from the spreadsheet"),
                format!("CSV の {line} 行目を読めません（{e}）。表計算ソフトから保存し直してください"),
            )
        })?;
        let line = record.position().map_or(1, |p| p.line());
        let row = line.saturating_sub(1 + breaks) as u32;
        breaks += record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        let first = record.get(0).map(str::trim).unwrap_or("");
        if first.starts_with('#') || first.starts_with('＃') {
            continue;
        }
        if let Some(name) = section(first) {
            let here = Place::cell(&name, 0, row, 0);
            match SHEETS.iter().position(|s| label_key(s) == label_key(&name)) {
                Some(i) if sheets.iter().any(|s| s.name == SHEETS[i]) => errors.push(Located::new(
                    At::cell(Place { order: i, ..here }),
                    format!("the section [{}] is written twice: keep one", SHEETS[i]),
                    format!("[{}] が二回あります。一つにまとめてください", SHEETS[i]),
                )),
                Some(i) => {
                    sheets.push(Sheet::new(SHEETS[i]));
                    current = Some(sheets.len() - 1);
                }
                None => {
                    errors.push(Located::new(
                        At::cell(here),
                        format!(
                            "no section {}: the sections are [{}]",
                            crate::text::quoted(first),
                            SHEETS.join("], [")
                        ),
                        format!(
                            "{}という区切りはありません。区切りは [{}] です",
                            crate::text::kagi(first),
                            SHEETS.join("]、[")
                        ),
                    ));
                    current = None;
                }
            }
            continue;
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(i) = current else {
            errors.push(Located::new(
                At::cell(Place::cell("CSV", 0, row, 0)),
                "a row outside any section: begin the sections with a row [地域], [事業] or [経費], or comment the row out with #",
                "区切り（[地域]、[事業]、[経費] の行）の外に書かれた行です。区切りの下に書くか、行頭に # を付けてください",
            ));
            continue;
        };
        for (col, field) in record.iter().enumerate() {
            if let Some(cell) = Cell::text(field) {
                cells += 1;
                if cells > super::xlsx::MAX_CELLS {
                    return Err(Located::new(
                        At::File,
                        format!(
                            "the CSV has more than {} cells with a value: an application has a few thousand",
                            super::xlsx::MAX_CELLS
                        ),
                        format!(
                            "値のあるセルが {} 個を超えています（申請書は数千個までです）",
                            super::xlsx::MAX_CELLS
                        ),
                    ));
                }
                sheets[i].cells.insert((row, col as u32), cell);
            }
        }
    }
    Ok((sheets, errors))
}

/// `[地域]` (or `［地域］`, `【地域】`): the section's name.
fn section(first: &str) -> Option<String> {
    let t = crate::text::normalize(first);
    let inner = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| t.strip_prefix('【').and_then(|r| r.strip_suffix('】')))?;
    Some(inner.trim().to_string())
}

/// The text of the file: UTF-8 (a byte-order mark dropped), else Shift_JIS.
fn decode(bytes: &[u8]) -> Result<String, Located> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            Located::new(
                At::File,
                "the CSV is neither UTF-8 nor Shift_JIS text: save it as \"CSV UTF-8\"",
                "CSV の文字コードが UTF-8 でも Shift_JIS でもありません。「CSV UTF-8」で保存し直してください",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_rows_and_shift_jis() {
        let text = "# コメント\n[地域]\n年度,令和6年度\n\n[経費]\n事業名,\"内\n容\"\nA,\"印刷, 製本\"\n";
        let (sheets, errors) = read(text.as_bytes()).unwrap();
        assert!(errors.is_empty());
        assert_eq!(sheets[0].name, "地域");
        assert_eq!(sheets[0].get(2, 1), Some(&Cell::Text("令和6年度".into())));
        assert_eq!(sheets[1].get(6, 1), Some(&Cell::Text("印刷, 製本".into())));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (again, _) = read(&sjis).unwrap();
        assert_eq!(again[1].get(6, 1), sheets[1].get(6, 1));
    }

    #[test]
    fn rows_outside_sections_and_unknown_sections_are_errors() {
        let (_, errors) = read("年度,R6\n[地区]\nx\n".as_bytes()).unwrap();
        let at: Vec<String> = errors
            .iter()
            .map(|e| match &e.at {
                At::Place(p) => p.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(at, ["CSV!A1", "地区!A2", "CSV!A3"]);
    }
}
