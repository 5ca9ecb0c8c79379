//! `JpDate`: a calendar date written the ISO way or the Japanese way (和暦).
//!
//! Agreement and vision dates are copied from official documents, which use 和暦
//! (`令和2年10月9日`, `R2.10.9`). Each era is checked against its real span, because
//! `平成31年5月1日` is a typo that must not silently become 2019-05-01.

use std::borrow::Cow;
use std::fmt;

use jiff::civil::{Date, date};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::Bilingual;
use crate::text::{compact, kagi, quoted};

/// A Japanese era (元号) the grant's documents can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Era {
    /// 平成 (H): 1989-01-08 to 2019-04-30.
    Heisei,
    /// 令和 (R): from 2019-05-01.
    Reiwa,
}

impl Era {
    /// The era's name: `令和`.
    pub(crate) fn name_ja(self) -> &'static str {
        match self {
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The first day of the era.
    pub(crate) fn first_day(self) -> Date {
        match self {
            Era::Heisei => date(1989, 1, 8),
            Era::Reiwa => date(2019, 5, 1),
        }
    }

    /// The last day of the era, if it has ended.
    pub(crate) fn last_day(self) -> Option<Date> {
        match self {
            Era::Heisei => Some(date(2019, 4, 30)),
            Era::Reiwa => None,
        }
    }

    /// Western year of era year `n` (令和N年 = 2018+N, 平成N年 = 1988+N).
    pub(crate) fn western_year(self, n: i32) -> i32 {
        n.saturating_add(self.offset())
    }

    /// Era year of a western year (may be out of the era's span).
    pub(crate) fn era_year(self, western: i32) -> i32 {
        western.saturating_sub(self.offset())
    }

    fn offset(self) -> i32 {
        match self {
            Era::Heisei => 1988,
            Era::Reiwa => 2018,
        }
    }

    /// The era a date falls in; `None` before 平成.
    pub(crate) fn of_date(d: Date) -> Option<Era> {
        [Era::Reiwa, Era::Heisei].into_iter().find(|era| d >= era.first_day())
    }

    /// Splits a leading era name or letter: `"R2.10.9"` → (令和, `"2.10.9"`).
    pub(crate) fn strip_prefix(text: &str) -> (Option<Era>, &str) {
        const PREFIXES: &[(&str, Era)] = &[
            ("令和", Era::Reiwa),
            ("平成", Era::Heisei),
            ("R", Era::Reiwa),
            ("r", Era::Reiwa),
            ("H", Era::Heisei),
            ("h", Era::Heisei),
        ];
        PREFIXES
            .iter()
            .find_map(|(p, era)| text.strip_prefix(p).map(|rest| (Some(*era), rest)))
            .unwrap_or((None, text))
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_ja())
    }
}

/// `1` → `元` (the first year of an era is written 元年), otherwise the number.
pub(crate) fn era_year_ja(n: i32) -> String {
    if n == 1 { "元".into() } else { n.to_string() }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DateError {
    /// Not in any accepted form.
    #[error(
        "not a date: {} (write e.g. \"2020-10-09\", \"2020/10/9\", \"2020年10月9日\", \
         \"令和2年10月9日\", \"R2.10.9\")",
        quoted(.input)
    )]
    NotADate { input: String },
    /// Well-formed but not on the calendar (`2021-02-29`).
    #[error("no such date: {}: check the month and the day", quoted(.input))]
    NoSuchDate { input: String },
    /// A year outside [`FIRST_YEAR`]..=[`LAST_YEAR`] (`0000-01-01`).
    #[error(
        "the year {year} of {} is out of range: write a date from {FIRST_YEAR} to {LAST_YEAR}",
        quoted(.input)
    )]
    YearOutOfRange { input: String, year: i32 },
    /// An era year 0 (`令和0年`): an era's first year is 元年.
    #[error("{era}0年 does not exist: an era's first year is {era}元年 (1)")]
    EraYearZero { era: Era },
    /// An era date after the era ended (`平成31年5月1日`).
    #[error("{shown} does not exist: {era} ended on {}; write the date in 令和", era_end(*.era))]
    EraEnded { shown: String, era: Era },
    /// An era date before the era began (`令和1年4月1日`).
    #[error("{shown} is before {era} began ({}); {}", .era.first_day(), before_hint_en(*.era))]
    BeforeEra { shown: String, era: Era },
}

/// The first and last years a document's date may be in: from 明治元年 (the
/// first year of the modern era names) to the last fiscal year read.
pub(crate) const FIRST_YEAR: i32 = 1868;
pub(crate) const LAST_YEAR: i32 = 2200;

/// How to write a date that falls before an era began.
fn before_hint_en(era: Era) -> &'static str {
    match era {
        Era::Reiwa => "write it in 平成",
        Era::Heisei => "write it as a western date, e.g. 1989-01-07",
    }
}

fn before_hint_ja(era: Era) -> &'static str {
    match era {
        Era::Reiwa => "平成で書いてください",
        Era::Heisei => "西暦（1989-01-07 など）で書いてください",
    }
}

/// The era's last day as ISO text (empty for the current era, which has not ended).
fn era_end(era: Era) -> String {
    era.last_day().map(|d| d.to_string()).unwrap_or_default()
}

/// `2019-04-30` → `2019年4月30日`.
fn western_ja(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

impl Bilingual for DateError {
    fn ja(&self) -> String {
        match self {
            Self::NotADate { input } => format!(
                "日付として読めません（{}）。「2020-10-09」「2020/10/9」「令和2年10月9日」「R2.10.9」\
                 のように書いてください",
                kagi(input)
            ),
            Self::NoSuchDate { input } => {
                format!("存在しない日付です（{}）。月と日を確かめてください", kagi(input))
            }
            Self::YearOutOfRange { input, year } => format!(
                "{}の年（{year}年）は範囲外です。{FIRST_YEAR}年から{LAST_YEAR}年までの日付を書いてください",
                kagi(input)
            ),
            Self::EraYearZero { era } => {
                format!("{era}0年はありません。元号の最初の年は{era}元年（1年）です")
            }
            Self::EraEnded { shown, era } => {
                let last = era.last_day().map(western_ja).unwrap_or_default();
                format!("{shown}は存在しません（{era}は{last}で終わりました）。令和で書いてください")
            }
            Self::BeforeEra { shown, era } => format!(
                "{shown}は{era}が始まった日（{}）より前です。{}",
                western_ja(era.first_day()),
                before_hint_ja(*era)
            ),
        }
    }
}

/// A calendar date. Serialised as ISO `2020-10-09`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct JpDate(pub Date);

/// A date split into its written parts, before calendar checks.
struct Parts {
    era: Option<Era>,
    year: i32,
    month: i8,
    day: i8,
}

impl Parts {
    /// Splits `[era]year(年month月day[日] | SEPmonthSEPday)` with SEP one of `-` `/` `.`.
    fn split(text: &str) -> Option<Parts> {
        let (era, rest) = Era::strip_prefix(text);
        let (year, rest) = take_year(rest, era.is_some())?;
        let (month, day) = month_day(rest)?;
        Some(Parts { era, year, month, day })
    }

    /// Builds the date and checks it against the calendar and the era's span.
    fn to_date(&self, input: &str) -> Result<JpDate, DateError> {
        if let Some(era) = self.era
            && self.year == 0
        {
            return Err(DateError::EraYearZero { era });
        }
        let western = self.era.map_or(self.year, |era| era.western_year(self.year));
        if !(FIRST_YEAR..=LAST_YEAR).contains(&western) {
            return Err(DateError::YearOutOfRange {
                input: input.to_string(),
                year: western,
            });
        }
        let no_such = || DateError::NoSuchDate {
            input: input.to_string(),
        };
        let year = i16::try_from(western).map_err(|_| no_such())?;
        let d = Date::new(year, self.month, self.day).map_err(|_| no_such())?;
        if let Some(era) = self.era {
            self.check_era(era, d)?;
        }
        Ok(JpDate(d))
    }

    fn check_era(&self, era: Era, d: Date) -> Result<(), DateError> {
        let shown = format!("{}{}年{}月{}日", era.name_ja(), self.year, self.month, self.day);
        if d < era.first_day() {
            return Err(DateError::BeforeEra { shown, era });
        }
        if era.last_day().is_some_and(|last| d > last) {
            return Err(DateError::EraEnded { shown, era });
        }
        Ok(())
    }
}

/// Leading digits of `text` (at most `max`), parsed, and the rest.
fn take_digits(text: &str, max: usize) -> Option<(i32, &str)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > max {
        return None;
    }
    let (digits, rest) = text.split_at(len);
    digits.parse().ok().map(|n| (n, rest))
}

/// The year: 4 western digits, or 1–3 era digits or `元` after an era.
fn take_year(text: &str, era: bool) -> Option<(i32, &str)> {
    if !era {
        return take_digits(text, 4).filter(|(_, rest)| text.len() - rest.len() == 4);
    }
    match text.strip_prefix('元') {
        Some(rest) => Some((1, rest)),
        None => take_digits(text, 3),
    }
}

/// `年10月9日`, `-10-09`, `/10/9`, `.10.9` → (10, 9).
fn month_day(text: &str) -> Option<(i8, i8)> {
    let (month, day, rest) = if let Some(rest) = text.strip_prefix('年') {
        let (m, rest) = take_digits(rest, 2)?;
        let (d, rest) = take_digits(rest.strip_prefix('月')?, 2)?;
        (m, d, rest.strip_prefix('日').unwrap_or(rest))
    } else {
        let sep = text.chars().next().filter(|c| matches!(c, '-' | '/' | '.'))?;
        let (m, rest) = take_digits(&text[1..], 2)?;
        let (d, rest) = take_digits(rest.strip_prefix(sep)?, 2)?;
        (m, d, rest)
    };
    let small = |n: i32| i8::try_from(n).ok();
    rest.is_empty().then_some(())?;
    Some((small(month)?, small(day)?))
}

impl JpDate {
    /// Reads `2020-10-09`, `2020/10/9`, `2020年10月9日`, `令和2年10月9日`, `令和元年5月1日`,
    /// `R2.10.9`, `R2/10/9`, `H31.3.29`, `平成31年3月29日`; full-width text is NFKC-normalised.
    pub(crate) fn parse(input: &str) -> Result<JpDate, DateError> {
        let text = compact(input);
        let parts = Parts::split(&text).ok_or_else(|| DateError::NotADate { input: input.into() })?;
        parts.to_date(input)
    }

    /// 和暦: `令和2年10月9日`, `令和元年5月1日`; dates before 平成 in western form.
    pub(crate) fn to_wareki_ja(self) -> String {
        let d = self.0;
        match Era::of_date(d) {
            Some(era) => {
                let year = era_year_ja(era.era_year(i32::from(d.year())));
                format!("{}{year}年{}月{}日", era.name_ja(), d.month(), d.day())
            }
            None => western_ja(d),
        }
    }
}

impl std::str::FromStr for JpDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<JpDate, DateError> {
        JpDate::parse(s)
    }
}

impl fmt::Display for JpDate {
    /// ISO, the same as the JSON form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl JsonSchema for JpDate {
    fn schema_name() -> Cow<'static, str> {
        "JpDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "日付。\"2020-10-09\"、\"2020/10/9\"、\"2020年10月9日\"、和暦 \"令和2年10月9日\"、\
                \"令和元年5月1日\"、\"R2.10.9\"、\"R2/10/9\"、\"H31.3.29\"、\"平成31年3月29日\"（全角可）。 / \
                Date: ISO \"2020-10-09\", \"2020/10/9\", \"2020年10月9日\", or Japanese era \
                (令和 R from 2019-05-01, 平成 H 1989-01-08 to 2019-04-30) such as \"令和2年10月9日\", \
                \"R2.10.9\", \"H31.3.29\"; full-width digits allowed.",
            "examples": ["2020-10-09", "令和2年10月9日", "R2.10.9"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        JpDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).0.to_string()
    }

    fn err(s: &str) -> String {
        JpDate::parse(s).expect_err(s).to_string()
    }

    #[test]
    fn accepts_forms() {
        for s in [
            "2020-10-09",
            "2020/10/9",
            "2020年10月9日",
            "令和2年10月9日",
            "R2.10.9",
            "R2/10/9",
            "r2.10.9",
            "２０２０－１０－０９",
            "令和２年１０月９日",
            " 令和 2年 10月 9日 ",
            "2020.10.9",
        ] {
            assert_eq!(iso(s), "2020-10-09", "{s}");
        }
        assert_eq!(iso("令和元年5月1日"), "2019-05-01");
        assert_eq!(iso("H31.3.29"), "2019-03-29");
        assert_eq!(iso("平成31年3月29日"), "2019-03-29");
        assert_eq!(iso("平成元年1月8日"), "1989-01-08");
        assert_eq!(iso("2020年10月9"), "2020-10-09");
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(iso("平成31年4月30日"), "2019-04-30");
        assert_eq!(iso("令和元年5月1日"), "2019-05-01");
        assert_eq!(
            err("平成31年5月1日"),
            "平成31年5月1日 does not exist: 平成 ended on 2019-04-30; write the date in 令和"
        );
        assert_eq!(
            err("H31.5.1"),
            "平成31年5月1日 does not exist: 平成 ended on 2019-04-30; write the date in 令和"
        );
        assert_eq!(
            err("令和1年4月1日"),
            "令和1年4月1日 is before 令和 began (2019-05-01); write it in 平成"
        );
        assert_eq!(
            err("平成1年1月7日"),
            "平成1年1月7日 is before 平成 began (1989-01-08); write it as a western date, e.g. 1989-01-07"
        );
        let e = JpDate::parse("平成31年5月1日").expect_err("ended");
        assert_eq!(
            e.ja(),
            "平成31年5月1日は存在しません（平成は2019年4月30日で終わりました）。令和で書いてください"
        );
        let e = JpDate::parse("令和1年4月1日").expect_err("before");
        assert_eq!(
            e.ja(),
            "令和1年4月1日は令和が始まった日（2019年5月1日）より前です。平成で書いてください"
        );
    }

    #[test]
    fn rejects_bad_dates() {
        assert_eq!(
            err("2021-02-29"),
            "no such date: \"2021-02-29\": check the month and the day"
        );
        assert_eq!(
            err("令和3年2月29日"),
            "no such date: \"令和3年2月29日\": check the month and the day"
        );
        assert!(matches!(JpDate::parse("2021-13-01"), Err(DateError::NoSuchDate { .. })));
        for bad in [
            "",
            "abc",
            "20-10-09",
            "2020-10",
            "2020-10/09",
            "2020-10-09T00:00",
            "元年5月1日",
            "令和2年10月9日です",
            "2020-100-1",
            "S60.1.1",
            "R2.10.9.1",
            "2020年10-9",
        ] {
            assert!(matches!(JpDate::parse(bad), Err(DateError::NotADate { .. })), "{bad}");
        }
        assert!(err("abc").starts_with("not a date: \"abc\" (write e.g."));
    }

    #[test]
    fn year_zero_and_years_beyond_the_range_are_refused() {
        assert_eq!(
            err("0000-01-01"),
            "the year 0 of \"0000-01-01\" is out of range: write a date from 1868 to 2200"
        );
        let e = JpDate::parse("0000-01-01").expect_err("year 0");
        assert_eq!(
            e.ja(),
            "「0000-01-01」の年（0年）は範囲外です。1868年から2200年までの日付を書いてください"
        );
        assert_eq!(
            err("9999-12-31"),
            "the year 9999 of \"9999-12-31\" is out of range: write a date from 1868 to 2200"
        );
        assert_eq!(
            err("令和0年10月9日"),
            "令和0年 does not exist: an era's first year is 令和元年 (1)"
        );
        assert_eq!(
            err("R0.5.1"),
            "令和0年 does not exist: an era's first year is 令和元年 (1)"
        );
        let e = JpDate::parse("平成0年1月8日").expect_err("year 0");
        assert_eq!(e.ja(), "平成0年はありません。元号の最初の年は平成元年（1年）です");
        assert_eq!(iso("1868-01-01"), "1868-01-01");
        assert_eq!(iso("2200-12-31"), "2200-12-31");
    }

    #[test]
    fn writes_wareki_and_iso() {
        let d = |s: &str| JpDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(d("2020-10-09").to_wareki_ja(), "令和2年10月9日");
        assert_eq!(d("2019-05-01").to_wareki_ja(), "令和元年5月1日");
        assert_eq!(d("2019-04-30").to_wareki_ja(), "平成31年4月30日");
        assert_eq!(d("1989-01-08").to_wareki_ja(), "平成元年1月8日");
        assert_eq!(d("1989-01-07").to_wareki_ja(), "1989年1月7日");
    }
}
