//! Stage 1: read XSD files into a faithful schema model ([`SchemaSet`]) that keeps file:line:col for every
//! node. It follows `xs:include` and `xs:import`, resolves prefixes to namespaces, and knows nothing of Rust.
//! Files come from a [`Source`]: the file system or memory. Input is bounded ([`Limits`]) the same way for both:
//! files under a size cap (regular files, on disk), inside the schema root, decoded from their declared encoding,
//! without a DOCTYPE, nested no deeper than a limit.

mod load;
mod model;
mod ncname;
mod parse;
mod read;
mod source;

pub use load::{Cache, load_with};
pub use model::*;
pub use read::Limits;
pub use source::{FileSystem, Memory, Source};
