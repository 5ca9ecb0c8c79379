//! The decision on a document of any kind: typed, serialisable data that
//! every renderer (text, JSON, later HTML) shares. Its fixed part (outcome,
//! rules, missing facts, checklist, parameters, digests) is the same for
//! every kind; what a kind shows (a grant amount, a change ratio, a report
//! deadline) and the entities it lists (projects, assets, bonds) come from
//! its `show` and `entry` declarations, as typed [`Datum`]s.

mod assemble;
mod counterfactuals;
mod datum;

pub use assemble::decide;
pub use counterfactuals::{Change, Counterfactual, CounterfactualKind};
pub use datum::Datum;

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::explain::Shown;
use crate::text::Text;
use crate::verdict::{RuleStatus, Verdict};

/// The format of a decision document.
pub const DECISION_FORMAT: &str = "grant-rules-decision/v1";

#[derive(Clone, Debug)]
pub struct Decision {
    /// The kind decided (`grant-change/v1`).
    pub kind: String,
    pub kind_title: String,
    /// The kind's word for the verdict (`eligible`, `approval_required` …).
    pub outcome: String,
    pub verdict: Verdict,
    pub outcome_label: Text,
    /// Why the outcome is what it is, in one sentence.
    pub outcome_reason: Text,
    /// What the kind shows at the top level (`grant_amount`, `total` …).
    pub fields: Vec<Field>,
    /// The heading of the top-level rules.
    pub rules_label: Text,
    pub rules: Vec<RuleEntry>,
    /// The entities listed at the top level (`projects`, `bonds` …).
    pub lists: Vec<EntryList>,
    /// The steps of the top-level amounts, each with its formula.
    pub derivation: Vec<StepEntry>,
    /// Input paths whose absence left a rule unknown.
    pub missing: Vec<String>,
    /// The same, described for the person who has to provide them.
    pub missing_details: Vec<MissingEntry>,
    pub warnings: Vec<Remark>,
    /// Discretionary clauses for the reviewer, whatever their status.
    pub checklist: Vec<CheckItem>,
    pub parameters: Vec<ParamEntry>,
    /// The version of each guideline the rules cite, as applied.
    pub amendments: Vec<AmendmentEntry>,
    /// Every rule of the kind with the clause it quotes.
    pub rule_texts: Vec<RuleText>,
    /// For a decision that is not a plain pass: what would change it.
    pub counterfactuals: Vec<Counterfactual>,
    pub rules_title: String,
    pub rules_version: String,
    /// The parameters and rules in force on this date were used.
    pub rules_as_of: String,
    /// With `--as-of`: the document's own date, which was not used (empty
    /// when the document gives none).
    pub document_as_of: Option<String>,
    pub rules_sha256: String,
    pub input_sha256: String,
    /// For a document imported from a workbook: the SHA-256 of the file as
    /// submitted (`input_sha256` is of the document it was read into).
    pub workbook_sha256: Option<String>,
}

/// A shown value: its key, label, typed value and display text.
#[derive(Clone, Debug)]
pub struct Field {
    pub key: Arc<str>,
    pub label: Arc<Text>,
    pub value: Datum,
    pub shown: Text,
    /// Its `when` does not hold: the decision JSON keeps the key (as null,
    /// the contract's shape), a report leaves the line out.
    pub withheld: bool,
}

/// The listed entities of one key (`projects`), in document order.
#[derive(Clone, Debug)]
pub struct EntryList {
    pub key: Arc<str>,
    pub label: Arc<Text>,
    pub entries: Vec<Entry>,
}

/// One listed entity: what the kind shows of it, its verdict in the kind's
/// words, its rules, and the entities listed under it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its title (a project's name), or its JSON path when it has none.
    pub title: Arc<str>,
    /// Its JSON path in the input (`projects[1]`).
    pub path: Arc<str>,
    pub status: Arc<str>,
    pub status_label: Arc<Text>,
    pub verdict: Verdict,
    pub fields: Vec<Field>,
    /// Why its verdict is what it is.
    pub because: Because,
    pub rules: Vec<RuleEntry>,
    pub lists: Vec<EntryList>,
    pub derivation: Vec<StepEntry>,
    /// Where it was written in the workbook the document was imported
    /// from (`経費!A4:G4`), for such a document.
    pub cell: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RuleEntry {
    pub id: Arc<str>,
    /// A short name for reports (the id when the rule gives none).
    pub title: Arc<Text>,
    pub status: RuleStatus,
    /// The article the rule encodes (`実施要綱 第2 2`).
    pub citation: Arc<str>,
    /// Further articles: the rule's `also`, and the deciding clauses' own.
    pub citations: Vec<Arc<str>>,
    pub reason: Text,
    pub summary: Text,
    pub discretionary: bool,
    pub missing: Vec<String>,
    /// Missing facts the rule met that did not change its result.
    pub missing_not_needed: Vec<String>,
    /// The values the reason shows, as typed data.
    pub values: Vec<Shown>,
    /// Where the rule is written (`rules/application/30-applicant.rules:52:1`).
    pub rule_source: Arc<str>,
    /// Where the clause that decided it is written, if one did.
    pub clause_source: Option<Arc<str>>,
    /// The reviewer's determination that closed its `review`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub determination: Option<DeterminationEntry>,
    /// The clause the rule quotes (once per rule in the decision's
    /// `rule_texts`; here for the report).
    #[serde(skip)]
    #[schemars(skip)]
    pub quote: Option<Arc<str>>,
}

/// A rule of the decision with the clause it quotes.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RuleText {
    pub id: Arc<str>,
    pub title: Arc<Text>,
    pub citation: Arc<str>,
    pub text: Arc<str>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StepEntry {
    pub name: String,
    pub label: Text,
    /// The formula in the rules.
    pub formula: Arc<str>,
    /// The value as JSON (yen as an integer, a ratio as a decimal string).
    pub value: serde_json::Value,
    pub shown: Text,
    pub citation: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Remark {
    pub rule: Arc<str>,
    /// The rule's short name (its id when it has none).
    pub title: Arc<Text>,
    pub citation: Arc<str>,
    /// The entity the rule was decided for (`事業「…」`), if not the document.
    pub of: Option<String>,
    pub status: RuleStatus,
    pub text: Text,
}

/// A line of the reviewer's checklist: a discretionary clause, or a rule
/// the engine left for a reviewer (`review`), and whether a reviewer has
/// closed it by a determination recorded in the document.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CheckItem {
    pub rule: Arc<str>,
    /// The rule's short name (its id when it has none).
    pub title: Arc<Text>,
    pub citation: Arc<str>,
    /// The entity the rule was decided for (`事業「…」`), if not the document.
    pub of: Option<String>,
    /// Its path, as a determination names it (`at`); none for the document.
    pub at: Option<Arc<str>>,
    pub state: CheckState,
    pub status: RuleStatus,
    pub text: Text,
    pub determination: Option<DeterminationEntry>,
    /// For an open line of a kind whose documents record determinations:
    /// the entry to add to the document to close it (JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// For an open line of a document imported from a workbook: the row to
    /// add to its 審査記録 sheet instead (its 対象 the row of the entity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_row: Option<Text>,
}

/// Where a checklist line stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// For a reviewer to decide: the decision is `needs_review` until they do.
    Open,
    /// A reviewer accepted what was claimed or raised.
    Accepted,
    /// A reviewer rejected it.
    Rejected,
    /// A discretionary clause nothing raised: the reviewer may still use it.
    NotRaised,
}

/// A reviewer's determination as the decision applied it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct DeterminationEntry {
    /// Where it is written in the document (`determinations[0]`).
    pub path: String,
    /// `accept` or `reject`.
    pub decision: String,
    pub by: String,
    /// ISO date.
    pub on: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct MissingEntry {
    pub path: String,
    pub what: Text,
    /// Where to write it in the workbook the document was imported from
    /// (`地域!B23`, or the row `経費!A5:G5` when the cell was left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ParamEntry {
    pub name: Arc<str>,
    pub label: Arc<Text>,
    pub value: Text,
    pub citation: Option<Arc<str>>,
    /// The first day of the version applied (none: in force whatever the date).
    pub since: Option<String>,
    /// The notice that set the version applied.
    pub set_by: Option<Arc<str>>,
}

/// A guideline the kind's rules cite, as in force on the decision's date:
/// which amendment was applied.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AmendmentEntry {
    pub source: String,
    pub title: String,
    /// The date of the version applied (its last amendment on or before the
    /// decision's date, or its entry into force); none when not yet in force.
    pub version: Option<String>,
    pub label: Text,
}

impl Decision {
    /// A document imported from a workbook, told where things are in it:
    /// each missing fact's cell (`place` of its JSON path), the facts to
    /// supply said at their cells, and each open checklist line's row to
    /// add to the reviewer's sheet (`record_row` of its rule and the row of
    /// its entity).
    pub fn locate(&mut self, place: &dyn Fn(&str) -> Option<String>, record_row: &dyn Fn(&str, &str) -> Text) {
        for m in &mut self.missing_details {
            m.cell = place(&m.path);
        }
        let supplies = self
            .counterfactuals
            .iter_mut()
            .filter(|c| c.kind == CounterfactualKind::Supply);
        for (c, m) in supplies.zip(&self.missing_details) {
            c.text = counterfactuals::supply_text(m);
        }
        for c in self.checklist.iter_mut().filter(|c| c.record.is_some()) {
            let at = c.at.as_deref().and_then(place).unwrap_or_default();
            c.record_row = Some(record_row(&c.rule, &at));
        }
        fn entries(lists: &mut [EntryList], place: &dyn Fn(&str) -> Option<String>) {
            for e in lists.iter_mut().flat_map(|l| &mut l.entries) {
                e.cell = place(&e.path);
                entries(&mut e.lists, place);
            }
        }
        entries(&mut self.lists, place);
    }

    /// A top-level shown value by key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| &*f.key == key)
    }

    /// A top-level list by key.
    pub fn list(&self, key: &str) -> Option<&EntryList> {
        self.lists.iter().find(|l| &*l.key == key)
    }

    /// A top-level rule by id.
    pub fn rule(&self, id: &str) -> Option<&RuleEntry> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// Why a listed entity's verdict is what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Because {
    /// The reason of this one of its rules (the first that fails, else the
    /// first unknown, else the first for review, else the one that applied).
    Rule(usize),
    /// Several rules, all passed.
    AllPass,
    /// No rule applied.
    Nothing,
}

static ALL_PASS: std::sync::LazyLock<Text> =
    std::sync::LazyLock::new(|| Text::new("全ての要件を満たしています", "Every requirement is met"));
static NOTHING: std::sync::LazyLock<Text> = std::sync::LazyLock::new(Text::default);

impl Entry {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| &*f.key == key)
    }

    pub fn list(&self, key: &str) -> Option<&EntryList> {
        self.lists.iter().find(|l| &*l.key == key)
    }

    /// The reason of its verdict.
    pub fn reason(&self) -> &Text {
        match self.because {
            Because::Rule(i) => &self.rules[i].reason,
            Because::AllPass => &ALL_PASS,
            Because::Nothing => &NOTHING,
        }
    }

    /// The article behind that reason.
    pub fn citation(&self) -> Option<&Arc<str>> {
        match self.because {
            Because::Rule(i) => Some(self.rules[i].citations.first().unwrap_or(&self.rules[i].citation)),
            _ => None,
        }
    }

    /// The reasons of each of its rules that applied, in order.
    pub fn reasons(&self) -> impl Iterator<Item = &Text> {
        self.rules
            .iter()
            .filter(|r| r.status != RuleStatus::NotApplicable)
            .map(|r| &r.reason)
    }
}

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("format", DECISION_FORMAT)?;
        m.serialize_entry("kind", &self.kind)?;
        m.serialize_entry("outcome", &self.outcome)?;
        m.serialize_entry("verdict", &self.verdict)?;
        m.serialize_entry("outcome_label", &self.outcome_label)?;
        m.serialize_entry("outcome_reason", &self.outcome_reason)?;
        for f in &self.fields {
            m.serialize_entry(&f.key, &f.value)?;
        }
        m.serialize_entry("rules", &self.rules)?;
        for l in &self.lists {
            m.serialize_entry(&l.key, &l.entries)?;
        }
        m.serialize_entry("derivation", &self.derivation)?;
        m.serialize_entry("missing", &self.missing)?;
        m.serialize_entry("missing_details", &self.missing_details)?;
        m.serialize_entry("warnings", &self.warnings)?;
        m.serialize_entry("checklist", &self.checklist)?;
        m.serialize_entry("parameters", &self.parameters)?;
        m.serialize_entry("amendments", &self.amendments)?;
        m.serialize_entry("rule_texts", &self.rule_texts)?;
        m.serialize_entry("counterfactuals", &self.counterfactuals)?;
        m.serialize_entry("rules_title", &self.rules_title)?;
        m.serialize_entry("rules_version", &self.rules_version)?;
        m.serialize_entry("rules_as_of", &self.rules_as_of)?;
        if let Some(own) = &self.document_as_of {
            m.serialize_entry("document_as_of", own)?;
        }
        m.serialize_entry("rules_sha256", &self.rules_sha256)?;
        m.serialize_entry("input_sha256", &self.input_sha256)?;
        if let Some(w) = &self.workbook_sha256 {
            m.serialize_entry("workbook_sha256", w)?;
        }
        m.end()
    }
}

/// An entity's `reasons`, written from its rules (not stored twice).
struct Reasons<'e>(&'e Entry);

impl Serialize for Reasons<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.reasons())
    }
}

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for f in &self.fields {
            m.serialize_entry(&f.key, &f.value)?;
        }
        m.serialize_entry("status", &self.status)?;
        m.serialize_entry("verdict", &self.verdict)?;
        m.serialize_entry("reason", self.reason())?;
        m.serialize_entry("citation", &self.citation())?;
        m.serialize_entry("reasons", &Reasons(self))?;
        m.serialize_entry("rules", &self.rules)?;
        for l in &self.lists {
            m.serialize_entry(&l.key, &l.entries)?;
        }
        if !self.derivation.is_empty() {
            m.serialize_entry("derivation", &self.derivation)?;
        }
        if let Some(c) = &self.cell {
            m.serialize_entry("cell", c)?;
        }
        m.end()
    }
}
