//! The one status lattice every kind shares, and how statuses combine.
//!
//! A rule is `pass`, `fail`, `review` (a judgment for a reviewer), `unknown`
//! (a fact it needs is missing) or `not_applicable`; warnings and notes are
//! remarks beside a status, never one. An entity's verdict combines its
//! rules' statuses and the verdicts of the entities listed under it, and the
//! document's verdict combines its top-level rules and its listed entities:
//!
//! - any `fail` → `fail`; else any `unknown` → `unknown`; else any `review`
//!   → `review`; else `pass` (`not_applicable` counts for nothing);
//! - a listed entity whose `entry` is `set_aside` does not pass its `fail`
//!   up: it is left out and its parent goes on (a project that fails is not
//!   adopted; the others are), but its `unknown` and `review` do count;
//! - an entity its entry's `when` filters out counts for nothing.
//!
//! Each kind then gives the four verdicts its own words (`eligible`,
//! `approval_required`, `meets` …) in its `kind` declaration.

use serde::Serialize;

/// The variants of the rules language's built-in `Verdict` enum (what a
/// rule reads as `x.status` or `outcome`); unknown is an unknown value.
pub const VERDICT_PASS: u32 = 0;
pub const VERDICT_FAIL: u32 = 1;
pub const VERDICT_REVIEW: u32 = 2;

/// The status of one rule for one entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Pass,
    Fail,
    Review,
    Unknown,
    NotApplicable,
}

impl RuleStatus {
    /// The variant of the built-in `RuleStatus` enum of the rules language.
    pub fn index(self) -> u32 {
        match self {
            RuleStatus::Pass => 0,
            RuleStatus::Fail => 1,
            RuleStatus::Review => 2,
            RuleStatus::Unknown => 3,
            RuleStatus::NotApplicable => 4,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RuleStatus::Pass => "pass",
            RuleStatus::Fail => "fail",
            RuleStatus::Review => "review",
            RuleStatus::Unknown => "unknown",
            RuleStatus::NotApplicable => "not_applicable",
        }
    }
}

/// A combined verdict, ordered by precedence: `Pass < Review < Unknown < Fail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Review,
    Unknown,
    Fail,
}

impl Verdict {
    /// What a rule's status contributes; `not_applicable` contributes nothing.
    pub fn of_rule(s: RuleStatus) -> Option<Verdict> {
        match s {
            RuleStatus::Pass => Some(Verdict::Pass),
            RuleStatus::Fail => Some(Verdict::Fail),
            RuleStatus::Review => Some(Verdict::Review),
            RuleStatus::Unknown => Some(Verdict::Unknown),
            RuleStatus::NotApplicable => None,
        }
    }

    /// The combination of two verdicts: the one with precedence.
    pub fn and(self, other: Verdict) -> Verdict {
        self.max(other)
    }

    /// Combines statuses; `Pass` when there are none.
    pub fn combine(items: impl IntoIterator<Item = Verdict>) -> Verdict {
        items.into_iter().fold(Verdict::Pass, Verdict::and)
    }

    /// What a listed entity with this verdict passes to its parent.
    pub fn contribution(self, set_aside: bool) -> Option<Verdict> {
        (self != Verdict::Fail || !set_aside).then_some(self)
    }

    /// The index of this verdict in a kind's words (`outcome pass …`,
    /// `outcome fail …`, `outcome review …`, `outcome unknown …`).
    pub fn word_index(self) -> usize {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Review => 2,
            Verdict::Unknown => 3,
        }
    }

    /// The value of the built-in `Verdict` enum a rule reads as `x.status`;
    /// `None` for unknown (an unknown value, not a variant).
    pub fn variant(self) -> Option<u32> {
        match self {
            Verdict::Pass => Some(VERDICT_PASS),
            Verdict::Fail => Some(VERDICT_FAIL),
            Verdict::Review => Some(VERDICT_REVIEW),
            Verdict::Unknown => None,
        }
    }

    pub fn from_variant(v: u32) -> Verdict {
        match v {
            VERDICT_PASS => Verdict::Pass,
            VERDICT_FAIL => Verdict::Fail,
            _ => Verdict::Review,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_is_fail_unknown_review_pass() {
        use Verdict::*;
        assert_eq!(Verdict::combine([Pass, Review, Unknown]), Unknown);
        assert_eq!(Verdict::combine([Review, Fail, Unknown]), Fail);
        assert_eq!(Verdict::combine([Pass, Review]), Review);
        assert_eq!(Verdict::combine([]), Pass);
        assert_eq!(Verdict::of_rule(RuleStatus::NotApplicable), None);
    }

    #[test]
    fn a_set_aside_failure_stays_with_its_entity() {
        assert_eq!(Verdict::Fail.contribution(true), None);
        assert_eq!(Verdict::Fail.contribution(false), Some(Verdict::Fail));
        assert_eq!(Verdict::Unknown.contribution(true), Some(Verdict::Unknown));
        assert_eq!(Verdict::Review.contribution(true), Some(Verdict::Review));
    }
}
