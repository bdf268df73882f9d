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

/// A schema nested `levels` deep (anonymous types), in memory as `deep.xsd`.
fn deep(levels: usize) -> Builder {
    let mut body = String::new();
    for _ in 0..levels {
        body.push_str(r#"<xs:element name="level"><xs:complexType><xs:sequence minOccurs="0">"#);
    }
    body.push_str(r#"<xs:element name="leaf" type="xs:string"/>"#);
    for _ in 0..levels {
        body.push_str("</xs:sequence></xs:complexType></xs:element>");
    }
    let schema = format!(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="root"><xs:complexType><xs:sequence>{body}</xs:sequence></xs:complexType></xs:element></xs:schema>"#
    );
    Builder::new()
        .plain_xsd()
        .source("deep.xsd", schema)
        .schema("deep.xsd")
}

#[test]
fn generations_on_one_pipeline_thread_write_what_generate_writes() {
    // Deep nesting (the stages recurse along it): on the pipeline thread,
    // each generation runs there, one after another, and writes what a generation on its own thread writes.
    let alone = deep(118).generate().expect("generate on its own thread");
    let (first, second, panicked) = qps_codegen::on_pipeline_stack(|| {
        let first = deep(118).generate().expect("first generation");
        let second = deep(118).threads(1).generate().expect("second generation");
        let panicked = std::panic::catch_unwind(|| {
            qps_codegen::on_pipeline_stack(|| -> () { panic!("inside") })
        })
        .is_err();
        (first, second, panicked)
    });
    assert_eq!(first.files, alone.files);
    assert_eq!(second.files, alone.files);
    assert!(panicked, "a panic inside resumes on the caller");
}
