//! Fuzz targets for the parts that read untrusted bytes, shared by the cargo-fuzz harness (`fuzz/`, nightly) and
//! the seeded mutation driver (`fuzz-stable`, stable):
//!
//! - [`Target::Schema`]: the bytes as an XSD, loaded, lowered and emitted by [`qps_codegen::Builder`] (plain XSD
//!   and the QPS profile);
//! - [`Target::ResponseReaders`]: the bytes through every generated reader of `qualys-qps` (`read_document`,
//!   serde's `from_str`, and the record stream [`ItemStream`](qualys_qps::runtime::envelope::ItemStream) over a
//!   slice and over a reader that hands out a few bytes at a time);
//! - [`Target::WhereFilter`]: the bytes as the text of `qps ... --where`, checked against every catalog entity;
//!   an accepted criterion must be written as well-formed XML that reads back to the same field, name and value.
//!
//! A target returns `Err` when an oracle check fails; a panic is caught by the driver ([`driver`]).

pub mod driver;
pub mod mutate;
mod readers;
mod schema;
pub mod seeds;
mod where_filter;

pub use readers::response_readers;
pub use schema::schema;
pub use where_filter::where_filter;

/// One fuzz target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// [`schema`].
    Schema,
    /// [`response_readers`].
    ResponseReaders,
    /// [`where_filter`].
    WhereFilter,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 3] = [Target::Schema, Target::ResponseReaders, Target::WhereFilter];

    /// The name, as the cargo-fuzz target and the driver's argument spell it.
    pub fn name(self) -> &'static str {
        match self {
            Target::Schema => "schema",
            Target::ResponseReaders => "response_readers",
            Target::WhereFilter => "where_filter",
        }
    }

    /// The target named `name`.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Runs the target on `data`; `Err` says which oracle check failed.
    pub fn run(self, data: &[u8]) -> Result<(), String> {
        match self {
            Target::Schema => schema(data),
            Target::ResponseReaders => response_readers(data),
            Target::WhereFilter => where_filter(data),
        }
    }
}
