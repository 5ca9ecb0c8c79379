//! `grant-rules coverage`: which article of each cited document the rules
//! decide, computed from a loaded rule book instead of written by hand, so
//! it cannot drift from `rules/`. The README's Coverage section is its
//! output (a test regenerates it and compares).
//!
//! The articles are the `article`s of each `source` (the checker already
//! refused a citation of an article not listed). An article is covered by
//! every citation of it, in any kind: a rule's `cite`, `also` or clause
//! `cite`, a parameter's, table's or enum's, a step's `explain … cite`. An
//! article nothing cites must say why (`uncited "…"`), and one that is cited
//! must not: either is a [`Problem`], never left out silently. A source that
//! lists no articles is shown by the articles its citations name.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::check::{CheckError, article_key};
use crate::diag::{self, Report};
use crate::model::number::{group_digits, ratio};
use crate::program::{Article, CiteRole, Cited, Citer, Piece, SourceDoc, Ty};
use crate::rules::RuleBook;
use crate::source::SourceMap;
use crate::value::Value;

/// The coverage of a rule book: its Markdown, and what is wrong with the
/// article lists.
pub struct Coverage<'a> {
    pub markdown: String,
    pub problems: Vec<Problem<'a>>,
}

/// An article that gives no reason why nothing cites it, or gives one
/// though something does: an error with the article's span, and the files
/// of the kind it was found in (which its span points into).
pub struct Problem<'a> {
    pub error: CheckError,
    pub sources: &'a SourceMap,
}

impl Coverage<'_> {
    /// The problems as diagnostics (`file:line:column`, the article's line).
    pub fn render_problems(&self) -> String {
        self.problems
            .iter()
            .map(|p| {
                let e = &p.error;
                let report = Report {
                    message: &e.message,
                    span: e.span,
                    label: &e.label,
                    notes: &e.notes,
                    secondary: &e.secondary,
                };
                diag::render(p.sources, &[report])
            })
            .collect()
    }
}

/// One document the rules cite, gathered over every kind.
struct Doc<'a> {
    doc: &'a SourceDoc,
    /// The files of the kind it was first met in (its articles' spans).
    sources: &'a SourceMap,
    /// Per article of `doc.articles`, then per article cited that is not
    /// listed (a source with no list): who cites it.
    citers: Vec<Vec<Citing<'a>>>,
    unlisted: Vec<String>,
}

/// What cites an article, with every way it does.
#[derive(Clone)]
struct Citing<'a> {
    by: Citer,
    name: &'a str,
    roles: Vec<CiteRole>,
}

/// Computes the coverage of every kind of `book`.
pub fn of(book: &RuleBook) -> Coverage<'_> {
    let mut docs: Vec<Doc> = Vec::new();
    for p in &book.kinds {
        for c in &p.citations {
            let source = &p.docs[c.source as usize];
            let i = match docs.iter().position(|d| d.doc.name == source.name) {
                Some(i) => i,
                None => {
                    docs.push(Doc {
                        doc: source,
                        sources: &p.sources,
                        citers: vec![Vec::new(); source.articles.len()],
                        unlisted: Vec::new(),
                    });
                    docs.len() - 1
                }
            };
            docs[i].add(c);
        }
    }
    // A source every kind declares but nothing cites is listed too.
    for p in &book.kinds {
        for source in &p.docs {
            if !docs.iter().any(|d| d.doc.name == source.name) {
                docs.push(Doc {
                    doc: source,
                    sources: &p.sources,
                    citers: vec![Vec::new(); source.articles.len()],
                    unlisted: Vec::new(),
                });
            }
        }
    }
    let mut problems = Vec::new();
    let mut md = String::new();
    md.push_str(INTRO);
    for d in &docs {
        d.render(&mut md, &mut problems);
    }
    rules_table(book, &mut md);
    params_table(book, &mut md);
    Coverage { markdown: md, problems }
}

const INTRO: &str = "## Coverage: the guidelines → the rules

Computed from the rules by `grant-rules coverage` (a test keeps this section
and `rules/` in step). Each document the rules cite is a `source` in
`rules/common/00-sources.rules` with its text (`rules/common/texts/`, every
quote in the rules is checked against it when they load) and its articles:
for each, what cites it in every kind — rules (by `cite`, `also` or the
`cite` of a clause), parameters, tables and steps — or, when nothing does,
why. A citation of an article that is not listed does not load.
";

impl<'a> Doc<'a> {
    fn add(&mut self, c: &'a Cited) {
        let key = article_key(&c.article);
        let at = match self.doc.articles.iter().position(|a| article_key(&a.id) == key) {
            Some(i) => i,
            None => match self.unlisted.iter().position(|u| article_key(u) == key) {
                Some(i) => self.doc.articles.len() + i,
                None => {
                    self.unlisted.push(c.article.clone());
                    self.citers.push(Vec::new());
                    self.citers.len() - 1
                }
            },
        };
        let citers = &mut self.citers[at];
        match citers.iter_mut().find(|x| x.by == c.by && x.name == &*c.name) {
            Some(x) if !x.roles.contains(&c.role) => x.roles.push(c.role),
            Some(_) => {}
            None => citers.push(Citing {
                by: c.by,
                name: &c.name,
                roles: vec![c.role],
            }),
        }
    }

    fn render(&self, md: &mut String, problems: &mut Vec<Problem<'a>>) {
        let d = self.doc;
        let _ = write!(md, "\n### {}", d.name);
        if d.title != d.name {
            let _ = write!(md, ": {}", d.title);
        }
        md.push_str("\n\n");
        if let Some(file) = &d.text_file {
            let _ = writeln!(md, "Text: `{file}`.\n");
        }
        if d.articles.is_empty() {
            md.push_str("It lists no articles: the articles its citations name.\n\n");
        }
        md.push_str("| article | what it says | cited by |\n|---|---|---|\n");
        for (i, a) in d.articles.iter().enumerate() {
            let cell = self.cited_by(i, a, problems);
            let _ = writeln!(md, "| {} | {} | {} |", cell_text(&a.id), cell_text(&a.title), cell);
        }
        for (i, id) in self.unlisted.iter().enumerate() {
            let cell = citers_text(&self.citers[d.articles.len() + i]);
            let _ = writeln!(md, "| {} | | {} |", cell_text(id), cell);
        }
    }

    /// The "cited by" cell of a listed article, checking its `uncited`.
    fn cited_by(&self, i: usize, a: &Article, problems: &mut Vec<Problem<'a>>) -> String {
        let citers = &self.citers[i];
        let problem = |error: CheckError| Problem {
            error,
            sources: self.sources,
        };
        match (&a.uncited, citers.is_empty()) {
            (Some(why), true) => format!("— *{}*", cell_text(why)),
            (None, true) => {
                problems.push(problem(
                    CheckError::new(
                        a.span,
                        format!(
                            "nothing cites article `{}` of {}, and it does not say why",
                            a.id, self.doc.name
                        ),
                    )
                    .label("cited by no rule, parameter, table or step")
                    .note("say why with `uncited \"…\"` (procedural, an input check, not in the format …)"),
                ));
                "— (no reason given)".to_string()
            }
            (Some(_), false) => {
                let c = &citers[0];
                problems.push(problem(
                    CheckError::new(
                        a.span,
                        format!(
                            "article `{}` of {} says nothing cites it, but {} `{}` does",
                            a.id,
                            self.doc.name,
                            c.by.word(),
                            c.name
                        ),
                    )
                    .label("has an `uncited` reason")
                    .note("remove its `uncited \"…\"`"),
                ));
                citers_text(citers)
            }
            (None, false) => citers_text(citers),
        }
    }
}

/// `rule `a.b`, parameter `x` (also)`: what cites an article.
fn citers_text(citers: &[Citing]) -> String {
    citers
        .iter()
        .map(|c| {
            let how: Vec<&str> = c
                .roles
                .iter()
                .filter_map(|r| match r {
                    CiteRole::Cite => None,
                    CiteRole::Also => Some("also"),
                    CiteRole::Clause => Some("a clause"),
                    CiteRole::Version => Some("a version's value"),
                })
                .collect();
            if c.roles.contains(&CiteRole::Cite) || how.is_empty() {
                format!("{} `{}`", c.by.word(), c.name)
            } else {
                format!("{} `{}` ({})", c.by.word(), c.name, how.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every rule of every kind, with its citations and what it requires.
fn rules_table(book: &RuleBook, md: &mut String) {
    md.push_str("\n### Every rule\n\n| rule | kind | cites | what it requires | file |\n|---|---|---|---|---|\n");
    for p in &book.kinds {
        for r in &p.rules {
            let mut cites = r.cite_text.to_string();
            for also in &r.also_texts {
                let _ = write!(cites, "; also {also}");
            }
            let summary = r.summary.as_ref().map(|m| flat(&m.en)).unwrap_or_default();
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | `{}` |",
                r.id,
                p.kind.name,
                cell_text(&cites),
                cell_text(&summary),
                p.sources.tree_name(r.span.file)
            );
        }
    }
}

/// Every parameter, once (a common one is in every kind), with its values
/// and the kinds whose rules read it.
fn params_table(book: &RuleBook, md: &mut String) {
    md.push_str("\n### Parameters\n\n| parameter | what | value | cites | read by |\n|---|---|---|---|---|\n");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows: Vec<(String, Vec<&str>)> = Vec::new();
    for p in &book.kinds {
        for (i, param) in p.params.iter().enumerate() {
            let used = p.params_used.get(i).copied().unwrap_or(false);
            let row = match seen.get(param.name.as_str()) {
                Some(&row) => row,
                None => {
                    let values: Vec<String> = param
                        .versions
                        .iter()
                        .map(|v| {
                            let value = value_text(&v.value, &param.ty);
                            let dates = match (v.from, v.until) {
                                (Some(f), Some(u)) => format!(" from {f} until {u}"),
                                (Some(f), None) => format!(" from {f}"),
                                (None, Some(u)) => format!(" until {u}"),
                                (None, None) => " (any date)".to_string(),
                            };
                            let by = v
                                .citation
                                .as_deref()
                                .map(|c| format!(", set by {c}"))
                                .unwrap_or_default();
                            format!("{value}{dates}{by}")
                        })
                        .collect();
                    let line = format!(
                        "| `{}` | {} | {} | {} |",
                        param.name,
                        cell_text(&param.label.as_ref().map(|l| l.en.clone()).unwrap_or_default()),
                        cell_text(&values.join("; ")),
                        cell_text(param.shown.citation.as_deref().unwrap_or("—")),
                    );
                    seen.insert(&param.name, rows.len());
                    rows.push((line, Vec::new()));
                    rows.len() - 1
                }
            };
            if used {
                rows[row].1.push(&p.kind.name);
            }
        }
    }
    for (line, kinds) in rows {
        let read_by = if kinds.is_empty() {
            "—".to_string()
        } else {
            kinds.join(", ")
        };
        let _ = writeln!(md, "{line} {read_by} |");
    }
}

/// A parameter's value as the coverage shows it: amounts in yen, ratios
/// exact, the rest as written.
fn value_text(v: &Value, ty: &Ty) -> String {
    match (v, ty) {
        (Value::Num(n), Ty::Money) => format!("{}円", group_digits(*n)),
        (Value::Num(n), Ty::Ratio) => ratio(*n),
        (Value::Num(n), _) => group_digits(*n),
        (Value::Text(s), _) => format!("「{s}」"),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Date(d), _) => d.to_string(),
        (Value::FiscalYear(y), _) => format!("FY{y}"),
        _ => "—".to_string(),
    }
}

/// A message template as text, its holes as written (`{grant_unit}`).
fn flat(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Hole(h) => format!("{{{}}}", h.text),
        })
        .collect()
}

/// Text for a Markdown table cell: one line, its pipes escaped.
fn cell_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn cells_are_one_line_without_bare_pipes() {
        assert_eq!(cell_text("5·|Δ| ≥\n  approved"), "5·\\|Δ\\| ≥ approved");
    }
}
