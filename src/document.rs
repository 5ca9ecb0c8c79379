//! A small document model between a decision and its renderings: sections
//! of labelled values, rule lines, listed entities and steps, in both
//! languages. Built from any kind's decision (borrowing its texts, copying
//! almost none), so no renderer walks a kind's decision by hand; the text,
//! HTML and Markdown renderers only lay it out.

use std::collections::HashSet;

use crate::decision::{
    AmendmentEntry, CheckItem, Counterfactual, CounterfactualKind, Datum, Decision, Entry, EntryList, Field,
    ParamEntry, Remark, RuleEntry, RuleText, StepEntry,
};
use crate::text::Text;
use crate::verdict::{RuleStatus, Verdict};

pub(crate) struct Document<'d> {
    pub title: &'d str,
    pub sections: Vec<Section<'d>>,
    /// Show the rule language too (formulas, each rule's quoted clause):
    /// `check --explain`. A reviewer's report has neither.
    pub explain: bool,
    /// What a filed report's title block shows: the outcome's word, the
    /// rules applied, their date and digests (the text report prints them
    /// in its last section, [`Block::Footer`]).
    pub meta: Meta<'d>,
    /// The clauses of the rules the document names without a rule line of
    /// their own (a one-line entity's rule, a checklist line, a warning),
    /// each once, in the kind's order: a filed report quotes every rule it
    /// relies on.
    pub clauses: Vec<&'d RuleText>,
}

/// The decision's own data a title block shows.
pub(crate) struct Meta<'d> {
    pub verdict: Verdict,
    /// The kind's word for the outcome (`eligible`).
    pub outcome: &'d str,
    pub rules_title: &'d str,
    pub rules_version: &'d str,
    /// The date the rules were applied as of: 和暦 / ISO.
    pub rules_as_of: Text,
    /// With `--as-of`: the document's own date (`None` inside when it has
    /// none).
    pub document_as_of: Option<Option<Text>>,
    pub amendments: &'d [AmendmentEntry],
    pub rules_sha256: &'d str,
    pub input_sha256: &'d str,
    pub workbook_sha256: Option<&'d str>,
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
    /// Listed entities: each with what it shows, its rules and those listed
    /// under it.
    List(ListBlock<'d>),
    /// A step of a derivation: `n. label [citation]` / `formula = value`.
    Step {
        n: usize,
        step: &'d StepEntry,
    },
    /// A warning: the rule, its citation, whose it is and what it says.
    Warning(&'d Remark),
    /// A change that would change the decision.
    Counterfactual(&'d Counterfactual),
    /// A missing fact: its path, what it is, and that asked of the
    /// applicant as a question.
    Missing {
        path: &'d str,
        /// The workbook's cell, for a document imported from one.
        cell: Option<&'d str>,
        what: &'d Text,
        question: Text,
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
    /// Where a filed report quotes its clause.
    pub quote: Quote<'d>,
}

/// A rule line's clause: quoted under the first line of the rule in the
/// document, referred back to under the others (a rule decided for every
/// project is quoted once).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Quote<'d> {
    Here(&'d str),
    Above,
    /// The rule quotes no clause.
    None,
}

impl RuleLine<'_> {
    /// A discretionary clause nothing raised is not a machine's pass.
    pub(crate) fn not_raised(&self) -> bool {
        self.rule.discretionary && self.status == RuleStatus::Pass
    }

    /// Its citations: the rule's article, then the others it names.
    pub(crate) fn citations(&self) -> Vec<&str> {
        let e = self.rule;
        let mut cites = vec![&*e.citation];
        cites.extend(e.citations.iter().map(|c| &**c).filter(|c| *c != &*e.citation));
        cites
    }
}

/// The entities of one list (`projects`, `expenses`).
pub(crate) struct ListBlock<'d> {
    pub label: &'d Text,
    pub entities: Vec<EntityBlock<'d>>,
    /// Every entity is one line: the columns of a table of them.
    pub table: Option<Table<'d>>,
}

/// The columns of a list of one-line entities: the title's, then each
/// shown value's (by key, in the order they first appear).
pub(crate) struct Table<'d> {
    pub title: &'d Text,
    pub columns: Vec<&'d Field>,
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
    pub rules: Vec<RuleLine<'d>>,
    pub lists: Vec<ListBlock<'d>>,
}

impl<'d> EntityBlock<'d> {
    /// Its shown value of `key` (a table's cell).
    pub(crate) fn cell(&self, key: &str) -> Option<&'d Field> {
        self.fields.iter().copied().find(|f| &*f.key == key)
    }
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
            blocks: vec![Block::List(list(l))],
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
    let clauses = quote_once(&mut sections, d);
    Document {
        title: &d.kind_title,
        sections,
        explain,
        meta: Meta {
            verdict: d.verdict,
            outcome: &d.outcome,
            rules_title: &d.rules_title,
            rules_version: &d.rules_version,
            rules_as_of: date(&d.rules_as_of),
            document_as_of: d
                .document_as_of
                .as_deref()
                .map(|own| (!own.is_empty()).then(|| date(own))),
            amendments: &d.amendments,
            rules_sha256: &d.rules_sha256,
            input_sha256: &d.input_sha256,
            workbook_sha256: d.workbook_sha256.as_deref(),
        },
        clauses,
    }
}

/// Quotes each rule's clause under its first rule line, in the order the
/// document is read; returns the clauses of the rules named only elsewhere
/// (one-line entities, the checklist, warnings).
fn quote_once<'d>(sections: &mut [Section<'d>], d: &'d Decision) -> Vec<&'d RuleText> {
    fn line<'d>(r: &mut RuleLine<'d>, quoted: &mut HashSet<&'d str>) {
        r.quote = match &r.rule.quote {
            None => Quote::None,
            Some(q) if quoted.insert(&r.rule.id) => Quote::Here(q),
            Some(_) => Quote::Above,
        };
    }
    fn entity<'d>(e: &mut EntityBlock<'d>, quoted: &mut HashSet<&'d str>, named: &mut HashSet<&'d str>) {
        for r in &mut e.rules {
            if e.compact {
                named.insert(&r.rule.id);
            } else {
                line(r, quoted);
            }
        }
        for l in &mut e.lists {
            for x in &mut l.entities {
                entity(x, quoted, named);
            }
        }
    }
    let mut quoted = HashSet::new();
    let mut named = HashSet::new();
    for s in sections.iter_mut() {
        for b in &mut s.blocks {
            match b {
                Block::Rule(r) => line(r, &mut quoted),
                Block::List(l) => {
                    for e in &mut l.entities {
                        entity(e, &mut quoted, &mut named);
                    }
                }
                Block::Check(c) => {
                    named.insert(&c.rule);
                }
                Block::Warning(w) => {
                    named.insert(&w.rule);
                }
                _ => {}
            }
        }
    }
    d.rule_texts
        .iter()
        .filter(|t| named.contains(&*t.id) && !quoted.contains(&*t.id))
        .collect()
}

/// A date of the decision (ISO) as a report shows it: 和暦 in Japanese
/// (`令和7年3月31日`), ISO in English.
pub(crate) fn date(iso: &str) -> Text {
    match crate::model::JpDate::parse(iso) {
        Ok(d) => Text::new(d.to_wareki_ja(), iso),
        Err(_) => Text::same(iso),
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
        quote: Quote::None,
    }
}

fn list(l: &EntryList) -> ListBlock<'_> {
    let entities: Vec<EntityBlock> = l.entries.iter().map(|e| entity(&l.label, e)).collect();
    let table = (!entities.is_empty() && entities.iter().all(|e| e.compact)).then(|| {
        let mut columns: Vec<&Field> = Vec::new();
        for f in entities.iter().flat_map(|e| &e.fields) {
            if !columns.iter().any(|c| c.key == f.key) {
                columns.push(f);
            }
        }
        // The title's column is headed by the label of the value it is.
        let title = l
            .entries
            .iter()
            .find_map(|e| e.fields.iter().find(|f| *f.shown.ja == *e.title))
            .map_or(&*l.label, |f| &*f.label);
        Table { title, columns }
    });
    ListBlock {
        label: &l.label,
        entities,
        table,
    }
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
        rules: e.rules.iter().map(rule_line).collect(),
        lists: e.lists.iter().map(list).collect(),
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
            cell: m.cell.as_deref(),
            what: &m.what,
            question: question(&m.what),
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

/// A missing fact asked of the applicant: `由仁町：定住自立圏の取組を行っているか`
/// → 「由仁町は定住自立圏の取組を行っていますか」; a value that is not a
/// yes/no → 「〇〇の地域連携協定の締結（見込み）日はいつですか」 or
/// 「…をご記入ください」. The label is the field's, declared in the rules; the
/// owner (the entity's title, before `：`) is told apart from it by the
/// English text, which starts with the same owner and `: `.
pub(crate) fn question(what: &Text) -> Text {
    let (owner, ja, en) = owner_of(what);
    // A closing note in parentheses stays a note after the question.
    let (core, note) = match ja.strip_suffix('）').and_then(|s| s.rfind('（').map(|i| (i, s))) {
        Some((i, s)) if i > 0 => (&ja[..i], &s[i..]),
        _ => (ja, ""),
    };
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("{note}）")
    };
    let ja = if let Some(stem) = core.strip_suffix('か') {
        let subject = owner.map(|o| format!("{o}は")).unwrap_or_default();
        format!("{subject}{}か{note}", polite(stem))
    } else {
        let of = owner.map(|o| format!("{o}の")).unwrap_or_default();
        if ["日", "年", "年度"].iter().any(|e| core.ends_with(e)) {
            format!("{of}{core}{note}はいつですか")
        } else {
            format!("{of}{core}{note}をご記入ください")
        }
    };
    let en = match owner {
        Some(o) => format!("For {o}, please state: {en}"),
        None => format!("Please state: {en}"),
    };
    Text::new(ja, en)
}

/// `(owner, label ja, label en)` of a missing fact's description.
fn owner_of(what: &Text) -> (Option<&str>, &str, &str) {
    for (i, _) in what.ja.match_indices('：') {
        let owner = &what.ja[..i];
        if let Some(en) = what.en.strip_prefix(owner).and_then(|r| r.strip_prefix(": ")) {
            return (Some(owner), &what.ja[i + '：'.len_utf8()..], en);
        }
    }
    (None, &what.ja, &what.en)
}

/// The polite form of a label's closing verb or noun (`行っている` →
/// `行っています`, `取り組む` → `取り組みます`, `区域内` → `区域内です`).
fn polite(stem: &str) -> String {
    let mut chars = stem.chars();
    let last = chars.next_back();
    let before = chars.clone().next_back();
    let rest = chars.as_str();
    // 五段: the u-row kana becomes its i-row kana (取り組む → 取り組み).
    let godan = |c: char| {
        "うくぐすつぬぶむる"
            .chars()
            .position(|x| x == c)
            .and_then(|n| "いきぎしちにびみり".chars().nth(n))
    };
    match (before, last) {
        (Some('す'), Some('る')) => format!("{}します", &rest[..rest.len() - 'す'.len_utf8()]),
        // 一段: the vowel before る is i or e (いる, できる, 超える).
        (Some(b), Some('る')) if "いきぎしじちにひびみりえけげせぜてでねへべめれ".contains(b) =>
        {
            format!("{rest}ます")
        }
        (_, Some(c)) => match godan(c) {
            Some(i) => format!("{rest}{i}ます"),
            // A noun (区域内, 都市).
            None => format!("{stem}です"),
        },
        (_, None) => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::question;
    use crate::text::Text;

    fn ask(ja: &str, en: &str) -> (String, String) {
        let q = question(&Text::new(ja, en));
        (q.ja, q.en)
    }

    #[test]
    fn a_missing_fact_is_asked_as_a_question() {
        assert_eq!(
            ask(
                "由仁町：定住自立圏の取組を行っているか",
                "由仁町: whether it already cooperates in a settlement zone (定住自立圏)"
            ),
            (
                "由仁町は定住自立圏の取組を行っていますか".to_string(),
                "For 由仁町, please state: whether it already cooperates in a settlement zone (定住自立圏)".to_string()
            )
        );
        let ja = |w: &str, e: &str| ask(w, e).0;
        assert_eq!(
            ja(
                "乗継情報発信事業：市町村が連携して取り組むか",
                "乗継情報発信事業: whether …"
            ),
            "乗継情報発信事業は市町村が連携して取り組みますか"
        );
        assert_eq!(ja("三大都市圏の区域内か", "whether …"), "三大都市圏の区域内ですか");
        assert_eq!(
            ja("目的の達成及び事業の能率的遂行に支障があるか", "whether …"),
            "目的の達成及び事業の能率的遂行に支障がありますか"
        );
        assert_eq!(ja("計画を変更するか", "whether …"), "計画を変更しますか");
        assert_eq!(ja("上限を超えるか", "whether …"), "上限を超えますか");
        // A closing note stays a note; a value that is not yes/no is asked for.
        assert_eq!(
            ja(
                "事業A：事業の種類（soft / hard）",
                "事業A: kind of project (soft / hard)"
            ),
            "事業Aの事業の種類（soft / hard）をご記入ください"
        );
        assert_eq!(
            ja("地域連携協定の締結（見込み）日", "date …"),
            "地域連携協定の締結（見込み）日はいつですか"
        );
        assert_eq!(
            ja("人口（国勢調査）", "population (census)"),
            "人口（国勢調査）をご記入ください"
        );
        assert_eq!(
            ask("人口（国勢調査）", "population (census)").1,
            "Please state: population (census)"
        );
    }

    #[test]
    fn an_owner_with_a_colon_is_told_apart_by_the_english_text() {
        assert_eq!(
            ask("事業：その１：市町村が連携して取り組むか", "事業：その１: whether …").0,
            "事業：その１は市町村が連携して取り組みますか"
        );
    }
}
