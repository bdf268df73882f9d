//! Schema input is bounded: only regular files under a size cap and inside the schema root are read, elements
//! nest no deeper than a limit, encodings are decoded or refused, names are NCNames, and a DOCTYPE is refused;
//! every refusal is a typed error naming the file (and line:col where there is one).

use std::path::{Path, PathBuf};

use qps_codegen::{Builder, Error, Generated};

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("qps-codegen-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `bytes` to `dir/name` and returns the path.
fn put(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

fn plain(path: &Path) -> Builder {
    Builder::new().plain_xsd().schema(path)
}

fn error_of(result: qps_codegen::Result<Generated>) -> Error {
    match result {
        Ok(_) => panic!("generated, expected an error"),
        Err(error) => error,
    }
}

const HEAD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">"#;

fn schema(body: &str) -> String {
    format!("{HEAD}\n{body}\n</xs:schema>\n")
}

#[test]
fn a_device_is_not_read_and_the_include_is_named() {
    let dir = folder("device");
    let path = put(
        &dir,
        "a.xsd",
        schema(r#"  <xs:include schemaLocation="/dev/zero"/>"#),
    );
    // Allowed outside the root, /dev/zero is still not a regular file.
    let error = error_of(plain(&path).allow_outside_schema_root(true).generate());
    let text = error.to_string();
    assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
    assert!(
        text.starts_with(&format!("{}:2:3: ", path.display())),
        "{text}"
    );
    assert!(
        text.contains("/dev/zero") && text.contains("not a regular file"),
        "{text}"
    );
}

#[test]
fn an_entry_schema_that_is_not_a_regular_file_is_refused() {
    let error = error_of(plain(Path::new("/dev/zero")).generate());
    assert!(
        matches!(&error, Error::Input { path, .. } if path == Path::new("/dev/zero")),
        "{error:?}"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused() {
    let dir = folder("cap");
    let text = schema(r#"  <xs:element name="a" type="xs:string"/>"#);
    let path = put(&dir, "a.xsd", &text);
    let cap = text.len() as u64 - 1;
    let error = error_of(plain(&path).max_schema_bytes(cap).generate());
    assert!(matches!(error, Error::Input { .. }), "{error:?}");
    assert!(
        error.to_string().contains(&format!("cap of {cap} bytes")),
        "{error}"
    );
    // Exactly at the cap it is read.
    plain(&path)
        .max_schema_bytes(cap + 1)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_include_outside_the_schema_root_needs_the_option() {
    let dir = folder("outside");
    put(
        &dir,
        "shared/common.xsd",
        schema(
            r#"  <xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType>"#,
        ),
    );
    let path = put(
        &dir,
        "root/a.xsd",
        schema(
            r#"  <xs:include schemaLocation="../shared/common.xsd"/>
  <xs:element name="a" type="Code"/>"#,
        ),
    );
    let error = error_of(plain(&path).generate());
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("{}:2:3: ", path.display())),
        "{text}"
    );
    assert!(
        text.contains("outside the schema root") && text.contains("allow_outside_schema_root"),
        "{text}"
    );
    plain(&path)
        .allow_outside_schema_root(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // Inside a schema_dir root, a sibling folder is fine.
    Builder::new()
        .plain_xsd()
        .schema_dir(&dir)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}

/// An element with `levels` nested anonymous complex types, each holding one element `level`.
fn nested(levels: usize) -> String {
    let mut body = String::new();
    for _ in 0..levels {
        body.push_str("<xs:element name=\"level\"><xs:complexType><xs:sequence minOccurs=\"0\">\n");
    }
    body.push_str("<xs:element name=\"leaf\" type=\"xs:string\"/>\n");
    for _ in 0..levels {
        body.push_str("</xs:sequence></xs:complexType></xs:element>\n");
    }
    schema(&body)
}

#[test]
fn deep_nesting_generates_with_short_names() {
    let dir = folder("deep");
    let path = put(&dir, "deep.xsd", nested(120));
    let generated = plain(&path).generate().unwrap_or_else(|e| panic!("{e}"));
    let code = &generated.files[Path::new("deep.rs")];
    let mut types = 0;
    for line in code.lines() {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("pub struct ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            assert!(
                name.len() <= 64,
                "type name of {} bytes: {name}",
                name.len()
            );
            types += 1;
        }
    }
    assert!(types >= 120, "{types} structs for 120 levels");
    assert!(generated.items >= 120, "{}", generated.items);
}

#[test]
fn nesting_over_the_depth_limit_is_an_error_before_parsing() {
    let dir = folder("too-deep");
    let path = put(&dir, "deep.xsd", nested(500));
    let error = error_of(plain(&path).generate());
    let text = error.to_string();
    assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
    // The 129th declaration: the leaf's ancestors start on line 2.
    assert!(
        text.starts_with(&format!("{}:130:1: ", path.display())),
        "{text}"
    );
    assert!(text.contains("deeper than 128 levels"), "{text}");
    // The limit is configurable.
    let error = error_of(plain(&path).max_schema_depth(10).generate());
    assert!(
        error.to_string().contains("deeper than 10 levels"),
        "{error}"
    );
}

#[test]
fn other_nesting_is_bounded_too() {
    let dir = folder("deep-sequences");
    let mut body = String::from("<xs:complexType name=\"T\">");
    body.push_str(&"<xs:sequence>".repeat(2000));
    body.push_str(&"</xs:sequence>".repeat(2000));
    body.push_str("</xs:complexType>");
    let path = put(&dir, "deep.xsd", schema(&body));
    let error = error_of(plain(&path).generate());
    assert!(
        error.to_string().contains("deeper than 528 levels"),
        "{error}"
    );
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

#[test]
fn utf16_with_a_bom_is_read() {
    let dir = folder("utf16");
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{}",
        schema(
            r#"  <xs:element name="größe"><xs:annotation><xs:documentation>Größe in €</xs:documentation></xs:annotation><xs:simpleType><xs:restriction base="xs:string"/></xs:simpleType></xs:element>"#
        )
    );
    let path = put(&dir, "wide.xsd", utf16le_with_bom(&text));
    let generated = plain(&path).generate().unwrap_or_else(|e| panic!("{e}"));
    let code = &generated.files[Path::new("wide.rs")];
    assert!(code.contains("Größe in €"), "{code}");
    // Errors keep their line and column in the decoded text.
    let broken = text.replace(r#"name="größe""#, r#"name="a b""#);
    let path = put(&dir, "wide.xsd", utf16le_with_bom(&broken));
    let error = error_of(plain(&path).generate());
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:3:3: ", path.display())),
        "{error}"
    );
}

#[test]
fn a_declared_single_byte_encoding_is_decoded() {
    let dir = folder("latin1");
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n{}",
        schema(
            r#"  <xs:element name="a" type="xs:string"><xs:annotation><xs:documentation>Größe</xs:documentation></xs:annotation></xs:element>"#
        )
    );
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let path = put(&dir, "latin.xsd", bytes);
    let generated = plain(&path).generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.files[Path::new("latin.rs")].contains("Größe"));
}

#[test]
fn an_unsupported_encoding_is_refused() {
    let dir = folder("encoding");
    let path = put(
        &dir,
        "a.xsd",
        format!(
            "<?xml version=\"1.0\" encoding=\"X-NOT-AN-ENCODING\"?>\n{}",
            schema("")
        ),
    );
    let error = error_of(plain(&path).generate());
    assert!(matches!(error, Error::Input { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("unsupported encoding X-NOT-AN-ENCODING"),
        "{error}"
    );
    // UTF-16 declared but without a BOM cannot be read as declared.
    let path = put(
        &dir,
        "b.xsd",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{}",
            schema("")
        ),
    );
    let error = error_of(plain(&path).generate());
    assert!(
        error.to_string().contains("unsupported encoding UTF-16"),
        "{error}"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_located() {
    let dir = folder("bad-utf8");
    let mut bytes =
        schema("  <xs:element name=\"a\" type=\"xs:string\"/>\n  <!-- x -->").into_bytes();
    let at = bytes.windows(3).position(|w| w == b" x ").unwrap();
    bytes[at + 1] = 0xFF;
    let path = put(&dir, "a.xsd", bytes);
    let error = error_of(plain(&path).generate());
    assert!(
        matches!(
            error,
            Error::Xml {
                line: 3,
                col: 8,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn names_that_are_not_ncnames_are_errors() {
    let dir = folder("ncname");
    let cases = [
        (r#"<xs:element name="" type="xs:string"/>"#, "\"\""),
        (r#"<xs:element name="a b" type="xs:string"/>"#, "\"a b\""),
        (r#"<xs:complexType name="c:d"/>"#, "\"c:d\""),
        (
            r#"<xs:simpleType name="1x"><xs:restriction base="xs:string"/></xs:simpleType>"#,
            "\"1x\"",
        ),
        (
            r#"<xs:group name="g h"><xs:sequence/></xs:group>"#,
            "\"g h\"",
        ),
        (r#"<xs:attributeGroup name="a:g"/>"#, "\"a:g\""),
        (
            r#"<xs:complexType name="T"><xs:attribute name="x y" type="xs:string"/></xs:complexType>"#,
            "\"x y\"",
        ),
    ];
    for (i, (body, shown)) in cases.iter().enumerate() {
        let path = put(&dir, &format!("n{i}.xsd"), schema(&format!("  {body}")));
        let error = error_of(plain(&path).generate());
        let text = error.to_string();
        assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
        assert!(
            text.starts_with(&format!("{}:2:", path.display())),
            "{text}"
        );
        assert!(
            text.contains(&format!("{shown} is not an NCName")),
            "{text}"
        );
    }
}

#[test]
fn a_doctype_is_refused() {
    let dir = folder("doctype");
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE xs:schema [<!ENTITY e '<xs:element name=\"injected\" type=\"xs:string\"/>'>]>\n{}",
        schema("  &e;")
    );
    let path = put(&dir, "a.xsd", text);
    let error = error_of(plain(&path).generate());
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("{}:2:1: ", path.display())),
        "{text}"
    );
    assert!(text.contains("DOCTYPE is not allowed"), "{text}");
}

#[test]
fn types_nested_deeper_than_rustc_compiles_are_an_error() {
    // Within the declaration limit, but a chain of more than 120 types rustc's drop check overflows on.
    let dir = folder("type-depth");
    let path = put(&dir, "deep.xsd", nested(126));
    let error = error_of(plain(&path).generate());
    let text = error.to_string();
    assert!(matches!(error, Error::Invalid { .. }), "{error:?}");
    let at = text
        .strip_prefix(&format!("{}:", path.display()))
        .and_then(|rest| rest.split_once(": "))
        .map(|(at, _)| at.to_owned())
        .unwrap_or_default();
    assert!(
        at.split(':').all(|n| n.parse::<u32>().is_ok()) && at.contains(':'),
        "{text}"
    );
    assert!(
        text.contains("more than the 120 rustc can compile"),
        "{text}"
    );
}
