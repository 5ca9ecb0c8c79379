//! Sheets → the JSON document, by the layout and the rules' declarations:
//! each cell becomes the JSON value of its field's declared type, and its
//! place is recorded under the value's JSON path (a blank cell's too, so a
//! required value left blank is reported at its cell).

use std::collections::{BTreeMap, HashMap};

use super::grid::{Cell, Place, Sheet, iso, number};
use super::jsonw::J;
use super::layout::{self, Column, ITEMS, Role, Table, label_key};
use super::{At, Located, Problem, SheetFormat};
use crate::program::Program;
use crate::schema::{Absent, EntityId, FieldDef, FieldTy, Schema};
use crate::text::{closest, kagi, quoted};

pub(crate) struct Built {
    pub json: J,
    pub places: HashMap<String, Place>,
    pub errors: Vec<Located>,
    /// JSON paths whose problems the importer reported: what the reader
    /// says of them (a value left out, so "missing") is not said twice.
    pub flagged: Vec<String>,
}

/// The fields of an object under construction, by field index, ordered as
/// the rules declare them.
#[derive(Default)]
struct Tree(BTreeMap<u32, Slot>);

enum Slot {
    Leaf(J),
    Sub(Tree),
}

impl Tree {
    fn set(&mut self, steps: &[u32], j: J) {
        match steps {
            [] => {}
            [k] => {
                self.0.insert(*k, Slot::Leaf(j));
            }
            [k, rest @ ..] => {
                let slot = self.0.entry(*k).or_insert_with(|| Slot::Sub(Tree::default()));
                if let Slot::Sub(t) = slot {
                    t.set(rest, j);
                }
            }
        }
    }

    fn json(self, schema: &Schema, e: EntityId, first: Option<(String, J)>) -> J {
        let mut fields: Vec<(String, J)> = first.into_iter().collect();
        for (k, slot) in self.0 {
            let f = schema.field(e, k);
            let j = match slot {
                Slot::Leaf(j) => j,
                Slot::Sub(t) => match child(&f.ty) {
                    Some(c) => t.json(schema, c, None),
                    None => continue,
                },
            };
            fields.push((f.name.clone(), j));
        }
        J::Obj(fields)
    }
}

/// The entity a field holds (itself or as a list's elements).
fn child(ty: &FieldTy) -> Option<EntityId> {
    match ty {
        FieldTy::Entity(c) => Some(*c),
        FieldTy::List(inner) => match **inner {
            FieldTy::Entity(c) => Some(c),
            _ => None,
        },
        _ => None,
    }
}

/// A layout path resolved in the rules: the field index at each step, and
/// the last field's declaration.
struct Resolved<'p> {
    steps: Vec<u32>,
    field: &'p FieldDef,
}

fn resolve<'p>(schema: &'p Schema, from: EntityId, path: &[&str]) -> Option<Resolved<'p>> {
    let mut e = from;
    let mut steps = Vec::new();
    let mut field = None;
    for (i, name) in path.iter().enumerate() {
        let k = schema.field_index(e, name)?;
        let f = schema.field(e, k);
        steps.push(k);
        field = Some(f);
        if i + 1 < path.len() {
            e = child(&f.ty)?;
        }
    }
    Some(Resolved { steps, field: field? })
}

struct Builder<'p> {
    program: &'p Program,
    format: SheetFormat,
    places: HashMap<String, Place>,
    errors: Vec<Located>,
    flagged: Vec<String>,
}

pub(crate) fn build(program: &Program, sheets: &[Sheet], names: &[String], format: SheetFormat) -> Built {
    let mut b = Builder {
        program,
        format,
        places: HashMap::new(),
        errors: Vec::new(),
        flagged: Vec::new(),
    };
    let schema = &program.schema;
    let mut root = Tree::default();
    let find = |name: &str| sheets.iter().find(|s| s.name == name);
    match find(layout::REGION) {
        Some(s) => b.region(s, &mut root),
        None => {
            b.no_sheet(layout::REGION, names);
            for item in ITEMS {
                b.flagged.push(item.path.join("."));
            }
            b.flagged.push("region".into());
        }
    }
    let projects = match find(layout::PROJECTS) {
        Some(s) => b.projects(s),
        None => {
            b.no_sheet(layout::PROJECTS, names);
            b.flagged.push("projects".into());
            None
        }
    };
    if let Some(mut projects) = projects {
        match find(layout::EXPENSES) {
            Some(s) => b.expenses(s, &mut projects),
            None => b.no_sheet(layout::EXPENSES, names),
        }
        if let Some(r) = resolve(schema, schema.root, layout::PROJECT_TABLE.path) {
            let list = projects.rows.into_iter().map(|p| p.object).collect();
            root.set(&r.steps, J::Arr(list));
        }
    }
    // Last: its 対象 may name a row read above.
    if let Some(s) = find(layout::DETERMINATIONS)
        && let Some(list) = b.determinations(s)
        && let Some(r) = resolve(schema, schema.root, layout::DETERMINATION_TABLE.path)
    {
        root.set(&r.steps, list);
    }
    let format_field = ("format".to_string(), J::Str(program.kind.format.clone()));
    Built {
        json: root.json(schema, schema.root, Some(format_field)),
        places: b.places,
        errors: b.errors,
        flagged: b.flagged,
    }
}

/// A table's rows read so far: their objects, and for projects their names.
struct Rows {
    rows: Vec<Row>,
    /// The projects' names, by [`crate::text::key`], and their index.
    keys: HashMap<String, usize>,
    names: Vec<String>,
    /// The field index of `expenses` in a project, and its entity.
    expenses: Option<(u32, EntityId)>,
}

struct Row {
    object: J,
}

/// The columns of a table found in its header row.
struct Header {
    row: u32,
    columns: Vec<(u32, &'static Column)>,
    /// Fields whose column is missing though the rules require them.
    missing: Vec<&'static str>,
}

impl<'p> Builder<'p> {
    fn order(sheet: &str) -> usize {
        layout::SHEETS.iter().position(|s| *s == sheet).unwrap_or(0)
    }

    fn cell_place(sheet: &str, row: u32, col: u32) -> Place {
        Place::cell(sheet, Self::order(sheet), row, col)
    }

    fn error(&mut self, place: Place, en: impl Into<String>, ja: impl Into<String>) {
        self.errors.push(Located::new(At::cell(place), en, ja));
    }

    fn no_sheet(&mut self, sheet: &str, names: &[String]) {
        let (en, ja) = match self.format {
            SheetFormat::Xlsx => (
                format!(
                    "the workbook has no sheet \"{sheet}\" (its sheets: {}): write the application in the workbook `grant-rules template` writes",
                    names.join(", ")
                ),
                format!(
                    "「{sheet}」シートがありません（このブックのシート：{}）。grant-rules template が作るブックに書いてください",
                    names.join("、")
                ),
            ),
            SheetFormat::Csv => (
                format!("the CSV has no section [{sheet}]: add a row [{sheet}] and its rows below it"),
                format!("CSV に [{sheet}] の区切りがありません。[{sheet}] の行と、その下に内容を書いてください"),
            ),
        };
        self.errors.push(Located::new(At::File, en, ja));
    }

    /// The region sheet: its items, then the members' table.
    fn region(&mut self, sheet: &Sheet, root: &mut Tree) {
        let program = self.program;
        let schema = &program.schema;
        let members_anchor = label_key(layout::MEMBERS.columns[0].header);
        let item_header = label_key(layout::ITEM_HEADER[0]);
        let mut seen: HashMap<usize, Place> = HashMap::new();
        let mut lists: BTreeMap<usize, ListAcc> = BTreeMap::new();
        let mut members: Option<(Header, Vec<J>)> = None;
        let member_entity = resolve(schema, schema.root, layout::MEMBERS.path).and_then(|r| child(&r.field.ty));
        for (r, cells) in sheet.rows() {
            if let Some((header, list)) = &mut members {
                if let Some(e) = member_entity {
                    let path = format!("{}[{}]", layout::MEMBERS.path.join("."), list.len());
                    if let Some((fields, _)) = self.row(sheet, header, r, &cells, &path, e) {
                        list.push(fields);
                    }
                }
                continue;
            }
            let a = cells.iter().find(|(c, _)| *c == 0).map(|(_, cell)| *cell);
            let b_cell = cells.iter().find(|(c, _)| *c == 1).map(|(_, cell)| *cell);
            let Some(a) = a else {
                if b_cell.is_some() {
                    self.error(
                        Self::cell_place(&sheet.name, r, 1),
                        "a value with no item in column A: write the item's name (年度, 名称 …) in column A",
                        "A列に項目名がありません。A列に項目名（年度、名称 など）を書いてください",
                    );
                }
                continue;
            };
            let key = label_key(&a.shown());
            if key == item_header {
                continue;
            }
            if key == members_anchor || layout::MEMBERS.columns[0].matches(&key) {
                let header = self.header(sheet, &layout::MEMBERS, r, &cells);
                members = Some((header, Vec::new()));
                continue;
            }
            let Some(index) = ITEMS.iter().position(|i| i.matches(&key)) else {
                let labels: Vec<&str> = ITEMS.iter().map(|i| i.label).collect();
                let near = closest(&a.shown(), labels.iter().copied());
                self.error(
                    Self::cell_place(&sheet.name, r, 0),
                    format!(
                        "no item {} on the sheet {}{}: the items are {}",
                        quoted(&a.shown()),
                        sheet.name,
                        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(),
                        labels.join(", ")
                    ),
                    format!(
                        "{}という項目はありません{}。項目は {} です",
                        kagi(&a.shown()),
                        near.map(|n| format!("（もしかして「{n}」？）")).unwrap_or_default(),
                        labels.join("、")
                    ),
                );
                continue;
            };
            let item = &ITEMS[index];
            let Some(res) = self.resolved(item.path) else {
                continue;
            };
            let path = item.path.join(".");
            let place = Self::cell_place(&sheet.name, r, 1).labelled(item.label);
            if let FieldTy::List(inner) = &res.field.ty {
                let acc = lists.entry(index).or_insert_with(|| ListAcc {
                    first: place.clone(),
                    values: Vec::new(),
                    none: None,
                    bad: false,
                });
                if let Some(cell) = b_cell {
                    self.list_cell(inner, cell, &place, &path, acc);
                }
                continue;
            }
            if let Some(first) = seen.get(&index) {
                self.error(
                    Self::cell_place(&sheet.name, r, 0),
                    format!("the item {} is written twice (also {first}): keep one", item.label),
                    format!(
                        "「{}」が二回書かれています（{first} にも）。一つにしてください",
                        item.label
                    ),
                );
                self.flagged.push(path);
                continue;
            }
            seen.insert(index, place.clone());
            self.places.insert(path.clone(), place.clone());
            if let Some(cell) = b_cell {
                match scalar(&res.field.ty, cell, false) {
                    Ok(j) => root.set(&res.steps, j),
                    Err(p) => {
                        self.error(place, p.en, p.ja);
                        self.flagged.push(path);
                    }
                }
            }
        }
        for (index, acc) in lists {
            let item = &ITEMS[index];
            let path = item.path.join(".");
            let Some(res) = self.resolved(item.path) else {
                continue;
            };
            self.places.insert(path.clone(), acc.first.clone());
            if acc.bad {
                self.flagged.push(path);
                continue;
            }
            match (acc.values.is_empty(), acc.none) {
                (true, None) => {}
                (true, Some(_)) => root.set(&res.steps, J::Arr(Vec::new())),
                (false, Some(none)) => {
                    self.error(
                        none,
                        format!("{} is both \"なし\" and a list of values: keep one", item.label),
                        format!(
                            "「{}」に「なし」と値の両方が書かれています。どちらかにしてください",
                            item.label
                        ),
                    );
                    self.flagged.push(path);
                }
                (false, None) => {
                    for (i, (_, place)) in acc.values.iter().enumerate() {
                        self.places.insert(format!("{path}[{i}]"), place.clone());
                    }
                    root.set(&res.steps, J::Arr(acc.values.into_iter().map(|(j, _)| j).collect()));
                }
            }
        }
        // The council exists when anything of it was written: its place is
        // its name's row.
        if let Some(p) = self.places.get("region.council.name").cloned() {
            self.places.insert("region.council".into(), p);
        }
        match members {
            Some((header, list)) => {
                if let Some(res) = self.resolved(layout::MEMBERS.path) {
                    self.table_places(sheet, &layout::MEMBERS, &header, list.len());
                    root.set(&res.steps, J::Arr(list));
                }
            }
            None => {
                self.errors.push(Located::new(
                    At::Sheet(sheet.name.clone(), Self::order(&sheet.name)),
                    format!(
                        "no table of members: below the items, write a row with the headers {} in columns A–C, and one member a row under it",
                        header_list(&layout::MEMBERS)
                    ),
                    format!(
                        "構成市町村の表がありません。項目の下に見出し行（A〜C列に {}）を書き、その下に1行に1市町村を書いてください",
                        header_list(&layout::MEMBERS)
                    ),
                ));
                self.flagged.push(layout::MEMBERS.path.join("."));
            }
        }
        // An item the rules require whose row is missing altogether.
        for item in ITEMS {
            let path = item.path.join(".");
            if self.places.contains_key(&path) || self.flagged.contains(&path) {
                continue;
            }
            let Some(res) = self.resolved(item.path) else {
                continue;
            };
            let parent_written = match item.path {
                [_] => true,
                [first, _] => *first == "region",
                _ => false,
            };
            if res.field.absent == Absent::Required && parent_written {
                self.errors.push(Located::new(
                    At::Sheet(sheet.name.clone(), Self::order(&sheet.name)),
                    format!(
                        "no row {}: add a row with {} in column A and its value in column B",
                        item.label, item.label
                    ),
                    format!(
                        "「{}」の行がありません。A列に「{}」、B列にその値を書いた行を加えてください",
                        item.label, item.label
                    ),
                ));
                self.flagged.push(path);
            }
        }
    }

    /// A layout path in the rules, or an error that they disagree.
    fn resolved(&mut self, path: &[&str]) -> Option<Resolved<'p>> {
        let program = self.program;
        let schema = &program.schema;
        let r = resolve(schema, schema.root, path);
        if r.is_none() {
            let p = path.join(".");
            if !self.flagged.contains(&p) {
                self.errors.push(Located::new(
                    At::File,
                    format!("the rules have no field {p}, which the workbook's layout names: the layout and the rules disagree"),
                    format!("ブックの様式にある項目 {p} がルールにありません（様式とルールが合っていません）"),
                ));
                self.flagged.push(p);
            }
        }
        r
    }

    /// One cell of a list (a row of the region sheet, or a table's cell):
    /// its values, separated by 「、」, or 「なし」 for an empty list; a list
    /// of free text (a reviewer's notes), one value a line.
    fn list_cell(&mut self, inner: &FieldTy, cell: &Cell, place: &Place, path: &str, acc: &mut ListAcc) {
        for piece in pieces(cell, matches!(inner, FieldTy::Text)) {
            if let Cell::Text(t) = &piece
                && layout::NONE_WORDS.contains(&crate::text::normalize(t).as_str())
            {
                acc.none = Some(place.clone());
                continue;
            }
            match scalar(inner, &piece, false) {
                Ok(j) => acc.values.push((j, place.clone())),
                Err(p) => {
                    self.error(place.clone(), p.en, p.ja);
                    acc.bad = true;
                    self.flagged.push(path.to_string());
                }
            }
        }
    }

    /// The header row of a table: its columns, with an error for a header
    /// the table does not have, a column written twice and a required
    /// column missing.
    fn header(&mut self, sheet: &Sheet, table: &Table, r: u32, cells: &[(u32, &Cell)]) -> Header {
        let mut columns: Vec<(u32, &'static Column)> = Vec::new();
        for (c, cell) in cells {
            let text = cell.shown();
            let key = label_key(&text);
            let place = Self::cell_place(&sheet.name, r, *c);
            let Some(column) = table.columns.iter().find(|col| col.matches(&key)) else {
                let headers: Vec<&str> = table.columns.iter().map(|c| c.header).collect();
                let near = closest(&text, headers.iter().copied());
                self.error(
                    place,
                    format!(
                        "no column {}{}: the columns are {} (a column of notes: 備考)",
                        quoted(&text),
                        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(),
                        headers.join(", ")
                    ),
                    format!(
                        "{}という列はありません{}。列の見出しは {} です（メモは「備考」列に）",
                        kagi(&text),
                        near.map(|n| format!("（もしかして「{n}」？）")).unwrap_or_default(),
                        headers.join("、")
                    ),
                );
                continue;
            };
            let same = columns.iter().find(|(_, other)| match (other.role, column.role) {
                (Role::Notes, _) | (_, Role::Notes) => false,
                (a, b) => a == b,
            });
            if let Some((at, other)) = same {
                let first = Self::cell_place(&sheet.name, r, *at);
                self.error(
                    place,
                    format!(
                        "{} is the same column as {} ({first}): keep one",
                        column.header, other.header
                    ),
                    format!(
                        "「{}」は「{}」（{first}）と同じ列です。一つにしてください",
                        column.header, other.header
                    ),
                );
                continue;
            }
            columns.push((*c, column));
        }
        let mut missing = Vec::new();
        let entity = self.table_entity(table);
        for column in table.columns {
            let needed = match column.role {
                Role::Project => true,
                Role::Field(f) => entity.is_some_and(|e| {
                    let schema = &self.program.schema;
                    schema
                        .field_index(e, f)
                        .is_some_and(|k| schema.field(e, k).absent == Absent::Required)
                }),
                Role::Notes => false,
            };
            if !needed || column.thousand || columns.iter().any(|(_, c)| c.role == column.role) {
                continue;
            }
            self.error(
                Self::cell_place(&sheet.name, r, 0),
                format!(
                    "the table has no column {}: add it to the header row (the headers: {})",
                    column.header,
                    header_list(table)
                ),
                format!(
                    "「{}」の列がありません。見出し行に加えてください（見出し：{}）",
                    column.header,
                    header_list(table)
                ),
            );
            if let Role::Field(f) = column.role {
                missing.push(f);
            }
        }
        Header {
            row: r,
            columns,
            missing,
        }
    }

    fn table_entity(&self, table: &Table) -> Option<EntityId> {
        let schema = &self.program.schema;
        resolve(schema, schema.root, table.path).and_then(|r| child(&r.field.ty))
    }

    /// One row of a table as an object of entity `e` at `path`; `None` for
    /// a blank row (notes alone are blank). Also the row's project name,
    /// when the table has the column.
    fn row(
        &mut self,
        sheet: &Sheet,
        header: &Header,
        r: u32,
        cells: &[(u32, &Cell)],
        path: &str,
        e: EntityId,
    ) -> Option<(J, Option<(u32, String)>)> {
        let in_column = |c: u32| header.columns.iter().find(|(at, _)| *at == c).map(|(_, col)| *col);
        let written = cells
            .iter()
            .any(|(c, _)| in_column(*c).is_some_and(|col| col.role != Role::Notes));
        let stray: Vec<u32> = cells
            .iter()
            .filter(|(c, _)| in_column(*c).is_none())
            .map(|(c, _)| *c)
            .collect();
        for c in stray {
            let header_cell = Self::cell_place(&sheet.name, header.row, c);
            self.error(
                Self::cell_place(&sheet.name, r, c),
                format!(
                    "a value in a column with no header ({header_cell} is blank): write it under a header, or in 備考"
                ),
                format!(
                    "見出しのない列に値があります（{header_cell} が空欄）。見出しのある列か「備考」列に書いてください"
                ),
            );
        }
        if !written {
            return None;
        }
        let program = self.program;
        let schema = &program.schema;
        let mut tree = Tree::default();
        let mut project = None;
        let last = header.columns.iter().map(|(c, _)| *c).max().unwrap_or(0);
        let first = header.columns.iter().map(|(c, _)| *c).min().unwrap_or(0);
        self.places
            .insert(path.to_string(), Self::cell_place(&sheet.name, r, first).to(r, last));
        for f in &header.missing {
            self.flagged.push(format!("{path}.{f}"));
        }
        for (c, column) in &header.columns {
            let cell = cells.iter().find(|(at, _)| at == c).map(|(_, cell)| *cell);
            let place = Self::cell_place(&sheet.name, r, *c).labelled(column.header);
            let name = match column.role {
                Role::Notes => continue,
                Role::Project => {
                    project = Some((*c, cell.map(Cell::shown).unwrap_or_default()));
                    continue;
                }
                Role::Field(name) => name,
            };
            let Some(k) = schema.field_index(e, name) else {
                self.resolved(&[name]);
                continue;
            };
            let f = schema.field(e, k);
            let fpath = format!("{path}.{name}");
            self.places.insert(fpath.clone(), place.clone());
            let Some(cell) = cell else {
                continue;
            };
            if let FieldTy::List(inner) = &f.ty {
                let mut acc = ListAcc {
                    first: place.clone(),
                    values: Vec::new(),
                    none: None,
                    bad: false,
                };
                self.list_cell(inner, cell, &place, &fpath, &mut acc);
                if acc.bad {
                    continue;
                }
                if acc.none.is_some() && !acc.values.is_empty() {
                    self.error(
                        place,
                        format!("{} is both \"なし\" and a list of values: keep one", column.header),
                        format!(
                            "「{}」に「なし」と値の両方が書かれています。どちらかにしてください",
                            column.header
                        ),
                    );
                    self.flagged.push(fpath);
                    continue;
                }
                for i in 0..acc.values.len() {
                    self.places.insert(format!("{fpath}[{i}]"), place.clone());
                }
                tree.set(&[k], J::Arr(acc.values.into_iter().map(|(j, _)| j).collect()));
                continue;
            }
            match scalar(&f.ty, cell, column.thousand) {
                Ok(j) => tree.set(&[k], j),
                Err(p) => {
                    self.error(place, p.en, p.ja);
                    self.flagged.push(fpath);
                }
            }
        }
        Some((tree.json(schema, e, None), project))
    }

    /// Places of a whole table: its header row for the list, and each
    /// field's column (`region.members.name`, as the reader's messages
    /// name the values of a list's field).
    fn table_places(&mut self, sheet: &Sheet, table: &Table, header: &Header, rows: usize) {
        let path = table.path.join(".");
        let first = header.columns.iter().map(|(c, _)| *c).min().unwrap_or(0);
        let last = header.columns.iter().map(|(c, _)| *c).max().unwrap_or(0);
        self.places.insert(
            path.clone(),
            Self::cell_place(&sheet.name, header.row, first).to(header.row, last),
        );
        // The rows of the list's elements, first to last.
        let rows_of: Vec<u32> = (0..rows)
            .filter_map(|i| self.places.get(&format!("{path}[{i}]")).map(|p| p.top.0))
            .collect();
        if let (Some(top), Some(bottom)) = (rows_of.first(), rows_of.last()) {
            for (c, column) in &header.columns {
                if let Role::Field(f) = column.role {
                    self.places.insert(
                        format!("{path}.{f}"),
                        Self::cell_place(&sheet.name, *top, *c).to(*bottom, *c),
                    );
                }
            }
        }
    }

    /// The reviewer's sheet, when the workbook has one: a determination a
    /// row, its 対象 written as the JSON path of the row it names.
    fn determinations(&mut self, sheet: &Sheet) -> Option<J> {
        let table = &layout::DETERMINATION_TABLE;
        let e = self.table_entity(table)?;
        let all = sheet.rows();
        let ((hr, hcells), data) = all.split_first()?;
        let header = self.header(sheet, table, *hr, hcells);
        let mut list = Vec::new();
        for (r, cells) in data {
            let path = format!("{}[{}]", table.path.join("."), list.len());
            let Some((mut object, _)) = self.row(sheet, &header, *r, cells, &path, e) else {
                continue;
            };
            if let J::Obj(fields) = &mut object
                && let Some((_, J::Str(at))) = fields.iter_mut().find(|(k, _)| k == "at")
                && let Some(reference) = row_reference(at)
            {
                let place = self.places.get(&format!("{path}.at")).cloned();
                match self.entity_at(&reference) {
                    Some(p) => *at = p,
                    None => {
                        if let Some(place) = place {
                            self.error(
                                place,
                                format!("no project, expense line or member is written on {at}: name a row the workbook reads"),
                                format!("「{at}」の行には事業・経費・構成市町村のいずれも書かれていません。読み込まれる行を指定してください"),
                            );
                        }
                        self.flagged.push(format!("{path}.at"));
                    }
                }
            }
            list.push(object);
        }
        self.table_places(sheet, table, &header, list.len());
        Some(J::Arr(list))
    }

    /// The JSON path of the entity read from a row (`経費`, row 4 → the
    /// `projects[0].expenses[2]` written there): the shortest path whose
    /// place is that whole row.
    fn entity_at(&self, (sheet, row): &(String, u32)) -> Option<String> {
        self.places
            .iter()
            .filter(|(path, p)| {
                path.ends_with(']')
                    && p.sheet == *sheet
                    && p.top.0 == *row
                    && p.bottom.0 == *row
                    && p.top.1 != p.bottom.1
            })
            .map(|(path, _)| path.clone())
            .min_by_key(|p| (p.len(), p.clone()))
    }

    /// The projects sheet.
    fn projects(&mut self, sheet: &Sheet) -> Option<Rows> {
        let program = self.program;
        let schema = &program.schema;
        let table = &layout::PROJECT_TABLE;
        let e = self.table_entity(table)?;
        let expenses = schema.field_index(e, layout::EXPENSE_TABLE.path[1]).and_then(|k| {
            let f = schema.field(e, k);
            child(&f.ty).map(|c| (k, c))
        });
        let mut rows = Rows {
            rows: Vec::new(),
            keys: HashMap::new(),
            names: Vec::new(),
            expenses,
        };
        let all = sheet.rows();
        let Some(((hr, hcells), data)) = all.split_first() else {
            self.errors.push(Located::new(
                At::Sheet(sheet.name.clone(), Self::order(&sheet.name)),
                format!(
                    "the sheet is empty: write the header row ({}) and one project a row",
                    header_list(table)
                ),
                format!(
                    "シートが空です。見出し行（{}）と、1行に1事業を書いてください",
                    header_list(table)
                ),
            ));
            self.flagged.push("projects".into());
            return Some(rows);
        };
        let header = self.header(sheet, table, *hr, hcells);
        let name_field = schema.entity(e).title.map(|t| schema.field(e, t).name.clone());
        for (r, cells) in data {
            let path = format!("projects[{}]", rows.rows.len());
            let Some((object, _)) = self.row(sheet, &header, *r, cells, &path, e) else {
                continue;
            };
            let name = match (&object, &name_field) {
                (J::Obj(fields), Some(n)) => fields.iter().find(|(k, _)| k == n).map(|(_, v)| match v {
                    J::Str(s) | J::Num(s) => s.clone(),
                    _ => String::new(),
                }),
                _ => None,
            }
            .unwrap_or_default();
            let key = crate::text::key(&name);
            if !key.is_empty() {
                rows.keys.entry(key).or_insert(rows.rows.len());
            }
            rows.names.push(name);
            rows.rows.push(Row { object });
        }
        self.table_places(sheet, table, &header, rows.rows.len());
        Some(rows)
    }

    /// The expenses sheet: each line into the project its 事業名 names (a
    /// blank 事業名: the row above's).
    fn expenses(&mut self, sheet: &Sheet, projects: &mut Rows) {
        let table = &layout::EXPENSE_TABLE;
        let Some((k, e)) = projects.expenses else {
            self.resolved(table.path);
            return;
        };
        let mut lines: Vec<Vec<J>> = vec![Vec::new(); projects.rows.len()];
        let all = sheet.rows();
        if let Some(((hr, hcells), data)) = all.split_first() {
            let header = self.header(sheet, table, *hr, hcells);
            let project_col = header
                .columns
                .iter()
                .find(|(_, c)| c.role == Role::Project)
                .map(|(c, _)| *c);
            let mut above: Option<usize> = None;
            for (r, cells) in data {
                // The path is known once the project is: read the name first.
                let name = project_col
                    .and_then(|c| cells.iter().find(|(at, _)| *at == c))
                    .map(|(_, cell)| cell.shown());
                let index = match &name {
                    Some(n) => {
                        let found = projects.keys.get(&crate::text::key(n)).copied();
                        if found.is_none() {
                            let place = Self::cell_place(&sheet.name, *r, project_col.unwrap_or(0));
                            self.unknown_project(place, n, &projects.names);
                        }
                        above = found;
                        found
                    }
                    None => above,
                };
                let Some(i) = index else {
                    let written = cells.iter().any(|(c, _)| {
                        header
                            .columns
                            .iter()
                            .any(|(at, col)| at == c && col.role != Role::Notes)
                    });
                    if name.is_none() && written && project_col.is_some() {
                        self.error(
                            Self::cell_place(&sheet.name, *r, project_col.unwrap_or(0)),
                            "the line names no project: write its 事業名 (a blank 事業名 is the row above's)",
                            "事業名が空欄です。事業名を書いてください（空欄は上の行と同じ事業です）",
                        );
                    }
                    continue;
                };
                let path = format!("projects[{i}].expenses[{}]", lines[i].len());
                if let Some((object, _)) = self.row(sheet, &header, *r, cells, &path, e) {
                    lines[i].push(object);
                }
            }
        } else {
            self.errors.push(Located::new(
                At::Sheet(sheet.name.clone(), Self::order(&sheet.name)),
                format!(
                    "the sheet is empty: write the header row ({}) and one expense line a row",
                    header_list(table)
                ),
                format!(
                    "シートが空です。見出し行（{}）と、1行に1件の経費を書いてください",
                    header_list(table)
                ),
            ));
        }
        let program = self.program;
        let name = &program.schema.field(projects_entity(&program.schema), k).name;
        for (i, (row, list)) in projects.rows.iter_mut().zip(lines).enumerate() {
            if let Some(project) = self.places.get(&format!("projects[{i}]")).cloned() {
                self.places.insert(format!("projects[{i}].{name}"), project);
            }
            if let J::Obj(fields) = &mut row.object {
                fields.push((name.clone(), J::Arr(list)));
                let program = self.program;
                let schema = &program.schema;
                let pe = projects_entity(schema);
                fields.sort_by_key(|(n, _)| schema.field_index(pe, n).unwrap_or(u32::MAX));
            }
        }
    }

    fn unknown_project(&mut self, place: Place, name: &str, names: &[String]) {
        let near = closest(name, names.iter().map(String::as_str));
        self.error(
            place,
            format!(
                "no project {} on the sheet {}{}: write the 事業名 as the projects sheet does, or add the project there",
                quoted(name),
                layout::PROJECTS,
                near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
            ),
            format!(
                "事業名{}は「{}」シートにありません{}。「{}」シートと同じ事業名を書くか、事業を加えてください",
                kagi(name),
                layout::PROJECTS,
                near.map(|n| format!("（もしかして「{n}」？）")).unwrap_or_default(),
                layout::PROJECTS
            ),
        );
    }
}

fn projects_entity(schema: &Schema) -> EntityId {
    resolve(schema, schema.root, layout::PROJECT_TABLE.path)
        .and_then(|r| child(&r.field.ty))
        .unwrap_or(schema.root)
}

/// A list's values gathered over rows (or one cell).
struct ListAcc {
    first: Place,
    values: Vec<(J, Place)>,
    none: Option<Place>,
    bad: bool,
}

fn header_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .filter(|c| !c.thousand)
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join("・")
}

/// A cell's values as a list: text split at 「、」「,」 and line breaks.
fn pieces(cell: &Cell, by_line: bool) -> Vec<Cell> {
    match cell {
        // A sentence may hold 「、」 and "/": free text splits at lines only.
        Cell::Text(t) if by_line => t.lines().filter_map(Cell::text).collect(),
        Cell::Text(t) => t.split(layout::SEPARATORS).filter_map(Cell::text).collect(),
        other => vec![other.clone()],
    }
}

/// True when an amount is written with its unit (`円`, `千円`, `万円`, `¥`).
fn has_unit(s: &str) -> bool {
    let t = crate::text::normalize(s);
    t.ends_with('円') || t.starts_with('¥') || t.starts_with('\\')
}

/// The JSON value of a cell for a field of type `ty`. Text stays text (the
/// reader reads `"１２００千円"`, `"令和2年10月9日"`, `"はい"`, `"印刷製本費"`);
/// a number cell is a number where the field is one (an amount in a
/// 千円 column becomes `"1200千円"`) and its digits elsewhere (a code); a
/// date cell is its day. What the reader could not see is refused here: a
/// formula's error, a date in a number's place.
fn scalar(ty: &FieldTy, cell: &Cell, thousand: bool) -> Result<J, Problem> {
    let numeric = matches!(ty, FieldTy::Money | FieldTy::Int | FieldTy::Ratio | FieldTy::FiscalYear);
    match cell {
        Cell::Error(e) => Err(Problem::new(
            format!("the cell shows the error {e}: correct its formula, or write the value itself"),
            format!("セルがエラー（{e}）になっています。数式を直すか、値を直接書いてください"),
        )),
        Cell::Date { y, m, d, .. } if numeric => {
            let day = iso(*y, *m, *d);
            Err(Problem::new(
                format!(
                    "the cell is a date ({day}), not a number: set its format to General (標準) or Number (数値) and write the number"
                ),
                format!(
                    "セルが日付（{day}）になっています。セルの書式を「標準」か「数値」にして、数値を書いてください"
                ),
            ))
        }
        Cell::Date { y, m, d, .. } => Ok(J::Str(iso(*y, *m, *d))),
        Cell::Bool(b) => Ok(J::Bool(*b)),
        Cell::Int(i) => Ok(number_json(ty, i.to_string(), thousand)),
        Cell::Number(n) if !n.is_finite() => Err(Problem::new(
            "the cell holds no number that can be read: write the number itself",
            "セルの数値を読めません。数値を直接書いてください",
        )),
        Cell::Number(n) => Ok(number_json(ty, number(*n), thousand)),
        Cell::Text(s) if thousand && *ty == FieldTy::Money && !has_unit(s) => Ok(J::Str(format!("{s}千円"))),
        Cell::Text(s) => Ok(J::Str(s.clone())),
    }
}

fn number_json(ty: &FieldTy, digits: String, thousand: bool) -> J {
    let whole = !digits.is_empty() && digits.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit());
    match ty {
        FieldTy::Money if thousand => J::Str(format!("{digits}千円")),
        FieldTy::Money | FieldTy::Int | FieldTy::FiscalYear | FieldTy::Ratio if whole => J::Num(digits),
        _ => J::Str(digits),
    }
}

/// A row of the workbook as a reviewer writes it: `経費!A4:G4`, `経費!A4`,
/// `経費!4` (sheet and 1-based row; a sheet's name as the layout names
/// it). `None` for anything else (a JSON path such as `projects[0]`).
fn row_reference(s: &str) -> Option<(String, u32)> {
    let s = crate::text::normalize(s);
    let (sheet, rest) = s.split_once('!')?;
    let sheet = sheet.trim().trim_matches('\'');
    let sheet = layout::SHEETS.iter().find(|x| **x == sheet)?;
    let first = rest.split(':').next()?.trim();
    let digits = first.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let row: u32 = digits.parse().ok()?;
    (row > 0).then(|| (sheet.to_string(), row - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_named_as_a_spreadsheet_names_it() {
        assert_eq!(row_reference("経費!A4:G4"), Some(("経費".into(), 3)));
        assert_eq!(row_reference("経費!A4"), Some(("経費".into(), 3)));
        assert_eq!(row_reference("経費!4"), Some(("経費".into(), 3)));
        assert_eq!(
            row_reference("'経費'！Ａ４"),
            Some(("経費".into(), 3)),
            "full-width, quoted"
        );
        assert_eq!(row_reference("projects[0].expenses[2]"), None);
        assert_eq!(row_reference("メモ!A4"), None, "not a sheet of the layout");
        assert_eq!(row_reference("経費!A0"), None);
    }

    #[test]
    fn cells_become_the_values_the_reader_reads() {
        let money = FieldTy::Money;
        assert_eq!(
            scalar(&money, &Cell::Number(1_200_000.0), false).unwrap(),
            J::Num("1200000".into())
        );
        assert_eq!(
            scalar(&money, &Cell::Number(1200.0), true).unwrap(),
            J::Str("1200千円".into())
        );
        assert_eq!(scalar(&money, &Cell::Number(0.5), false).unwrap(), J::Str("0.5".into()));
        assert_eq!(
            scalar(&money, &Cell::Text("1,200".into()), true).unwrap(),
            J::Str("1,200千円".into())
        );
        assert_eq!(
            scalar(&money, &Cell::Text("１２００千円".into()), true).unwrap(),
            J::Str("１２００千円".into())
        );
        assert!(
            scalar(
                &money,
                &Cell::Date {
                    y: 2024,
                    m: 6,
                    d: 1,
                    time: false
                },
                false
            )
            .is_err()
        );
        assert_eq!(
            scalar(
                &FieldTy::Date,
                &Cell::Date {
                    y: 2020,
                    m: 10,
                    d: 9,
                    time: false
                },
                false
            )
            .unwrap(),
            J::Str("2020-10-09".into())
        );
        assert_eq!(
            scalar(&FieldTy::Text, &Cell::Number(12.0), false).unwrap(),
            J::Str("12".into())
        );
        assert!(scalar(&FieldTy::Text, &Cell::Error("#REF!".into()), false).is_err());
    }
}
