//! The [`Builder`]: its options, and the run of the pipeline from a `build.rs`, the CLI or a test.

mod generated;
mod layout;
mod lowered;
mod parallel;

pub use parallel::on_pipeline_stack;
mod render;
mod share;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use generated::{DocumentRoot, Generated, UPDATE_SNAPSHOTS};

use crate::emit::Paths;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::qps::Qualys;
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
    /// The conventions layered on the plain XSD mapping: the Qualys profile, or none ([`Builder::plain_xsd`]).
    profile: Option<Qualys>,
    runtime: String,
    overrides: HashMap<String, String>,
    derives: Vec<String>,
    share_identical: bool,
    layout: ModuleLayout,
    rerun_if_changed: bool,
    non_exhaustive: bool,
    keep_unknown: bool,
    limits: xsd::Limits,
    /// The schema files given with [`Builder::source`]; none: schemas are read from the file system.
    memory: xsd::Memory,
    /// The most threads a stage runs on at once ([`Builder::threads`]); `None`: one per core.
    threads: Option<usize>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with the Qualys QPS profile on, the runtime at `::qps_runtime`, and identical types shared.
    pub fn new() -> Self {
        Builder {
            schemas: Vec::new(),
            catalog: None,
            out_dir: None,
            profile: Some(Qualys::default()),
            runtime: "::qps_runtime".to_owned(),
            overrides: HashMap::new(),
            derives: Vec::new(),
            share_identical: true,
            layout: ModuleLayout::Nested,
            rerun_if_changed: true,
            non_exhaustive: false,
            keep_unknown: false,
            limits: xsd::Limits::default(),
            memory: xsd::Memory::default(),
            threads: None,
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

    /// Adds a schema file held in memory, named `path`, in place of the file system: once one is given, the
    /// paths of [`Builder::schema`] and [`Builder::schema_dir`] and every `xs:include` and `xs:import` name files
    /// among those given this way (relative paths resolve as on disk: `parts/../a.xsd` is `a.xsd`), and no schema
    /// is read from disk. The same bounds apply (the schema root, [`Builder::max_schema_bytes`],
    /// [`Builder::max_schema_depth`], no DOCTYPE) and errors name `path` with line and column. Files held in memory
    /// are not listed in [`Generated::inputs`]. A second file of the same path replaces the first.
    ///
    /// ```
    /// let generated = qps_codegen::Builder::new()
    ///     .plain_xsd()
    ///     .source("types.xsd", r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
    ///         <xs:element name="note" type="xs:string"/></xs:schema>"#)
    ///     .source("main.xsd", r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
    ///         <xs:include schemaLocation="types.xsd"/></xs:schema>"#)
    ///     .schema("main.xsd")
    ///     .generate()
    ///     .expect("generate bindings");
    /// assert!(generated.files.contains_key(std::path::Path::new("main.rs")));
    /// ```
    pub fn source(mut self, path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> Self {
        self.memory.insert(path.as_ref(), bytes.as_ref());
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

    /// Turns the Qualys QPS profile off: plain XSD mapping, no collection wrappers, no endpoints. A catalog given
    /// as well is an error.
    pub fn plain_xsd(mut self) -> Self {
        self.profile = None;
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

    /// Whether generated structs and enums (enumerations, choices, unions, `xsi:type` families) are
    /// `#[non_exhaustive]` (default off). Off, a crate that uses the bindings builds a struct with a literal and
    /// `..Default::default()` and matches an enum exhaustively, so a schema's new element or enumeration value
    /// is a major change of the Rust API (what `qps-codegen diff` reports). On, a new field or variant is a minor
    /// change, but other crates build a struct only from `Default::default()`, setting its public fields one by
    /// one, and match enums with a wildcard arm. The attribute has no effect inside the crate that includes the
    /// generated code: it is for crates that publish the bindings (as `qualys-qps` does).
    pub fn non_exhaustive(mut self, on: bool) -> Self {
        self.non_exhaustive = on;
        self
    }

    /// Whether generated structs keep the child elements and attributes their schema does not declare (default
    /// off). On, every struct without an `xs:any` wildcard gets a field `unknown` (`Unknown` of the runtime;
    /// `unknown2` and so on where the name is taken) holding them as generic XML in document order: the
    /// generated writer puts them back where they were, serde writes them as the struct's own attributes and
    /// elements (in JSON, keys beside the others), and the readers still record them as drift. Off, they are
    /// skipped (and recorded as drift). Where a type has a wildcard, the wildcard takes them either way.
    pub fn keep_unknown(mut self, on: bool) -> Self {
        self.keep_unknown = on;
        self
    }

    /// The largest schema file read, in bytes (default 64 MiB); a larger one is an error. Only regular files are
    /// read as schemas.
    pub fn max_schema_bytes(mut self, bytes: u64) -> Self {
        self.limits.max_schema_bytes = bytes;
        self
    }

    /// How deep element declarations may nest (`xs:element` inside `xs:element`, default 128), checked before a
    /// file is parsed; deeper is an error. Elements of any kind nest at most `4 * depth + 16` levels.
    pub fn max_schema_depth(mut self, depth: usize) -> Self {
        self.limits.max_schema_depth = depth;
        self
    }

    /// Whether an `xs:include` or `xs:import` may name a file outside the schema root: the folder given to
    /// [`Builder::schema_dir`], or the folder of a file given to [`Builder::schema`] (default off: an error).
    pub fn allow_outside_schema_root(mut self, on: bool) -> Self {
        self.limits.allow_outside_schema_root = on;
        self
    }

    /// All three bounds on schema input at once ([`Builder::max_schema_bytes`], [`Builder::max_schema_depth`],
    /// [`Builder::allow_outside_schema_root`]).
    pub fn limits(mut self, limits: xsd::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The most threads the pipeline runs a stage on at once: loading and lowering the schema files, and
    /// rendering the output (default: one per core, as [`std::thread::available_parallelism`] reports). With 1,
    /// every stage runs on the one thread [`Builder::generate`] starts. A caller that already keeps every core
    /// busy (several generations at once, or a build script in a busy `cargo build`) saves the threads' start-up
    /// this way; the output is the same for any count. 0 is taken as 1.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
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

    /// Runs the whole pipeline in memory (on a thread of its own, whose stack fits the deepest schema the
    /// loader accepts).
    pub fn generate(&self) -> Result<Generated> {
        parallel::on_big_stack(|| self.generate_here())
    }

    fn generate_here(&self) -> Result<Generated> {
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
            non_exhaustive: self.non_exhaustive,
        };

        let profile = self.profile()?;
        let profile = profile.as_ref().map(|p| p as &dyn Profile);
        let (sets, modules) = self.lower_with(profile)?;
        // Files held in memory are not inputs `cargo:rerun-if-changed` could watch.
        let mut inputs: Vec<PathBuf> = if self.sources().on_disk() {
            sets.iter()
                .flat_map(|set| set.files.iter().map(|f| f.path.as_ref().clone()))
                .collect()
        } else {
            Vec::new()
        };
        if let Some(profile) = profile {
            inputs.extend(profile.inputs());
        }
        inputs.sort();
        inputs.dedup();
        render::emit_all(
            &modules,
            profile,
            &paths,
            self.share_identical,
            inputs,
            self.workers(),
        )
    }

    /// Where schema files are read from: the files given with [`Builder::source`], else the file system.
    fn sources(&self) -> &dyn xsd::Source {
        if self.memory.is_empty() {
            &xsd::FileSystem
        } else {
            &self.memory
        }
    }
}
