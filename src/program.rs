//! The compiled rule set: what [`crate::check`] produces from the syntax and
//! [`crate::eval`] runs. Every name is resolved to an index here (parameters,
//! fields, computed attributes, locals, tables), so evaluating a decision does
//! no string lookups.

use crate::schema::EntityId;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::Outcome;
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
    pub fn name(&self, enums: &[EnumDef]) -> String {
        match self {
            Ty::Bool => "bool".into(),
            Ty::Int => "int".into(),
            Ty::Money => "money".into(),
            Ty::Ratio => "ratio".into(),
            Ty::Date => "date".into(),
            Ty::FiscalYear => "fiscal_year".into(),
            Ty::Text => "string".into(),
            Ty::Municipality => "municipality".into(),
            Ty::Enum(e) => enums[*e as usize].name.clone(),
            Ty::Entity(e) => crate::schema::ENTITIES[*e as usize].name.to_string(),
            Ty::List(inner) => format!("list<{}>", inner.name(enums)),
            Ty::Nothing => "nothing".into(),
            Ty::Error => "?".into(),
        }
    }
}

pub type EnumId = u16;
pub type ParamId = u16;
pub type TableId = u16;
pub type LetId = u16;
pub type RuleId = u16;
pub type SourceId = u16;

/// A compiled expression.
#[derive(Clone, Debug)]
pub enum Node {
    Const(Value),
    Param(ParamId),
    /// A slot of the evaluation frame: a `for` variable, a comprehension
    /// variable or a rule's `let`.
    Local(u16),
    /// The application itself.
    Root,
    /// An input field of an entity value.
    Fact(Box<Node>, EntityId, u16),
    /// A computed attribute (a `let`/`output` in the entity's scope, or its
    /// status) of an entity value.
    Computed(Box<Node>, EntityId, u16),
    MuniAttr(Box<Node>, MuniAttr),
    Not(Box<Node>),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    Arith(ArithOp, Box<Node>, Box<Node>),
    In(Box<Node>, Box<Node>),
    /// `fact ?? fallback`
    Default(Box<Node>, Box<Node>),
    Present(Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    List(Vec<Node>),
    Comprehension {
        head: Box<Node>,
        slot: u16,
        iter: Box<Node>,
        filter: Option<Box<Node>>,
    },
    Table(TableId, Box<Node>),
    Call(Builtin, Vec<Node>),
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
    /// The expression, its type, and where it is written.
    Hole(Node, Ty, Span),
}

impl Message {
    /// The holes in order, Japanese first, then English.
    pub fn holes(&self) -> impl Iterator<Item = (&Node, &Ty)> {
        self.spanned_holes().map(|(n, t, _)| (n, t))
    }

    /// The holes with their spans, Japanese first, then English.
    pub fn spanned_holes(&self) -> impl Iterator<Item = (&Node, &Ty, Span)> {
        self.ja.iter().chain(self.en.iter()).filter_map(|p| match p {
            Piece::Hole(n, t, s) => Some((n, t, *s)),
            Piece::Text(_) => None,
        })
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
    pub label: Option<Message>,
    pub cite: Option<Citation>,
    /// (from, until inclusive, value), sorted, not overlapping.
    pub versions: Vec<(jiff::civil::Date, Option<jiff::civil::Date>, Value)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub open: bool,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub code: String,
    pub ja: String,
    pub en: String,
    /// Every accepted spelling, NFKC-normalised: the code, the Japanese and
    /// English names and the aliases.
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
    pub slot: u16,
    pub node: Node,
    pub ty: Ty,
    pub output: bool,
    pub explain: Option<(Message, Option<Citation>)>,
    pub frame_size: u16,
    pub span: Span,
    /// The span of the defining expression (shown as the formula of a step).
    pub expr_span: Span,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub entity: EntityId,
    pub cite: Citation,
    pub also: Vec<Citation>,
    pub text: Option<String>,
    pub summary: Option<Message>,
    pub discretionary: bool,
    pub effective: Option<(jiff::civil::Date, Option<jiff::civil::Date>)>,
    pub applies: Option<(Node, Message)>,
    /// Rule-local lets: (frame slot, expression), evaluated in order.
    pub lets: Vec<(u16, Node)>,
    pub clauses: Vec<Clause>,
    pub frame_size: u16,
    pub span: Span,
    /// `file:line:column` of the rule, computed once when the rules load.
    pub location: String,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub outcome: Outcome,
    pub guard: Option<Node>,
    pub unless: Option<(Node, Option<Message>)>,
    pub cite: Option<Citation>,
    pub message: Message,
    pub span: Span,
    /// `file:line:column` of the clause.
    pub location: String,
}

/// A step of the evaluation plan, in dependency order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Let(LetId),
    Rule(RuleId),
    Status(EntityId),
}

#[derive(Clone, Debug)]
pub struct EntityInfo {
    pub computed: Vec<Computed>,
    pub status_slot: Option<u16>,
    /// Rules of this scope, in declaration order.
    pub rules: Vec<RuleId>,
    /// Lets of this scope, in declaration order.
    pub lets: Vec<LetId>,
    /// How many `for` variables are bound for this scope (outermost first:
    /// the owner chain ends with the entity itself).
    pub binding_depth: u16,
}

/// A rule set, checked and compiled.
pub struct Program {
    pub sources: SourceMap,
    pub sha256: String,
    pub title: String,
    pub version: String,
    pub applies_to: String,
    pub docs: Vec<SourceDoc>,
    pub params: Vec<Param>,
    pub enums: Vec<EnumDef>,
    pub tables: Vec<Table>,
    pub entities: Vec<EntityInfo>,
    pub lets: Vec<Let>,
    pub rules: Vec<Rule>,
    pub plan: Vec<Step>,
    /// Which parameters some let or rule reads (a decision lists those).
    pub params_used: Vec<bool>,
    /// The enums of [`crate::schema::REQUIRED_RULE_ENUMS`], in that order.
    pub vocab: [EnumId; 3],
    /// The lets of [`crate::schema::REQUIRED_OUTPUTS`], in that order.
    pub outputs: [LetId; 3],
}

/// Indices into [`Program::vocab`].
pub const POLICY_FIELD: usize = 0;
pub const PROJECT_EXCLUSION: usize = 1;
pub const EXPENSE_CATEGORY: usize = 2;
/// Indices into [`Program::outputs`].
pub const OUT_ELIGIBLE_EXPENSES: usize = 0;
pub const OUT_GRANT_AMOUNT: usize = 1;
pub const OUT_PROJECT_ELIGIBLE_EXPENSES: usize = 2;

impl Node {
    /// Calls `f` on this node and every node below it.
    pub fn walk(&self, f: &mut impl FnMut(&Node)) {
        f(self);
        match self {
            Node::Const(_) | Node::Param(_) | Node::Local(_) | Node::Root => {}
            Node::Fact(x, ..)
            | Node::Computed(x, ..)
            | Node::MuniAttr(x, _)
            | Node::Not(x)
            | Node::Neg(x)
            | Node::Present(x)
            | Node::Table(_, x) => x.walk(f),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Cmp(_, a, b)
            | Node::Arith(_, a, b)
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
            Node::List(xs) | Node::Call(_, xs) => xs.iter().for_each(|x| x.walk(f)),
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

impl Message {
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.holes().map(|(n, _)| n)
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

impl Program {
    pub fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enums.iter().position(|e| e.name == name).map(|i| i as EnumId)
    }

    pub fn citation_text(&self, c: &Citation) -> String {
        format!("{} {}", self.docs[c.source as usize].name, c.article)
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
}
