//! `qps-codegen`: generates serde-annotated Rust types from XSD schemas, each with a direct event reader
//! (`FromXml`) and writer (`ToXml`) over the runtime, with a thin profile for Qualys QPS (envelope, collection
//! wrappers, endpoint catalog).
//!
//! The pipeline runs one way: [`xsd`] (parse into a schema model) -> [`ir`] (Rust-shaped types) -> [`qps`]
//! (Qualys conventions) -> [`emit`] (tokens, printed with prettyplease). [`Builder`] drives it from a `build.rs`.

mod builder;
pub mod catalog;
pub mod emit;
pub mod error;
pub mod ir;
pub mod qps;
pub mod xsd;

pub use builder::{Builder, Generated, ModuleLayout};
pub use error::{Error, Result};
