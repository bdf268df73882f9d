//! The pipeline's thread count changes how fast it runs, never what it writes.

use qps_codegen::Builder;

/// The bundled schemas and catalog, from the repository root.
fn bundled() -> Builder {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    Builder::new()
        .schema_dir(root.join("schemas"))
        .catalog(root.join("schemas/endpoints.toml"))
}

#[test]
fn one_thread_writes_what_every_core_writes() {
    let every_core = bundled().generate().expect("generate on every core");
    for threads in [1, 3] {
        let counted = bundled()
            .threads(threads)
            .generate()
            .unwrap_or_else(|e| panic!("generate on {threads} threads: {e}"));
        assert_eq!(counted.files.len(), every_core.files.len());
        for (path, text) in &every_core.files {
            assert!(
                counted.files.get(path) == Some(text),
                "{} differs with {threads} threads",
                path.display()
            );
        }
        assert_eq!(counted.items, every_core.items);
    }
}
