//! The 審査調書 as GitHub-flavoured Markdown (tables, task lists for the
//! reviewer's checklist), laid out from the document model like the text
//! and HTML reports.
//!
//! Every text of a decision goes through [`md`] (or [`md_start`] where it
//! starts a line), so no document can add a link, markup or a table cell.

use std::borrow::Cow;
use std::fmt::Write;

use super::{
    Cover, check_closed, check_state, counterfactual_kind, derivation_heads, label, mark, missing_heads, param_heads,
    param_version, rules_applied, status_label, tr,
};
use crate::decision::{CheckItem, CheckState, Counterfactual, Datum, Field, ParamEntry, Remark, StepEntry};
use crate::document::{Block, Document, EntityBlock, ListBlock, Meta, Quote, RuleLine, Section};
use crate::text::{Lang, Text, escaped};

/// Text inside a line: the characters that could start Markdown or HTML
/// (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~` `&` `#`) backslash-escaped,
/// which CommonMark allows for any ASCII punctuation; control characters
/// (which the input refuses) first shown as escapes.
pub(crate) fn md(s: &str) -> Cow<'_, str> {
    const SPECIAL: [char; 13] = ['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '$'];
    let s = escaped(s);
    if !s.contains(SPECIAL) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Text that starts a line: also a leading list marker, heading or setext
/// underline, and leading blanks, that would make it a block of its own.
fn md_start(s: &str) -> String {
    let body = md(s);
    let trimmed = body.trim_start_matches([' ', '\t']);
    let blanks = "&#32;".repeat(body.len() - trimmed.len());
    let digits = trimmed.len() - trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let escape = match trimmed.chars().next() {
        Some('-' | '+' | '=') => Some(0),
        Some(c) if c.is_ascii_digit() && matches!(trimmed[digits..].chars().next(), Some('.' | ')')) => Some(digits),
        _ => None,
    };
    match escape {
        Some(at) => format!("{blanks}{}\\{}", &trimmed[..at], &trimmed[at..]),
        None => format!("{blanks}{trimmed}"),
    }
}

fn g(t: &Text, lang: Lang) -> Cow<'_, str> {
    md(t.get(lang))
}

/// Code (an id, a JSON path): in backticks, longer than any run inside.
fn code(s: &str) -> String {
    let s = escaped(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

/// The reports of the documents, one after another (a file's name above
/// each when several were decided).
pub(crate) fn render(docs: &[(Option<String>, Document)], lang: Lang) -> String {
    with_cover(None, docs, lang)
}

/// The records of a batch behind its summary table (`review --format
/// markdown`).
pub(crate) fn with_cover(cover: Option<&Cover>, docs: &[(Option<String>, Document)], lang: Lang) -> String {
    let mut o = String::with_capacity(32 * 1024);
    if let Some(c) = cover {
        cover_table(&mut o, c, lang);
        if !docs.is_empty() {
            o.push_str("\n---\n\n");
        }
    }
    for (i, (file, doc)) in docs.iter().enumerate() {
        if i > 0 {
            o.push_str("\n---\n\n");
        }
        if let Some(f) = file {
            let _ = writeln!(o, "<!-- {} -->\n", f.replace("--", "- -"));
        }
        report(&mut o, doc, lang);
    }
    o
}

fn cover_table(o: &mut String, c: &Cover, lang: Lang) {
    let _ = writeln!(o, "# {}\n", tr(lang, "審査一覧", "Review summary"));
    let head: Vec<Cow<str>> = c.header.iter().map(|x| md(x)).collect();
    let _ = writeln!(o, "| {} |\n|:--|:--|:--|:--|--:|", head.join(" | "));
    for r in &c.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .enumerate()
            .map(|(i, x)| if i == 0 { code(x) } else { md(x).into_owned() })
            .collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    o.push('\n');
    for r in c.rows.iter().filter(|r| !r.details.is_empty()) {
        let _ = writeln!(o, "- {}", code(&r.cells[0]));
        for d in &r.details {
            let _ = writeln!(o, "  - {}", md(d));
        }
    }
    if c.rows.iter().any(|r| !r.details.is_empty()) {
        o.push('\n');
    }
    for t in &c.totals {
        let _ = writeln!(o, "{}  ", md(t));
    }
}

fn report(o: &mut String, doc: &Document, lang: Lang) {
    let _ = writeln!(
        o,
        "# {}\n\n**{}**\n\n{}\n",
        tr(lang, "審査調書", "Review Record"),
        md(doc.title),
        tr(
            lang,
            "審査年月日：令和　　年　　月　　日　　審査担当者：",
            "Reviewed on:                Reviewer:"
        )
    );
    let mut n = 0;
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            summary(o, s, &doc.meta, lang);
            continue;
        }
        n += 1;
        let _ = writeln!(o, "## {n}. {}\n", md(label(&s.heading, lang)));
        let shown: Vec<&Block> = s.blocks.iter().filter(|b| !matches!(b, Block::Footer { .. })).collect();
        if shown.is_empty() {
            let _ = writeln!(o, "{}\n", tr(lang, "なし", "None"));
        }
        blocks(o, &shown, lang, doc.explain);
    }
    if !doc.clauses.is_empty() {
        n += 1;
        let _ = writeln!(
            o,
            "## {n}. {}\n",
            tr(
                lang,
                "引用条文（上の表と確認事項で参照した規定）",
                "Clauses relied on (in the tables and the checklist above)"
            )
        );
        for t in &doc.clauses {
            let _ = writeln!(
                o,
                "- {}\n\n  > {}\n",
                rule_name(&t.title, &t.id, &[&t.citation], lang),
                quoted(&t.text, lang)
            );
        }
    }
    let m = &doc.meta;
    let _ = writeln!(
        o,
        "---\n\n{}",
        match lang {
            Lang::Ja => format!(
                "*この調書は grant-rules が、ルール（{}、ルール版 {}）と提出された文書から作成しました。*",
                md(m.rules_title),
                md(m.rules_version)
            ),
            Lang::En => format!(
                "*Made by grant-rules from the rules ({}, version {}) and the document submitted.*",
                md(m.rules_title),
                md(m.rules_version)
            ),
        }
    );
}

fn summary(o: &mut String, s: &Section, m: &Meta, lang: Lang) {
    let _ = writeln!(
        o,
        "| {} | {} |\n|---|---|",
        tr(lang, "項目", "Item"),
        tr(lang, "内容", "Value")
    );
    for b in &s.blocks {
        match b {
            Block::Outcome { label, reason } => {
                let _ = writeln!(
                    o,
                    "| {} | **{}**（{}）— {} |",
                    tr(lang, "審査結果", "Outcome"),
                    g(label, lang),
                    code(m.outcome),
                    g(reason, lang)
                );
            }
            Block::Field {
                label,
                value,
                thousand_yen,
            } => field_row(o, label, value, *thousand_yen, lang),
            _ => {}
        }
    }
    let _ = writeln!(
        o,
        "| {} | {} |",
        tr(lang, "適用したルール", "Rules applied"),
        rules_applied(m, lang, md)
    );
    let _ = writeln!(
        o,
        "| {} | {}<br>{}{} |\n",
        tr(lang, "照合用", "Digests"),
        code(&format!("rules_sha256 {}", m.rules_sha256)),
        code(&format!("input_sha256 {}", m.input_sha256)),
        m.workbook_sha256
            .map(|w| format!("<br>{}", code(&format!("workbook_sha256 {w}"))))
            .unwrap_or_default()
    );
}

fn field_row(o: &mut String, label: &Text, value: &Text, thousand_yen: Option<rust_decimal::Decimal>, lang: Lang) {
    let thousand = match (thousand_yen, lang) {
        (Some(n), Lang::Ja) => format!(
            "（{}千円）",
            crate::model::number::group_digits(n / rust_decimal::Decimal::ONE_THOUSAND)
        ),
        _ => String::new(),
    };
    let _ = writeln!(o, "| {} | {}{thousand} |", g(label, lang), g(value, lang));
}

fn blocks(o: &mut String, bs: &[&Block], lang: Lang, explain: bool) {
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
                for b in run {
                    if let Block::Rule(r) = b {
                        rule(o, r, lang);
                    }
                }
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
                for b in run {
                    if let Block::Check(c) = b {
                        check(o, c, lang);
                    }
                }
                o.push('\n');
            }
            Block::Warning(_) => {
                for b in run {
                    if let Block::Warning(w) = b {
                        warning(o, w, lang);
                    }
                }
                o.push('\n');
            }
            Block::Counterfactual(_) => {
                for b in run {
                    if let Block::Counterfactual(c) = b {
                        counterfactual(o, c, lang, explain);
                    }
                }
                o.push('\n');
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
                let _ = writeln!(
                    o,
                    "| {} | {} |\n|---|---|",
                    tr(lang, "項目", "Item"),
                    tr(lang, "内容", "Value")
                );
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
                o.push('\n');
            }
            Block::Footer { .. } => {}
            Block::Nothing => {
                let _ = writeln!(o, "{}\n", tr(lang, "なし", "None"));
            }
        }
        i = end;
    }
}

fn rule_name(title: &Text, id: &str, cites: &[&str], lang: Lang) -> String {
    let cites: Vec<Cow<str>> = cites.iter().map(|c| md(c)).collect();
    let cites = cites.join(tr(lang, "、", ", "));
    match (lang, *title.get(lang) == *id) {
        (_, true) => format!("{} ({cites})", code(id)),
        (Lang::Ja, false) => format!("**{}**（{}；{cites}）", g(title, lang), code(id)),
        (Lang::En, false) => format!("**{}** ({}; {cites})", g(title, lang), code(id)),
    }
}

fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("「{}」", md(text)),
        Lang::En => format!("“{}”", md(text)),
    }
}

/// `- ［適合］ **事業年度**（applicant.programme_term；推進要綱 第2(2)②）`, the
/// clause quoted, and the reason.
fn rule(o: &mut String, r: &RuleLine, lang: Lang) {
    let e = r.rule;
    let _ = writeln!(
        o,
        "- {} {}\n",
        match lang {
            Lang::Ja => format!("［{}］", status_label(r, lang)),
            Lang::En => format!("\\[{}\\]", status_label(r, lang)),
        },
        rule_name(&e.title, &e.id, &r.citations(), lang)
    );
    match r.quote {
        Quote::Here(q) => {
            let _ = writeln!(o, "  > {}\n", quoted(q, lang));
        }
        Quote::Above => {
            let _ = writeln!(o, "  *{}*\n", tr(lang, "条文は前出", "Clause quoted above"));
        }
        Quote::None => {}
    }
    let _ = writeln!(o, "  {}\n", md_start(e.reason.get(lang)));
}

fn list(o: &mut String, l: &ListBlock, lang: Lang, explain: bool, level: usize) {
    match &l.table {
        Some(t) => {
            let _ = write!(o, "| {} | {} |", tr(lang, "判定", "Status"), g(t.title, lang));
            for c in &t.columns {
                let _ = write!(o, " {} |", g(&c.label, lang));
            }
            let _ = write!(o, " {} |\n|:--|:--|", tr(lang, "理由", "Reason"));
            for c in &t.columns {
                o.push_str(if numeric(c) { "--:|" } else { ":--|" });
            }
            o.push_str(":--|\n");
            for e in &l.entities {
                let x = e.entry;
                let _ = write!(
                    o,
                    "| {} {} | {} |",
                    mark(x.verdict),
                    g(&x.status_label, lang),
                    title_at(&x.title, x.cell.as_deref())
                );
                for c in &t.columns {
                    let _ = write!(
                        o,
                        " {} |",
                        e.cell(&c.key).map(|f| g(&f.shown, lang)).unwrap_or_default()
                    );
                }
                let cite = x.citation().map(|c| format!("（{}）", md(c))).unwrap_or_default();
                let _ = writeln!(o, " {}{cite} |", g(x.reason(), lang));
            }
            o.push('\n');
        }
        None => {
            for e in &l.entities {
                entity(o, e, lang, explain, level);
            }
        }
    }
}

fn numeric(f: &Field) -> bool {
    matches!(f.value, Datum::Money(_) | Datum::Int(_) | Datum::Ratio(_))
}

fn entity(o: &mut String, e: &EntityBlock, lang: Lang, explain: bool, level: usize) {
    let x = e.entry;
    let hashes = "#".repeat(level.min(6));
    let cell = x.cell.as_deref().map(|c| format!(" {}", code(c))).unwrap_or_default();
    let _ = match lang {
        Lang::Ja => writeln!(
            o,
            "{hashes} {}「{}」［{}］{cell}\n",
            g(e.kind, lang),
            md(&x.title),
            g(&x.status_label, lang)
        ),
        Lang::En => writeln!(
            o,
            "{hashes} {} “{}” \\[{}\\]{cell}\n",
            g(e.kind, lang),
            md(&x.title),
            g(&x.status_label, lang)
        ),
    };
    if !e.fields.is_empty() || !x.derivation.is_empty() {
        let _ = writeln!(
            o,
            "| {} | {} |\n|---|---|",
            tr(lang, "項目", "Item"),
            tr(lang, "内容", "Value")
        );
        for f in &e.fields {
            let _ = writeln!(o, "| {} | {} |", g(&f.label, lang), g(&f.shown, lang));
        }
        for s in &x.derivation {
            let formula = if explain {
                format!("{} = ", code(&s.formula))
            } else {
                String::new()
            };
            let _ = writeln!(o, "| **{}** | {formula}**{}** |", g(&s.label, lang), g(&s.shown, lang));
        }
        o.push('\n');
    }
    for r in &e.rules {
        rule(o, r, lang);
    }
    for l in &e.lists {
        let _ = writeln!(o, "{}# {}\n", hashes, g(l.label, lang));
        list(o, l, lang, explain, level + 1);
    }
}

fn derivation(o: &mut String, steps: &[(usize, &StepEntry)], lang: Lang, explain: bool) {
    let _ = write!(o, "| {} |", derivation_heads(lang, explain).join(" | "));
    o.push_str("\n|--:|:--|:--|--:|");
    if explain {
        o.push_str(":--|");
    }
    o.push('\n');
    for (n, s) in steps {
        let _ = write!(
            o,
            "| {n} | {} | {} | {} |",
            g(&s.label, lang),
            s.citation.as_deref().map(md).unwrap_or_default(),
            g(&s.shown, lang)
        );
        if explain {
            let _ = write!(o, " {} |", code(&s.formula));
        }
        o.push('\n');
    }
    o.push('\n');
}

/// A task-list line: `- [ ]` open (with the entry that records a
/// determination), `- [x]` closed with who, when, what and why.
fn check(o: &mut String, c: &CheckItem, lang: Lang) {
    let closed = check_closed(c);
    let of = c.of.as_deref().map(|x| format!("{} ", md(x))).unwrap_or_default();
    let _ = writeln!(
        o,
        "- [{}] **{}** {of}{} — {}",
        if closed { "x" } else { " " },
        check_state(c, lang),
        rule_name(&c.title, &c.rule, &[&c.citation], lang),
        g(&c.text, lang)
    );
    if let (Some(d), true) = (&c.determination, closed) {
        let on = crate::document::date(&d.on);
        let reason = d
            .reason
            .as_deref()
            .map(|r| format!("{}{}", tr(lang, "、理由：", "; reason: "), md(r)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  - {}{}{}{}{}{reason}",
            tr(lang, "判断者：", "By: "),
            md(&d.by),
            tr(lang, "、日付：", "; on: "),
            g(&on, lang),
            match lang {
                Lang::Ja => format!("、判断：{}", check_state(c, lang)),
                Lang::En => format!("; decision: {}", md(&d.decision)),
            }
        );
    }
    if let Some(row) = &c.record_row {
        let _ = writeln!(
            o,
            "\n  {} {}\n",
            tr(lang, "判断の記録：", "To record a determination:"),
            g(row, lang)
        );
    } else if let Some(record) = &c.record {
        let record = escaped(record);
        let longest = record.split(|ch| ch != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let _ = writeln!(
            o,
            "\n  {}\n\n  {fence}json\n  {record}\n  {fence}\n",
            tr(
                lang,
                "判断の記録（文書の determinations に追加）：",
                "To record a determination (add to the document's determinations):"
            )
        );
    }
    if c.state == CheckState::Open && c.record.is_none() {
        o.push('\n');
    }
}

fn warning(o: &mut String, w: &Remark, lang: Lang) {
    let of = w.of.as_deref().map(|x| format!("{} ", md(x))).unwrap_or_default();
    let _ = writeln!(
        o,
        "- {of}{} — {}",
        rule_name(&w.title, &w.rule, &[&w.citation], lang),
        g(&w.text, lang)
    );
}

/// A change that would change the decision: `- **[変更]** rule — text`.
fn counterfactual(o: &mut String, c: &Counterfactual, lang: Lang, explain: bool) {
    let of = c.of.as_deref().map(|x| format!("{} ", md(x))).unwrap_or_default();
    let rule = match (&c.rule, &c.title) {
        (Some(id), Some(t)) => match lang {
            Lang::Ja => format!("**{}**（{}） — ", g(t, lang), code(id)),
            Lang::En => format!("**{}** ({}) — ", g(t, lang), code(id)),
        },
        (Some(id), None) => format!("{} — ", code(id)),
        _ => String::new(),
    };
    let _ = writeln!(
        o,
        "- **[{}]** {of}{rule}{}",
        counterfactual_kind(c.kind, lang),
        g(&c.text, lang)
    );
    if explain {
        for ch in &c.changes {
            let _ = writeln!(o, "  - {} ⇔ {}", code(&ch.expr), code(&ch.compared_with));
        }
    }
}

fn missing(o: &mut String, run: &[&Block], lang: Lang) {
    let (lead, heads) = missing_heads(lang);
    let _ = writeln!(o, "{lead}\n\n| {} |\n|--:|:--|:--|:--|", heads.join(" | "));
    let mut n = 0;
    for b in run {
        if let Block::Missing {
            path, cell, question, ..
        } = b
        {
            n += 1;
            let at = match cell {
                Some(c) => format!("{} {}", md(c), code(path)),
                None => code(path),
            };
            let _ = writeln!(o, "| {n} | {} | {at} |  |", g(question, lang));
        }
    }
    o.push('\n');
}

fn parameters(o: &mut String, ps: &[&ParamEntry], lang: Lang) {
    let _ = writeln!(o, "| {} |\n|:--|--:|:--|:--|", param_heads(lang).join(" | "));
    for p in ps {
        let version = param_version(p, lang, md);
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {version} |",
            g(&p.label, lang),
            code(&p.name),
            g(&p.value, lang),
            p.citation.as_deref().map(md).unwrap_or_default()
        );
    }
    o.push('\n');
}

/// An entity's title, and for a workbook's document its cells.
fn title_at(title: &str, cell: Option<&str>) -> String {
    match cell {
        Some(c) => format!("{} {}", md(title), code(c)),
        None => md(title).into_owned(),
    }
}
