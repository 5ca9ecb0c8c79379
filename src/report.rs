//! The decision as a text report for a reviewer or a municipal officer, in
//! Japanese or English: outcome and amount first, then the amount's
//! derivation (every expense line and why), the region's rules, each
//! project's rules, the reviewer's checklist, warnings and what is missing.

use std::fmt::Write;

use crate::decision::{Decision, Outcome, ProjectStatus, RuleEntry};
use crate::eval::RuleStatus;
use crate::explain::{Text, yen};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

fn pick(t: &Text, lang: Lang) -> &str {
    match lang {
        Lang::Ja => &t.ja,
        Lang::En => &t.en,
    }
}

fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn amount(v: Option<i64>, lang: Lang) -> String {
    match v {
        Some(n) => pick(&yen(n.into()), lang).to_string(),
        None => tr(lang, "なし", "none").to_string(),
    }
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Eligible => tr(lang, "交付対象（eligible）", "ELIGIBLE"),
        Outcome::Ineligible => tr(lang, "交付対象外（ineligible）", "INELIGIBLE"),
        Outcome::NeedsReview => tr(lang, "要審査（needs_review）", "NEEDS REVIEW"),
        Outcome::Incomplete => tr(lang, "情報不足（incomplete）", "INCOMPLETE"),
    }
}

fn status_label(s: RuleStatus, lang: Lang) -> &'static str {
    match s {
        RuleStatus::Pass => tr(lang, "適合", "PASS"),
        RuleStatus::Fail => tr(lang, "不適合", "FAIL"),
        RuleStatus::Review => tr(lang, "要審査", "REVIEW"),
        RuleStatus::Unknown => tr(lang, "判断不可", "UNKNOWN"),
        RuleStatus::NotApplicable => tr(lang, "該当なし", "N/A"),
    }
}

fn project_label(s: ProjectStatus, lang: Lang) -> &'static str {
    match s {
        ProjectStatus::Adopted => tr(lang, "採択", "adopted"),
        ProjectStatus::Rejected => tr(lang, "不採択", "rejected"),
        ProjectStatus::Review => tr(lang, "要審査", "to review"),
        ProjectStatus::Unknown => tr(lang, "判断不可", "unknown"),
    }
}

/// Renders the whole report.
pub fn render(d: &Decision, lang: Lang) -> String {
    let mut o = String::new();
    header(&mut o, d, lang);
    derivation(&mut o, d, lang);
    rules(&mut o, tr(lang, "■ 地域の要件", "■ The region"), &d.rules, lang, "  ");
    projects(&mut o, d, lang);
    remarks(&mut o, d, lang);
    footer(&mut o, d, lang);
    o
}

fn header(o: &mut String, d: &Decision, lang: Lang) {
    let a = &d.application;
    let _ = writeln!(o, "{}", d.rules_title);
    let _ = writeln!(o, "{}", tr(lang, "審査結果", "Decision"));
    let _ = match lang {
        Lang::Ja => writeln!(o, "  地域： {}（代表 {}）", a.region, a.representative),
        Lang::En => writeln!(o, "  Region: {} (representative {})", a.region, a.representative),
    };
    let _ = writeln!(
        o,
        "  {} {}",
        tr(lang, "年度：", "Fiscal year:"),
        pick(&a.fiscal_year_label, lang)
    );
    let _ = writeln!(
        o,
        "  {} {} — {}",
        tr(lang, "結果：", "Outcome:"),
        outcome_label(d.outcome, lang),
        pick(&d.outcome_reason, lang)
    );
    let grant_note = if d.outcome == Outcome::NeedsReview {
        tr(lang, "（見込み）", " (provisional)")
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "  {} {}{}",
        tr(lang, "交付額：", "Grant:"),
        amount(d.grant_amount, lang),
        grant_note
    );
    let _ = writeln!(
        o,
        "  {} {}",
        tr(lang, "交付対象経費：", "Eligible expenses:"),
        amount(d.eligible_expenses, lang)
    );
}

fn derivation(o: &mut String, d: &Decision, lang: Lang) {
    let _ = writeln!(o, "\n{}", tr(lang, "■ 交付額の算定", "■ How the amount is derived"));
    for p in &d.projects {
        project_heading(o, &p.name, p.status, lang, "  ");
        for e in &p.expenses {
            let mark = match e.eligible {
                Some(true) => "○",
                Some(false) => "×",
                None => "？",
            };
            let _ = writeln!(
                o,
                "    {mark} {} ({}) {} — {}",
                e.item,
                e.category,
                amount(Some(e.amount), lang),
                pick(&e.reason, lang)
            );
        }
        for s in d
            .derivation
            .iter()
            .filter(|s| s.project.as_deref() == Some(p.name.as_str()))
        {
            let _ = writeln!(o, "    = {}: {}", pick(&s.label, lang), pick(&s.shown, lang));
        }
        if !p.counted {
            let _ = writeln!(
                o,
                "    {}",
                tr(lang, "→ 不採択のため算入しません", "→ rejected: not counted")
            );
        }
    }
    let mut n = 0;
    for s in d.derivation.iter().filter(|s| s.project.is_none()) {
        n += 1;
        let cite = s.citation.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
        let _ = writeln!(o, "  {n}. {}{cite}", pick(&s.label, lang));
        let _ = writeln!(o, "     {} = {}", s.formula, pick(&s.shown, lang));
    }
}

fn project_heading(o: &mut String, name: &str, status: ProjectStatus, lang: Lang, indent: &str) {
    let _ = match lang {
        Lang::Ja => writeln!(o, "{indent}事業「{name}」［{}］", project_label(status, lang)),
        Lang::En => writeln!(o, "{indent}Project \"{name}\" [{}]", project_label(status, lang)),
    };
}

fn rule_line(o: &mut String, r: &RuleEntry, lang: Lang, indent: &str) {
    let mut cites = vec![r.citation.clone()];
    cites.extend(r.citations.iter().cloned());
    cites.dedup();
    let _ = writeln!(
        o,
        "{indent}[{}] {} ({})",
        status_label(r.status, lang),
        r.id,
        cites.join(", ")
    );
    let _ = writeln!(o, "{indent}    {}", pick(&r.reason, lang));
}

fn rules(o: &mut String, title: &str, list: &[RuleEntry], lang: Lang, indent: &str) {
    let _ = writeln!(o, "\n{title}");
    for r in list {
        rule_line(o, r, lang, indent);
    }
}

fn projects(o: &mut String, d: &Decision, lang: Lang) {
    let _ = writeln!(o, "\n{}", tr(lang, "■ 事業ごとの要件", "■ Each project"));
    for p in &d.projects {
        project_heading(o, &p.name, p.status, lang, "  ");
        for r in &p.rules {
            rule_line(o, r, lang, "    ");
        }
    }
}

fn remarks(o: &mut String, d: &Decision, lang: Lang) {
    let _ = writeln!(
        o,
        "\n{}",
        tr(
            lang,
            "■ 審査担当者の確認事項（裁量条項。機械は判断しません）",
            "■ Reviewer's checklist (discretionary clauses: never decided by the engine)"
        )
    );
    for c in &d.checklist {
        let project = c.project.as_deref().map(|p| format!("「{p}」 ")).unwrap_or_default();
        let _ = writeln!(
            o,
            "  [{}] {project}{} ({}) {}",
            status_label(c.status, lang),
            c.rule,
            c.citation,
            pick(&c.text, lang)
        );
    }
    if !d.warnings.is_empty() {
        let _ = writeln!(o, "\n{}", tr(lang, "■ 警告", "■ Warnings"));
        for w in &d.warnings {
            let _ = writeln!(o, "  {} ({}) {}", w.rule, w.citation, pick(&w.text, lang));
        }
    }
    let _ = writeln!(o, "\n{}", tr(lang, "■ 不足している情報", "■ Missing information"));
    if d.missing.is_empty() {
        let _ = writeln!(o, "  {}", tr(lang, "なし", "none"));
    }
    for m in &d.missing_details {
        let _ = writeln!(o, "  - {} — {}", m.path, pick(&m.what, lang));
    }
}

fn footer(o: &mut String, d: &Decision, lang: Lang) {
    let _ = writeln!(o, "\n{}", tr(lang, "■ 適用したパラメータ", "■ Parameters applied"));
    for p in &d.parameters {
        let cite = p.citation.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let _ = writeln!(
            o,
            "  {} = {}{cite} — {}",
            p.name,
            pick(&p.value, lang),
            pick(&p.label, lang)
        );
    }
    let _ = writeln!(
        o,
        "\n{} {} / {} {}",
        tr(lang, "ルール版：", "Rules version:"),
        d.rules_version,
        tr(lang, "基準日", "as of"),
        d.rules_as_of
    );
    let _ = writeln!(o, "rules_sha256 {}", d.rules_sha256);
    let _ = writeln!(o, "input_sha256 {}", d.input_sha256);
}
