//! The Qualys profile is one plug-in: a catalog needs it, and what does not fit the catalog is an error naming
//! the entity and the action.

use std::path::{Path, PathBuf};

use qps_codegen::qps::ProfileError;
use qps_codegen::{Builder, Error};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh directory holding `files` (name, text).
fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qps-codegen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A schema whose request has no `<filters>`, and a catalog whose search sends filters.
const NO_FILTERS: &str = r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="ServiceRequest"><xs:complexType><xs:all>
    <xs:element name="data" minOccurs="0"><xs:complexType><xs:sequence>
      <xs:element name="Thing" type="Thing" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:all></xs:complexType></xs:element>
  <xs:element name="ServiceResponse"><xs:complexType><xs:all>
    <xs:element name="responseCode" type="xs:string"/>
  </xs:all></xs:complexType></xs:element>
  <xs:complexType name="Thing"><xs:all><xs:element name="id" type="xs:long" minOccurs="0"/></xs:all></xs:complexType>
  <xs:complexType name="Criteria"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="field" type="xs:string"/>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="operator" type="Operator"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:simpleType name="Operator"><xs:restriction base="xs:string">
    <xs:enumeration value="EQUALS"/>
  </xs:restriction></xs:simpleType>
</xs:schema>
"#;

const CATALOG: &str = r#"
[[entity]]
module = "x"
version = "1.0"
name = "thing"
schema = "x/1.0/thing.xsd"
element = "Thing"
doc = "Things."

[[entity.action]]
name = "search"
methods = ["POST"]
id = "none"
body = "filters"
response = "data"
doc = "Search the things."

[[entity.filter]]
field = "id"
type = "long"
operators = ["EQUALS"]
doc = "Id."
"#;

#[test]
fn a_catalog_with_the_plain_mapping_is_an_error() {
    for builder in [
        Builder::new()
            .plain_xsd()
            .catalog(repo().join("schemas/endpoints.toml")),
        Builder::new()
            .catalog(repo().join("schemas/endpoints.toml"))
            .plain_xsd(),
    ] {
        let error = builder
            .schema_dir(repo().join("schemas"))
            .generate()
            .unwrap_err();
        assert!(
            matches!(&error, Error::Config(m) if m.contains("endpoints.toml") && m.contains("plain_xsd()")),
            "{error}"
        );
    }
}

#[test]
fn an_action_that_does_not_fit_its_schema_names_the_entity_and_the_action() {
    let dir = dir_with(
        "profile-action",
        &[("x/1.0/thing.xsd", NO_FILTERS), ("endpoints.toml", CATALOG)],
    );
    let result = Builder::new()
        .schema_dir(&dir)
        .catalog(dir.join("endpoints.toml"))
        .generate();
    let _ = std::fs::remove_dir_all(&dir);
    let error = result.unwrap_err();
    match &error {
        Error::Profile(ProfileError::Entity {
            entity,
            action,
            message,
            ..
        }) => {
            assert_eq!(entity, "x/thing");
            assert_eq!(action.as_deref(), Some("search"));
            assert!(message.contains("<filters>"), "{message}");
        }
        other => panic!("expected a profile error, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("endpoints.toml: catalog entity x/thing, action search:"),
        "{text}"
    );
}

#[test]
fn an_entity_whose_schema_is_not_given_is_an_error() {
    let dir = dir_with(
        "profile-entity",
        &[("y/1.0/other.xsd", NO_FILTERS), ("endpoints.toml", CATALOG)],
    );
    let result = Builder::new()
        .schema_dir(&dir)
        .catalog(dir.join("endpoints.toml"))
        .generate();
    let _ = std::fs::remove_dir_all(&dir);
    match result.unwrap_err() {
        Error::Profile(ProfileError::Entity {
            entity,
            action: None,
            message,
            ..
        }) => {
            assert_eq!(entity, "x/thing");
            assert!(message.contains("x/1.0/thing.xsd"), "{message}");
        }
        other => panic!("expected a profile error, got {other:?}"),
    }
}

#[test]
fn the_plain_mapping_has_no_collections_and_no_client() {
    let generated = Builder::new()
        .plain_xsd()
        .schema(repo().join("schemas/was/3.0/webapp.xsd"))
        .generate()
        .unwrap();
    let text = &generated.files[Path::new("webapp.rs")];
    assert!(
        !text.contains("rt::Collection<"),
        "collections need the profile"
    );
    assert!(!text.contains("rt::Client"), "the client needs the profile");
    let with_profile = Builder::new()
        .schema(repo().join("schemas/was/3.0/webapp.xsd"))
        .generate()
        .unwrap();
    assert!(with_profile.files[Path::new("webapp.rs")].contains("rt::Collection<"));
}
