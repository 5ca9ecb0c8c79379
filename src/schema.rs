//! The input documents as the rule language sees them: entities (the
//! application, its region, members, council, projects and expense lines) and
//! their fields with types. Field names are the JSON keys of
//! `grant-application/v1`, so a rule's `project.kind` is the input's
//! `projects[i].kind`.
//!
//! Vocabularies that belong to the guidelines (policy fields, project
//! exclusions, expense categories) are named here but defined in the rule
//! files; the format's own vocabularies (listed/planned/no, soft/hard) are
//! defined here.

/// Index of an entity type in [`ENTITIES`].
pub type EntityId = u8;

pub const APPLICATION: EntityId = 0;
pub const REGION: EntityId = 1;
pub const MEMBER: EntityId = 2;
pub const COUNCIL: EntityId = 3;
pub const PROJECT: EntityId = 4;
pub const EXPENSE: EntityId = 5;

/// The type of an input field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldTy {
    Bool,
    Int,
    Money,
    Date,
    FiscalYear,
    Text,
    Municipality,
    /// An enumeration, by name: built in ([`BUILTIN_ENUMS`]) or from the rules.
    Enum(&'static str),
    Entity(EntityId),
    List(&'static FieldTy),
}

/// How an absent input field reads in the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absent {
    /// Always given (the input format requires it).
    Required,
    /// Not given: an unknown fact, listed as missing when it matters.
    Unknown,
    /// Not given means false (an exception that is not claimed).
    False,
    /// Not given means an empty list.
    Empty,
}

#[derive(Debug)]
pub struct FieldDef {
    pub name: &'static str,
    pub ty: FieldTy,
    pub absent: Absent,
}

#[derive(Debug)]
pub struct EntityDef {
    pub name: &'static str,
    pub fields: &'static [FieldDef],
    /// The entity and field whose list holds this entity, if any.
    pub owner: Option<(EntityId, &'static str)>,
}

const fn f(name: &'static str, ty: FieldTy, absent: Absent) -> FieldDef {
    FieldDef { name, ty, absent }
}

use Absent::*;
use FieldTy::*;

pub static ENTITIES: [EntityDef; 6] = [
    EntityDef {
        name: "Application",
        owner: None,
        fields: &[
            f("format", Text, Required),
            f("fiscal_year", FiscalYear, Required),
            f("region", Entity(REGION), Required),
            f("projects", List(&Entity(PROJECT)), Required),
            f("deductible_consumption_tax", Money, Unknown),
            f("budget_allocation", Money, Unknown),
        ],
    },
    EntityDef {
        name: "Region",
        owner: None,
        fields: &[
            f("name", Text, Required),
            f("representative", Municipality, Required),
            f("members", List(&Entity(MEMBER)), Required),
            f("council", Entity(COUNCIL), Unknown),
            f("agreement_date", Date, Unknown),
            f("vision_date", Date, Unknown),
            f("vision_period_years", Int, Unknown),
            f("policy_fields", List(&Enum("PolicyField")), Unknown),
            f("first_grant_fiscal_year", FiscalYear, Unknown),
        ],
    },
    EntityDef {
        name: "Member",
        owner: Some((REGION, "members")),
        fields: &[
            f("name", Municipality, Required),
            f("settlement_zone", Bool, Unknown),
            f("central_urban_area", Bool, Unknown),
        ],
    },
    EntityDef {
        name: "Council",
        owner: None,
        fields: &[f("name", Text, Required), f("members", List(&Municipality), Required)],
    },
    EntityDef {
        name: "Project",
        owner: Some((APPLICATION, "projects")),
        fields: &[
            f("name", Text, Required),
            f("in_advance_plan", Enum("Listing"), Unknown),
            f("in_vision", Enum("Listing"), Unknown),
            f("kind", Enum("ProjectKind"), Unknown),
            f("joint", Bool, Unknown),
            f("exclusions", List(&Enum("ProjectExclusion")), Unknown),
            f("reviewer_flags", List(&Text), Empty),
            f("expenses", List(&Entity(EXPENSE)), Required),
        ],
    },
    EntityDef {
        name: "Expense",
        owner: Some((PROJECT, "expenses")),
        fields: &[
            f("item", Text, Required),
            f("category", Enum("ExpenseCategory"), Required),
            f("amount", Money, Required),
            f("temporary_staff", Bool, False),
            f("indispensable", Bool, False),
        ],
    },
];

/// Slots of the fields the decision reads (checked against [`ENTITIES`] by a test).
pub const APPLICATION_FISCAL_YEAR: usize = 1;
pub const REGION_NAME: usize = 0;
pub const REGION_REPRESENTATIVE: usize = 1;
pub const PROJECT_NAME: usize = 0;
pub const PROJECT_EXPENSES: usize = 7;
pub const EXPENSE_ITEM: usize = 0;
pub const EXPENSE_CATEGORY: usize = 1;
pub const EXPENSE_AMOUNT: usize = 2;

/// Field index of `name` in entity `entity`.
#[cfg(test)]
fn field_index(entity: EntityId, name: &str) -> usize {
    ENTITIES[entity as usize]
        .fields
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("schema: {} has no field {name}", ENTITIES[entity as usize].name))
}

/// A vocabulary defined by the input format rather than by the guidelines.
pub struct BuiltinEnum {
    pub name: &'static str,
    /// (code, Japanese, English)
    pub variants: &'static [(&'static str, &'static str, &'static str)],
}

/// `Status` is what a scope's rules decide for one entity (a project is
/// adopted, rejected or left to a reviewer); an unknown status is an unknown
/// value, not a variant.
pub static BUILTIN_ENUMS: [BuiltinEnum; 3] = [
    BuiltinEnum {
        name: "Listing",
        variants: &[
            ("listed", "掲載済み", "listed"),
            ("planned", "掲載予定", "to be listed"),
            ("no", "掲載なし", "not listed"),
        ],
    },
    BuiltinEnum {
        name: "ProjectKind",
        variants: &[
            ("soft", "ソフト事業", "soft project"),
            ("hard", "ハード事業", "hard project"),
        ],
    },
    BuiltinEnum {
        name: "Status",
        variants: &[
            ("adopted", "採択", "adopted"),
            ("rejected", "不採択", "rejected"),
            ("to_review", "要審査", "to review"),
        ],
    },
];

/// Built-in enums are the first enums of every program, in this order.
pub const LISTING: u16 = 0;
pub const PROJECT_KIND: u16 = 1;
pub const STATUS: u16 = 2;
pub const LISTING_LISTED: u16 = 0;
pub const LISTING_PLANNED: u16 = 1;
pub const LISTING_NO: u16 = 2;
pub const KIND_SOFT: u16 = 0;
pub const KIND_HARD: u16 = 1;

pub const STATUS_ADOPTED: u16 = 0;
pub const STATUS_REJECTED: u16 = 1;
pub const STATUS_TO_REVIEW: u16 = 2;

/// The enums the application format needs the rules to define.
pub const REQUIRED_RULE_ENUMS: [&str; 3] = ["PolicyField", "ProjectExclusion", "ExpenseCategory"];

/// The outputs the decision of a `grant-application/v1` reads: (entity, name).
pub const REQUIRED_OUTPUTS: [(EntityId, &str); 3] = [
    (APPLICATION, "eligible_expenses"),
    (APPLICATION, "grant_amount"),
    (PROJECT, "eligible_expenses"),
];

/// Scopes whose rules a decision shows.
pub const RULE_SCOPES: [EntityId; 3] = [APPLICATION, PROJECT, EXPENSE];

/// What an input field means, in Japanese and English, for the list of
/// missing information shown to a municipal officer.
pub fn field_label(field: &str) -> (&'static str, &'static str) {
    match field {
        "settlement_zone" => (
            "定住自立圏の取組を行っているか",
            "whether it already cooperates in a settlement zone (定住自立圏)",
        ),
        "central_urban_area" => (
            "連携中枢都市圏の取組を行っているか",
            "whether it already cooperates in a central urban area (連携中枢都市圏)",
        ),
        "agreement_date" => (
            "地域連携協定の締結（見込み）日",
            "date of the cooperation agreement (concluded or expected)",
        ),
        "vision_date" => (
            "地域連携ビジョンの策定（見込み）日",
            "date of the cooperation vision (adopted or expected)",
        ),
        "vision_period_years" => ("地域連携ビジョンの期間（年）", "period of the vision (years)"),
        "policy_fields" => ("地域連携協定の政策分野", "policy fields of the agreement"),
        "first_grant_fiscal_year" => ("初めて交付を受けた年度", "first fiscal year granted"),
        "council" => ("協議会", "council"),
        "in_advance_plan" => (
            "前進プランへの掲載（listed / planned / no）",
            "listing in the advance plan (listed / planned / no)",
        ),
        "in_vision" => (
            "地域連携ビジョンへの掲載（listed / planned / no）",
            "listing in the vision (listed / planned / no)",
        ),
        "kind" => ("事業の種類（soft / hard）", "kind of project (soft / hard)"),
        "joint" => (
            "市町村が連携して取り組むか",
            "whether the municipalities carry it out together",
        ),
        "exclusions" => (
            "実施要綱 第4 2 (1)〜(5) に当たる事由（なければ []）",
            "which cases of 実施要綱 第4 2 (1)–(5) apply ([] if none)",
        ),
        "deductible_consumption_tax" => ("消費税等仕入控除税額", "deductible consumption tax"),
        "budget_allocation" => ("予算の配分額", "budget allocation"),
        _ => ("", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_constants_match_the_schema() {
        assert_eq!(field_index(APPLICATION, "fiscal_year"), APPLICATION_FISCAL_YEAR);
        assert_eq!(field_index(REGION, "name"), REGION_NAME);
        assert_eq!(field_index(REGION, "representative"), REGION_REPRESENTATIVE);
        assert_eq!(field_index(PROJECT, "name"), PROJECT_NAME);
        assert_eq!(field_index(PROJECT, "expenses"), PROJECT_EXPENSES);
        assert_eq!(field_index(EXPENSE, "item"), EXPENSE_ITEM);
        assert_eq!(field_index(EXPENSE, "category"), EXPENSE_CATEGORY);
        assert_eq!(field_index(EXPENSE, "amount"), EXPENSE_AMOUNT);
    }

    #[test]
    fn builtin_variant_constants_match_their_codes() {
        let code = |e: u16, v: u16| BUILTIN_ENUMS[e as usize].variants[v as usize].0;
        assert_eq!(BUILTIN_ENUMS[LISTING as usize].name, "Listing");
        assert_eq!(BUILTIN_ENUMS[PROJECT_KIND as usize].name, "ProjectKind");
        assert_eq!(BUILTIN_ENUMS[STATUS as usize].name, "Status");
        assert_eq!(
            (
                code(LISTING, LISTING_LISTED),
                code(LISTING, LISTING_PLANNED),
                code(LISTING, LISTING_NO)
            ),
            ("listed", "planned", "no")
        );
        assert_eq!(
            (code(PROJECT_KIND, KIND_SOFT), code(PROJECT_KIND, KIND_HARD)),
            ("soft", "hard")
        );
        assert_eq!(code(STATUS, STATUS_ADOPTED), "adopted");
        assert_eq!(code(STATUS, STATUS_REJECTED), "rejected");
        assert_eq!(code(STATUS, STATUS_TO_REVIEW), "to_review");
    }
}
