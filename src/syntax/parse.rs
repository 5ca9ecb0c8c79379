//! Builds the AST from pest's parse tree. The grammar guarantees the shape of
//! each pair, so the walkers below only read what the grammar put there; any
//! value-level problem (a bad date, a number too large) becomes a
//! [`SyntaxError`] with its span.

use pest::Parser;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

use super::ast::*;
use super::{Rule, RulesParser, SyntaxError};
use crate::source::{FileId, Span};

type Result<T> = std::result::Result<T, SyntaxError>;

/// Limits that keep every recursive walk over a rule (checking, evaluating,
/// dropping) far from the stack's end, whatever the input.
const MAX_BRACKETS: usize = 32;
const MAX_OPERATORS: usize = 100;
const MAX_DEPTH: usize = 64;
const MAX_IFS: usize = 32;

/// Parses one rule file.
pub fn parse_file(file: FileId, text: &str) -> Result<File> {
    check_nesting(file, 0, text)?;
    let mut pairs = RulesParser::parse(Rule::file, text).map_err(|e| SyntaxError::from_pest(e, file, 0, text))?;
    let ctx = Ctx { file, offset: 0, text };
    let root = pairs.next().expect("grammar: file");
    let items = root
        .into_inner()
        .filter(|p| p.as_rule() != Rule::EOI)
        .map(|p| ctx.item(p))
        .collect::<Result<Vec<_>>>()?;
    Ok(File { items })
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_default, Assoc::Left))
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::field_access) | Op::postfix(Rule::index))
});

/// Where the text being walked sits in its file (`offset` is non-zero for the
/// `{…}` holes of message templates, parsed separately).
#[derive(Clone, Copy)]
struct Ctx<'t> {
    file: FileId,
    offset: usize,
    text: &'t str,
}

impl<'t> Ctx<'t> {
    /// The span of a pair, without the whitespace pest lets trail after it.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let end = s.start() + pair.as_str().trim_end().len();
        Span::new(self.file, self.offset + s.start(), self.offset + end)
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&pair),
            name: pair.as_str().to_string(),
        }
    }

    fn item(&self, pair: Pair<Rule>) -> Result<Item> {
        Ok(match pair.as_rule() {
            Rule::kind_def => Item::Kind(self.kind_def(pair)?),
            Rule::entity_def => Item::Entity(self.entity_def(pair)?),
            Rule::show_def => Item::Show(self.show_def(pair)?),
            Rule::group_def => Item::Group(self.group_def(pair)?),
            Rule::entry_def => Item::Entry(self.entry_def(pair)?),
            Rule::source => Item::Source(self.source(pair)?),
            Rule::param => Item::Param(self.param(pair)?),
            Rule::enum_def => Item::Enum(self.enum_def(pair)?),
            Rule::table => Item::Table(self.table(pair)?),
            Rule::for_block => Item::For(self.for_block(pair)?),
            Rule::let_def | Rule::output_def => Item::Let(self.let_def(pair)?),
            Rule::rule => Item::Rule(Box::new(self.rule(pair)?)),
            other => unreachable!("grammar: item {other:?}"),
        })
    }

    fn kind_def(&self, pair: Pair<Rule>) -> Result<KindDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let format = self.string(inner.next().expect("grammar: kind format"))?;
        let mut out = KindDef {
            format,
            title: None,
            version: None,
            root: None,
            as_of: None,
            label: None,
            rules_label: None,
            determinations: None,
            outcomes: Vec::new(),
            repeated: Vec::new(),
            span,
        };
        for item in inner {
            let item_span = self.span(&item);
            let mut seen = |what: &'static str, set: bool| {
                if set {
                    out.repeated.push((what, item_span));
                }
                !set
            };
            match item.as_rule() {
                Rule::title_field => {
                    if seen("title", out.title.is_some()) {
                        out.title = Some(self.string(last(item))?);
                    }
                }
                Rule::version_field => {
                    if seen("version", out.version.is_some()) {
                        out.version = Some(self.string(last(item))?);
                    }
                }
                Rule::kind_root => {
                    if seen("root", out.root.is_some()) {
                        out.root = Some(self.ident(last(item)));
                    }
                }
                Rule::kind_as_of => {
                    if seen("as_of", out.as_of.is_some()) {
                        out.as_of = Some(self.expr(last(item))?);
                    }
                }
                Rule::kind_rules_label => {
                    if seen("rules_label", out.rules_label.is_some()) {
                        out.rules_label = Some(self.lang_pair(last(item))?);
                    }
                }
                Rule::kind_determinations => {
                    if seen("determinations", out.determinations.is_some()) {
                        out.determinations = Some(self.ident(last(item)));
                    }
                }
                Rule::label => {
                    if seen("label", out.label.is_some()) {
                        out.label = Some(self.lang_pair(last(item))?);
                    }
                }
                _ => out.outcomes.push(self.word(item)?),
            }
        }
        Ok(out)
    }

    fn word(&self, pair: Pair<Rule>) -> Result<Word> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let verdict = verdict_name(inner.next().expect("grammar: verdict"));
        let word = self.string(inner.next().expect("grammar: word"))?;
        let label = self.lang_pair(inner.next().expect("grammar: word label"))?;
        let because = inner.next().map(|b| self.lang_pair(last(b))).transpose()?;
        Ok(Word {
            verdict,
            word,
            label,
            because,
            span,
        })
    }

    fn entity_def(&self, pair: Pair<Rule>) -> Result<EntityDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1).peekable();
        let name = self.ident(inner.next().expect("grammar: entity name"));
        let like = inner
            .next_if(|p| p.as_rule() == Rule::like)
            .map(|p| self.ident(last(p)));
        let mut out = EntityDecl {
            name,
            like,
            label: None,
            title: None,
            fields: Vec::new(),
            span,
        };
        for item in inner {
            match item.as_rule() {
                Rule::label => out.label = Some(self.lang_pair(last(item))?),
                Rule::entity_title => out.title = Some(self.ident(last(item))),
                Rule::remark => {}
                _ => out.fields.push(self.field_decl(item)?),
            }
        }
        Ok(out)
    }

    fn field_decl(&self, pair: Pair<Rule>) -> Result<FieldDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("grammar: field name"));
        let ty = self.type_expr(inner.next().expect("grammar: field type"))?;
        let mut out = FieldDecl {
            name,
            ty,
            optional: false,
            nonempty: false,
            default: None,
            unique: None,
            unique_span: None,
            one_of: None,
            unit: Vec::new(),
            unit_span: None,
            example: None,
            label: None,
            span,
        };
        for m in inner {
            match m.as_rule() {
                Rule::optional_mod => out.optional = true,
                Rule::nonempty_mod => out.nonempty = true,
                Rule::default_mod => out.default = Some(self.expr(last(m))?),
                Rule::unique_mod => {
                    out.unique_span = Some(self.span(&m));
                    out.unique = Some(m.into_inner().nth(1).map(|p| self.ident(p)));
                }
                Rule::unit_mod => {
                    out.unit_span = Some(self.span(&m));
                    for s in m.into_inner().skip(1) {
                        out.unit.push(self.string(s)?);
                    }
                }
                Rule::example_mod => {
                    let span = self.span(&m);
                    let mut lits = Vec::new();
                    for v in m.into_inner().skip(1) {
                        lits.push(match v.as_rule() {
                            Rule::string => Example::String(self.string(v)?),
                            Rule::number => Example::Number(v.as_str().replace('_', "")),
                            _ => Example::Bool(v.as_str().trim() == "true"),
                        });
                    }
                    out.example = Some((lits, span));
                }
                Rule::one_of_mod => out.one_of = Some(last(m).into_inner().map(|p| self.ident(p)).collect()),
                _ => out.label = Some(self.lang_pair(last(m))?),
            }
        }
        Ok(out)
    }

    fn show_def(&self, pair: Pair<Rule>) -> Result<ShowDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: show name"));
        let value = self.expr(inner.next().expect("grammar: show value"))?;
        let mut when = None;
        let mut label = None;
        for p in inner {
            match p.as_rule() {
                Rule::expr => when = Some(self.expr(p)?),
                Rule::label => label = Some(self.lang_pair(last(p))?),
                _ => {}
            }
        }
        Ok(ShowDef {
            name,
            value,
            when,
            label: label.expect("grammar: show label"),
            span,
        })
    }

    fn group_def(&self, pair: Pair<Rule>) -> Result<GroupDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: group name"));
        let label = self.lang_pair(last(inner.next().expect("grammar: group label")))?;
        let shows = inner.map(|p| self.show_def(p)).collect::<Result<_>>()?;
        Ok(GroupDef {
            name,
            label,
            shows,
            span,
        })
    }

    fn entry_def(&self, pair: Pair<Rule>) -> Result<EntryDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let key = self.ident(inner.next().expect("grammar: entry key"));
        let mut out = EntryDef {
            key,
            label: None,
            when: None,
            set_aside: false,
            words: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::label => out.label = Some(self.lang_pair(last(p))?),
                Rule::set_aside => out.set_aside = true,
                Rule::entry_when => out.when = Some(self.expr(last(p))?),
                _ => out.words.push(self.word(p)?),
            }
        }
        Ok(out)
    }

    fn source(&self, pair: Pair<Rule>) -> Result<Source> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let _kw = inner.next();
        let name = self.ident(inner.next().expect("grammar: source name"));
        let mut out = Source {
            name,
            title: None,
            in_force: None,
            amended: Vec::new(),
            text_file: None,
            articles: Vec::new(),
            repeated: Vec::new(),
            span,
        };
        for field in inner {
            let field_span = self.span(&field);
            match field.as_rule() {
                Rule::title_field if out.title.is_some() => out.repeated.push(("title", field_span)),
                Rule::title_field => out.title = Some(self.string(last(field))?),
                Rule::in_force_field if out.in_force.is_some() => out.repeated.push(("in_force", field_span)),
                Rule::in_force_field => out.in_force = Some(self.date(last(field))?),
                Rule::text_file_field if out.text_file.is_some() => out.repeated.push(("text_file", field_span)),
                Rule::text_file_field => {
                    let path = last(field);
                    out.text_file = Some((self.string(path.clone())?, self.span(&path)));
                }
                Rule::article_field => out.articles.push(self.article(field)?),
                _ => {
                    for d in field.into_inner().skip(1) {
                        out.amended.push(self.date(d)?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// `article "第9 1" "title" uncited "why"`.
    fn article(&self, pair: Pair<Rule>) -> Result<ArticleDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let id = inner.next().expect("grammar: article id");
        let id_span = self.span(&id);
        let id = self.string(id)?;
        let title = self.string(inner.next().expect("grammar: article title"))?;
        let uncited = match inner.next() {
            Some(u) => Some(self.string(last(u))?),
            None => None,
        };
        Ok(ArticleDecl {
            id,
            id_span,
            title,
            uncited,
            span,
        })
    }

    /// Reads a documentation item into `doc`; returns false when `pair` is
    /// not one.
    fn doc_item(&self, doc: &mut Doc, pair: &Pair<Rule>) -> Result<bool> {
        let span = self.span(pair);
        match pair.as_rule() {
            Rule::label if doc.label.is_some() => doc.repeated.push(("label", span)),
            Rule::label => doc.label = Some(self.lang_pair(last(pair.clone()))?),
            Rule::cite if doc.cite.is_some() => doc.repeated.push(("cite", span)),
            Rule::cite => doc.cite = Some(self.citation(pair.clone())?),
            Rule::also => doc.also.push(self.citation(pair.clone())?),
            Rule::text_field if doc.text.is_some() => doc.repeated.push(("text", span)),
            Rule::text_field => {
                let literal = last(pair.clone());
                doc.text = Some(Quote {
                    span: self.span(&literal),
                    text: self.string(literal)?,
                })
            }
            Rule::remark => doc.remarks.push(self.string(last(pair.clone()))?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn citation(&self, pair: Pair<Rule>) -> Result<Citation> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let source = self.ident(inner.next().expect("grammar: cite source"));
        let article = inner.next().expect("grammar: cite article");
        let article_span = self.span(&article);
        let article = self.string(article)?;
        Ok(Citation {
            source,
            article,
            span,
            article_span,
        })
    }

    fn param(&self, pair: Pair<Rule>) -> Result<Param> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: param name"));
        let ty = self.type_expr(inner.next().expect("grammar: param type"))?;
        let mut doc = Doc::default();
        let mut versions = Vec::new();
        for p in inner {
            if !self.doc_item(&mut doc, &p)? {
                versions.push(self.param_version(p)?);
            }
        }
        Ok(Param {
            name,
            ty,
            doc,
            versions,
            span,
        })
    }

    fn param_version(&self, pair: Pair<Rule>) -> Result<ParamVersion> {
        let span = self.span(&pair);
        let (mut from, mut until, mut value, mut cite) = (None, None, None, None);
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::version_from => from = Some(self.date(last(part))?),
                Rule::version_until => until = Some(self.date(last(part))?),
                Rule::cite => cite = Some(self.citation(part)?),
                _ => value = Some(self.expr(part)?),
            }
        }
        Ok(ParamVersion {
            from,
            until,
            value: value.expect("grammar: a version's value"),
            cite,
            span,
        })
    }

    fn enum_def(&self, pair: Pair<Rule>) -> Result<EnumDef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: enum name"));
        let mut out = EnumDef {
            name,
            open: false,
            doc: Doc::default(),
            help: None,
            variants: Vec::new(),
            span,
        };
        for p in inner {
            if p.as_rule() == Rule::open_flag {
                out.open = true;
            } else if p.as_rule() == Rule::enum_help {
                out.help = Some(self.lang_pair(last(p))?);
            } else if !self.doc_item(&mut out.doc, &p)? {
                out.variants.push(self.variant(p)?);
            }
        }
        Ok(out)
    }

    fn variant(&self, pair: Pair<Rule>) -> Result<Variant> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let code = self.ident(inner.next().expect("grammar: variant code"));
        let mut pair_inner = inner.next().expect("grammar: variant names").into_inner();
        let ja = self.string(pair_inner.nth(1).expect("grammar: ja"))?;
        let en = self.string(pair_inner.nth(1).expect("grammar: en"))?;
        let mut aliases = Vec::new();
        if let Some(a) = inner.next() {
            for s in a.into_inner().skip(1) {
                aliases.push(self.string(s)?);
            }
        }
        Ok(Variant {
            code,
            ja,
            en,
            aliases,
            span,
        })
    }

    fn table(&self, pair: Pair<Rule>) -> Result<Table> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: table name"));
        let key = self.type_expr(inner.next().expect("grammar: key type"))?;
        let value = self.type_expr(inner.next().expect("grammar: value type"))?;
        let mut out = Table {
            name,
            key,
            value,
            doc: Doc::default(),
            entries: Vec::new(),
            otherwise: None,
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::table_entry => {
                    let span = self.span(&p);
                    let mut parts: Vec<Pair<Rule>> = p.into_inner().collect();
                    let value = self.expr(parts.pop().expect("grammar: entry value"))?;
                    let keys = parts.into_iter().map(|k| self.ident(k)).collect();
                    out.entries.push(TableEntry { keys, value, span });
                }
                Rule::table_else => out.otherwise = Some(self.expr(last(p))?),
                _ => {
                    self.doc_item(&mut out.doc, &p)?;
                }
            }
        }
        Ok(out)
    }

    fn type_expr(&self, pair: Pair<Rule>) -> Result<TypeExpr> {
        let inner = pair.into_inner().next().expect("grammar: type");
        Ok(match inner.as_rule() {
            Rule::list_type => {
                let span = self.span(&inner);
                TypeExpr::List(Box::new(self.type_expr(last(inner))?), span)
            }
            _ => TypeExpr::Named(self.ident(inner)),
        })
    }

    fn for_block(&self, pair: Pair<Rule>) -> Result<ForBlock> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let var = self.ident(inner.next().expect("grammar: for var"));
        let _in = inner.next();
        let path = inner
            .next()
            .expect("grammar: for path")
            .into_inner()
            .map(|p| self.ident(p))
            .collect();
        let items = inner.map(|p| self.item(p)).collect::<Result<Vec<_>>>()?;
        Ok(ForBlock { var, path, items, span })
    }

    fn let_def(&self, pair: Pair<Rule>) -> Result<LetDef> {
        let span = self.span(&pair);
        let output = pair.as_rule() == Rule::output_def;
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("grammar: let name"));
        let value_pair = inner.next().expect("grammar: let value");
        let value_text = fold_space(value_pair.as_str());
        let value = self.expr(value_pair)?;
        let (mut explain, mut label) = (None, None);
        match inner.next() {
            Some(e) if e.as_rule() == Rule::label => label = Some(self.lang_pair(last(e))?),
            Some(e) => {
                let mut parts = e.into_inner().skip(1);
                let label = self.lang_pair(parts.next().expect("grammar: explain label"))?;
                let cite = parts.next().map(|c| self.citation(c)).transpose()?;
                explain = Some(Explain { label, cite });
            }
            None => {}
        }
        Ok(LetDef {
            name,
            value,
            value_text,
            output,
            explain,
            label,
            span,
        })
    }

    fn rule(&self, pair: Pair<Rule>) -> Result<Rule_> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let id = self.ident(inner.next().expect("grammar: rule id"));
        let mut out = Rule_ {
            id,
            doc: Doc::default(),
            title: None,
            summary: None,
            discretionary: false,
            effective: None,
            applies: None,
            lets: Vec::new(),
            clauses: Vec::new(),
            span,
        };
        for p in inner {
            if self.doc_item(&mut out.doc, &p)? {
                continue;
            }
            let span = self.span(&p);
            match p.as_rule() {
                Rule::summary if out.summary.is_some() => out.doc.repeated.push(("summary", span)),
                Rule::rule_title if out.title.is_some() => out.doc.repeated.push(("title", span)),
                Rule::rule_title => out.title = Some(self.lang_pair(last(p))?),
                Rule::effective if out.effective.is_some() => out.doc.repeated.push(("effective", span)),
                Rule::applies if out.applies.is_some() => out.doc.repeated.push(("applies", span)),
                Rule::summary => out.summary = Some(self.lang_pair(last(p))?),
                Rule::discretionary => out.discretionary = true,
                Rule::effective => {
                    let mut d = p.into_inner().skip(1);
                    let from = self.date(d.next().expect("grammar: effective from"))?;
                    let until = d.next().map(|x| self.date(x)).transpose()?;
                    out.effective = Some((from, until));
                }
                Rule::applies => {
                    let mut d = p.into_inner().skip(2);
                    let cond = self.expr(d.next().expect("grammar: applies cond"))?;
                    let msg = self.lang_pair(d.next().expect("grammar: applies message"))?;
                    out.applies = Some((cond, msg));
                }
                Rule::let_def => out.lets.push(self.let_def(p)?),
                _ => out.clauses.push(self.clause(p)?),
            }
        }
        Ok(out)
    }

    fn clause(&self, pair: Pair<Rule>) -> Result<Clause> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let outcome = match inner.next().expect("grammar: outcome").as_str() {
            "pass" => Outcome::Pass,
            "fail" => Outcome::Fail,
            "review" => Outcome::Review,
            "warn" => Outcome::Warn,
            _ => Outcome::Note,
        };
        let guard_pair = inner.next().expect("grammar: guard");
        let guard = match guard_pair.into_inner().nth(1) {
            Some(e) => Some(self.expr(e)?),
            None => None,
        };
        let mut clause = Clause {
            outcome,
            guard,
            unless: None,
            cite: None,
            message: LangPair {
                ja: Template { pieces: vec![], span },
                en: Template { pieces: vec![], span },
                span,
            },
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::unless_part => {
                    let mut u = p.into_inner().skip(1);
                    let cond = self.expr(u.next().expect("grammar: unless cond"))?;
                    let message = u.next().map(|e| self.lang_pair(last(e))).transpose()?;
                    clause.unless = Some(Unless { cond, message });
                }
                Rule::cite => clause.cite = Some(self.citation(p)?),
                _ => clause.message = self.lang_pair(p)?,
            }
        }
        Ok(clause)
    }

    fn lang_pair(&self, pair: Pair<Rule>) -> Result<LangPair> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let ja = self.template(inner.nth(1).expect("grammar: ja text"))?;
        let en = self.template(inner.nth(1).expect("grammar: en text"))?;
        Ok(LangPair { ja, en, span })
    }

    /// A message string: text with `{expression}` holes; `{{` and `}}` are
    /// literal braces.
    fn template(&self, pair: Pair<Rule>) -> Result<Template> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().expect("grammar: string inner");
        let raw = inner.as_str();
        let base = self.offset + inner.as_span().start();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|x| x.1) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|x| x.1) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let close = raw[i..].find('}').map(|k| i + k).ok_or_else(|| {
                        SyntaxError::new(
                            Span::new(self.file, base + i, base + i + 1),
                            "unclosed `{` in message: write `{{` for a literal brace",
                        )
                    })?;
                    if !text.is_empty() {
                        pieces.push(Piece::Text(unescape(&std::mem::take(&mut text))));
                    }
                    let src = &raw[i + 1..close];
                    pieces.push(Piece::Hole(self.hole(src, base + i + 1)?, fold_space(src)));
                    while chars.peek().is_some_and(|x| x.0 <= close) {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(SyntaxError::new(
                        Span::new(self.file, base + i, base + i + 1),
                        "unmatched `}` in message: write `}}` for a literal brace",
                    ));
                }
                _ => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(unescape(&text)));
        }
        Ok(Template { pieces, span })
    }

    fn hole(&self, src: &str, offset: usize) -> Result<Expr> {
        check_nesting(self.file, offset, src)?;
        let mut pairs = RulesParser::parse(Rule::interpolation, src)
            .map_err(|e| SyntaxError::from_pest(e, self.file, offset, src))?;
        let ctx = Ctx {
            file: self.file,
            offset,
            text: src,
        };
        let whole = pairs.next().expect("grammar: interpolation");
        ctx.expr(whole.into_inner().next().expect("grammar: hole expr"))
    }

    fn string(&self, pair: Pair<Rule>) -> Result<String> {
        let inner = pair.into_inner().next().expect("grammar: string inner");
        Ok(unescape(inner.as_str()))
    }

    fn date(&self, pair: Pair<Rule>) -> Result<jiff::civil::Date> {
        let span = self.span(&pair);
        jiff::civil::Date::from_str(pair.as_str())
            .map_err(|_| SyntaxError::new(span, format!("`{}` is not a valid date", pair.as_str())))
    }

    fn number(&self, pair: &Pair<Rule>) -> Result<Decimal> {
        let clean: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        // `from_str_exact`: a literal with more decimal places than a decimal
        // holds is an error, never silently rounded (to 0).
        Decimal::from_str_exact(&clean).map_err(|_| {
            SyntaxError::new(
                self.span(pair),
                format!("`{}` is not a number this engine can hold exactly", pair.as_str()),
            )
        })
    }

    fn expr(&self, pair: Pair<Rule>) -> Result<Expr> {
        debug_assert_eq!(pair.as_rule(), Rule::expr);
        let span = self.span(&pair);
        // Every operator and every `.field` / `[key]` counts: the tree built
        // from them is walked recursively.
        let operators = pair.clone().into_inner().filter(|p| is_operator(p.as_rule())).count();
        if operators > MAX_OPERATORS {
            let msg = format!(
                "this expression has {operators} operators; split it into `let` steps (at most {MAX_OPERATORS})"
            );
            return Err(SyntaxError::new(span, msg));
        }
        let e = self.pratt(pair.into_inner())?;
        if depth(&e) > MAX_DEPTH {
            let msg = format!("this expression is nested more than {MAX_DEPTH} levels deep; split it into `let` steps");
            return Err(SyntaxError::new(span, msg));
        }
        Ok(e)
    }

    fn pratt(&self, pairs: Pairs<Rule>) -> Result<Expr> {
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = self.span(&op).to(rhs.span);
                let op = if op.as_rule() == Rule::op_not {
                    UnOp::Not
                } else {
                    UnOp::Neg
                };
                Ok(Expr {
                    kind: ExprKind::Unary(op, Box::new(rhs)),
                    span,
                })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = lhs.span.to(self.span(&op));
                let kind = match op.as_rule() {
                    Rule::field_access => ExprKind::Field(Box::new(lhs), self.ident(last(op))),
                    _ => ExprKind::Index(Box::new(lhs), Box::new(self.expr(last(op))?)),
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let span = lhs.span.to(rhs.span);
                Ok(Expr {
                    kind: ExprKind::Binary(bin_op(op.as_rule()), Box::new(lhs), Box::new(rhs)),
                    span,
                })
            })
            .parse(pairs)
    }

    fn primary(&self, pair: Pair<Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                let inner = self.expr(last(pair))?;
                return Ok(Expr { kind: inner.kind, span });
            }
            Rule::name => ExprKind::Name(self.ident(last(pair))),
            Rule::verdict_lit => ExprKind::Verdict(verdict_name(pair)),
            Rule::date_lit => ExprKind::Lit(Literal::Date(self.date(pair)?)),
            Rule::fy_lit => {
                let year: i32 = pair.as_str()[2..].parse().expect("grammar: four digits");
                ExprKind::Lit(Literal::FiscalYear(year))
            }
            Rule::number => ExprKind::Lit(Literal::Number(self.number(&pair)?)),
            Rule::percent_lit => {
                let n = self.number(&pair.into_inner().next().expect("grammar: percent"))?;
                ExprKind::Lit(Literal::Percent(n / Decimal::ONE_HUNDRED))
            }
            Rule::money_lit => {
                let mut inner = pair.into_inner();
                let n = self.number(&inner.next().expect("grammar: amount"))?;
                let unit = match inner.next().map(|u| u.as_str()) {
                    Some("万円") => Decimal::from(10_000),
                    Some("千円") => Decimal::from(1_000),
                    _ => Decimal::ONE,
                };
                let value = n
                    .checked_mul(unit)
                    .ok_or_else(|| SyntaxError::new(span, "amount too large"))?;
                ExprKind::Lit(Literal::Money(value))
            }
            Rule::string => ExprKind::Lit(Literal::Text(self.string(pair)?)),
            Rule::bool_lit => ExprKind::Lit(Literal::Bool(pair.as_str() == "true")),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next().expect("grammar: fn name"));
                let args = inner.map(|a| self.expr(a)).collect::<Result<Vec<_>>>()?;
                ExprKind::Call(name, args)
            }
            Rule::if_expr => {
                let parts: Vec<Pair<Rule>> = pair.into_inner().filter(|p| p.as_rule() == Rule::expr).collect();
                let [c, t, e]: [Pair<Rule>; 3] = parts.try_into().expect("grammar: if parts");
                ExprKind::If(
                    Box::new(self.expr(c)?),
                    Box::new(self.expr(t)?),
                    Box::new(self.expr(e)?),
                )
            }
            Rule::list_lit => ExprKind::List(pair.into_inner().map(|e| self.expr(e)).collect::<Result<_>>()?),
            Rule::comprehension => {
                let mut inner = pair.into_inner();
                let head = self.expr(inner.next().expect("grammar: head"))?;
                let _for = inner.next();
                let var = self.ident(inner.next().expect("grammar: var"));
                let _in = inner.next();
                let iter = self.expr(inner.next().expect("grammar: iter"))?;
                let filter = match inner.nth(1) {
                    Some(f) => Some(Box::new(self.expr(f)?)),
                    None => None,
                };
                ExprKind::Comprehension {
                    head: Box::new(head),
                    var,
                    iter: Box::new(iter),
                    filter,
                }
            }
            other => unreachable!("grammar: primary {other:?} in {:?}", self.text.len()),
        };
        Ok(Expr { kind, span })
    }
}

type Rule_ = super::ast::Rule;

/// Rejects nesting deeper than pest (a recursive-descent parser) can take
/// safely, before it sees the text: brackets nested more than
/// [`MAX_BRACKETS`] levels, and more than [`MAX_IFS`] `if`s in one statement
/// (`if … else if …` nests without brackets). A statement starts at a line
/// whose first word begins a declaration or a clause. Strings and comments
/// are skipped; `offset` is where `text` starts in its file (non-zero for the
/// `{…}` holes of a message, which are checked on their own).
fn check_nesting(file: FileId, offset: usize, text: &str) -> Result<()> {
    let mut depth = 0usize;
    let mut ifs = 0usize;
    let mut line_start = true;
    let mut chars = text.char_indices().peekable();
    let at = |i: usize, len: usize| Span::new(file, offset + i, offset + i + len);
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            line_start = true;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let first_on_line = std::mem::replace(&mut line_start, false);
        match c {
            '"' => {
                while let Some((_, x)) = chars.next() {
                    match x {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '#' => while chars.next_if(|(_, x)| *x != '\n').is_some() {},
            '/' if chars.peek().map(|x| x.1) == Some('/') => while chars.next_if(|(_, x)| *x != '\n').is_some() {},
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    let msg = format!("brackets nested more than {MAX_BRACKETS} levels deep");
                    return Err(SyntaxError::new(at(i, c.len_utf8()), msg));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if c.is_alphanumeric() || c == '_' => {
                let end = text[i..]
                    .char_indices()
                    .find(|(_, x)| !(x.is_alphanumeric() || *x == '_'))
                    .map_or(text.len(), |(k, _)| i + k);
                let word = &text[i..end];
                if first_on_line && STATEMENT_STARTS.contains(&word) {
                    ifs = 0;
                }
                if word == "if" {
                    ifs += 1;
                    if ifs > MAX_IFS {
                        let msg =
                            format!("more than {MAX_IFS} `if`s in one statement: split it into `let` steps or a table");
                        return Err(SyntaxError::new(at(i, 2), msg));
                    }
                }
                while chars.next_if(|(k, _)| *k < end).is_some() {}
            }
            _ => {}
        }
    }
    Ok(())
}

/// Words that begin a declaration or a clause when they start a line.
const STATEMENT_STARTS: [&str; 28] = [
    "let", "output", "rule", "pass", "fail", "review", "warn", "note", "applies", "summary", "cite", "also", "text",
    "param", "table", "enum", "for", "show", "entry", "group", "kind", "entity", "source", "explain", "label", "as_of",
    "outcome", "word",
];

/// The depth of an expression tree.
fn depth(e: &Expr) -> usize {
    1 + match &e.kind {
        ExprKind::Lit(_) | ExprKind::Name(_) | ExprKind::Verdict(_) => 0,
        ExprKind::Field(x, _) | ExprKind::Unary(_, x) => depth(x),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => depth(a).max(depth(b)),
        ExprKind::Call(_, args) | ExprKind::List(args) => args.iter().map(depth).max().unwrap_or(0),
        ExprKind::If(a, b, c) => depth(a).max(depth(b)).max(depth(c)),
        ExprKind::Comprehension { head, iter, filter, .. } => {
            depth(head).max(depth(iter)).max(filter.as_deref().map_or(0, depth))
        }
    }
}

fn is_operator(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        op_default
            | op_or
            | op_and
            | op_not_in
            | op_in
            | op_eq
            | op_ne
            | op_le
            | op_ge
            | op_lt
            | op_gt
            | op_add
            | op_sub
            | op_mul
            | op_div
            | op_not
            | op_neg
            | field_access
            | index
    )
}

/// Text with every run of white space folded to one space.
fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pass`, `fail`, `review` or `unknown` (the pair or its only child).
fn verdict_name(pair: Pair<Rule>) -> VerdictName {
    match pair.as_str().trim() {
        "pass" => VerdictName::Pass,
        "fail" => VerdictName::Fail,
        "review" => VerdictName::Review,
        _ => VerdictName::Unknown,
    }
}

fn last(pair: Pair<Rule>) -> Pair<Rule> {
    pair.into_inner().last().expect("grammar: non-empty pair")
}

fn bin_op(r: Rule) -> BinOp {
    match r {
        Rule::op_default => BinOp::Default,
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        Rule::op_in => BinOp::In,
        Rule::op_not_in => BinOp::NotIn,
        Rule::op_add => BinOp::Add,
        Rule::op_sub => BinOp::Sub,
        Rule::op_mul => BinOp::Mul,
        _ => BinOp::Div,
    }
}

/// `\"`, `\\`, `\n`; any other escaped character stands for itself.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr_of(src: &str) -> Expr {
        let file = parse_file(0, &format!("let x = {src}")).unwrap_or_else(|e| panic!("{src}: {e}"));
        match file.items.into_iter().next() {
            Some(Item::Let(l)) => l.value,
            other => panic!("not a let: {other:?}"),
        }
    }

    #[test]
    fn money_literals_are_exact_yen() {
        for (src, yen) in [
            ("1000万円", 10_000_000),
            ("10万円", 100_000),
            ("1200千円", 1_200_000),
            ("10_000_000円", 10_000_000),
            ("5 yen", 5),
        ] {
            assert_eq!(
                expr_of(src).kind,
                ExprKind::Lit(Literal::Money(Decimal::from(yen))),
                "{src}"
            );
        }
        assert_eq!(expr_of("20%").kind, ExprKind::Lit(Literal::Percent(Decimal::new(2, 1))));
    }

    #[test]
    fn multiplication_binds_tighter_than_comparison_and_and() {
        let e = expr_of("a + b * 2 > c and not d");
        let ExprKind::Binary(BinOp::And, lhs, rhs) = e.kind else {
            panic!("and at the top")
        };
        assert!(matches!(rhs.kind, ExprKind::Unary(UnOp::Not, _)));
        let ExprKind::Binary(BinOp::Gt, sum, _) = lhs.kind else {
            panic!("> under and")
        };
        let ExprKind::Binary(BinOp::Add, _, product) = sum.kind else {
            panic!("+ under >")
        };
        assert!(matches!(product.kind, ExprKind::Binary(BinOp::Mul, _, _)));
    }

    #[test]
    fn spans_point_at_the_source_text() {
        let src = "let total = sum([e.amount for e in xs where e.ok])";
        let file = parse_file(0, src).unwrap();
        let Item::Let(l) = &file.items[0] else { panic!() };
        assert_eq!(&src[l.value.span.range()], "sum([e.amount for e in xs where e.ok])");
        assert_eq!(&src[l.name.span.range()], "total");
    }

    #[test]
    fn message_holes_are_parsed_with_their_offsets() {
        let src = r#"rule a.b { pass otherwise ja "合計 {x + 1} 円 {{括弧}}" en "total {x}" }"#;
        let file = parse_file(0, src).unwrap();
        let Item::Rule(r) = &file.items[0] else { panic!() };
        let pieces = &r.clauses[0].message.ja.pieces;
        assert_eq!(pieces.len(), 3);
        let Piece::Hole(h, text) = &pieces[1] else {
            panic!("a hole")
        };
        assert_eq!(text, "x + 1");
        assert_eq!(&src[h.span.range()], "x + 1");
        assert_eq!(pieces[2], Piece::Text(" 円 {括弧}".into()));
    }

    #[test]
    fn an_unclosed_hole_is_an_error_at_the_brace() {
        let src = r#"rule a.b { pass otherwise ja "合計 {x" en "t" }"#;
        let e = parse_file(0, src).unwrap_err();
        assert_eq!(&src[e.span.range()], "{");
        assert!(e.message.contains("unclosed `{`"), "{}", e.message);
    }

    #[test]
    fn a_syntax_error_says_what_was_expected() {
        let src = "param cap: money {\n  2020-11-02.. = \n}";
        let e = parse_file(0, src).unwrap_err();
        assert!(e.message.starts_with("expected "), "{}", e.message);
        assert_eq!(e.expected, vec!["an expression".to_string()]);
        assert_eq!(&src[e.span.range()], "}");
    }

    #[test]
    fn keywords_are_not_names_but_prefixes_of_names_are() {
        assert!(parse_file(0, "let pass = 1").is_err());
        assert!(matches!(expr_of("passed").kind, ExprKind::Name(_)));
        assert!(matches!(expr_of("in_force_x").kind, ExprKind::Name(_)));
    }
}
