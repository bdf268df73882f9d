//! The release notes' schema changes, replayed: for each folder of `fixtures/releases/`, the "before" schema set
//! (the bundled `schemas/` with the folder's `before/` files laid over it and the files named in `removed` left
//! out) is compared with `schemas/`, and the diff report (table and JSON) and the diff of the generated code are
//! compared with the snapshots beside it. `QPS_UPDATE_SNAPSHOTS=1` rewrites the snapshots.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use qps_codegen::diff::{DiffInput, diff};
use qps_codegen::{Builder, UPDATE_SNAPSHOTS};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// The before tree of `change`, built under the temp dir.
fn before_tree(change: &Path) -> PathBuf {
    let name = change.file_name().unwrap().to_string_lossy().into_owned();
    let dir = std::env::temp_dir()
        .join(format!("qps-releases-{}", std::process::id()))
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    copy_tree(&repo().join("schemas"), &dir);
    let before = change.join("before");
    if before.is_dir() {
        copy_tree(&before, &dir);
    }
    if let Ok(removed) = fs::read_to_string(change.join("removed")) {
        for line in removed.lines().map(str::trim).filter(|l| !l.is_empty()) {
            fs::remove_file(dir.join(line))
                .unwrap_or_else(|e| panic!("{}: removed file {line}: {e}", change.display()));
        }
    }
    dir
}

/// A unified diff of the generated files, before to after (files only one side has are diffed against nothing).
fn generated_diff(before: &Path, after: &Path) -> String {
    let generate = |dir: &Path| {
        Builder::new()
            .schema_dir(dir)
            .catalog(dir.join("endpoints.toml"))
            .generate()
            .unwrap()
            .files
    };
    let (old, new) = (generate(before), generate(after));
    let names: BTreeSet<&PathBuf> = old.keys().chain(new.keys()).collect();
    let mut out = String::new();
    for name in names {
        let a = old.get(name).map_or("", String::as_str);
        let b = new.get(name).map_or("", String::as_str);
        if a != b {
            let shown = name.to_string_lossy().replace('\\', "/");
            out.push_str(
                &similar::TextDiff::from_lines(a, b)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("before/{shown}"), &format!("after/{shown}"))
                    .to_string(),
            );
        }
    }
    out
}

fn check(path: &Path, actual: &str, failures: &mut Vec<String>) {
    let update = std::env::var(UPDATE_SNAPSHOTS).is_ok_and(|v| !v.is_empty() && v != "0");
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return;
    }
    if update {
        fs::write(path, actual).unwrap();
        return;
    }
    let Some(expected) = expected else {
        failures.push(format!(
            "{} is missing ({UPDATE_SNAPSHOTS}=1 writes it)",
            path.display()
        ));
        return;
    };
    let diff = similar::TextDiff::from_lines(&expected, actual)
        .unified_diff()
        .header("snapshot", "now")
        .to_string();
    let shown: String = diff.lines().take(40).collect::<Vec<_>>().join("\n");
    failures.push(format!(
        "{} differs ({UPDATE_SNAPSHOTS}=1 rewrites it):\n{shown}",
        path.display()
    ));
}

#[test]
fn every_release_change_has_its_report_and_generated_diff() {
    let releases = repo().join("fixtures/releases");
    let after = repo().join("schemas");
    let mut changes: Vec<PathBuf> = fs::read_dir(&releases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    changes.sort();
    assert!(
        changes.len() >= 6,
        "the release changes are under {}",
        releases.display()
    );
    let mut failures = Vec::new();
    for change in &changes {
        let before = before_tree(change);
        let old = DiffInput::new([&before]).catalog(before.join("endpoints.toml"));
        let new = DiffInput::new([&after]).catalog(after.join("endpoints.toml"));
        let report = diff(&old, &new).unwrap();
        check(
            &change.join("report.txt"),
            &report.render_table(),
            &mut failures,
        );
        check(
            &change.join("report.json"),
            &report.render_json(),
            &mut failures,
        );
        check(
            &change.join("generated.diff"),
            &generated_diff(&before, &after),
            &mut failures,
        );
        let _ = fs::remove_dir_all(&before);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
