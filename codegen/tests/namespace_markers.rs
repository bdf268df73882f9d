//! Namespace marker types: a module written in namespaces declares the marker of exactly the namespaces its
//! fields and variants are written through, no more (an `xs:anyType` element or a required nillable element is
//! written by a function of its own) and no fewer.

use std::collections::BTreeSet;
use std::path::Path;

use qps_codegen::Builder;

/// The markers `text` declares (`struct NsF4FF99;`) and the ones it writes through (`serialize_in::<NsF4FF99`).
fn markers(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let after = |prefix: &str| -> BTreeSet<String> {
        text.match_indices(prefix)
            .map(|(at, _)| {
                let rest = &text[at + prefix.len() - 2..];
                let end = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                rest[..end].to_owned()
            })
            .collect()
    };
    (after("struct Ns"), after("::<Ns"))
}

/// The markers of the one module generated from `body` in the namespace `urn:n`.
fn generated(body: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let schema = format!(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:n\" xmlns:n=\"urn:n\" \
         elementFormDefault=\"qualified\">\n{body}\n</xs:schema>\n"
    );
    let out = Builder::new()
        .plain_xsd()
        .source("n.xsd", schema)
        .schema("n.xsd")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = &out.files[Path::new("n.rs")];
    markers(text)
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn a_plain_element_is_written_through_its_marker() {
    let (declared, used) = generated(
        r#"<xs:element name="doc"><xs:complexType><xs:sequence>
  <xs:element name="a" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element>"#,
    );
    assert_eq!(declared.len(), 1, "{declared:?}");
    assert_eq!(declared, used);
}

#[test]
fn an_any_type_element_and_variant_declare_no_marker() {
    let field = generated(
        r#"<xs:element name="doc"><xs:complexType><xs:sequence>
  <xs:element name="a" type="xs:anyType"/>
</xs:sequence></xs:complexType></xs:element>"#,
    );
    assert_eq!(field, (set(&[]), set(&[])));
    let variant = generated(
        r#"<xs:element name="doc"><xs:complexType><xs:choice>
  <xs:element name="a"/>
  <xs:element name="b" type="xs:anyType"/>
</xs:choice></xs:complexType></xs:element>"#,
    );
    assert_eq!(variant, (set(&[]), set(&[])));
}

#[test]
fn a_required_nillable_element_declares_no_marker_unless_it_is_text() {
    let complex = generated(
        r#"<xs:complexType name="Inner"><xs:sequence><xs:element name="x" type="xs:int" minOccurs="0"/></xs:sequence></xs:complexType>
<xs:element name="doc"><xs:complexType><xs:sequence>
  <xs:element name="a" type="n:Inner" nillable="true"/>
</xs:sequence></xs:complexType></xs:element>"#,
    );
    // `Inner`'s own element `x` is written through the marker; `doc`'s `a` is not.
    assert_eq!(complex.0.len(), 1, "{complex:?}");
    assert_eq!(complex.0, complex.1);
    let (declared, used) = generated(
        r#"<xs:element name="doc"><xs:complexType><xs:sequence>
  <xs:element name="a" type="n:Inner" nillable="true"/>
</xs:sequence></xs:complexType></xs:element>
<xs:complexType name="Inner"><xs:attribute name="x" type="xs:int"/></xs:complexType>"#,
    );
    assert_eq!((declared, used), (set(&[]), set(&[])));
    let text = generated(
        r#"<xs:element name="doc"><xs:complexType><xs:sequence>
  <xs:element name="a" type="xs:string" nillable="true"/>
</xs:sequence></xs:complexType></xs:element>"#,
    );
    assert_eq!(text.0.len(), 1, "{text:?}");
    assert_eq!(text.0, text.1);
}

#[test]
fn every_checked_in_module_declares_the_markers_it_uses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = 0;
    let mut with_markers = 0;
    for dir in [
        "generated",
        "fixtures/snapshots",
        "fixtures/qualys-2018/generated",
    ] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let (declared, used) = markers(&text);
                    assert_eq!(declared, used, "{}", path.display());
                    files += 1;
                    with_markers += usize::from(!declared.is_empty());
                }
            }
        }
    }
    assert!(
        files > 50 && with_markers > 5,
        "{files} files, {with_markers} with markers"
    );
}
