//! `grant-rules template`: the workbook an officer fills in (or its CSV
//! form), filled with an application — the bundled example of 南空知圏域
//! (令和6年度), or any application document (`--from`). What it offers is
//! drawn from the rules like the reader's vocabulary: the lists to choose
//! from are the rules' Japanese names of each enum (expense categories,
//! listings, kinds, exclusions, policy fields), はい／いいえ, and the 179
//! municipalities of the embedded registry; each item's explanation is its
//! field's label. A value the lists do not hold (a 節 name like 印刷製本費,
//! a municipality's code) is allowed with a warning, since the reader
//! accepts it.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatBorder, Formula, Note, Workbook,
    Worksheet, XlsxError,
};
use serde_json::Value;

use super::grid::{iso, number};
use super::layout::{self, Column, ITEMS, Item, Role, Table};
use super::{At, ImportErrors, Located, SheetFormat, finish};
use crate::input;
use crate::model::{JpDate, Yen};
use crate::program::Program;
use crate::reference::hokkaido;
use crate::rules::RuleBook;
use crate::schema::{Absent, FieldDef, FieldTy, Schema};

/// The bundled example application, which the template is filled with.
const EXAMPLE: &str = include_str!("../../fixtures/application/minamisorachi-r6.json");

/// The workbook (or CSV) filled with the application `from` (JSON), or
/// with the bundled example.
pub fn template(book: &RuleBook, format: SheetFormat, from: Option<&[u8]>) -> Result<Vec<u8>, ImportErrors> {
    let fail = |en: String, ja: String| finish(vec![Located::new(At::File, en, ja)]);
    let Some(program) = book.kind(layout::FORMAT) else {
        return Err(fail(
            format!("the rules have no kind {}", layout::FORMAT),
            format!("ルールに {} がありません", layout::FORMAT),
        ));
    };
    let bytes = from.unwrap_or(EXAMPLE.as_bytes());
    let parsed = input::parse(bytes).map_err(document_errors)?;
    input::read(program, &parsed).map_err(document_errors)?;
    let doc: Value = serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| {
        fail(
            "write the application as JSON without comments to make a workbook of it".into(),
            "ブックにする申請書は、コメント（// …）のない JSON で書いてください".into(),
        )
    })?;
    let content = Content::of(program, &doc)?;
    match format {
        SheetFormat::Xlsx => xlsx(program, &content).map_err(|e| {
            fail(
                format!("the workbook could not be written: {e}"),
                format!("ブックを書けませんでした（{e}）"),
            )
        }),
        SheetFormat::Csv => csv_text(&content).map_err(|e| {
            fail(
                format!("the CSV could not be written: {e}"),
                format!("CSV を書けませんでした（{e}）"),
            )
        }),
    }
}

fn document_errors(e: input::InputErrors) -> ImportErrors {
    finish(
        e.0.into_iter()
            .map(|e| {
                let at = match (e.line, e.column) {
                    (Some(l), Some(c)) => (format!(" (line {l}, column {c})"), format!("（{l}行{c}列）")),
                    _ => (String::new(), String::new()),
                };
                Located {
                    at: At::File,
                    path: e.path.clone(),
                    en: format!("{}: {}{}", e.path, e.en, at.0),
                    ja: format!("{}: {}{}", e.path, e.ja, at.1),
                }
            })
            .collect(),
    )
}

/// A cell to write.
#[derive(Clone, Debug)]
enum Out {
    Blank,
    Text(String),
    Number(f64),
    Date(i16, i8, i8),
}

impl Out {
    fn text(&self) -> String {
        match self {
            Out::Blank => String::new(),
            Out::Text(s) => s.clone(),
            Out::Number(n) => number(*n),
            Out::Date(y, m, d) => iso(*y, *m, *d),
        }
    }
}

/// What the sheets hold: each item's values, and the tables' rows.
struct Content {
    items: Vec<Vec<Out>>,
    members: Vec<Vec<Out>>,
    projects: Vec<Vec<Out>>,
    expenses: Vec<Vec<Out>>,
    determinations: Vec<Vec<Out>>,
}

/// The columns a table is written with (the 円 amount, not the 千円 one).
fn written(table: &Table) -> Vec<&'static Column> {
    table.columns.iter().filter(|c| !c.thousand).collect()
}

fn get<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn field<'s>(schema: &'s Schema, path: &[&str]) -> Option<&'s FieldDef> {
    let mut e = schema.root;
    let mut out = None;
    for name in path {
        let f = schema.field(e, schema.field_index(e, name)?);
        if let FieldTy::Entity(c) = &f.ty {
            e = *c;
        }
        if let FieldTy::List(inner) = &f.ty
            && let FieldTy::Entity(c) = **inner
        {
            e = c;
        }
        out = Some(f);
    }
    out
}

impl Content {
    fn of(p: &Program, doc: &Value) -> Result<Content, ImportErrors> {
        let schema = &p.schema;
        let mut errors = Vec::new();
        for path in layout::NOT_IN_WORKBOOK {
            let (list, rest) = match path {
                [one] => (vec![get(doc, &[one])], None),
                [table, f] => (
                    get(doc, &[table])
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(|x| x.get(f)).collect())
                        .unwrap_or_default(),
                    Some(*f),
                ),
                _ => continue,
            };
            for (i, v) in list.into_iter().enumerate() {
                if v.is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty())) {
                    let at = match rest {
                        Some(f) => format!("{}[{i}].{f}", path[0]),
                        None => path[0].to_string(),
                    };
                    errors.push(Located {
                        at: At::File,
                        path: at.clone(),
                        en: format!("{at}: the workbook has no place for a reviewer's {at}: leave it out, or keep the application as JSON"),
                        ja: format!("{at}: 審査担当者が書く {at} はブックに書けません。除くか、JSON のまま使ってください"),
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(finish(errors));
        }
        let items = ITEMS
            .iter()
            .map(|item| {
                let Some(f) = field(schema, item.path) else {
                    return Vec::new();
                };
                match (get(doc, item.path), &f.ty) {
                    (None | Some(Value::Null), _) => Vec::new(),
                    (Some(Value::Array(a)), FieldTy::List(inner)) if a.is_empty() => {
                        let _ = inner;
                        vec![Out::Text(layout::NONE_WORDS[0].into())]
                    }
                    (Some(Value::Array(a)), FieldTy::List(inner)) => a.iter().map(|v| out(p, inner, v)).collect(),
                    (Some(v), ty) => vec![out(p, ty, v)],
                }
            })
            .collect();
        let rows = |table: &Table, list: Option<&Value>, project: Option<&str>| -> Vec<Vec<Out>> {
            let list = list.and_then(Value::as_array).cloned().unwrap_or_default();
            list.iter()
                .map(|obj| {
                    written(table)
                        .iter()
                        .map(|c| match c.role {
                            Role::Notes => Out::Blank,
                            Role::Project => project.map_or(Out::Blank, |n| Out::Text(n.into())),
                            Role::Field(name) => {
                                let mut path: Vec<&str> = table.path.to_vec();
                                path.push(name);
                                match (field(schema, &path), obj.get(name)) {
                                    (Some(f), Some(v)) => cell(p, &f.ty, v),
                                    _ => Out::Blank,
                                }
                            }
                        })
                        .collect()
                })
                .collect()
        };
        let members = rows(&layout::MEMBERS, get(doc, layout::MEMBERS.path), None);
        let projects = rows(&layout::PROJECT_TABLE, get(doc, layout::PROJECT_TABLE.path), None);
        let mut expenses = Vec::new();
        for project in get(doc, &["projects"]).and_then(Value::as_array).into_iter().flatten() {
            let name = project.get("name").and_then(Value::as_str);
            let lines = project.get(layout::EXPENSE_TABLE.path[1]);
            expenses.extend(rows(&layout::EXPENSE_TABLE, lines, name));
        }
        let determinations = rows(
            &layout::DETERMINATION_TABLE,
            get(doc, layout::DETERMINATION_TABLE.path),
            None,
        );
        Ok(Content {
            items,
            members,
            projects,
            expenses,
            determinations,
        })
    }
}

/// A table cell: a value, or a list's values joined by 「、」 (a list of
/// free text, one a line; 「なし」 for none).
fn cell(p: &Program, ty: &FieldTy, v: &Value) -> Out {
    match (ty, v) {
        (FieldTy::List(_), Value::Array(a)) if a.is_empty() => Out::Text(layout::NONE_WORDS[0].into()),
        (FieldTy::List(inner), Value::Array(a)) => {
            let join = if matches!(**inner, FieldTy::Text) { "\n" } else { "、" };
            Out::Text(a.iter().map(|x| out(p, inner, x).text()).collect::<Vec<_>>().join(join))
        }
        _ => out(p, ty, v),
    }
}

/// One value as a cell: yes/no as はい／いいえ, an enum's code as its
/// Japanese name (any other spelling as written), a date as a date cell, an
/// amount as a number when it is one exactly.
fn out(p: &Program, ty: &FieldTy, v: &Value) -> Out {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match v {
        Value::Null => Out::Blank,
        Value::Bool(b) => Out::Text(if *b { "はい" } else { "いいえ" }.into()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < EXACT && n.to_string().trim_end_matches(".0").len() < 17 => {
                Out::Number(f)
            }
            _ => Out::Text(n.to_string()),
        },
        Value::String(s) => match ty {
            FieldTy::Enum(id) => {
                let e = &p.enums[*id as usize];
                Out::Text(
                    e.variants
                        .iter()
                        .find(|x| x.code == *s)
                        .map_or_else(|| s.clone(), |x| x.ja.clone()),
                )
            }
            FieldTy::Date => match JpDate::parse(s) {
                Ok(d) => Out::Date(d.0.year(), d.0.month(), d.0.day()),
                Err(_) => Out::Text(s.clone()),
            },
            FieldTy::Money => match Yen::parse(s) {
                Ok(y) if (y.get() as f64) < EXACT => Out::Number(y.get() as f64),
                _ => Out::Text(s.clone()),
            },
            _ => Out::Text(s.clone()),
        },
        other => Out::Text(other.to_string()),
    }
}

/// What to write in an item's or column's explanation: its label, how it
/// is written, and what a blank means.
fn explain(p: &Program, f: &FieldDef) -> String {
    let label = f.label.as_ref().map_or(f.name.as_str(), |l| l.ja.as_str());
    let how = how(p, &f.ty, f);
    let blank = match &f.absent {
        Absent::Required => "必須",
        Absent::Unknown => "空欄可（不明として扱います）",
        Absent::Default(_) => "空欄可",
    };
    [label, how.as_str(), blank]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("。")
}

fn how(p: &Program, ty: &FieldTy, f: &FieldDef) -> String {
    match ty {
        FieldTy::Money => "円（数値か「1,200千円」「120万円」など）".into(),
        FieldTy::Date => "日付（2020/10/9、令和2年10月9日、R2.10.9 など）".into(),
        FieldTy::FiscalYear => "年度（令和6年度、R6、2024 など）".into(),
        FieldTy::Int if !f.unit.is_empty() => format!("数（5、5{} など）", f.unit[0]),
        FieldTy::Bool => "はい／いいえ（○／×、有／無 も可）".into(),
        FieldTy::Municipality => "北海道の市町村名（一覧から）か団体コード".into(),
        FieldTy::Enum(id) => {
            let e = &p.enums[*id as usize];
            match &e.help {
                Some(h) => format!("一覧から選ぶ。{}", h.ja),
                None => "一覧から選ぶ".into(),
            }
        }
        FieldTy::List(inner) => format!(
            "{}。1行（1セル）に1つ、「、」で区切って1つのセルにも書けます。ない場合は「なし」",
            how(p, inner, f)
        ),
        _ => String::new(),
    }
}

/// The lists offered in drop-downs, one column each of the hidden sheet.
#[derive(Default)]
struct Lists {
    columns: Vec<(String, Vec<String>)>,
    keys: HashMap<String, usize>,
}

impl Lists {
    /// The formula of the list for a field of type `ty`, if it has one.
    fn formula(&mut self, p: &Program, ty: &FieldTy) -> Option<String> {
        let (key, header, values) = self.values(p, ty)?;
        let col = match self.keys.get(&key) {
            Some(c) => *c,
            None => {
                self.columns.push((header, values));
                self.keys.insert(key, self.columns.len() - 1);
                self.columns.len() - 1
            }
        };
        let letters = super::grid::column_name(col as u32);
        let last = self.columns[col].1.len() + 1;
        Some(format!("='{}'!${letters}$2:${letters}${last}", layout::LISTS))
    }

    fn values(&self, p: &Program, ty: &FieldTy) -> Option<(String, String, Vec<String>)> {
        Some(match ty {
            FieldTy::Municipality => (
                "municipality".into(),
                "市町村".into(),
                hokkaido().iter().map(|m| hokkaido().name(m).to_string()).collect(),
            ),
            FieldTy::Bool => (
                "bool".into(),
                "はい／いいえ".into(),
                vec!["はい".into(), "いいえ".into()],
            ),
            FieldTy::Enum(id) => {
                let e = &p.enums[*id as usize];
                let header = e.label.as_ref().map_or(e.name.clone(), |l| l.ja.clone());
                (
                    format!("enum {id}"),
                    header,
                    e.variants.iter().map(|v| v.ja.clone()).collect(),
                )
            }
            FieldTy::List(inner) => {
                let (key, header, values) = self.values(p, inner)?;
                let mut with_none = vec![layout::NONE_WORDS[0].to_string()];
                with_none.extend(values);
                (format!("list {key}"), format!("{header}（複数）"), with_none)
            }
            _ => return None,
        })
    }
}

struct Formats {
    header: Format,
    label: Format,
    note: Format,
    money: Format,
    date: Format,
    text: Format,
    plain: Format,
    title: Format,
}

fn formats() -> Formats {
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
    Formats {
        header: border(
            Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_text_wrap(),
        ),
        label: border(Format::new().set_bold().set_background_color(Color::RGB(0xF2F2F2))),
        note: Format::new().set_font_color(Color::RGB(0x595959)).set_font_size(9),
        money: border(Format::new().set_num_format("#,##0")),
        date: border(Format::new().set_num_format("yyyy/m/d")),
        text: border(Format::new().set_num_format("@")),
        plain: border(Format::new()),
        title: Format::new().set_bold().set_font_size(14),
    }
}

/// A cell written with the format of its field's type.
fn put(ws: &mut Worksheet, fm: &Formats, r: u32, c: u16, ty: &FieldTy, v: &Out) -> Result<(), XlsxError> {
    let fmt = match ty {
        FieldTy::Money => &fm.money,
        FieldTy::Date => &fm.date,
        FieldTy::Municipality => &fm.text,
        _ => &fm.plain,
    };
    match v {
        Out::Blank => ws.write_blank(r, c, fmt)?,
        Out::Text(s) => ws.write_string_with_format(r, c, s, fmt)?,
        Out::Number(n) => ws.write_number_with_format(r, c, *n, fmt)?,
        Out::Date(y, m, d) => {
            let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8)?;
            ws.write_datetime_with_format(r, c, dt, &fm.date)?
        }
    };
    Ok(())
}

/// A drop-down for the cells `r0..=r1` of column `c`, when the field's type has a list.
fn dropdown(
    ws: &mut Worksheet,
    lists: &mut Lists,
    p: &Program,
    (r0, r1, c): (u32, u32, u16),
    f: &FieldDef,
) -> Result<(), XlsxError> {
    let Some(formula) = lists.formula(p, &f.ty) else {
        return Ok(());
    };
    let title: String = f
        .label
        .as_ref()
        .map_or(f.name.as_str(), |l| l.ja.as_str())
        .chars()
        .take(30)
        .collect();
    let message: String = how(p, &f.ty, f).chars().take(250).collect();
    let dv = DataValidation::new()
        .allow_list_formula(Formula::new(formula))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title("一覧にない値です")?
        .set_error_message("一覧にない書き方です（節・細節の名称、団体コードなども読めます）。このまま入力しますか？")?
        .set_input_title(title)?
        .set_input_message(message)?;
    ws.add_data_validation(r0, c, r1, c, &dv)?;
    Ok(())
}

fn xlsx(p: &Program, content: &Content) -> Result<Vec<u8>, XlsxError> {
    let schema = &p.schema;
    let fm = formats();
    let mut lists = Lists::default();
    let mut wb = Workbook::new();

    let guide = wb.add_worksheet();
    guide.set_name(layout::GUIDE)?;
    guide.set_column_width(0, 110)?;
    guide.set_print_fit_to_pages(1, 0);
    let wrap = Format::new().set_text_wrap();
    for (r, line) in guide_lines(p).iter().enumerate() {
        let f = if r == 0 { &fm.title } else { &wrap };
        guide.write_string_with_format(r as u32, 0, line, f)?;
    }

    // The region sheet: the items, then the members' table.
    let region = wb.add_worksheet();
    region.set_name(layout::REGION)?;
    printable(region);
    for (c, w) in [(0u16, 24.0), (1, 40.0), (2, 70.0), (3, 30.0)] {
        region.set_column_width(c, w)?;
    }
    for (c, h) in layout::ITEM_HEADER.iter().enumerate() {
        region.write_string_with_format(0, c as u16, *h, &fm.header)?;
    }
    let mut r = 1u32;
    for (item, values) in ITEMS.iter().zip(&content.items) {
        let Some(f) = field(schema, item.path) else {
            continue;
        };
        let inner = match &f.ty {
            FieldTy::List(inner) => inner.as_ref(),
            ty => ty,
        };
        let n = match &f.ty {
            FieldTy::List(_) => values.len().max(1) + item_spare(item, values),
            _ => 1,
        };
        let first = r;
        for i in 0..n {
            region.write_string_with_format(r, 0, item.label, &fm.label)?;
            put(region, &fm, r, 1, inner, values.get(i).unwrap_or(&Out::Blank))?;
            if i == 0 {
                region.write_string_with_format(r, 2, explain(p, f), &fm.note)?;
            }
            r += 1;
        }
        let per_value = FieldDef {
            ty: inner.clone(),
            ..f.clone()
        };
        dropdown(region, &mut lists, p, (first, r - 1, 1), &per_value)?;
    }
    r += 1;
    let header_row = r;
    table(
        region,
        &fm,
        &mut lists,
        p,
        &layout::MEMBERS,
        header_row,
        &content.members,
    )?;

    let projects = wb.add_worksheet();
    projects.set_name(layout::PROJECTS)?;
    printable(projects);
    table(
        projects,
        &fm,
        &mut lists,
        p,
        &layout::PROJECT_TABLE,
        0,
        &content.projects,
    )?;
    projects.set_freeze_panes(1, 1)?;
    let expenses = wb.add_worksheet();
    expenses.set_name(layout::EXPENSES)?;
    printable(expenses);
    table(
        expenses,
        &fm,
        &mut lists,
        p,
        &layout::EXPENSE_TABLE,
        0,
        &content.expenses,
    )?;
    expenses.set_freeze_panes(1, 0)?;
    // The expense lines' 事業名: the projects sheet's names.
    if let Some(c) = written(&layout::EXPENSE_TABLE)
        .iter()
        .position(|c| c.role == Role::Project)
    {
        let last = layout::PROJECT_TABLE.rows + 1;
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(format!("='{}'!$A$2:$A${last}", layout::PROJECTS)))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("事業シートにない事業名です")?
            .set_error_message("「事業」シートの事業名と同じに書いてください。")?
            .set_input_title("事業名")?
            .set_input_message("「事業」シートの事業名。空欄なら上の行と同じ事業です。")?;
        expenses.add_data_validation(1, c as u16, layout::EXPENSE_TABLE.rows, c as u16, &dv)?;
    }

    // The prefecture's sheet: blank in an officer's workbook.
    let judged = wb.add_worksheet();
    judged.set_name(layout::DETERMINATIONS)?;
    printable(judged);
    table(
        judged,
        &fm,
        &mut lists,
        p,
        &layout::DETERMINATION_TABLE,
        0,
        &content.determinations,
    )?;
    judged.set_freeze_panes(1, 0)?;

    let sheet = wb.add_worksheet();
    sheet.set_name(layout::LISTS)?;
    for (c, (header, values)) in lists.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, header, &fm.header)?;
        for (i, v) in values.iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v)?;
        }
        sheet.set_column_width(c as u16, 24)?;
    }
    sheet.set_hidden(true);
    wb.save_to_buffer()
}

/// Printed landscape, one page wide.
fn printable(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
}

fn item_spare(item: &Item, values: &[Out]) -> usize {
    if values.is_empty() {
        item.spare.saturating_sub(1)
    } else {
        item.spare
    }
}

/// A table: its header (with a note on each header cell saying what the
/// column is), its rows, and drop-downs down to its prepared rows.
fn table(
    ws: &mut Worksheet,
    fm: &Formats,
    lists: &mut Lists,
    p: &Program,
    table: &Table,
    header_row: u32,
    rows: &[Vec<Out>],
) -> Result<(), XlsxError> {
    let schema = &p.schema;
    let columns = written(table);
    let last = header_row + table.rows.max(rows.len() as u32 + 10);
    for (c, column) in columns.iter().enumerate() {
        let c16 = c as u16;
        ws.write_string_with_format(header_row, c16, column.header, &fm.header)?;
        if table.sheet != layout::REGION {
            ws.set_column_width(c16, column.width)?;
        }
        let f = match column.role {
            Role::Field(name) => {
                let mut path = table.path.to_vec();
                path.push(name);
                field(schema, &path)
            }
            _ => None,
        };
        let note = match (column.role, f) {
            (Role::Field(_), Some(f)) => explain(p, f),
            (Role::Project, _) => "「事業」シートの事業名。空欄なら上の行と同じ事業（セルの結合も可）".into(),
            (Role::Notes, _) => "メモ（読み込みません）".into(),
            _ => String::new(),
        };
        if !note.is_empty() {
            ws.insert_note(
                header_row,
                c16,
                &Note::new(note).set_author("grant-rules").set_width(320),
            )?;
        }
        let ty = f.map_or(FieldTy::Text, |f| f.ty.clone());
        for (i, row) in rows.iter().enumerate() {
            put(ws, fm, header_row + 1 + i as u32, c16, &ty, &row[c])?;
        }
        if let Some(f) = f {
            dropdown(ws, lists, p, (header_row + 1, last, c16), f)?;
        }
    }
    Ok(())
}

/// The 記入要領 sheet.
fn guide_lines(p: &Program) -> Vec<String> {
    let k = &p.kind;
    let mut lines = vec![
        format!("{} {}（{}）記入要領", k.title, k.label.ja, k.format),
        String::new(),
        "■ このブックの使い方".into(),
        format!(
            "・「{}」「{}」「{}」の3シートに記入し、grant-rules import このファイル.xlsx > application.json で申請書（JSON）に変換します。",
            layout::REGION,
            layout::PROJECTS,
            layout::EXPENSES
        ),
        "・grant-rules check application.json（または grant-rules check このファイル.xlsx）で、要件と交付額を判定します。".into(),
        "・記入例（南空知圏域 令和6年度）が入っています。書き換えて使ってください。".into(),
        "・誤りは「経費!D5」のようにセルの位置で示されます（全ての誤りを一度に示します）。".into(),
        String::new(),
        format!("■ 「{}」シート", layout::REGION),
        "・A列の項目名は変えないでください。値はB列に書きます。C列は説明です（読み込みません）。".into(),
        "・政策分野、協議会の構成市町村は1行に1つ。行を増やすときはA列の項目名も書きます。「、」で区切って1つのセルにも書けます。".into(),
        format!(
            "・構成市町村は「{}」の見出しの下に1行に1市町村。定住自立圏・連携中枢都市圏の取組は はい／いいえ、分からなければ空欄（登録簿から補います）。",
            layout::MEMBERS.columns[0].header
        ),
        "・協議会で申請しない場合は、協議会の名称と構成市町村を空欄にします。".into(),
        String::new(),
        format!("■ 「{}」シート", layout::PROJECTS),
        "・1行に1事業。前進プラン・ビジョンへの掲載、ソフト／ハード、連携して実施するかを一覧から選びます。".into(),
        "・除外事由（実施要綱 第4 2 (1)〜(5)）は当てはまるものを「、」で区切って書き、なければ「なし」。空欄は「未確認」として扱います。".into(),
        "・「審査担当者の指摘」列は道・振興局の審査担当者が記入します（第4 2 (6)・第5 8 に当たるおそれ。申請する市町村は空欄のまま）。".into(),
        String::new(),
        format!("■ 「{}」シート", layout::EXPENSES),
        "・1行に1件の経費。事業名は「事業」シートと同じに書きます。空欄なら上の行と同じ事業です（セルの結合も可）。".into(),
        "・予算科目は一覧の経費区分のほか、予算の節・細節の名称（印刷製本費、使用料、委託料、負担金補助及び交付金 など）でも書けます。".into(),
        "　「旅費」「報酬」「修繕料」のように二つの区分に当たる語は、どちらか書き分けてください。".into(),
        "・金額は円の数値、または「1,200千円」「120万円」のような文字。見出しを「金額（千円）」にすると、数値を千円単位で読みます。".into(),
        "・臨時職員（賃金：事業のために雇用する臨時・非常勤職員か）、必要不可欠（職員の旅費：事業に必要不可欠と申し出るか）は、はい／いいえ。空欄は いいえ。".into(),
        String::new(),
        format!("■ 「{}」シート（道・振興局の審査担当者が記入）", layout::DETERMINATIONS),
        "・申請する市町村は記入しません。審査で「未判断」となった確認事項の判断を1行に1件書き、もう一度判定します。".into(),
        "・規定は確認事項のルール（expense.eligible など）、対象はその行（経費!A4:G4 のように。地域全体のルールなら空欄）、判断は 認める／認めない。".into(),
        String::new(),
        "■ 共通".into(),
        "・日付は日付の書式のセル、または「令和2年10月9日」「R2.10.9」「2020/10/9」のような文字で書けます。".into(),
        "・一覧にない書き方をすると警告が出ますが、「はい」を押せば入力できます（読み込むときに確かめます）。".into(),
        "・「備考」列はメモ用で、読み込みません。見出しのない列に値を書くと誤りになります。".into(),
        "・CSV で書く場合は grant-rules template --out plan.csv で作るひな形を使います（[地域] [事業] [経費] の区切りの下に、同じ形で書きます）。".into(),
    ];
    lines.push(String::new());
    lines.push(format!("（ルール {} 版、様式 {}）", k.version, k.format));
    lines
}

/// The CSV form: the three sheets as sections, UTF-8 with a byte-order
/// mark (so Excel opens it as Japanese text), lines ending CRLF.
fn csv_text(content: &Content) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([format!(
        "# {} 交付申請（{}）",
        "地域づくり総合交付金（広域連携加速化事業）",
        layout::FORMAT
    )])?;
    w.write_record([
        "# grant-rules import このファイル.csv で申請書（JSON）になります。「#」で始まる行はコメント、[地域] [事業] [経費] の行が区切りです。",
    ])?;
    w.write_record([format!("[{}]", layout::REGION)])?;
    for (item, values) in ITEMS.iter().zip(&content.items) {
        if values.is_empty() {
            w.write_record([item.label, ""])?;
        }
        for v in values {
            w.write_record([item.label.to_string(), v.text()])?;
        }
    }
    w.write_record([""])?;
    let tables: [(&Table, &Vec<Vec<Out>>); 4] = [
        (&layout::MEMBERS, &content.members),
        (&layout::PROJECT_TABLE, &content.projects),
        (&layout::EXPENSE_TABLE, &content.expenses),
        (&layout::DETERMINATION_TABLE, &content.determinations),
    ];
    for (t, rows) in tables {
        // The reviewer's section only when it holds something: an
        // officer's CSV has none.
        if t.sheet == layout::DETERMINATIONS && rows.is_empty() {
            continue;
        }
        if t.sheet != layout::REGION {
            w.write_record([format!("[{}]", t.sheet)])?;
        }
        w.write_record(written(t).iter().map(|c| c.header))?;
        for row in rows {
            w.write_record(row.iter().map(Out::text))?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
