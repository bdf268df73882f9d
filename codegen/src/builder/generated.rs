//! [`Generated`]: the output of a run, in memory, and how it meets a directory on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The generated files, by path relative to the output directory, plus what was read.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// File contents by relative path (`mod.rs`, `was/webapp.rs`, ...).
    pub files: BTreeMap<PathBuf, String>,
    /// Every schema and catalog file read, for `rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// Number of generated items (structs, enums, aliases, ...).
    pub items: usize,
}

impl Generated {
    /// Total number of generated lines.
    pub fn lines(&self) -> usize {
        self.files.values().map(|f| f.lines().count()).sum()
    }

    /// Writes every file under `dir`, creating directories, and leaves files whose content is unchanged
    /// untouched (so their timestamps do not trigger rebuilds).
    pub fn write_to(&self, dir: &Path) -> Result<()> {
        for (rel, content) in &self.files {
            let path = dir.join(rel);
            if std::fs::read_to_string(&path).is_ok_and(|old| &old == content) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, content).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Paths under `dir` whose content differs from what was generated, or that are missing or extra.
    pub fn diff(&self, dir: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(rel, content)| {
                std::fs::read_to_string(dir.join(rel)).ok().as_ref() != Some(*content)
            })
            .map(|(rel, _)| rel.clone())
            .collect();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&current) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                    if !self.files.contains_key(&rel) {
                        out.push(rel);
                    }
                }
            }
        }
        out.sort();
        out
    }
}
