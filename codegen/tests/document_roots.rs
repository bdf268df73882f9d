//! `Generated::roots`: the document roots a run emitted, so that a tool can pick the type of a document by its
//! document element.

use qps_codegen::{Builder, DocumentRoot};

const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:roots" xmlns="urn:roots" elementFormDefault="qualified">
  <xs:complexType name="Order"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
  <xs:element name="Order" type="Order"/>
  <xs:element name="purchase" type="Order"/>
  <xs:element name="note">
    <xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="count" type="xs:int"/>
  <xs:element name="abstractHead" type="Order" abstract="true"/>
</xs:schema>"#;

#[test]
fn every_global_element_that_can_be_a_document_is_listed_with_its_type() {
    let dir = std::env::temp_dir().join(format!("qps-codegen-roots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).unwrap();
    std::fs::write(dir.join("shop/orders.xsd"), SCHEMA).unwrap();
    let generated = Builder::new()
        .plain_xsd()
        .schema_dir(&dir)
        .generate()
        .unwrap();
    let mut roots: Vec<(String, String, Option<String>)> = generated
        .roots
        .iter()
        .map(|r| (r.path(), r.element.clone(), r.namespace.clone()))
        .collect();
    roots.sort();
    let ns = Some("urn:roots".to_owned());
    assert_eq!(
        roots,
        vec![
            ("shop::orders::Count".into(), "count".into(), ns.clone()),
            ("shop::orders::Note".into(), "note".into(), ns.clone()),
            ("shop::orders::Order".into(), "Order".into(), ns.clone()),
            (
                "shop::orders::Purchase".into(),
                "purchase".into(),
                ns.clone()
            ),
        ]
    );
    // Each listed type is emitted with its `RootElement` impl, in the module's file.
    for root in &generated.roots {
        let file =
            &generated.files[&std::path::PathBuf::from(format!("{}.rs", root.module.join("/")))];
        assert!(
            file.contains(&format!("impl rt::RootElement for {} {{", root.rust_type)),
            "{root:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_schema_without_global_elements_has_no_roots() {
    let dir = std::env::temp_dir().join(format!("qps-codegen-noroots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("types.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType></xs:schema>"#,
    )
    .unwrap();
    let generated = Builder::new()
        .plain_xsd()
        .schema_dir(&dir)
        .generate()
        .unwrap();
    assert_eq!(generated.roots, Vec::<DocumentRoot>::new());
    let _ = std::fs::remove_dir_all(&dir);
}
