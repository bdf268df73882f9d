//! `generated/` holds exactly what the generator produces from `schemas/` now.

mod support;

#[test]
fn generated_dir_matches_the_schemas() {
    let root = support::root();
    let generated = qps_codegen::Builder::new()
        .schema_dir(root.join("schemas"))
        .catalog(root.join("schemas/endpoints.toml"))
        .generate()
        .expect("the bundled schemas generate");
    if let Err(report) = generated.check_snapshot(
        &root.join("generated"),
        "cargo run -p qps-codegen -- generate schemas --catalog schemas/endpoints.toml -o generated",
    ) {
        panic!("{report}");
    }
}

#[test]
fn generation_is_deterministic() {
    let root = support::root();
    let run = || {
        qps_codegen::Builder::new()
            .schema_dir(root.join("schemas"))
            .generate()
            .expect("generates")
            .files
    };
    assert_eq!(run(), run());
}

#[test]
fn build_script_output_is_the_checked_in_output() {
    // The crate compiled the OUT_DIR copy; it must be the same bytes as generated/.
    let out_dir = std::path::Path::new(env!("OUT_DIR"));
    let root = support::root();
    for entry in [
        "mod.rs",
        "common.rs",
        "was/webapp.rs",
        "saq/questionnaire.rs",
        "am/awsassetdataconnector.rs",
    ] {
        let built = std::fs::read_to_string(out_dir.join(entry)).unwrap();
        let checked_in = std::fs::read_to_string(root.join("generated").join(entry)).unwrap();
        assert!(
            built == checked_in,
            "{entry} differs between OUT_DIR and generated/"
        );
    }
}
