//! The corpus manifest (`manifest.toml`, written by `scripts/conformance/fetch.py`): sets of entry schemas, each
//! with the instance documents xmllint accepts against it. Paths are relative to the manifest's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    #[serde(rename = "set", default)]
    pub sets: Vec<Set>,
}

#[derive(Debug, Deserialize)]
pub struct Set {
    pub name: String,
    #[serde(default)]
    pub about: String,
    #[serde(default)]
    pub source: String,
    /// Documents found in the set, valid or not.
    #[serde(default)]
    pub found: usize,
    /// Documents left out, by reason (xmllint rejects the schema, the instance is invalid, XSD 1.1, ...).
    #[serde(default)]
    pub excluded: BTreeMap<String, usize>,
    #[serde(rename = "entry", default)]
    pub entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
    pub schema: PathBuf,
    pub documents: Vec<PathBuf>,
}

impl Manifest {
    /// Reads `path` and makes every path in it absolute.
    pub fn load(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| {
                format!(
                    "{}: cannot read: {e} (fetch the corpus first: python3 scripts/conformance/fetch.py)",
                    path.display()
                )
            })?;
        let mut manifest: Manifest =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for set in &mut manifest.sets {
            for entry in &mut set.entries {
                entry.schema = base.join(&entry.schema);
                for doc in &mut entry.documents {
                    *doc = base.join(&*doc);
                }
            }
        }
        Ok(manifest)
    }
}
