//! The shape of a kind's input documents, as its rule files declare it
//! (`entity Project { name: string … }`): entities, their fields, the types
//! of the fields and what an absent field means. The JSON reader
//! ([`crate::input`]), the facts, the JSON Schema and the checker's name
//! resolution are all driven by this one description; nothing of a document
//! kind's shape is written in Rust.

use crate::source::Span;
use crate::text::Text;
use crate::value::Value;

/// Index of an entity type in [`Schema::entities`].
pub(crate) type EntityId = u32;
/// Index of an enumeration in the program.
pub(crate) type EnumId = u32;

/// The type of an input field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldTy {
    Bool,
    Int,
    Money,
    Ratio,
    Date,
    FiscalYear,
    Text,
    Municipality,
    Enum(EnumId),
    Entity(EntityId),
    List(Box<FieldTy>),
}

/// What an absent (or `null`) field means.
#[derive(Clone, Debug, PartialEq)]
pub enum Absent {
    /// The document must give it.
    Required,
    /// An unknown fact: listed as missing when it could change a result.
    Unknown,
    /// This value (an exception not claimed is `false`; no flags is `[]`).
    Default(Value),
}

/// What must differ in a `unique` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unique {
    /// This field of each element (an index in the element entity).
    Field(u32),
    /// The elements themselves (a list of values).
    Values,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: FieldTy,
    pub absent: Absent,
    /// A list that must have at least one element.
    pub nonempty: bool,
    /// Values of a list that must differ: a field of its entities
    /// (`members: list<Member> unique name`) or its values themselves
    /// (`members: list<municipality> unique`).
    pub unique: Option<Unique>,
    /// For an `int`: its unit's spellings, the first its name (`unit "年",
    /// "年間"`): `"5年"` reads as 5.
    pub unit: Vec<String>,
    /// What `grant-rules init` writes, each a JSON literal (`"令和6年度"`,
    /// `5`): the value; for a list of values, its elements; for a list of
    /// entities, the titles of its elements.
    pub example: Vec<String>,
    /// The value must be one of the values found at this path of the same
    /// entity (`representative: municipality one_of members.name`): field
    /// indices, each step into an entity or a list of entities.
    pub one_of: Option<Vec<u32>>,
    /// What the field means, for the person who fills it in (the JSON
    /// Schema's description, the list of missing information).
    pub label: Option<Text>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct EntityDef {
    pub name: String,
    pub label: Option<Text>,
    pub fields: Vec<FieldDef>,
    /// The field that names an instance (a member's municipality, a
    /// project's name), for headings and for whose fact is missing.
    pub title: Option<u32>,
    /// The entity and field that hold this entity: a schema is a tree, each
    /// entity type has at most one place in it.
    pub owner: Option<(EntityId, u32)>,
    pub span: Span,
}

/// The input shape of one document kind.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub entities: Vec<EntityDef>,
    /// The document itself.
    pub root: EntityId,
}

impl Schema {
    pub fn entity(&self, e: EntityId) -> &EntityDef {
        &self.entities[e as usize]
    }

    /// The index of field `name` of entity `e`.
    pub fn field_index(&self, e: EntityId, name: &str) -> Option<u32> {
        self.entity(e)
            .fields
            .iter()
            .position(|f| f.name == name)
            .map(|i| i as u32)
    }

    pub fn field(&self, e: EntityId, index: u32) -> &FieldDef {
        &self.entity(e).fields[index as usize]
    }

    /// The owners of `e`, nearest first, up to the root.
    pub fn ancestors(&self, e: EntityId) -> impl Iterator<Item = EntityId> + '_ {
        std::iter::successors(self.entity(e).owner.map(|o| o.0), move |a| {
            self.entity(*a).owner.map(|o| o.0)
        })
    }
}
