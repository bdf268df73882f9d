//! Stage 1: read XSD files into a faithful schema model ([`SchemaSet`]) that keeps file:line:col for every
//! node. It follows `xs:include` and `xs:import`, resolves prefixes to namespaces, and knows nothing of Rust.
//! Input is bounded ([`Limits`]): regular files under a size cap, inside the schema root, decoded from their
//! declared encoding, without a DOCTYPE, nested no deeper than a limit.

mod load;
mod model;
mod ncname;
mod parse;
mod read;

pub use load::{Cache, load_with};
pub use model::*;
pub use read::Limits;
