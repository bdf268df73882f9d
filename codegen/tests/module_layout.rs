//! How schema files map to modules: nested after their folders (the default) or flat.

use std::path::Path;

use qps_codegen::{Builder, Error, Generated, ModuleLayout};

/// Generates every schema under `dir` (plain XSD mapping) with `layout`.
fn generate(dir: &Path, layout: ModuleLayout) -> Result<Generated, Error> {
    Builder::new()
        .plain_xsd()
        .schema_dir(dir)
        .module_layout(layout)
        .generate()
}

/// A fresh directory holding `files` (path, schema text).
fn tree(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("qps-codegen-layout-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn schema(element: &str) -> String {
    format!(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"{element}\" type=\"xs:int\"/></xs:schema>"
    )
}

#[test]
fn nested_follows_the_folders_and_flat_does_not() {
    let dir = tree(
        "both",
        &[
            ("was/3.0/webapp.xsd", &schema("a")),
            ("am/2.0/connector.xsd", &schema("b")),
        ],
    );
    let nested = generate(&dir, ModuleLayout::Nested);
    let flat = generate(&dir, ModuleLayout::Flat);
    let _ = std::fs::remove_dir_all(&dir);
    let nested = nested.unwrap();
    assert!(nested.files.contains_key(Path::new("was/webapp.rs")));
    assert!(nested.files[Path::new("mod.rs")].contains("pub mod was {"));
    let flat = flat.unwrap();
    assert!(flat.files.contains_key(Path::new("webapp.rs")));
    assert!(flat.files.contains_key(Path::new("connector.rs")));
    assert!(!flat.files[Path::new("mod.rs")].contains("pub mod was"));
}

#[test]
fn flat_refuses_two_files_with_one_stem() {
    let dir = tree(
        "clash",
        &[
            ("v1/a/item.xsd", &schema("a")),
            ("v1/b/item.xsd", &schema("b")),
        ],
    );
    let flat = generate(&dir, ModuleLayout::Flat);
    let _ = std::fs::remove_dir_all(&dir);
    let error = flat.unwrap_err();
    assert!(
        matches!(&error, Error::Config(m) if m.contains("both map to module item")),
        "{error:?}"
    );
}
