//! Tests of the embedded Hokkaido data against the counts and facts in
//! `data/hokkaido/README.md` and against every row of `regions.csv`.

use std::collections::{BTreeSet, HashSet};

use crate::reference::parse::{ADJACENCY_HEADER, DataError, MUNICIPALITIES_HEADER};
use crate::reference::resolve::UnknownMunicipality;
use crate::reference::{
    ADJACENCY_CSV, CREDIT_JA, DATA_VINTAGE, Hokkaido, MUNICIPALITIES_CSV, MuniId, POINT_CONTACTS_CSV, hokkaido,
};

/// The test regions with their expected components (tests only, so not embedded in the lib).
const REGIONS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/regions.csv"));

/// Resolves a name that must exist.
fn id(name: &str) -> MuniId {
    hokkaido().resolve(name).unwrap_or_else(|e| panic!("{e}"))
}

/// Ids of the given names, in order.
fn ids(names: &[&str]) -> Vec<MuniId> {
    names.iter().map(|n| id(n)).collect()
}

/// Names of the given ids, in order.
fn names(list: &[MuniId]) -> Vec<&'static str> {
    list.iter().map(|&m| hokkaido().name(m)).collect()
}

/// Parses the embedded files with the given replacements, for the negative tests.
fn parse_with(muni: &str, adj: &str, contacts: &str) -> Result<Hokkaido, DataError> {
    Hokkaido::from_csv(muni, adj, contacts)
}

#[test]
fn embedded_data_parses() {
    let parsed = parse_with(MUNICIPALITIES_CSV, ADJACENCY_CSV, POINT_CONTACTS_CSV);
    assert!(
        parsed.is_ok(),
        "{}",
        parsed.err().map(|e| e.to_string()).unwrap_or_default()
    );
    assert_eq!(hokkaido().len(), 179);
    assert_eq!(hokkaido().iter().count(), 179);
}

#[test]
fn embedded_headers_are_the_expected_ones() {
    let first = |text: &str| text.lines().next().unwrap_or_default().to_owned();
    assert_eq!(first(MUNICIPALITIES_CSV), MUNICIPALITIES_HEADER.join(","));
    assert_eq!(first(ADJACENCY_CSV), ADJACENCY_HEADER.join(","));
    assert_eq!(
        first(REGIONS_CSV),
        "region_name,n_members,members,member_codes,connected,n_components,components,\
         members_without_neighbour_in_region"
    );
}

#[test]
fn wrong_header_is_rejected() {
    let swapped = MUNICIPALITIES_CSV.replacen("code,code5", "code5,code", 1);
    let err = parse_with(&swapped, ADJACENCY_CSV, POINT_CONTACTS_CSV).err();
    assert!(matches!(
        err,
        Some(DataError::Header {
            file: "municipalities.csv",
            ..
        })
    ));
    let err = parse_with(MUNICIPALITIES_CSV, "a,b\r\n", POINT_CONTACTS_CSV).err();
    assert!(matches!(
        err,
        Some(DataError::Header {
            file: "adjacency.csv",
            ..
        })
    ));
}

#[test]
fn bad_rows_are_rejected() {
    let bad_check_digit = MUNICIPALITIES_CSV.replacen("012106,01210", "012107,01210", 1);
    let err = parse_with(&bad_check_digit, ADJACENCY_CSV, POINT_CONTACTS_CSV).err();
    assert!(matches!(err, Some(DataError::Row { line: 11, .. })), "{err:?}");
    let contact_also_adjacent = format!("{POINT_CONTACTS_CSV}011002,札幌市,012033,小樽市,x\r\n");
    let err = parse_with(MUNICIPALITIES_CSV, ADJACENCY_CSV, &contact_also_adjacent).err();
    assert!(matches!(err, Some(DataError::ContactIsAdjacent { .. })), "{err:?}");
    let wrong_name = ADJACENCY_CSV.replacen("011002,札幌市,012033,小樽市", "011002,札幌市,012033,函館市", 1);
    let err = parse_with(MUNICIPALITIES_CSV, &wrong_name, POINT_CONTACTS_CSV).err();
    assert!(matches!(err, Some(DataError::Row { line: 2, .. })), "{err:?}");
}

#[test]
fn counts_by_kind() {
    let h = hokkaido();
    let count = |k: &str| h.iter().filter(|&m| h.kind(m) == k).count();
    assert_eq!((count("市"), count("町"), count("村")), (35, 129, 15));
}

#[test]
fn names_and_codes_are_unique_and_resolve_to_themselves() {
    let h = hokkaido();
    let names: HashSet<&str> = h.iter().map(|m| h.name(m)).collect();
    let codes: HashSet<&str> = h.iter().map(|m| h.code(m)).collect();
    assert_eq!((names.len(), codes.len()), (179, 179));
    for m in h.iter() {
        assert_eq!(h.resolve(h.name(m)), Ok(m));
        assert_eq!(h.resolve(h.code(m)), Ok(m));
        assert_eq!(h.resolve(&h.code(m)[..5]), Ok(m));
    }
}

#[test]
fn accessors_return_the_csv_fields() {
    let h = hokkaido();
    let m = id("岩見沢市");
    assert_eq!(h.code(m), "012106");
    assert_eq!(h.subprefecture(m), "空知総合振興局");
    assert_eq!(h.kind(m), "市");
    assert_eq!(h.name(MuniId(0)), "札幌市");
}

#[test]
fn adjacency_counts() {
    let h = hokkaido();
    let degree_sum: usize = h.iter().map(|m| h.neighbours(m).len()).sum();
    assert_eq!(degree_sum, 2 * 445);
    for a in h.iter() {
        assert!(h.neighbours(a).windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        for &b in h.neighbours(a) {
            assert!(h.adjacent(a, b) && h.adjacent(b, a) && a != b);
        }
    }
}

#[test]
fn point_contacts_are_not_adjacent() {
    let h = hokkaido();
    assert_eq!(h.point_contacts().len(), 7);
    for &(a, b) in h.point_contacts() {
        assert!(!h.adjacent(a, b), "{} – {}", h.name(a), h.name(b));
    }
    assert!(h.point_contacts().contains(&(id("釧路市"), id("標茶町"))));
}

#[test]
fn iwamizawa_neighbours() {
    let h = hokkaido();
    let got: BTreeSet<MuniId> = h.neighbours(id("岩見沢市")).iter().copied().collect();
    let expected = [
        "美唄市",
        "三笠市",
        "夕張市",
        "江別市",
        "新篠津村",
        "南幌町",
        "長沼町",
        "栗山町",
        "月形町",
    ];
    assert_eq!(got, ids(&expected).into_iter().collect());
    assert!(!h.adjacent(id("岩見沢市"), id("由仁町")));
    assert!(!h.adjacent(id("由仁町"), id("岩見沢市")));
}

#[test]
fn islands_are_exactly_the_four() {
    let h = hokkaido();
    let islands: BTreeSet<MuniId> = h.iter().filter(|&m| h.on_island(m)).collect();
    let expected = ids(&["奥尻町", "礼文町", "利尻町", "利尻富士町"]);
    assert_eq!(islands, expected.into_iter().collect());
}

/// One parsed row of `regions.csv`.
struct RegionRow<'a> {
    name: &'a str,
    members: Vec<&'a str>,
    codes: Vec<&'a str>,
    connected: bool,
    n_components: usize,
    components: Vec<BTreeSet<&'a str>>,
    lonely: BTreeSet<&'a str>,
}

/// Splits a `regions.csv` line (no quoting, members joined by `・`, components by ` | `).
fn region_row(line: &str) -> RegionRow<'_> {
    let f: Vec<&str> = line.split(',').collect();
    assert_eq!(f.len(), 8, "{line}");
    RegionRow {
        name: f[0],
        members: f[2].split('・').collect(),
        codes: f[3].split(' ').collect(),
        connected: f[4] == "yes",
        n_components: f[5].parse().unwrap_or(0),
        components: f[6].split(" | ").map(|c| c.split('・').collect()).collect(),
        lonely: f[7].split('・').filter(|n| !n.is_empty()).collect(),
    }
}

/// Checks one region: members by code match the names, and `components` agrees with the CSV.
fn check_region(row: &RegionRow<'_>) {
    let h = hokkaido();
    let members: Vec<MuniId> = row
        .codes
        .iter()
        .map(|c| h.resolve(c).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(names(&members), row.members, "{}", row.name);
    let comps = h.components(&members);
    assert_eq!(comps.len() == 1, row.connected, "{}", row.name);
    assert_eq!(comps.len(), row.n_components, "{}", row.name);
    let got: BTreeSet<BTreeSet<&str>> = comps.iter().map(|c| names(c).into_iter().collect()).collect();
    let want: BTreeSet<BTreeSet<&str>> = row.components.iter().cloned().collect();
    assert_eq!(got, want, "{}", row.name);
    let lonely: BTreeSet<&str> = members
        .iter()
        .filter(|&&m| !members.iter().any(|&o| h.adjacent(m, o)))
        .map(|&m| h.name(m))
        .collect();
    assert_eq!(lonely, row.lonely, "{}", row.name);
}

#[test]
fn regions_csv_components_match() {
    let rows: Vec<RegionRow<'_>> = REGIONS_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(region_row)
        .collect();
    assert_eq!(rows.len(), 11);
    for row in &rows {
        check_region(row);
    }
}

#[test]
fn soya_components_follow_the_order_rule() {
    let members = ids(&[
        "稚内市",
        "猿払村",
        "浜頓別町",
        "中頓別町",
        "枝幸町",
        "豊富町",
        "礼文町",
        "利尻町",
        "利尻富士町",
        "幌延町",
    ]);
    let comps = hokkaido().components(&members);
    let got: Vec<Vec<&str>> = comps.iter().map(|c| names(c)).collect();
    let mainland = vec!["稚内市", "猿払村", "浜頓別町", "中頓別町", "枝幸町", "豊富町", "幌延町"];
    assert_eq!(got, vec![mainland, vec!["利尻町", "利尻富士町"], vec!["礼文町"]]);
}

#[test]
fn components_ties_duplicates_and_empty() {
    let h = hokkaido();
    let singles = ids(&["礼文町", "奥尻町", "札幌市"]);
    let one_each: Vec<Vec<MuniId>> = singles.iter().map(|&m| vec![m]).collect();
    assert_eq!(h.components(&singles), one_each);
    let with_pair = ids(&["奥尻町", "利尻富士町", "礼文町", "利尻町", "利尻富士町"]);
    let got: Vec<Vec<&str>> = h.components(&with_pair).iter().map(|c| names(c)).collect();
    assert_eq!(got, vec![vec!["利尻富士町", "利尻町"], vec!["奥尻町"], vec!["礼文町"]]);
    assert!(h.components(&[]).is_empty());
}

#[test]
fn resolve_normalises_width_and_whitespace() {
    let h = hokkaido();
    assert_eq!(h.resolve("ﾆｾｺ町"), Ok(id("ニセコ町")));
    assert_eq!(h.resolve("\u{3000}岩見沢市 "), Ok(id("岩見沢市")));
    assert_eq!(h.resolve("北海道岩見沢市"), Ok(id("岩見沢市")));
    assert_eq!(h.resolve("０１２１０６"), Ok(id("岩見沢市")));
}

#[test]
fn resolve_accepts_both_code_forms() {
    let h = hokkaido();
    assert_eq!(h.resolve("012106"), Ok(id("岩見沢市")));
    assert_eq!(h.resolve("01210"), Ok(id("岩見沢市")));
    assert_eq!(h.resolve("011002"), Ok(id("札幌市")));
    assert_eq!(h.resolve("014036"), Ok(id("泊村")));
}

#[test]
fn unknown_name_suggests_other_kind_suffix() {
    let err = hokkaido().resolve("新冠村").err();
    let expected = UnknownMunicipality {
        input: "新冠村".into(),
        suggestions: ids(&["新冠町"]),
    };
    assert_eq!(err.as_ref(), Some(&expected));
    assert_eq!(
        expected.message_ja(),
        "「新冠村」は北海道の市町村にありません（もしかして: 新冠町）"
    );
    assert_eq!(
        expected.to_string(),
        "\"新冠村\" is not a Hokkaido municipality (did you mean: 新冠町?)"
    );
}

#[test]
fn unknown_inputs_get_containment_and_code_suggestions() {
    let h = hokkaido();
    let suggest = |input: &str| h.resolve(input).err().map(|e| names(&e.suggestions));
    assert_eq!(suggest("札幌"), Some(vec!["札幌市"]));
    assert_eq!(suggest("札幌市中央区"), Some(vec!["札幌市"]));
    assert_eq!(suggest("012107"), Some(vec!["岩見沢市"]));
    assert_eq!(suggest("東京都"), Some(vec![]));
    assert_eq!(suggest(""), Some(vec![]));
    assert!(suggest("川町").is_some_and(|s| s.len() == 3));
    let plain = UnknownMunicipality {
        input: "東京都".into(),
        suggestions: vec![],
    };
    assert_eq!(plain.message_ja(), "「東京都」は北海道の市町村にありません");
}

#[test]
fn old_and_variant_kanji_suggest_the_registry_name() {
    let h = hokkaido();
    let suggest = |input: &str| h.resolve(input).err().map(|e| names(&e.suggestions));
    assert_eq!(suggest("岩見澤市"), Some(vec!["岩見沢市"]));
    assert_eq!(suggest("濱頓別町"), Some(vec!["浜頓別町"]));
    assert_eq!(suggest("帶廣市"), Some(vec!["帯広市"]));
    assert_eq!(suggest("留萠市"), Some(vec!["留萌市"]));
    assert_eq!(suggest("凾舘市"), Some(vec!["函館市"]));
    assert_eq!(suggest("北海道岩見澤市"), Some(vec!["岩見沢市"]));
    // Variant kanji and a wrong 市/町/村 together.
    assert_eq!(suggest("濱頓別村"), Some(vec!["浜頓別町"]));
    let e = h.resolve("岩見澤市").err().unwrap();
    assert_eq!(
        e.message_ja(),
        "「岩見澤市」は北海道の市町村にありません（もしかして: 岩見沢市）"
    );
    assert_eq!(
        e.to_string(),
        "\"岩見澤市\" is not a Hokkaido municipality (did you mean: 岩見沢市?)"
    );
}

#[test]
fn every_variant_row_is_one_kanji_to_another_that_nfkc_keeps() {
    for line in include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/kanji/variants.csv"))
        .lines()
        .skip(1)
    {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), 3, "{line}");
        assert_eq!(cols[0].chars().count(), 1, "{line}");
        assert_eq!(cols[1].chars().count(), 1, "{line}");
        assert_ne!(cols[0], cols[1], "{line}");
        assert_eq!(
            crate::text::normalize(cols[0]),
            cols[0],
            "{line}: NFKC folds it already"
        );
        assert!(["常用漢字表", "異体字"].contains(&cols[2]), "{line}");
    }
}

#[test]
fn credit_and_vintage() {
    assert_eq!(
        CREDIT_JA,
        "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"
    );
    let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/README.md"));
    assert!(readme.contains(CREDIT_JA));
    assert_eq!(DATA_VINTAGE, "2021-01-01");
}
