//! Generates the bindings of `schemas/order.xsd` into `$OUT_DIR`, naming the runtime through the API crate's
//! re-export, as a crate that depends only on `qualys-qps` would.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(error) = qps_codegen::Builder::new()
        .plain_xsd()
        .runtime_crate("::qualys_qps::runtime")
        .schema_dir("schemas")
        .write()
    {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
