//! A substitution group is one enum, named after its head and shared by every reference to the head: large
//! schema sets reference a head with hundreds of members from many types, and an enum per reference would
//! repeat every member each time.

use qps_codegen::Builder;

const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:subst" xmlns="urn:subst" elementFormDefault="qualified">
  <xs:complexType name="Shape"><xs:attribute name="id" type="xs:int"/></xs:complexType>
  <xs:element name="shape" type="Shape" abstract="true"/>
  <xs:element name="circle" type="Shape" substitutionGroup="shape"/>
  <xs:element name="square" type="Shape" substitutionGroup="shape"/>
  <xs:element name="polygon" type="Shape" abstract="true" substitutionGroup="shape"/>
  <xs:element name="triangle" type="Shape" substitutionGroup="polygon"/>
  <xs:element name="drawing">
    <xs:complexType><xs:sequence>
      <xs:element ref="shape" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="frame">
    <xs:complexType><xs:sequence>
      <xs:element name="title" type="xs:string"/>
      <xs:element ref="shape" minOccurs="0"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="gallery">
    <xs:complexType><xs:sequence>
      <xs:element ref="polygon" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>"#;

fn generate() -> String {
    let dir = std::env::temp_dir().join(format!("qps-codegen-subst-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("shapes.xsd"), SCHEMA).unwrap();
    let generated = Builder::new()
        .plain_xsd()
        .schema_dir(&dir)
        .generate()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    generated
        .files
        .values()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_reference_to_a_head_shares_one_enum_of_its_members() {
    let code = generate();
    assert_eq!(
        code.matches("pub enum ShapeSubstitution {").count(),
        1,
        "{code}"
    );
    // Both references use it: a list where the reference repeats, an option where it is optional.
    assert!(
        code.contains("pub choice: Vec<ShapeSubstitution>,"),
        "{code}"
    );
    assert!(
        code.contains("pub choice: Option<ShapeSubstitution>,"),
        "{code}"
    );
    assert!(
        !code.contains("DrawingChoice") && !code.contains("FrameChoice"),
        "{code}"
    );
    // Membership is transitive and abstract elements are left out.
    let shapes = enum_body(&code, "ShapeSubstitution");
    for member in ["Circle(", "Square(", "Triangle("] {
        assert!(shapes.contains(member), "{member} missing from {shapes}");
    }
    assert!(
        !shapes.contains("Polygon(") && !shapes.contains("Shape("),
        "{shapes}"
    );
    // A head inside the group gets its own enum, of its own members.
    let polygons = enum_body(&code, "PolygonSubstitution");
    assert!(
        polygons.contains("Triangle(") && !polygons.contains("Circle("),
        "{polygons}"
    );
}

fn enum_body<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let end = start + code[start..].find("\n}").unwrap();
    &code[start..end]
}
