//! `qps-codegen diff OLD NEW`: what changed between two schema sets (and their endpoint catalogs), compared at
//! the level of the generator's model rather than as text, with a verdict for each change on three axes.
//!
//! - **reading**: does code generated from OLD still read every document valid under NEW? ([`Compat::Drift`]
//!   when it reads it but skips something new unread.)
//! - **writing**: is every document written by code generated from OLD valid under NEW?
//! - **api**: is code written against OLD's generated Rust still source-compatible, and which semver bump does
//!   the change call for ([`Bump`], after cargo's semver rules)?
//!
//! Generated structs and enums are not `#[non_exhaustive]` by default: users build structs with struct literals
//! and `..Default::default()` and match enums exhaustively, which the attribute would forbid outside the crate.
//! The api verdicts follow OLD's setting ([`DiffInput::non_exhaustive`], [`Builder::non_exhaustive`]): by
//! default a new public field or a new enum variant (also of an enumeration that keeps unknown values in
//! `Other`) is a major change, and with `#[non_exhaustive]` a minor one. A changed field type, and anything
//! removed, is major either way; a new type, module, action or filter field is minor. The typed filters' value
//! enums (`criteria_values!` in the runtime) are always exhaustive.
//!
//! ```no_run
//! use qps_codegen::diff::{Axis, DiffInput, diff};
//!
//! let old = DiffInput::new(["old/schemas"]).catalog("old/schemas/endpoints.toml");
//! let new = DiffInput::new(["schemas"]).catalog("schemas/endpoints.toml");
//! let report = diff(&old, &new)?;
//! print!("{}", report.render_table());
//! if report.breaks(Axis::Writing) {
//!     eprintln!("requests written by the old bindings may be refused");
//! }
//! # Ok::<(), qps_codegen::Error>(())
//! ```
//!
//! The stages, one file each: `walk` (load a side: IR modules, the source location of each declaration, the
//! catalog), `compare` (the changes of the schema model), `catalog` (the changes of the endpoint catalog),
//! `verdict` (the three verdicts of each kind of change), `table` and `json` (rendering).

mod catalog;
mod compare;
mod facets;
mod json;
mod table;
mod verdict;
mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::builder::{Builder, ModuleLayout};
use crate::error::Result;
use crate::xsd::Limits;

/// One side of a diff: schema files or directories, as `qps-codegen generate` takes them.
#[derive(Debug, Clone)]
pub struct DiffInput {
    /// Schema files or directories (directories are searched for `*.xsd`; modules follow the folders).
    pub schemas: Vec<PathBuf>,
    /// The endpoint catalog of this side, if any (Qualys profile only).
    pub catalog: Option<PathBuf>,
    /// The plain XSD mapping, without the Qualys conventions.
    pub plain: bool,
    /// How schema files map to modules.
    pub layout: ModuleLayout,
    /// Whether this side's structs and enums are generated `#[non_exhaustive]` ([`Builder::non_exhaustive`]).
    /// OLD's setting decides the api verdicts: with it, a new field or variant is a minor change.
    pub non_exhaustive: bool,
    /// The bounds on the schema files read ([`Builder::limits`]).
    pub limits: Limits,
}

impl DiffInput {
    /// The schema files or directories at `schemas`, with the Qualys profile, no catalog and nested modules.
    pub fn new<P: AsRef<Path>>(schemas: impl IntoIterator<Item = P>) -> Self {
        DiffInput {
            schemas: schemas
                .into_iter()
                .map(|p| p.as_ref().to_path_buf())
                .collect(),
            catalog: None,
            plain: false,
            layout: ModuleLayout::Nested,
            non_exhaustive: false,
            limits: Limits::default(),
        }
    }

    /// The endpoint catalog of this side.
    #[must_use]
    pub fn catalog(mut self, path: impl AsRef<Path>) -> Self {
        self.catalog = Some(path.as_ref().to_path_buf());
        self
    }

    /// Plain XSD mapping (`--plain`).
    #[must_use]
    pub fn plain(mut self, on: bool) -> Self {
        self.plain = on;
        self
    }

    /// How schema files map to modules (`--flat`).
    #[must_use]
    pub fn layout(mut self, layout: ModuleLayout) -> Self {
        self.layout = layout;
        self
    }

    /// The bounds on the schema files read (`--max-schema-bytes`, `--max-schema-depth`,
    /// `--allow-outside-schema-root`).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Structs and enums generated `#[non_exhaustive]` (`--non-exhaustive`).
    #[must_use]
    pub fn non_exhaustive(mut self, on: bool) -> Self {
        self.non_exhaustive = on;
        self
    }

    fn builder(&self) -> Builder {
        let mut builder = Builder::new()
            .module_layout(self.layout)
            .non_exhaustive(self.non_exhaustive)
            .limits(self.limits);
        for path in &self.schemas {
            builder = if path.is_dir() {
                builder.schema_dir(path)
            } else {
                builder.schema(path)
            };
        }
        if let Some(catalog) = &self.catalog {
            builder = builder.catalog(catalog);
        }
        if self.plain {
            builder = builder.plain_xsd();
        }
        builder
    }
}

/// Compares two schema sets: every change between `old` and `new`, with its verdicts. Either side that does not
/// load (a missing file, a schema the generator refuses, a bad catalog) is the generator's error for it.
pub fn diff(old: &DiffInput, new: &DiffInput) -> Result<Report> {
    let old = walk::Side::load(old)?;
    let new = walk::Side::load(new)?;
    let mut changes = compare::modules(&old, &new);
    changes.extend(catalog::changes(&old, &new));
    Ok(Report { changes })
}

/// The three axes a change is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Axis {
    /// Code generated from OLD reads every document valid under NEW.
    Reading,
    /// Every document written by code generated from OLD is valid under NEW.
    Writing,
    /// Code written against OLD's generated Rust still compiles (no major semver bump).
    Api,
}

impl Axis {
    /// `reading`, `writing` or `api`.
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Reading => "reading",
            Axis::Writing => "writing",
            Axis::Api => "api",
        }
    }
}

impl std::str::FromStr for Axis {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "reading" => Ok(Axis::Reading),
            "writing" => Ok(Axis::Writing),
            "api" => Ok(Axis::Api),
            other => Err(format!(
                "unknown axis {other:?}: expected reading, writing or api"
            )),
        }
    }
}

/// The reading or writing verdict of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Compat {
    /// Unaffected.
    Ok,
    /// Drift: still read, but something new is skipped unread, as the readers skip unknown elements and
    /// attributes (reading only).
    Drift,
    /// Broken: a document is refused, misread, or written invalid.
    Breaks,
}

impl Compat {
    /// `ok`, `drift` or `breaks`.
    pub fn as_str(self) -> &'static str {
        match self {
            Compat::Ok => "ok",
            Compat::Drift => "drift",
            Compat::Breaks => "breaks",
        }
    }
}

/// The semver bump a change of the generated Rust API calls for (cargo's semver rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// The generated Rust is unchanged (a patch release at most).
    None,
    /// Something is added that breaks no code written against OLD.
    Minor,
    /// Code written against OLD may no longer compile.
    Major,
}

impl Bump {
    /// `none`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A schema (a generated module) was added.
    ModuleAdded,
    /// A schema (a generated module) was removed.
    ModuleRemoved,
    /// A type (a generated item) was added.
    TypeAdded,
    /// A type was removed.
    TypeRemoved,
    /// A type became another kind of item (a struct became an enum, ...).
    TypeKindChanged,
    /// A child element was added to a type.
    ElementAdded,
    /// A child element was removed.
    ElementRemoved,
    /// An attribute was added.
    AttributeAdded,
    /// An attribute was removed.
    AttributeRemoved,
    /// Text content, a choice, or a wildcard was added.
    ContentAdded,
    /// Text content, a choice, or a wildcard was removed.
    ContentRemoved,
    /// minOccurs/maxOccurs (or `use=`) changed.
    OccurrenceChanged,
    /// The type of a field, an enumeration's base or a newtype's inner type changed.
    TypeChanged,
    /// The Rust name of a field changed while its XML name stayed.
    FieldRenamed,
    /// An enumeration value was added.
    EnumValueAdded,
    /// An enumeration value was removed.
    EnumValueRemoved,
    /// A facet other than enumeration changed (length, pattern, ranges, digits).
    FacetChanged,
    /// A `default=` value changed.
    DefaultChanged,
    /// A `fixed=` value changed.
    FixedChanged,
    /// An alternative of a choice, a union member or a type derived for `xsi:type` was added.
    VariantAdded,
    /// An alternative of a choice, a union member or a type derived for `xsi:type` was removed.
    VariantRemoved,
    /// A document element (a global element with a type of another name) was added.
    DocumentAdded,
    /// A document element was removed.
    DocumentRemoved,
    /// A catalog entity was added.
    EntityAdded,
    /// A catalog entity was removed.
    EntityRemoved,
    /// A catalog action was added.
    ActionAdded,
    /// A catalog action was removed.
    ActionRemoved,
    /// A catalog action's methods, id rule, body, response or paging changed.
    ActionChanged,
    /// A filter field was added to a catalog entity.
    FilterAdded,
    /// A filter field was removed.
    FilterRemoved,
    /// A filter field's value type changed.
    FilterTypeChanged,
    /// An operator was added to a filter field.
    OperatorAdded,
    /// An operator was removed from a filter field.
    OperatorRemoved,
    /// A keyword value was added to a filter field.
    FilterValueAdded,
    /// A keyword value was removed from a filter field.
    FilterValueRemoved,
}

impl Kind {
    /// The kind as JSON names it (`element-added`, ...).
    pub fn as_str(self) -> &'static str {
        use Kind::*;
        match self {
            ModuleAdded => "module-added",
            ModuleRemoved => "module-removed",
            TypeAdded => "type-added",
            TypeRemoved => "type-removed",
            TypeKindChanged => "type-kind-changed",
            ElementAdded => "element-added",
            ElementRemoved => "element-removed",
            AttributeAdded => "attribute-added",
            AttributeRemoved => "attribute-removed",
            ContentAdded => "content-added",
            ContentRemoved => "content-removed",
            OccurrenceChanged => "occurrence-changed",
            TypeChanged => "type-changed",
            FieldRenamed => "field-renamed",
            EnumValueAdded => "enum-value-added",
            EnumValueRemoved => "enum-value-removed",
            FacetChanged => "facet-changed",
            DefaultChanged => "default-changed",
            FixedChanged => "fixed-changed",
            VariantAdded => "variant-added",
            VariantRemoved => "variant-removed",
            DocumentAdded => "document-added",
            DocumentRemoved => "document-removed",
            EntityAdded => "entity-added",
            EntityRemoved => "entity-removed",
            ActionAdded => "action-added",
            ActionRemoved => "action-removed",
            ActionChanged => "action-changed",
            FilterAdded => "filter-added",
            FilterRemoved => "filter-removed",
            FilterTypeChanged => "filter-type-changed",
            OperatorAdded => "operator-added",
            OperatorRemoved => "operator-removed",
            FilterValueAdded => "filter-value-added",
            FilterValueRemoved => "filter-value-removed",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one side of a change stands: a file (relative to the directory given, or as given) and a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The schema or catalog file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One change, with its verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it is grouped under: the generated type (`was::webapp::Preferences`), the module, or the catalog
    /// entity (`catalog was/webapp`).
    pub group: String,
    /// What changed, as a path: `was::webapp::Preferences.verbose` (a field), `was::finding::Group::IgDiag` (a
    /// variant), `catalog was/webapp search` (an action).
    pub path: String,
    /// The kind of change.
    pub kind: Kind,
    /// The change in words (`optional element verbose (bool)`, `maxLength 256 -> 128`).
    pub detail: String,
    /// Where it stands in OLD (absent for an addition).
    pub old: Option<Place>,
    /// Where it stands in NEW (absent for a removal).
    pub new: Option<Place>,
    /// Does code generated from OLD read every document valid under NEW?
    pub reading: Compat,
    /// Is every document code generated from OLD writes valid under NEW?
    pub writing: Compat,
    /// The semver bump the generated Rust API's change calls for.
    pub api: Bump,
    /// Why the verdicts are what they are.
    pub why: String,
}

impl Change {
    /// Whether this change breaks `axis` (for [`Axis::Api`]: calls for a major bump).
    pub fn breaks(&self, axis: Axis) -> bool {
        match axis {
            Axis::Reading => self.reading == Compat::Breaks,
            Axis::Writing => self.writing == Compat::Breaks,
            Axis::Api => self.api == Bump::Major,
        }
    }
}

/// Every change between two schema sets, ordered by group, then as the schemas declare them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change breaks `axis` (what `--fail-on` exits 1 for).
    pub fn breaks(&self, axis: Axis) -> bool {
        self.changes.iter().any(|c| c.breaks(axis))
    }

    /// The semver bump the whole change calls for: the largest of its changes'.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| c.api)
            .max()
            .unwrap_or(Bump::None)
    }

    /// A readable table, one section per group, with `file:line` on both sides and a summary line.
    pub fn render_table(&self) -> String {
        table::render(self)
    }

    /// The report as JSON: `{"changes": [{"group", "path", "kind", "detail", "old": {"file", "line"} | null,
    /// "new": ..., "reading": "ok"|"drift"|"breaks", "writing": "ok"|"breaks", "api": "none"|"minor"|"major",
    /// "why"}], "summary": {"changes", "reading", "writing", "api"}}`, where the summary's `reading` and
    /// `writing` are the worst verdict of any change and its `api` the bump of the whole.
    pub fn render_json(&self) -> String {
        json::render(self)
    }

    fn worst(&self, axis: Axis) -> Compat {
        self.changes
            .iter()
            .map(|c| match axis {
                Axis::Reading => c.reading,
                _ => c.writing,
            })
            .max()
            .unwrap_or(Compat::Ok)
    }
}
