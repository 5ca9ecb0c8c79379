//! Reviewers' determinations, resolved once the document is read: each
//! names a rule by its id and the entity it was decided for by its JSON
//! path (`projects[0].expenses[2]`; none for a rule of the whole document).
//! A name that matches nothing is an input error with the determination's
//! path, line and column, never a determination silently ignored.

use std::collections::HashMap;

use super::error::InputError;
use super::json::{Document, Json};
use crate::facts::Facts;
use crate::program::{Determinations, Program};
use crate::text::{did_you_mean, kagi, quoted};
use crate::value::Value;

/// How many of a rule's entity paths an error lists.
const PATHS_LISTED: usize = 6;

/// Resolves every determination to (rule, instance), into `facts.determined`.
pub(super) fn resolve(program: &Program, doc: &Document, facts: &mut Facts) -> Vec<InputError> {
    let Some(d) = &program.kind.determinations else {
        return Vec::new();
    };
    let name = &program.schema.entity(program.schema.root).fields[d.field as usize].name;
    let mut errors = Vec::new();
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    for j in 0..facts.count(d.entity) {
        let at_field = |field: &str| locate(doc, name, j, field);
        match resolve_one(program, d, facts, j) {
            Ok((rule, instance)) => {
                if let Some(first) = seen.insert((rule, instance), j) {
                    errors.push(
                        InputError::new(
                            format!("{name}[{j}]"),
                            format!("a second determination of the same rule for the same entity (the first is {name}[{first}]): keep one"),
                            format!("同じルール・同じ箇所の判断が二つあります（一つ目は {name}[{first}]）：一つにしてください"),
                        )
                        .at(at_field("rule_id").map(|o| doc.position(o))),
                    );
                }
                facts.determined.push((rule, instance, j as u32));
            }
            Err((field, en, ja)) => errors.push(
                InputError::new(format!("{name}[{j}].{field}"), en, ja).at(at_field(field).map(|o| doc.position(o))),
            ),
        }
    }
    errors
}

type Problem = (&'static str, String, String);

/// The rule and the instance one determination names.
fn resolve_one(program: &Program, d: &Determinations, facts: &Facts, j: usize) -> Result<(u32, u32), Problem> {
    let text = |field: u32| match facts.field(d.entity, j as u32, field) {
        Value::Text(t) => Some(t.trim().to_string()),
        _ => None,
    };
    let id = text(d.rule).unwrap_or_default();
    let Some(rule) = program.rules.iter().position(|r| *r.id == *id) else {
        let hint = did_you_mean(&id, program.rules.iter().map(|r| &*r.id))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        return Err((
            "rule_id",
            format!("no rule {} in these rules{hint}", quoted(&id)),
            format!(
                "ルール{}はありません（判断するルールの id を、審査結果の確認事項のとおりに書いてください）",
                kagi(&id)
            ),
        ));
    };
    let r = &program.rules[rule];
    let at = text(d.at).filter(|a| !a.is_empty());
    if r.entity == program.schema.root {
        return match at {
            None => Ok((rule as u32, 0)),
            Some(a) => Err((
                "at",
                format!(
                    "rule `{}` is decided for the whole document: leave `at` out (found {})",
                    r.id,
                    quoted(&a)
                ),
                format!(
                    "ルール「{}」は文書全体について判断されます：at は書かないでください",
                    r.id
                ),
            )),
        };
    }
    let paths = &facts.instance_paths[r.entity as usize];
    let wanted: String = at
        .clone()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(i) = paths.iter().position(|p| **p == *wanted) {
        return Ok((rule as u32, i as u32));
    }
    let mut listed: Vec<&str> = paths.iter().take(PATHS_LISTED).map(|p| &**p).collect();
    if paths.len() > PATHS_LISTED {
        listed.push("…");
    }
    let entity = &program.schema.entity(r.entity).name;
    let (en, ja) = match at {
        None => (
            format!("rule `{}` is decided for each {entity}: say which with `at`", r.id),
            format!(
                "ルール「{}」は箇所ごとに判断されます：at でどの箇所かを書いてください",
                r.id
            ),
        ),
        Some(a) => (
            format!("{} is not a {entity} of this document", quoted(&a)),
            format!("{} はこの文書の箇所ではありません", kagi(&a)),
        ),
    };
    Err((
        "at",
        format!("{en} (one of: {})", listed.join(", ")),
        format!("{ja}（例: {}）", listed.join("、")),
    ))
}

/// Where `ROOT.name[j].field` is written.
fn locate(doc: &Document, name: &str, j: usize, field: &str) -> Option<usize> {
    let Json::Object(root, _) = &doc.root else { return None };
    let Json::Array(items, _) = &root.iter().find(|m| m.name == name)?.value else {
        return None;
    };
    let item = items.get(j)?;
    let value = match item {
        Json::Object(members, _) => members.iter().find(|m| m.name == field).map(|m| m.value.start()),
        _ => None,
    };
    value.or(Some(item.start()))
}
