//! Loading and validating the embedded CSVs.
//!
//! The files are plain comma-separated text without quoting (no field contains a comma), with
//! CRLF or LF line endings. Everything the rest of the module relies on (known codes, check
//! digits, unique names, names in normalised form, consistent pairs) is checked here, so a bad
//! edit to the data fails the unit tests instead of producing a wrong decision.

use std::collections::{HashMap, HashSet};

use crate::reference::{Hokkaido, MuniId, Municipality, graph};

/// Expected header of `municipalities.csv`.
pub(super) const MUNICIPALITIES_HEADER: &[&str] = &["code", "code5", "name", "subprefecture", "kind"];
/// Expected header of `adjacency.csv`.
pub(super) const ADJACENCY_HEADER: &[&str] = &[
    "code_a",
    "name_a",
    "code_b",
    "name_b",
    "shared_boundary_km",
    "shared_arcs",
];
/// Expected header of `point_contacts.csv`.
pub(super) const POINT_CONTACTS_HEADER: &[&str] = &["code_a", "name_a", "code_b", "name_b", "note"];

/// Why an embedded CSV was rejected; `line` is 1-based, the header being line 1.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DataError {
    #[error("{file}: header is {found:?}, expected {expected:?}")]
    Header {
        file: &'static str,
        expected: String,
        found: String,
    },
    #[error("{file}:{line}: {message}")]
    Row {
        file: &'static str,
        line: usize,
        message: String,
    },
    #[error("point_contacts.csv: {a} – {b} is also listed in adjacency.csv")]
    ContactIsAdjacent { a: String, b: String },
}

/// One data line of a CSV file, split into fields.
pub(super) struct Row<'a> {
    file: &'static str,
    line: usize,
    pub(super) fields: Vec<&'a str>,
}

impl Row<'_> {
    /// An error located at this row.
    pub(super) fn error(&self, message: impl Into<String>) -> DataError {
        DataError::Row {
            file: self.file,
            line: self.line,
            message: message.into(),
        }
    }
}

/// Splits `text` into rows after checking the header, so a column reordering cannot silently
/// shift meanings. Blank lines are skipped; every row must have the header's field count.
pub(super) fn read_table<'a>(file: &'static str, text: &'a str, header: &[&str]) -> Result<Vec<Row<'a>>, DataError> {
    let mut lines = text.lines().enumerate();
    let found = lines.next().map_or("", |(_, l)| l);
    let expected = header.join(",");
    if found != expected {
        return Err(DataError::Header {
            file,
            expected,
            found: found.to_owned(),
        });
    }
    let mut rows = Vec::new();
    for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let row = Row {
            file,
            line: i + 1,
            fields: line.split(',').collect(),
        };
        if row.fields.len() != header.len() {
            let msg = format!("{} fields, expected {}", row.fields.len(), header.len());
            return Err(row.error(msg));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// JIS X 0402 check digit of a 5-digit code (weights 6,5,4,3,2).
fn check_digit(code5: &str) -> Option<u32> {
    let digits: Vec<u32> = code5.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 5 {
        return None;
    }
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    Some((11 - sum % 11) % 10)
}

/// Whether `code` is 6 ASCII digits whose last digit is the check digit of `code5`.
fn valid_code(code: &str, code5: &str) -> bool {
    code.len() == 6
        && code.is_ascii()
        && code.starts_with(code5)
        && check_digit(code5) == code[5..].chars().next().and_then(|c| c.to_digit(10))
}

/// Parses one `municipalities.csv` row, checking code, check digit, kind and name form.
fn parse_municipality(row: &Row<'_>) -> Result<Municipality, DataError> {
    let [code, code5, name, subprefecture, kind] = row.fields[..] else {
        return Err(row.error("wrong field count"));
    };
    if !code.starts_with("01") || !valid_code(code, code5) {
        return Err(row.error(format!("bad code {code:?} / code5 {code5:?}")));
    }
    if !matches!(kind, "市" | "町" | "村") || !name.ends_with(kind) {
        return Err(row.error(format!("bad kind {kind:?} for {name:?}")));
    }
    if crate::text::normalized(name) != name {
        return Err(row.error(format!("name {name:?} is not in NFKC form")));
    }
    if subprefecture.is_empty() {
        return Err(row.error("empty subprefecture"));
    }
    Ok(Municipality {
        code: code.to_owned(),
        code5: code5.to_owned(),
        name: name.to_owned(),
        subprefecture: subprefecture.to_owned(),
        kind: kind.to_owned(),
    })
}

/// Parses `municipalities.csv`, rejecting duplicate names or codes (resolution relies on both
/// being unique) and more rows than a `u16` id can index.
fn parse_municipalities(text: &str) -> Result<Vec<Municipality>, DataError> {
    let rows = read_table("municipalities.csv", text, MUNICIPALITIES_HEADER)?;
    let mut seen = HashSet::new();
    let mut munis = Vec::with_capacity(rows.len());
    for row in &rows {
        let muni = parse_municipality(row)?;
        if !seen.insert(muni.name.clone()) || !seen.insert(muni.code.clone()) {
            return Err(row.error(format!("duplicate name or code {:?}", muni.name)));
        }
        if u16::try_from(munis.len()).is_err() {
            return Err(row.error("too many municipalities for a u16 id"));
        }
        munis.push(muni);
    }
    Ok(munis)
}

/// Parses the `code_a,name_a,code_b,name_b,…` pair files, checking that both codes exist,
/// that the names agree with `municipalities.csv`, that `code_a < code_b` and that no pair
/// repeats.
fn parse_pairs(
    file: &'static str,
    text: &str,
    header: &[&str],
    ids: &HashMap<&str, MuniId>,
    munis: &[Municipality],
) -> Result<Vec<(MuniId, MuniId)>, DataError> {
    let mut pairs = Vec::new();
    let mut seen = HashSet::new();
    for row in read_table(file, text, header)? {
        let lookup = |code: &str, name: &str| match ids.get(code) {
            Some(&id) if munis[id.index()].name == name => Ok(id),
            _ => Err(row.error(format!("unknown municipality {code} {name}"))),
        };
        let a = lookup(row.fields[0], row.fields[1])?;
        let b = lookup(row.fields[2], row.fields[3])?;
        if a >= b || !seen.insert((a, b)) {
            return Err(row.error("pair not in code order, or repeated"));
        }
        pairs.push((a, b));
    }
    Ok(pairs)
}

/// Sorted neighbour lists from the adjacency pairs.
fn neighbour_lists(n: usize, pairs: &[(MuniId, MuniId)]) -> Vec<Vec<MuniId>> {
    let mut lists = vec![Vec::new(); n];
    for &(a, b) in pairs {
        lists[a.index()].push(b);
        lists[b.index()].push(a);
    }
    for list in &mut lists {
        list.sort_unstable();
    }
    lists
}

/// Lookup table for [`Hokkaido::resolve`]: name, 6-digit code and 5-digit code. The three key
/// spaces cannot collide (names are not all digits; codes differ in length).
fn lookup_keys(munis: &[Municipality]) -> HashMap<String, MuniId> {
    let mut keys = HashMap::with_capacity(munis.len() * 3);
    for (id, m) in (0..).map(MuniId).zip(munis) {
        for key in [&m.name, &m.code, &m.code5] {
            keys.insert(key.clone(), id);
        }
    }
    keys
}

/// The neighbour lists with the point contacts added: who touches whom at
/// all, for the reading that counts a point as a link.
fn touching_lists(neighbours: &[Vec<MuniId>], contacts: &[(MuniId, MuniId)]) -> Vec<Vec<MuniId>> {
    let mut out = neighbours.to_vec();
    for &(a, b) in contacts {
        out[a.index()].push(b);
        out[b.index()].push(a);
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

impl Hokkaido {
    /// Parses and cross-checks the three CSVs. Separate from [`crate::reference::hokkaido`]
    /// so tests can feed it broken input.
    pub(super) fn from_csv(municipalities: &str, adjacency: &str, point_contacts: &str) -> Result<Self, DataError> {
        let munis = parse_municipalities(municipalities)?;
        let ids: HashMap<&str, MuniId> = (0..)
            .map(MuniId)
            .zip(&munis)
            .map(|(id, m)| (m.code.as_str(), id))
            .collect();
        let adj = parse_pairs("adjacency.csv", adjacency, ADJACENCY_HEADER, &ids, &munis)?;
        let contacts = parse_pairs(
            "point_contacts.csv",
            point_contacts,
            POINT_CONTACTS_HEADER,
            &ids,
            &munis,
        )?;
        let neighbours = neighbour_lists(munis.len(), &adj);
        if let Some(&(a, b)) = contacts.iter().find(|&&(a, b)| neighbours[a.index()].contains(&b)) {
            return Err(DataError::ContactIsAdjacent {
                a: munis[a.index()].name.clone(),
                b: munis[b.index()].name.clone(),
            });
        }
        Ok(Self {
            island: graph::outside_largest_component(&neighbours),
            by_key: lookup_keys(&munis),
            munis,
            touching: touching_lists(&neighbours, &contacts),
            neighbours,
            point_contacts: contacts,
        })
    }
}
