//! The in-memory store: per entity, records by id (ascending, which is the order searches page in).

use std::collections::{BTreeMap, HashMap};

use crate::entities::{self, Kind};
use crate::tree::Node;

/// One stored record: the entity as an XML tree, plus server-side state that is not part of the entity
/// (such as a finding's severity before an edit).
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub node: Node,
    pub shadow: BTreeMap<String, String>,
}

/// The records of one entity.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub records: BTreeMap<i64, Record>,
    /// The last id handed out (or seen); the next create gets one more.
    pub last_id: i64,
}

impl Table {
    /// Stores a record under `id`, keeping the id counter ahead of it.
    pub fn put(&mut self, id: i64, record: Record) {
        self.last_id = self.last_id.max(id);
        self.records.insert(id, record);
    }
}

/// Every entity's table.
#[derive(Debug, Default)]
pub(crate) struct Store {
    tables: HashMap<(&'static str, &'static str), Table>,
}

impl Store {
    /// The table of `kind`.
    pub fn table(&self, kind: &Kind) -> Option<&Table> {
        self.tables.get(&(kind.module, kind.name))
    }

    /// The table of `kind`, created when first used.
    pub fn table_mut(&mut self, kind: &Kind) -> &mut Table {
        self.tables.entry((kind.module, kind.name)).or_default()
    }

    /// The table of `module/entity`, if it has records.
    pub fn table_by_name(&self, module: &str, entity: &str) -> Option<&Table> {
        let kind = entities::kind(module, entity)?;
        self.table(kind)
    }

    /// The record `id` of `kind`.
    pub fn get(&self, kind: &Kind, id: i64) -> Option<&Record> {
        self.table(kind)?.records.get(&id)
    }

    /// Empties every table (ids start again from 1).
    pub fn clear(&mut self) {
        self.tables.clear();
    }
}
