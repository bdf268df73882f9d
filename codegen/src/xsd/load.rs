//! Loading a schema set: a schema file and everything it includes or imports, from a [`Source`] (the file system
//! or memory), each file read once per run (the modules of schemas that import each other share a [`Cache`]),
//! named by a normalised path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::model::*;
use super::parse::{Parsed, parse};
use super::read::Limits;
use super::source::{Source, normalized, within};
use crate::error::{Error, Result};
use crate::loc::Loc;

/// Reads one schema file and everything it includes or imports from `source`, within `limits`, taking the files
/// already read for another schema from `cache` (schemas that import each other would otherwise each parse the
/// whole set again). `root` is the folder of the entry schemas: an include or import outside it is an error
/// unless `limits.allow_outside_schema_root`.
pub fn load_with(
    source: &dyn Source,
    path: &Path,
    root: &Path,
    cache: &Cache,
    limits: &Limits,
) -> Result<SchemaSet> {
    // The entry schema first: a missing one is named rather than its folder.
    let root = source.resolve(path).and_then(|_| source.resolve(root))?;
    let mut loader = Loader {
        source,
        seen: HashSet::new(),
        set: SchemaSet::default(),
        cache,
        root,
        limits,
    };
    loader.load(path, None, None)?;
    Ok(loader.set)
}

/// Schema files already read, by canonical path and adopted (chameleon) namespace; shared between threads.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<CacheKey, Arc<Parsed>>>);

/// A file's canonical path and the namespace it adopts (included without one of its own).
type CacheKey = (PathBuf, Option<String>);

struct Loader<'c> {
    source: &'c dyn Source,
    seen: HashSet<PathBuf>,
    set: SchemaSet,
    cache: &'c Cache,
    root: PathBuf,
    limits: &'c Limits,
}

impl Loader<'_> {
    /// `chameleon_ns`: the namespace of the including schema, adopted by an included file that has none.
    /// `from`: where the include or import of `path` stands (none for an entry schema).
    fn load(&mut self, path: &Path, chameleon_ns: Option<&str>, from: Option<&Loc>) -> Result<()> {
        let canonical = self.source.resolve(path)?;
        let outside = !self.limits.allow_outside_schema_root && !within(&canonical, &self.root);
        if let (Some(from), true) = (from, outside) {
            return Err(Error::invalid(
                from,
                format!(
                    "{} is outside the schema root {} (allow_outside_schema_root permits it)",
                    canonical.display(),
                    // A relative root of memory is the current folder.
                    if self.root.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        &self.root
                    }
                    .display()
                ),
            ));
        }
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
                let parsed = parse(self.source, &normalized(path), chameleon_ns, self.limits);
                // A refused include is named where it is included.
                let parsed = Arc::new(parsed.map_err(|error| match (error, from) {
                    (Error::Input { path, reason }, Some(from)) => {
                        Error::invalid(from, format!("{}: {reason}", path.display()))
                    }
                    (error, _) => error,
                })?);
                self.cache
                    .0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(key, parsed.clone());
                parsed
            }
        };
        self.set.files.push(parsed.schema.clone());
        for follow in &parsed.follow {
            self.load(
                &follow.target,
                follow.chameleon.as_deref(),
                Some(&follow.loc),
            )?;
        }
        Ok(())
    }
}
