//! How schema files map to modules: the module path of each file (`was/3.0/webapp.xsd` is `was::webapp`), and
//! the tree of `pub mod` declarations in `mod.rs` that includes their files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ModuleLayout;
use crate::error::{Error, Result};
use crate::ir::{self, Module};
use crate::xsd;

/// Every schema file, its path relative to its folder (for its module path), and its schema root (the folder
/// given to `schema_dir`, or the folder of a file given to `schema`).
pub(super) fn schema_files(
    source: &dyn xsd::Source,
    schemas: &[(PathBuf, Option<PathBuf>)],
) -> Result<Vec<(PathBuf, PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    for (path, dir) in schemas {
        match dir {
            None => {
                let name = path.file_name().map(PathBuf::from).unwrap_or_default();
                let root = match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                out.push((path.clone(), name, root));
            }
            Some(dir) => {
                let found = source.xsd_files_under(dir)?;
                if found.is_empty() {
                    return Err(Error::Config(format!(
                        "no .xsd file under {}",
                        dir.display()
                    )));
                }
                for file in found {
                    let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
                    out.push((file, rel, dir.clone()));
                }
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Config(
            "no schema given: call schema() or schema_dir()".into(),
        ));
    }
    Ok(out)
}

/// The module path of the schema at `rel` (relative to its directory) under `layout`.
pub(super) fn module_path_of(rel: &Path, layout: ModuleLayout) -> Vec<String> {
    match layout {
        ModuleLayout::Nested => module_path(rel),
        ModuleLayout::Flat => module_path(Path::new(rel.file_name().unwrap_or_default())),
    }
}

/// Refuses two schemas that map to the same module.
pub(super) fn check_unique(modules: &[Module]) -> Result<()> {
    let mut seen = HashMap::new();
    for m in modules {
        if let Some(other) = seen.insert(m.path.clone(), m.source.clone()) {
            return Err(Error::Config(format!(
                "{} and {} both map to module {}",
                other,
                m.source,
                m.path.join("::")
            )));
        }
    }
    Ok(())
}

/// `was/3.0/webapp.xsd` -> `["was", "webapp"]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .filter_map(|c| c.as_os_str().to_str())
        .filter(|c| !is_version(c))
        .map(module_ident)
        .collect();
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("schema");
    parts.push(module_ident(stem));
    parts
}

fn is_version(segment: &str) -> bool {
    let digits = segment.trim_start_matches(['v', 'V']);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn module_ident(name: &str) -> String {
    let ident = ir::names::field_name(name);
    if ident == "common" {
        "common_".to_owned()
    } else {
        ident
    }
}

/// The `pub mod` tree of `mod.rs`: `nested` holds, by parent path, what each parent module contains (the
/// modules' includes and what the profile adds); each is wrapped in its parents, deepest first, until only the
/// top level is left, which is returned.
pub(super) fn module_tree(mut nested: BTreeMap<Vec<String>, TokenStream>) -> TokenStream {
    // Wrap each group in its parent modules, deepest first, until only the top level is left.
    while let Some(key) = nested
        .keys()
        .filter(|k| !k.is_empty())
        .max_by(|a, b| a.len().cmp(&b.len()).then(b.cmp(a)))
        .cloned()
    {
        let body = nested.remove(&key).expect("key exists");
        let name = format_ident!("{}", key[key.len() - 1]);
        let doc = format!(" The `{}` schemas.", key.join("/"));
        nested
            .entry(key[..key.len() - 1].to_vec())
            .or_default()
            .extend(quote! {
                #[doc = #doc]
                pub mod #name {
                    #body
                }
            });
    }
    nested.remove(&Vec::new()).unwrap_or_default()
}
