//! The runner crate: every entry's bindings, generated with the plain mapping by the workspace's generator, as one
//! module behind one feature each (`e0`, `e1`, ...), and a `main` that reads documents as the type of their
//! document element. Built with cargo in a target folder of its own, so the runtime builds once; an entry whose
//! module does not compile is left out of the next build, until the rest builds.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use qps_codegen::{Builder, DocumentRoot};

/// One entry schema as the runner sees it.
pub struct Unit {
    /// The entry schema.
    pub schema: PathBuf,
    /// The generator's error, when it refused the schema.
    pub refused: Option<String>,
    /// The document roots it generated.
    pub roots: Vec<DocumentRoot>,
    /// The first compile error of its module, when it did not compile.
    pub compile_error: Option<String>,
}

impl Unit {
    pub fn compiled(&self) -> bool {
        self.refused.is_none() && self.compile_error.is_none()
    }
}

/// Generates every schema into `crate_dir/src/e<N>/`, in-process with the workspace's generator.
pub fn generate(schemas: &[PathBuf], crate_dir: &Path) -> Vec<Unit> {
    let src = crate_dir.join("src");
    let _ = std::fs::remove_dir_all(&src);
    schemas
        .iter()
        .enumerate()
        .map(|(n, schema)| {
            let generated = Builder::new()
                .plain_xsd()
                .schema(schema)
                .emit_rerun_if_changed(false)
                .generate()
                .and_then(|g| g.write_to(&src.join(format!("e{n}"))).map(|()| g));
            match generated {
                Ok(g) => Unit {
                    schema: schema.clone(),
                    refused: None,
                    roots: g.roots,
                    compile_error: None,
                },
                Err(e) => Unit {
                    schema: schema.clone(),
                    refused: Some(e.to_string()),
                    roots: Vec::new(),
                    compile_error: None,
                },
            }
        })
        .collect()
}

/// Writes the crate's manifest and `main.rs`, and builds it with the features of the entries that generated,
/// leaving out, build after build, the entries whose code has errors (recorded in `compile_error`). Returns the
/// runner binary, if any entry compiled.
pub fn build(
    units: &mut [Unit],
    crate_dir: &Path,
    target: &Path,
    workspace: &Path,
) -> Result<Option<PathBuf>, String> {
    let features: String = (0..units.len()).map(|n| format!("e{n} = []\n")).collect();
    let manifest = format!(
        "[package]\nname = \"qps-conformance-runner\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nqps-runtime = {{ path = {:?}, default-features = false }}\nserde = \"1\"\n\n\
         [features]\n{features}\n[profile.dev]\ndebug = 0\nincremental = false\n",
        workspace.join("runtime")
    );
    write(&crate_dir.join("Cargo.toml"), &manifest)?;
    // The workspace's lock file pins the runtime's dependencies: nothing is resolved anew.
    std::fs::copy(workspace.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let (main, lines) = main_rs(units);
    write(&crate_dir.join("src/main.rs"), &main)?;
    loop {
        let on: Vec<usize> = (0..units.len()).filter(|&n| units[n].compiled()).collect();
        if on.is_empty() {
            return Ok(None);
        }
        let list: Vec<String> = on.iter().map(|n| format!("e{n}")).collect();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--message-format=short", "--features"])
            .arg(list.join(","))
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            return Ok(Some(target.join("debug/qps-conformance-runner")));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut blamed = false;
        for line in stderr.lines().filter(|l| l.contains(": error")) {
            if let Some(n) = blame(line, &lines) {
                if units[n].compile_error.is_none() && units[n].compiled() {
                    units[n].compile_error = Some(line.to_owned());
                    blamed = true;
                }
            }
        }
        if !blamed {
            return Err(format!(
                "the runner does not build, and no entry is to blame:\n{stderr}"
            ));
        }
    }
}

/// The entry a compile error (`src/e3/x.rs:1:2: error...` or `src/main.rs:40:9: error...`) belongs to.
fn blame(line: &str, main_lines: &BTreeMap<usize, usize>) -> Option<usize> {
    let path = line.split(':').next()?;
    if let Some(rest) = path.strip_prefix("src/e") {
        return rest.split('/').next()?.parse().ok();
    }
    if path == "src/main.rs" {
        let number: usize = line.split(':').nth(1)?.parse().ok()?;
        return main_lines
            .range(..=number)
            .next_back()
            .map(|(_, &n)| n)
            .filter(|&n| n != HARNESS);
    }
    None
}

/// In the line map of `main.rs`: lines that belong to no entry.
const HARNESS: usize = usize::MAX;

/// The runner's `main.rs`, and which entry each of its lines from a given one on belongs to ([`HARNESS`]: none).
fn main_rs(units: &[Unit]) -> (String, BTreeMap<usize, usize>) {
    let mut text = String::from(RUNNER_HEAD);
    let mut lines = BTreeMap::new();
    for (n, unit) in units.iter().enumerate() {
        if unit.refused.is_none() {
            lines.insert(text.lines().count() + 1, n);
            let _ = writeln!(
                text,
                "#[cfg(feature = \"e{n}\")]\n#[path = \"e{n}/mod.rs\"]\nmod e{n};"
            );
        }
    }
    lines.insert(text.lines().count() + 1, HARNESS);
    text.push_str("\nfn dispatch(entry: usize, root: usize, bytes: &[u8], out: &str) -> Vec<Stage> {\n    match (entry, root) {\n");
    for (n, unit) in units.iter().enumerate() {
        for (k, root) in unit.roots.iter().enumerate() {
            lines.insert(text.lines().count() + 1, n);
            let _ = writeln!(
                text,
                "        #[cfg(feature = \"e{n}\")]\n        ({n}, {k}) => check::<e{n}::{}>(bytes, out),",
                root.path()
            );
        }
    }
    lines.insert(text.lines().count() + 1, HARNESS);
    text.push_str(
        "        _ => vec![Stage::error(\"dispatch\", \"entry not compiled\")],\n    }\n}\n",
    );
    (text, lines)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The fixed part of the runner: reads `entry<TAB>root<TAB>document<TAB>output prefix` lines on stdin; for each,
/// reads the document with the event reader and writes it back with the generated writer
/// (`<prefix>.reader.xml`), reads it with serde and writes it back with serde (`<prefix>.serde.xml`), and tells
/// whether both reads gave the same value. It prints `begin`, one line per stage and `end` for each document, so
/// that a crash is pinned on its document.
const RUNNER_HEAD: &str = r#"// Written by qps-conformance. Do not edit.
#![allow(warnings)]

use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use qps_runtime::xml::{self, FromXml, RootElement, ToXml};

struct Stage {
    name: &'static str,
    error: Option<String>,
}

impl Stage {
    fn error(name: &'static str, message: &str) -> Stage {
        Stage { name, error: Some(message.to_owned()) }
    }
}

fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let message = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("panic: {message}")
    })
}

fn check<T>(bytes: &[u8], out: &str) -> Vec<Stage>
where
    T: FromXml + RootElement + ToXml + serde::de::DeserializeOwned + serde::Serialize + PartialEq,
{
    let mut stages = Vec::new();
    let by_reader = guarded(|| xml::read_document::<T>(bytes)).and_then(|r| r.map_err(|e| e.to_string()));
    match &by_reader {
        Ok(value) => {
            stages.push(Stage { name: "reader_read", error: None });
            let written = guarded(|| xml::write_document(value));
            stages.push(match written {
                Ok(text) => match std::fs::write(format!("{out}.reader.xml"), text) {
                    Ok(()) => Stage { name: "reader_write", error: None },
                    Err(e) => Stage::error("reader_write", &e.to_string()),
                },
                Err(e) => Stage::error("reader_write", &e),
            });
        }
        Err(e) => stages.push(Stage::error("reader_read", e)),
    }
    let by_serde = match xml::decode_document(bytes) {
        Ok(text) => guarded(|| xml::from_str::<T>(&text)).and_then(|r| r.map_err(|e| e.to_string())),
        Err(e) => Err(e.to_string()),
    };
    match &by_serde {
        Ok(value) => {
            stages.push(Stage { name: "serde_read", error: None });
            let written = guarded(|| xml::to_string(value)).and_then(|r| r.map_err(|e| e.to_string()));
            stages.push(match written {
                Ok(text) => match std::fs::write(format!("{out}.serde.xml"), text) {
                    Ok(()) => Stage { name: "serde_write", error: None },
                    Err(e) => Stage::error("serde_write", &e.to_string()),
                },
                Err(e) => Stage::error("serde_write", &e),
            });
        }
        Err(e) => stages.push(Stage::error("serde_read", e)),
    }
    if let (Ok(a), Ok(b)) = (&by_reader, &by_serde) {
        stages.push(if a == b {
            Stage { name: "agree", error: None }
        } else {
            Stage::error("agree", "the event reader and serde read different values")
        });
    }
    stages
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let fields: Vec<&str> = line.split('\t').collect();
        let [entry, root, doc, out] = fields[..] else { continue };
        let (entry, root): (usize, usize) = (entry.parse().unwrap(), root.parse().unwrap());
        println!("begin\t{doc}");
        stdout.flush().unwrap();
        let stages = match std::fs::read(doc) {
            Ok(bytes) => dispatch(entry, root, &bytes, out),
            Err(e) => vec![Stage::error("read_file", &e.to_string())],
        };
        for stage in stages {
            let error = stage.error.unwrap_or_default().replace(['\n', '\t'], " ");
            println!("stage\t{}\t{error}", stage.name);
        }
        println!("end");
        stdout.flush().unwrap();
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(refused: bool, roots: &[&str]) -> Unit {
        Unit {
            schema: PathBuf::from("s.xsd"),
            refused: refused.then(|| "refused".to_owned()),
            roots: roots
                .iter()
                .map(|r| DocumentRoot {
                    module: vec!["s".into()],
                    rust_type: (*r).into(),
                    element: r.to_lowercase(),
                    namespace: None,
                })
                .collect(),
            compile_error: None,
        }
    }

    #[test]
    fn compile_errors_are_blamed_on_the_entry_whose_module_or_dispatch_they_are_in() {
        let units = [
            unit(false, &["A", "B"]),
            unit(true, &[]),
            unit(false, &["C"]),
        ];
        let (main, lines) = main_rs(&units);
        assert!(!main.contains("mod e1;"), "a refused entry has no module");
        let line_of = |needle: &str| main.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let arm = line_of("check::<e2::s::C>");
        assert_eq!(
            blame(&format!("src/main.rs:{arm}:9: error[E0277]: x"), &lines),
            Some(2)
        );
        let arm = line_of("check::<e0::s::B>");
        assert_eq!(
            blame(&format!("src/main.rs:{arm}:9: error[E0277]: x"), &lines),
            Some(0)
        );
        let fallback = line_of("entry not compiled");
        assert_eq!(
            blame(&format!("src/main.rs:{fallback}:1: error: x"), &lines),
            None
        );
        assert_eq!(blame("src/e2/s.rs:12:5: error[E0277]: x", &lines), Some(2));
        assert_eq!(blame("error: linking with `cc` failed", &lines), None);
        assert_eq!(
            blame("src/main.rs:3:1: error: x", &lines),
            None,
            "the fixed head"
        );
    }
}
