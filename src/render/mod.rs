//! Renderings of a decision's [`crate::document::Document`]: a plain-text
//! report, and the 審査調書 a prefecture files (HTML for print, Markdown),
//! all laid out from the same model. The words the renderings share (a
//! rule's status, an entity's mark, a checklist line's state) are here.

pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod text;

use std::borrow::Cow;

use crate::decision::{CheckItem, CheckState, CounterfactualKind, ParamEntry};
use crate::document::{Label, Meta, RuleLine};
use crate::text::Lang;
use crate::verdict::{RuleStatus, Verdict};

/// A batch's cover sheet (`review --format html|markdown`): the summary
/// table as `review` lays it out, each decided row pointing at its record,
/// and the totals. Built by `review`, laid out by a renderer.
pub(crate) struct Cover {
    pub header: [String; 5],
    pub rows: Vec<CoverRow>,
    /// The totals, a line each.
    pub totals: Vec<String>,
}

pub(crate) struct CoverRow {
    /// File, kind, title, outcome, amount.
    pub cells: [String; 5],
    /// The rules flagged, or the errors of a file not decided.
    pub details: Vec<String>,
    /// The 1-based number of its record among the records that follow,
    /// for a decided file.
    pub record: Option<usize>,
}

pub(crate) fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// What sort of change a counterfactual is: 変更 (what would let a rule
/// pass), 記入 (a fact to supply), 不算入 (left out, and why), 金額 (how
/// far an amount is from its next step), 余裕 (how far a passing rule is
/// from failing).
pub(crate) fn counterfactual_kind(k: CounterfactualKind, lang: Lang) -> &'static str {
    match k {
        CounterfactualKind::ToPass => tr(lang, "変更", "CHANGE"),
        CounterfactualKind::Supply => tr(lang, "記入", "SUPPLY"),
        CounterfactualKind::LeftOut => tr(lang, "不算入", "LEFT OUT"),
        CounterfactualKind::Amount => tr(lang, "金額", "AMOUNT"),
        CounterfactualKind::Margin => tr(lang, "余裕", "MARGIN"),
    }
}

pub(crate) fn label<'d>(l: &Label<'d>, lang: Lang) -> &'d str {
    match lang {
        Lang::Ja => l.ja(),
        Lang::En => l.en(),
    }
}

/// A rule's status in words: 適合 / PASS, 不適合 / FAIL ….
pub(crate) fn status_word(s: RuleStatus, lang: Lang) -> &'static str {
    match s {
        RuleStatus::Pass => tr(lang, "適合", "PASS"),
        RuleStatus::Fail => tr(lang, "不適合", "FAIL"),
        RuleStatus::Review => tr(lang, "要審査", "REVIEW"),
        RuleStatus::Unknown => tr(lang, "判断不可", "UNKNOWN"),
        RuleStatus::NotApplicable => tr(lang, "該当なし", "N/A"),
    }
}

/// A rule line's status: 適合 / PASS …, and 指摘なし / NOT RAISED for a
/// discretionary clause nothing raised (never a machine's pass).
pub(crate) fn status_label(r: &RuleLine, lang: Lang) -> &'static str {
    if r.not_raised() {
        return tr(lang, "指摘なし", "NOT RAISED");
    }
    status_word(r.status, lang)
}

/// A CSS class (and a Markdown reader's cue) for a rule line's status.
pub(crate) fn status_class(r: &RuleLine) -> &'static str {
    if r.not_raised() {
        return "not-raised";
    }
    match r.status {
        RuleStatus::Pass => "pass",
        RuleStatus::Fail => "fail",
        RuleStatus::Review => "review",
        RuleStatus::Unknown => "unknown",
        RuleStatus::NotApplicable => "na",
    }
}

/// The mark of a one-line entity.
pub(crate) fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "○",
        Verdict::Fail => "×",
        Verdict::Review => "△",
        Verdict::Unknown => "？",
    }
}

pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Review => "review",
        Verdict::Unknown => "unknown",
    }
}

/// Where a checklist line stands, in a few words: 未判断 / 認める / 認めない /
/// 指摘なし.
pub(crate) fn check_state(c: &CheckItem, lang: Lang) -> &'static str {
    match c.state {
        CheckState::Open => tr(lang, "未判断", "Open"),
        CheckState::Accepted => tr(lang, "認める", "Accepted"),
        CheckState::Rejected => tr(lang, "認めない", "Rejected"),
        CheckState::NotRaised => tr(lang, "指摘なし", "Not raised"),
    }
}

/// A checklist line is closed once a reviewer decided it.
pub(crate) fn check_closed(c: &CheckItem) -> bool {
    matches!(c.state, CheckState::Accepted | CheckState::Rejected)
}

/// A text escaped for the page a renderer writes (HTML, Markdown).
pub(crate) type Escape = fn(&str) -> Cow<'_, str>;

/// The 審査調書's "rules applied" cell: the rules' title and version, the
/// date they were applied as of (with `--as-of`, and the document's own),
/// and the amendments of the guidelines applied, lines joined by `<br>`.
pub(crate) fn rules_applied(m: &Meta, lang: Lang, esc: Escape) -> String {
    let as_of_note = match &m.document_as_of {
        None => String::new(),
        Some(None) => tr(lang, "（--as-of で指定）", " (given with --as-of)").to_string(),
        Some(Some(own)) => match lang {
            Lang::Ja => format!("（--as-of で指定。文書の基準日は {}）", esc(&own.ja)),
            Lang::En => format!(" (given with --as-of; the document's own date is {})", esc(&own.en)),
        },
    };
    let amendments: Vec<String> = m
        .amendments
        .iter()
        .map(|a| match lang {
            Lang::Ja => format!("{}（{}）", esc(&a.source), esc(&a.label.ja)),
            Lang::En => format!("{} ({})", esc(&a.source), esc(&a.label.en)),
        })
        .collect();
    let rules = match lang {
        Lang::Ja => format!("{}（ルール版 {}）", esc(m.rules_title), esc(m.rules_version)),
        Lang::En => format!("{} (version {})", esc(m.rules_title), esc(m.rules_version)),
    };
    let amended = if amendments.is_empty() {
        String::new()
    } else {
        format!(
            "<br>{}{}",
            tr(lang, "適用した要綱：", "Guidelines applied: "),
            amendments.join(tr(lang, "、", "; "))
        )
    };
    format!(
        "{rules}<br>{}{}{as_of_note}{amended}",
        tr(lang, "基準日 ", "As of "),
        esc(m.rules_as_of.get(lang))
    )
}

/// The version of a parameter applied: from when, and set by what.
pub(crate) fn param_version(p: &ParamEntry, lang: Lang, esc: Escape) -> String {
    let since = p.since.as_deref().map(crate::document::date);
    match (&since, &p.set_by, lang) {
        (Some(s), Some(by), Lang::Ja) => format!("{} から（{}）", esc(&s.ja), esc(by)),
        (Some(s), None, Lang::Ja) => format!("{} から", esc(&s.ja)),
        (Some(s), Some(by), Lang::En) => format!("from {} ({})", esc(&s.en), esc(by)),
        (Some(s), None, Lang::En) => format!("from {}", esc(&s.en)),
        (None, Some(by), _) => esc(by).into_owned(),
        (None, None, _) => tr(lang, "日付によらない", "whatever the date").to_string(),
    }
}

/// The headings of the derivation's table: step, what, article, value,
/// and with `--explain` the formula.
pub(crate) fn derivation_heads(lang: Lang, explain: bool) -> Vec<&'static str> {
    let mut heads = vec![
        tr(lang, "順", "Step"),
        tr(lang, "算定項目", "What"),
        tr(lang, "根拠", "Article"),
        tr(lang, "値", "Value"),
    ];
    if explain {
        heads.push(tr(lang, "算式", "Formula"));
    }
    heads
}

/// The headings of the parameters' table.
pub(crate) fn param_heads(lang: Lang) -> [&'static str; 4] {
    [
        tr(lang, "パラメータ", "Parameter"),
        tr(lang, "値", "Value"),
        tr(lang, "根拠", "Article"),
        tr(lang, "適用した版", "Version applied"),
    ]
}

/// What the questions to the applicant are for, and their table's headings.
pub(crate) fn missing_heads(lang: Lang) -> (&'static str, [&'static str; 4]) {
    (
        tr(
            lang,
            "申請者に次の事項を照会してください（回答は該当箇所に記入し、再度審査します）。",
            "Ask the applicant the following (the answers go in the document at the place given, and it is decided again).",
        ),
        [
            tr(lang, "番号", "No."),
            tr(lang, "照会事項", "Question"),
            tr(lang, "該当箇所", "Where in the document"),
            tr(lang, "回答", "Answer"),
        ],
    )
}
