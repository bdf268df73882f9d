//! One test per kind of schema change and its verdicts on the three axes, on small inline schemas.

mod diff_common;

use diff_common::{compare, only, schema, verdicts};
use qps_codegen::diff::{Axis, Bump, Kind};

fn seq(elements: &str) -> String {
    format!("<xs:sequence>{elements}</xs:sequence>")
}

const A: &str = r#"<xs:element name="a" type="xs:string"/>"#;

#[test]
fn identical_schemas_have_no_changes() {
    let s = schema(&seq(A), "");
    let report = compare(&s, &s);
    assert!(report.changes.is_empty(), "{}", report.render_table());
    assert_eq!(report.render_table(), "no changes\n");
    assert_eq!(report.bump(), Bump::None);
    assert!(
        !report.breaks(Axis::Reading) && !report.breaks(Axis::Writing) && !report.breaks(Axis::Api)
    );
}

#[test]
fn a_new_optional_element_is_drift_for_reading_and_a_major_api_change() {
    let old = schema(&seq(A), "");
    let new = schema(
        &seq(&format!(
            r#"{A}<xs:element name="b" type="xs:int" minOccurs="0"/>"#
        )),
        "",
    );
    let report = compare(&old, &new);
    let change = only(&report, Kind::ElementAdded);
    assert_eq!(verdicts(change), "drift/ok/major");
    assert_eq!(change.path, "s::Doc.b");
    assert_eq!(change.old, None);
    let new_place = change.new.as_ref().unwrap();
    assert_eq!((new_place.file.as_str(), new_place.line), ("s.xsd", 5));
    assert!(!report.breaks(Axis::Reading));
    assert!(report.breaks(Axis::Api));
}

#[test]
fn a_new_required_element_breaks_writing() {
    let old = schema(&seq(A), "");
    let new = schema(
        &seq(&format!(r#"{A}<xs:element name="b" type="xs:int"/>"#)),
        "",
    );
    let change = only(&compare(&old, &new), Kind::ElementAdded).clone();
    assert_eq!(verdicts(&change), "drift/breaks/major");
    assert!(
        change.detail.starts_with("required element b"),
        "{}",
        change.detail
    );
}

#[test]
fn a_removed_element_breaks_writing_and_reading_when_it_was_required() {
    let old = schema(
        &seq(&format!(
            r#"{A}<xs:element name="b" type="xs:int"/><xs:element name="c" type="xs:int" minOccurs="0"/>"#
        )),
        "",
    );
    let new = schema(&seq(A), "");
    let report = compare(&old, &new);
    let removed: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.kind == Kind::ElementRemoved)
        .map(|c| format!("{} {}", c.path, verdicts(c)))
        .collect();
    assert_eq!(
        removed,
        ["s::Doc.b breaks/breaks/major", "s::Doc.c ok/breaks/major"]
    );
    let b = &report.changes[0];
    assert_eq!(b.old.as_ref().map(|p| p.line), Some(5));
    assert_eq!(b.new, None);
}

#[test]
fn attributes_added_and_removed() {
    let old = schema(
        &format!(r#"{}<xs:attribute name="x" type="xs:string"/>"#, seq(A)),
        "",
    );
    let new = schema(
        &format!(
            r#"{}<xs:attribute name="y" type="xs:string" use="required"/>"#,
            seq(A)
        ),
        "",
    );
    let report = compare(&old, &new);
    assert_eq!(
        verdicts(only(&report, Kind::AttributeRemoved)),
        "ok/breaks/major"
    );
    assert_eq!(
        verdicts(only(&report, Kind::AttributeAdded)),
        "drift/breaks/major"
    );
}

#[test]
fn optional_to_required_and_back() {
    let optional = schema(
        &seq(r#"<xs:element name="a" type="xs:string" minOccurs="0"/>"#),
        "",
    );
    let required = schema(&seq(A), "");
    let tightened = compare(&optional, &required);
    let change = only(&tightened, Kind::OccurrenceChanged);
    assert_eq!(verdicts(change), "ok/breaks/major");
    assert!(change.detail.ends_with("0..1 -> 1..1"), "{}", change.detail);
    assert_eq!(
        verdicts(only(
            &compare(&required, &optional),
            Kind::OccurrenceChanged
        )),
        "breaks/ok/major"
    );
}

#[test]
fn single_to_repeated_and_back() {
    let single = schema(&seq(A), "");
    let repeated = schema(
        &seq(r#"<xs:element name="a" type="xs:string" maxOccurs="unbounded"/>"#),
        "",
    );
    assert_eq!(
        verdicts(only(&compare(&single, &repeated), Kind::OccurrenceChanged)),
        "breaks/ok/major"
    );
    assert_eq!(
        verdicts(only(&compare(&repeated, &single), Kind::OccurrenceChanged)),
        "ok/breaks/major"
    );
}

#[test]
fn a_raised_max_occurs_of_a_list_changes_no_rust_type() {
    let five = schema(
        &seq(r#"<xs:element name="a" type="xs:string" maxOccurs="5"/>"#),
        "",
    );
    let ten = schema(
        &seq(r#"<xs:element name="a" type="xs:string" maxOccurs="10"/>"#),
        "",
    );
    assert_eq!(
        verdicts(only(&compare(&five, &ten), Kind::OccurrenceChanged)),
        "ok/ok/none"
    );
    assert_eq!(
        verdicts(only(&compare(&ten, &five), Kind::OccurrenceChanged)),
        "ok/breaks/none"
    );
}

#[test]
fn builtin_type_changes_follow_the_value_spaces() {
    let of = |ty: &str| {
        schema(
            &seq(&format!(r#"<xs:element name="a" type="xs:{ty}"/>"#)),
            "",
        )
    };
    let cases = [
        ("int", "string", "breaks/ok/major"),
        ("string", "int", "ok/breaks/major"),
        ("int", "long", "breaks/ok/major"),
        ("long", "int", "ok/breaks/major"),
        ("unsignedShort", "int", "breaks/ok/major"),
        ("int", "decimal", "breaks/ok/major"),
        ("boolean", "int", "breaks/breaks/major"),
    ];
    for (old, new, expected) in cases {
        let report = compare(&of(old), &of(new));
        let change = only(&report, Kind::TypeChanged);
        assert_eq!(
            verdicts(change),
            expected,
            "xs:{old} -> xs:{new}: {}",
            change.why
        );
    }
}

fn enumeration(values: &[&str]) -> String {
    let values: String = values
        .iter()
        .map(|v| format!(r#"<xs:enumeration value="{v}"/>"#))
        .collect();
    format!(
        r#"<xs:simpleType name="Color"><xs:restriction base="xs:string">{values}</xs:restriction></xs:simpleType>"#
    )
}

#[test]
fn enumeration_values_added_are_read_as_other_and_removed_ones_break_writing() {
    let body = seq(r#"<xs:element name="a" type="Color"/>"#);
    let old = schema(&body, &enumeration(&["RED", "GREEN"]));
    let new = schema(&body, &enumeration(&["RED", "BLUE"]));
    let report = compare(&old, &new);
    let added = only(&report, Kind::EnumValueAdded);
    assert_eq!(verdicts(added), "ok/ok/major");
    assert_eq!(added.path, "s::Color::Blue");
    assert!(added.why.contains("Other"), "{}", added.why);
    assert_eq!(
        verdicts(only(&report, Kind::EnumValueRemoved)),
        "ok/breaks/major"
    );
}

fn restricted(facets: &str) -> String {
    schema(
        &seq(r#"<xs:element name="a" type="Code"/>"#),
        &format!(
            r#"<xs:simpleType name="Code"><xs:restriction base="xs:string">{facets}</xs:restriction></xs:simpleType>"#
        ),
    )
}

#[test]
fn facets_tightened_break_writing_and_loosened_break_reading() {
    let cases = [
        (
            r#"<xs:maxLength value="10"/>"#,
            r#"<xs:maxLength value="5"/>"#,
            "ok/breaks/none",
            "maxLength \"10\" -> \"5\"",
        ),
        (
            r#"<xs:maxLength value="5"/>"#,
            r#"<xs:maxLength value="10"/>"#,
            "breaks/ok/none",
            "maxLength \"5\" -> \"10\"",
        ),
        (
            r#"<xs:minLength value="1"/>"#,
            r#"<xs:minLength value="2"/>"#,
            "ok/breaks/none",
            "minLength \"1\" -> \"2\"",
        ),
        (
            r#"<xs:maxLength value="5"/>"#,
            r#"<xs:maxLength value="5"/><xs:pattern value="[A-Z]+"/>"#,
            "ok/breaks/none",
            "pattern [] -> [\"[A-Z]+\"]",
        ),
        (
            r#"<xs:pattern value="[A-Z]+"/>"#,
            r#"<xs:pattern value="[a-z]+"/>"#,
            "breaks/breaks/none",
            "pattern [\"[A-Z]+\"] -> [\"[a-z]+\"]",
        ),
    ];
    for (old, new, expected, detail) in cases {
        let report = compare(&restricted(old), &restricted(new));
        let change = only(&report, Kind::FacetChanged);
        assert_eq!(
            (verdicts(change).as_str(), change.detail.as_str()),
            (expected, detail)
        );
    }
}

#[test]
fn range_and_digit_facets() {
    let number = |facets: &str| {
        schema(
            &seq(r#"<xs:element name="a" type="Amount"/>"#),
            &format!(
                r#"<xs:simpleType name="Amount"><xs:restriction base="xs:decimal">{facets}</xs:restriction></xs:simpleType>"#
            ),
        )
    };
    let cases = [
        (
            r#"<xs:maxInclusive value="100"/>"#,
            r#"<xs:maxInclusive value="99.5"/>"#,
            "ok/breaks/none",
        ),
        (
            r#"<xs:minExclusive value="0"/>"#,
            r#"<xs:minExclusive value="-1"/>"#,
            "breaks/ok/none",
        ),
        (
            r#"<xs:totalDigits value="5"/>"#,
            r#"<xs:totalDigits value="7"/>"#,
            "breaks/ok/none",
        ),
        (
            r#"<xs:fractionDigits value="2"/>"#,
            r#"<xs:fractionDigits value="1"/>"#,
            "ok/breaks/none",
        ),
    ];
    for (old, new, expected) in cases {
        let report = compare(&number(old), &number(new));
        assert_eq!(
            verdicts(only(&report, Kind::FacetChanged)),
            expected,
            "{old} -> {new}"
        );
    }
}

#[test]
fn a_facet_that_makes_a_string_a_checked_type_changes_the_field_type() {
    let plain = schema(&seq(A), "");
    let checked = restricted(r#"<xs:maxLength value="5"/>"#);
    let report = compare(&plain, &checked);
    assert_eq!(
        verdicts(only(&report, Kind::TypeChanged)),
        "ok/breaks/major"
    );
    assert_eq!(verdicts(only(&report, Kind::TypeAdded)), "ok/ok/minor");
}

#[test]
fn default_and_fixed_changes() {
    let with = |attrs: &str| {
        schema(
            &seq(&format!(
                r#"<xs:element name="a" type="xs:string" minOccurs="0" {attrs}/>"#
            )),
            "",
        )
    };
    assert_eq!(
        verdicts(only(
            &compare(&with(r#"default="x""#), &with(r#"default="y""#)),
            Kind::DefaultChanged
        )),
        "breaks/ok/none"
    );
    assert_eq!(
        verdicts(only(
            &compare(&with(""), &with(r#"default="y""#)),
            Kind::DefaultChanged
        )),
        "ok/ok/minor"
    );
    assert_eq!(
        verdicts(only(
            &compare(&with(r#"default="x""#), &with("")),
            Kind::DefaultChanged
        )),
        "ok/ok/major"
    );
    assert_eq!(
        verdicts(only(
            &compare(&with(""), &with(r#"fixed="y""#)),
            Kind::FixedChanged
        )),
        "ok/breaks/minor"
    );
    assert_eq!(
        verdicts(only(
            &compare(&with(r#"fixed="x""#), &with(r#"fixed="y""#)),
            Kind::FixedChanged
        )),
        "breaks/breaks/none"
    );
}

#[test]
fn choice_alternatives_added_break_reading_and_removed_ones_writing() {
    let choice = |elements: &str| schema(&format!("<xs:choice>{elements}</xs:choice>"), "");
    let two =
        choice(r#"<xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/>"#);
    let three = choice(
        r#"<xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/><xs:element name="c" type="xs:string"/>"#,
    );
    assert_eq!(
        verdicts(only(&compare(&two, &three), Kind::VariantAdded)),
        "breaks/ok/major"
    );
    assert_eq!(
        verdicts(only(&compare(&three, &two), Kind::VariantRemoved)),
        "ok/breaks/major"
    );
}

#[test]
fn types_and_modules_added_and_removed() {
    let base = schema(&seq(A), "");
    let more = schema(
        &seq(A),
        r#"<xs:complexType name="Extra"><xs:sequence><xs:element name="z" type="xs:string"/></xs:sequence></xs:complexType>"#,
    );
    assert_eq!(
        verdicts(only(&compare(&base, &more), Kind::TypeAdded)),
        "ok/ok/minor"
    );
    let removed = compare(&more, &base);
    let change = only(&removed, Kind::TypeRemoved);
    assert_eq!(verdicts(change), "ok/ok/major");
    assert_eq!(change.path, "s::Extra");
    assert_eq!(removed.bump(), Bump::Major);
}

#[test]
fn a_type_that_changes_kind_breaks_everything() {
    let old = schema(
        &seq(r#"<xs:element name="a" type="Color"/>"#),
        &enumeration(&["RED"]),
    );
    let new = schema(
        &seq(r#"<xs:element name="a" type="Color"/>"#),
        r#"<xs:complexType name="Color"><xs:sequence><xs:element name="r" type="xs:int"/></xs:sequence></xs:complexType>"#,
    );
    let change = only(&compare(&old, &new), Kind::TypeKindChanged).clone();
    assert_eq!(verdicts(&change), "breaks/breaks/major");
    assert_eq!(change.detail, "enumeration -> struct");
}

#[test]
fn a_new_document_element_is_placed_at_its_declaration() {
    let old = schema(&seq(A), "");
    let new = schema(&seq(A), r#"<xs:element name="copy" type="Doc"/>"#);
    let report = compare(&old, &new);
    let change = only(&report, Kind::DocumentAdded);
    assert_eq!(verdicts(change), "ok/ok/minor");
    assert_eq!(change.detail, "document element copy");
    let place = change.new.as_ref().expect("the element's place");
    assert_eq!((place.file.as_str(), place.line), ("s.xsd", 7));
}
