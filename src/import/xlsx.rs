//! Reading a workbook (.xlsx, .xlsm) into sheets of cells, with limits: the
//! zip's entries are measured before calamine opens it (a zip bomb, or a
//! shared-string table that declares a trillion strings, is refused with an
//! error), and each sheet is streamed cell by cell, never allocated as a
//! rectangle (a value at XFD1048576 costs one cell).

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::grid::{Cell, Sheet};
use super::{At, Located};

/// The most bytes a workbook's entries may unpack to, all together.
pub(crate) const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// The most entries (files) a workbook may hold.
const MAX_ENTRIES: usize = 2_000;
/// The most strings a workbook's shared-string table may declare.
const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// The most non-empty cells read from one sheet.
pub(crate) const MAX_CELLS: usize = 250_000;

/// The sheets named in `wanted` that the workbook has (in `wanted`'s order),
/// and the names of all its sheets.
pub(crate) fn read(bytes: &[u8], wanted: &[&str]) -> Result<(Vec<Sheet>, Vec<String>), Located> {
    check_zip(bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e.to_string()))?;
    let names = wb.sheet_names();
    let mut sheets = Vec::new();
    for (order, want) in wanted.iter().enumerate() {
        let Some(name) = names.iter().find(|n| n.trim() == *want) else {
            continue;
        };
        let mut sheet = Sheet::new(*want);
        let mut reader = wb
            .worksheet_cells_reader(name)
            .map_err(|e| unreadable(&e.to_string()))?;
        while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e.to_string()))? {
            let (row, col) = cell.get_position();
            let Some(value) = convert(cell.get_value()) else {
                continue;
            };
            if sheet.cells.len() >= MAX_CELLS {
                return Err(Located::new(
                    At::Sheet(want.to_string(), order),
                    format!(
                        "the sheet has more than {MAX_CELLS} cells with a value: an application has a few thousand; delete what is not part of it"
                    ),
                    format!(
                        "値のあるセルが {MAX_CELLS} 個を超えています（申請書は数千個までです）。申請書でない部分を削除してください"
                    ),
                ));
            }
            sheet.cells.insert((row, col), value);
        }
        sheets.push(sheet);
    }
    Ok((sheets, names))
}

fn convert(v: &DataRef) -> Option<Cell> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => return Cell::text(s),
        DataRef::SharedString(s) => return Cell::text(s),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            Cell::Date {
                y: y as i16,
                m: m as i8,
                d: d as i8,
                time: (hh, mm, ss, ms) != (0, 0, 0, 0),
            }
        }
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        // A strict-XML or OpenDocument date: its day (the reader reads it).
        DataRef::DateTimeIso(s) => return Cell::text(s.split('T').next().unwrap_or(s)),
        DataRef::DurationIso(s) => return Cell::text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    })
}

fn unreadable(detail: &str) -> Located {
    Located::new(
        At::File,
        format!("the workbook cannot be read ({detail}): save it again as an Excel workbook (.xlsx)"),
        format!("ブックを読めません（{detail}）。Excel ブック（.xlsx）として保存し直してください"),
    )
}

/// The zip's directory: a workbook at all, of bounded size unpacked, its
/// shared-string table of a bounded declared count.
fn check_zip(bytes: &[u8]) -> Result<(), Located> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Located::new(
            At::File,
            "this is an Excel 97–2003 workbook (.xls) or a password-protected one: save it as an Excel workbook (.xlsx) without a password",
            "Excel 97-2003 形式（.xls）か、パスワード付きのブックです。パスワードなしの Excel ブック（.xlsx）として保存し直してください",
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        Located::new(
            At::File,
            "this is not an Excel workbook (.xlsx): write the application in the workbook `grant-rules template` writes, or in a CSV",
            "Excel ブック（.xlsx）ではありません。grant-rules template が作るブックか、CSV に書いてください",
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_big(
            format!("{} entries", zip.len()),
            format!("{} 個のファイル", zip.len()),
        ));
    }
    let mut total: u64 = 0;
    let mut shared = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| unreadable(&e.to_string()))?;
        total = total.saturating_add(f.size());
        if f.name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        {
            shared.push(i);
        }
    }
    if total > MAX_UNPACKED {
        return Err(too_big(
            format!("{total} bytes unpacked"),
            format!("展開すると {total} バイト"),
        ));
    }
    for i in shared {
        let f = zip.by_index(i).map_err(|e| unreadable(&e.to_string()))?;
        let mut head = Vec::with_capacity(4096);
        f.take(4096)
            .read_to_end(&mut head)
            .map_err(|e| unreadable(&e.to_string()))?;
        let head = String::from_utf8_lossy(&head);
        let count = head
            .find("uniqueCount=\"")
            .map(|at| &head[at + 13..])
            .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect::<String>());
        if let Some(n) = count
            && n.parse::<u64>().map_or(true, |n| n > MAX_SHARED_STRINGS)
        {
            return Err(too_big(
                format!("a shared-string table of {} strings", crate::text::shown(&n)),
                format!("共有文字列 {} 個", crate::text::shown(&n)),
            ));
        }
    }
    Ok(())
}

fn too_big(en: String, ja: String) -> Located {
    Located::new(
        At::File,
        format!(
            "the workbook is too large ({en}; at most {MAX_UNPACKED} bytes unpacked): an application is a few sheets; save only those"
        ),
        format!(
            "ブックが大きすぎます（{ja}。展開して {MAX_UNPACKED} バイトまで）。申請書のシートだけを保存してください"
        ),
    )
}
