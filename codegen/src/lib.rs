//! `qps-codegen`: generates serde-annotated Rust types from XSD schemas, each with a direct event reader
//! (`FromXml`) and writer (`ToXml`) over the runtime (`qps-runtime`), with a thin, optional profile for Qualys
//! QPS. [`Builder`] drives it from a `build.rs`, the `qps-codegen` binary or a test.
//!
//! The pipeline runs one way, one folder per stage:
//!
//! ```text
//! XSD files --xsd::load_with--> schema model (file:line:col) --ir::build_module--> IR (Rust-shaped items), per file
//!   --builder: module layout, items shared across modules--> emit (tokens -> syn::File -> prettyplease), per piece
//!   --> Generated { files } --> $OUT_DIR or a directory
//! ```
//!
//! - `xsd`: parses the schema files with roxmltree, follows includes and imports; knows nothing of Rust.
//! - `ir`: lowers the model to structs, enums and aliases with names, cardinalities and boxing, and analyses
//!   them (which types have checks to run).
//! - `emit`: the tokens of each item: the type with its serde attributes, its reader, its writer.
//! - `builder`: the options, the module tree, the sharing pass and the parallel render queue.
//! - `qps`: the Qualys profile, the only part that knows Qualys. The generic stages reach it through the
//!   `profile::Profile` trait: while lowering (collection wrappers), after lowering (the endpoint catalog against
//!   the modules), and when each module and the crate root are emitted (envelope impls, typed filters, endpoint
//!   stubs, the calls on a client). [`Builder::plain_xsd`] runs without it.
//!
//! Only [`Builder`], its options, its output ([`Generated`]: the files, the inputs read, the document roots
//! emitted) and its errors are the library's API; [`qps::catalog`] is public for tools
//! that read the endpoint catalog (the local QPS test server), and [`diff`] compares two schema sets (what
//! `qps-codegen diff` prints). With the `pull` feature (on by default), `pull` downloads the catalog's schemas
//! from a Qualys platform (what `qps-codegen pull` runs).

mod builder;
pub mod diff;
mod emit;
mod error;
mod ir;
mod loc;
mod profile;
#[cfg(feature = "pull")]
pub mod pull;
pub mod qps;
mod xsd;

pub use builder::{
    Builder, DocumentRoot, Generated, ModuleLayout, UPDATE_SNAPSHOTS, on_pipeline_stack,
};
pub use error::{Error, Result};
pub use loc::Loc;
pub use xsd::Limits;
