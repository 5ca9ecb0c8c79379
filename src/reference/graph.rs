//! Connectivity on the adjacency graph: region components and the island flag.

use std::cmp::Reverse;

use crate::reference::{Hokkaido, MuniId};

/// Marker for "not a member" in the position table of [`Hokkaido::components`].
const ABSENT: usize = usize::MAX;

/// Collects the component of `start` among the municipalities accepted by `in_set`,
/// marking them in `visited`. Depth-first with an explicit stack, so the cost is the sum
/// of the visited municipalities' degrees.
fn flood(
    neighbours: &[Vec<MuniId>],
    start: MuniId,
    in_set: impl Fn(MuniId) -> bool,
    visited: &mut [bool],
) -> Vec<MuniId> {
    let mut component = vec![start];
    visited[start.index()] = true;
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        for &next in &neighbours[id.index()] {
            if in_set(next) && !visited[next.index()] {
                visited[next.index()] = true;
                component.push(next);
                stack.push(next);
            }
        }
    }
    component
}

/// Flags every municipality outside the largest connected component of the whole graph.
/// Derived rather than listed so the flag follows the data if the data is ever refreshed.
pub(super) fn outside_largest_component(neighbours: &[Vec<MuniId>]) -> Vec<bool> {
    let n = neighbours.len();
    let mut visited = vec![false; n];
    let mut largest: Vec<MuniId> = Vec::new();
    for start in (0..n).filter_map(|i| u16::try_from(i).ok().map(MuniId)) {
        if !visited[start.index()] {
            let component = flood(neighbours, start, |_| true, &mut visited);
            if component.len() > largest.len() {
                largest = component;
            }
        }
    }
    let mut island = vec![true; n];
    for id in largest {
        island[id.index()] = false;
    }
    island
}

impl Hokkaido {
    /// Connected components of the subgraph induced by `members` (land boundaries only).
    ///
    /// Order is deterministic so decisions and their explanations are reproducible: largest
    /// component first, ties by the position in `members` of each component's earliest member;
    /// inside a component the members keep their order in `members`. Duplicates count once.
    /// A region is connected iff the result has at most one component.
    #[must_use]
    pub(crate) fn components(&self, members: &[MuniId]) -> Vec<Vec<MuniId>> {
        self.components_by(&self.neighbours, members)
    }

    /// [`Hokkaido::components`] with the pairs that meet at a single point
    /// counted as linked: the reading of 隣接 the guideline leaves open.
    #[must_use]
    pub(crate) fn components_touching(&self, members: &[MuniId]) -> Vec<Vec<MuniId>> {
        self.components_by(&self.touching, members)
    }

    fn components_by(&self, neighbours: &[Vec<MuniId>], members: &[MuniId]) -> Vec<Vec<MuniId>> {
        let mut pos = vec![ABSENT; self.len()];
        let mut unique = Vec::with_capacity(members.len());
        for (i, &id) in members.iter().enumerate() {
            if pos[id.index()] == ABSENT {
                pos[id.index()] = i;
                unique.push(id);
            }
        }
        let mut visited = vec![false; self.len()];
        let mut components = Vec::new();
        for &start in &unique {
            if !visited[start.index()] {
                let in_set = |id: MuniId| pos[id.index()] != ABSENT;
                let mut component = flood(neighbours, start, in_set, &mut visited);
                component.sort_unstable_by_key(|id| pos[id.index()]);
                components.push(component);
            }
        }
        // Components were found in order of their earliest member; a stable sort keeps that
        // order among equal sizes.
        components.sort_by_key(|c| Reverse(c.len()));
        components
    }
}
