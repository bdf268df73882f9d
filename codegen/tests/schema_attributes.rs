//! Attributes of the schema's own elements are tokens, booleans and counts whose whitespace the schema for schemas
//! collapses: `use="required "`, `nillable=" 1"` and `maxOccurs=" unbounded "` mean what they say.

use qps_codegen::Builder;

/// The Rust text generated from `xsd`, written to a fresh file `name.xsd`.
fn generate(name: &str, xsd: &str) -> String {
    let dir = std::env::temp_dir().join(format!("qps-codegen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.xsd"));
    std::fs::write(&path, xsd).unwrap();
    let generated = Builder::new().plain_xsd().schema(&path).generate();
    let _ = std::fs::remove_dir_all(&dir);
    let generated = generated.unwrap_or_else(|e| panic!("{name}.xsd does not generate: {e}"));
    generated.files[std::path::Path::new(&format!("{name}.rs"))].clone()
}

#[test]
fn schema_attribute_values_are_whitespace_collapsed() {
    let text = generate(
        "spaced",
        r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault=" qualified ">
  <xs:element name=" item ">
    <xs:complexType mixed=" false ">
      <xs:sequence>
        <xs:element name="when" type=" xs:date " nillable=" 1 "/>
        <xs:element name="tag" type="xs:string" minOccurs=" 0 " maxOccurs=" unbounded "/>
      </xs:sequence>
      <xs:attribute name="kind" type="xs:string" use="required "/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#,
    );
    assert!(text.contains("pub struct Item {"), "{text}");
    // nillable="1": a required element that may be nil is an Option written as xsi:nil.
    assert!(text.contains("serde_text::nil"), "{text}");
    assert!(text.contains("pub when: Option<rt::xs::XmlDate>"), "{text}");
    assert!(text.contains("pub tag: Vec<String>"), "{text}");
    // use="required ": the attribute is not optional.
    assert!(text.contains("pub kind: String"), "{text}");
}

#[test]
fn xml_namespace_attributes_are_known_without_its_schema() {
    let text = generate(
        "labels",
        r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd"/>
  <xs:element name="label">
    <xs:complexType>
      <xs:simpleContent>
        <xs:extension base="xs:string">
          <xs:attribute ref="xml:lang" use="required"/>
          <xs:attribute ref="xml:space"/>
        </xs:extension>
      </xs:simpleContent>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#,
    );
    assert!(text.contains(r#"rename = "@xml:lang""#), "{text}");
    assert!(text.contains("pub xml_lang: String"), "{text}");
    assert!(text.contains("pub xml_space: Option<String>"), "{text}");
    assert!(
        text.contains(r#"b"xml:lang""#),
        "the reader matches the prefixed name: {text}"
    );
}
