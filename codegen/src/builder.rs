//! The [`Builder`]: drives the pipeline from a `build.rs`, the CLI or a test.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::catalog::{Catalog, Entity};
use crate::emit::{self, Lookup, Paths};
use crate::error::{Error, Result};
use crate::ir::{self, Item, Module};
use crate::qps::{Qps, endpoints};
use crate::xsd;

/// How the schema files map to modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModuleLayout {
    /// Folders under the schema directory become parent modules: `was/3.0/webapp.xsd` is `was::webapp` (folders
    /// that are version numbers are left out).
    #[default]
    Nested,
    /// One top-level module per file, named after its stem: `was/3.0/webapp.xsd` is `webapp`. Two files with the
    /// same stem are an error.
    Flat,
}

/// Generates Rust bindings from XSD files, in the manner of `prost-build`.
///
/// In `build.rs`:
///
/// ```no_run
/// qps_codegen::Builder::new()
///     .schema_dir("schemas")
///     .catalog("schemas/endpoints.toml")
///     .write()
///     .expect("generate bindings");
/// ```
///
/// and in `lib.rs`: `include!(concat!(env!("OUT_DIR"), "/mod.rs"));`.
#[must_use]
#[derive(Debug, Clone)]
pub struct Builder {
    schemas: Vec<(PathBuf, Option<PathBuf>)>,
    catalog: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    qps: bool,
    runtime: String,
    overrides: HashMap<String, String>,
    derives: Vec<String>,
    share_identical: bool,
    layout: ModuleLayout,
    rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

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

impl Builder {
    /// A builder with the Qualys QPS profile on, the runtime at `::qps_runtime`, and identical types shared.
    pub fn new() -> Self {
        Builder {
            schemas: Vec::new(),
            catalog: None,
            out_dir: None,
            qps: true,
            runtime: "::qps_runtime".to_owned(),
            overrides: HashMap::new(),
            derives: Vec::new(),
            share_identical: true,
            layout: ModuleLayout::Nested,
            rerun_if_changed: true,
        }
    }

    /// Adds one schema file; its module is named after the file stem.
    pub fn schema(mut self, path: impl AsRef<Path>) -> Self {
        self.schemas.push((path.as_ref().to_path_buf(), None));
        self
    }

    /// Adds every `*.xsd` under `dir` (recursively). Modules follow the folders: `was/3.0/webapp.xsd` becomes
    /// `was::webapp` (folders that are version numbers are left out).
    pub fn schema_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.schemas
            .push((dir.as_ref().to_path_buf(), Some(dir.as_ref().to_path_buf())));
        self
    }

    /// The endpoint catalog (TOML) to check against the schemas.
    pub fn catalog(mut self, path: impl AsRef<Path>) -> Self {
        self.catalog = Some(path.as_ref().to_path_buf());
        self
    }

    /// Where [`Builder::write`] puts the files (default: `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Turns the Qualys QPS conventions off: plain XSD mapping, no collection wrappers.
    pub fn plain_xsd(mut self) -> Self {
        self.qps = false;
        self
    }

    /// The path generated code uses for the runtime crate (default `::qps_runtime`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// Maps an XSD type (`Name`, or `{namespace}Name`, or `xs:dateTime`) to an existing Rust type, which must
    /// implement the runtime's `XmlText`, `Validate`, `Debug`, `Clone` and `PartialEq`.
    pub fn type_override(
        mut self,
        xsd_type: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> Self {
        self.overrides.insert(xsd_type.into(), rust_path.into());
        self
    }

    /// Adds a derive to every generated struct (e.g. `"Eq"`); every field type must support it.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.derives.push(path.into());
        self
    }

    /// How schema files map to modules (default [`ModuleLayout::Nested`]).
    pub fn module_layout(mut self, layout: ModuleLayout) -> Self {
        self.layout = layout;
        self
    }

    /// Whether types that are identical in several schemas are emitted once, in `common` (default on).
    pub fn share_identical_types(mut self, on: bool) -> Self {
        self.share_identical = on;
        self
    }

    /// Whether [`Builder::write`] prints `cargo:rerun-if-changed` lines (default on).
    pub fn emit_rerun_if_changed(mut self, on: bool) -> Self {
        self.rerun_if_changed = on;
        self
    }

    /// Generates into `out_dir` (or `$OUT_DIR`) and prints `cargo:rerun-if-changed` for every file read.
    pub fn write(self) -> Result<Generated> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Config("OUT_DIR is not set: call out_dir() outside build scripts".into())
                })?,
        };
        let rerun = self.rerun_if_changed;
        let generated = self.generate()?;
        generated.write_to(&out_dir)?;
        if rerun {
            for input in &generated.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        Ok(generated)
    }

    /// Runs the whole pipeline in memory.
    pub fn generate(&self) -> Result<Generated> {
        for path in self.overrides.values() {
            syn::parse_str::<syn::Type>(path).map_err(|e| {
                Error::Config(format!("type override {path:?} is not a Rust type: {e}"))
            })?;
        }
        for derive in &self.derives {
            syn::parse_str::<syn::Path>(derive)
                .map_err(|e| Error::Config(format!("derive {derive:?} is not a path: {e}")))?;
        }
        let runtime: TokenStream = self
            .runtime
            .parse()
            .ok()
            .filter(|t: &TokenStream| syn::parse2::<syn::Path>(t.clone()).is_ok())
            .ok_or_else(|| {
                Error::Config(format!(
                    "runtime crate path {:?} is not a path",
                    self.runtime
                ))
            })?;
        let paths = Paths {
            runtime,
            derives: self
                .derives
                .iter()
                .map(|d| d.parse().expect("checked above"))
                .collect(),
        };

        // Each schema is loaded and resolved on its own, so they are read on every core.
        let files = self.schema_files()?;
        let loaded = on_every_core(files.len(), |i| -> Result<(Vec<PathBuf>, Module)> {
            let (file, rel) = &files[i];
            let set = xsd::load(file)?;
            let inputs: Vec<PathBuf> = set.files.iter().map(|f| f.path.as_ref().clone()).collect();
            let path = match self.layout {
                ModuleLayout::Nested => module_path(rel),
                ModuleLayout::Flat => module_path(Path::new(rel.file_name().unwrap_or_default())),
            };
            let source = rel.to_string_lossy().replace('\\', "/");
            let profile: &dyn ir::Profile = if self.qps { &Qps } else { &() };
            let module = ir::build_module(&set, path, source, profile, &self.overrides)?;
            Ok((inputs, module))
        });
        let mut inputs = Vec::new();
        let mut modules = Vec::new();
        for result in loaded {
            let (files, module) = result?;
            inputs.extend(files);
            modules.push(module);
        }
        let mut seen = HashMap::new();
        for m in &modules {
            if let Some(other) = seen.insert(m.path.clone(), m.source.clone()) {
                return Err(Error::Config(format!(
                    "{} and {} both map to module {}",
                    other,
                    m.source,
                    m.path.join("::")
                )));
            }
        }
        let catalog = match &self.catalog {
            Some(path) => {
                inputs.push(path.clone());
                Some(Catalog::from_path(path)?)
            }
            None => None,
        };
        let entities = match &catalog {
            Some(catalog) if self.qps => entities_by_module(catalog, &modules)?,
            _ => vec![None; modules.len()],
        };
        inputs.sort();
        inputs.dedup();
        emit_all(&modules, &entities, &paths, self.share_identical, inputs)
    }

    fn schema_files(&self) -> Result<Vec<(PathBuf, PathBuf)>> {
        let mut out = Vec::new();
        for (path, dir) in &self.schemas {
            match dir {
                None => {
                    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
                    out.push((path.clone(), name));
                }
                Some(dir) => {
                    let mut found = Vec::new();
                    collect_xsd(dir, &mut found)?;
                    found.sort();
                    if found.is_empty() {
                        return Err(Error::Config(format!(
                            "no .xsd file under {}",
                            dir.display()
                        )));
                    }
                    for file in found {
                        let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
                        out.push((file, rel));
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

/// The catalog entity of each module (matched by schema path), checking that every entity has its schema.
fn entities_by_module<'c>(
    catalog: &'c Catalog,
    modules: &[Module],
) -> Result<Vec<Option<&'c Entity>>> {
    let mut out = vec![None; modules.len()];
    for entity in &catalog.entities {
        let Some(i) = modules.iter().position(|m| m.source == entity.schema) else {
            return Err(Error::Config(format!(
                "{}: entity {}/{} names schema {}, which is not among the schemas given",
                catalog.path.display(),
                entity.module,
                entity.name,
                entity.schema
            )));
        };
        if out[i].replace(entity).is_some() {
            return Err(Error::Config(format!(
                "{}: two entities name schema {}",
                catalog.path.display(),
                entity.schema
            )));
        }
    }
    Ok(out)
}

/// Emits every module, sharing identical items in `common`.
fn emit_all(
    modules: &[Module],
    entities: &[Option<&Entity>],
    paths: &Paths,
    share: bool,
    inputs: Vec<PathBuf>,
) -> Result<Generated> {
    let lookups: Vec<Lookup> = modules.iter().map(Lookup::new).collect();
    let shared = if share {
        shared_items(modules)
    } else {
        BTreeMap::new()
    };

    let mut generated = Generated {
        inputs,
        ..Generated::default()
    };
    let mut root = TokenStream::new();
    if !shared.is_empty() {
        root.extend(quote! {
            /// Types that several schemas declare identically, emitted once; each schema's module re-exports them.
            pub mod common {
                include!("common.rs");
            }
        });
    }

    // Cut every file into pieces of a few items and render the pieces on every core: syn's parse and
    // prettyplease are most of the generator's time. prettyplease prints a file's items one after another, so a
    // file's pieces, concatenated, are the text the whole file gives.
    let common: Vec<(&String, &(usize, Vec<usize>))> = shared.iter().collect();
    let kept: Vec<Vec<usize>> = modules
        .iter()
        .enumerate()
        .map(|(i, module)| {
            (0..module.items.len())
                .filter(|&k| {
                    shared
                        .get(&module.items[k].name)
                        .is_none_or(|(_, members)| !members.contains(&i))
                })
                .collect()
        })
        .collect();
    let mut pieces = vec![Piece::Uses(None)];
    for start in (0..common.len()).step_by(PIECE_ITEMS) {
        pieces.push(Piece::Common(
            start,
            (start + PIECE_ITEMS).min(common.len()),
        ));
    }
    for (i, items) in kept.iter().enumerate() {
        pieces.push(Piece::Uses(Some(i)));
        for start in (0..items.len()).step_by(PIECE_ITEMS) {
            pieces.push(Piece::Items(
                i,
                start,
                (start + PIECE_ITEMS).min(items.len()),
            ));
        }
        pieces.push(Piece::Documents(i));
        if entities[i].is_some() {
            pieces.push(Piece::Endpoints(i));
        }
    }
    let context = Context {
        modules,
        entities,
        lookups: &lookups,
        shared: &shared,
        common: &common,
        kept: &kept,
    };
    let runtime = paths.runtime.to_string();
    let derives: Vec<String> = paths.derives.iter().map(ToString::to_string).collect();
    // Tokens are not `Send`: each piece is rendered from the shared (read-only) IR by the thread that takes it.
    // The endpoints, the largest pieces, go first, so that no core is left with one at the end.
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&n| !matches!(pieces[n], Piece::Endpoints(_)));
    let rendered = on_every_core(order.len(), |k| {
        let n = order[k];
        let paths = Paths {
            runtime: runtime.parse().expect("a path that parsed before"),
            derives: derives
                .iter()
                .map(|d| d.parse().expect("a path that parsed before"))
                .collect(),
        };
        context.render(pieces[n], &paths)
    });
    let mut texts: Vec<Option<Result<String>>> = (0..pieces.len()).map(|_| None).collect();
    for (&n, text) in order.iter().zip(rendered) {
        texts[n] = Some(text);
    }
    let mut files: Vec<String> = vec![String::new(); modules.len()];
    let mut common_text = String::new();
    for (piece, text) in pieces.iter().zip(texts) {
        let text = text.expect("every piece is rendered")?;
        match piece.module() {
            Some(i) => files[i].push_str(&text),
            None => common_text.push_str(&text),
        }
    }
    if !shared.is_empty() {
        generated.items += shared.len();
        generated.files.insert(
            PathBuf::from("common.rs"),
            header("every schema that shares them", &common_text),
        );
    }
    generated.items += kept.iter().map(Vec::len).sum::<usize>();

    // Group modules by their parent path so `was::webapp` and `was::wasscan` share one `pub mod was`.
    let mut nested: BTreeMap<Vec<String>, TokenStream> = BTreeMap::new();
    for (module, text) in modules.iter().zip(files) {
        let depth = module.path.len();
        let rel = PathBuf::from(module.path.join("/") + ".rs");
        generated
            .files
            .insert(rel.clone(), header(&module.source, &text));
        let leaf = format_ident!("{}", module.path[depth - 1]);
        let include = rel.to_string_lossy().replace('\\', "/");
        let mut doc = format!("Bindings generated from `{}`.", module.source);
        if let Some(schema_doc) = &module.doc {
            doc = format!("{schema_doc}\n\n{doc}");
        }
        let doc = doc.lines().map(|l| format!(" {l}")).collect::<Vec<_>>();
        nested
            .entry(module.path[..depth - 1].to_vec())
            .or_default()
            .extend(quote! {
                #(#[doc = #doc])*
                pub mod #leaf {
                    include!(#include);
                }
            });
    }
    // The calls on a client: `client.was().webapp()`: a group `Api` per parent module, and a trait on the client.
    let runtime = &paths.runtime;
    let mut groups: BTreeMap<String, Vec<(syn::Ident, String)>> = BTreeMap::new();
    let mut trait_methods = Vec::new();
    let mut trait_impls = Vec::new();
    for (module, entity) in modules.iter().zip(entities) {
        let Some(entity) = entity else { continue };
        let leaf = format_ident!("{}", module.path[module.path.len() - 1]);
        match module.path.len() {
            1 => {
                let doc = format!(" `{}/{}`: {}", entity.module, entity.name, entity.doc);
                trait_methods
                    .push(quote!(#[doc = #doc] fn #leaf(&self) -> #leaf::endpoints::Api<'_>;));
                trait_impls.push(quote!(fn #leaf(&self) -> #leaf::endpoints::Api<'_> { #leaf::endpoints::Api::new(self) }));
            }
            2 => groups.entry(module.path[0].clone()).or_default().push((
                leaf,
                format!(" `{}/{}`: {}", entity.module, entity.name, entity.doc),
            )),
            // Deeper modules are reached through their own `endpoints::Api::new(&client)`.
            _ => {}
        }
    }
    for (group, members) in &groups {
        let group_ident = format_ident!("{}", group);
        let methods = members.iter().map(|(leaf, doc)| {
            quote! {
                #[doc = #doc]
                pub fn #leaf(&self) -> #leaf::endpoints::Api<'a> {
                    #leaf::endpoints::Api::new(self.client)
                }
            }
        });
        let doc = format!(" The `{group}` resources, through a client.");
        nested
            .entry(vec![group.clone()])
            .or_default()
            .extend(quote! {
                use #runtime::__private as rt;

                #[doc = #doc]
                #[derive(Debug, Clone, Copy)]
                pub struct Api<'a> {
                    client: &'a rt::Client,
                }

                impl<'a> Api<'a> {
                    /// The calls, made through `client`.
                    pub fn new(client: &'a rt::Client) -> Self {
                        Api { client }
                    }

                    #(#methods)*
                }
            });
        let tdoc = format!(" The `{group}` resources.");
        trait_methods.push(quote!(#[doc = #tdoc] fn #group_ident(&self) -> #group_ident::Api<'_>;));
        trait_impls.push(quote!(fn #group_ident(&self) -> #group_ident::Api<'_> { #group_ident::Api::new(self) }));
    }
    if !trait_methods.is_empty() {
        root.extend(quote! {
            /// The generated calls on a client: `client.was().webapp().search(..)`. Bring it into scope with
            /// `use ...::ClientExt;`.
            pub trait ClientExt {
                #(#trait_methods)*
            }

            // In a block of its own, so that the runtime's alias does not enter the module that includes this file.
            const _: () = {
                use #runtime::__private as rt;

                impl ClientExt for rt::Client {
                    #(#trait_impls)*
                }
            };
        });
    }

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
    if let Some(top) = nested.remove(&Vec::new()) {
        root.extend(top);
    }
    let text = emit::render(root, "mod")?;
    generated.files.insert(
        PathBuf::from("mod.rs"),
        header("the schemas listed below", &text),
    );
    Ok(generated)
}

/// `job(0)`, ..., `job(count - 1)`, run on every core (each thread takes the next job when it is done with one),
/// the results in job order.
fn on_every_core<T: Send>(count: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count);
    if workers <= 1 {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, job) = (&next, &job);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= count {
                            return out;
                        }
                        out.push((n, job(n)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(n, _)| *n);
    done.into_iter().map(|(_, t)| t).collect()
}

/// Items per piece of a file rendered on its own.
const PIECE_ITEMS: usize = 8;

/// A piece of an output file (`common.rs` or a module's), rendered on its own.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// Shared items `start..end` (of `Context::common`).
    Common(usize, usize),
    /// The imports of a module's file (`None`: of `common.rs`): the runtime's `xml` module, and the shared
    /// items the module declares.
    Uses(Option<usize>),
    /// A module's own items `start..end` (of `Context::kept`).
    Items(usize, usize, usize),
    /// A module's document wrappers.
    Documents(usize),
    /// A module's filters and endpoints.
    Endpoints(usize),
}

impl Piece {
    /// The module whose file the piece belongs to; `None` for `common.rs`.
    fn module(self) -> Option<usize> {
        match self {
            Piece::Common(..) => None,
            Piece::Uses(module) => module,
            Piece::Items(i, ..) | Piece::Documents(i) | Piece::Endpoints(i) => Some(i),
        }
    }
}

/// What every piece is rendered from.
struct Context<'a> {
    modules: &'a [Module],
    entities: &'a [Option<&'a Entity>],
    lookups: &'a [Lookup<'a>],
    shared: &'a BTreeMap<String, (usize, Vec<usize>)>,
    common: &'a [(&'a String, &'a (usize, Vec<usize>))],
    kept: &'a [Vec<usize>],
}

impl Context<'_> {
    /// The text of one piece of module `module` (or of `common`).
    fn render(&self, piece: Piece, paths: &Paths) -> Result<String> {
        let mut tokens = TokenStream::new();
        match piece {
            Piece::Common(start, end) => {
                for &(name, (first, members)) in &self.common[start..end] {
                    let module = &self.modules[*first];
                    let item = module
                        .items
                        .iter()
                        .find(|i| &i.name == name)
                        .expect("shared items exist");
                    let mut item = item.clone();
                    let sources: Vec<String> = members
                        .iter()
                        .map(|&m| format!("`{}`", self.modules[m].source))
                        .collect();
                    item.doc = item.doc.replace(
                        &format!("in `{}`.", module.source),
                        &format!("in {}.", sources.join(", ")),
                    );
                    tokens.extend(emit::item_tokens(&item, &self.lookups[*first], paths));
                }
                return emit::render(tokens, "common");
            }
            Piece::Uses(module) => {
                // Generated code names the runtime through one alias, `rt` (see `qps_runtime::__private`). Not
                // every file needs it.
                tokens.extend(runtime_import(&paths.runtime));
                if let Some(i) = module {
                    let up = "super::".repeat(self.modules[i].path.len());
                    let path: TokenStream = format!("{up}common")
                        .parse()
                        .expect("module paths are identifiers");
                    let names: Vec<syn::Ident> = self
                        .shared
                        .iter()
                        .filter(|(_, (_, members))| members.contains(&i))
                        .map(|(name, _)| format_ident!("{}", name))
                        .collect();
                    if !names.is_empty() {
                        tokens.extend(quote!(pub use #path::{#(#names),*};));
                    }
                }
            }
            Piece::Items(i, start, end) => {
                let module = &self.modules[i];
                for &k in &self.kept[i][start..end] {
                    tokens.extend(emit::item_tokens(&module.items[k], &self.lookups[i], paths));
                }
            }
            Piece::Documents(i) => {
                for document in &self.modules[i].documents {
                    tokens.extend(emit::document_tokens(document, &self.lookups[i]));
                }
            }
            Piece::Endpoints(i) => {
                if let Some(entity) = self.entities[i] {
                    tokens = endpoints::entity_tokens(entity, &self.modules[i], &self.lookups[i])?;
                }
            }
        }
        let module = piece
            .module()
            .map_or_else(|| "common".to_owned(), |i| self.modules[i].path.join("::"));
        emit::render(tokens, &module)
    }
}

/// Whether two items are the same type: equal apart from their docs (whose origin line names the schema) and
/// where they were declared.
fn same_shape(a: &Item, b: &Item) -> bool {
    a.name == b.name
        && a.xml_name == b.xml_name
        && a.root_element == b.root_element
        && a.root_namespace == b.root_namespace
        && a.kind == b.kind
}

/// `use <runtime>::__private as rt;`: how generated code reaches the runtime.
fn runtime_import(runtime: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use #runtime::__private as rt;
    }
}

fn header(source: &str, body: &str) -> String {
    format!(
        "// @generated by qps-codegen from {source}. Do not edit: change the schema and regenerate.\n\n{body}"
    )
}

/// Items identical (same tokens, same dependencies) in two or more modules: name -> (first module, members).
fn shared_items(modules: &[Module]) -> BTreeMap<String, (usize, Vec<usize>)> {
    // Only names declared by several modules can be shared.
    let mut declared: HashMap<&str, usize> = HashMap::new();
    for m in modules {
        for item in &m.items {
            *declared.entry(item.name.as_str()).or_default() += 1;
        }
    }
    // Group the declarations of each name by shape: the same IR apart from doc and source position.
    let mut groups: BTreeMap<String, Vec<(&Item, Vec<usize>)>> = BTreeMap::new();
    for (i, m) in modules.iter().enumerate() {
        for item in m
            .items
            .iter()
            .filter(|item| declared[item.name.as_str()] > 1)
        {
            let shapes = groups.entry(item.name.clone()).or_default();
            match shapes.iter_mut().find(|(first, _)| same_shape(first, item)) {
                Some((_, members)) => members.push(i),
                None => shapes.push((item, vec![i])),
            }
        }
    }
    let groups = groups.into_iter().flat_map(|(name, shapes)| {
        shapes
            .into_iter()
            .map(move |(_, members)| (name.clone(), members))
    });
    // For each name, the largest group of at least two modules (first in module order on ties).
    let mut best: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (name, members) in groups {
        if members.len() < 2 {
            continue;
        }
        match best.get(&name) {
            Some(current)
                if current.len() > members.len()
                    || (current.len() == members.len() && current[0] <= members[0]) => {}
            _ => {
                best.insert(name, members);
            }
        }
    }
    // An item can be shared only if everything it refers to is shared by the same modules.
    loop {
        let mut removed = false;
        let names: Vec<String> = best.keys().cloned().collect();
        for name in names {
            let members = best[&name].clone();
            let item = modules[members[0]]
                .items
                .iter()
                .find(|i| i.name == name)
                .expect("exists");
            let ok = item.references().iter().all(|r| {
                best.get(r)
                    .is_some_and(|m| members.iter().all(|x| m.contains(x)))
            });
            if !ok {
                best.remove(&name);
                removed = true;
            }
        }
        if !removed {
            break;
        }
    }
    best.into_iter()
        .map(|(name, members)| (name, (members[0], members)))
        .collect()
}
