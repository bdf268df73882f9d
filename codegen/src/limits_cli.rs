//! The schema-input limits every command that reads schemas takes (`generate`, `check`, `diff`, `pull`).

use qps_codegen::Limits;

/// Bounds on the schema files read.
#[derive(clap::Args, Debug, Clone, Copy)]
pub(crate) struct LimitArgs {
    /// The largest schema file read (or downloaded), in bytes.
    #[arg(long, default_value_t = Limits::default().max_schema_bytes)]
    max_schema_bytes: u64,
    /// How deep element declarations may nest.
    #[arg(long, default_value_t = Limits::default().max_schema_depth)]
    max_schema_depth: usize,
    /// Follow includes and imports that name files outside the folder of the schemas given.
    #[arg(long)]
    allow_outside_schema_root: bool,
}

impl LimitArgs {
    /// The limits as the library takes them.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_schema_bytes: self.max_schema_bytes,
            max_schema_depth: self.max_schema_depth,
            allow_outside_schema_root: self.allow_outside_schema_root,
        }
    }
}
