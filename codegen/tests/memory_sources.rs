//! Schema files given from memory (`Builder::source`): includes and imports resolve among them under the rules
//! of the file system (schema root, size cap, depth, DOCTYPE), errors name the file with line and column, and
//! the result is the one the same files on disk give.

use std::path::{Path, PathBuf};

use qps_codegen::{Builder, Error, Generated};

const HEAD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t""#;

fn schema(attrs: &str, body: &str) -> String {
    format!("{HEAD} {attrs}>\n{body}\n</xs:schema>\n")
}

/// A main schema in the root, including a chameleon part from a subfolder and importing a namespace that the
/// part imports again through `..`.
fn set() -> Vec<(&'static str, String)> {
    vec![
        (
            "main.xsd",
            schema(
                r#"targetNamespace="urn:m" xmlns:m="urn:m" elementFormDefault="qualified""#,
                r#"  <xs:include schemaLocation="parts/common.xsd"/>
  <xs:import namespace="urn:t" schemaLocation="./types.xsd"/>
  <xs:element name="Report">
    <xs:complexType><xs:sequence>
      <xs:element name="code" type="m:Code"/>
      <xs:element name="when" type="t:Stamp"/>
    </xs:sequence></xs:complexType>
  </xs:element>"#,
            ),
        ),
        (
            "parts/common.xsd",
            schema(
                "",
                r#"  <xs:import namespace="urn:t" schemaLocation="../types.xsd"/>
  <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="8"/></xs:restriction></xs:simpleType>"#,
            ),
        ),
        (
            "types.xsd",
            schema(
                r#"targetNamespace="urn:t""#,
                r#"  <xs:simpleType name="Stamp"><xs:restriction base="xs:dateTime"/></xs:simpleType>"#,
            ),
        ),
    ]
}

fn in_memory(files: &[(&str, String)]) -> Builder {
    files
        .iter()
        .fold(Builder::new().plain_xsd(), |builder, (path, text)| {
            builder.source(path, text)
        })
}

fn error_of(result: qps_codegen::Result<Generated>) -> Error {
    match result {
        Ok(_) => panic!("generated, expected an error"),
        Err(error) => error,
    }
}

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("qps-codegen-memory-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn on_disk(name: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = folder(name);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn includes_and_imports_resolve_within_the_set_as_on_disk() {
    let files = set();
    let from_memory = in_memory(&files)
        .schema("main.xsd")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = on_disk("same", &files);
    let from_disk = Builder::new()
        .plain_xsd()
        .schema(dir.join("main.xsd"))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_memory.files, from_disk.files);
    let main = &from_memory.files[Path::new("main.rs")];
    assert!(main.contains("pub struct Report"), "{main}");
    assert!(main.contains("Stamp"), "{main}");
    // Nothing on disk was read, so there is nothing for cargo to watch.
    assert!(from_memory.inputs.is_empty(), "{:?}", from_memory.inputs);
    assert_eq!(from_disk.inputs.len(), 3, "{:?}", from_disk.inputs);
}

#[test]
fn a_schema_dir_lists_the_files_held_in_memory() {
    let files = set();
    let from_memory = in_memory(&files)
        .schema_dir(".")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = on_disk("dir", &files);
    let from_disk = Builder::new()
        .plain_xsd()
        .schema_dir(&dir)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_memory.files, from_disk.files);
    assert!(
        from_memory
            .files
            .contains_key(Path::new("parts/common_.rs")),
        "{:?}",
        from_memory.files.keys()
    );
    let error = error_of(in_memory(&files).schema_dir("nowhere").generate());
    assert!(
        matches!(&error, Error::Io { path, .. } if path == Path::new("nowhere")),
        "{error:?}"
    );
}

#[test]
fn the_file_system_is_not_read_once_a_source_is_given() {
    let dir = on_disk("unread", &set());
    let error = error_of(
        in_memory(&set()[2..])
            .schema(dir.join("main.xsd"))
            .generate(),
    );
    let text = error.to_string();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(
        text.contains("main.xsd") && text.contains("not among the in-memory schema sources"),
        "{text}"
    );
    // An include of a file that is only on disk is not found.
    let main = schema("", r#"  <xs:include schemaLocation="types.xsd"/>"#);
    let error = error_of(
        Builder::new()
            .plain_xsd()
            .source(dir.join("main.xsd"), main)
            .schema(dir.join("main.xsd"))
            .generate(),
    );
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("{}:2:3: ", dir.join("main.xsd").display())),
        "{text}"
    );
    assert!(text.ends_with("types.xsd not found"), "{text}");
}

#[test]
fn an_include_outside_the_schema_root_needs_the_option() {
    let files = [
        (
            "root/a.xsd",
            schema(
                "",
                r#"  <xs:include schemaLocation="../shared/common.xsd"/>
  <xs:element name="a" type="Code"/>"#,
            ),
        ),
        (
            "shared/common.xsd",
            schema(
                "",
                r#"  <xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType>"#,
            ),
        ),
    ];
    let error = error_of(in_memory(&files).schema("root/a.xsd").generate());
    let text = error.to_string();
    assert_eq!(
        text,
        "root/a.xsd:2:3: shared/common.xsd is outside the schema root root \
         (allow_outside_schema_root permits it)"
    );
    in_memory(&files)
        .schema("root/a.xsd")
        .allow_outside_schema_root(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // Above the current folder, a relative root is left too.
    let files = [(
        "a.xsd",
        schema("", r#"  <xs:include schemaLocation="../b.xsd"/>"#),
    )];
    let error = error_of(in_memory(&files).schema("a.xsd").generate());
    let text = error.to_string();
    assert!(text.starts_with("a.xsd:2:3: ../b.xsd not found"), "{text}");
}

#[test]
fn the_size_cap_and_the_depth_limit_hold() {
    let big = schema("", &format!("<!--{}-->", "x".repeat(200)));
    let files = [
        (
            "a.xsd",
            schema("", r#"  <xs:include schemaLocation="big.xsd"/>"#),
        ),
        ("big.xsd", big),
    ];
    let error = error_of(
        in_memory(&files)
            .schema("a.xsd")
            .max_schema_bytes(200)
            .generate(),
    );
    let text = error.to_string();
    assert_eq!(
        text,
        "a.xsd:2:3: big.xsd: larger than the cap of 200 bytes (max_schema_bytes)"
    );
    let error = error_of(
        in_memory(&files)
            .schema("big.xsd")
            .max_schema_bytes(200)
            .generate(),
    );
    assert!(
        matches!(&error, Error::Input { path, .. } if path == Path::new("big.xsd")),
        "{error:?}"
    );

    let nested = schema(
        "",
        r#"  <xs:element name="a"><xs:complexType><xs:sequence>
    <xs:element name="b"><xs:complexType><xs:sequence>
      <xs:element name="c" type="xs:string"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>"#,
    );
    let files = [("deep.xsd", nested)];
    let error = error_of(
        in_memory(&files)
            .schema("deep.xsd")
            .max_schema_depth(1)
            .generate(),
    );
    assert_eq!(
        error.to_string(),
        "deep.xsd:3:5: element declarations nest deeper than 1 level (max_schema_depth)"
    );
    in_memory(&files)
        .schema("deep.xsd")
        .max_schema_depth(2)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_doctype_and_malformed_xml_are_located() {
    let doctype = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE xs:schema [<!ENTITY e 'x'>]>\n{}",
        schema("", "  &e;")
    );
    let error = error_of(in_memory(&[("d.xsd", doctype)]).schema("d.xsd").generate());
    let text = error.to_string();
    assert!(text.starts_with("d.xsd:2:1: "), "{text}");
    assert!(text.contains("DOCTYPE is not allowed"), "{text}");

    let broken = schema("", "  <xs:element name=\"a\">\n");
    let error = error_of(in_memory(&[("b.xsd", broken)]).schema("b.xsd").generate());
    assert!(
        matches!(&error, Error::Xml { path, line: 4, .. } if path == Path::new("b.xsd")),
        "{error:?}"
    );
}

#[test]
fn a_folder_of_the_set_is_not_read_as_a_schema() {
    let files = set();
    let error = error_of(in_memory(&files).schema("parts").generate());
    assert!(
        matches!(&error, Error::Input { path, reason } if path == Path::new("parts")
            && reason.contains("not a regular file")),
        "{error:?}"
    );
}
