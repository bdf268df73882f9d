//! Loading a schema set: a schema file and everything it includes or imports, each file read once per run (the
//! modules of schemas that import each other share a [`Cache`]), named by a normalised path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::model::*;
use super::parse::{Parsed, parse};
use crate::error::{Error, Result};

/// Reads one schema file and everything it includes or imports, taking the files already read for another
/// schema from `cache` (schemas that import each other would otherwise each parse the whole set again).
pub fn load_with(path: &Path, cache: &Cache) -> Result<SchemaSet> {
    let mut loader = Loader {
        seen: HashSet::new(),
        set: SchemaSet::default(),
        cache,
    };
    loader.load(path, None)?;
    Ok(loader.set)
}

/// Schema files already read, by canonical path and adopted (chameleon) namespace; shared between threads.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<CacheKey, Arc<Parsed>>>);

/// A file's canonical path and the namespace it adopts (included without one of its own).
type CacheKey = (PathBuf, Option<String>);

struct Loader<'c> {
    seen: HashSet<PathBuf>,
    set: SchemaSet,
    cache: &'c Cache,
}

impl Loader<'_> {
    /// `chameleon_ns`: the namespace of the including schema, adopted by an included file that has none.
    fn load(&mut self, path: &Path, chameleon_ns: Option<&str>) -> Result<()> {
        let canonical = path.canonicalize().map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if !self.seen.insert(canonical.clone()) {
            return Ok(());
        }
        let key = (canonical, chameleon_ns.map(str::to_owned));
        let known = self
            .cache
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
            .cloned();
        let parsed = match known {
            Some(parsed) => parsed,
            None => {
                let parsed = Arc::new(parse(&normalized(path), chameleon_ns)?);
                self.cache
                    .0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(key, parsed.clone());
                parsed
            }
        };
        self.set.files.push(parsed.schema.clone());
        for (target, chameleon) in &parsed.follow {
            self.load(target, chameleon.as_deref())?;
        }
        Ok(())
    }
}

/// `path` without `.` and `dir/..` components: the same file reached from different schemas (`parts/../a.xsd`,
/// `a.xsd`) is named the same in every location, whichever schema read it first.
fn normalized(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
