//! The bundled XSDs are faithful: every seed sample validates against its schema, and every schema compiles.
//!
//! The oracle is `xmllint` (libxml2), which shares no code with the generator, so a schema bug cannot hide
//! behind a matching generator bug. These tests never skip: without xmllint they fail and say how to get it.

mod support;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use support::{SEED_SAMPLES, catalog, messages, root, schemas_dir, seed_samples, xmllint};

/// The exit status with which xmllint reports that a schema failed to compile.
const XMLLINT_SCHEMA_ERROR: i32 = 5;

#[test]
fn every_seed_sample_validates_against_its_xsd() {
    let catalog = catalog();
    let samples = seed_samples();
    let mut failures = Vec::new();
    for sample in &samples {
        let Some(entity) = catalog.entity(&sample.module, &sample.entity) else {
            failures.push(format!(
                "{}: no catalog entity {}/{}",
                sample.file_name, sample.module, sample.entity
            ));
            continue;
        };
        let xsd = schemas_dir()
            .join(&sample.module)
            .join(&entity.version)
            .join(format!("{}.xsd", sample.entity));
        if !xsd.is_file() {
            failures.push(format!(
                "{}: schema {} does not exist",
                sample.file_name,
                xsd.display()
            ));
            continue;
        }
        let output = xmllint(
            &[
                OsStr::new("--noout"),
                OsStr::new("--schema"),
                xsd.as_os_str(),
                sample.path.as_os_str(),
            ],
            None,
        );
        if !output.status.success() {
            failures.push(format!(
                "{} against {}:\n{}",
                sample.file_name,
                xsd.strip_prefix(root()).unwrap_or(&xsd).display(),
                messages(&output)
            ));
        }
    }
    let valid = samples.len() - failures.len();
    println!("{valid}/{} seed samples valid", samples.len());
    assert!(
        failures.is_empty(),
        "{valid}/{} seed samples valid; {} failed:\n\n{}",
        samples.len(),
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(
        samples.len(),
        SEED_SAMPLES,
        "expected {SEED_SAMPLES} seed samples in tests/fixtures/seed, so that none is skipped"
    );
}

fn xsd_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("read the schemas directory").path();
        if path.is_dir() {
            xsd_files(&path, found);
        } else if path.extension() == Some(OsStr::new("xsd")) {
            found.push(path);
        }
    }
}

#[test]
fn every_xsd_compiles() {
    let mut schemas = Vec::new();
    xsd_files(&schemas_dir(), &mut schemas);
    schemas.sort();

    let mut missing = Vec::new();
    for entity in &catalog().entities {
        let path = entity.schema_path(&schemas_dir());
        if !schemas.contains(&path) {
            missing.push(format!(
                "{}: missing (named by catalog entity {}/{}/{})",
                path.display(),
                entity.module,
                entity.version,
                entity.name
            ));
        }
    }

    // Validating a trivial document makes xmllint compile the schema first. An undeclared root element is
    // a validation error (status 3 or 4); only a schema that fails to compile gives status 5.
    let document = b"<qps-schema-compile-check/>";
    let mut failures = Vec::new();
    for schema in &schemas {
        let output = qps_xmllint::validate_output(schema, document);
        let text = messages(&output);
        let compile_error = output.status.code() == Some(XMLLINT_SCHEMA_ERROR)
            || text.contains("failed to compile")
            || text.contains("Schemas parser error")
            || output.status.code().is_none();
        if compile_error {
            failures.push(format!(
                "{} is not a valid schema:\n{text}",
                schema.strip_prefix(root()).unwrap_or(schema).display()
            ));
        }
    }
    println!(
        "{}/{} schemas compile",
        schemas.len() - failures.len(),
        schemas.len()
    );
    assert!(!schemas.is_empty(), "no .xsd found under schemas/");
    failures.extend(missing);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
