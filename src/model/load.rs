//! Reading an application document from bytes.
//!
//! Errors must tell a municipal officer where the problem is, so deserialisation goes
//! through `serde_path_to_error` (path `projects[0].expenses[2].amount`) and keeps
//! serde_json's line and column. Structural checks serde cannot express (non-empty lists)
//! follow, with the same error type.

use serde_json::Value;

use crate::model::application::Application;
use crate::model::errors::InputError;
use crate::model::shape::ObjectOnly;

/// Parses and structurally checks an application. Never panics on any input.
pub fn parse_application(input: &[u8]) -> Result<Application, InputError> {
    let mut de = serde_json::Deserializer::from_slice(strip_bom(input));
    let app: Application =
        serde_path_to_error::deserialize(ObjectOnly(&mut de)).map_err(InputError::from_path_error)?;
    de.end().map_err(|e| InputError::from_json(&e))?;
    check_structure(&app)?;
    Ok(app)
}

/// The top-level `format` value, so the caller can pick the document kind before parsing.
pub fn sniff_format(input: &[u8]) -> Result<String, InputError> {
    let value: Value = serde_json::from_slice(strip_bom(input)).map_err(|e| InputError::from_json(&e))?;
    let Value::Object(map) = value else {
        return Err(InputError::new(
            "",
            "the document is not a JSON object",
            "文書がJSONのオブジェクト（{…}）ではありません",
        ));
    };
    match map.get("format") {
        Some(Value::String(format)) => Ok(format.clone()),
        None => Err(InputError::new(
            "",
            "missing field \"format\"",
            "必須項目「format」がありません",
        )),
        Some(_) => Err(InputError::new(
            "format",
            "\"format\" must be a string such as \"grant-application/v1\"",
            "format は \"grant-application/v1\" のような文字列で書いてください",
        )),
    }
}

/// Windows editors often save UTF-8 with a byte-order mark, which JSON forbids; officers
/// cannot see it, so it is dropped rather than reported.
fn strip_bom(input: &[u8]) -> &[u8] {
    input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input)
}

/// Checks what the types cannot: at least one member and one project.
fn check_structure(app: &Application) -> Result<(), InputError> {
    if app.region.members.is_empty() {
        return Err(InputError::new(
            "region.members",
            "at least one member municipality is required",
            "構成市町村を1つ以上書いてください",
        ));
    }
    if app.projects.is_empty() {
        return Err(InputError::new(
            "projects",
            "at least one project is required",
            "事業を1つ以上書いてください",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FiscalYear, JpDate, Listing, ProjectKind, Yen};
    use serde_json::json;

    /// The example of APPLICATION-FORMAT.md.
    const EXAMPLE: &str = r#"{
  "format": "grant-application/v1",
  "fiscal_year": 2024,
  "region": {
    "name": "南空知圏域",
    "representative": "岩見沢市",
    "members": [
      { "name": "岩見沢市", "settlement_zone": false, "central_urban_area": false },
      { "name": "夕張市",   "settlement_zone": false, "central_urban_area": false }
    ],
    "council": { "name": "南空知広域連携推進協議会", "members": ["岩見沢市", "夕張市"] },
    "agreement_date": "2020-10-09",
    "vision_date": "2020-10-23",
    "vision_period_years": 5,
    "policy_fields": ["防災", "地域公共交通", "デジタル・ディバイドの解消へ向けたICTの活用"],
    "first_grant_fiscal_year": 2020
  },
  "projects": [
    {
      "name": "地域防災体制の充実",
      "in_advance_plan": "listed",
      "in_vision": "listed",
      "kind": "soft",
      "joint": true,
      "exclusions": [],
      "reviewer_flags": [],
      "expenses": [
        { "item": "防災テント購入", "category": "equipment", "amount": 1200000 },
        { "item": "合同研修会 講師謝礼", "category": "honoraria", "amount": 100000 },
        { "item": "職員旅費", "category": "staff_travel", "amount": 50000, "indispensable": true }
      ]
    }
  ],
  "deductible_consumption_tax": 0,
  "budget_allocation": null
}"#;

    fn example() -> Value {
        serde_json::from_str(EXAMPLE).unwrap_or_default()
    }

    fn parse(value: &Value) -> Result<crate::model::Application, InputError> {
        parse_application(value.to_string().as_bytes())
    }

    fn error(value: &Value) -> InputError {
        parse(value).expect_err("should be rejected")
    }

    #[test]
    fn reads_the_example() {
        let app = parse_application(EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(app.fiscal_year, FiscalYear(2024));
        assert_eq!(app.region.members.len(), 2);
        assert_eq!(app.region.agreement_date, JpDate::parse("2020-10-09").ok());
        assert_eq!(app.region.first_grant_fiscal_year, Some(FiscalYear(2020)));
        let project = &app.projects[0];
        assert_eq!(
            (project.in_vision, project.kind),
            (Some(Listing::Listed), Some(ProjectKind::Soft))
        );
        assert_eq!(project.expenses[2].amount, Yen(50_000));
        assert_eq!(project.expenses[2].indispensable, Some(true));
        assert_eq!(project.expenses[0].temporary_staff, None);
        assert_eq!(app.deductible_consumption_tax, Some(Yen(0)));
        assert_eq!(app.budget_allocation, None);
    }

    #[test]
    fn round_trips() {
        let app = parse_application(EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let written = serde_json::to_string(&app).unwrap_or_default();
        let again = parse_application(written.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(app, again);
        let value: Value = serde_json::from_str(&written).unwrap_or_default();
        assert_eq!(value["region"]["agreement_date"], json!("2020-10-09"));
        assert_eq!(value["fiscal_year"], json!(2024));
        assert_eq!(value["projects"][0]["expenses"][0]["amount"], json!(1200000));
    }

    #[test]
    fn reads_japanese_forms() {
        let mut doc = example();
        doc["fiscal_year"] = json!("令和6年度");
        doc["region"]["agreement_date"] = json!("令和2年10月9日");
        doc["region"]["vision_date"] = json!("R2.10.23");
        doc["region"]["first_grant_fiscal_year"] = json!("R2");
        doc["projects"][0]["expenses"][0]["amount"] = json!("１２００千円");
        doc["deductible_consumption_tax"] = json!("0円");
        let app = parse(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            app,
            parse_application(EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
        );
    }

    #[test]
    fn absent_optionals_are_none() {
        let doc = json!({
            "format": "grant-application/v1", "fiscal_year": 2024,
            "region": { "name": "n", "representative": "a", "members": [ { "name": "a" } ] },
            "projects": [ { "name": "p", "expenses": [] } ]
        });
        let app = parse(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(app.region.council, None);
        assert_eq!(app.region.members[0].settlement_zone, None);
        assert!(app.projects[0].reviewer_flags.is_empty());
        assert_eq!(app.deductible_consumption_tax, None);
    }

    #[test]
    fn amount_errors_name_the_path() {
        let mut doc = example();
        doc["projects"][0]["expenses"][2]["amount"] = json!(-5);
        let e = error(&doc);
        assert_eq!(e.to_string(), "projects[0].expenses[2].amount: negative amount -5");
        assert_eq!(e.ja, "負の金額です（-5）");
        assert!(e.line.is_some() && e.column.is_some());
        doc["projects"][0]["expenses"][2]["amount"] = json!(1200000.5);
        assert_eq!(
            error(&doc).to_string(),
            "projects[0].expenses[2].amount: a fraction of a yen: 1200000.5"
        );
        doc["projects"][0]["expenses"][2]["amount"] = json!("abc");
        let e = error(&doc);
        assert!(
            e.to_string()
                .starts_with("projects[0].expenses[2].amount: not an amount: \"abc\""),
            "{e}"
        );
        doc["projects"][0]["expenses"][2]["amount"] = json!(true);
        let e = error(&doc);
        assert!(
            e.en.starts_with("invalid type: boolean `true`, expected an amount"),
            "{e}"
        );
        assert!(e.ja.starts_with("真偽値 trueではなく金額"), "{}", e.ja);
    }

    #[test]
    fn unknown_fields_rejected_everywhere() {
        let cases: [(&[&str], &str); 6] = [
            (&[], ""),
            (&["region"], "region"),
            (&["region", "members", "0"], "region.members[0]"),
            (&["region", "council"], "region.council"),
            (&["projects", "0"], "projects[0]"),
            (&["projects", "0", "expenses", "1"], "projects[0].expenses[1]"),
        ];
        for (pointer, path) in cases {
            let mut doc = example();
            let target = pointer.iter().fold(&mut doc, |v, key| match key.parse::<usize>() {
                Ok(i) => &mut v[i],
                Err(_) => &mut v[*key],
            });
            target["foo"] = json!(1);
            let e = error(&doc);
            assert_eq!(e.path, path);
            assert!(
                e.en.starts_with("unknown field \"foo\", expected one of \""),
                "{}",
                e.en
            );
            assert!(
                e.ja.starts_with("項目「foo」はこの様式にありません（使える項目: "),
                "{}",
                e.ja
            );
        }
        let mut doc = example();
        doc["region"]["foo"] = json!(1);
        let e = error(&doc);
        assert!(e.en.contains("\"name\", \"representative\", \"members\""), "{}", e.en);
    }

    #[test]
    fn serde_errors_are_translated() {
        let mut doc = example();
        doc["projects"][0]["in_vision"] = json!("yes");
        let e = error(&doc);
        assert_eq!(e.path, "projects[0].in_vision");
        assert_eq!(
            e.en,
            "unknown variant \"yes\", expected one of \"listed\", \"planned\", \"no\""
        );
        assert_eq!(e.ja, "「yes」は使えない値です（使える値: listed, planned, no）");
        let mut doc = example();
        if let Some(region) = doc["region"].as_object_mut() {
            region.remove("name");
        }
        let e = error(&doc);
        assert_eq!((e.path.as_str(), e.en.as_str()), ("region", "missing field \"name\""));
        assert_eq!(e.ja, "必須項目「name」がありません");
        let mut doc = example();
        doc["region"]["name"] = json!(5);
        let e = error(&doc);
        assert_eq!(e.path, "region.name");
        assert_eq!(e.ja, "整数 5ではなく文字列を書いてください");
        let mut doc = example();
        doc["region"]["agreement_date"] = json!("平成31年5月1日");
        let e = error(&doc);
        assert_eq!(
            e.to_string(),
            "region.agreement_date: 平成31年5月1日 does not exist: 平成 ended on 2019-04-30"
        );
        let mut doc = example();
        doc["fiscal_year"] = json!("令和六年度");
        assert_eq!(error(&doc).path, "fiscal_year");
    }

    #[test]
    fn arrays_are_not_objects() {
        let mut doc = example();
        doc["region"]["members"][1] = json!(["夕張市", false, false]);
        let e = error(&doc);
        assert_eq!(
            e.to_string(),
            "region.members[1]: invalid type: sequence, expected struct Member"
        );
        assert_eq!(e.ja, "配列（[…]）ではなくオブジェクト（{…}）を書いてください");
        for (key, path) in [("region", "region"), ("projects", "projects[0]")] {
            let mut doc = example();
            doc[key] = if key == "projects" {
                json!([["p", []]])
            } else {
                json!(["n", "r", []])
            };
            assert_eq!(error(&doc).path, path);
        }
        let mut doc = example();
        doc["region"]["council"] = json!(["c", []]);
        assert_eq!(error(&doc).path, "region.council");
        doc["region"]["council"] = Value::Null;
        assert!(parse(&doc).is_ok());
        doc["projects"][0]["expenses"][0] = json!(["x", "equipment", 1]);
        assert_eq!(error(&doc).path, "projects[0].expenses[0]");
    }

    #[test]
    fn format_is_checked() {
        let mut doc = example();
        doc["format"] = json!("grant-change/v1");
        let e = error(&doc);
        assert_eq!(
            e.to_string(),
            "format: expected \"grant-application/v1\", found \"grant-change/v1\""
        );
        assert!(e.ja.contains("grant-application/v1"));
        if let Some(map) = doc.as_object_mut() {
            map.remove("format");
        }
        assert_eq!(error(&doc).to_string(), "(document): missing field \"format\"");
    }

    #[test]
    fn lists_must_not_be_empty() {
        let mut doc = example();
        doc["region"]["members"] = json!([]);
        assert_eq!(error(&doc).path, "region.members");
        let mut doc = example();
        doc["projects"] = json!([]);
        let e = error(&doc);
        assert_eq!(e.to_string(), "projects: at least one project is required");
        assert_eq!(e.ja, "事業を1つ以上書いてください");
    }

    #[test]
    fn syntax_errors_have_position() {
        let e = parse_application(b"{\n  \"format\": \"grant-application/v1\",\n  oops\n}").expect_err("syntax");
        assert_eq!((e.line, e.column), (Some(3), Some(3)));
        assert!(e.en.starts_with("invalid JSON: key must be a string"), "{}", e.en);
        let e = parse_application(format!("{EXAMPLE} x").as_bytes()).expect_err("trailing");
        assert_eq!(e.to_string(), "(document): invalid JSON: trailing characters");
        assert_eq!(e.ja, "JSONの終わりの後に余分な文字があります");
        let e = parse_application(b"[1]").expect_err("array");
        assert_eq!(e.path, "");
        assert!(e.ja.contains("オブジェクト"), "{}", e.ja);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), EXAMPLE.as_bytes()].concat();
        assert!(parse_application(&with_bom).is_ok());
    }

    #[test]
    fn never_panics_on_truncated_or_mangled_input() {
        let bytes = EXAMPLE.as_bytes();
        for cut in 0..bytes.len() {
            assert!(parse_application(&bytes[..cut]).is_err());
            let _ = sniff_format(&bytes[..cut]);
        }
        for (i, junk) in [b'"', b'}', b']', b'-', 0xFF, b'\\']
            .iter()
            .cycle()
            .take(300)
            .enumerate()
        {
            let mut mangled = bytes.to_vec();
            let at = (i * 37) % mangled.len();
            mangled[at] = *junk;
            let _ = parse_application(&mangled);
        }
    }

    #[test]
    fn sniffs_format() {
        assert_eq!(
            sniff_format(EXAMPLE.as_bytes()).ok(),
            Some("grant-application/v1".into())
        );
        assert_eq!(
            sniff_format(br#"{"format":"grant-change/v1","x":1}"#).ok(),
            Some("grant-change/v1".into())
        );
        assert_eq!(
            sniff_format(b"[]").expect_err("array").en,
            "the document is not a JSON object"
        );
        assert_eq!(sniff_format(b"{}").expect_err("none").en, "missing field \"format\"");
        assert_eq!(sniff_format(br#"{"format":1}"#).expect_err("int").path, "format");
        assert!(sniff_format(b"{").expect_err("eof").line.is_some());
    }
}
