//! The compiled rules of one document kind: what [`crate::check`] produces
//! from the syntax and [`crate::eval`] runs. Every name is resolved to an
//! index here (parameters, fields, computed attributes, locals, tables,
//! rules), so deciding a document does no string lookups.

use std::sync::Arc;

use crate::schema::{EntityId, EnumId, Schema};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::Outcome;
use crate::text::Text;
use crate::value::Value;

/// The type of a rule-language value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Money,
    Ratio,
    Date,
    FiscalYear,
    Text,
    Enum(EnumId),
    Municipality,
    Entity(EntityId),
    List(Box<Ty>),
    /// The element type of an empty list literal: fits any list.
    Nothing,
    /// A type error was already reported for this expression.
    Error,
}

impl Ty {
    /// The type as a rule file writes it (`list<municipality>`), for error
    /// messages and for the typed values of a decision.
    pub fn name(&self, enums: &[EnumDef], schema: &Schema) -> String {
        match self {
            Ty::Bool => "bool".into(),
            Ty::Int => "int".into(),
            Ty::Money => "money".into(),
            Ty::Ratio => "ratio".into(),
            Ty::Date => "date".into(),
            Ty::FiscalYear => "fiscal_year".into(),
            Ty::Text => "string".into(),
            Ty::Municipality => "municipality".into(),
            Ty::Enum(e) => enums.get(*e as usize).map_or("?".into(), |d| d.name.clone()),
            Ty::Entity(e) => schema.entities.get(*e as usize).map_or("?".into(), |d| d.name.clone()),
            Ty::List(inner) => format!("list<{}>", inner.name(enums, schema)),
            Ty::Nothing => "nothing".into(),
            Ty::Error => "?".into(),
        }
    }
}

pub type ParamId = u32;
pub type TableId = u32;
pub type LetId = u32;
pub type RuleId = u32;
pub type SourceId = u32;
/// A slot of an evaluation frame or of an entity's computed attributes.
pub type Slot = u32;

/// The built-in enumerations, first in every program.
pub const VERDICT: EnumId = 0;
pub const RULE_STATUS: EnumId = 1;
/// `judgment("rule.id")`: `undecided`, `accepted` or `rejected`.
pub const JUDGMENT: EnumId = 2;
pub const JUDGMENT_UNDECIDED: u32 = 0;
pub const JUDGMENT_ACCEPTED: u32 = 1;
pub const JUDGMENT_REJECTED: u32 = 2;
pub use crate::verdict::{VERDICT_FAIL, VERDICT_PASS, VERDICT_REVIEW};

/// A compiled expression.
#[derive(Clone, Debug)]
pub enum Node {
    Const(Value),
    Param(ParamId),
    /// A slot of the evaluation frame: a `for` variable, a comprehension
    /// variable or a rule's `let`.
    Local(Slot),
    /// The document itself.
    Root,
    /// An input field of an entity value.
    Fact(Box<Node>, EntityId, u32),
    /// A computed attribute (a `let`/`output` in the entity's scope, or its
    /// status) of an entity value.
    Computed(Box<Node>, EntityId, Slot),
    MuniAttr(Box<Node>, MuniAttr),
    Not(Box<Node>),
    Neg(Box<Node>, Span),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>, Box<CmpInfo>),
    Arith(ArithOp, Box<Node>, Box<Node>, Span),
    In(Box<Node>, Box<Node>),
    /// `fact ?? fallback`
    Default(Box<Node>, Box<Node>),
    Present(Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Comprehension {
        head: Box<Node>,
        slot: Slot,
        iter: Box<Node>,
        filter: Option<Box<Node>>,
    },
    Table(TableId, Box<Node>, Span),
    Call(Builtin, Vec<Node>, Span),
    /// In a `show`: the document's verdict.
    Outcome,
    /// In a `show`: the status of a top-level rule.
    StatusOf(RuleId),
    /// The reviewer's determination recorded for a top-level rule.
    Judgment(RuleId),
    /// `failed("prefix.")`: how many of these top-level rules failed.
    Failed(Vec<RuleId>),
}

/// What a comparison's operands are, for saying what would change its
/// result: where each is written, and their type.
#[derive(Clone, Debug)]
pub struct CmpInfo {
    pub spans: [Span; 2],
    pub ty: Ty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MuniAttr {
    Name,
    Code,
    Subprefecture,
    Kind,
    Island,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Arithmetic, typed when the rules load: numbers (int, money, ratio) share
/// exact decimal arithmetic; fiscal years add and subtract whole years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    /// fiscal year ± int → fiscal year; fiscal year − fiscal year → int
    FyAdd,
    FySub,
    FyDiff,
    /// date − date → days
    DateDiff,
    /// list + list → the two lists one after the other
    Concat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Count,
    Sum,
    Min,
    Max,
    Abs,
    /// floor(x, unit): round down to a multiple of unit
    Floor,
    Ceil,
    All,
    Any,
    Distinct,
    Drop,
    EndOf,
    StartOf,
    FiscalYearOf,
    AddDays,
    /// date(year, month, day)
    Date,
    YearOf,
    Blank,
    /// percent(ratio): the ratio as a percentage, for messages (`20%`)
    Percent,
    LandComponents,
    /// touching_components(municipalities): as `land_components`, with the
    /// pairs that meet at a single point counted as linked.
    TouchingComponents,
    /// point_contacts(municipalities): the pairs among them that meet at a
    /// single point only, each a list of two.
    PointContacts,
    /// settlement_zones(municipality, date) / central_urban_areas(…): the
    /// national schemes the registry has it in on that date (empty: none
    /// known, not "none").
    SettlementZones,
    CentralUrbanAreas,
    /// joined(region name, municipality): the day it joined the grant's
    /// region after the region was formed, as a list of one (empty for a
    /// founding member, or when the registry does not know).
    Joined,
}

/// A message: Japanese and English templates.
#[derive(Clone, Debug)]
pub struct Message {
    pub ja: Vec<Piece>,
    pub en: Vec<Piece>,
    pub span: Span,
}

/// A piece of a template: text, or a hole whose value is shown by its type.
#[derive(Clone, Debug)]
pub enum Piece {
    Text(String),
    Hole(Box<Hole>),
}

/// A `{…}` of a message: the expression, its type, and its text and type
/// name as a decision shows them (computed once, when the rules load).
#[derive(Clone, Debug)]
pub struct Hole {
    pub node: Node,
    pub ty: Ty,
    pub span: Span,
    pub text: Arc<str>,
    pub ty_name: Arc<str>,
}

impl Message {
    /// The holes in order, Japanese first, then English.
    pub fn holes(&self) -> impl Iterator<Item = &Hole> {
        self.ja.iter().chain(self.en.iter()).filter_map(|p| match p {
            Piece::Hole(h) => Some(&**h),
            Piece::Text(_) => None,
        })
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.holes().map(|h| &h.node)
    }
}

#[derive(Clone, Debug)]
pub struct Citation {
    pub source: SourceId,
    pub article: String,
}

#[derive(Clone, Debug)]
pub struct SourceDoc {
    pub name: String,
    pub title: String,
    pub in_force: Option<jiff::civil::Date>,
    pub amended: Vec<jiff::civil::Date>,
    /// `text_file "texts/…"`: the document's text as the tree's common
    /// folder holds it, and that file in [`Program::sources`]. Quotes citing
    /// a source with no text are not checked.
    pub text_file: Option<String>,
    pub text: Option<FileId>,
    /// Its articles as rules cite them; empty when it lists none (then its
    /// citations name any article).
    pub articles: Vec<Article>,
}

/// `article "第9 1" "…" uncited "…"` of a `source`.
#[derive(Clone, Debug)]
pub struct Article {
    pub id: String,
    pub title: String,
    /// Why no rule cites it (`grant-rules coverage` insists on one exactly
    /// when none does).
    pub uncited: Option<String>,
    pub span: Span,
}

/// What a citation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Citer {
    Rule,
    Param,
    Table,
    Enum,
    Let,
}

impl Citer {
    /// The word for it in messages and the coverage.
    pub fn word(self) -> &'static str {
        match self {
            Citer::Rule => "rule",
            Citer::Param => "parameter",
            Citer::Table => "table",
            Citer::Enum => "enum",
            Citer::Let => "step",
        }
    }
}

/// How it cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CiteRole {
    /// `cite` (of a rule, parameter, table, enum, or a let's `explain`).
    Cite,
    /// `also`.
    Also,
    /// The `cite` of one of a rule's clauses.
    Clause,
    /// The `cite` of a parameter's version: the notice that set a value.
    Version,
}

/// One citation in a kind's rules, parameters, tables, enums or lets, as
/// resolved when they load: what the coverage of the guidelines is made of.
#[derive(Clone, Debug)]
pub struct Cited {
    pub by: Citer,
    /// The rule id, or the parameter's, table's, enum's or let's name.
    pub name: Arc<str>,
    pub role: CiteRole,
    pub source: SourceId,
    pub article: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    pub label: Option<Text>,
    pub cite: Option<Citation>,
    /// What every decision shows of the parameter, written once at load.
    pub shown: ParamShown,
    /// Sorted, not overlapping.
    pub versions: Vec<ParamVersion>,
    pub span: Span,
}

/// A value of a parameter and the dates it is in force.
#[derive(Clone, Debug)]
pub struct ParamVersion {
    /// `None`: whatever the date (up to `until`).
    pub from: Option<jiff::civil::Date>,
    /// Inclusive.
    pub until: Option<jiff::civil::Date>,
    pub value: Value,
    /// The notice that set it (`実施要綱 附則（令和5年4月3日改正）`), as shown.
    pub citation: Option<Arc<str>>,
    pub cite: Option<Citation>,
}

impl ParamVersion {
    pub fn in_force(&self, date: jiff::civil::Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A parameter's name, label and citation as decisions show them.
#[derive(Clone, Debug, Default)]
pub struct ParamShown {
    pub name: Arc<str>,
    pub label: Arc<Text>,
    pub citation: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub open: bool,
    pub variants: Vec<Variant>,
    /// What the enum is (`政策分野`), for input errors.
    pub label: Option<Text>,
    /// What to do about a value it does not list (`help ja "…" en "…"`).
    pub help: Option<Text>,
    /// Aliases that several variants share, by key, with those variants:
    /// a value written so is an input error asking which is meant.
    pub ambiguous: Vec<(String, Vec<u32>)>,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub code: String,
    pub ja: String,
    pub en: String,
    /// Every accepted spelling, as [`crate::text::key`] makes it: the code,
    /// the Japanese and English names and the aliases.
    pub spellings: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub key: EnumId,
    pub value_ty: Ty,
    /// Indexed by the key's variant; `None` falls back to `otherwise`.
    pub entries: Vec<Option<Value>>,
    pub otherwise: Option<Value>,
}

/// A computed attribute of an entity: a `let`/`output` declared in its scope,
/// or the entity's status.
#[derive(Clone, Debug)]
pub struct Computed {
    pub name: String,
    pub ty: Ty,
    pub kind: ComputedKind,
}

#[derive(Clone, Debug)]
pub enum ComputedKind {
    Let(LetId),
    Status,
}

#[derive(Clone, Debug)]
pub struct Let {
    pub name: String,
    pub entity: EntityId,
    pub slot: Slot,
    pub node: Node,
    pub ty: Ty,
    pub output: bool,
    pub explain: Option<(Message, Option<Citation>)>,
    /// What the value is, in words (`label`), for a let that is no step.
    pub label: Option<Text>,
    pub frame_size: u32,
    pub span: Span,
    /// The defining expression as written (the formula of a step).
    pub formula: Arc<str>,
    /// The parameters it reads, directly or through other lets.
    pub params: Vec<ParamId>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub entity: EntityId,
    pub cite: Citation,
    pub also: Vec<Citation>,
    pub text: Option<String>,
    /// A short name for reports (the id when none is given).
    pub title: Option<Arc<Text>>,
    /// The quoted clause, shared by every decision that shows the rule.
    pub quote: Option<Arc<str>>,
    pub summary: Option<Message>,
    pub discretionary: bool,
    pub effective: Option<(jiff::civil::Date, Option<jiff::civil::Date>)>,
    pub applies: Option<(Node, Message)>,
    /// Rule-local lets: (frame slot, expression), evaluated in order.
    pub lets: Vec<(Slot, Node)>,
    /// The words of the rule's lets that have a `label`, by slot.
    pub local_labels: Vec<(Slot, Text)>,
    pub clauses: Vec<Clause>,
    pub frame_size: u32,
    pub span: Span,
    /// `file:line:column` of the rule, computed once when the rules load.
    pub location: Arc<str>,
    /// Its citations as a decision shows them (`実施要綱 第2 2`).
    pub cite_text: Arc<str>,
    pub also_texts: Vec<Arc<str>>,
    /// The parameters it reads, directly or through the lets it reads: one
    /// without a value on the evaluation date puts the rule out of force.
    pub params: Vec<ParamId>,
    /// Some rule or let reads its `judgment(…)`: a determination of it is
    /// used even when the rule is not `review`.
    pub judged: bool,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub outcome: Outcome,
    /// `None` for `otherwise`.
    pub guard: Option<Node>,
    pub unless: Option<(Node, Option<Message>)>,
    pub cite: Option<Citation>,
    pub message: Message,
    pub span: Span,
    /// `file:line:column` of the clause.
    pub location: Arc<str>,
    pub cite_text: Option<Arc<str>>,
}

/// The word a verdict is given in decisions (`eligible`, `approval_required`,
/// `adopted` …) with its label, and for a document's outcome an optional
/// sentence saying why.
#[derive(Clone, Debug, Default)]
pub struct Word {
    pub word: Arc<str>,
    pub label: Arc<Text>,
    pub because: Option<Text>,
}

/// The words of the four verdicts, by [`crate::verdict::Verdict`] order:
/// pass, fail, review, unknown.
pub type Words = [Word; 4];

/// A document kind, as its `kind` declaration says.
#[derive(Clone, Debug)]
pub struct Kind {
    /// The `format` of its documents (`grant-change/v1`).
    pub format: String,
    /// The folder of its rules (`change`): a short name for the command line.
    pub name: String,
    pub title: String,
    pub version: String,
    pub label: Text,
    /// The heading of the top-level rules in a report.
    pub rules_label: Text,
    /// The date the rules are evaluated as of, from the document's facts.
    pub as_of: Node,
    pub as_of_span: Span,
    pub outcomes: Words,
    /// Where the document records reviewers' determinations, if it can.
    pub determinations: Option<Determinations>,
}

/// The document's list of reviewers' determinations (`determinations FIELD`
/// in the kind): the root field holding them, their entity, and the index
/// of each field the engine reads. A determination closes the `review` of
/// one rule for one entity: `accept` makes it `pass`, `reject` makes it
/// `fail`, and the rules that read its status compute the rest.
#[derive(Clone, Debug)]
pub struct Determinations {
    pub field: u32,
    pub entity: EntityId,
    /// `rule_id: string`: the rule's id.
    pub rule: u32,
    /// `at: string optional`: the entity's path (`projects[0].expenses[2]`);
    /// absent for a rule of the document.
    pub at: u32,
    /// `decision: ENUM` with variants `accept` and `reject`.
    pub decision: u32,
    pub accept: u32,
    /// `by: string`, `on: date`, `reason: string optional`.
    pub by: u32,
    pub on: u32,
    pub reason: u32,
}

/// A value a decision shows.
#[derive(Clone, Debug)]
pub struct Show {
    pub name: Arc<str>,
    pub label: Arc<Text>,
    pub value: ShowValue,
    /// Null unless this holds.
    pub when: Option<Node>,
    pub frame_size: u32,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ShowValue {
    Expr(Node, Ty),
    /// `rules("prefix.")`: the id (prefix removed) and status of each
    /// top-level rule whose id starts with the prefix.
    Rules(String),
}

/// The top-level values of a decision: single values and groups of them.
#[derive(Clone, Debug)]
pub enum ShowItem {
    Show(Show),
    Group {
        name: Arc<str>,
        label: Arc<Text>,
        shows: Vec<Show>,
    },
}

/// How the entities of a scope appear in the decision (`entry projects { … }`).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Arc<str>,
    pub label: Arc<Text>,
    /// Only the entities for which this holds are listed and counted.
    pub filter: Option<Node>,
    pub filter_frame: u32,
    /// A failing entity is left out and its parent goes on (a project that
    /// fails is not adopted; the others are); otherwise a failure is the
    /// parent's.
    pub set_aside: bool,
    pub words: Words,
    pub shows: Vec<Show>,
    /// The nearest enclosing entity with an entry (or the root): where this
    /// list appears and whose verdict it feeds.
    pub parent: EntityId,
    pub span: Span,
}

/// A step of the evaluation plan, in dependency order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Let(LetId),
    Rule(RuleId),
    Status(EntityId),
}

#[derive(Clone, Debug, Default)]
pub struct EntityInfo {
    pub computed: Vec<Computed>,
    pub status_slot: Option<Slot>,
    /// Rules of this scope, in declaration order.
    pub rules: Vec<RuleId>,
    /// Lets of this scope, in declaration order.
    pub lets: Vec<LetId>,
    /// How many `for` variables are bound for this scope (outermost first:
    /// the owner chain ends with the entity itself).
    pub binding_depth: u32,
    pub entry: Option<Entry>,
    /// Entities whose entries list under this one, in declaration order.
    pub children: Vec<EntityId>,
}

/// The rules of one document kind, checked and compiled.
pub struct Program {
    pub sources: SourceMap,
    pub sha256: String,
    pub kind: Kind,
    pub schema: Schema,
    pub docs: Vec<SourceDoc>,
    pub params: Vec<Param>,
    pub enums: Vec<EnumDef>,
    pub tables: Vec<Table>,
    pub entities: Vec<EntityInfo>,
    pub lets: Vec<Let>,
    pub rules: Vec<Rule>,
    pub plan: Vec<Step>,
    pub shows: Vec<ShowItem>,
    /// Which parameters some let, rule or show reads (a decision lists those).
    pub params_used: Vec<bool>,
    /// Every citation, in declaration order.
    pub citations: Vec<Cited>,
}

impl Node {
    /// Calls `f` on this node and every node below it.
    pub fn walk(&self, f: &mut impl FnMut(&Node)) {
        f(self);
        match self {
            Node::Const(_)
            | Node::Param(_)
            | Node::Local(_)
            | Node::Root
            | Node::Outcome
            | Node::StatusOf(_)
            | Node::Judgment(_)
            | Node::Failed(_) => {}
            Node::Fact(x, ..)
            | Node::Computed(x, ..)
            | Node::MuniAttr(x, _)
            | Node::Not(x)
            | Node::Neg(x, _)
            | Node::Present(x)
            | Node::Table(_, x, _) => x.walk(f),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Cmp(_, a, b, _)
            | Node::Arith(_, a, b, _)
            | Node::In(a, b)
            | Node::Default(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Node::If(a, b, c) => {
                a.walk(f);
                b.walk(f);
                c.walk(f);
            }
            Node::List(xs) | Node::Call(_, xs, _) => xs.iter().for_each(|x| x.walk(f)),
            Node::Comprehension { head, iter, filter, .. } => {
                head.walk(f);
                iter.walk(f);
                if let Some(x) = filter {
                    x.walk(f);
                }
            }
        }
    }
}

impl Rule {
    /// Every expression of the rule, its messages' holes included.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut out: Vec<&Node> = self.lets.iter().map(|(_, n)| n).collect();
        if let Some((n, m)) = &self.applies {
            out.push(n);
            out.extend(m.nodes());
        }
        out.extend(self.summary.iter().flat_map(Message::nodes));
        for c in &self.clauses {
            out.extend(c.guard.iter());
            if let Some((n, m)) = &c.unless {
                out.push(n);
                out.extend(m.iter().flat_map(Message::nodes));
            }
            out.extend(c.message.nodes());
        }
        out
    }
}

impl Show {
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        let value = match &self.value {
            ShowValue::Expr(n, _) => Some(n),
            ShowValue::Rules(_) => None,
        };
        value.into_iter().chain(self.when.iter())
    }
}

impl Program {
    pub fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enums.iter().position(|e| e.name == name).map(|i| i as EnumId)
    }

    pub fn citation_text(&self, c: &Citation) -> String {
        format!("{} {}", self.docs[c.source as usize].name, c.article)
    }

    pub fn ty_name(&self, t: &Ty) -> String {
        t.name(&self.enums, &self.schema)
    }

    /// Every show of the program: the top-level ones, then each entry's.
    pub fn all_shows(&self) -> impl Iterator<Item = &Show> {
        let top = self.shows.iter().flat_map(|item| match item {
            ShowItem::Show(s) => std::slice::from_ref(s).iter(),
            ShowItem::Group { shows, .. } => shows.iter(),
        });
        top.chain(
            self.entities
                .iter()
                .filter_map(|e| e.entry.as_ref())
                .flat_map(|e| e.shows.iter()),
        )
    }
}
