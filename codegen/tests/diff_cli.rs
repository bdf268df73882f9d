//! `qps-codegen diff`: exit codes (0, 1 with `--fail-on`, 2 on bad input), the JSON shape, and the catalog
//! options.

mod diff_common;

use std::path::Path;
use std::process::{Command, Output};

use diff_common::{schema, temp_dir};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qps-codegen"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

/// OLD has `a` required; NEW adds an optional `b` and makes `a` optional: reading breaks (OLD requires `a`),
/// writing does not.
fn pair() -> (std::path::PathBuf, String, String) {
    let dir = temp_dir("cli");
    let old = dir.join("old.xsd");
    let new = dir.join("new.xsd");
    std::fs::write(
        &old,
        schema(
            r#"<xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence>"#,
            "",
        ),
    )
    .unwrap();
    std::fs::write(
        &new,
        schema(
            r#"<xs:sequence><xs:element name="a" type="xs:string" minOccurs="0"/><xs:element name="b" type="xs:int" minOccurs="0"/></xs:sequence>"#,
            "",
        ),
    )
    .unwrap();
    (
        dir.clone(),
        old.to_string_lossy().into_owned(),
        new.to_string_lossy().into_owned(),
    )
}

#[test]
fn exit_codes_follow_fail_on() {
    let (dir, old, new) = pair();
    // Files of different stems are different modules: the same stem in two directories is one module.
    let (old_dir, new_dir) = (dir.join("o"), dir.join("n"));
    std::fs::create_dir_all(&old_dir).unwrap();
    std::fs::create_dir_all(&new_dir).unwrap();
    std::fs::copy(&old, old_dir.join("s.xsd")).unwrap();
    std::fs::copy(&new, new_dir.join("s.xsd")).unwrap();
    let (o, n) = (old_dir.to_str().unwrap(), new_dir.to_str().unwrap());

    let plain = run(&[o, n, "--plain"]);
    assert_eq!(
        code(&plain),
        0,
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let table = String::from_utf8(plain.stdout).unwrap();
    assert!(table.starts_with("s::Doc\n"), "{table}");
    assert!(table.contains("element-added"), "{table}");
    assert!(table.contains("occurrence-changed"), "{table}");
    assert!(table.contains("s.xsd:5"), "{table}");

    let reading = run(&[o, n, "--plain", "--fail-on", "reading"]);
    assert_eq!(code(&reading), 1);
    assert!(String::from_utf8_lossy(&reading.stderr).contains("breaking changes on: reading"));
    assert_eq!(code(&run(&[o, n, "--plain", "--fail-on", "writing"])), 0);
    assert_eq!(code(&run(&[o, n, "--plain", "--fail-on", "api"])), 1);
    assert_eq!(
        code(&run(&[
            o,
            n,
            "--plain",
            "--fail-on",
            "writing",
            "--fail-on",
            "reading"
        ])),
        1
    );
    // The same set on both sides: nothing breaks.
    let same = run(&[
        o,
        o,
        "--plain",
        "--fail-on",
        "reading",
        "--fail-on",
        "writing",
        "--fail-on",
        "api",
    ]);
    assert_eq!(code(&same), 0);
    assert_eq!(String::from_utf8(same.stdout).unwrap(), "no changes\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_what_and_where() {
    let (dir, old, _) = pair();
    let missing = dir.join("missing.xsd");
    let out = run(&[&old, missing.to_str().unwrap(), "--plain"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.xsd"), "{stderr}");

    let broken = dir.join("broken.xsd");
    std::fs::write(
        &broken,
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\" type=\"Nope\"/>\n</xs:schema>\n",
    )
    .unwrap();
    let out = run(&[&old, broken.to_str().unwrap(), "--plain"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.xsd:2:") && stderr.contains("Nope"),
        "{stderr}"
    );

    assert_eq!(
        code(&run(&[&old, &old, "--plain", "--fail-on", "speed"])),
        2
    );
    assert_eq!(code(&run(&[&old, &old, "--plain", "--format", "yaml"])), 2);
    // The depth bound names the file, the line and the limit, in words that fit the number.
    let nested = dir.join("nested.xsd");
    std::fs::write(
        &nested,
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\"><xs:complexType><xs:sequence>\n    <xs:element name=\"b\"><xs:complexType/></xs:element>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n",
    )
    .unwrap();
    let nested = nested.to_str().unwrap();
    let out = run(&[nested, nested, "--plain", "--max-schema-depth", "1"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nested.xsd:3:5: ")
            && stderr.contains("element declarations nest deeper than 1 level (max_schema_depth)"),
        "{stderr}"
    );
    // A catalog belongs to the Qualys profile.
    let out = run(&[&old, &old, "--plain", "--catalog", "endpoints.toml"]);
    assert_eq!(code(&out), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_names_each_change_with_its_path_kind_places_and_verdicts() {
    let dir = temp_dir("json");
    for (side, body) in [
        (
            "o",
            r#"<xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence>"#,
        ),
        (
            "n",
            r#"<xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int"/></xs:sequence>"#,
        ),
    ] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
        std::fs::write(dir.join(side).join("s.xsd"), schema(body, "")).unwrap();
    }
    let out = run(&[
        dir.join("o").to_str().unwrap(),
        dir.join("n").to_str().unwrap(),
        "--plain",
        "--format",
        "json",
        "--fail-on",
        "writing",
    ]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    let change = &changes[0];
    assert_eq!(change["group"], "s::Doc");
    assert_eq!(change["path"], "s::Doc.b");
    assert_eq!(change["kind"], "element-added");
    assert_eq!(change["detail"], "required element b (I32)");
    assert_eq!(change["old"], serde_json::Value::Null);
    assert_eq!(change["new"]["file"], "s.xsd");
    assert_eq!(change["new"]["line"], 5);
    assert_eq!(change["reading"], "drift");
    assert_eq!(change["writing"], "breaks");
    assert_eq!(change["api"], "major");
    assert!(change["why"].as_str().unwrap().contains("NEW requires it"));
    assert_eq!(
        json["summary"],
        serde_json::json!({"changes": 1, "reading": "drift", "writing": "breaks", "api": "major"})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The bundled schemas against a copy whose catalog lost an action, an operator and a filter field: NEW's
/// catalog is found at OLD's relative path, or named by `--catalog-new`.
#[test]
fn catalog_changes_with_the_catalog_found_at_the_same_relative_path() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let dir = temp_dir("catalog");
    let new = dir.join("new");
    copy_tree(&schemas, &new);
    let catalog = std::fs::read_to_string(new.join("endpoints.toml")).unwrap();
    // The webapp entity's `count` action and its `name` filter's CONTAINS go; the `url` filter goes.
    let edited = edit_webapp(&catalog);
    assert!(edited != catalog, "the webapp entity is edited");
    std::fs::write(new.join("endpoints.toml"), &edited).unwrap();

    let old = schemas.to_str().unwrap();
    let out = run(&[
        old,
        new.to_str().unwrap(),
        "--catalog",
        schemas.join("endpoints.toml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(String, String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["detail"].as_str().unwrap().to_owned(),
                format!(
                    "{}/{}/{}",
                    c["reading"].as_str().unwrap(),
                    c["writing"].as_str().unwrap(),
                    c["api"].as_str().unwrap()
                ),
            )
        })
        .collect();
    let expected = [
        ("action-removed", "action count", "ok/breaks/major"),
        (
            "operator-removed",
            "filter field name: operator CONTAINS",
            "ok/breaks/major",
        ),
        (
            "filter-removed",
            "filter field url (text)",
            "ok/breaks/major",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(kinds, expected);
    let first = &json["changes"][0];
    assert_eq!(first["old"]["file"], "endpoints.toml");
    assert!(first["new"].is_null());

    // The other way round, with NEW's catalog named explicitly: additions, minor.
    let out = run(&[
        new.to_str().unwrap(),
        old,
        "--catalog",
        new.join("endpoints.toml").to_str().unwrap(),
        "--catalog-new",
        schemas.join("endpoints.toml").to_str().unwrap(),
        "--fail-on",
        "api",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("action-added"), "{table}");
    assert!(table.ends_with("semver bump: minor\n"), "{table}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Removes, from the webapp entity, the `count` action, the `CONTAINS` operator of the `name` filter and the
/// `url` filter.
fn edit_webapp(catalog: &str) -> String {
    let start = catalog.find("\nname = \"webapp\"\n").unwrap();
    let end = start + catalog[start..].find("\n[[entity]]").unwrap();
    let (head, entity, tail) = (&catalog[..start], &catalog[start..end], &catalog[end..]);
    let tables: Vec<&str> = entity.split("\n[[").collect();
    let mut kept = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        if i > 0 && (table.contains("\nname = \"count\"") || table.contains("\nfield = \"url\"")) {
            continue;
        }
        if table.contains("\nfield = \"name\"") {
            kept.push(
                table
                    .replace("\"CONTAINS\", ", "")
                    .replace(", \"CONTAINS\"", ""),
            );
        } else {
            kept.push(table.to_string());
        }
    }
    format!("{head}{}{tail}", kept.join("\n[["))
}
