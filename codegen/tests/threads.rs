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

#[test]
fn the_cli_takes_a_job_count_and_refuses_zero() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = |jobs: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qps-codegen"))
            .current_dir(&root)
            .args(["check", "schemas", "--catalog", "schemas/endpoints.toml"])
            .args(["-o", "generated", "-j", jobs])
            .output()
            .unwrap()
    };
    // One thread writes exactly what is checked in (generated on every core).
    let one = check("1");
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let zero = check("0");
    assert_eq!(zero.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&zero.stderr);
    assert!(stderr.contains("--jobs"), "{stderr}");
}
