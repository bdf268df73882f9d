//! [`Generated`]: the output of a run, in memory, and how it meets a directory on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The environment variable that makes [`Generated::check_snapshot`] rewrite the directory instead of comparing
/// (any value but empty or `0`).
pub const UPDATE_SNAPSHOTS: &str = "QPS_UPDATE_SNAPSHOTS";

/// How many lines of unified diff the drift report shows per file.
const REPORT_LINES: usize = 40;

/// The generated files, by path relative to the output directory, plus what was read.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// File contents by relative path (`mod.rs`, `was/webapp.rs`, ...).
    pub files: BTreeMap<PathBuf, String>,
    /// Every schema and catalog file read, for `rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// Number of generated items (structs, enums, aliases, ...).
    pub items: usize,
    /// The document roots emitted (every type that implements the runtime's `RootElement`, in module order), so
    /// that a tool can pick the type of a document by its document element.
    pub roots: Vec<DocumentRoot>,
}

/// A type generated as a whole document: the Rust type that reads and writes the global element `element`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRoot {
    /// The module path of the type below the output's `mod.rs`, e.g. `["was", "webapp"]`.
    pub module: Vec<String>,
    /// The type's Rust name in that module.
    pub rust_type: String,
    /// The document element's local name.
    pub element: String,
    /// The document element's namespace, if any.
    pub namespace: Option<String>,
}

impl DocumentRoot {
    /// The type's path relative to the output's `mod.rs`: `was::webapp::WebApp`.
    pub fn path(&self) -> String {
        let mut path = self.module.join("::");
        path.push_str("::");
        path.push_str(&self.rust_type);
        path
    }
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

    /// A readable account of how `dir` differs from what was generated: for each file that differs, a unified
    /// diff of its first differing lines (`-` what `dir` holds, `+` what is generated); then the files missing
    /// from `dir` and those it holds that are not generated any more. Empty when `dir` is current.
    pub fn drift_report(&self, dir: &Path) -> String {
        let mut out = String::new();
        for rel in self.diff(dir) {
            let path = dir.join(&rel);
            match (std::fs::read_to_string(&path), self.files.get(&rel)) {
                (Ok(old), Some(new)) => {
                    let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
                    let text = diff
                        .unified_diff()
                        .context_radius(2)
                        .header(&path.display().to_string(), "generated")
                        .to_string();
                    let total = text.lines().count();
                    for line in text.lines().take(REPORT_LINES) {
                        out.push_str(line);
                        out.push('\n');
                    }
                    if total > REPORT_LINES {
                        out.push_str(&format!(
                            "... ({} more lines of diff)\n",
                            total - REPORT_LINES
                        ));
                    }
                }
                (Err(_), Some(_)) => out.push_str(&format!("{} is missing\n", path.display())),
                (_, None) => {
                    out.push_str(&format!("{} is not generated any more\n", path.display()))
                }
            }
        }
        out
    }

    /// Writes the files under `dir` and removes the `.rs` files there that are not generated any more, so that
    /// `dir` holds exactly this output.
    pub fn write_exact(&self, dir: &Path) -> Result<()> {
        self.write_to(dir)?;
        for stale in self.diff(dir) {
            let path = dir.join(stale);
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
        }
        Ok(())
    }

    /// For tests of checked-in output: `Err` with the drift report and how to update (`update`, a command, or
    /// setting [`UPDATE_SNAPSHOTS`]) when `dir` is not current; with [`UPDATE_SNAPSHOTS`] set, rewrites `dir`
    /// instead.
    pub fn check_snapshot(&self, dir: &Path, update: &str) -> Result<(), String> {
        let rewrite = std::env::var(UPDATE_SNAPSHOTS).is_ok_and(|v| !v.is_empty() && v != "0");
        if rewrite {
            return self
                .write_exact(dir)
                .map_err(|e| format!("cannot update {}: {e}", dir.display()));
        }
        let report = self.drift_report(dir);
        if report.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} is out of date:\n{report}\nupdate it with\n  {update}\nor rerun the tests with {UPDATE_SNAPSHOTS}=1",
            dir.display()
        ))
    }
}
