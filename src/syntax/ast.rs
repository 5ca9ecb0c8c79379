//! The abstract syntax of rule files. Every node carries the [`Span`] of the
//! text it came from, so later stages (type errors, evaluation errors,
//! explanations) can point back at the rule text.

use rust_decimal::Decimal;

use crate::source::Span;

/// A name as written, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A Japanese/English pair of texts (a message template or a label).
#[derive(Clone, Debug, PartialEq)]
pub struct LangPair {
    pub ja: Template,
    pub en: Template,
    pub span: Span,
}

/// A message with `{expression}` holes.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub pieces: Vec<Piece>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Text(String),
    /// An expression, and its text as written (white space folded), which a
    /// decision shows beside its value.
    Hole(Expr, String),
}

/// `cite 実施要綱 "第6"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub source: Ident,
    pub article: String,
    pub span: Span,
    /// The article's string literal, quotes included.
    pub article_span: Span,
}

/// `text "…"`: the words of the cited document a declaration encodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    pub text: String,
    /// The string literal, quotes included.
    pub span: Span,
}

/// Documentation shared by parameters, enums, tables and rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub label: Option<LangPair>,
    pub cite: Option<Citation>,
    pub also: Vec<Citation>,
    pub text: Option<Quote>,
    pub remarks: Vec<String>,
    /// Items given a second time (`cite` twice …): what, and where the
    /// second one is. The checker reports them; the parser keeps the first.
    pub repeated: Vec<(&'static str, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Kind(KindDef),
    Entity(EntityDecl),
    Show(ShowDef),
    Group(GroupDef),
    Entry(EntryDef),
    Source(Source),
    Param(Param),
    Enum(EnumDef),
    Table(Table),
    For(ForBlock),
    Let(LetDef),
    Rule(Box<Rule>),
}

/// A verdict of the one lattice every kind shares (`crate::verdict`), as a
/// rule file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictName {
    Pass,
    Fail,
    Review,
    Unknown,
}

/// `kind "grant-change/v1" { … }`: a document kind.
#[derive(Clone, Debug, PartialEq)]
pub struct KindDef {
    pub format: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub root: Option<Ident>,
    pub as_of: Option<Expr>,
    pub label: Option<LangPair>,
    pub rules_label: Option<LangPair>,
    /// The root field listing reviewers' determinations.
    pub determinations: Option<Ident>,
    pub outcomes: Vec<Word>,
    pub repeated: Vec<(&'static str, Span)>,
    pub span: Span,
}

/// `outcome fail "ineligible" ja "…" en "…" because ja "…" en "…"` (or
/// `word …` in an `entry`): the word a verdict is given.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub verdict: VerdictName,
    pub word: String,
    pub label: LangPair,
    pub because: Option<LangPair>,
    pub span: Span,
}

/// `entity Project { … }`: an object of the input, its fields and their types.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityDecl {
    pub name: Ident,
    /// `entity RevisedExpense like Expense { … }`: the fields of another entity first.
    pub like: Option<Ident>,
    pub label: Option<LangPair>,
    /// The field that names an instance (`title name`).
    pub title: Option<Ident>,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

/// `amount: money optional label ja "…" en "…"`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub optional: bool,
    pub nonempty: bool,
    pub default: Option<Expr>,
    /// `unique` (`Some(None)`: the list's values differ) or `unique FIELD`.
    pub unique: Option<Option<Ident>>,
    pub unique_span: Option<Span>,
    pub one_of: Option<Vec<Ident>>,
    /// `unit "年", "年間"`: the unit's spellings, the first its name.
    pub unit: Vec<String>,
    pub unit_span: Option<Span>,
    /// `example …`: the value (or, for a list, the elements) `init` writes.
    pub example: Option<(Vec<Example>, Span)>,
    pub label: Option<LangPair>,
    pub span: Span,
}

/// A literal of a field's `example`, as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Example {
    String(String),
    Number(String),
    Bool(bool),
}

/// `show grant_amount = grant_amount when outcome in [pass, review] label …`:
/// a value of the decision (at the top level, or of each entity of a scope).
#[derive(Clone, Debug, PartialEq)]
pub struct ShowDef {
    pub name: Ident,
    pub value: Expr,
    pub when: Option<Expr>,
    pub label: LangPair,
    pub span: Span,
}

/// `group total { label … show … }`: a nested object of shown values.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDef {
    pub name: Ident,
    pub label: LangPair,
    pub shows: Vec<ShowDef>,
    pub span: Span,
}

/// `entry projects { … }` inside `for`: the scope's entities are listed in
/// the decision under this key.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryDef {
    pub key: Ident,
    pub label: Option<LangPair>,
    pub when: Option<Expr>,
    pub set_aside: bool,
    pub words: Vec<Word>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub name: Ident,
    pub title: Option<String>,
    pub in_force: Option<jiff::civil::Date>,
    pub amended: Vec<jiff::civil::Date>,
    /// `text_file "texts/…"`: the path, and its string literal's span.
    pub text_file: Option<(String, Span)>,
    pub articles: Vec<ArticleDecl>,
    /// Items given a second time (`title`, `text_file` …), as in [`Doc`].
    pub repeated: Vec<(&'static str, Span)>,
    pub span: Span,
}

/// `article "第9 1" "what it says" uncited "why no rule cites it"`.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleDecl {
    pub id: String,
    /// The id's string literal.
    pub id_span: Span,
    pub title: String,
    pub uncited: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    Named(Ident),
    List(Box<TypeExpr>, Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(i) => i.span,
            TypeExpr::List(_, s) => *s,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub doc: Doc,
    pub versions: Vec<ParamVersion>,
    pub span: Span,
}

/// `2020-11-02.. = 1000万円`: the value in force from a date (inclusive) until
/// an optional end date (inclusive).
#[derive(Clone, Debug, PartialEq)]
pub struct ParamVersion {
    /// `None`: in force whatever the date, up to `until`.
    pub from: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
    pub value: Expr,
    /// The notice that set this value.
    pub cite: Option<Citation>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: Ident,
    pub open: bool,
    pub doc: Doc,
    /// `help ja "…" en "…"`: what to do about a value it does not list.
    pub help: Option<LangPair>,
    pub variants: Vec<Variant>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub code: Ident,
    pub ja: String,
    pub en: String,
    pub aliases: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: Ident,
    pub key: TypeExpr,
    pub value: TypeExpr,
    pub doc: Doc,
    pub entries: Vec<TableEntry>,
    pub otherwise: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableEntry {
    pub keys: Vec<Ident>,
    pub value: Expr,
    pub span: Span,
}

/// `for project in projects { ... }`: declarations computed per entity.
#[derive(Clone, Debug, PartialEq)]
pub struct ForBlock {
    pub var: Ident,
    pub path: Vec<Ident>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// `let x = e` (or `output x = e`), optionally a step of the derivation shown
/// to the reader.
#[derive(Clone, Debug, PartialEq)]
pub struct LetDef {
    pub name: Ident,
    pub value: Expr,
    /// The value's text as written (white space folded): a step's formula.
    pub value_text: String,
    pub output: bool,
    pub explain: Option<Explain>,
    /// What the value is, in words, for a let that is no step of a
    /// derivation (`let k = count(in_scheme) label ja "…" en "…"`): how
    /// counterfactuals name it.
    pub label: Option<LangPair>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Explain {
    pub label: LangPair,
    pub cite: Option<Citation>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: Ident,
    /// `cite`, `text`, … given twice are in `doc.repeated`, with `summary`,
    /// `applies` and `effective`.
    pub doc: Doc,
    /// A short name for reports.
    pub title: Option<LangPair>,
    pub summary: Option<LangPair>,
    pub discretionary: bool,
    pub effective: Option<(jiff::civil::Date, Option<jiff::civil::Date>)>,
    pub applies: Option<(Expr, LangPair)>,
    pub lets: Vec<LetDef>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Review,
    Warn,
    Note,
}

impl Outcome {
    /// Warnings and notes are remarks: they never decide a rule.
    pub fn decides(self) -> bool {
        matches!(self, Outcome::Pass | Outcome::Fail | Outcome::Review)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub outcome: Outcome,
    /// `None` for `otherwise`.
    pub guard: Option<Expr>,
    pub unless: Option<Unless>,
    pub cite: Option<Citation>,
    pub message: LangPair,
    pub span: Span,
}

/// `unless e except ja "…" en "…"`: an exception written in the clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Unless {
    pub cond: Expr,
    pub message: Option<LangPair>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
    Default,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Default => "??",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A plain number: an integer, or a decimal (a ratio).
    Number(Decimal),
    Money(Decimal),
    Percent(Decimal),
    Date(jiff::civil::Date),
    /// `FY2020`: the fiscal year starting in that western year.
    FiscalYear(i32),
    Text(String),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    /// `pass`, `fail`, `review`: a status a rule or an entity can have.
    Verdict(VerdictName),
    Name(Ident),
    Field(Box<Expr>, Ident),
    Index(Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Ident, Vec<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Comprehension {
        head: Box<Expr>,
        var: Ident,
        iter: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
}
