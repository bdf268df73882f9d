//! A directory of checked-in output that drifts is reported as a unified diff, and the update variable rewrites
//! it.

use std::path::PathBuf;

use qps_codegen::{Builder, UPDATE_SNAPSHOTS};

const SCHEMA: &str = r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="note">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="to" type="xs:string"/>
        <xs:element name="body" type="xs:string"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#;

#[test]
fn drift_is_a_unified_diff_and_the_variable_rewrites_it() {
    let dir = std::env::temp_dir().join(format!("qps-codegen-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("note.xsd");
    std::fs::write(&schema, SCHEMA).unwrap();
    let out: PathBuf = dir.join("out");
    let generated = Builder::new()
        .plain_xsd()
        .schema(&schema)
        .generate()
        .unwrap();
    generated.write_to(&out).unwrap();
    assert_eq!(generated.drift_report(&out), "");
    assert_eq!(generated.check_snapshot(&out, "regenerate"), Ok(()));

    // One changed line, one stale file, one missing file.
    let note = out.join("note.rs");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replace("pub body: String", "pub body: i32")).unwrap();
    std::fs::write(out.join("old.rs"), "// gone\n").unwrap();
    std::fs::remove_file(out.join("mod.rs")).unwrap();
    let report = generated.drift_report(&out);
    assert!(report.contains("+++ generated"), "{report}");
    assert!(report.contains("@@ "), "{report}");
    assert!(report.contains("\n-    pub body: i32,\n"), "{report}");
    assert!(report.contains("\n+    pub body: String,\n"), "{report}");
    assert!(report.contains("mod.rs is missing"), "{report}");
    assert!(
        report.contains("old.rs is not generated any more"),
        "{report}"
    );
    let error = generated.check_snapshot(&out, "regenerate").unwrap_err();
    assert!(
        error.contains("regenerate") && error.contains(UPDATE_SNAPSHOTS),
        "{error}"
    );

    // With the variable set, the check rewrites the directory to exactly the output.
    // SAFETY: the only test in this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var(UPDATE_SNAPSHOTS, "1") };
    let rewritten = generated.check_snapshot(&out, "regenerate");
    unsafe { std::env::remove_var(UPDATE_SNAPSHOTS) };
    assert_eq!(rewritten, Ok(()));
    assert_eq!(generated.drift_report(&out), "");
    assert!(!out.join("old.rs").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
