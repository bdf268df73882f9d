//! The seed corpora: the repository's schemas and documents, and `--where` texts built from the catalog.

use std::path::{Path, PathBuf};

use qps_cli::catalog::{FilterType, Operator, catalog};

use crate::Target;

/// A named seed input.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Where it came from (a path relative to the repository, or `where/<entity>/<n>`).
    pub name: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// The repository root (the parent of this crate).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The folders whose files seed `target`, and the file extension.
fn sources(target: Target) -> (&'static [&'static str], &'static str) {
    match target {
        Target::Schema => (&["schemas", "fixtures", "tests/fixtures"], "xsd"),
        Target::ResponseReaders => (&["tests/fixtures", "fixtures"], "xml"),
        Target::WhereFilter => (&[], ""),
    }
}

/// The seeds of `target`, sorted by name: the repository's files of its kind, or for
/// [`Target::WhereFilter`] one text per catalog filter and operator (with a value of the filter's type).
pub fn seeds(target: Target) -> Result<Vec<Seed>, String> {
    if target == Target::WhereFilter {
        return Ok(where_seeds());
    }
    let root = repository();
    let (dirs, extension) = sources(target);
    let mut files = Vec::new();
    for dir in dirs {
        collect(&root.join(dir), extension, &mut files)?;
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Ok(Seed { name, data })
        })
        .collect()
}

/// Every file of `dir` (an input corpus, as cargo-fuzz keeps one), sorted by name.
pub fn load_dir(dir: &Path) -> Result<Vec<Seed>, String> {
    let mut files = Vec::new();
    collect(dir, "", &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Seed {
                name: path.display().to_string(),
                data,
            })
        })
        .collect()
}

/// The files under `dir` ending in `.extension` (any file when `extension` is empty).
fn collect(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect(&path, extension, out)?;
        } else if extension.is_empty() || path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    Ok(())
}

/// One `--where` text per filter and operator of every catalog entity, plus a few quoted and listed forms.
fn where_seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    for entity in &catalog().entities {
        for filter in &entity.filters {
            let value = match filter.kind {
                FilterType::Long | FilterType::Integer => "42".to_owned(),
                FilterType::Boolean => "true".to_owned(),
                FilterType::Date => "2024-01-31T00:00:00Z".to_owned(),
                FilterType::Keyword | FilterType::Text => filter
                    .values
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "'my \\'shop\\''".to_owned()),
            };
            let field = if filter.named {
                format!("{}[Business Owner]", filter.field)
            } else {
                filter.field.clone()
            };
            for operator in &filter.operators {
                let value = if *operator == Operator::In {
                    format!("{value}, {value}")
                } else {
                    value.clone()
                };
                let text = format!("{field} {} {value}", operator.as_str());
                out.push(Seed {
                    name: format!("where/{}/{}/{}", entity.module, entity.name, out.len()),
                    data: text.into_bytes(),
                });
            }
        }
    }
    out
}
