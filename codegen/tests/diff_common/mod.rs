//! Shared by the `diff_*` tests: two small inline schemas written to a temp dir and compared.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use qps_codegen::diff::{Change, DiffInput, Kind, Report, diff};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("qps-diff-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A schema whose document element `doc` has the complex type `Doc` with `body` as its content, plus `extra`
/// top-level declarations.
pub fn schema(body: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="doc" type="Doc"/>
  <xs:complexType name="Doc">
    {body}
  </xs:complexType>
  {extra}
</xs:schema>
"#
    )
}

/// Writes `old` and `new` as `old/s.xsd` and `new/s.xsd` and compares them with the plain mapping.
pub fn compare(old: &str, new: &str) -> Report {
    let dir = temp_dir("pair");
    for (side, text) in [("old", old), ("new", new)] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
        std::fs::write(dir.join(side).join("s.xsd"), text).unwrap();
    }
    let report = diff(
        &DiffInput::new([dir.join("old")]).plain(true),
        &DiffInput::new([dir.join("new")]).plain(true),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// The only change of `kind` in `report` (fails when there is none or more than one).
pub fn only(report: &Report, kind: Kind) -> &Change {
    let found: Vec<&Change> = report.changes.iter().filter(|c| c.kind == kind).collect();
    assert_eq!(
        found.len(),
        1,
        "one {kind} change expected in:\n{}",
        report.render_table()
    );
    found[0]
}

/// The verdicts of `change` as text: `reading/writing/api`.
pub fn verdicts(change: &Change) -> String {
    format!(
        "{}/{}/{}",
        change.reading.as_str(),
        change.writing.as_str(),
        change.api.as_str()
    )
}
