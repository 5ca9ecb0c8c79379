//! The 審査調書 a prefecture files: a self-contained HTML page (inline CSS
//! for A4 print, no script, no external resource), in Japanese or English,
//! laid out from the document model like the text report.
//!
//! Every text of a decision (a project's name, a reviewer's reason) goes
//! through [`h`], so no document can add markup to the page.

use std::borrow::Cow;
use std::fmt::Write;

use super::{
    Cover, check_closed, check_state, counterfactual_kind, derivation_heads, label, mark, missing_heads, param_heads,
    param_version, rules_applied, status_class, status_label, tr, verdict_class,
};
use crate::decision::{CheckItem, Counterfactual, Datum, Field, ParamEntry, Remark, StepEntry};
use crate::document::{Block, Document, EntityBlock, ListBlock, Meta, Quote, RuleLine, Section};
use crate::text::{Lang, Text, escaped};

/// Text for HTML content and double-quoted attribute values: `&`, `<`,
/// `>`, `"` and `'` as character references. Those five are all HTML
/// needs there, so no crate is used for it; control characters (which the
/// input refuses) are first shown as escapes, as in the text report.
pub(crate) fn h(s: &str) -> Cow<'_, str> {
    let s = escaped(s);
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A text of the decision in the report's language, escaped.
fn g(t: &Text, lang: Lang) -> Cow<'_, str> {
    h(t.get(lang))
}

/// One page with the report of each document (a file's name above each
/// when several were decided), each report starting on a new sheet.
pub(crate) fn render(docs: &[(Option<String>, Document)], lang: Lang) -> String {
    with_cover(None, docs, lang)
}

/// The records of a batch behind a cover sheet (`review --format html`):
/// the summary table, each decided file linked to its record, then the
/// records, each on its own sheet.
pub(crate) fn with_cover(cover: Option<&Cover>, docs: &[(Option<String>, Document)], lang: Lang) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let title = docs.first().map(|(_, d)| d.title).unwrap_or_default();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"grant-rules {}\">\n<title>{} — {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        tr(lang, "ja", "en"),
        env!("CARGO_PKG_VERSION"),
        tr(lang, "審査調書", "Review record"),
        h(title)
    );
    if let Some(c) = cover {
        cover_sheet(&mut o, c, lang);
    }
    for (i, (file, doc)) in docs.iter().enumerate() {
        article(&mut o, i + 1, file.as_deref(), doc, lang);
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn cover_sheet(o: &mut String, c: &Cover, lang: Lang) {
    let _ = writeln!(
        o,
        "<article class=\"chosho cover\" id=\"cover\">\n<h1>{}</h1>\n<p class=\"kind\">{}</p>\n<table class=\"cover\">\n<thead><tr>",
        tr(lang, "審査一覧", "Review summary"),
        tr(
            lang,
            "各文書の審査調書は次ページ以降（ファイル名から移れます）",
            "Each document's record follows (the file names link to them)"
        )
    );
    for (i, head) in c.header.iter().enumerate() {
        let class = if i == 4 { " class=\"num\"" } else { "" };
        let _ = write!(o, "<th{class}>{}</th>", h(head));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &c.rows {
        let file = match r.record {
            Some(k) => format!("<a href=\"#d{k}\">{}</a>", h(&r.cells[0])),
            None => h(&r.cells[0]).into_owned(),
        };
        let _ = writeln!(
            o,
            "<tr{}><td class=\"file\">{file}</td><td>{}</td><td>{}</td><td class=\"outcome\">{}</td><td class=\"num\">{}</td></tr>",
            if r.record.is_none() { " class=\"error\"" } else { "" },
            h(&r.cells[1]),
            h(&r.cells[2]),
            h(&r.cells[3]),
            h(&r.cells[4])
        );
        if !r.details.is_empty() {
            o.push_str("<tr class=\"details\"><td colspan=\"5\"><ul>");
            for d in &r.details {
                let _ = write!(o, "<li>{}</li>", h(d));
            }
            o.push_str("</ul></td></tr>\n");
        }
    }
    o.push_str("</tbody>\n</table>\n");
    for t in &c.totals {
        let _ = writeln!(o, "<p class=\"totals\">{}</p>", h(t));
    }
    o.push_str("</article>\n");
}

/// The record of document `k` (its sections' ids `d{k}-{n}`, so a link
/// can point at one).
fn article(o: &mut String, k: usize, file: Option<&str>, doc: &Document, lang: Lang) {
    let _ = writeln!(o, "<article class=\"chosho\" id=\"d{k}\">");
    title_block(o, file, doc, lang);
    let mut n = 0;
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            summary(o, s, &doc.meta, lang);
            continue;
        }
        n += 1;
        section(o, &format!("d{k}-{n}"), n, s, lang, doc.explain);
    }
    if !doc.clauses.is_empty() {
        n += 1;
        let _ = writeln!(
            o,
            "<section class=\"clauses\" id=\"d{k}-{n}\">\n<h2><span class=\"no\">{n}</span>{}</h2>",
            tr(
                lang,
                "引用条文（上の表と確認事項で参照した規定）",
                "Clauses relied on (in the tables and the checklist above)"
            )
        );
        let _ = writeln!(
            o,
            "<table class=\"clauses\">\n<colgroup><col class=\"c-item\"><col></colgroup>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            tr(lang, "規定", "Rule"),
            tr(lang, "条文", "Text")
        );
        for t in &doc.clauses {
            let _ = writeln!(
                o,
                "<tr><td class=\"item\">{}</td><td><blockquote class=\"clause\">{}</blockquote></td></tr>",
                rule_name(&t.title, &t.id, &[&t.citation], lang),
                quoted(&t.text, lang)
            );
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }
    let m = &doc.meta;
    let _ = writeln!(
        o,
        "<footer class=\"colophon\">{}</footer>\n</article>",
        match lang {
            Lang::Ja => format!(
                "この調書は grant-rules が、ルール（{}、ルール版 {}）と提出された文書から作成しました。同じ文書とルールからは同じ内容になります（rules_sha256・input_sha256 で照合できます）。",
                h(m.rules_title),
                h(m.rules_version)
            ),
            Lang::En => format!(
                "Made by grant-rules from the rules ({}, version {}) and the document submitted. The same document and rules always give the same record (compare rules_sha256 and input_sha256).",
                h(m.rules_title),
                h(m.rules_version)
            ),
        }
    );
}

/// The heading 審査調書, the kind's title, a 決裁 box, and the lines a
/// reviewer fills in by hand.
fn title_block(o: &mut String, file: Option<&str>, doc: &Document, lang: Lang) {
    o.push_str("<header class=\"title-block\">\n<div class=\"heading\">\n");
    if let Some(f) = file {
        let _ = writeln!(o, "<p class=\"file\">{}</p>", h(f));
    }
    let _ = writeln!(
        o,
        "<h1>{}</h1>\n<p class=\"kind\">{}</p>\n</div>",
        tr(lang, "審査調書", "Review Record"),
        h(doc.title)
    );
    let (approval, posts): (&str, &[&str]) = match lang {
        Lang::Ja => ("決裁", &["局長", "部長", "課長", "主幹", "担当"]),
        Lang::En => (
            "Approval",
            &["Director General", "Director", "Section Chief", "Manager", "Officer"],
        ),
    };
    let _ = write!(
        o,
        "<table class=\"kessai\" aria-label=\"{approval}\">\n<tr><th rowspan=\"2\" class=\"v\">{approval}</th>"
    );
    for p in posts {
        let _ = write!(o, "<th>{p}</th>");
    }
    o.push_str("</tr>\n<tr>");
    for _ in posts.iter() {
        o.push_str("<td></td>");
    }
    o.push_str("</tr>\n</table>\n</header>\n");
    let _ = writeln!(
        o,
        "<p class=\"signature\">{}</p>",
        tr(
            lang,
            "<span>審査年月日　令和　　年　　月　　日</span><span>審査担当者　<span class=\"blank\"></span></span>",
            "<span>Reviewed on <span class=\"blank short\"></span></span><span>Reviewer <span class=\"blank\"></span></span>"
        )
    );
}

/// The first section: the outcome, what the kind shows (region, members,
/// fiscal year, the amount …), the rules applied and the digests.
fn summary(o: &mut String, s: &Section, m: &Meta, lang: Lang) {
    let _ = writeln!(
        o,
        "<section class=\"summary\">\n<h2 class=\"sr\">{}</h2>\n<table class=\"summary\">\n<colgroup><col class=\"c-label\"><col></colgroup>\n<tbody>",
        label(&s.heading, lang)
    );
    for b in &s.blocks {
        match b {
            Block::Outcome { label, reason } => {
                let _ = writeln!(
                    o,
                    "<tr class=\"outcome\"><th>{}</th><td><span class=\"outcome {}\">{}</span><span class=\"word\">{}</span><p class=\"reason\">{}</p></td></tr>",
                    tr(lang, "審査結果", "Outcome"),
                    verdict_class(m.verdict),
                    g(label, lang),
                    h(m.outcome),
                    g(reason, lang)
                );
            }
            Block::Field {
                label,
                value,
                thousand_yen,
            } => field_row(o, label, value, *thousand_yen, lang),
            other => {
                let _ = writeln!(o, "<tr><td colspan=\"2\">");
                blocks(o, std::slice::from_ref(other), lang, false);
                o.push_str("</td></tr>\n");
            }
        }
    }
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr(lang, "適用したルール", "Rules applied"),
        rules_applied(m, lang, h)
    );
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td class=\"digest\"><code>rules_sha256 {}</code><br><code>input_sha256 {}</code>{}</td></tr>",
        tr(lang, "照合用", "Digests"),
        h(m.rules_sha256),
        h(m.input_sha256),
        m.workbook_sha256
            .map(|w| format!("<br><code>workbook_sha256 {}</code>", h(w)))
            .unwrap_or_default()
    );
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn field_row(o: &mut String, label: &Text, value: &Text, thousand_yen: Option<rust_decimal::Decimal>, lang: Lang) {
    let thousand = match (thousand_yen, lang) {
        (Some(n), Lang::Ja) => format!(
            "<span class=\"sen\">（{}千円）</span>",
            crate::model::number::group_digits(n / rust_decimal::Decimal::ONE_THOUSAND)
        ),
        _ => String::new(),
    };
    let class = if thousand_yen.is_some() {
        " class=\"amount\""
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td{class}>{}{thousand}</td></tr>",
        g(label, lang),
        g(value, lang)
    );
}

fn section(o: &mut String, id: &str, n: usize, s: &Section, lang: Lang, explain: bool) {
    let _ = writeln!(
        o,
        "<section id=\"{id}\">\n<h2><span class=\"no\">{n}</span>{}</h2>",
        h(label(&s.heading, lang))
    );
    let shown: Vec<&Block> = s.blocks.iter().filter(|b| !matches!(b, Block::Footer { .. })).collect();
    if shown.is_empty() {
        let _ = writeln!(o, "<p class=\"none\">{}</p>", tr(lang, "なし", "None"));
    }
    blocks_of(o, &shown, lang, explain);
    o.push_str("</section>\n");
}

fn blocks(o: &mut String, bs: &[Block], lang: Lang, explain: bool) {
    let refs: Vec<&Block> = bs.iter().collect();
    blocks_of(o, &refs, lang, explain);
}

/// Lays blocks out, a run of blocks of one sort as one table.
fn blocks_of(o: &mut String, bs: &[&Block], lang: Lang, explain: bool) {
    let mut i = 0;
    while i < bs.len() {
        let sort = std::mem::discriminant(bs[i]);
        let end = bs[i..]
            .iter()
            .position(|b| std::mem::discriminant(*b) != sort)
            .map_or(bs.len(), |k| i + k);
        let run = &bs[i..end];
        match bs[i] {
            Block::Rule(_) => {
                let lines: Vec<&RuleLine> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Rule(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                rules(o, &lines, lang);
            }
            Block::List(_) => {
                for b in run {
                    if let Block::List(l) = b {
                        list(o, l, lang, explain, 3);
                    }
                }
            }
            Block::Step { .. } => {
                let steps: Vec<(usize, &StepEntry)> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Step { n, step } => Some((*n, *step)),
                        _ => None,
                    })
                    .collect();
                derivation(o, &steps, lang, explain);
            }
            Block::Check(_) => {
                let items: Vec<&CheckItem> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Check(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                checklist(o, &items, lang);
            }
            Block::Warning(_) => {
                let ws: Vec<&Remark> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Warning(w) => Some(*w),
                        _ => None,
                    })
                    .collect();
                warnings(o, &ws, lang);
            }
            Block::Counterfactual(_) => {
                let cs: Vec<&Counterfactual> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Counterfactual(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                counterfactuals(o, &cs, lang, explain);
            }
            Block::Missing { .. } => missing(o, run, lang),
            Block::Parameter(_) => {
                let ps: Vec<&ParamEntry> = run
                    .iter()
                    .filter_map(|b| match b {
                        Block::Parameter(p) => Some(*p),
                        _ => None,
                    })
                    .collect();
                parameters(o, &ps, lang);
            }
            Block::Field { .. } | Block::Outcome { .. } => {
                o.push_str("<table class=\"fields\">\n<colgroup><col class=\"c-label\"><col></colgroup>\n<tbody>\n");
                for b in run {
                    match b {
                        Block::Field {
                            label,
                            value,
                            thousand_yen,
                        } => field_row(o, label, value, *thousand_yen, lang),
                        Block::Outcome { label, reason } => field_row(o, label, reason, None, lang),
                        _ => {}
                    }
                }
                o.push_str("</tbody>\n</table>\n");
            }
            Block::Footer { .. } => {}
            Block::Nothing => {
                let _ = writeln!(o, "<p class=\"none\">{}</p>", tr(lang, "なし", "None"));
            }
        }
        i = end;
    }
}

/// A rule as a report names it: its title, its id, its articles.
fn rule_name(title: &Text, id: &str, cites: &[&str], lang: Lang) -> String {
    let mut s = String::new();
    if *title.get(lang) != *id {
        let _ = write!(s, "<span class=\"title\">{}</span>", g(title, lang));
    }
    let _ = write!(s, "<span class=\"id\">{}</span>", h(id));
    for c in cites {
        let _ = write!(s, "<span class=\"cite\">{}</span>", h(c));
    }
    s
}

/// An entity's title, and for a workbook's document the cells it was
/// written in.
fn title_at(title: &str, cell: Option<&str>) -> String {
    format!("{}{}", h(title), cell_span(cell))
}

/// Where an entity of a workbook's document was written, beside it.
fn cell_span(cell: Option<&str>) -> String {
    cell.map(|c| format!("<span class=\"cell\">{}</span>", h(c)))
        .unwrap_or_default()
}

/// A clause in 「」 (Japanese) or quotation marks.
fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("「{}」", h(text)),
        Lang::En => format!("“{}”", h(text)),
    }
}

fn rules(o: &mut String, lines: &[&RuleLine], lang: Lang) {
    let _ = writeln!(
        o,
        "<table class=\"rules\">\n<colgroup><col class=\"c-status\"><col class=\"c-item\"><col></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        tr(lang, "判定", "Status"),
        tr(lang, "審査項目・根拠", "Requirement and article"),
        tr(lang, "条文・判断の理由", "Clause and reason")
    );
    for r in lines {
        let e = r.rule;
        let clause = match r.quote {
            Quote::Here(q) => format!("<blockquote class=\"clause\">{}</blockquote>", quoted(q, lang)),
            Quote::Above => format!(
                "<p class=\"clause-ref\">{}</p>",
                tr(lang, "条文は前出", "Clause quoted above")
            ),
            Quote::None => String::new(),
        };
        let class = status_class(r);
        let _ = writeln!(
            o,
            "<tr class=\"rule {class}\"><td class=\"status\"><span class=\"badge {class}\">{}</span></td><td class=\"item\">{}</td><td>{clause}<p class=\"reason\">{}</p></td></tr>",
            status_label(r, lang),
            rule_name(&e.title, &e.id, &r.citations(), lang),
            g(&e.reason, lang)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// A list: a table of one-line entities, or a section for each entity.
fn list(o: &mut String, l: &ListBlock, lang: Lang, explain: bool, level: usize) {
    match &l.table {
        Some(t) => {
            let _ = write!(
                o,
                "<table class=\"lines\">\n<thead><tr><th class=\"c-mark\">{}</th><th>{}</th>",
                tr(lang, "判定", "Status"),
                g(t.title, lang)
            );
            for c in &t.columns {
                let _ = write!(o, "<th>{}</th>", g(&c.label, lang));
            }
            let _ = writeln!(o, "<th>{}</th></tr></thead>\n<tbody>", tr(lang, "理由", "Reason"));
            for e in &l.entities {
                let x = e.entry;
                let _ = write!(
                    o,
                    "<tr class=\"{}\"><td class=\"mark\">{} {}</td><td>{}</td>",
                    verdict_class(x.verdict),
                    mark(x.verdict),
                    g(&x.status_label, lang),
                    title_at(&x.title, x.cell.as_deref())
                );
                for c in &t.columns {
                    match e.cell(&c.key) {
                        Some(f) => {
                            let _ = write!(o, "<td{}>{}</td>", cell_class(f), g(&f.shown, lang));
                        }
                        None => o.push_str("<td></td>"),
                    }
                }
                let cite = x
                    .citation()
                    .map(|c| format!("<span class=\"cite\">{}</span>", h(c)))
                    .unwrap_or_default();
                let _ = writeln!(o, "<td class=\"why\">{}{cite}</td></tr>", g(x.reason(), lang));
            }
            o.push_str("</tbody>\n</table>\n");
        }
        None => {
            for e in &l.entities {
                entity(o, e, lang, explain, level);
            }
        }
    }
}

fn cell_class(f: &Field) -> &'static str {
    match f.value {
        Datum::Money(_) | Datum::Int(_) | Datum::Ratio(_) => " class=\"num\"",
        Datum::Date(_) | Datum::FiscalYear(_) => " class=\"date\"",
        _ => "",
    }
}

fn entity(o: &mut String, e: &EntityBlock, lang: Lang, explain: bool, level: usize) {
    let x = e.entry;
    let hn = level.min(5);
    let v = verdict_class(x.verdict);
    let _ = writeln!(o, "<section class=\"entity {v}\">");
    let _ = writeln!(
        o,
        "<h{hn}>{}<span class=\"badge {v}\">{}</span></h{hn}>",
        match lang {
            Lang::Ja => format!("{}「{}」", g(e.kind, lang), h(&x.title)),
            Lang::En => format!("{} “{}”", g(e.kind, lang), h(&x.title)),
        } + &cell_span(x.cell.as_deref()),
        g(&x.status_label, lang)
    );
    if !e.fields.is_empty() {
        o.push_str("<table class=\"fields\">\n<colgroup><col class=\"c-label\"><col></colgroup>\n<tbody>\n");
        for f in &e.fields {
            let _ = writeln!(
                o,
                "<tr><th>{}</th><td>{}</td></tr>",
                g(&f.label, lang),
                g(&f.shown, lang)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    if !e.rules.is_empty() {
        let lines: Vec<&RuleLine> = e.rules.iter().collect();
        rules(o, &lines, lang);
    }
    for l in &e.lists {
        let _ = writeln!(
            o,
            "<h{n} class=\"list\">{}</h{n}>",
            g(l.label, lang),
            n = (hn + 1).min(6)
        );
        list(o, l, lang, explain, hn + 1);
    }
    // Its amounts, after what they add up.
    if !x.derivation.is_empty() {
        o.push_str("<table class=\"subtotal\">\n<tbody>\n");
        for s in &x.derivation {
            let formula = if explain {
                format!("<code class=\"formula\">{}</code>", h(&s.formula))
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "<tr><th>{}{formula}</th><td class=\"num\">{}</td></tr>",
                g(&s.label, lang),
                g(&s.shown, lang)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
}

fn derivation(o: &mut String, steps: &[(usize, &StepEntry)], lang: Lang, explain: bool) {
    o.push_str("<table class=\"derivation\">\n<thead><tr>");
    let classes = [" class=\"c-no\"", "", " class=\"c-cite\"", " class=\"c-value\"", ""];
    for (head, class) in derivation_heads(lang, explain).iter().zip(classes) {
        let _ = write!(o, "<th{class}>{head}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (i, (n, s)) in steps.iter().enumerate() {
        let last = if i + 1 == steps.len() { " class=\"result\"" } else { "" };
        let _ = write!(
            o,
            "<tr{last}><td class=\"c-no\">{n}</td><td>{}</td><td class=\"cite\">{}</td><td class=\"num\">{}</td>",
            g(&s.label, lang),
            s.citation.as_deref().map(h).unwrap_or_default(),
            g(&s.shown, lang)
        );
        if explain {
            let _ = write!(o, "<td><code class=\"formula\">{}</code></td>", h(&s.formula));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

fn checklist(o: &mut String, items: &[&CheckItem], lang: Lang) {
    let _ = writeln!(
        o,
        "<table class=\"checklist\">\n<colgroup><col class=\"c-box\"><col class=\"c-item\"><col><col class=\"c-judge\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        tr(lang, "確認", "Done"),
        tr(lang, "確認事項", "Point"),
        tr(lang, "内容", "What the engine found"),
        tr(lang, "審査担当者の判断", "Reviewer's determination")
    );
    for c in items {
        let closed = check_closed(c);
        let state = check_state(c, lang);
        let of =
            c.of.as_deref()
                .map(|x| format!("<span class=\"of\">{}</span>", h(x)))
                .unwrap_or_default();
        let row = c.record_row.as_ref().map(|r| {
            format!(
                "<div class=\"record\"><span>{}</span><pre>{}</pre></div>",
                tr(lang, "判断の記録", "To record a determination"),
                g(r, lang)
            )
        });
        let record = row
            .or_else(|| {
                c.record.as_deref().map(|r| {
                    format!(
                        "<div class=\"record\"><span>{}</span><pre>{}</pre></div>",
                        tr(
                            lang,
                            "判断の記録（文書の determinations に追加）",
                            "To record a determination (add to the document's determinations)"
                        ),
                        h(r)
                    )
                })
            })
            .unwrap_or_default();
        let judged = match (&c.determination, closed) {
            (Some(d), true) => {
                let on = crate::document::date(&d.on);
                let reason = d
                    .reason
                    .as_deref()
                    .map(|r| format!("<dt>{}</dt><dd>{}</dd>", tr(lang, "理由", "Reason"), h(r)))
                    .unwrap_or_default();
                format!(
                    "<dl class=\"judged\"><dt>{}</dt><dd><b>{state}</b></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>{reason}</dl>",
                    tr(lang, "判断", "Decision"),
                    tr(lang, "判断者", "By"),
                    h(&d.by),
                    tr(lang, "日付", "On"),
                    g(&on, lang)
                )
            }
            _ if c.state == crate::decision::CheckState::Open => tr(
                lang,
                "<div class=\"fill\"><span>認める ・ 認めない</span><span>判断者</span><span>日付　　　年　　月　　日</span><span>理由</span></div>",
                "<div class=\"fill\"><span>accept / reject</span><span>By</span><span>On</span><span>Reason</span></div>",
            )
            .to_string(),
            _ => format!(
                "<span class=\"quiet\">{}</span>",
                tr(lang, "指摘なし（必要があれば判断を記入）", "Nothing raised (record a determination if needed)")
            ),
        };
        let _ = writeln!(
            o,
            "<tr class=\"check {}\"><td class=\"box\"><span class=\"box\" role=\"img\" aria-label=\"{state}\">{}</span><span class=\"state\">{state}</span></td><td class=\"item\">{of}{}</td><td>{}{record}</td><td>{judged}</td></tr>",
            if closed { "closed" } else { "open" },
            if closed { "☑" } else { "☐" },
            rule_name(&c.title, &c.rule, &[&c.citation], lang),
            g(&c.text, lang)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

fn warnings(o: &mut String, ws: &[&Remark], lang: Lang) {
    let _ = writeln!(
        o,
        "<table class=\"warnings\">\n<colgroup><col class=\"c-item\"><col></colgroup>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        tr(lang, "規定・対象", "Rule and where"),
        tr(lang, "内容", "Warning")
    );
    for w in ws {
        let of =
            w.of.as_deref()
                .map(|x| format!("<span class=\"of\">{}</span>", h(x)))
                .unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr><td class=\"item\">{of}{}</td><td>{}</td></tr>",
            rule_name(&w.title, &w.rule, &[&w.citation], lang),
            g(&w.text, lang)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// The changes that would change the decision, each with its sort, the
/// rule and entity it is about, and (explained) the conditions it reads.
fn counterfactuals(o: &mut String, cs: &[&Counterfactual], lang: Lang, explain: bool) {
    let _ = writeln!(
        o,
        "<table class=\"counterfactuals\">\n<colgroup><col class=\"c-status\"><col class=\"c-item\"><col></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        tr(lang, "種別", "Sort"),
        tr(lang, "規定・対象", "Rule and where"),
        tr(lang, "変更の候補", "What would change it")
    );
    for c in cs {
        let of =
            c.of.as_deref()
                .map(|x| format!("<span class=\"of\">{}</span>", h(x)))
                .unwrap_or_default();
        let rule = match (&c.rule, &c.title) {
            (Some(id), Some(t)) => rule_name(t, id, &[], lang),
            (Some(id), None) => format!("<span class=\"id\">{}</span>", h(id)),
            _ => String::new(),
        };
        let mut text = g(&c.text, lang).into_owned();
        if explain {
            for ch in &c.changes {
                let _ = write!(
                    text,
                    "<code class=\"formula\">{} ⇔ {}</code>",
                    h(&ch.expr),
                    h(&ch.compared_with)
                );
            }
        }
        let _ = writeln!(
            o,
            "<tr><td class=\"status\"><span class=\"kind\">{}</span></td><td class=\"item\">{of}{rule}</td><td>{text}</td></tr>",
            counterfactual_kind(c.kind, lang)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// Missing facts as questions to the applicant, with room for the answer.
fn missing(o: &mut String, run: &[&Block], lang: Lang) {
    let (lead, heads) = missing_heads(lang);
    let _ = writeln!(
        o,
        "<p class=\"lead\">{lead}</p>\n<table class=\"missing\">\n<colgroup><col class=\"c-no\"><col><col class=\"c-path\"><col class=\"c-answer\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        heads[0], heads[1], heads[2], heads[3]
    );
    let mut n = 0;
    for b in run {
        if let Block::Missing {
            path,
            cell,
            what,
            question,
        } = b
        {
            n += 1;
            let cell = cell
                .map(|c| format!("<span class=\"cell\">{}</span><br>", h(c)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<tr><td class=\"c-no\">{n}</td><td>{}<span class=\"what\">{}</span></td><td>{cell}<code>{}</code></td><td></td></tr>",
                g(question, lang),
                g(what, lang),
                h(path)
            );
        }
    }
    o.push_str("</tbody>\n</table>\n");
}

fn parameters(o: &mut String, ps: &[&ParamEntry], lang: Lang) {
    let heads = param_heads(lang);
    let _ = writeln!(
        o,
        "<table class=\"params\">\n<thead><tr><th>{}</th><th class=\"c-value\">{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        heads[0], heads[1], heads[2], heads[3]
    );
    for p in ps {
        let version = param_version(p, lang, h);
        let _ = writeln!(
            o,
            "<tr><td>{}<span class=\"id\">{}</span></td><td{}>{}</td><td class=\"cite\">{}</td><td>{version}</td></tr>",
            g(&p.label, lang),
            h(&p.name),
            if p.value.en.chars().all(|c| c.is_ascii_digit() || ".,¥".contains(c)) {
                " class=\"num\""
            } else {
                ""
            },
            g(&p.value, lang),
            p.citation.as_deref().map(h).unwrap_or_default()
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// A4 print: the page's size and margins, page numbers, no rule's row or
/// heading split from what follows; Japanese fonts with fallbacks (明朝 for
/// the text, ゴシック for headings and tables' heads), all inline.
const CSS: &str = r#"@page {
  size: A4;
  margin: 16mm 15mm 18mm 15mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #444; }
}
:root {
  --ink: #111;
  --rule: #444;
  --shade: #efefef;
  --serif: "Noto Serif CJK JP", "Source Han Serif JP", "Hiragino Mincho ProN", "Yu Mincho", "YuMincho", "IPAexMincho", "IPAMincho", "MS PMincho", serif;
  --sans: "Noto Sans CJK JP", "Source Han Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", "YuGothic", "Meiryo", "IPAexGothic", "IPAGothic", sans-serif;
  --mono: "DejaVu Sans Mono", "Menlo", "Consolas", "Noto Sans Mono CJK JP", monospace;
}
html { color: var(--ink); font-family: var(--serif); font-size: 9.5pt; line-height: 1.55; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
@media screen {
  body { background: #d9d9d9; padding: 8mm 0; }
  article.chosho { background: #fff; width: 210mm; box-sizing: border-box; padding: 16mm 15mm 18mm; margin: 0 auto 8mm; box-shadow: 0 0 3px rgba(0,0,0,.35); }
}
@media print {
  article.chosho + article.chosho { break-before: page; }
}
h1, h2, h3, h4, h5, h6, th, .badge, .outcome, .kessai, .signature, .state, .title { font-family: var(--sans); }
.title-block { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm; margin-bottom: 3mm; }
.title-block .file { margin: 0 0 1mm; font-family: var(--mono); font-size: 8pt; color: #333; }
h1 { font-size: 20pt; letter-spacing: .6em; margin: 2mm 0 1mm; font-weight: 700; }
:lang(en) h1 { letter-spacing: .05em; }
.kind { margin: 0; font-size: 11pt; font-family: var(--sans); }
table.kessai { border-collapse: collapse; width: auto; margin: 0; font-size: 8pt; flex: none; }
table.kessai th, table.kessai td { border: .8pt solid var(--ink); text-align: center; padding: .6mm 1mm; background: none; font-weight: normal; }
table.kessai th.v { writing-mode: vertical-rl; letter-spacing: .3em; padding: 1mm .8mm; background: var(--shade); }
table.kessai td { width: 15mm; height: 15mm; }
:lang(en) table.kessai th.v { writing-mode: sideways-lr; letter-spacing: .05em; }
:lang(en) table.kessai th:not(.v) { width: 15mm; font-size: 6.5pt; line-height: 1.2; }
.signature { display: flex; justify-content: flex-end; gap: 8mm; margin: 0 0 4mm; font-size: 9pt; }
.blank { display: inline-block; width: 42mm; border-bottom: .6pt solid var(--ink); }
.blank.short { width: 28mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm; padding: .6mm 0 .6mm 2mm; border-left: 3pt solid var(--ink); border-bottom: .6pt solid var(--ink); break-after: avoid; }
h2 .no { display: inline-block; min-width: 6mm; }
h2.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); margin: 0; padding: 0; border: 0; }
h3, h4, h5 { break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; padding-bottom: .4mm; border-bottom: .6pt dotted var(--rule); }
h4, h5, h6 { font-size: 9.5pt; margin: 3mm 0 1mm; }
h4.list::before, h5.list::before, h6.list::before { content: "■ "; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; }
th, td { border: .6pt solid var(--rule); padding: 1mm 1.6mm; vertical-align: top; text-align: left; }
thead th { background: var(--shade); font-weight: 600; font-size: 8.5pt; white-space: nowrap; }
tbody th { background: #f6f6f6; font-weight: 600; font-size: 8.8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
p { margin: 0; }
.none { margin: 1mm 0 2mm 2mm; }
col.c-label { width: 36mm; }
col.c-status { width: 17mm; }
col.c-item { width: 52mm; }
col.c-box { width: 14mm; }
col.c-judge { width: 44mm; }
col.c-no { width: 9mm; }
col.c-path { width: 46mm; }
col.c-answer { width: 40mm; }
th.c-no, td.c-no { text-align: center; white-space: nowrap; }
th.c-value { min-width: 25mm; }
.date { white-space: nowrap; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.amount { font-weight: 700; font-size: 10.5pt; }
.sen { font-weight: normal; font-size: 9pt; margin-left: 1mm; }
table.summary { margin-top: 0; }
table.summary th { width: 36mm; }
tr.outcome td { padding: 1.6mm 2mm; }
span.outcome { display: inline-block; font-size: 13pt; font-weight: 700; border: 1.4pt solid var(--ink); padding: .3mm 3mm; margin-right: 2mm; }
span.outcome.fail { color: #a00; border-color: #a00; }
span.outcome.review, span.outcome.unknown { color: #8a4b00; border-color: #8a4b00; }
span.word { font-family: var(--mono); font-size: 8pt; color: #555; }
tr.outcome .reason { margin-top: 1mm; }
td.digest code { font-size: 7pt; word-break: break-all; }
code, pre, .id { font-family: var(--mono); }
.item .title { display: block; font-weight: 700; }
.item .id, td .id { display: block; font-size: 7.2pt; color: #444; word-break: break-all; }
.item .cite, .why .cite { display: block; font-size: 8pt; }
.item .of { display: block; font-size: 8.5pt; }
.badge { display: inline-block; white-space: nowrap; border: .8pt solid var(--ink); padding: 0 1.2mm; font-size: 8.5pt; font-weight: 700; }
h3 .badge, h4 .badge, h5 .badge { margin-left: 2mm; font-size: 8pt; font-weight: 600; vertical-align: .1em; }
.badge.fail { color: #a00; border-color: #a00; }
.badge.review, .badge.unknown { color: #8a4b00; border-color: #8a4b00; }
.badge.na, .badge.not-raised { color: #555; border-color: #999; font-weight: 400; }
td.status { text-align: center; }
blockquote.clause { margin: 0 0 1mm; padding: .6mm 2mm; border-left: 1.6pt solid #999; background: #f7f7f7; font-size: 8.2pt; line-height: 1.5; }
.clause-ref { font-size: 8pt; color: #555; margin-bottom: .5mm; }
table.lines { font-size: 8.6pt; }
table.lines th:nth-child(2) { width: 24%; }
table.lines th.c-mark { width: 15mm; }
table.fields col.c-label { width: 50mm; }
td.mark { white-space: nowrap; }
tr.fail td.mark { color: #a00; }
tr.review td.mark, tr.unknown td.mark { color: #8a4b00; }
td.why { font-size: 8.2pt; }
table.fields, table.subtotal, table.derivation { break-inside: avoid; }
table.subtotal { break-before: avoid; }
table.subtotal th { background: none; text-align: right; font-weight: 600; }
table.subtotal td { width: 32mm; font-weight: 700; border-top: 1.2pt solid var(--ink); }
table.subtotal code.formula { display: block; font-weight: normal; }
table.derivation tr.result td { font-weight: 700; border-top: 1.2pt solid var(--ink); }
td.cite { font-size: 8.4pt; white-space: nowrap; }
code.formula { font-size: 7.6pt; white-space: pre-wrap; word-break: break-all; }
td.box { text-align: center; }
span.box { display: block; font-size: 15pt; line-height: 1.1; font-family: "DejaVu Sans", var(--sans); }
.state { display: block; font-size: 7.5pt; white-space: nowrap; }
tr.check.open span.box { color: #8a4b00; }
.record { margin-top: 1mm; font-size: 7.5pt; }
.record span { display: block; color: #333; }
.record pre { margin: .4mm 0 0; padding: .8mm 1.2mm; background: #f4f4f4; border: .4pt dashed #888; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 7.2pt; }
dl.judged { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: .2mm 1.5mm; font-size: 8.4pt; }
dl.judged dt { font-family: var(--sans); color: #444; }
dl.judged dd { margin: 0; }
.fill span { display: block; border-bottom: .4pt solid #999; min-height: 5mm; font-size: 7.8pt; color: #444; }
.quiet { font-size: 8pt; color: #555; }
.lead { margin: 1mm 0; }
.what { display: block; font-size: 7.8pt; color: #444; }
table.missing code { font-size: 7.4pt; overflow-wrap: anywhere; }
table.missing tr { height: 11mm; }
table.params { font-size: 8.4pt; }
footer.colophon { margin-top: 6mm; padding-top: 1.5mm; border-top: .6pt solid var(--rule); font-size: 7.5pt; color: #444; }
article.cover table.cover { font-size: 8.6pt; }
table.cover td.file { font-family: var(--mono); font-size: 8pt; word-break: break-all; }
table.cover td.file a { color: inherit; }
table.cover .num { text-align: right; white-space: nowrap; }
table.cover td.outcome { white-space: nowrap; }
table.cover tr.error td { color: #a00; }
table.cover tr.details td { border-top: none; padding-top: 0; font-size: 8pt; color: #333; }
table.cover tr.details ul { margin: 0; padding-left: 5mm; }
p.totals { margin: .5mm 0; font-family: var(--sans); font-size: 9pt; }
span.cell { margin-left: 1.5mm; font-family: var(--mono); font-size: 7.5pt; font-weight: normal; color: #555; }
"#;
