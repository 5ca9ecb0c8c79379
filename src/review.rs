//! `grant-rules review`: every document of a folder (or of the files named)
//! decided on every core, then one summary — a row per file with its
//! outcome, its amount and the rules that failed or are left for a
//! reviewer, and the totals — as text or as JSON, and with `--out` each
//! file's decision and report written beside the summary.
//!
//! Nothing here knows a kind: a row's title is the decision's first shown
//! value ([`title`]) and its amount the kind's first top-level `show` of
//! type money ([`amount_key`]), so a new kind's documents are summarised
//! by its rule files alone.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

use crate::batch::{self, Decided, FileError};
use crate::decision::{Datum, Decision, Entry, RuleEntry};
use crate::program::{Program, ShowItem, ShowValue, Ty};
use crate::render::{status_word, tr};
use crate::rules::RuleBook;
use crate::text::{Lang, Text, escaped};
use crate::verdict::RuleStatus;

/// The `format` of the summary JSON (`summary.json`).
pub const SUMMARY_FORMAT: &str = "grant-rules-review/v1";

/// What `review` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// The summary table.
    Table,
    /// One object keyed by file.
    Json,
    /// The summary as a cover sheet, then every decision's 審査調書: one
    /// page to print.
    Html,
    /// The same in Markdown.
    Markdown,
}

/// What `review` was asked.
pub struct Options {
    pub output: Output,
    pub lang: Lang,
    pub out: Option<PathBuf>,
    pub as_of: Option<jiff::civil::Date>,
    /// Threads (0: one per core).
    pub jobs: usize,
}

/// The summary of a review, as data: `summary.json`, and the table.
#[derive(Debug, serde::Serialize)]
pub struct Summary {
    pub format: &'static str,
    pub files: Vec<Row>,
    pub totals: Totals,
}

/// One file: what was decided, or why nothing was.
#[derive(Debug, serde::Serialize)]
pub struct Row {
    pub file: String,
    /// The kind's folder name (`application`), when its format named one.
    pub kind: Option<String>,
    pub title: Option<Shown>,
    /// The kind's word for the outcome (`eligible`).
    pub outcome: Option<String>,
    pub outcome_label: Option<Text>,
    pub amount: Option<Shown>,
    /// The rules that failed, are unknown or are for a reviewer, at the top
    /// level or for a listed entity.
    pub rules: Vec<Flag>,
    pub error: Option<FileError>,
    /// Its kind shows an amount (a blank amount is then `—`).
    #[serde(skip)]
    pub shows_amount: bool,
}

/// A shown value of a decision, as the summary quotes it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Shown {
    pub key: Arc<str>,
    pub label: Text,
    pub value: Datum,
    pub shown: Text,
}

/// A rule that did not pass, with the entities it did not pass for.
#[derive(Debug, serde::Serialize)]
pub struct Flag {
    pub id: Arc<str>,
    pub title: Text,
    pub status: RuleStatus,
    /// The JSON paths of the entities (`projects[1].expenses[0]`); empty
    /// for a rule of the document itself.
    pub at: Vec<String>,
    /// For a workbook, the cells those entities were written in
    /// (`経費!A4:G4`), one per path of `at`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Totals {
    pub documents: usize,
    pub decided: usize,
    pub errors: usize,
    /// By kind, in the order of the rule book.
    pub kinds: Vec<KindTotals>,
}

#[derive(Debug, serde::Serialize)]
pub struct KindTotals {
    pub kind: String,
    pub label: Text,
    pub decided: usize,
    /// The outcomes met, in the kind's order (pass, fail, review, unknown).
    pub outcomes: Vec<OutcomeCount>,
    /// The sum of the amount column over the documents that pass (the
    /// total granted), when the kind shows an amount. A reviewed
    /// document's amount is what it would be if the reviewer accepts: it is
    /// summed under its own outcome, never into this total.
    pub amount: Option<Shown>,
}

#[derive(Debug, serde::Serialize)]
pub struct OutcomeCount {
    /// `pass`, `fail`, `review` or `unknown`: what the kind's word means.
    pub verdict: &'static str,
    pub outcome: String,
    pub label: Text,
    pub count: usize,
    /// The sum of the amount column over these documents, when the kind
    /// shows an amount and one of them has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Shown>,
}

/// Runs `review`: exit 0 when every file was decided, 2 when one could not
/// be (or `--out` could not be written), 3 when stdout could not be.
pub fn run(book: &RuleBook, inputs: &[PathBuf], o: &Options) -> ExitCode {
    let paths = batch::find(inputs, o.out.as_deref());
    if paths.is_empty() {
        // Not an error (an empty inbox is a fact), but likely a wrong folder.
        let given: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "{}",
            match o.lang {
                Lang::Ja => format!(
                    "注意：{} に文書（*.json、*.xlsx、*.xlsm、*.csv）が見つかりません。フォルダを確かめてください",
                    given.join("、")
                ),
                Lang::En => format!(
                    "warning: no documents (*.json, *.xlsx, *.xlsm, *.csv) found in {}: check the folder",
                    given.join(", ")
                ),
            }
        );
    }
    let bar = batch::progress(paths.len());
    let decided = match batch::each(&paths, o.jobs, &bar, |p| batch::decide_file(book, p, o.as_of)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot start the threads: {e}");
            return ExitCode::from(2);
        }
    };
    let summary = summarize(book, &decided);
    let text = render(&summary, o.lang);
    let mut failed = summary.totals.errors > 0;
    if let Some(dir) = &o.out
        && let Err(e) = write_out(dir, &decided, &summary, &text, o.lang)
    {
        eprintln!("error: cannot write to {}: {e}", dir.display());
        failed = true;
    }
    let printed = match o.output {
        Output::Table => text,
        Output::Json => json(&batch::Keyed(&decided)),
        Output::Html | Output::Markdown => records(&summary, &decided, o.output, o.lang),
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(printed.as_bytes()).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(3);
    }
    if failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
}

/// The summary of decided files.
pub fn summarize(book: &RuleBook, decided: &[Decided]) -> Summary {
    let files: Vec<Row> = decided.iter().map(row).collect();
    let kinds = book.kinds.iter().filter_map(|p| kind_totals(p, &files)).collect();
    let errors = files.iter().filter(|r| r.error.is_some()).count();
    Summary {
        format: SUMMARY_FORMAT,
        totals: Totals {
            documents: files.len(),
            decided: files.len() - errors,
            errors,
            kinds,
        },
        files,
    }
}

/// One file's row.
pub fn row(d: &Decided) -> Row {
    let mut r = Row {
        file: d.name(),
        kind: d.kind().map(String::from),
        title: None,
        outcome: None,
        outcome_label: None,
        amount: None,
        rules: Vec::new(),
        error: None,
        shows_amount: d.program.and_then(amount_key).is_some(),
    };
    match &d.result {
        Ok(decision) => {
            r.title = title(decision);
            r.outcome = Some(decision.outcome.clone());
            r.outcome_label = Some(decision.outcome_label.clone());
            r.amount = d.program.and_then(amount_key).and_then(|k| shown(decision, &k));
            r.rules = flags(decision);
            if let Some(imported) = &d.cells {
                for f in &mut r.rules {
                    f.cells =
                        f.at.iter()
                            .map(|p| imported.place(p).unwrap_or_else(|| p.clone()))
                            .collect();
                }
            }
        }
        Err(e) => r.error = Some(e.clone()),
    }
    r
}

/// What names a decision in a list: its first shown value (`region`,
/// `zone`, `municipality`: the first `show` of the kind that is not
/// withheld), as the report prints it.
pub fn title(d: &Decision) -> Option<Shown> {
    let f = d.fields.iter().find(|f| !f.withheld && !f.value.is_null())?;
    Some(Shown {
        key: f.key.clone(),
        label: (*f.label).clone(),
        value: f.value.clone(),
        shown: f.shown.clone(),
    })
}

/// The key of a kind's amount: its first top-level `show` declared of type
/// money (`grant_amount` for an application; none for a kind that shows no
/// amount at the top level). Taken from the declarations, not the decision,
/// so a withheld amount (an ineligible application's) is a blank in the
/// column, never the next money value.
pub fn amount_key(p: &Program) -> Option<Arc<str>> {
    p.shows.iter().find_map(|item| match item {
        ShowItem::Show(s) if matches!(s.value, ShowValue::Expr(_, Ty::Money)) => Some(s.name.clone()),
        _ => None,
    })
}

/// A top-level field of a decision by key, quoted; `None` when withheld.
fn shown(d: &Decision, key: &str) -> Option<Shown> {
    let f = d.field(key).filter(|f| !f.withheld && !f.value.is_null())?;
    Some(Shown {
        key: f.key.clone(),
        label: (*f.label).clone(),
        value: f.value.clone(),
        shown: f.shown.clone(),
    })
}

/// The rules that did not pass: fail, unknown, review, at the top level
/// first, then for the listed entities in document order; a rule met for
/// several entities is one flag with each entity's path.
pub fn flags(d: &Decision) -> Vec<Flag> {
    let mut out: Vec<Flag> = Vec::new();
    let mut add = |r: &RuleEntry, at: Option<&str>| {
        if !matches!(r.status, RuleStatus::Fail | RuleStatus::Unknown | RuleStatus::Review) {
            return;
        }
        let i = match out.iter().position(|f| f.id == r.id && f.status == r.status) {
            Some(i) => i,
            None => {
                out.push(Flag {
                    id: r.id.clone(),
                    title: (*r.title).clone(),
                    status: r.status,
                    at: Vec::new(),
                    cells: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[i].at.extend(at.map(String::from));
    };
    for r in &d.rules {
        add(r, None);
    }
    for e in d.lists.iter().flat_map(|l| &l.entries) {
        each_entry(e, &mut |e| {
            for r in &e.rules {
                add(r, Some(&e.path));
            }
        });
    }
    out
}

/// Calls `f` on an entity and every entity listed under it.
pub fn each_entry<'d>(e: &'d Entry, f: &mut impl FnMut(&'d Entry)) {
    f(e);
    for child in e.lists.iter().flat_map(|l| &l.entries) {
        each_entry(child, f);
    }
}

/// The totals of one kind, if any file was of it.
fn kind_totals(p: &Program, files: &[Row]) -> Option<KindTotals> {
    let rows: Vec<&Row> = files
        .iter()
        .filter(|r| r.error.is_none() && r.kind.as_deref() == Some(p.kind.name.as_str()))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let key = amount_key(p);
    let label = key
        .as_ref()
        .and_then(|k| p.all_shows().find(|s| s.name == *k))
        .map(|s| (*s.label).clone())
        .unwrap_or_default();
    // The amounts of some rows, summed, when any of them has one.
    let sum = |of: &[&&Row]| -> Option<Shown> {
        let key = key.clone()?;
        let amounts: Vec<Decimal> = of.iter().filter_map(|r| r.amount.as_ref()?.value.as_money()).collect();
        let total: Decimal = amounts.iter().sum();
        (!amounts.is_empty()).then(|| Shown {
            key,
            label: label.clone(),
            value: Datum::Money(total),
            shown: crate::explain::yen(total),
        })
    };
    let outcomes: Vec<OutcomeCount> = p
        .kind
        .outcomes
        .iter()
        .zip(["pass", "fail", "review", "unknown"])
        .map(|(w, verdict)| {
            let of: Vec<&&Row> = rows.iter().filter(|r| r.outcome.as_deref() == Some(&*w.word)).collect();
            OutcomeCount {
                verdict,
                outcome: w.word.to_string(),
                label: (*w.label).clone(),
                count: of.len(),
                amount: sum(&of),
            }
        })
        .filter(|c| c.count > 0)
        .collect();
    // The total granted: the documents that pass.
    let amount = key.as_ref().map(|key| {
        let granted = outcomes
            .iter()
            .find(|c| c.verdict == "pass")
            .and_then(|c| c.amount.clone());
        granted.unwrap_or_else(|| Shown {
            key: key.clone(),
            label: label.clone(),
            value: Datum::Money(Decimal::ZERO),
            shown: crate::explain::yen(Decimal::ZERO),
        })
    });
    Some(KindTotals {
        kind: p.kind.name.clone(),
        label: p.kind.label.clone(),
        decided: rows.len(),
        outcomes,
        amount,
    })
}

/// The summary as a table: one line per file (file, kind, title, outcome,
/// amount), the rules it did not pass or its errors indented below, then
/// the totals.
/// The table's column headings.
fn header(lang: Lang) -> [String; 5] {
    [
        tr(lang, "ファイル", "file"),
        tr(lang, "種類", "kind"),
        tr(lang, "件名", "title"),
        tr(lang, "結果", "outcome"),
        tr(lang, "金額", "amount"),
    ]
    .map(String::from)
}

pub fn render(s: &Summary, lang: Lang) -> String {
    let mut lines: Vec<[String; 5]> = vec![header(lang)];
    let mut below: Vec<Vec<String>> = vec![Vec::new()];
    for r in &s.files {
        lines.push(cells(r, lang));
        below.push(details(r, lang));
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| lines.iter().map(|l| l[i].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (cells, details) in lines.iter().zip(&below) {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.width();
            match i {
                4 => line.push_str(&format!("{}{c}", " ".repeat(pad))),
                _ => line.push_str(&format!("{c}{}  ", " ".repeat(pad))),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for d in details {
            out.push_str(&format!("    {d}\n"));
        }
    }
    out.push('\n');
    out.push_str(&totals(&s.totals, lang));
    out
}

/// The cells of a row, escaped (a file name may hold anything).
fn cells(r: &Row, lang: Lang) -> [String; 5] {
    let text = |t: &Option<Shown>| t.as_ref().map(|t| clip(t.shown.get(lang), 30)).unwrap_or_default();
    let outcome = match (&r.error, &r.outcome, &r.outcome_label) {
        (Some(_), _, _) => tr(lang, "エラー", "error").to_string(),
        (None, Some(_), Some(label)) if lang == Lang::Ja => label.ja.clone(),
        (None, Some(word), _) => word.clone(),
        _ => String::new(),
    };
    let amount = match (&r.error, &r.amount) {
        (None, Some(a)) => a.shown.get(lang).to_string(),
        (None, None) if r.shows_amount => "—".to_string(),
        _ => String::new(),
    };
    [
        escaped(&r.file).into_owned(),
        r.kind.clone().unwrap_or_default(),
        text(&r.title),
        escaped(&outcome).into_owned(),
        amount,
    ]
}

/// At most `n` characters, escaped, with `…` when cut.
fn clip(s: &str, n: usize) -> String {
    let s = escaped(s);
    if s.chars().count() <= n {
        return s.into_owned();
    }
    let mut cut: String = s.chars().take(n - 1).collect();
    cut.push('…');
    cut
}

/// The lines under a row: each rule it did not pass (with the entities, at
/// most three named), or each error.
fn details(r: &Row, lang: Lang) -> Vec<String> {
    if let Some(e) = &r.error {
        return e.lines(lang).iter().map(|l| escaped(l).into_owned()).collect();
    }
    r.rules
        .iter()
        .map(|f| {
            let mut line = format!(
                "{} {} {}",
                status_word(f.status, lang),
                f.id,
                escaped(f.title.get(lang))
            );
            let at = if f.cells.is_empty() { &f.at } else { &f.cells };
            if !at.is_empty() {
                let named: Vec<&str> = at.iter().take(3).map(String::as_str).collect();
                let more = at.len().saturating_sub(3);
                let rest = match (more, lang) {
                    (0, _) => String::new(),
                    (n, Lang::Ja) => format!(" 他{n}件"),
                    (n, Lang::En) => format!(" and {n} more"),
                };
                line.push_str(&format!(" — {}{rest}", named.join(", ")));
            }
            line
        })
        .collect()
}

fn totals(t: &Totals, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Ja => format!("計 {} 件：判断 {} 件、エラー {} 件\n", t.documents, t.decided, t.errors),
        Lang::En => format!(
            "{} document(s): {} decided, {} error(s)\n",
            t.documents, t.decided, t.errors
        ),
    };
    for k in &t.kinds {
        let sep = tr(lang, "、", ", ");
        let counts: Vec<String> = k
            .outcomes
            .iter()
            .map(|c| match lang {
                Lang::Ja => format!("{} {}", c.label.ja, c.count),
                Lang::En => format!("{} {}", c.outcome, c.count),
            })
            .collect();
        out.push_str(&format!("{}: {}", k.kind, counts.join(sep)));
        if let Some(a) = &k.amount {
            match lang {
                Lang::Ja => out.push_str(&format!("；{}の合計 {}", a.label.ja, a.shown.ja)),
                Lang::En => out.push_str(&format!("; total {} {}", a.label.en.to_lowercase(), a.shown.en)),
            }
            // The other outcomes' amounts, apart: a reviewed application's
            // grant is what it would be if the reviewer accepts.
            for c in k.outcomes.iter().filter(|c| c.verdict != "pass") {
                if let Some(x) = &c.amount {
                    match lang {
                        Lang::Ja => {
                            out.push_str(&format!("（{} {} 件の見込み額 {}）", c.label.ja, c.count, x.shown.ja))
                        }
                        Lang::En => out.push_str(&format!(" ({} {}: {} if accepted)", c.count, c.outcome, x.shown.en)),
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Where a file's outputs go in the `--out` directory: its path as given,
/// made relative (a root or drive dropped, `..` written `__`), without its
/// `.json`, so `a/x.json` and `b/x.json` do not collide.
pub fn out_stem(path: &Path) -> PathBuf {
    let mut stem = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => stem.push(s),
            Component::ParentDir => stem.push("__"),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    if stem.extension().is_some_and(|e| e == "json") {
        stem.set_extension("");
    }
    if stem.as_os_str().is_empty() {
        stem.push("_");
    }
    stem
}

/// The stems of every file, distinct: one that another file already took
/// (`/a/x.json` and `a/x.json`) gets `~2`, `~3` ….
fn out_stems(decided: &[Decided]) -> Vec<PathBuf> {
    let mut taken: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    decided
        .iter()
        .map(|d| {
            let base = out_stem(&d.path);
            let mut stem = base.clone();
            let mut n = 1;
            while !taken.insert(stem.clone()) {
                n += 1;
                stem = PathBuf::from(format!("{}~{n}", base.display()));
            }
            stem
        })
        .collect()
}

/// Writes `--out`: for each file `STEM.decision.json`, `STEM.report.txt` and
/// the printable `STEM.審査調書.html`, for a workbook also the document it
/// was read into (`STEM.document.json`) — or `STEM.error.json` and
/// `STEM.error.txt` — the outputs of the other
/// result of an earlier run removed; then `summary.json` and `summary.txt`.
/// Each file is written atomically ([`batch::write_atomic`]).
pub fn write_out(dir: &Path, decided: &[Decided], summary: &Summary, text: &str, lang: Lang) -> std::io::Result<()> {
    for (d, stem) in decided.iter().zip(out_stems(decided)) {
        let at = |suffix: &str| dir.join(format!("{}.{suffix}", stem.display()));
        let (mut written, stale) = match &d.result {
            Ok(decision) => (
                vec![
                    (at("decision.json"), json(decision)),
                    (at("report.txt"), report(decision, lang)),
                    (at("審査調書.html"), chosho(decision, lang)),
                ],
                vec![at("error.json"), at("error.txt")],
            ),
            Err(e) => (
                vec![
                    (at("error.json"), json(e)),
                    (at("error.txt"), e.lines(lang).join("\n") + "\n"),
                ],
                vec![
                    at("decision.json"),
                    at("report.txt"),
                    at("審査調書.html"),
                    at("document.json"),
                ],
            ),
        };
        // A workbook's document as it was read: the JSON a reviewer keeps
        // (and adds to), decided as the workbook was.
        if let Some(imported) = &d.cells {
            written.push((
                at("document.json"),
                String::from_utf8_lossy(&imported.json).into_owned(),
            ));
        }
        for (path, contents) in written {
            batch::write_atomic(&path, contents.as_bytes())?;
        }
        for path in stale {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    batch::write_atomic(&dir.join("summary.json"), json(summary).as_bytes())?;
    batch::write_atomic(&dir.join("summary.txt"), text.as_bytes())
}

/// The cover sheet and the 審査調書 of every decided file, in the table's
/// order, each row of the cover pointing at its record.
fn records(summary: &Summary, decided: &[Decided], output: Output, lang: Lang) -> String {
    use crate::render::{Cover, CoverRow};
    let mut k = 0;
    let rows = summary
        .files
        .iter()
        .zip(decided)
        .map(|(r, d)| CoverRow {
            cells: cells(r, lang),
            details: details(r, lang),
            record: d.result.is_ok().then(|| {
                k += 1;
                k
            }),
        })
        .collect();
    let cover = Cover {
        header: header(lang),
        rows,
        totals: totals(&summary.totals, lang).lines().map(String::from).collect(),
    };
    let docs: Vec<(Option<String>, crate::document::Document)> = decided
        .iter()
        .filter_map(|d| {
            let decision = d.result.as_ref().ok()?;
            Some((Some(d.name()), crate::document::of(decision, false)))
        })
        .collect();
    match output {
        Output::Markdown => crate::render::markdown::with_cover(Some(&cover), &docs, lang),
        _ => crate::render::html::with_cover(Some(&cover), &docs, lang),
    }
}

fn report(d: &Decision, lang: Lang) -> String {
    crate::render::text::render(&crate::document::of(d, false), lang)
}

/// The 審査調書 to print and file, one page per decision.
fn chosho(d: &Decision, lang: Lang) -> String {
    crate::render::html::render(&[(None, crate::document::of(d, false))], lang)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
