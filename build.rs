//! Regenerates the bindings from `schemas/` into `$OUT_DIR` (see `src/lib.rs`). Cargo reruns this script only
//! when a schema, the catalog or this file changes.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=schemas");
    if let Err(error) = qps_codegen::Builder::new()
        .schema_dir("schemas")
        .catalog("schemas/endpoints.toml")
        .write()
    {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
