//! Where schema files come from: the file system, or a set of files held in memory ([`Memory`], filled by
//! [`crate::Builder::source`]). The loader asks a [`Source`] only to name, list and read files; the bounds
//! (root confinement, size cap, depth, DOCTYPE) are applied the same way to both.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{ErrorKind, Read};
use std::ops::Bound;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};

/// A place schema files are read from.
pub trait Source: Sync {
    /// The name `path` is known by for the root check and the cache: its canonical path on disk, its
    /// [`normalized`] path in memory. An error when there is no such file or folder.
    fn resolve(&self, path: &Path) -> Result<PathBuf>;
    /// Whether `path` names a file or folder.
    fn exists(&self, path: &Path) -> bool;
    /// The bytes of the file `path`, at most `cap` of them (more is an error, naming `max_schema_bytes`).
    fn read(&self, path: &Path, cap: u64) -> Result<Cow<'_, [u8]>>;
    /// Every `*.xsd` file under `dir`, at any depth, sorted.
    fn xsd_files_under(&self, dir: &Path) -> Result<Vec<PathBuf>>;
    /// Whether the files read from here are files on disk (what `cargo:rerun-if-changed` can watch).
    fn on_disk(&self) -> bool;
}

fn refused(path: &Path, reason: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn too_large(path: &Path, cap: u64) -> Error {
    refused(
        path,
        format!("larger than the cap of {cap} bytes (max_schema_bytes)"),
    )
}

/// The file system: regular files only, never more than the cap read.
pub struct FileSystem;

impl Source for FileSystem {
    fn resolve(&self, path: &Path) -> Result<PathBuf> {
        path.canonicalize().map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn read(&self, path: &Path, cap: u64) -> Result<Cow<'_, [u8]>> {
        read_bounded(path, cap).map(Cow::Owned)
    }

    fn xsd_files_under(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut found = Vec::new();
        collect_xsd(dir, &mut found)?;
        found.sort();
        Ok(found)
    }

    fn on_disk(&self) -> bool {
        true
    }
}

/// The bytes of `path`, a regular file of at most `cap` bytes; never reads more than `cap + 1` bytes.
fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(refused(
            path,
            "not a regular file (devices, pipes and folders are not read as schemas)",
        ));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(path, cap));
    }
    Ok(bytes)
}

fn collect_xsd(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.is_dir() {
            collect_xsd(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "xsd") {
            out.push(path);
        }
    }
    Ok(())
}

/// Schema files held in memory, by [`normalized`] path; the folders are those the paths name.
#[derive(Clone, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, Arc<[u8]>>,
}

impl Memory {
    /// Adds (or replaces) the file `path`.
    pub fn insert(&mut self, path: &Path, bytes: &[u8]) {
        self.files.insert(normalized(path), Arc::from(bytes));
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether `key` (normalized) is a folder of some file: a proper prefix of its path, or the current folder.
    fn is_folder(&self, key: &Path) -> bool {
        key.as_os_str().is_empty()
            || self
                .files
                .range::<Path, _>((Bound::Excluded(key), Bound::Unbounded))
                .next()
                .is_some_and(|(path, _)| path.starts_with(key))
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.files
                    .iter()
                    .map(|(path, bytes)| (path, format!("{} bytes", bytes.len()))),
            )
            .finish()
    }
}

fn not_in_memory(path: &Path) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            ErrorKind::NotFound,
            "not among the in-memory schema sources",
        ),
    }
}

impl Source for Memory {
    fn resolve(&self, path: &Path) -> Result<PathBuf> {
        let key = normalized(path);
        if self.files.contains_key(&key) || self.is_folder(&key) {
            Ok(key)
        } else {
            Err(not_in_memory(path))
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.resolve(path).is_ok()
    }

    fn read(&self, path: &Path, cap: u64) -> Result<Cow<'_, [u8]>> {
        let key = normalized(path);
        match self.files.get(&key) {
            Some(bytes) if bytes.len() as u64 > cap => Err(too_large(path, cap)),
            Some(bytes) => Ok(Cow::Borrowed(bytes)),
            None if self.is_folder(&key) => Err(refused(
                path,
                "not a regular file (a folder of the in-memory schema sources)",
            )),
            None => Err(not_in_memory(path)),
        }
    }

    fn xsd_files_under(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let key = normalized(dir);
        if !self.is_folder(&key) {
            return Err(not_in_memory(dir));
        }
        // Named under `dir` as given, as the file system names what it lists.
        Ok(self
            .files
            .keys()
            .filter(|path| path.extension().is_some_and(|e| e == "xsd"))
            .filter_map(|path| Some(dir.join(path.strip_prefix(&key).ok()?)))
            .collect())
    }

    fn on_disk(&self) -> bool {
        false
    }
}

/// `path` without `.` and `dir/..` components: the same file reached from different schemas (`parts/../a.xsd`,
/// `a.xsd`) is named the same in every location, whichever schema read it first. A `..` that climbs above the
/// start of a relative path is kept.
pub fn normalized(path: &Path) -> PathBuf {
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

/// Whether `path` lies inside `root`, both as [`Source::resolve`] names them: below it, and not climbing out
/// with a leading `..` nor starting over at `/` (which a relative root `""` would otherwise hold).
pub fn within(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(paths: &[&str]) -> Memory {
        let mut memory = Memory::default();
        for path in paths {
            memory.insert(Path::new(path), b"<x/>");
        }
        memory
    }

    #[test]
    fn names_files_and_folders_by_their_normalized_path() {
        let memory = memory(&["./a.xsd", "parts/b.xsd", "parts/deep/c.txt"]);
        assert_eq!(
            memory.resolve(Path::new("parts/../a.xsd")).unwrap(),
            Path::new("a.xsd")
        );
        assert_eq!(
            memory.resolve(Path::new("parts/deep")).unwrap(),
            Path::new("parts/deep")
        );
        assert_eq!(memory.resolve(Path::new(".")).unwrap(), Path::new(""));
        assert!(memory.resolve(Path::new("part")).is_err());
        assert!(memory.resolve(Path::new("parts/b")).is_err());
        assert!(!memory.exists(Path::new("../a.xsd")));
        assert_eq!(
            memory.xsd_files_under(Path::new("")).unwrap(),
            [Path::new("a.xsd"), Path::new("parts/b.xsd")]
        );
        assert_eq!(
            memory.xsd_files_under(Path::new("./parts")).unwrap(),
            [Path::new("./parts/b.xsd")]
        );
        assert!(memory.xsd_files_under(Path::new("nowhere")).is_err());
    }

    #[test]
    fn a_folder_is_not_read_and_the_cap_holds() {
        let memory = memory(&["parts/b.xsd"]);
        let error = memory.read(Path::new("parts"), 100).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = memory.read(Path::new("parts/b.xsd"), 3).unwrap_err();
        assert!(error.to_string().contains("max_schema_bytes"), "{error}");
        assert_eq!(&*memory.read(Path::new("parts/b.xsd"), 4).unwrap(), b"<x/>");
    }

    #[test]
    fn within_refuses_paths_that_climb_out() {
        assert!(within(Path::new("a.xsd"), Path::new("")));
        assert!(within(Path::new("s/a.xsd"), Path::new("s")));
        assert!(!within(Path::new("../a.xsd"), Path::new("")));
        assert!(!within(Path::new("t/a.xsd"), Path::new("s")));
        assert!(!within(Path::new("/etc/a.xsd"), Path::new("")));
    }
}
