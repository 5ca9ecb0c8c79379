//! The application document, format `grant-application/v1` (spec: APPLICATION-FORMAT.md).
//!
//! These types only describe the document's shape. Categories, exclusions, policy fields and
//! municipality names stay plain strings: the rule files define their vocabularies and
//! another module checks them, so this format need not change when the rules do.
//! Optional fields treat absent and `null` alike: "not given". Nested structs are read through
//! `crate::model::shape`, so a JSON array is never taken for an object.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::model::amount::Yen;
use crate::model::date::JpDate;
use crate::model::errors::{Bilingual, to_serde_error};
use crate::model::fiscal_year::FiscalYear;
use crate::model::shape::{object, objects, optional_object};
use crate::model::text::{kagi, quoted};

/// The `format` value of an application.
pub const APPLICATION_FORMAT: &str = "grant-application/v1";

/// Visitor `expecting` text; the loader translates it to Japanese.
pub(crate) const FORMAT_EXPECTING: &str = "the string \"grant-application/v1\"";

/// 申請書 / An application for the wide-area cooperation acceleration grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// 様式の識別子。必ず "grant-application/v1" / Format tag; always "grant-application/v1".
    pub format: FormatTag,
    /// 申請する年度（開始する西暦年、または "令和6年度"） / The fiscal year applied for
    /// (the western year it starts in, or e.g. "令和6年度").
    pub fiscal_year: FiscalYear,
    /// 連携地域 / The region (the cooperating municipalities).
    #[serde(deserialize_with = "object")]
    pub region: Region,
    /// 事業（1件以上） / The projects applied for; at least one.
    #[serde(deserialize_with = "objects")]
    #[schemars(length(min = 1))]
    pub projects: Vec<Project>,
    /// 控除対象の消費税額（実施要綱 第9 3）。null は未確定 / Deductible consumption tax
    /// (実施要綱 第9 3); null = not yet known.
    #[serde(default)]
    pub deductible_consumption_tax: Option<Yen>,
    /// 道の配分額。ある場合は交付額の上限 / The prefecture's budget allocation; caps the
    /// grant when given.
    #[serde(default)]
    pub budget_allocation: Option<Yen>,
}

/// 連携地域 / The region applying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// 連携地域の名称 / The region's name.
    pub name: String,
    /// 代表市町村（構成市町村の一つ） / The municipality representing the region; must be
    /// one of the members.
    pub representative: String,
    /// 構成市町村（1以上） / The member municipalities; at least one.
    #[serde(deserialize_with = "objects")]
    #[schemars(length(min = 1))]
    pub members: Vec<Member>,
    /// 協議会（申請者が協議会の場合） / The council (協議会), if the applicant is one.
    #[serde(default, deserialize_with = "optional_object")]
    pub council: Option<Council>,
    /// 地域連携協定の締結日（予定日） / Date the 地域連携協定 was (or is to be) concluded.
    #[serde(default)]
    pub agreement_date: Option<JpDate>,
    /// 地域連携ビジョンの策定日（予定日） / Date the 地域連携ビジョン was (or is to be) adopted.
    #[serde(default)]
    pub vision_date: Option<JpDate>,
    /// ビジョンの期間（年） / The vision's period in years.
    #[serde(default)]
    pub vision_period_years: Option<u32>,
    /// 協定の連携分野（RULES.md §A の名称、英語名も可） / The agreement's cooperation fields,
    /// by their names in RULES.md §A (English aliases accepted).
    #[serde(default)]
    pub policy_fields: Option<Vec<String>>,
    /// 初めて交付を受けた年度。なければ今年度が初年度 / The first fiscal year the region was
    /// granted; absent = this is the first year.
    #[serde(default)]
    pub first_grant_fiscal_year: Option<FiscalYear>,
}

/// 構成市町村 / A member municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// 市町村名または地方公共団体コード（全角・半角は正規化） / A Hokkaido municipality name
    /// or local-government code (full-width/half-width variants normalised, NFKC).
    pub name: String,
    /// 定住自立圏で既に連携しているか。なければ不明 / Already cooperating in a 定住自立圏;
    /// absent = unknown.
    #[serde(default)]
    pub settlement_zone: Option<bool>,
    /// 連携中枢都市圏で既に連携しているか。なければ不明 / Already cooperating in a
    /// 連携中枢都市圏; absent = unknown.
    #[serde(default)]
    pub central_urban_area: Option<bool>,
}

/// 協議会 / A council of municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Council {
    /// 協議会の名称 / The council's name.
    pub name: String,
    /// 協議会を構成する市町村名 / Names of the council's member municipalities.
    pub members: Vec<String>,
}

/// 事業 / A project applied for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 事業名 / The project's name.
    pub name: String,
    /// 前進プランへの掲載 / Listed in (or to be listed in) the 前進プラン.
    #[serde(default)]
    pub in_advance_plan: Option<Listing>,
    /// 地域連携ビジョンへの掲載 / Listed in (or to be listed in) the vision.
    #[serde(default)]
    pub in_vision: Option<Listing>,
    /// ソフト事業かハード事業か / Soft (services) or hard (facilities) project.
    #[serde(default)]
    pub kind: Option<ProjectKind>,
    /// 構成市町村が共同で実施するか / Carried out by the municipalities together.
    #[serde(default)]
    pub joint: Option<bool>,
    /// 該当する対象外事由（実施要綱 第4 2 (1)〜(5)）: national_subsidy, funded_body_grant,
    /// pass_through, for_profit, loss_compensation / Which 実施要綱 第4 2 (1)–(5) exclusions apply.
    #[serde(default)]
    pub exclusions: Option<Vec<String>>,
    /// 審査者の注記（第4 2 (6) / 第5 8 の該当可能性）。あれば要審査 / A reviewer's notes that
    /// 第4 2 (6) / 第5 8 may apply; any note makes the decision needs_review.
    #[serde(default)]
    pub reviewer_flags: Vec<String>,
    /// 経費の内訳 / The project's expense lines.
    #[serde(deserialize_with = "objects")]
    pub expenses: Vec<Expense>,
}

/// 計画・ビジョンへの掲載状況 / Whether a project is listed in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Listing {
    /// 掲載済み / Listed.
    Listed,
    /// 掲載予定 / To be listed.
    Planned,
    /// 掲載なし / Not listed.
    No,
}

/// 事業の種類 / Kind of project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectKind {
    /// ソフト事業 / Soft project (services, events, studies).
    Soft,
    /// ハード事業 / Hard project (facilities, equipment).
    Hard,
}

/// 経費 / One expense line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expense {
    /// 内容 / Description of the expense.
    pub item: String,
    /// 経費区分（commission, honoraria, equipment, wages など。日本語名も可） / Expense
    /// category code (commission, honoraria, equipment, wages, …; Japanese names accepted).
    pub category: String,
    /// 金額（円） / Amount in whole yen.
    pub amount: Yen,
    /// 賃金: 事業のために雇用する臨時・非常勤職員か / For wages: temporary or part-time staff
    /// employed for the project.
    #[serde(default)]
    pub temporary_staff: Option<bool>,
    /// 職員旅費: 事業に不可欠か / For staff_travel: indispensable to the project.
    #[serde(default)]
    pub indispensable: Option<bool>,
}

/// The `format` tag; reading anything but `"grant-application/v1"` is an error, so a
/// document of another kind (or version) is never misread as an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FormatTag;

/// A `format` value other than `"grant-application/v1"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected \"{APPLICATION_FORMAT}\", found {}", quoted(.found))]
pub struct FormatError {
    /// The value found.
    pub found: String,
}

impl Bilingual for FormatError {
    fn ja(&self) -> String {
        format!(
            "様式（format）は「{APPLICATION_FORMAT}」でなければなりません（{}と書かれています）",
            kagi(&self.found)
        )
    }
}

impl Serialize for FormatTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(APPLICATION_FORMAT)
    }
}

struct FormatVisitor;

impl Visitor<'_> for FormatVisitor {
    type Value = FormatTag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(FORMAT_EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FormatTag, E> {
        if v == APPLICATION_FORMAT {
            return Ok(FormatTag);
        }
        Err(to_serde_error(&FormatError { found: v.to_string() }))
    }
}

impl<'de> Deserialize<'de> for FormatTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FormatTag, D::Error> {
        deserializer.deserialize_str(FormatVisitor)
    }
}

impl JsonSchema for FormatTag {
    fn schema_name() -> Cow<'static, str> {
        "FormatTag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "const": APPLICATION_FORMAT,
            "description": "様式の識別子 / Format tag of an application document."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_denies_unknown_fields_and_describes_forms() {
        let schema = schemars::schema_for!(Application);
        let text = serde_json::to_string(&schema).unwrap_or_default();
        assert!(text.contains("\"additionalProperties\":false"), "{text}");
        for object in ["Application", "Region", "Member", "Council", "Project", "Expense"] {
            let def = &schema.as_value()["$defs"][object];
            let def = if object == "Application" {
                schema.as_value()
            } else {
                def
            };
            assert_eq!(def["additionalProperties"], serde_json::json!(false), "{object}");
        }
        for form in [
            "１２００千円",
            "120万円",
            "令和2年10月9日",
            "R2.10.9",
            "令和6年度",
            "grant-application/v1",
        ] {
            assert!(text.contains(form), "{form}");
        }
        assert_eq!(
            schema.as_value()["properties"]["projects"]["minItems"],
            serde_json::json!(1)
        );
        let required = &schema.as_value()["$defs"]["Expense"]["required"];
        assert_eq!(required, &serde_json::json!(["item", "category", "amount"]));
    }

    #[test]
    fn format_tag() {
        let read = |s: &str| serde_json::from_str::<FormatTag>(s).map_err(|e| e.to_string());
        assert_eq!(read("\"grant-application/v1\""), Ok(FormatTag));
        let e = read("\"grant-change/v1\"").expect_err("other format");
        assert!(
            e.starts_with("expected \"grant-application/v1\", found \"grant-change/v1\""),
            "{e}"
        );
        assert_eq!(
            serde_json::to_string(&FormatTag).ok(),
            Some("\"grant-application/v1\"".into())
        );
    }
}
