//! A small document model between a decision and its renderings: sections
//! of labelled values, rule lines, listed entities and steps, in both
//! languages. Built once from any kind's decision, so no renderer walks a
//! kind's decision by hand; the text renderer (and an HTML one) only lay it
//! out.

use crate::decision::{Decision, Entry, EntryList, Field, RuleEntry, StepEntry};
use crate::text::Text;
use crate::verdict::{RuleStatus, Verdict};

pub struct Document {
    pub title: String,
    pub sections: Vec<Section>,
}

pub struct Section {
    pub heading: Text,
    pub blocks: Vec<Block>,
}

pub enum Block {
    /// `label： value`
    Field {
        label: Text,
        value: Text,
    },
    /// The outcome in the kind's words, with why.
    Outcome {
        word: String,
        label: Text,
        verdict: Verdict,
        reason: Text,
    },
    Rule(RuleLine),
    /// A listed entity with what it shows, its rules and those listed under it.
    Entity(EntityBlock),
    /// A step of a derivation: `n. label [citation]` / `formula = value`.
    Step {
        n: usize,
        label: Text,
        citation: Option<String>,
        formula: String,
        shown: Text,
    },
    /// A line of a list (a warning, a missing fact, a parameter).
    Item(Text),
    /// A reviewer's checklist line: status, what, and the text.
    Check {
        status: RuleStatus,
        of: Option<String>,
        rule: String,
        citation: String,
        text: Text,
    },
    /// A line of text.
    Line(Text),
}

pub struct RuleLine {
    pub status: RuleStatus,
    pub id: String,
    pub citations: Vec<String>,
    pub reason: Text,
}

pub struct EntityBlock {
    pub kind: Text,
    pub title: String,
    pub verdict: Verdict,
    pub status_label: Text,
    pub fields: Vec<(Text, Text)>,
    pub reason: Text,
    /// One line (an expense line): no rules of its own beyond one, nothing
    /// listed under it.
    pub compact: bool,
    pub rules: Vec<RuleLine>,
    pub lists: Vec<(Text, Vec<EntityBlock>)>,
    pub steps: Vec<(Text, Text)>,
}

fn t(ja: &str, en: &str) -> Text {
    Text::new(ja, en)
}

/// The document of a decision.
pub fn of(d: &Decision) -> Document {
    let mut sections = vec![header(d)];
    if !d.rules.is_empty() {
        sections.push(Section {
            heading: d.rules_label.clone(),
            blocks: d.rules.iter().map(|r| Block::Rule(rule_line(r))).collect(),
        });
    }
    for l in &d.lists {
        sections.push(Section {
            heading: l.label.clone(),
            blocks: entities(l).into_iter().map(Block::Entity).collect(),
        });
    }
    if !d.derivation.is_empty() {
        sections.push(Section {
            heading: t("算定", "How the figures are derived"),
            blocks: steps(&d.derivation),
        });
    }
    sections.push(checklist(d));
    if !d.warnings.is_empty() {
        sections.push(Section {
            heading: t("警告", "Warnings"),
            blocks: d
                .warnings
                .iter()
                .map(|w| {
                    let of = w.of.as_deref().map(|o| format!("{o} ")).unwrap_or_default();
                    Block::Item(Text::new(
                        format!("{of}{} ({}) {}", w.rule, w.citation, w.text.ja),
                        format!("{of}{} ({}) {}", w.rule, w.citation, w.text.en),
                    ))
                })
                .collect(),
        });
    }
    sections.push(missing(d));
    sections.push(parameters(d));
    Document {
        title: d.kind_title.clone(),
        sections,
    }
}

fn header(d: &Decision) -> Section {
    let mut blocks = vec![Block::Outcome {
        word: d.outcome.clone(),
        label: d.outcome_label.clone(),
        verdict: d.verdict,
        reason: d.outcome_reason.clone(),
    }];
    blocks.extend(d.fields.iter().map(field));
    Section {
        heading: t("審査結果", "Decision"),
        blocks,
    }
}

fn field(f: &Field) -> Block {
    Block::Field {
        label: f.label.clone(),
        value: f.shown.clone(),
    }
}

fn rule_line(r: &RuleEntry) -> RuleLine {
    let mut citations = vec![r.citation.clone()];
    for c in &r.citations {
        if !citations.contains(c) {
            citations.push(c.clone());
        }
    }
    RuleLine {
        status: r.status,
        id: r.id.clone(),
        citations,
        reason: r.reason.clone(),
    }
}

fn entities(l: &EntryList) -> Vec<EntityBlock> {
    l.entries.iter().map(|e| entity(&l.label, e)).collect()
}

fn entity(kind: &Text, e: &Entry) -> EntityBlock {
    let compact = e.lists.is_empty() && e.rules.len() <= 1 && e.derivation.is_empty();
    EntityBlock {
        kind: kind.clone(),
        title: e.title.clone(),
        verdict: e.verdict,
        status_label: e.status_label.clone(),
        // The title is the heading; in a one-line entity the mark already
        // says yes or no.
        fields: e
            .fields
            .iter()
            .filter(|f| f.shown.ja != e.title)
            .filter(|f| !(compact && matches!(f.value, crate::decision::Datum::Bool(_))))
            .map(|f| (f.label.clone(), f.shown.clone()))
            .collect(),
        reason: e.reason.clone(),
        compact,
        rules: e.rules.iter().map(rule_line).collect(),
        lists: e.lists.iter().map(|l| (l.label.clone(), entities(l))).collect(),
        steps: e
            .derivation
            .iter()
            .map(|s| (s.label.clone(), s.shown.clone()))
            .collect(),
    }
}

fn steps(list: &[StepEntry]) -> Vec<Block> {
    list.iter()
        .enumerate()
        .map(|(i, s)| Block::Step {
            n: i + 1,
            label: s.label.clone(),
            citation: s.citation.clone(),
            formula: s.formula.clone(),
            shown: s.shown.clone(),
        })
        .collect()
}

fn checklist(d: &Decision) -> Section {
    let mut blocks: Vec<Block> = d
        .checklist
        .iter()
        .map(|c| Block::Check {
            status: c.status,
            of: c.of.clone(),
            rule: c.rule.clone(),
            citation: c.citation.clone(),
            text: c.text.clone(),
        })
        .collect();
    if blocks.is_empty() {
        blocks.push(Block::Line(t("なし", "none")));
    }
    Section {
        heading: t(
            "審査担当者の確認事項（裁量条項。機械は判断しません）",
            "Reviewer's checklist (discretionary clauses: never decided by the engine)",
        ),
        blocks,
    }
}

fn missing(d: &Decision) -> Section {
    let mut blocks: Vec<Block> = d
        .missing_details
        .iter()
        .map(|m| {
            Block::Item(Text::new(
                format!("{} — {}", m.path, m.what.ja),
                format!("{} — {}", m.path, m.what.en),
            ))
        })
        .collect();
    if blocks.is_empty() {
        blocks.push(Block::Line(t("なし", "none")));
    }
    Section {
        heading: t("不足している情報", "Missing information"),
        blocks,
    }
}

fn parameters(d: &Decision) -> Section {
    let mut blocks: Vec<Block> = d
        .parameters
        .iter()
        .map(|p| {
            let cite = p.citation.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            Block::Item(Text::new(
                format!("{} = {}{cite} — {}", p.name, p.value.ja, p.label.ja),
                format!("{} = {}{cite} — {}", p.name, p.value.en, p.label.en),
            ))
        })
        .collect();
    blocks.push(Block::Line(Text::new(
        format!("ルール版： {} / 基準日 {}", d.rules_version, d.rules_as_of),
        format!("Rules version: {} / as of {}", d.rules_version, d.rules_as_of),
    )));
    blocks.push(Block::Line(Text::same(format!("rules_sha256 {}", d.rules_sha256))));
    blocks.push(Block::Line(Text::same(format!("input_sha256 {}", d.input_sha256))));
    Section {
        heading: t("適用したパラメータ", "Parameters applied"),
        blocks,
    }
}
