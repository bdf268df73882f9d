//! `Builder::non_exhaustive`: off by default (the generated structs and enums have no `#[non_exhaustive]`), and
//! the diff's api verdicts follow it: with it, a new field or variant is a minor change.

mod diff_common;

use diff_common::{schema, temp_dir, verdicts};
use qps_codegen::Builder;
use qps_codegen::diff::{DiffInput, Kind, diff};

const COLOR: &str = r#"<xs:simpleType name="Color"><xs:restriction base="xs:string"><xs:enumeration value="RED"/></xs:restriction></xs:simpleType>"#;
const COLOR2: &str = r#"<xs:simpleType name="Color"><xs:restriction base="xs:string"><xs:enumeration value="RED"/><xs:enumeration value="BLUE"/></xs:restriction></xs:simpleType>"#;

fn old_schema() -> String {
    schema(
        r#"<xs:sequence><xs:element name="a" type="Color"/><xs:element name="gone" type="xs:string" minOccurs="0"/></xs:sequence>"#,
        COLOR,
    )
}

fn new_schema() -> String {
    schema(
        r#"<xs:sequence><xs:element name="a" type="Color"/><xs:element name="b" type="xs:int" minOccurs="0"/></xs:sequence>"#,
        COLOR2,
    )
}

#[test]
fn generated_types_are_exhaustive_unless_asked() {
    let dir = temp_dir("nonexhaustive");
    let file = dir.join("s.xsd");
    std::fs::write(&file, old_schema()).unwrap();
    let text = |on: bool| {
        let generated = Builder::new()
            .plain_xsd()
            .schema(&file)
            .non_exhaustive(on)
            .generate()
            .unwrap();
        generated.files.values().cloned().collect::<String>()
    };
    let default = text(false);
    assert!(!default.contains("non_exhaustive"), "{default}");
    let on = text(true);
    for item in ["pub struct Doc {", "pub enum Color {"] {
        let at = on.find(item).unwrap_or_else(|| panic!("{item} in {on}"));
        let before = &on[..at];
        let attribute = before.rfind("#[non_exhaustive]").expect("the attribute");
        // The attribute is the item's: no other item starts between it and the item.
        assert!(
            !before[attribute..].contains("\npub "),
            "{item}: {}",
            &before[attribute..]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn api_verdicts_follow_the_option() {
    let dir = temp_dir("nonexhaustive-diff");
    for (side, text) in [("old", old_schema()), ("new", new_schema())] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
        std::fs::write(dir.join(side).join("s.xsd"), text).unwrap();
    }
    let run = |on: bool| {
        let side = |name: &str| {
            DiffInput::new([dir.join(name)])
                .plain(true)
                .non_exhaustive(on)
        };
        let report = diff(&side("old"), &side("new")).unwrap();
        let mut found: Vec<(Kind, String)> = report
            .changes
            .iter()
            .map(|c| (c.kind, verdicts(c)))
            .collect();
        found.sort_by_key(|(k, _)| k.as_str());
        found
    };
    let exhaustive = [
        (Kind::ElementAdded, "drift/ok/major"),
        (Kind::ElementRemoved, "ok/breaks/major"),
        (Kind::EnumValueAdded, "ok/ok/major"),
    ];
    let non_exhaustive = [
        (Kind::ElementAdded, "drift/ok/minor"),
        (Kind::ElementRemoved, "ok/breaks/major"),
        (Kind::EnumValueAdded, "ok/ok/minor"),
    ];
    let owned = |v: &[(Kind, &str)]| -> Vec<(Kind, String)> {
        v.iter().map(|(k, s)| (*k, s.to_string())).collect()
    };
    assert_eq!(run(false), owned(&exhaustive));
    assert_eq!(run(true), owned(&non_exhaustive));
    let _ = std::fs::remove_dir_all(&dir);
}
