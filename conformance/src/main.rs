//! `qps-conformance`: measures the plain-XSD generator of this workspace on a corpus of real schemas with
//! instance documents (see `CONFORMANCE.md`; the corpus comes from `scripts/conformance/fetch.py`).
//!
//! ```text
//! cargo run -p qps-conformance -- [target/conformance/manifest.toml] [--set NAME]... [--report FILE]
//! ```
//!
//! For each entry schema: generate with `Builder::plain_xsd()` (a refusal is recorded with its error), compile
//! the bindings into one runner crate under `<manifest dir>/runner`, one module and feature per entry, built in
//! `<manifest dir>/target` (an entry whose module does not compile is recorded with its first error and left
//! out); then for each document: read it with the event reader and with serde, write it back with the
//! generated writer and with serde, validate both outputs with xmllint against the entry schema, and compare
//! them with the input canonically. Prints the table and the failure classes (markdown), and writes them to
//! the report file (default `<manifest dir>/report.md`), and every entry's and document's stages
//! (`ok` or the error) to `<manifest dir>/results.tsv`.

mod documents;
mod manifest;
mod project;
mod report;

use std::path::{Path, PathBuf};
use std::time::Instant;

use manifest::Manifest;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut manifest_path = PathBuf::from("target/conformance/manifest.toml");
    let mut only: Vec<String> = Vec::new();
    let mut report_path: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--set" => only.push(args.next().ok_or("--set needs a name")?),
            "--report" => report_path = Some(args.next().ok_or("--report needs a file")?.into()),
            "-h" | "--help" => {
                println!("usage: qps-conformance [MANIFEST] [--set NAME]... [--report FILE]");
                return Ok(());
            }
            _ => manifest_path = PathBuf::from(arg),
        }
    }
    let manifest_path = std::path::absolute(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let base = manifest_path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut manifest = Manifest::load(&manifest_path)?;
    if !only.is_empty() {
        manifest.sets.retain(|s| only.contains(&s.name));
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
        .to_path_buf();

    let started = Instant::now();
    let schemas: Vec<PathBuf> = manifest
        .sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.schema.clone()))
        .collect();
    let documents: Vec<Vec<PathBuf>> = manifest
        .sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.documents.clone()))
        .collect();
    let crate_dir = base.join("runner");
    let mut units = project::generate(&schemas, &crate_dir);
    let generated_at = started.elapsed();
    let runner = project::build(&mut units, &crate_dir, &base.join("target"), &workspace)?;
    let built_at = started.elapsed();
    let outcomes = documents::run(&units, &documents, runner.as_deref(), &base.join("out"));
    let done_at = started.elapsed();

    let mut results = Vec::new();
    let mut next = 0;
    for set in &manifest.sets {
        let range = next..next + set.entries.len();
        next = range.end;
        results.push(report::SetResult {
            set,
            units: units[range.clone()].iter().collect(),
            outcomes: outcomes[range].iter().map(Vec::as_slice).collect(),
        });
    }
    let mut text = report::markdown(&results, &base);
    text.push_str("Sets:\n\n");
    for set in &manifest.sets {
        text.push_str(&format!(
            "- `{}`: {} ({})\n",
            set.name, set.about, set.source
        ));
    }
    text.push('\n');
    text.push_str(&format!(
        "Timing: generate {:.1} s, build {:.1} s, documents {:.1} s.\n\nLeft out by the manifest (not valid by xmllint, or no schema): {}\n",
        generated_at.as_secs_f64(),
        (built_at - generated_at).as_secs_f64(),
        (done_at - built_at).as_secs_f64(),
        manifest
            .sets
            .iter()
            .map(|s| format!(
                "{}: {} of {} documents found ({})",
                s.name,
                s.excluded.values().sum::<usize>(),
                s.found,
                s.excluded
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    print!("{text}");
    let mut tsv = String::new();
    for unit in &units {
        let schema = unit
            .schema
            .strip_prefix(&base)
            .unwrap_or(&unit.schema)
            .display();
        let generate = unit.refused.as_deref().unwrap_or("ok");
        tsv.push_str(&format!("{schema}\tgenerate\t{generate}\n"));
        if unit.refused.is_none() {
            let compile = unit.compile_error.as_deref().unwrap_or("ok");
            tsv.push_str(&format!("{schema}\tcompile\t{compile}\n"));
        }
    }
    for outcome in outcomes.iter().flatten() {
        for (stage, result) in &outcome.stages {
            let doc = outcome
                .doc
                .strip_prefix(&base)
                .unwrap_or(&outcome.doc)
                .display();
            let verdict = result.as_ref().err().map_or("ok", String::as_str);
            tsv.push_str(&format!("{doc}\t{stage}\t{verdict}\n"));
        }
    }
    let results_path = base.join("results.tsv");
    std::fs::write(&results_path, tsv).map_err(|e| format!("{}: {e}", results_path.display()))?;
    let report_path = report_path.unwrap_or_else(|| base.join("report.md"));
    std::fs::write(&report_path, &text).map_err(|e| format!("{}: {e}", report_path.display()))?;
    Ok(())
}
