//! Syntax errors: pest's errors wrapped in our own type, with grammar rule
//! names turned into phrases a rule maintainer understands.

use crate::source::{FileId, Span};
use crate::syntax::Rule;

/// A rule file that does not follow the grammar.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// What the parser would have accepted at that point, as phrases.
    pub expected: Vec<String>,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            span,
            message: message.into(),
            expected: Vec::new(),
        }
    }

    /// Converts a pest error found in `file`, whose text starts at byte
    /// `offset` of that file (non-zero for `{…}` holes inside strings).
    pub fn from_pest(err: pest::error::Error<Rule>, file: FileId, offset: usize, text: &str) -> Self {
        let (start, end) = match err.location {
            pest::error::InputLocation::Pos(p) => (p, p),
            pest::error::InputLocation::Span((s, e)) => (s, e),
        };
        let mut expected = match &err.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => positives
                .iter()
                .filter_map(|r| phrase(*r))
                .map(str::to_string)
                .collect(),
            pest::error::ErrorVariant::CustomError { message } => vec![message.clone()],
        };
        expected.sort();
        expected.dedup();
        let found = found_at(text, start);
        let message = if expected.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("expected {}, found {found}", join_or(&expected))
        };
        let end = if end > start { end } else { word_end(text, start) };
        SyntaxError {
            span: Span::new(file, offset + start, offset + end),
            message,
            expected,
        }
    }
}

/// The end of the word at `at` (at least one character), so the caret
/// underlines what was found.
fn word_end(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let word: usize = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .map(char::len_utf8)
        .sum();
    let first = rest.chars().next().map_or(0, char::len_utf8);
    at + word.max(first)
}

fn found_at(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("");
    let word: String = rest.chars().take_while(|c| !c.is_whitespace()).take(20).collect();
    if rest.is_empty() {
        "end of file".to_string()
    } else if word.is_empty() {
        "a line break or space".to_string()
    } else {
        format!("`{word}`")
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The phrase shown for a grammar rule in "expected …" messages; `None` hides
/// rules that are implementation details.
pub fn phrase(r: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match r {
        EOI => "end of file",
        file | item => {
            "a declaration (kind, entity, source, param, enum, table, for, let, output, show, group, entry or rule)"
        }
        kind_def => "`kind \"format/v1\" { … }`",
        kind_item => "`title`, `version`, `root`, `as_of`, `label`, `rules_label`, `determinations` or `outcome`",
        version_field => "`version \"…\"`",
        kind_root => "`root ENTITY`",
        kind_as_of => "`as_of EXPRESSION`",
        kind_rules_label => "`rules_label ja \"…\" en \"…\"`",
        kind_determinations => "`determinations FIELD`",
        rule_title => "`title ja \"…\" en \"…\"`",
        param_version | version_from | version_until => {
            "a version `FROM.. = VALUE` (or `FROM..UNTIL`, or `..` for any date)"
        }
        outcome_word => "`outcome pass \"word\" ja \"…\" en \"…\"`",
        because => "`because ja \"…\" en \"…\"`",
        verdict_name => "`pass`, `fail`, `review` or `unknown`",
        entity_def => "`entity NAME { … }`",
        like => "`like ENTITY`",
        entity_item | field_def => "a field `name: TYPE` (or `label`, `title FIELD`)",
        entity_title => "`title FIELD`",
        optional_mod | nonempty_mod | default_mod | unique_mod | one_of_mod | unit_mod | example_mod => {
            "`optional`, `nonempty`, `default VALUE`, `unique [FIELD]`, `one_of PATH`, `unit \"…\"` or `example VALUE`"
        }
        show_def => "`show NAME = EXPRESSION label ja \"…\" en \"…\"`",
        group_def => "`group NAME { label … show … }`",
        entry_def => "`entry NAME { … }`",
        entry_item => "`label`, `when CONDITION`, `set_aside` or `word …`",
        set_aside => "`set_aside`",
        entry_when => "`when CONDITION`",
        verdict_lit => "`pass`, `fail` or `review`",
        source => "`source NAME { … }`",
        title_field => "`title \"…\"`",
        in_force_field => "`in_force YYYY-MM-DD`",
        amended_field => "`amended YYYY-MM-DD, …`",
        text_file_field => "`text_file \"texts/NAME.txt\"`",
        article_field => "`article \"第1\" \"what it says\"`",
        uncited => "`uncited \"why no rule cites it\"`",
        label => "`label ja \"…\" en \"…\"`",
        cite => "`cite SOURCE \"article\"`",
        also => "`also SOURCE \"article\"`",
        text_field => "`text \"original clause\"`",
        remark => "`remark \"…\"`",
        lang_pair => "`ja \"…\" en \"…\"`",
        param => "`param NAME: TYPE { … }`",
        enum_def => "`enum NAME { … }`",
        open_flag => "`open`",
        enum_help => "`help ja \"…\" en \"…\"`",
        variant => "an enum value `code ja \"…\" en \"…\"`",
        aliases => "`alias \"…\"`",
        table => "`table NAME: KEY -> VALUE { … }`",
        table_entry => "a table entry `key => value`",
        table_else => "`else => value`",
        type_expr | list_type => "a type (bool, int, money, ratio, date, fiscal_year, string, list<…> or a name)",
        for_block => "`for NAME in PATH { … }`",
        path => "a path like `project.expenses`",
        let_def => "`let NAME = expression`",
        output_def => "`output NAME = expression`",
        explain => "`explain ja \"…\" en \"…\"`",
        rule => "`rule ID { … }`",
        rule_id => "a rule id like `applicant.council`",
        summary => "`summary ja \"…\" en \"…\"`",
        discretionary => "`discretionary`",
        effective => "`effective YYYY-MM-DD..`",
        applies => "`applies when CONDITION ja \"…\" en \"…\"`",
        clause => "a clause (`pass`, `fail`, `review`, `warn` or `note` … `when CONDITION` or `otherwise`)",
        outcome => "`pass`, `fail`, `review`, `warn` or `note`",
        guard => "`when CONDITION` or `otherwise`",
        unless_part => "`unless CONDITION`",
        except => "`except ja \"…\" en \"…\"`",
        expr | interpolation => "an expression",
        op_default | op_or | op_and | op_not_in | op_in | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_add
        | op_sub | op_mul | op_div => "an operator",
        op_not | op_neg => "`not` or `-`",
        field_access => "`.field`",
        index => "`[key]`",
        call => "a function call",
        paren => "`( … )`",
        name => "a name",
        comprehension => "`[… for x in list where …]`",
        list_lit => "a list `[…]`",
        if_expr => "`if … then … else …`",
        date_lit => "a date YYYY-MM-DD",
        fy_lit => "a fiscal year FY2020",
        money_lit => "an amount like `1000万円`",
        money_unit => "`円`, `千円`, `万円` or `yen`",
        percent_lit => "a percentage like `20%`",
        number => "a number",
        bool_lit => "`true` or `false`",
        string => "a string in double quotes",
        ident | ident_raw => "a name",
        kw_ja => "`ja \"…\"`",
        kw_en => "`en \"…\"`",
        kw_when => "`when`",
        kw_otherwise => "`otherwise`",
        kw_in => "`in`",
        kw_then => "`then`",
        kw_else => "`else`",
        kw_for => "`for`",
        kw_where => "`where`",
        _ => return None,
    })
}
