//! The compiled rules of one document kind: what [`crate::check`] produces
//! from the syntax and [`crate::eval`] runs. Every name is resolved to an
//! index here (parameters, fields, computed attributes, locals, tables,
//! rules), so deciding a document does no string lookups.

use std::sync::Arc;

use crate::schema::{EntityId, EnumId, Schema};
use crate::source::{SourceMap, Span};
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
    Cmp(CmpOp, Box<Node>, Box<Node>),
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
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    pub label: Option<Text>,
    pub cite: Option<Citation>,
    /// What every decision shows of the parameter, written once at load.
    pub shown: ParamShown,
    /// (from, until inclusive, value), sorted, not overlapping.
    pub versions: Vec<(jiff::civil::Date, Option<jiff::civil::Date>, Value)>,
    pub span: Span,
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
    pub frame_size: u32,
    pub span: Span,
    /// The defining expression as written (the formula of a step).
    pub formula: Arc<str>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub entity: EntityId,
    pub cite: Citation,
    pub also: Vec<Citation>,
    pub text: Option<String>,
    pub summary: Option<Message>,
    pub discretionary: bool,
    pub effective: Option<(jiff::civil::Date, Option<jiff::civil::Date>)>,
    pub applies: Option<(Node, Message)>,
    /// Rule-local lets: (frame slot, expression), evaluated in order.
    pub lets: Vec<(Slot, Node)>,
    pub clauses: Vec<Clause>,
    pub frame_size: u32,
    pub span: Span,
    /// `file:line:column` of the rule, computed once when the rules load.
    pub location: Arc<str>,
    /// Its citations as a decision shows them (`実施要綱 第2 2`).
    pub cite_text: Arc<str>,
    pub also_texts: Vec<Arc<str>>,
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
}

impl Node {
    /// Calls `f` on this node and every node below it.
    pub fn walk(&self, f: &mut impl FnMut(&Node)) {
        f(self);
        match self {
            Node::Const(_) | Node::Param(_) | Node::Local(_) | Node::Root | Node::Outcome | Node::StatusOf(_) => {}
            Node::Fact(x, ..)
            | Node::Computed(x, ..)
            | Node::MuniAttr(x, _)
            | Node::Not(x)
            | Node::Neg(x, _)
            | Node::Present(x)
            | Node::Table(_, x, _) => x.walk(f),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Cmp(_, a, b)
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

    /// The values of the parameters in force on `date`, by parameter index;
    /// `Err(param)` when one has no value then.
    pub fn params_on(&self, date: jiff::civil::Date) -> Result<Vec<Value>, ParamId> {
        self.params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.versions
                    .iter()
                    .find(|(from, until, _)| *from <= date && until.is_none_or(|u| date <= u))
                    .map(|(_, _, v)| v.clone())
                    .ok_or(i as ParamId)
            })
            .collect()
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
