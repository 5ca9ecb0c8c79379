//! A document as facts the rules read: one table of field values per entity
//! type, in the field order of the kind's [`crate::schema::Schema`], with the
//! owner of each instance and the JSON path of each fact that is missing.

use std::sync::Arc;

use crate::schema::EntityId;
use crate::value::{PathId, Value};

#[derive(Debug, Default)]
pub struct Facts {
    /// entity → instance → field → value
    pub rows: Vec<Vec<Vec<Value>>>,
    /// entity → instance → the index of the instance that holds it
    pub parent: Vec<Vec<u32>>,
    /// entity → instance → its title (a project's name), or empty
    pub titles: Vec<Vec<Arc<str>>>,
    /// entity → instance → its JSON path (`projects[1]`)
    pub instance_paths: Vec<Vec<Arc<str>>>,
    /// The input paths of missing facts, by [`PathId`].
    pub paths: Vec<String>,
    /// Whose fact each missing path is (a member's municipality, a
    /// project's name; empty for the document itself).
    pub owners: Vec<String>,
    /// Which field each missing path is: (entity, field index).
    pub fields: Vec<(EntityId, u32)>,
    /// Reviewers' determinations: (rule, instance of its entity, instance
    /// of the determination entity).
    pub determined: Vec<(u32, u32, u32)>,
}

impl Facts {
    pub fn new(entities: usize) -> Facts {
        Facts {
            rows: vec![Vec::new(); entities],
            parent: vec![Vec::new(); entities],
            titles: vec![Vec::new(); entities],
            instance_paths: vec![Vec::new(); entities],
            paths: Vec::new(),
            owners: Vec::new(),
            fields: Vec::new(),
            determined: Vec::new(),
        }
    }

    pub fn path(&self, id: PathId) -> &str {
        &self.paths[id as usize]
    }

    pub fn count(&self, entity: EntityId) -> usize {
        self.rows[entity as usize].len()
    }

    /// A field of one instance.
    pub fn field(&self, entity: EntityId, index: u32, field: u32) -> &Value {
        &self.rows[entity as usize][index as usize][field as usize]
    }
}
