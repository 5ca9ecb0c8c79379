//! The decision as a plain-text report for a reviewer or a municipal
//! officer, in Japanese or English, laid out from the document model.

use std::fmt::Write;

use super::{counterfactual_kind, label, mark, status_label, tr};
use crate::decision::{CheckItem, CheckState};
use crate::document::{Block, Document, EntityBlock, RuleLine};
use crate::text::{Lang, Text, escaped};

/// A text of the decision in the report's language, escaped: the input
/// refuses control characters in text, and should one reach a decision some
/// other way it is printed as an escape, so no text can start a line of its
/// own or rewrite the terminal.
fn g(t: &Text, lang: Lang) -> std::borrow::Cow<'_, str> {
    escaped(t.get(lang))
}

/// A checklist line: open, closed by a reviewer, or not raised — never a
/// machine's `[適合]` under "never decided by the engine". An open line says
/// how to record the determination that closes it.
fn check(o: &mut String, c: &CheckItem, lang: Lang, indent: &str) {
    let state = match (c.state, &c.determination) {
        (CheckState::Open, _) => tr(lang, "未判断", "OPEN").to_string(),
        (CheckState::NotRaised, _) => tr(lang, "指摘なし", "NOT RAISED").to_string(),
        (_, Some(d)) => match lang {
            Lang::Ja => format!(
                "判断済：{}（{}、{}）",
                if c.state == CheckState::Accepted {
                    "認める"
                } else {
                    "認めない"
                },
                escaped(&d.by),
                escaped(&d.on)
            ),
            Lang::En => format!("CLOSED: {} ({}, {})", d.decision, escaped(&d.by), escaped(&d.on)),
        },
        (_, None) => tr(lang, "判断済", "CLOSED").to_string(),
    };
    let of = c.of.as_deref().map(|x| format!("{} ", escaped(x))).unwrap_or_default();
    let what = rule_ref(&c.title, &c.rule, &[&c.citation], lang);
    let _ = writeln!(o, "{indent}[{state}] {of}{what} {}", g(&c.text, lang));
    if let Some(row) = &c.record_row {
        let _ = writeln!(
            o,
            "{indent}    {} {}",
            tr(lang, "判断の記録：", "To record a determination:"),
            g(row, lang)
        );
    } else if let Some(record) = &c.record {
        let _ = writeln!(
            o,
            "{indent}    {} {record}",
            tr(
                lang,
                "判断の記録（determinations に追加）：",
                "To record a determination (add to determinations):"
            )
        );
    }
}

/// A rule as a report names it: `隣接（applicant.adjacency；推進要綱 第3(1)）`,
/// or `applicant.x (cite)` for a rule without a title of its own.
fn rule_ref(title: &Text, id: &str, cites: &[&str], lang: Lang) -> String {
    let title = g(title, lang);
    match (lang, title == id) {
        (_, true) => format!("{id} ({})", cites.join(", ")),
        (Lang::Ja, false) => format!("{title}（{id}；{}）", cites.join("、")),
        (Lang::En, false) => format!("{title} ({id}; {})", cites.join(", ")),
    }
}

/// Renders the whole report.
pub(crate) fn render(doc: &Document, lang: Lang) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let _ = writeln!(o, "{}", escaped(doc.title));
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(o, "{}", label(&s.heading, lang));
        } else {
            let _ = writeln!(o, "\n■ {}", label(&s.heading, lang));
        }
        for b in &s.blocks {
            block(&mut o, b, lang, "  ", doc.explain);
        }
    }
    o
}

fn colon(lang: Lang) -> &'static str {
    tr(lang, "： ", ": ")
}

fn block(o: &mut String, b: &Block, lang: Lang, indent: &str, explain: bool) {
    match b {
        Block::Field {
            label,
            value,
            thousand_yen,
        } => {
            let thousand = match (thousand_yen, lang) {
                (Some(n), Lang::Ja) => format!(
                    "（{}千円）",
                    crate::model::number::group_digits(*n / rust_decimal::Decimal::ONE_THOUSAND)
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "{indent}{}{}{}{thousand}",
                g(label, lang),
                colon(lang),
                g(value, lang)
            );
        }
        Block::Outcome { label, reason } => {
            let _ = match lang {
                Lang::Ja => writeln!(o, "{indent}結果： {} — {}", label.ja, reason.ja),
                Lang::En => writeln!(o, "{indent}Outcome: {} — {}", label.en, reason.en),
            };
        }
        Block::Rule(r) => rule(o, r, lang, indent, explain),
        Block::List(l) => {
            for e in &l.entities {
                entity(o, e, lang, indent, explain);
            }
        }
        Block::Step { n, step } => {
            let cite = step.citation.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
            let _ = writeln!(
                o,
                "{indent}{n}. {}{cite}{}{}",
                g(&step.label, lang),
                colon(lang),
                g(&step.shown, lang)
            );
            if explain {
                let _ = writeln!(o, "{indent}   {} = {}", step.formula, g(&step.shown, lang));
            }
        }
        Block::Counterfactual(c) => {
            let kind = counterfactual_kind(c.kind, lang);
            let of = c.of.as_deref().map(|x| format!("{} ", escaped(x))).unwrap_or_default();
            let what = match (&c.rule, &c.title) {
                (Some(id), Some(t)) => match lang {
                    Lang::Ja => format!("{}（{id}） ", g(t, lang)),
                    Lang::En => format!("{} ({id}) ", g(t, lang)),
                },
                (Some(id), None) => format!("{id} "),
                _ => String::new(),
            };
            let _ = writeln!(o, "{indent}- [{kind}] {of}{what}{}", g(&c.text, lang));
            if explain {
                for ch in &c.changes {
                    let _ = writeln!(o, "{indent}    {} ⇔ {}", ch.expr, ch.compared_with);
                }
            }
        }
        Block::Warning(w) => {
            let of = w.of.as_deref().map(|x| format!("{} ", escaped(x))).unwrap_or_default();
            let what = rule_ref(&w.title, &w.rule, &[&w.citation], lang);
            let _ = writeln!(o, "{indent}- {of}{what} {}", g(&w.text, lang));
        }
        Block::Missing { path, cell, what, .. } => match cell {
            Some(c) => {
                let _ = writeln!(o, "{indent}- {}（{path}） — {}", escaped(c), g(what, lang));
            }
            None => {
                let _ = writeln!(o, "{indent}- {path} — {}", g(what, lang));
            }
        },
        Block::Parameter(p) => {
            let mut cite: Vec<String> = p.citation.iter().map(|c| c.to_string()).collect();
            match (&p.since, &p.set_by, lang) {
                (Some(s), Some(by), Lang::Ja) => cite.push(format!("{s} から、{by}")),
                (Some(s), None, Lang::Ja) => cite.push(format!("{s} から")),
                (Some(s), Some(by), Lang::En) => cite.push(format!("from {s}, {by}")),
                (Some(s), None, Lang::En) => cite.push(format!("from {s}")),
                (None, Some(by), _) => cite.push(by.to_string()),
                (None, None, _) => {}
            }
            let _ = match lang {
                // A Japanese line leads with the parameter's Japanese name.
                Lang::Ja => {
                    cite.insert(0, p.name.to_string());
                    writeln!(
                        o,
                        "{indent}- {}：{}（{}）",
                        g(&p.label, lang),
                        g(&p.value, lang),
                        cite.join("；")
                    )
                }
                Lang::En => {
                    let cite = if cite.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", cite.join("; "))
                    };
                    writeln!(
                        o,
                        "{indent}- {} = {}{cite} — {}",
                        p.name,
                        g(&p.value, lang),
                        g(&p.label, lang)
                    )
                }
            };
        }
        Block::Check(c) => check(o, c, lang, indent),
        Block::Footer { decision: d } => {
            let requested = match (&d.document_as_of, lang) {
                (Some(own), Lang::Ja) if own.is_empty() => "（--as-of で指定）".to_string(),
                (Some(own), Lang::Ja) => format!("（--as-of で指定。文書の基準日は {own}）"),
                (Some(own), Lang::En) if own.is_empty() => " (given with --as-of)".to_string(),
                (Some(own), Lang::En) => format!(" (given with --as-of; the document's own date is {own})"),
                (None, _) => String::new(),
            };
            let _ = match lang {
                Lang::Ja => writeln!(
                    o,
                    "{indent}ルール版： {} / 基準日 {}{requested}",
                    d.rules_version, d.rules_as_of
                ),
                Lang::En => writeln!(
                    o,
                    "{indent}Rules version: {} / as of {}{requested}",
                    d.rules_version, d.rules_as_of
                ),
            };
            if !d.amendments.is_empty() {
                let list: Vec<String> = d
                    .amendments
                    .iter()
                    .map(|a| match lang {
                        Lang::Ja => format!("{}（{}）", a.source, a.label.ja),
                        Lang::En => format!("{} ({})", a.source, a.label.en),
                    })
                    .collect();
                let _ = writeln!(
                    o,
                    "{indent}{}{}",
                    tr(lang, "適用した要綱： ", "Guidelines applied: "),
                    list.join(tr(lang, "、", "; "))
                );
            }
            let _ = writeln!(o, "{indent}rules_sha256 {}", d.rules_sha256);
            let _ = writeln!(o, "{indent}input_sha256 {}", d.input_sha256);
            if let Some(w) = &d.workbook_sha256 {
                let _ = writeln!(o, "{indent}workbook_sha256 {w}");
            }
        }
        Block::Nothing => {
            let _ = writeln!(o, "{indent}{}", tr(lang, "なし", "none"));
        }
    }
}

/// `[適合] 協定とビジョンの時期（applicant.agreement；実施要綱 第2 1、推進要綱 第3）`
/// and the reason; with `explain`, the clause the rule quotes.
fn rule(o: &mut String, r: &RuleLine, lang: Lang, indent: &str, explain: bool) {
    let e = r.rule;
    let status = status_label(r, lang);
    let _ = writeln!(
        o,
        "{indent}[{status}] {}",
        rule_ref(&e.title, &e.id, &r.citations(), lang)
    );
    let _ = writeln!(o, "{indent}    {}", g(&e.reason, lang));
    if explain && let Some(q) = &e.quote {
        let _ = writeln!(o, "{indent}    {}「{q}」", tr(lang, "条文：", "Text: "));
    }
}

fn pair(l: &Text, v: &Text, lang: Lang) -> String {
    format!("{}{}{}", g(l, lang), tr(lang, "：", ": "), g(v, lang))
}

fn entity(o: &mut String, e: &EntityBlock, lang: Lang, indent: &str, explain: bool) {
    let x = e.entry;
    if e.compact {
        let fields: Vec<String> = e.fields.iter().map(|f| pair(&f.label, &f.shown, lang)).collect();
        let fields = match (fields.is_empty(), lang) {
            (true, _) => String::new(),
            (false, Lang::Ja) => format!("（{}）", fields.join("、")),
            (false, Lang::En) => format!(" ({})", fields.join("; ")),
        };
        let _ = writeln!(
            o,
            "{indent}{} {}{fields} — {}{}",
            mark(x.verdict),
            escaped(&x.title),
            g(x.reason(), lang),
            at_cell(x.cell.as_deref())
        );
        return;
    }
    let _ = match lang {
        Lang::Ja => writeln!(
            o,
            "{indent}{}「{}」［{}］{}",
            e.kind.ja,
            escaped(&x.title),
            x.status_label.ja,
            at_cell(x.cell.as_deref())
        ),
        Lang::En => writeln!(
            o,
            "{indent}{} \"{}\" [{}]{}",
            e.kind.en,
            escaped(&x.title),
            x.status_label.en,
            at_cell(x.cell.as_deref())
        ),
    };
    let inner = format!("{indent}  ");
    for f in &e.fields {
        let _ = writeln!(o, "{inner}{}", pair(&f.label, &f.shown, lang));
    }
    for r in &e.rules {
        rule(o, r, lang, &inner, explain);
    }
    for l in &e.lists {
        let _ = writeln!(o, "{inner}{}{}", g(l.label, lang), tr(lang, "：", ":"));
        let deeper = format!("{inner}  ");
        for y in &l.entities {
            entity(o, y, lang, &deeper, explain);
        }
    }
    for s in &x.derivation {
        let _ = writeln!(o, "{inner}= {}", pair(&s.label, &s.shown, lang));
    }
}

/// ` @ 経費!A4:G4`: where an entity of a workbook's document was written.
fn at_cell(cell: Option<&str>) -> String {
    cell.map(|c| format!(" @ {}", escaped(c))).unwrap_or_default()
}
