//! The national-scheme registry and the grant's regions, from the seeds
//! (`data/hokkaido/national_schemes.csv`, `region_members.csv`,
//! `region_aliases.csv`; provenance in `data/hokkaido/README.md`): who
//! cooperates in which 定住自立圏 or 連携中枢都市圏 since when, and when each
//! member joined each region of the grant.
//!
//! The registry knows some schemes, not all (Hokkaido has 14 定住自立圏; the
//! seeds name 4 schemes): a municipality it lists is in a scheme from that
//! date; one it does not list is *not known*, never "not in a scheme".

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::Date;

use super::parse::{DataError, read_table};
use super::{Hokkaido, MuniId, hokkaido};

const SCHEMES_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/hokkaido/national_schemes.csv"
));
const REGIONS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/region_members.csv"));
const ALIASES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/region_aliases.csv"));

const SCHEMES_HEADER: &[&str] = &[
    "scheme",
    "kind",
    "code",
    "municipality",
    "role",
    "since",
    "until",
    "source",
];
const REGIONS_HEADER: &[&str] = &["region", "code", "municipality", "since", "source"];
const ALIASES_HEADER: &[&str] = &["alias", "region"];

/// The two national schemes the half exclusion (実施要綱 第2 2) counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SchemeKind {
    SettlementZone,
    CentralUrbanArea,
}

#[derive(Debug)]
struct Membership {
    scheme: String,
    kind: SchemeKind,
    muni: MuniId,
    since: Date,
    until: Option<Date>,
}

#[derive(Debug)]
pub(crate) struct Registry {
    schemes: Vec<Membership>,
    /// region → municipality → the day it joined.
    regions: HashMap<String, HashMap<MuniId, Date>>,
    /// Other spellings of a region (the fixtures' names) → its name.
    aliases: HashMap<String, String>,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    Registry::from_csv(hokkaido(), SCHEMES_CSV, REGIONS_CSV, ALIASES_CSV)
        .expect("embedded registry CSVs are valid (checked by reference::registry::tests)")
});

/// The registry, parsed once from the CSVs embedded at compile time.
pub(crate) fn registry() -> &'static Registry {
    &REGISTRY
}

impl Registry {
    fn from_csv(h: &Hokkaido, schemes: &str, regions: &str, aliases: &str) -> Result<Self, DataError> {
        let muni = |row: &super::parse::Row, code: &str, name: &str| -> Result<MuniId, DataError> {
            match h.resolve(code) {
                Ok(m) if h.name(m) == name => Ok(m),
                _ => Err(row.error(format!("{code} is not {name} in municipalities.csv"))),
            }
        };
        let date = |row: &super::parse::Row, s: &str| -> Result<Date, DataError> {
            s.parse()
                .map_err(|_| row.error(format!("{s:?} is not a date YYYY-MM-DD")))
        };
        let mut out = Registry {
            schemes: Vec::new(),
            regions: HashMap::new(),
            aliases: HashMap::new(),
        };
        for row in read_table("national_schemes.csv", schemes, SCHEMES_HEADER)? {
            let f = &row.fields;
            let kind = match f[1] {
                "settlement_zone" => SchemeKind::SettlementZone,
                "central_urban_area" => SchemeKind::CentralUrbanArea,
                other => return Err(row.error(format!("unknown kind {other:?}"))),
            };
            out.schemes.push(Membership {
                scheme: f[0].to_string(),
                kind,
                muni: muni(&row, f[2], f[3])?,
                since: date(&row, f[5])?,
                until: if f[6].is_empty() { None } else { Some(date(&row, f[6])?) },
            });
        }
        for row in read_table("region_members.csv", regions, REGIONS_HEADER)? {
            let f = &row.fields;
            let m = muni(&row, f[1], f[2])?;
            let since = date(&row, f[3])?;
            if out
                .regions
                .entry(f[0].to_string())
                .or_default()
                .insert(m, since)
                .is_some()
            {
                return Err(row.error(format!("{} is listed twice in {}", f[2], f[0])));
            }
        }
        for row in read_table("region_aliases.csv", aliases, ALIASES_HEADER)? {
            out.aliases.insert(row.fields[0].to_string(), row.fields[1].to_string());
        }
        Ok(out)
    }

    /// The schemes of `kind` the registry has `muni` in on `date`, each as
    /// `宗谷定住自立圏（2011-01-20から）`.
    pub(crate) fn schemes_on(&self, muni: MuniId, kind: SchemeKind, date: Date) -> Vec<String> {
        self.schemes
            .iter()
            .filter(|s| s.muni == muni && s.kind == kind && s.since <= date && s.until.is_none_or(|u| date <= u))
            .map(|s| format!("{}（{}から）", s.scheme, s.since))
            .collect()
    }

    /// The day `muni` joined the grant's region called `region` (or one of
    /// its other spellings) after the region was formed; `None` for a
    /// founding member, or when the registry does not know.
    pub(crate) fn joined(&self, region: &str, muni: MuniId) -> Option<Date> {
        let key = region.trim();
        let name = self.aliases.get(key).map_or(key, String::as_str);
        let members = self.regions.get(name)?;
        let founded = members.values().min()?;
        members.get(&muni).copied().filter(|d| d > founded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_registry_loads() {
        let r = registry();
        let h = hokkaido();
        let id = |n: &str| h.resolve(n).unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(
            r.schemes_on(id("稚内市"), SchemeKind::SettlementZone, d("2024-03-31")),
            ["宗谷定住自立圏（2011-01-20から）"]
        );
        assert!(
            r.schemes_on(id("稚内市"), SchemeKind::SettlementZone, d("2011-01-19"))
                .is_empty()
        );
        assert!(
            r.schemes_on(id("稚内市"), SchemeKind::CentralUrbanArea, d("2024-03-31"))
                .is_empty()
        );
        assert_eq!(
            r.schemes_on(id("江別市"), SchemeKind::CentralUrbanArea, d("2024-03-31")),
            ["さっぽろ連携中枢都市圏（2019-03-29から）"]
        );
        // 南空知定住自立圏 is formed in 令和7年4月: not yet on the last day of 令和6年度.
        assert!(
            r.schemes_on(id("夕張市"), SchemeKind::SettlementZone, d("2025-03-31"))
                .is_empty()
        );
        assert_eq!(
            r.schemes_on(id("夕張市"), SchemeKind::SettlementZone, d("2026-03-31"))
                .len(),
            1
        );
        assert_eq!(r.joined("後志17町村連携地域", id("蘭越町")), Some(d("2022-03-18")));
        assert_eq!(
            r.joined("後志17町村連携地域（令和4年度時点 16町村）", id("蘭越町")),
            Some(d("2022-03-18"))
        );
        assert_eq!(r.joined("後志17町村連携地域", id("余市町")), None, "a founding member");
        assert_eq!(r.joined("どこかの地域", id("余市町")), None);
    }

    #[test]
    fn bad_rows_are_refused() {
        let h = hokkaido();
        let e = Registry::from_csv(
            h,
            "scheme,kind,code,municipality,role,since,until,source\nX,settlement_zone,012092,岩見沢市,member,2020-01-01,,s\n",
            "region,code,municipality,since,source\n",
            "alias,region\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "national_schemes.csv:2: 012092 is not 岩見沢市 in municipalities.csv"
        );
        let e = Registry::from_csv(
            h,
            "scheme,kind,code,municipality,role,since,until,source\nX,zone,012092,夕張市,member,2020-01-01,,s\n",
            "region,code,municipality,since,source\n",
            "alias,region\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "national_schemes.csv:2: unknown kind \"zone\"");
    }
}
