//! The decision on an application (APPLICATION-FORMAT.md, "The decision"):
//! typed, serialisable data built from an [`Evaluation`]. The outcome's
//! precedence is the format's: a failed region rule (or every project
//! rejected) makes it ineligible; otherwise anything unknown makes it
//! incomplete; otherwise anything left to a reviewer makes it needs_review.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::eval::{EvalError, Evaluation, RuleResult, RuleStatus};
use crate::explain::{Shown, Text, yen};
use crate::program::{Let, OUT_ELIGIBLE_EXPENSES, OUT_GRANT_AMOUNT, OUT_PROJECT_ELIGIBLE_EXPENSES, Rule, Ty};
use crate::schema::{self, APPLICATION, EXPENSE, PROJECT, STATUS_ADOPTED, STATUS_REJECTED};
use crate::syntax::ast::Outcome as ClauseKind;
use crate::value::{Missing, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    Ineligible,
    NeedsReview,
    Incomplete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Adopted,
    Rejected,
    Review,
    Unknown,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Decision {
    /// `grant-decision/v1`
    pub format: &'static str,
    pub outcome: Outcome,
    /// Why the outcome is what it is, in one sentence.
    pub outcome_reason: Text,
    /// Yen; for `needs_review` provisional (as if the reviewer accepts); null otherwise.
    pub grant_amount: Option<i64>,
    /// Yen, before cap and rounding; null when it cannot be computed.
    pub eligible_expenses: Option<i64>,
    pub application: Summary,
    pub rules: Vec<RuleEntry>,
    pub projects: Vec<ProjectEntry>,
    /// The steps of the amount (実施要綱 第6, 第9 3).
    pub derivation: Vec<StepEntry>,
    /// Input paths whose absence left a rule unknown.
    pub missing: Vec<String>,
    /// The same, described for the person who has to provide them.
    pub missing_details: Vec<MissingEntry>,
    pub warnings: Vec<Remark>,
    /// Discretionary clauses for the reviewer, whatever their status.
    pub checklist: Vec<Remark>,
    pub parameters: Vec<ParamEntry>,
    pub rules_title: String,
    pub rules_version: String,
    /// The parameters and rules in force on this date were used.
    pub rules_as_of: String,
    pub rules_sha256: String,
    pub input_sha256: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub region: String,
    pub representative: String,
    pub fiscal_year: i32,
    pub fiscal_year_label: Text,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RuleEntry {
    pub id: String,
    pub status: RuleStatus,
    /// The article the rule encodes (`実施要綱 第2 2`).
    pub citation: String,
    /// Further articles: the rule's `also`, and the deciding clause's own.
    pub citations: Vec<String>,
    pub reason: Text,
    pub summary: Text,
    pub discretionary: bool,
    pub missing: Vec<String>,
    /// Missing facts the rule met that did not change its result.
    pub missing_not_needed: Vec<String>,
    /// The values the reason shows, as typed data.
    pub values: Vec<Shown>,
    /// Where the rule is written (`rules/30-applicant.rules:52:1`).
    pub rule_source: String,
    /// Where the clause that decided it is written, if one did.
    pub clause_source: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ProjectEntry {
    pub name: String,
    pub status: ProjectStatus,
    /// Yen: the project's eligible expense lines.
    pub eligible_expenses: Option<i64>,
    /// Whether the project's expenses count toward the amount (it is not rejected).
    pub counted: bool,
    pub rules: Vec<RuleEntry>,
    pub expenses: Vec<ExpenseEntry>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ExpenseEntry {
    pub item: String,
    pub category: String,
    pub amount: i64,
    /// null when it cannot be decided.
    pub eligible: Option<bool>,
    pub citation: String,
    pub reason: Text,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct StepEntry {
    pub name: String,
    pub label: Text,
    /// The formula in the rules.
    pub formula: String,
    pub value: Option<i64>,
    pub shown: Text,
    pub citation: Option<String>,
    /// The project the step belongs to, if any.
    pub project: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Remark {
    pub rule: String,
    pub citation: String,
    pub project: Option<String>,
    pub status: RuleStatus,
    pub text: Text,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MissingEntry {
    pub path: String,
    pub what: Text,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ParamEntry {
    pub name: String,
    pub label: Text,
    pub value: Text,
    pub citation: Option<String>,
}

/// Builds the decision. Fails only when the rules produce an amount that is
/// not a whole number of yen (a fault in the rules).
pub fn decide(ev: &Evaluation, input_sha256: String) -> Result<Decision, EvalError> {
    let p = ev.program;
    let top: Vec<(&Rule, &RuleResult)> = rules_of(ev, APPLICATION, 0);
    let projects: Vec<ProjectEntry> = (0..ev.facts.count(PROJECT) as u32)
        .map(|i| project_entry(ev, i))
        .collect::<Result<_, _>>()?;
    let mut missing = Missing::default();
    for (_, r) in &top {
        missing.extend(&r.missing);
    }
    for i in 0..ev.facts.count(PROJECT) as u32 {
        if project_status(ev, i) != ProjectStatus::Rejected {
            for (_, r) in rules_of(ev, PROJECT, i) {
                missing.extend(&r.missing);
            }
            for x in expenses_of(ev, i) {
                for (_, r) in rules_of(ev, EXPENSE, x) {
                    missing.extend(&r.missing);
                }
            }
        }
    }
    let grant = output_yen(ev, OUT_GRANT_AMOUNT)?;
    let region_fail = top.iter().find(|(_, r)| r.status == RuleStatus::Fail);
    let all_rejected = !projects.is_empty() && projects.iter().all(|x| x.status == ProjectStatus::Rejected);
    let any = |s: ProjectStatus| projects.iter().any(|x| x.status == s);
    let (outcome, outcome_reason) = if all_rejected {
        (
            Outcome::Ineligible,
            Text::new(
                "全ての事業が交付対象事業に当たりません（不採択）",
                "Every project is rejected",
            ),
        )
    } else if let Some((rule, _)) = region_fail {
        (
            Outcome::Ineligible,
            Text::new(
                format!("{}（{}）を満たしていません", rule.id, p.citation_text(&rule.cite)),
                format!("{} ({}) is not met", rule.id, p.citation_text(&rule.cite)),
            ),
        )
    } else if !missing.is_empty()
        || top.iter().any(|(_, r)| r.status == RuleStatus::Unknown)
        || any(ProjectStatus::Unknown)
        || grant.is_none()
    {
        (
            Outcome::Incomplete,
            Text::new(
                "判断に必要な情報が不足しています",
                "Information needed for the decision is missing",
            ),
        )
    } else if top.iter().any(|(_, r)| r.status == RuleStatus::Review) || any(ProjectStatus::Review) {
        (
            Outcome::NeedsReview,
            Text::new(
                "審査担当者の判断が必要な事項があります（交付額は審査担当者が認めた場合の見込み額です）",
                "A reviewer must decide some points (the amount is provisional, as if the reviewer accepts)",
            ),
        )
    } else {
        (
            Outcome::Eligible,
            Text::new("全ての要件を満たしています", "Every requirement is met"),
        )
    };
    let grant_amount = match outcome {
        Outcome::Eligible | Outcome::NeedsReview => grant,
        _ => None,
    };
    let region = ev.facts.field(schema::REGION, 0, schema::REGION_NAME);
    let representative = ev.facts.field(schema::REGION, 0, schema::REGION_REPRESENTATIVE);
    let fy = match ev.facts.field(APPLICATION, 0, schema::APPLICATION_FISCAL_YEAR) {
        Value::FiscalYear(y) => *y,
        _ => 0,
    };
    Ok(Decision {
        format: "grant-decision/v1",
        outcome,
        outcome_reason,
        grant_amount,
        eligible_expenses: output_yen(ev, OUT_ELIGIBLE_EXPENSES)?,
        application: Summary {
            region: ev.show_text(region, &Ty::Text).ja,
            representative: ev.show_text(representative, &Ty::Municipality).ja,
            fiscal_year: fy,
            fiscal_year_label: ev.show_text(&Value::FiscalYear(fy), &Ty::FiscalYear),
        },
        rules: top.iter().map(|(r, res)| rule_entry(ev, r, res)).collect(),
        projects,
        derivation: derivation(ev),
        missing: ev.paths(&missing),
        missing_details: missing.0.iter().map(|p| missing_entry(ev, *p)).collect(),
        warnings: remarks(ev, ClauseKind::Warn),
        checklist: checklist(ev),
        parameters: parameters(ev),
        rules_title: p.title.clone(),
        rules_version: p.version.clone(),
        rules_as_of: ev.as_of.to_string(),
        rules_sha256: p.sha256.clone(),
        input_sha256,
    })
}

/// The rules of one entity, with their results, in declaration order.
fn rules_of<'e>(ev: &'e Evaluation, entity: u8, index: u32) -> Vec<(&'e Rule, &'e RuleResult)> {
    ev.program.entities[entity as usize]
        .rules
        .iter()
        .map(|r| (&ev.program.rules[*r as usize], &ev.results[*r as usize][index as usize]))
        .collect()
}

fn rule_entry(ev: &Evaluation, r: &Rule, res: &RuleResult) -> RuleEntry {
    let p = ev.program;
    let mut citations: Vec<String> = r.also.iter().map(|c| p.citation_text(c)).collect();
    if let Some(c) = res.clause.and_then(|i| r.clauses[i as usize].cite.as_ref()) {
        citations.insert(0, p.citation_text(c));
    }
    RuleEntry {
        id: r.id.clone(),
        status: res.status,
        citation: p.citation_text(&r.cite),
        citations,
        reason: reason(ev, r, res),
        summary: r
            .summary
            .as_ref()
            .map(|s| ev.render(s, &res.summary_args))
            .unwrap_or_default(),
        discretionary: r.discretionary,
        missing: ev.paths(&res.missing),
        missing_not_needed: ev.paths(&res.unneeded),
        values: shown_values(ev, r, res),
        rule_source: r.location.clone(),
        clause_source: res.clause.map(|c| r.clauses[c as usize].location.clone()),
    }
}

/// The typed values of the message that gave the rule's reason.
fn shown_values(ev: &Evaluation, r: &Rule, res: &RuleResult) -> Vec<Shown> {
    match (res.status, res.clause) {
        (RuleStatus::NotApplicable, _) if !res.not_in_force => r
            .applies
            .as_ref()
            .map(|(_, m)| ev.shown(m, &res.args))
            .unwrap_or_default(),
        (_, Some(c)) => ev.shown(&r.clauses[c as usize].message, &res.args),
        _ => Vec::new(),
    }
}

/// The reason shown for a rule: exceptions that applied, the deciding
/// message, notes, and which missing facts did not matter.
fn reason(ev: &Evaluation, r: &Rule, res: &RuleResult) -> Text {
    if res.not_in_force {
        return Text::new(
            format!("{} 時点では施行されていません", ev.as_of),
            format!("Not in force on {}", ev.as_of),
        );
    }
    let mut parts: Vec<Text> = Vec::new();
    match (res.status, res.clause) {
        (RuleStatus::NotApplicable, _) => {
            if let Some((_, msg)) = &r.applies {
                parts.push(ev.render(msg, &res.args));
            }
        }
        (RuleStatus::Unknown, _) => {
            let paths = ev.paths(&res.missing).join(", ");
            parts.push(Text::new(
                format!("判断に必要な情報がありません：{paths}"),
                format!("Cannot be decided: missing {paths}"),
            ));
        }
        (_, Some(c)) => {
            for (i, args) in &res.exceptions {
                if let Some((_, Some(m))) = &r.clauses[*i as usize].unless {
                    parts.push(ev.render(m, args));
                }
            }
            if res.exceptions.is_empty() || res.status != RuleStatus::Pass {
                parts.push(ev.render(&r.clauses[c as usize].message, &res.args));
            }
        }
        _ => {}
    }
    for (i, args) in &res.remarks {
        if r.clauses[*i as usize].outcome == ClauseKind::Note {
            parts.push(ev.render(&r.clauses[*i as usize].message, args));
        }
    }
    if !res.unneeded.is_empty() && res.status != RuleStatus::Unknown {
        let paths = ev.paths(&res.unneeded).join(", ");
        parts.push(Text::new(
            format!("（{paths} は不明ですが、結果は変わりません）"),
            format!("({paths} is not given, but it cannot change the result)"),
        ));
    }
    Text::join(&parts)
}

fn project_status(ev: &Evaluation, i: u32) -> ProjectStatus {
    let slot = ev.program.entities[PROJECT as usize].status_slot;
    match slot.map(|s| &ev.computed[PROJECT as usize][i as usize][s as usize]) {
        Some(Value::Enum(STATUS_ADOPTED)) | None => ProjectStatus::Adopted,
        Some(Value::Enum(STATUS_REJECTED)) => ProjectStatus::Rejected,
        Some(Value::Enum(_)) => ProjectStatus::Review,
        Some(_) => ProjectStatus::Unknown,
    }
}

fn project_entry(ev: &Evaluation, i: u32) -> Result<ProjectEntry, EvalError> {
    let status = project_status(ev, i);
    let l = &ev.program.lets[ev.program.outputs[OUT_PROJECT_ELIGIBLE_EXPENSES] as usize];
    let eligible = whole_yen(l, &ev.computed[PROJECT as usize][i as usize][l.slot as usize])?;
    let name = ev
        .show_text(ev.facts.field(PROJECT, i, schema::PROJECT_NAME), &Ty::Text)
        .ja;
    let expenses = expenses_of(ev, i).map(|x| expense_entry(ev, x)).collect();
    Ok(ProjectEntry {
        name,
        status,
        eligible_expenses: eligible,
        counted: status != ProjectStatus::Rejected,
        rules: rules_of(ev, PROJECT, i)
            .iter()
            .map(|(r, res)| rule_entry(ev, r, res))
            .collect(),
        expenses,
    })
}

/// The expense lines (entity indices) of project `i`.
fn expenses_of<'e>(ev: &'e Evaluation, i: u32) -> impl Iterator<Item = u32> + 'e {
    let items = match ev.facts.field(PROJECT, i, schema::PROJECT_EXPENSES) {
        Value::List(items) => &items[..],
        _ => &[],
    };
    items.iter().filter_map(|e| match e.value {
        Value::Entity(x) => Some(x),
        _ => None,
    })
}

fn expense_entry(ev: &Evaluation, x: u32) -> ExpenseEntry {
    let rules = rules_of(ev, EXPENSE, x);
    // The deciding rule: the first that fails, else the first unknown, else the last.
    let decisive = rules
        .iter()
        .find(|(_, r)| r.status == RuleStatus::Fail)
        .or_else(|| rules.iter().find(|(_, r)| r.status == RuleStatus::Unknown))
        .or(rules.last());
    let eligible = match decisive.map(|(_, r)| r.status) {
        Some(RuleStatus::Fail) => Some(false),
        Some(RuleStatus::Unknown) => None,
        _ => Some(true),
    };
    let category_ty = Ty::Enum(ev.program.vocab[crate::program::EXPENSE_CATEGORY]);
    let category = ev.facts.field(EXPENSE, x, schema::EXPENSE_CATEGORY);
    let amount = match ev.facts.field(EXPENSE, x, schema::EXPENSE_AMOUNT) {
        Value::Num(n) => n.to_i64().unwrap_or(0),
        _ => 0,
    };
    let (citation, reason) = match decisive {
        Some((r, res)) => {
            let entry = rule_entry(ev, r, res);
            (entry.citations.first().cloned().unwrap_or(entry.citation), entry.reason)
        }
        None => (String::new(), Text::default()),
    };
    ExpenseEntry {
        item: ev
            .show_text(ev.facts.field(EXPENSE, x, schema::EXPENSE_ITEM), &Ty::Text)
            .ja,
        category: match category {
            Value::Enum(v) => ev.program.enums[ev.program.vocab[crate::program::EXPENSE_CATEGORY] as usize].variants
                [*v as usize]
                .code
                .clone(),
            other => ev.show_text(other, &category_ty).en,
        },
        amount,
        eligible,
        citation,
        reason,
    }
}

/// An output of the application scope as whole yen; `None` when unknown.
fn output_yen(ev: &Evaluation, which: usize) -> Result<Option<i64>, EvalError> {
    let l = &ev.program.lets[ev.program.outputs[which] as usize];
    whole_yen(l, &ev.computed[APPLICATION as usize][0][l.slot as usize])
}

fn whole_yen(l: &Let, v: &Value) -> Result<Option<i64>, EvalError> {
    match v {
        Value::Num(n) if n.fract().is_zero() => Ok(n.to_i64()),
        Value::Num(n) => Err(EvalError {
            span: l.span,
            message: format!(
                "`{}` is {n} yen, not a whole number of yen: round it explicitly (floor(x, 1円))",
                l.name
            ),
        }),
        _ => Ok(None),
    }
}

fn derivation(ev: &Evaluation) -> Vec<StepEntry> {
    let p = ev.program;
    let mut out = Vec::new();
    for entity in [PROJECT, APPLICATION] {
        for i in 0..ev.facts.count(entity) {
            for let_id in &p.entities[entity as usize].lets {
                let l = &p.lets[*let_id as usize];
                let Some((label, cite)) = &l.explain else { continue };
                let value = &ev.computed[entity as usize][i][l.slot as usize];
                out.push(StepEntry {
                    name: l.name.clone(),
                    label: ev.render(label, &ev.explains[*let_id as usize][i]),
                    formula: p
                        .sources
                        .snippet(l.expr_span)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    value: match value {
                        Value::Num(n) if l.ty == Ty::Money => n.to_i64(),
                        _ => None,
                    },
                    shown: ev.show_text(value, &l.ty),
                    citation: cite.as_ref().map(|c| p.citation_text(c)),
                    project: (entity == PROJECT).then(|| {
                        ev.show_text(ev.facts.field(PROJECT, i as u32, schema::PROJECT_NAME), &Ty::Text)
                            .ja
                    }),
                });
            }
        }
    }
    out
}

/// Remarks of one kind from every rule (top level, then projects in order).
fn remarks(ev: &Evaluation, kind: ClauseKind) -> Vec<Remark> {
    let mut out = Vec::new();
    for (entity, index, project) in scopes(ev) {
        for (r, res) in rules_of(ev, entity, index) {
            for (c, args) in &res.remarks {
                if r.clauses[*c as usize].outcome == kind {
                    out.push(Remark {
                        rule: r.id.clone(),
                        citation: ev.program.citation_text(&r.cite),
                        project: project.clone(),
                        status: res.status,
                        text: ev.render(&r.clauses[*c as usize].message, args),
                    });
                }
            }
        }
    }
    out
}

/// The application, then each project.
fn scopes(ev: &Evaluation) -> Vec<(u8, u32, Option<String>)> {
    let mut out = vec![(APPLICATION, 0, None)];
    for i in 0..ev.facts.count(PROJECT) as u32 {
        out.push((
            PROJECT,
            i,
            Some(
                ev.show_text(ev.facts.field(PROJECT, i, schema::PROJECT_NAME), &Ty::Text)
                    .ja,
            ),
        ));
    }
    out
}

fn checklist(ev: &Evaluation) -> Vec<Remark> {
    let mut out = Vec::new();
    for (entity, index, project) in scopes(ev) {
        for (r, res) in rules_of(ev, entity, index) {
            if r.discretionary {
                out.push(Remark {
                    rule: r.id.clone(),
                    citation: ev.program.citation_text(&r.cite),
                    project: project.clone(),
                    status: res.status,
                    text: reason(ev, r, res),
                });
            }
        }
    }
    out
}

/// "夕張市（region.members[1]）：定住自立圏の取組を行っているか".
fn missing_entry(ev: &Evaluation, id: crate::value::PathId) -> MissingEntry {
    let path = ev.facts.path(id).to_string();
    let field = path.rsplit('.').next().unwrap_or_default();
    let (ja, en) = schema::field_label(field);
    let (ja, en) = if ja.is_empty() { (field, field) } else { (ja, en) };
    let owner = &ev.facts.owners[id as usize];
    let what = if owner.is_empty() {
        Text::new(ja, en)
    } else {
        Text::new(format!("{owner}：{ja}"), format!("{owner}: {en}"))
    };
    MissingEntry { path, what }
}

fn parameters(ev: &Evaluation) -> Vec<ParamEntry> {
    ev.program
        .params
        .iter()
        .zip(&ev.params)
        .zip(&ev.program.params_used)
        .filter(|(_, used)| **used)
        .map(|((p, v), _)| ParamEntry {
            name: p.name.clone(),
            label: p.label.as_ref().map(|l| ev.render(l, &[])).unwrap_or_default(),
            value: match (v, &p.ty) {
                (Value::Num(n), Ty::Money) => yen(*n),
                _ => ev.show_text(v, &p.ty),
            },
            citation: p.cite.as_ref().map(|c| ev.program.citation_text(c)),
        })
        .collect()
}

/// Whole yen of a decimal, for callers that show amounts.
pub fn to_yen(n: Decimal) -> Option<i64> {
    if n.fract().is_zero() { n.to_i64() } else { None }
}
