//! `Builder::keep_unknown`: which structs get the field that keeps unknown content, under which name, and that
//! the option off leaves the output as it was. (The content's round trip is tested in `fixtures/tests/keep.rs`.)

use qps_codegen::Builder;

const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="Plain"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
  <xs:complexType name="Taken">
    <xs:sequence><xs:element name="unknown" type="xs:string"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="Open">
    <xs:sequence>
      <xs:element name="id" type="xs:int"/>
      <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OpenList">
    <xs:choice maxOccurs="unbounded">
      <xs:element name="a" type="xs:int"/>
      <xs:any processContents="lax"/>
    </xs:choice>
  </xs:complexType>
  <xs:element name="Plain" type="Plain"/>
</xs:schema>"#;

/// The generated file of `SCHEMA`, with `keep_unknown` as `keep` says.
fn generate(keep: bool) -> String {
    let dir = std::env::temp_dir().join(format!("qps-codegen-keep-{}-{keep}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kept.xsd"), SCHEMA).unwrap();
    let generated = Builder::new()
        .plain_xsd()
        .keep_unknown(keep)
        .schema_dir(&dir)
        .generate()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    generated
        .files
        .iter()
        .find(|(path, _)| path.ends_with("kept.rs"))
        .map(|(_, text)| text.clone())
        .expect("kept.rs generated")
}

/// The text of `pub struct name { ... }` in `file`.
fn struct_text<'a>(file: &'a str, name: &str) -> &'a str {
    let start = file
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("no struct {name}"));
    let end = start + file[start..].find("\n}\n").unwrap();
    &file[start..end]
}

#[test]
fn structs_without_a_wildcard_get_the_field() {
    let file = generate(true);
    assert!(struct_text(&file, "Plain").contains("pub unknown: rt::Unknown,"));
    // The name is taken by an element: the next free one.
    let taken = struct_text(&file, "Taken");
    assert!(taken.contains("pub unknown: String,"), "{taken}");
    assert!(taken.contains("pub unknown2: rt::Unknown,"), "{taken}");
    // A wildcard, as a field or as a list's variant, keeps taking what it matches.
    assert!(!struct_text(&file, "Open").contains("rt::Unknown"));
    assert!(!struct_text(&file, "OpenList").contains("rt::Unknown"));
    // The reader keeps what it does not know, and the writer puts it back.
    assert!(
        file.contains("seen - 1 - f_unknown.elements.len()"),
        "{file}"
    );
    assert!(file.contains("writer.keep_unknown(&self.unknown.elements);"));
}

#[test]
fn off_nothing_is_kept() {
    let file = generate(false);
    assert!(!file.contains("Unknown"), "{file}");
    assert!(file.contains("reader.skip_unknown(&child)"));
}
