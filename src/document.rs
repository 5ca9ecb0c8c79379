//! A small document model between a decision and its renderings: sections
//! of labelled values, rule lines, listed entities and steps, in both
//! languages. Built from any kind's decision (borrowing its texts, copying
//! none), so no renderer walks a kind's decision by hand; the text renderer
//! (and an HTML one) only lay it out.

use crate::decision::{
    CheckItem, Counterfactual, CounterfactualKind, Datum, Decision, Entry, EntryList, Field, ParamEntry, Remark,
    RuleEntry, StepEntry,
};
use crate::text::Text;
use crate::verdict::RuleStatus;

pub(crate) struct Document<'d> {
    pub title: &'d str,
    pub sections: Vec<Section<'d>>,
    /// Show the rule language too (formulas, each rule's quoted clause):
    /// `check --explain`. A reviewer's report has neither.
    pub explain: bool,
}

pub(crate) struct Section<'d> {
    pub heading: Label<'d>,
    pub blocks: Vec<Block<'d>>,
}

/// A text of the decision, or one of the document's own headings.
#[derive(Clone, Copy)]
pub(crate) enum Label<'d> {
    Of(&'d Text),
    Fixed(&'static str, &'static str),
}

impl<'d> Label<'d> {
    pub(crate) fn ja(&self) -> &'d str {
        match self {
            Label::Of(t) => &t.ja,
            Label::Fixed(ja, _) => ja,
        }
    }

    pub(crate) fn en(&self) -> &'d str {
        match self {
            Label::Of(t) => &t.en,
            Label::Fixed(_, en) => en,
        }
    }
}

pub(crate) enum Block<'d> {
    /// `label： value`, an amount also in 千円 (in Japanese).
    Field {
        label: &'d Text,
        value: &'d Text,
        thousand_yen: Option<rust_decimal::Decimal>,
    },
    /// The outcome in the kind's words, with why.
    Outcome {
        label: &'d Text,
        reason: &'d Text,
    },
    Rule(RuleLine<'d>),
    /// A listed entity with what it shows, its rules and those listed under it.
    Entity(EntityBlock<'d>),
    /// A step of a derivation: `n. label [citation]` / `formula = value`.
    Step {
        n: usize,
        step: &'d StepEntry,
    },
    /// A warning: the rule, its citation, whose it is and what it says.
    Warning(&'d Remark),
    /// A change that would change the decision.
    Counterfactual(&'d Counterfactual),
    /// A missing fact: its path and what it is.
    Missing {
        path: &'d str,
        what: &'d Text,
    },
    /// A parameter applied: its name, value, citation and label.
    Parameter(&'d ParamEntry),
    /// A reviewer's checklist line: where it stands, what, and the text.
    Check(&'d CheckItem),
    /// The rules' version, the date they were applied as of, and the digests.
    Footer {
        decision: &'d Decision,
    },
    /// "none".
    Nothing,
}

pub(crate) struct RuleLine<'d> {
    pub status: RuleStatus,
    pub rule: &'d RuleEntry,
}

pub(crate) struct EntityBlock<'d> {
    pub kind: &'d Text,
    pub entry: &'d Entry,
    /// Its shown values, without the one that is its title (and, on one
    /// line, without yes/no values: the mark says it).
    pub fields: Vec<&'d Field>,
    /// One line (an expense line): no rules of its own beyond one, nothing
    /// listed under it.
    pub compact: bool,
    pub lists: Vec<(&'d Text, Vec<EntityBlock<'d>>)>,
}

/// The document of a decision.
pub(crate) fn of(d: &Decision, explain: bool) -> Document<'_> {
    let mut sections = vec![header(d)];
    if !d.rules.is_empty() {
        sections.push(Section {
            heading: Label::Of(&d.rules_label),
            blocks: d.rules.iter().map(|r| Block::Rule(rule_line(r))).collect(),
        });
    }
    for l in &d.lists {
        sections.push(Section {
            heading: Label::Of(&l.label),
            blocks: entities(l).into_iter().map(Block::Entity).collect(),
        });
    }
    if !d.derivation.is_empty() {
        sections.push(Section {
            heading: Label::Fixed("算定", "How the figures are derived"),
            blocks: d
                .derivation
                .iter()
                .enumerate()
                .map(|(i, step)| Block::Step { n: i + 1, step })
                .collect(),
        });
    }
    if !d.counterfactuals.is_empty() {
        sections.push(counterfactuals(d));
    }
    sections.push(checklist(d));
    if !d.warnings.is_empty() {
        sections.push(Section {
            heading: Label::Fixed("警告", "Warnings"),
            blocks: d.warnings.iter().map(Block::Warning).collect(),
        });
    }
    sections.push(missing(d));
    sections.push(parameters(d));
    Document {
        title: &d.kind_title,
        sections,
        explain,
    }
}

fn header(d: &Decision) -> Section<'_> {
    let mut blocks = vec![Block::Outcome {
        label: &d.outcome_label,
        reason: &d.outcome_reason,
    }];
    blocks.extend(d.fields.iter().filter(|f| !f.withheld).map(|f| Block::Field {
        label: &f.label,
        value: &f.shown,
        thousand_yen: match &f.value {
            Datum::Money(n) if *n >= rust_decimal::Decimal::ONE_THOUSAND => Some(*n),
            _ => None,
        },
    }));
    Section {
        heading: Label::Fixed("審査結果", "Decision"),
        blocks,
    }
}

fn rule_line(r: &RuleEntry) -> RuleLine<'_> {
    RuleLine {
        status: r.status,
        rule: r,
    }
}

fn entities(l: &EntryList) -> Vec<EntityBlock<'_>> {
    l.entries.iter().map(|e| entity(&l.label, e)).collect()
}

fn entity<'d>(kind: &'d Text, e: &'d Entry) -> EntityBlock<'d> {
    let compact = e.lists.is_empty() && e.rules.len() <= 1 && e.derivation.is_empty();
    EntityBlock {
        kind,
        entry: e,
        fields: e
            .fields
            .iter()
            .filter(|f| !f.withheld && *f.shown.ja != *e.title)
            .filter(|f| !(compact && matches!(f.value, Datum::Bool(_))))
            .collect(),
        compact,
        lists: e.lists.iter().map(|l| (&*l.label, entities(l))).collect(),
    }
}

/// What would change the decision: the ways to pass first, then what to
/// supply, what was left out, the amounts, and last how far the passing
/// rules are from failing.
fn counterfactuals(d: &Decision) -> Section<'_> {
    let order = |k: CounterfactualKind| match k {
        CounterfactualKind::ToPass => 0,
        CounterfactualKind::Supply => 1,
        CounterfactualKind::LeftOut => 2,
        CounterfactualKind::Amount => 3,
        CounterfactualKind::Margin => 4,
    };
    let mut items: Vec<&Counterfactual> = d.counterfactuals.iter().collect();
    items.sort_by_key(|c| order(c.kind));
    Section {
        heading: Label::Fixed(
            "結果を変えるには（ルールから求めた変更の候補）",
            "What would change the decision (found from the rules)",
        ),
        blocks: items.into_iter().map(Block::Counterfactual).collect(),
    }
}

fn checklist(d: &Decision) -> Section<'_> {
    let mut blocks: Vec<Block> = d.checklist.iter().map(Block::Check).collect();
    if blocks.is_empty() {
        blocks.push(Block::Nothing);
    }
    Section {
        heading: Label::Fixed(
            "審査担当者の確認事項（裁量条項と要審査の事項。機械は判断しません）",
            "Reviewer's checklist (discretionary clauses and points to review: never decided by the engine)",
        ),
        blocks,
    }
}

fn missing(d: &Decision) -> Section<'_> {
    let mut blocks: Vec<Block> = d
        .missing_details
        .iter()
        .map(|m| Block::Missing {
            path: &m.path,
            what: &m.what,
        })
        .collect();
    if blocks.is_empty() {
        blocks.push(Block::Nothing);
    }
    Section {
        heading: Label::Fixed("不足している情報", "Missing information"),
        blocks,
    }
}

fn parameters(d: &Decision) -> Section<'_> {
    let mut blocks: Vec<Block> = d.parameters.iter().map(Block::Parameter).collect();
    blocks.push(Block::Footer { decision: d });
    Section {
        heading: Label::Fixed("適用したパラメータ", "Parameters applied"),
        blocks,
    }
}
