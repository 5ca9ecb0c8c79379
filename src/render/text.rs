//! The decision as a plain-text report for a reviewer or a municipal
//! officer, in Japanese or English, laid out from the document model.

use std::fmt::Write;

use crate::document::{Block, Document, EntityBlock, RuleLine};
use crate::text::Lang;
use crate::verdict::{RuleStatus, Verdict};

fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A rule's status in brackets.
fn status_label(s: RuleStatus, lang: Lang) -> &'static str {
    match s {
        RuleStatus::Pass => tr(lang, "適合", "PASS"),
        RuleStatus::Fail => tr(lang, "不適合", "FAIL"),
        RuleStatus::Review => tr(lang, "要審査", "REVIEW"),
        RuleStatus::Unknown => tr(lang, "判断不可", "UNKNOWN"),
        RuleStatus::NotApplicable => tr(lang, "該当なし", "N/A"),
    }
}

/// The mark of a one-line entity.
fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "○",
        Verdict::Fail => "×",
        Verdict::Review => "△",
        Verdict::Unknown => "？",
    }
}

/// Renders the whole report.
pub fn render(doc: &Document, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", doc.title);
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(o, "{}", s.heading.get(lang));
        } else {
            let _ = writeln!(o, "\n■ {}", s.heading.get(lang));
        }
        for b in &s.blocks {
            block(&mut o, b, lang, "  ");
        }
    }
    o
}

fn colon(lang: Lang) -> &'static str {
    tr(lang, "： ", ": ")
}

fn block(o: &mut String, b: &Block, lang: Lang, indent: &str) {
    match b {
        Block::Field { label, value } => {
            let _ = writeln!(o, "{indent}{}{}{}", label.get(lang), colon(lang), value.get(lang));
        }
        Block::Outcome {
            word, label, reason, ..
        } => {
            let shown = match lang {
                Lang::Ja => format!("{}（{word}）", label.ja),
                Lang::En => label.en.clone(),
            };
            let _ = writeln!(
                o,
                "{indent}{}{}{shown} — {}",
                tr(lang, "結果", "Outcome"),
                colon(lang),
                reason.get(lang)
            );
        }
        Block::Rule(r) => rule(o, r, lang, indent),
        Block::Entity(e) => entity(o, e, lang, indent),
        Block::Step {
            n,
            label,
            citation,
            formula,
            shown,
        } => {
            let cite = citation.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
            let _ = writeln!(o, "{indent}{n}. {}{cite}", label.get(lang));
            let _ = writeln!(o, "{indent}   {formula} = {}", shown.get(lang));
        }
        Block::Item(t) => {
            let _ = writeln!(o, "{indent}- {}", t.get(lang));
        }
        Block::Check {
            status,
            of,
            rule,
            citation,
            text,
        } => {
            let of = of.as_deref().map(|x| format!("{x} ")).unwrap_or_default();
            let _ = writeln!(
                o,
                "{indent}[{}] {of}{rule} ({citation}) {}",
                status_label(*status, lang),
                text.get(lang)
            );
        }
        Block::Line(t) => {
            let _ = writeln!(o, "{indent}{}", t.get(lang));
        }
    }
}

fn rule(o: &mut String, r: &RuleLine, lang: Lang, indent: &str) {
    let _ = writeln!(
        o,
        "{indent}[{}] {} ({})",
        status_label(r.status, lang),
        r.id,
        r.citations.join(", ")
    );
    let _ = writeln!(o, "{indent}    {}", r.reason.get(lang));
}

fn entity(o: &mut String, e: &EntityBlock, lang: Lang, indent: &str) {
    let fields: Vec<String> = e
        .fields
        .iter()
        .map(|(l, v)| format!("{}{}{}", l.get(lang), tr(lang, "：", ": "), v.get(lang)))
        .collect();
    if e.compact {
        let fields = if fields.is_empty() {
            String::new()
        } else {
            match lang {
                Lang::Ja => format!("（{}）", fields.join("、")),
                Lang::En => format!(" ({})", fields.join("; ")),
            }
        };
        let _ = writeln!(
            o,
            "{indent}{} {}{fields} — {}",
            mark(e.verdict),
            e.title,
            e.reason.get(lang)
        );
        return;
    }
    let _ = match lang {
        Lang::Ja => writeln!(o, "{indent}{}「{}」［{}］", e.kind.ja, e.title, e.status_label.ja),
        Lang::En => writeln!(o, "{indent}{} \"{}\" [{}]", e.kind.en, e.title, e.status_label.en),
    };
    let inner = format!("{indent}  ");
    for f in &fields {
        let _ = writeln!(o, "{inner}{f}");
    }
    for r in &e.rules {
        rule(o, r, lang, &inner);
    }
    for (label, list) in &e.lists {
        let _ = writeln!(o, "{inner}{}{}", label.get(lang), tr(lang, "：", ":"));
        for x in list {
            entity(o, x, lang, &format!("{inner}  "));
        }
    }
    for (label, shown) in &e.steps {
        let _ = writeln!(
            o,
            "{inner}= {}{}{}",
            label.get(lang),
            tr(lang, "：", ": "),
            shown.get(lang)
        );
    }
}
