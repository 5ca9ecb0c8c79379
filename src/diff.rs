//! `grant-rules diff`: the impact of a rules change (OpenFisca's "reform").
//! A corpus of documents is decided under two rule sets, the base and the
//! head, and every decision that changed is reported: its outcome, each
//! top-level value that differs (an amount with the difference), the rules
//! whose status changed with their new reasons, and the same for each
//! listed entity (a project, an expense line). The exit code gates a rules
//! change: 0 nothing changed, 1 something did, 2 something could not be
//! decided (or a rule set could not be loaded).
//!
//! A rule set is a directory (a rule tree as `--rules` takes it) or a git
//! revision of this repository's `rules/` ([`resolve`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use rust_decimal::Decimal;

use crate::batch::{self, Decided, FileError};
use crate::decision::{Datum, Decision, Entry, Field, RuleEntry};
use crate::render::{self, tr};
use crate::review;
use crate::rules::{self, RuleBook, Tree};
use crate::text::{Lang, Text, escaped};
use crate::verdict::RuleStatus;

/// The `format` of the JSON report.
pub const IMPACT_FORMAT: &str = "grant-rules-diff/v1";

/// What `diff` was asked.
pub struct Options {
    pub base: String,
    pub head: String,
    pub json: bool,
    pub lang: Lang,
    /// Threads (0: one per core).
    pub jobs: usize,
}

/// Where a rule set came from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Origin {
    /// As given on the command line (`HEAD~1`, `rules`).
    pub spec: String,
    pub source: SourceKind,
    /// The commit, for a git revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Directory,
    GitRevision,
}

/// The report: the counts, each changed decision, each file that could not
/// be decided under one rule set or both.
#[derive(Debug, serde::Serialize)]
pub struct Impact {
    pub format: &'static str,
    pub base: Origin,
    pub head: Origin,
    pub counts: Counts,
    /// The sum of each top-level amount over the documents decided under
    /// both, for the amounts whose sum changed (the budget impact).
    pub amounts: Vec<AmountTotal>,
    pub changed: Vec<Change>,
    pub errors: Vec<Failure>,
}

/// The sum of one kind's top-level amount (a withheld one counts as 0)
/// under each rule set.
#[derive(Debug, serde::Serialize)]
pub struct AmountTotal {
    pub kind: String,
    pub key: String,
    pub label: Text,
    pub total: Pair<Datum>,
    pub shown: Pair<Text>,
    pub difference: Datum,
    pub difference_shown: Text,
    /// The same sum over the documents that pass under each rule set (the
    /// eligible applications: the total granted), a reviewed document's
    /// amount being what it would be if accepted.
    pub passing: Pair<Datum>,
    pub passing_shown: Pair<Text>,
    /// The kind's word for a pass (ja `交付対象`, en the outcome word
    /// `eligible`), when a document passed.
    pub passing_label: Option<Text>,
    pub passing_difference_shown: Text,
}

#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: usize,
    /// Decided under both rule sets.
    pub decided: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Not decided under one of them, or under both.
    pub errors: usize,
}

/// A value before and after.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Pair<T> {
    pub before: T,
    pub after: T,
}

/// One decision that changed.
#[derive(Debug, serde::Serialize)]
pub struct Change {
    pub file: String,
    pub kind: String,
    /// The decision's first shown value (its region, zone …), under head.
    pub title: Option<Text>,
    /// The outcome words (the same when only amounts or rules changed).
    pub outcome: Pair<String>,
    pub outcome_label: Pair<Text>,
    pub fields: Vec<FieldChange>,
    pub rules: Vec<RuleChange>,
    pub entities: Vec<EntityChange>,
}

/// A shown value that differs.
#[derive(Debug, serde::Serialize)]
pub struct FieldChange {
    pub key: String,
    pub label: Text,
    pub value: Pair<Datum>,
    pub shown: Pair<Text>,
    /// After minus before, for two amounts.
    pub difference: Option<Datum>,
    pub difference_shown: Option<Text>,
}

/// A rule whose status changed (`None`: the rule is not in that rule set).
#[derive(Debug, serde::Serialize)]
pub struct RuleChange {
    pub id: String,
    pub title: Text,
    pub status: Pair<Option<RuleStatus>>,
    /// Its reason under head (under base for a rule head dropped).
    pub reason: Text,
}

/// A listed entity whose status, values or rules changed.
#[derive(Debug, serde::Serialize)]
pub struct EntityChange {
    /// Its list (`projects`, `expenses`).
    pub list: String,
    /// Its JSON path (`projects[0].expenses[1]`).
    pub path: String,
    pub title: String,
    /// Its status words (`None`: not listed under that rule set).
    pub status: Pair<Option<String>>,
    pub fields: Vec<FieldChange>,
    pub rules: Vec<RuleChange>,
}

/// A file not decided under base, head or both, with each error.
#[derive(Debug, serde::Serialize)]
pub struct Failure {
    pub file: String,
    pub base: Option<FileError>,
    pub head: Option<FileError>,
}

/// Runs `diff`.
pub fn run(corpus: &[PathBuf], o: &Options) -> ExitCode {
    let (base, base_origin) = match load(&o.base) {
        Ok(b) => b,
        Err(e) => return fail("--base", &e),
    };
    let (head, head_origin) = match load(&o.head) {
        Ok(b) => b,
        Err(e) => return fail("--head", &e),
    };
    let paths = batch::find(corpus, None);
    let bar = batch::progress(paths.len());
    // A workbook is imported under each rule set: its 節 names resolve
    // through that set's aliases.
    let pairs = batch::each(&paths, o.jobs, &bar, |p| {
        if crate::import::is_spreadsheet(p) {
            return (batch::decide_file(&base, p, None), batch::decide_file(&head, p, None));
        }
        match batch::read_bytes(p) {
            Ok(bytes) => (
                named(batch::decide_bytes(&base, &bytes, None), p),
                named(batch::decide_bytes(&head, &bytes, None), p),
            ),
            Err(e) => (unread(p, e.clone()), unread(p, e)),
        }
    });
    let pairs = match pairs {
        Ok(p) => p,
        Err(e) => return fail("threads", &e.to_string()),
    };
    let impact = compare_all(base_origin, head_origin, &pairs);
    let text = if o.json {
        let mut s = serde_json::to_string_pretty(&impact).unwrap_or_default();
        s.push('\n');
        s
    } else {
        render(&impact, o.lang)
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(3);
    }
    ExitCode::from(exit_code(&impact.counts))
}

/// 2 when something was not decided, else 1 when something changed, else 0.
pub fn exit_code(c: &Counts) -> u8 {
    match (c.errors, c.changed) {
        (0, 0) => 0,
        (0, _) => 1,
        _ => 2,
    }
}

fn fail(what: &str, message: &str) -> ExitCode {
    eprint!("{message}");
    if !message.ends_with('\n') {
        eprintln!();
    }
    eprintln!("error: {what}: cannot load the rules");
    ExitCode::from(2)
}

fn named<'b>(mut d: Decided<'b>, path: &Path) -> Decided<'b> {
    d.path = path.to_path_buf();
    d
}

fn unread<'b>(path: &Path, e: FileError) -> Decided<'b> {
    Decided {
        path: path.to_path_buf(),
        program: None,
        result: Err(e),
        cells: None,
    }
}

/// Loads a rule set: its tree ([`resolve`]) compiled, or the rules' errors
/// as text (each with its file, line and caret).
pub fn load(spec: &str) -> Result<(RuleBook, Origin), String> {
    let (tree, origin) = resolve(spec)?;
    let book = rules::load_tree(tree).map_err(|e| rules_error(&e))?;
    Ok((book, origin))
}

/// The rules' errors as text, each with its file, line and caret, then
/// what they add up to (said once).
fn rules_error(e: &rules::RulesError) -> String {
    let text = e.render();
    let summary = format!("error: {e}\n");
    if text.contains(&summary) { text } else { text + &summary }
}

/// A rule set named on the command line. An existing directory wins: it is
/// read as a rule tree (`common/` and one folder per kind). Anything else
/// is a git revision of the repository the current directory is in
/// (`HEAD~1`, `main`, a commit), whose `rules/` is read with git (`REV:DIR`
/// reads another directory of that revision); its files are named
/// `REV:rules/…` in errors. Neither is an error that says so.
pub fn resolve(spec: &str) -> Result<(Tree, Origin), String> {
    let dir = Path::new(spec);
    if dir.is_dir() {
        let tree = rules::read_tree(dir).map_err(|e| rules_error(&e))?;
        let origin = Origin {
            spec: spec.to_string(),
            source: SourceKind::Directory,
            commit: None,
        };
        return Ok((tree, origin));
    }
    git_tree(spec)
}

/// Runs git in `cwd`; its stdout, or its stderr as the error.
fn git(cwd: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .current_dir(cwd)
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => {
            let bytes = bytes.to_vec();
            Some(std::thread::spawn(move || stdin.write_all(&bytes)))
        }
        _ => None,
    };
    let out = child.wait_with_output().map_err(|e| format!("git: {e}"))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

/// The rule tree of a git revision: the blobs under its `rules/` (or the
/// directory after `REV:`) listed with `git ls-tree`, read in one `git
/// cat-file --batch`, written to a temporary directory and read from there
/// as any rule tree is (the same layout, limits and order), then named
/// `REV:rules/…`.
fn git_tree(spec: &str) -> Result<(Tree, Origin), String> {
    let neither = |why: &str| format!("{spec} is neither a directory nor a git revision of this repository: {why}");
    if spec.starts_with('-') {
        return Err(neither("it starts with '-'"));
    }
    let (rev, sub) = spec.split_once(':').unwrap_or((spec, "rules"));
    let sub = sub.trim_matches('/');
    let top = git(Path::new("."), &["rev-parse", "--show-toplevel"], None).map_err(|e| neither(&e))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let commit = git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
        None,
    )
    .map_err(|_| neither("git knows no such revision"))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let listing = git(&top, &["ls-tree", "-r", "-z", "--full-tree", &commit, "--", sub], None)?;
    let blobs = blobs(&listing, sub)?;
    if blobs.is_empty() {
        return Err(format!("{rev} has no {sub}/ directory"));
    }
    let ids: String = blobs.iter().map(|(id, _)| format!("{id}\n")).collect();
    let contents = git(&top, &["cat-file", "--batch"], Some(ids.as_bytes()))?;
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    write_blobs(tmp.path(), &blobs, &contents)?;
    let prefix = tmp.path().display().to_string();
    let tree = rules::read_tree(tmp.path()).map_err(|e| rules_error(&e).replace(&prefix, &format!("{rev}:{sub}")))?;
    let rename = |files: Vec<(String, String)>| -> Vec<(String, String)> {
        files
            .into_iter()
            .map(|(name, text)| {
                let rest = name.strip_prefix(&prefix).unwrap_or(&name);
                (format!("{rev}:{sub}{rest}"), text)
            })
            .collect()
    };
    let tree = Tree {
        common: rename(tree.common),
        kinds: tree.kinds.into_iter().map(|(k, files)| (k, rename(files))).collect(),
    };
    let origin = Origin {
        spec: spec.to_string(),
        source: SourceKind::GitRevision,
        commit: Some(commit),
    };
    Ok((tree, origin))
}

/// The (object id, path under `sub`) of each file `git ls-tree -r -z`
/// lists; a path that would leave the directory is refused, and a
/// submodule or symbolic link is skipped (a rule tree holds files).
fn blobs(listing: &[u8], sub: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            return Err(format!("git ls-tree: unexpected line {record:?}"));
        };
        let fields: Vec<&str> = meta.split(' ').collect();
        let [mode, kind, id] = fields[..] else {
            return Err(format!("git ls-tree: unexpected line {record:?}"));
        };
        if kind != "blob" || mode == "120000" {
            continue;
        }
        let rel = Path::new(path.strip_prefix(sub).unwrap_or(path).trim_start_matches('/'));
        if !rel.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
            return Err(format!("git ls-tree: a path outside {sub}/: {path:?}"));
        }
        out.push((id.to_string(), rel.to_path_buf()));
    }
    Ok(out)
}

/// Writes each blob of a `git cat-file --batch` output (`ID blob SIZE\n`,
/// the bytes, `\n`) to its path under `dir`.
fn write_blobs(dir: &Path, blobs: &[(String, PathBuf)], mut contents: &[u8]) -> Result<(), String> {
    let bad = || "git cat-file: unexpected output".to_string();
    for (_, rel) in blobs {
        let nl = contents.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&contents[..nl]).to_string();
        let size: usize = header.rsplit(' ').next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let body = contents.get(nl + 1..nl + 1 + size).ok_or_else(bad)?;
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
        contents = contents.get(nl + 2 + size..).unwrap_or_default();
    }
    Ok(())
}

/// Compares every pair of results.
pub fn compare_all(base: Origin, head: Origin, pairs: &[(Decided, Decided)]) -> Impact {
    let mut impact = Impact {
        format: IMPACT_FORMAT,
        base,
        head,
        counts: Counts {
            documents: pairs.len(),
            ..Counts::default()
        },
        amounts: Vec::new(),
        changed: Vec::new(),
        errors: Vec::new(),
    };
    let mut sums: Vec<Sum> = Vec::new();
    for (b, h) in pairs {
        match (&b.result, &h.result) {
            (Ok(before), Ok(after)) => {
                impact.counts.decided += 1;
                add_amounts(&mut sums, h.kind().unwrap_or_default(), before, after);
                match compare(&h.name(), h.kind().unwrap_or_default(), before, after) {
                    Some(c) => impact.changed.push(c),
                    None => impact.counts.unchanged += 1,
                }
            }
            _ => impact.errors.push(Failure {
                file: h.name(),
                base: b.result.as_ref().err().cloned(),
                head: h.result.as_ref().err().cloned(),
            }),
        }
    }
    impact.amounts = sums
        .into_iter()
        .filter(|s| s.all.0 != s.all.1 || s.passing.0 != s.passing.1)
        .map(|s| {
            let (total, shown) = money_pair(s.all);
            let (passing, passing_shown) = money_pair(s.passing);
            AmountTotal {
                kind: s.kind,
                key: s.field.key.to_string(),
                label: (*s.field.label).clone(),
                total,
                shown,
                difference: Datum::Money(s.all.1 - s.all.0),
                difference_shown: signed_yen(s.all.1 - s.all.0),
                passing,
                passing_shown,
                passing_difference_shown: signed_yen(s.passing.1 - s.passing.0),
                passing_label: s.pass_word,
            }
        })
        .collect();
    impact.counts.changed = impact.changed.len();
    impact.counts.errors = impact.errors.len();
    impact
}

/// `交付額（application、grant_amount）の合計: A → B（±C）；うち交付対象: …`,
/// the part of the documents that pass only when some did.
fn amount_line(a: &AmountTotal, lang: Lang) -> String {
    let mut line = match lang {
        Lang::Ja => format!("{}（{}、{}）の合計: ", a.label.ja, a.kind, a.key),
        Lang::En => format!("total {} ({}, {}): ", a.label.en.to_lowercase(), a.kind, a.key),
    };
    line.push_str(&change_text(&a.shown, Some(&a.difference_shown), lang));
    let some_pass = a.passing.before != Datum::Money(Decimal::ZERO) || a.passing.after != Datum::Money(Decimal::ZERO);
    if some_pass {
        let word = a.passing_label.as_ref();
        line.push_str(&match lang {
            Lang::Ja => format!("；うち{}: ", word.map_or("適合", |t| t.ja.as_str())),
            Lang::En => format!("; {} only: ", word.map_or("passing", |t| t.en.as_str())),
        });
        line.push_str(&change_text(&a.passing_shown, Some(&a.passing_difference_shown), lang));
    }
    line + "\n"
}

/// `A → B（±C）` / `A → B (±C)`: a value before and after, and by how much.
fn change_text(shown: &Pair<Text>, difference: Option<&Text>, lang: Lang) -> String {
    let by = match (difference, lang) {
        (Some(d), Lang::Ja) => format!("（{}）", d.ja),
        (Some(d), Lang::En) => format!(" ({})", d.en),
        (None, _) => String::new(),
    };
    format!(
        "{} → {}{by}",
        escaped(shown.before.get(lang)),
        escaped(shown.after.get(lang))
    )
}

/// Two sums (before, after) as data and as shown.
fn money_pair((before, after): (Decimal, Decimal)) -> (Pair<Datum>, Pair<Text>) {
    (
        Pair {
            before: Datum::Money(before),
            after: Datum::Money(after),
        },
        Pair {
            before: crate::explain::yen(before),
            after: crate::explain::yen(after),
        },
    )
}

/// One kind's top-level amount summed under both rule sets (before,
/// after): over every document, and over those that pass.
struct Sum<'d> {
    kind: String,
    field: &'d Field,
    all: (Decimal, Decimal),
    passing: (Decimal, Decimal),
    /// The kind's word for a pass (交付対象), from a document that passed.
    pass_word: Option<Text>,
}

/// Adds a document's top-level amounts to the sums by (kind, key): an
/// amount either rule set shows, a withheld or absent one as 0.
fn add_amounts<'d>(sums: &mut Vec<Sum<'d>>, kind: &str, b: &'d Decision, a: &'d Decision) {
    let money = |d: &Decision, key: &str| d.field(key).and_then(|f| f.value.as_money()).unwrap_or_default();
    let passing = |d: &Decision, key: &str| {
        if d.verdict == crate::verdict::Verdict::Pass {
            money(d, key)
        } else {
            Decimal::ZERO
        }
    };
    for f in b.fields.iter().chain(&a.fields) {
        if f.value.as_money().is_none() || sums.iter().any(|s| s.kind == kind && s.field.key == f.key) {
            continue;
        }
        sums.push(Sum {
            kind: kind.to_string(),
            field: f,
            all: (Decimal::ZERO, Decimal::ZERO),
            passing: (Decimal::ZERO, Decimal::ZERO),
            pass_word: None,
        });
    }
    for s in sums.iter_mut().filter(|s| s.kind == kind) {
        let key = &s.field.key;
        s.all.0 += money(b, key);
        s.all.1 += money(a, key);
        s.passing.0 += passing(b, key);
        s.passing.1 += passing(a, key);
        if s.pass_word.is_none()
            && let Some(d) = [b, a].into_iter().find(|d| d.verdict == crate::verdict::Verdict::Pass)
        {
            s.pass_word = Some(Text::new(d.outcome_label.ja.clone(), d.outcome.clone()));
        }
    }
}

/// What changed between two decisions of one document, if anything did:
/// the outcome, a shown value, a rule's status, or a listed entity's.
pub fn compare(file: &str, kind: &str, before: &Decision, after: &Decision) -> Option<Change> {
    let change = Change {
        file: file.to_string(),
        kind: kind.to_string(),
        title: review::title(after).map(|t| t.shown),
        outcome: Pair {
            before: before.outcome.clone(),
            after: after.outcome.clone(),
        },
        outcome_label: Pair {
            before: before.outcome_label.clone(),
            after: after.outcome_label.clone(),
        },
        fields: fields(&before.fields, &after.fields),
        rules: rule_changes(&before.rules, &after.rules),
        entities: entities(before, after),
    };
    let same = change.outcome.before == change.outcome.after
        && change.fields.is_empty()
        && change.rules.is_empty()
        && change.entities.is_empty();
    (!same).then_some(change)
}

/// The shown values that differ, matched by key (one only one side shows
/// counts as null on the other).
fn fields(before: &[Field], after: &[Field]) -> Vec<FieldChange> {
    let null = Field {
        key: "".into(),
        label: Default::default(),
        value: Datum::Null,
        shown: Text::same("—"),
        withheld: true,
    };
    let mut keys: Vec<&str> = before.iter().map(|f| &*f.key).collect();
    keys.extend(
        after
            .iter()
            .map(|f| &*f.key)
            .filter(|k| !before.iter().any(|f| &*f.key == *k)),
    );
    keys.into_iter()
        .filter_map(|k| {
            let b = before.iter().find(|f| &*f.key == k).unwrap_or(&null);
            let a = after.iter().find(|f| &*f.key == k).unwrap_or(&null);
            (b.value != a.value).then(|| field_change(k, b, a))
        })
        .collect()
}

fn field_change(key: &str, b: &Field, a: &Field) -> FieldChange {
    let label = if a.label.is_empty() { &b.label } else { &a.label };
    let difference = match (b.value.as_money(), a.value.as_money()) {
        (Some(x), Some(y)) => Some(y - x),
        _ => None,
    };
    FieldChange {
        key: key.to_string(),
        label: (**label).clone(),
        value: Pair {
            before: b.value.clone(),
            after: a.value.clone(),
        },
        shown: Pair {
            before: b.shown.clone(),
            after: a.shown.clone(),
        },
        difference: difference.map(Datum::Money),
        difference_shown: difference.map(signed_yen),
    }
}

/// `+1,000円` / `−2,000,000円` (`+¥1,000` / `−¥2,000,000`).
fn signed_yen(n: rust_decimal::Decimal) -> Text {
    let sign = if n.is_sign_negative() { "−" } else { "+" };
    let yen = crate::explain::yen(n.abs());
    Text::new(format!("{sign}{}", yen.ja), format!("{sign}{}", yen.en))
}

/// The rules whose status differs, matched by id, in head's order and then
/// those only base has.
fn rule_changes(before: &[RuleEntry], after: &[RuleEntry]) -> Vec<RuleChange> {
    let find = |rules: &[RuleEntry], id: &str| rules.iter().position(|r| &*r.id == id);
    let mut out = Vec::new();
    for a in after {
        let b = find(before, &a.id).map(|i| &before[i]);
        if b.map(|b| b.status) != Some(a.status) && (b.is_some() || a.status != RuleStatus::NotApplicable) {
            out.push(RuleChange {
                id: a.id.to_string(),
                title: (*a.title).clone(),
                status: Pair {
                    before: b.map(|b| b.status),
                    after: Some(a.status),
                },
                reason: a.reason.clone(),
            });
        }
    }
    for b in before.iter().filter(|b| find(after, &b.id).is_none()) {
        if b.status != RuleStatus::NotApplicable {
            out.push(RuleChange {
                id: b.id.to_string(),
                title: (*b.title).clone(),
                status: Pair {
                    before: Some(b.status),
                    after: None,
                },
                reason: b.reason.clone(),
            });
        }
    }
    out
}

/// Every listed entity of a decision, at any depth, with its list's key.
fn listed(d: &Decision) -> Vec<(&str, &Entry)> {
    let mut out = Vec::new();
    for l in &d.lists {
        for e in &l.entries {
            walk(&l.key, e, &mut out);
        }
    }
    out
}

fn walk<'d>(key: &'d str, e: &'d Entry, out: &mut Vec<(&'d str, &'d Entry)>) {
    out.push((key, e));
    for l in &e.lists {
        for child in &l.entries {
            walk(&l.key, child, out);
        }
    }
}

/// The entities whose status, values or rules changed, matched by their
/// JSON path: base's order, then those only head lists.
fn entities(before: &Decision, after: &Decision) -> Vec<EntityChange> {
    fn find<'d>(list: &[(&'d str, &'d Entry)], path: &str) -> Option<(&'d str, &'d Entry)> {
        list.iter().find(|(_, e)| &*e.path == path).copied()
    }
    let (b, a) = (listed(before), listed(after));
    let mut out = Vec::new();
    for &(key, e) in &b {
        if let Some(c) = entity_change(key, Some(e), find(&a, &e.path).map(|x| x.1)) {
            out.push(c);
        }
    }
    for &(key, e) in a.iter().filter(|(_, e)| find(&b, &e.path).is_none()) {
        out.extend(entity_change(key, None, Some(e)));
    }
    out
}

fn entity_change(list: &str, b: Option<&Entry>, a: Option<&Entry>) -> Option<EntityChange> {
    let either = a.or(b)?;
    let no_rules: &[RuleEntry] = &[];
    let no_fields: &[Field] = &[];
    let c = EntityChange {
        list: list.to_string(),
        path: either.path.to_string(),
        title: either.title.to_string(),
        status: Pair {
            before: b.map(|e| e.status.to_string()),
            after: a.map(|e| e.status.to_string()),
        },
        fields: fields(b.map_or(no_fields, |e| &e.fields), a.map_or(no_fields, |e| &e.fields)),
        rules: rule_changes(b.map_or(no_rules, |e| &e.rules), a.map_or(no_rules, |e| &e.rules)),
    };
    let same = c.status.before == c.status.after && c.fields.is_empty() && c.rules.is_empty();
    (!same).then_some(c)
}

/// A rule's status in words, or that the rule set has no such rule.
fn status_word(s: Option<RuleStatus>, lang: Lang) -> &'static str {
    s.map_or_else(
        || tr(lang, "（ルールなし）", "(no such rule)"),
        |s| render::status_word(s, lang),
    )
}

fn origin(o: &Origin, lang: Lang) -> String {
    let what = match (o.source, lang) {
        (SourceKind::Directory, _) => tr(lang, "ディレクトリ", "directory").to_string(),
        (SourceKind::GitRevision, _) => {
            let commit = o.commit.as_deref().unwrap_or_default();
            format!(
                "{} {}",
                tr(lang, "git のリビジョン", "git revision"),
                &commit[..commit.len().min(12)]
            )
        }
    };
    match lang {
        Lang::Ja => format!("{}（{what}）", escaped(&o.spec)),
        Lang::En => format!("{} ({what})", escaped(&o.spec)),
    }
}

/// The report as text: the rule sets, the counts, then each changed
/// decision and each error.
pub fn render(i: &Impact, lang: Lang) -> String {
    let c = &i.counts;
    let mut out = match lang {
        Lang::Ja => format!(
            "基準（base）: {}\n比較（head）: {}\n計 {} 件：両方で判断 {} 件（変更あり {} 件、変更なし {} 件）、エラー {} 件\n",
            origin(&i.base, lang),
            origin(&i.head, lang),
            c.documents,
            c.decided,
            c.changed,
            c.unchanged,
            c.errors
        ),
        Lang::En => format!(
            "base: {}\nhead: {}\n{} document(s): {} decided under both ({} changed, {} unchanged), {} error(s)\n",
            origin(&i.base, lang),
            origin(&i.head, lang),
            c.documents,
            c.decided,
            c.changed,
            c.unchanged,
            c.errors
        ),
    };
    for a in &i.amounts {
        out.push_str(&amount_line(a, lang));
    }
    for ch in &i.changed {
        out.push('\n');
        change(&mut out, ch, lang);
    }
    for f in &i.errors {
        out.push('\n');
        failure(&mut out, f, lang);
    }
    out
}

fn change(out: &mut String, ch: &Change, lang: Lang) {
    let title = ch
        .title
        .as_ref()
        .map(|t| format!(" 「{}」", escaped(t.get(lang))))
        .unwrap_or_default();
    out.push_str(&format!("{} — {}{title}\n", escaped(&ch.file), ch.kind));
    let word = |w: &String, l: &Text| match lang {
        Lang::Ja => l.ja.clone(),
        Lang::En => w.clone(),
    };
    let (b, a) = (
        word(&ch.outcome.before, &ch.outcome_label.before),
        word(&ch.outcome.after, &ch.outcome_label.after),
    );
    let outcome = tr(lang, "結果", "outcome");
    if b == a {
        out.push_str(&format!(
            "  {outcome}: {a}{}\n",
            tr(lang, "（変わらず）", " (unchanged)")
        ));
    } else {
        out.push_str(&format!("  {outcome}: {b} → {a}\n"));
    }
    field_lines(out, &ch.fields, lang, "  ");
    rule_lines(out, &ch.rules, lang, "  ");
    for e in &ch.entities {
        let status = match (&e.status.before, &e.status.after) {
            (b, a) if b == a => String::new(),
            (b, a) => {
                let none = tr(lang, "（なし）", "(none)");
                format!(": {} → {}", b.as_deref().unwrap_or(none), a.as_deref().unwrap_or(none))
            }
        };
        out.push_str(&format!("  {} 「{}」{status}\n", e.path, escaped(&e.title)));
        field_lines(out, &e.fields, lang, "    ");
        rule_lines(out, &e.rules, lang, "    ");
    }
}

fn field_lines(out: &mut String, fields: &[FieldChange], lang: Lang, indent: &str) {
    for f in fields {
        let key = match lang {
            Lang::Ja => format!("（{}）", f.key),
            Lang::En => format!(" ({})", f.key),
        };
        out.push_str(&format!(
            "{indent}{}{key}: {}\n",
            escaped(f.label.get(lang)),
            change_text(&f.shown, f.difference_shown.as_ref(), lang)
        ));
    }
}

fn rule_lines(out: &mut String, rules: &[RuleChange], lang: Lang, indent: &str) {
    for r in rules {
        out.push_str(&format!(
            "{indent}{} {} {}: {} → {} — {}\n",
            tr(lang, "ルール", "rule"),
            r.id,
            escaped(r.title.get(lang)),
            status_word(r.status.before, lang),
            status_word(r.status.after, lang),
            escaped(r.reason.get(lang)),
        ));
    }
}

fn failure(out: &mut String, f: &Failure, lang: Lang) {
    out.push_str(&format!("{} — {}\n", escaped(&f.file), tr(lang, "エラー", "error")));
    for (side, e) in [("base", &f.base), ("head", &f.head)] {
        match e {
            Some(e) => {
                for line in e.lines(lang) {
                    out.push_str(&format!("  {side}: {}\n", escaped(&line)));
                }
            }
            None => out.push_str(&format!("  {side}: {}\n", tr(lang, "判断できました", "decided"))),
        }
    }
}
