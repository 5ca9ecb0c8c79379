//! The workbook's layout: which sheet, row or column holds which field of
//! an application. Only the places are written here. What a field is, how
//! its value is read (its type, its units, its vocabulary with the aliases
//! of the budget's 節 and 細節) and whether it may be left blank all come
//! from the rules' `entity` declarations, looked up by the field's name, as
//! the JSON reader looks them up; a field the layout names and the rules
//! lack is an error, and a test holds every field of the rules to a place
//! here (or to [`NOT_IN_WORKBOOK`]).

/// The sheets, in the order messages are sorted by.
pub(crate) const REGION: &str = "地域";
pub(crate) const PROJECTS: &str = "事業";
pub(crate) const EXPENSES: &str = "経費";
/// The reviewer's sheet: determinations, one a row (not in an officer's
/// workbook until the prefecture adds them).
pub(crate) const DETERMINATIONS: &str = "審査記録";
pub(crate) const GUIDE: &str = "記入要領";
pub(crate) const LISTS: &str = "リスト";

/// The data sheets (a CSV's sections), in their order.
pub(crate) const SHEETS: [&str; 4] = [REGION, PROJECTS, EXPENSES, DETERMINATIONS];

/// The application's format.
pub(crate) const FORMAT: &str = "grant-application/v1";

/// An item of the region sheet: a row whose column A is the item's label
/// and column B its value (a list: one row each, the label repeated, or
/// values separated by 「、」 in one cell).
pub(crate) struct Item {
    pub label: &'static str,
    /// Other labels read as this item.
    pub also: &'static [&'static str],
    /// The field, from the document's root.
    pub path: &'static [&'static str],
    /// Blank rows the template adds after a list's values, to write more.
    pub spare: usize,
}

/// The header of the region sheet's item rows (skipped when read).
pub(crate) const ITEM_HEADER: [&str; 3] = ["項目", "内容", "説明"];

pub(crate) const ITEMS: &[Item] = &[
    Item {
        label: "年度",
        also: &["申請年度", "申請する年度"],
        path: &["fiscal_year"],
        spare: 0,
    },
    Item {
        label: "名称",
        also: &["地域の名称", "連携地域の名称", "地域名"],
        path: &["region", "name"],
        spare: 0,
    },
    Item {
        label: "代表市町村",
        also: &[],
        path: &["region", "representative"],
        spare: 0,
    },
    Item {
        label: "協議会の名称",
        also: &["協議会", "協議会名"],
        path: &["region", "council", "name"],
        spare: 0,
    },
    Item {
        label: "協議会の構成市町村",
        also: &["協議会の構成団体"],
        path: &["region", "council", "members"],
        spare: 0,
    },
    Item {
        label: "協定の締結日",
        also: &["地域連携協定の締結日", "協定締結日", "協定の日付"],
        path: &["region", "agreement_date"],
        spare: 0,
    },
    Item {
        label: "協定の変更日",
        also: &["地域連携協定の変更日", "協定変更日"],
        path: &["region", "agreement_amended_date"],
        spare: 0,
    },
    Item {
        label: "ビジョンの策定日",
        also: &["地域連携ビジョンの策定日", "ビジョン策定日", "ビジョンの日付"],
        path: &["region", "vision_date"],
        spare: 0,
    },
    Item {
        label: "ビジョンの期間",
        also: &["地域連携ビジョンの期間", "ビジョン期間"],
        path: &["region", "vision_period_years"],
        spare: 0,
    },
    Item {
        label: "政策分野",
        also: &["地域連携協定の政策分野"],
        path: &["region", "policy_fields"],
        spare: 2,
    },
    Item {
        label: "初年度",
        also: &["初めて交付を受けた年度", "初回交付年度"],
        path: &["region", "first_grant_fiscal_year"],
        spare: 0,
    },
    Item {
        label: "消費税等仕入控除税額",
        also: &["仕入控除税額", "消費税等仕入控除税額（円）"],
        path: &["deductible_consumption_tax"],
        spare: 0,
    },
    Item {
        label: "予算配分額",
        also: &["予算の配分額", "予算配分", "配分額"],
        path: &["budget_allocation"],
        spare: 0,
    },
];

/// What a column of a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A field of the row's entity.
    Field(&'static str),
    /// The expense sheet's 事業名: which project a line belongs to (blank:
    /// the same as the row above, so merged cells read as written).
    Project,
    /// Notes for the officer, never read.
    Notes,
}

/// A column of a table, found by its header.
pub(crate) struct Column {
    /// The header the template writes.
    pub header: &'static str,
    /// Other headers read as this column.
    pub also: &'static [&'static str],
    pub role: Role,
    /// An amount column whose numbers are in 千円.
    pub thousand: bool,
    pub width: f64,
}

const fn col(header: &'static str, also: &'static [&'static str], role: Role, width: f64) -> Column {
    Column {
        header,
        also,
        role,
        thousand: false,
        width,
    }
}

const NOTES: Column = col("備考", &["メモ", "注記"], Role::Notes, 30.0);

/// A table: the entity list it fills and its columns. Its header is the
/// first row of its sheet that holds anything (the members' table: the row
/// whose column A reads as its first header, below the items).
pub(crate) struct Table {
    pub sheet: &'static str,
    /// The list field, from the document's root.
    pub path: &'static [&'static str],
    pub columns: &'static [Column],
    /// Blank rows with the lists of values the template prepares.
    pub rows: u32,
}

pub(crate) const MEMBERS: Table = Table {
    sheet: REGION,
    path: &["region", "members"],
    columns: &[
        col(
            "構成市町村",
            &["市町村", "連携市町村", "市町村名"],
            Role::Field("name"),
            24.0,
        ),
        col(
            "定住自立圏",
            &["定住自立圏の取組"],
            Role::Field("settlement_zone"),
            40.0,
        ),
        col(
            "連携中枢都市圏",
            &["連携中枢都市圏の取組"],
            Role::Field("central_urban_area"),
            60.0,
        ),
        NOTES,
    ],
    rows: 40,
};

pub(crate) const PROJECT_TABLE: Table = Table {
    sheet: PROJECTS,
    path: &["projects"],
    columns: &[
        col("事業名", &["事業", "事業の名称"], Role::Field("name"), 36.0),
        col(
            "前進プラン",
            &["前進プランへの掲載", "前進プラン掲載"],
            Role::Field("in_advance_plan"),
            14.0,
        ),
        col(
            "ビジョン",
            &["ビジョンへの掲載", "地域連携ビジョン", "ビジョン掲載"],
            Role::Field("in_vision"),
            14.0,
        ),
        col(
            "ソフト/ハード",
            &["種類", "事業の種類", "ソフト・ハード"],
            Role::Field("kind"),
            14.0,
        ),
        col("連携", &["連携して実施", "共同実施"], Role::Field("joint"), 10.0),
        col(
            "除外事由",
            &["第4 2の事由", "交付対象としない事由"],
            Role::Field("exclusions"),
            48.0,
        ),
        // The prefecture's column: blank in an officer's workbook.
        col(
            "審査担当者の指摘",
            &["指摘", "審査担当者の指摘（道・振興局記入）"],
            Role::Field("reviewer_flags"),
            36.0,
        ),
        NOTES,
    ],
    rows: 100,
};

pub(crate) const EXPENSE_TABLE: Table = Table {
    sheet: EXPENSES,
    path: &["projects", "expenses"],
    columns: &[
        col("事業名", &["事業"], Role::Project, 30.0),
        col("内容", &["経費の内容", "内訳", "品名"], Role::Field("item"), 40.0),
        col(
            "予算科目（節・細節）",
            &["予算科目", "節", "節・細節", "細節", "経費区分", "区分"],
            Role::Field("category"),
            26.0,
        ),
        col("金額（円）", &["金額", "金額(円)"], Role::Field("amount"), 16.0),
        Column {
            header: "金額（千円）",
            also: &["金額(千円)"],
            role: Role::Field("amount"),
            thousand: true,
            width: 16.0,
        },
        col(
            "臨時職員",
            &["臨時・非常勤職員", "臨時職員か"],
            Role::Field("temporary_staff"),
            10.0,
        ),
        col("必要不可欠", &["必要不可欠か"], Role::Field("indispensable"), 10.0),
        NOTES,
    ],
    rows: 400,
};

/// The reviewer's determinations (`determinations`, 実施要綱's 要審査 points
/// closed): its 対象 names the entity judged by its row in the workbook
/// (`経費!A4:G4`, `経費!A4`) or by the JSON path the checklist gives.
pub(crate) const DETERMINATION_TABLE: Table = Table {
    sheet: DETERMINATIONS,
    path: &["determinations"],
    columns: &[
        col("規定", &["ルール", "確認事項", "rule_id"], Role::Field("rule_id"), 22.0),
        col("対象", &["箇所", "対象の行", "at"], Role::Field("at"), 22.0),
        col("判断", &["判定", "decision"], Role::Field("decision"), 10.0),
        col("判断者", &["審査担当者", "所属・氏名", "by"], Role::Field("by"), 26.0),
        col("判断日", &["日付", "on"], Role::Field("on"), 14.0),
        col("理由", &["判断の理由", "reason"], Role::Field("reason"), 48.0),
        NOTES,
    ],
    rows: 50,
};

/// The tables, in the order they are read.
#[cfg(test)]
pub(crate) const TABLES: [&Table; 4] = [&MEMBERS, &PROJECT_TABLE, &EXPENSE_TABLE, &DETERMINATION_TABLE];

/// Fields of the rules that the workbook has no place for (to add to the
/// JSON document `import` writes): none today — a reviewer's notes and
/// determinations have their column and sheet. A field added to the rules
/// goes in the layout, or here.
pub(crate) const NOT_IN_WORKBOOK: &[&[&str]] = &[];

/// Words a list's only value may be to say it is empty (`[]`), which a
/// blank cell is not (blank: not known).
pub(crate) const NONE_WORDS: &[&str] = &["なし", "無し", "無", "ない", "該当なし", "-", "－", "―", "ー"];

/// Separators of the values of a list written in one cell.
pub(crate) const SEPARATORS: &[char] = &['、', ',', '，', '；', ';', '\n', '/', '／'];

/// How a label or header compares: NFKC, case-folded, without white space.
pub(crate) fn label_key(s: &str) -> String {
    crate::text::key(s).chars().filter(|c| !c.is_whitespace()).collect()
}

impl Item {
    pub(crate) fn matches(&self, key: &str) -> bool {
        std::iter::once(self.label)
            .chain(self.also.iter().copied())
            .chain(self.path.last().copied())
            .any(|l| label_key(l) == key)
    }
}

impl Column {
    pub(crate) fn matches(&self, key: &str) -> bool {
        let field = match self.role {
            Role::Field(f) if !self.thousand => Some(f),
            _ => None,
        };
        std::iter::once(self.header)
            .chain(self.also.iter().copied())
            .chain(field)
            .any(|l| label_key(l) == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::FieldTy;

    /// Every field the application's rules declare has a place in the
    /// workbook, or is listed as one it has none for: a field added to the
    /// rules fails here until the layout says where an officer writes it.
    #[test]
    fn every_field_of_the_rules_has_a_place() {
        let book = crate::rules::embedded().unwrap_or_else(|e| panic!("{}", e.render()));
        let p = book.kind(FORMAT).unwrap();
        let schema = &p.schema;
        let mut placed: Vec<Vec<&str>> = ITEMS.iter().map(|i| i.path.to_vec()).collect();
        for t in TABLES {
            placed.push(t.path.to_vec());
            for c in t.columns {
                if let Role::Field(f) = c.role {
                    let mut path = t.path.to_vec();
                    path.push(f);
                    placed.push(path);
                }
            }
        }
        let mut missing = Vec::new();
        fn walk<'s>(
            schema: &'s crate::schema::Schema,
            e: u32,
            prefix: &mut Vec<&'s str>,
            placed: &[Vec<&str>],
            missing: &mut Vec<String>,
        ) {
            for f in &schema.entity(e).fields {
                prefix.push(&f.name);
                if NOT_IN_WORKBOOK.contains(&prefix.as_slice()) {
                    prefix.pop();
                    continue;
                }
                let child = match &f.ty {
                    FieldTy::Entity(c) => Some(*c),
                    FieldTy::List(inner) => match **inner {
                        FieldTy::Entity(c) => Some(c),
                        _ => None,
                    },
                    _ => None,
                };
                let here = placed.iter().any(|p| p == prefix);
                let list_of_entities = matches!(&f.ty, FieldTy::List(_)) && child.is_some();
                match child {
                    Some(c) if !here || list_of_entities => walk(schema, c, prefix, placed, missing),
                    _ if !here => missing.push(prefix.join(".")),
                    _ => {}
                }
                prefix.pop();
            }
        }
        walk(schema, schema.root, &mut Vec::new(), &placed, &mut missing);
        assert!(
            missing.is_empty(),
            "fields of the rules with no place in the workbook (src/import/layout.rs): {missing:?}"
        );
    }
}
