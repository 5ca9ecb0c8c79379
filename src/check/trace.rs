//! Traceability to the documents the rules cite, checked when the rules
//! load: each `source`'s text (`text_file`) and article list (`article`),
//! every citation's article, and every quote (`text "…"`) against the text
//! of the document its `cite` names ([`super::quote`]). A rule tree that
//! quotes words its guideline does not have, or cites an article the
//! guideline does not list, does not load. What is resolved here stays in
//! the program ([`Cited`]), for `grant-rules coverage`.
//!
//! Decisions written down here:
//! - a quote is looked for in the source of the declaration's `cite` only:
//!   a decision shows the quote beside that citation, so that is where a
//!   reader looks for it. A quote that is only in a source the declaration
//!   cites with `also` is refused, with a note saying so;
//! - a source without `text_file` has its quotes unchecked (a tree may
//!   cite documents it does not carry); one without `article`s has its
//!   citations' articles unchecked;
//! - articles compare as [`article_key`]: NFKC, and spaces count only
//!   between two digits (`第3 (1)` is `第3(1)`, but `第1 2` is not `第12`);
//! - a citation nothing else resolves (a table's or an enum's, a
//!   parameter's `also`) has its source checked here: no citation names an
//!   undeclared source;
//! - a quote with no `cite` (a parameter's, a table's) is an error: there
//!   would be no document to find it in.

use std::collections::HashMap;
use std::sync::Arc;

use super::quote::{self, Miss};
use super::{CheckError, Checker};
use crate::program::{Article, CiteRole, Cited, Citer, SourceId};
use crate::source::{SourceMap, Span, tree_path};
use crate::syntax::ast;
use crate::text::{Compact, did_you_mean, kagi, normalize};

/// How many characters of a quote or a text a message shows around the
/// place they part.
const CONTEXT: usize = 16;

/// An article id as citations compare it: NFKC, white space dropped except
/// one space between two digits.
pub fn article_key(id: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in normalize(id).chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && c.is_ascii_digit() && out.ends_with(|p: char| p.is_ascii_digit()) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Which citations of a declaration the rest of the checker already
/// resolves (and reports when their source is unknown).
#[derive(Clone, Copy)]
struct Resolved {
    cite: bool,
    also: bool,
}

impl Checker<'_> {
    /// Resolves the sources' texts and articles, checks every citation's
    /// article and every quote, and records the citations.
    pub(crate) fn trace(&mut self, sources: &SourceMap, files: &[ast::File]) {
        self.resolve_sources(sources, files);
        let mut texts = HashMap::new();
        for file in files {
            self.trace_items(sources, &file.items, &mut texts);
        }
    }

    fn resolve_sources(&mut self, sources: &SourceMap, files: &[ast::File]) {
        let mut done = vec![false; self.docs.len()];
        let decls = files.iter().flat_map(|f| &f.items).filter_map(|i| match i {
            ast::Item::Source(s) => Some(s),
            _ => None,
        });
        for s in decls {
            // A source declared twice is an error already; the first counts.
            let Some(&id) = self.sources.get(&s.name.name) else {
                continue;
            };
            if std::mem::replace(&mut done[id as usize], true) {
                continue;
            }
            self.repeated(&format!("source `{}`", s.name.name), &s.repeated);
            if let Some((path, span)) = &s.text_file {
                self.docs[id as usize].text = self.text_file(sources, path, *span);
            }
            let mut seen: HashMap<String, Span> = HashMap::new();
            for a in &s.articles {
                if let Some(first) = seen.get(&article_key(&a.id)) {
                    self.error(
                        CheckError::new(
                            a.id_span,
                            format!("article `{}` of `{}` is listed twice", a.id, s.name.name),
                        )
                        .label("listed again here")
                        .secondary(*first, "first listed here"),
                    );
                    continue;
                }
                seen.insert(article_key(&a.id), a.id_span);
                self.docs[id as usize].articles.push(Article {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    uncited: a.uncited.clone(),
                    span: a.span,
                });
            }
        }
    }

    /// The loaded text `text_file` names: a `*.txt` of the tree's
    /// `common/texts/`, by its place in the tree.
    fn text_file(&mut self, sources: &SourceMap, path: &str, span: Span) -> Option<u32> {
        let texts: Vec<u32> = (0..sources.len() as u32)
            .filter(|f| crate::source::is_text(sources.name(*f)))
            .collect();
        let wanted = tree_path(path);
        if let Some(f) = texts.iter().find(|f| sources.tree_name(**f) == wanted) {
            return Some(*f);
        }
        let names: Vec<String> = texts.iter().map(|f| sources.tree_name(*f)).collect();
        let mut e = CheckError::new(span, format!("no text file `{path}` in the rule tree"))
            .label("not found")
            .note(format!(
                "a document's text is a `*.txt` file in the common folder's `{}/`, named relative to the common folder",
                crate::source::TEXTS
            ));
        if let Some(h) = did_you_mean(&wanted, names.iter().map(String::as_str)) {
            e = e.note(h);
        }
        if !names.is_empty() {
            e = e.note(format!("the texts are: {}", names.join(", ")));
        }
        self.error(e);
        None
    }

    fn trace_items(&mut self, sources: &SourceMap, items: &[ast::Item], texts: &mut HashMap<SourceId, Compact>) {
        for item in items {
            match item {
                ast::Item::Param(p) => {
                    let resolved = Resolved {
                        cite: true,
                        also: false,
                    };
                    self.trace_doc(sources, Citer::Param, &p.name.name, &p.doc, resolved, texts);
                    for c in p.versions.iter().filter_map(|v| v.cite.as_ref()) {
                        self.cited(Citer::Param, &p.name.name, CiteRole::Version, c, true);
                    }
                }
                ast::Item::Table(t) => {
                    let resolved = Resolved {
                        cite: false,
                        also: false,
                    };
                    self.trace_doc(sources, Citer::Table, &t.name.name, &t.doc, resolved, texts);
                }
                ast::Item::Enum(e) => {
                    let resolved = Resolved {
                        cite: false,
                        also: false,
                    };
                    self.trace_doc(sources, Citer::Enum, &e.name.name, &e.doc, resolved, texts);
                }
                ast::Item::Rule(r) => {
                    let resolved = Resolved { cite: true, also: true };
                    self.trace_doc(sources, Citer::Rule, &r.id.name, &r.doc, resolved, texts);
                    for c in r.clauses.iter().filter_map(|c| c.cite.as_ref()) {
                        self.cited(Citer::Rule, &r.id.name, CiteRole::Clause, c, true);
                    }
                }
                ast::Item::Let(l) => {
                    if let Some(c) = l.explain.as_ref().and_then(|x| x.cite.as_ref()) {
                        self.cited(Citer::Let, &l.name.name, CiteRole::Cite, c, true);
                    }
                }
                ast::Item::For(f) => self.trace_items(sources, &f.items, texts),
                _ => {}
            }
        }
    }

    /// A declaration's `cite`, `also`s and quote.
    fn trace_doc(
        &mut self,
        sources: &SourceMap,
        by: Citer,
        name: &str,
        doc: &ast::Doc,
        resolved: Resolved,
        texts: &mut HashMap<SourceId, Compact>,
    ) {
        if let Some(c) = &doc.cite {
            self.cited(by, name, CiteRole::Cite, c, resolved.cite);
        }
        for c in &doc.also {
            self.cited(by, name, CiteRole::Also, c, resolved.also);
        }
        let Some(q) = &doc.text else { return };
        let Some(cite) = &doc.cite else {
            // A rule without `cite` is reported with all it lacks.
            if by != Citer::Rule {
                self.error(
                    CheckError::new(q.span, format!("the quote of {} `{name}` cites nothing", by.word()))
                        .label("from which document?")
                        .note("give the article it quotes with `cite SOURCE \"article\"`"),
                );
            }
            return;
        };
        let Some(&source) = self.sources.get(&cite.source.name) else {
            return;
        };
        let Some(miss) = self.quote_miss(sources, source, &q.text, texts) else {
            return;
        };
        let doc_name = self.docs[source as usize].name.clone();
        let file = self.docs[source as usize]
            .text
            .map(|f| sources.tree_name(f))
            .unwrap_or_default();
        let mut e = CheckError::new(q.span, format!("the quote is not in the text of {doc_name}"))
            .label(format!("not in {file}"));
        match miss {
            Miss::Empty => e = e.note("a quote has words of the document, not only elisions `…`"),
            Miss::Part(p) => {
                let text = self.docs[source as usize].text.map_or("", |f| sources.text(f));
                let part = if p.count > 1 {
                    format!("its part {} of {} (between `…`s)", p.index + 1, p.count)
                } else {
                    "it".to_string()
                };
                let found = q.text[p.found.clone()].trim_end();
                let rest = first_chars(q.text[p.rest.clone()].trim_start());
                if p.out_of_order {
                    e = e.note(format!(
                        "{part} is in the text, but before part {}: elided parts keep the text's order",
                        p.index
                    ));
                } else if let (Some(at), false) = (p.text_at, found.is_empty()) {
                    let goes_on = first_chars(text[at..].trim_start());
                    e = e.note(format!(
                        "the text has {part} as far as {}, then {} where the quote has {}",
                        kagi(&last_chars(found)),
                        kagi(&goes_on),
                        kagi(&rest)
                    ));
                    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                    if let Some(f) = self.docs[source as usize].text {
                        e = e.secondary(Span::new(f, at, end), "the text goes on here");
                    }
                } else {
                    e = e.note(format!(
                        "the text does not have even the beginning of {part}: {}",
                        kagi(&rest)
                    ));
                }
            }
        }
        for also in &doc.also {
            let Some(&other) = self.sources.get(&also.source.name) else {
                continue;
            };
            if other != source && self.has_text(other) && self.quote_miss(sources, other, &q.text, texts).is_none() {
                e = e.note(format!(
                    "it is in the text of {}, which is cited with `also`: a quote is of the document of the `cite`",
                    also.source.name
                ));
            }
        }
        self.error(e);
    }

    fn has_text(&self, source: SourceId) -> bool {
        self.docs[source as usize].text.is_some()
    }

    /// Why `quote` is not in the text of `source` (`None`: it is, or the
    /// source has no text to look in).
    fn quote_miss(
        &self,
        sources: &SourceMap,
        source: SourceId,
        quote: &str,
        texts: &mut HashMap<SourceId, Compact>,
    ) -> Option<Miss> {
        let file = self.docs[source as usize].text?;
        let text = texts.entry(source).or_insert_with(|| Compact::new(sources.text(file)));
        quote::find(text, quote).err()
    }

    /// Records one citation, checking its article against its source's
    /// list; `resolved`: the rest of the checker reports an unknown source.
    fn cited(&mut self, by: Citer, name: &str, role: CiteRole, c: &ast::Citation, resolved: bool) {
        let Some(&source) = self.sources.get(&c.source.name) else {
            if !resolved {
                self.citation(c);
            }
            return;
        };
        let doc = &self.docs[source as usize];
        let key = article_key(&c.article);
        if !doc.articles.is_empty() && !doc.articles.iter().any(|a| article_key(&a.id) == key) {
            let mut e = CheckError::new(c.article_span, format!("{} has no article `{}`", doc.name, c.article))
                .label("not in its list of articles")
                .note(format!(
                    "its articles are listed with `article \"…\"` in `source {} {{ … }}`",
                    doc.name
                ));
            if let Some(h) = did_you_mean(&c.article, doc.articles.iter().map(|a| a.id.as_str())) {
                e = e.note(h);
            }
            self.error(e);
        }
        self.citations.push(Cited {
            by,
            name: Arc::from(name),
            role,
            source,
            article: c.article.clone(),
            span: c.span,
        });
    }
}

/// The first characters of `s` (white space runs shown as one space), with
/// `…` when it goes on.
fn first_chars(s: &str) -> String {
    let squeezed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = squeezed.chars().take(CONTEXT).collect();
    if squeezed.chars().nth(CONTEXT).is_some() {
        out.push('…');
    }
    out
}

/// The last characters of `s`, with `…` before them when it is longer.
fn last_chars(s: &str) -> String {
    let n = s.chars().count();
    let tail: String = s.chars().skip(n.saturating_sub(CONTEXT)).collect();
    if n > CONTEXT { format!("…{tail}") } else { tail }
}

#[cfg(test)]
mod tests {
    use super::article_key;

    #[test]
    fn articles_compare_by_their_digits_not_their_spacing() {
        assert_eq!(article_key("第3 (1)"), article_key("第3(1)"));
        assert_eq!(article_key("第４ ２ （６）"), article_key("第4 2 (6)"));
        assert_eq!(article_key(" 第10  1 "), "第10 1");
        assert_ne!(article_key("第1 2"), article_key("第12"));
        assert_eq!(article_key("中心市の要件 ①"), article_key("中心市の要件①"));
    }
}
