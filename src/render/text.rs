//! The decision as a plain-text report for a reviewer or a municipal
//! officer, in Japanese or English, laid out from the document model.

use std::fmt::Write;

use crate::document::{Block, Document, EntityBlock, Label, RuleLine};
use crate::text::{Lang, Text, escaped};
use crate::verdict::{RuleStatus, Verdict};

fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn label<'d>(l: &Label<'d>, lang: Lang) -> &'d str {
    match lang {
        Lang::Ja => l.ja(),
        Lang::En => l.en(),
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

/// Renders the whole report. Every text it lays out goes through
/// [`escaped`]: the input refuses control characters in text, and should
/// one reach a decision some other way (a rule's message, a value of an
/// open vocabulary) it is printed as an escape, so no text can start a line
/// of its own or rewrite the terminal.
pub(crate) fn render(doc: &Document, lang: Lang) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let _ = writeln!(o, "{}", escaped(doc.title));
    for (i, s) in doc.sections.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(o, "{}", escaped(label(&s.heading, lang)));
        } else {
            let _ = writeln!(o, "\n■ {}", escaped(label(&s.heading, lang)));
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
            let _ = writeln!(o, "{indent}{}{}{}", g(label, lang), colon(lang), g(value, lang));
        }
        Block::Outcome { word, label, reason } => {
            let _ = match lang {
                Lang::Ja => writeln!(
                    o,
                    "{indent}結果： {}（{}） — {}",
                    escaped(&label.ja),
                    escaped(word),
                    escaped(&reason.ja)
                ),
                Lang::En => writeln!(o, "{indent}Outcome: {} — {}", escaped(&label.en), escaped(&reason.en)),
            };
        }
        Block::Rule(r) => rule(o, r, lang, indent),
        Block::Entity(e) => entity(o, e, lang, indent),
        Block::Step { n, step } => {
            let cite = step
                .citation
                .as_deref()
                .map(|c| format!(" [{}]", escaped(c)))
                .unwrap_or_default();
            let _ = writeln!(o, "{indent}{n}. {}{cite}", g(&step.label, lang));
            let _ = writeln!(o, "{indent}   {} = {}", escaped(&step.formula), g(&step.shown, lang));
        }
        Block::Warning {
            rule,
            citation,
            of,
            text,
        } => {
            let of = of.map(|x| format!("{} ", escaped(x))).unwrap_or_default();
            let _ = writeln!(
                o,
                "{indent}- {of}{} ({}) {}",
                escaped(rule),
                escaped(citation),
                g(text, lang)
            );
        }
        Block::Missing { path, what } => {
            let _ = writeln!(o, "{indent}- {} — {}", escaped(path), g(what, lang));
        }
        Block::Parameter {
            name,
            value,
            citation,
            label,
        } => {
            let cite = citation.map(|c| format!(" ({})", escaped(c))).unwrap_or_default();
            let _ = writeln!(
                o,
                "{indent}- {} = {}{cite} — {}",
                escaped(name),
                g(value, lang),
                g(label, lang)
            );
        }
        Block::Check {
            status,
            of,
            rule,
            citation,
            text,
        } => {
            let of = of.map(|x| format!("{} ", escaped(x))).unwrap_or_default();
            let _ = writeln!(
                o,
                "{indent}[{}] {of}{} ({}) {}",
                status_label(*status, lang),
                escaped(rule),
                escaped(citation),
                g(text, lang)
            );
        }
        Block::Footer { decision: d } => {
            let _ = match lang {
                Lang::Ja => writeln!(o, "{indent}ルール版： {} / 基準日 {}", d.rules_version, d.rules_as_of),
                Lang::En => writeln!(
                    o,
                    "{indent}Rules version: {} / as of {}",
                    d.rules_version, d.rules_as_of
                ),
            };
            let _ = writeln!(o, "{indent}rules_sha256 {}", d.rules_sha256);
            let _ = writeln!(o, "{indent}input_sha256 {}", d.input_sha256);
        }
        Block::Nothing => {
            let _ = writeln!(o, "{indent}{}", tr(lang, "なし", "none"));
        }
    }
}

fn rule(o: &mut String, r: &RuleLine, lang: Lang, indent: &str) {
    let e = r.rule;
    let _ = write!(
        o,
        "{indent}[{}] {} ({}",
        status_label(r.status, lang),
        escaped(&e.id),
        escaped(&e.citation)
    );
    for c in &e.citations {
        if **c != *e.citation {
            let _ = write!(o, ", {}", escaped(c));
        }
    }
    let _ = writeln!(o, ")");
    let _ = writeln!(o, "{indent}    {}", g(&e.reason, lang));
}

/// A text in `lang`, escaped.
fn g(t: &Text, lang: Lang) -> std::borrow::Cow<'_, str> {
    escaped(t.get(lang))
}

fn pair(l: &Text, v: &Text, lang: Lang) -> String {
    format!("{}{}{}", g(l, lang), tr(lang, "：", ": "), g(v, lang))
}

fn entity(o: &mut String, e: &EntityBlock, lang: Lang, indent: &str) {
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
            "{indent}{} {}{fields} — {}",
            mark(x.verdict),
            escaped(&x.title),
            g(x.reason(), lang)
        );
        return;
    }
    let _ = match lang {
        Lang::Ja => writeln!(
            o,
            "{indent}{}「{}」［{}］",
            escaped(&e.kind.ja),
            escaped(&x.title),
            escaped(&x.status_label.ja)
        ),
        Lang::En => writeln!(
            o,
            "{indent}{} \"{}\" [{}]",
            escaped(&e.kind.en),
            escaped(&x.title),
            escaped(&x.status_label.en)
        ),
    };
    let inner = format!("{indent}  ");
    for f in &e.fields {
        let _ = writeln!(o, "{inner}{}", pair(&f.label, &f.shown, lang));
    }
    for r in &x.rules {
        rule(
            o,
            &RuleLine {
                status: r.status,
                rule: r,
            },
            lang,
            &inner,
        );
    }
    for (label, list) in &e.lists {
        let _ = writeln!(o, "{inner}{}{}", g(label, lang), tr(lang, "：", ":"));
        let deeper = format!("{inner}  ");
        for y in list {
            entity(o, y, lang, &deeper);
        }
    }
    for s in &x.derivation {
        let _ = writeln!(o, "{inner}= {}", pair(&s.label, &s.shown, lang));
    }
}
