//! Reference data: Hokkaido's 179 municipalities and their land-boundary adjacency.
//!
//! The adjacency rule ("隣接した市町村") needs to know which municipalities share a land
//! boundary and whether a region's members form one connected piece. The data is derived
//! from 国土数値情報 N03 (boundaries as of 2021-01-01) and embedded at compile time from
//! `data/hokkaido/`; see `data/hokkaido/README.md` for provenance and caveats.
//!
//! Callers turn user text into a [`MuniId`] once with [`Hokkaido::resolve`]; every other
//! query works on ids, so no string lookups happen after resolution.

mod graph;
mod parse;
mod registry;
mod resolve;
#[cfg(test)]
mod tests;

pub(crate) use registry::{SchemeKind, registry};

use std::collections::HashMap;
use std::sync::LazyLock;

/// Credit line required by MLIT's terms for anything built on this data:
/// the READMEs carry it, and a test holds them to it.
#[cfg(test)]
const CREDIT_JA: &str = "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成";

/// Date the municipal boundaries in the data refer to (N03 edition `N03-21_210101`).
#[cfg(test)]
const DATA_VINTAGE: &str = "2021-01-01";

/// Embedded `municipalities.csv` (row order defines [`MuniId`]).
const MUNICIPALITIES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/municipalities.csv"));

/// Embedded `adjacency.csv` (one row per pair sharing a land boundary).
const ADJACENCY_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/adjacency.csv"));

/// Embedded `point_contacts.csv` (pairs meeting at a single point; not adjacent).
const POINT_CONTACTS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/hokkaido/point_contacts.csv"));

/// Index of a municipality: the row number in `municipalities.csv` (code order).
///
/// Obtain ids from [`Hokkaido::resolve`] or [`Hokkaido::iter`]; methods taking an id panic
/// on an index that is not below [`Hokkaido::len`], as slice indexing does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct MuniId(pub u16);

impl MuniId {
    /// The id as a slice index.
    fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// One row of `municipalities.csv`.
#[derive(Debug)]
struct Municipality {
    /// 6-digit code with check digit, e.g. `012106`.
    code: String,
    /// 5-digit code without check digit, e.g. `01210`.
    code5: String,
    name: String,
    subprefecture: String,
    /// `市`, `町` or `村`.
    kind: String,
}

/// The parsed reference data; get it with [`hokkaido`].
#[derive(Debug)]
pub(crate) struct Hokkaido {
    munis: Vec<Municipality>,
    /// Sorted neighbour list per municipality (land boundary only).
    neighbours: Vec<Vec<MuniId>>,
    /// `true` for municipalities outside the largest connected component.
    island: Vec<bool>,
    /// The neighbour lists with the point contacts counted as links.
    touching: Vec<Vec<MuniId>>,
    /// Pairs touching at a single point, `a < b`, in file order (none may be
    /// adjacent: checked at load).
    point_contacts: Vec<(MuniId, MuniId)>,
    /// Name, 6-digit code and 5-digit code → id, for [`Hokkaido::resolve`].
    by_key: HashMap<String, MuniId>,
}

/// The embedded data, parsed on first use.
static HOKKAIDO: LazyLock<Hokkaido> = LazyLock::new(|| {
    Hokkaido::from_csv(MUNICIPALITIES_CSV, ADJACENCY_CSV, POINT_CONTACTS_CSV)
        .expect("embedded data/hokkaido CSVs are valid (checked by reference::tests)")
});

/// The Hokkaido reference data, parsed once from the CSVs embedded at compile time.
#[must_use]
pub(crate) fn hokkaido() -> &'static Hokkaido {
    &HOKKAIDO
}

impl Hokkaido {
    /// Number of municipalities (179).
    #[must_use]
    pub(crate) fn len(&self) -> usize {
        self.munis.len()
    }

    /// All ids in code order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = MuniId> + '_ {
        (0..self.munis.len()).filter_map(|i| u16::try_from(i).ok().map(MuniId))
    }

    /// Official name, e.g. `岩見沢市`.
    #[must_use]
    pub(crate) fn name(&self, id: MuniId) -> &str {
        &self.munis[id.index()].name
    }

    /// 6-digit 全国地方公共団体コード with check digit, e.g. `012106`.
    #[must_use]
    pub(crate) fn code(&self, id: MuniId) -> &str {
        &self.munis[id.index()].code
    }

    /// 振興局/総合振興局, e.g. `空知総合振興局`.
    #[must_use]
    pub(crate) fn subprefecture(&self, id: MuniId) -> &str {
        &self.munis[id.index()].subprefecture
    }

    /// `市`, `町` or `村`.
    #[must_use]
    pub(crate) fn kind(&self, id: MuniId) -> &str {
        &self.munis[id.index()].kind
    }

    /// Whether `a` and `b` share a land boundary; point contacts do not count.
    #[cfg(test)]
    pub(crate) fn adjacent(&self, a: MuniId, b: MuniId) -> bool {
        self.neighbours[a.index()].binary_search(&b).is_ok()
    }

    /// Municipalities sharing a land boundary with `id`, sorted by id.
    #[cfg(test)]
    pub(crate) fn neighbours(&self, id: MuniId) -> &[MuniId] {
        &self.neighbours[id.index()]
    }

    /// Whether `id` is cut off from the main body of Hokkaido by land
    /// (奥尻町, 礼文町, 利尻町, 利尻富士町), derived from the adjacency graph.
    #[must_use]
    pub(crate) fn on_island(&self, id: MuniId) -> bool {
        self.island[id.index()]
    }

    /// Pairs that meet at a single point only (`a < b`). They are not adjacent.
    pub(crate) fn point_contacts(&self) -> &[(MuniId, MuniId)] {
        &self.point_contacts
    }
}
