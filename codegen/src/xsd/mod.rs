//! Stage 1: read XSD files into a faithful schema model ([`SchemaSet`]) that keeps file:line:col for every
//! node. It follows `xs:include` and `xs:import`, resolves prefixes to namespaces, and knows nothing of Rust.

mod model;
mod parse;

pub use model::*;
pub use parse::{Cache, load_with};
