//! Stage 1: read XSD files into a faithful schema model ([`SchemaSet`]) that keeps file:line:col for every
//! node. It follows `xs:include` and `xs:import`, resolves prefixes to namespaces, and knows nothing of Rust.

mod load;
mod model;
mod parse;

pub use load::{Cache, load_with};
pub use model::*;
