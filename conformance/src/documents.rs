//! The documents of the compiled entries: picked a type by their document element, read and written back by the
//! runner (restarted after a crash, stopped after a time limit), then each output validated with xmllint against
//! the entry schema and compared with the input, strictly and loosely.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::project::Unit;
use qps_xmllint::strict;

/// How long the runner may take over one batch of documents before it is stopped.
const BATCH_LIMIT: Duration = Duration::from_secs(120);

/// What became of one document: each stage that ran, and its error if it failed. Stages: `dispatch`,
/// `reader_read`, `reader_write`, `reader_valid`, `reader_equal`, `reader_equal_loose`, the same for `serde`,
/// and `agree` (both reads gave the same value).
#[derive(Debug, Default)]
pub struct Outcome {
    pub doc: PathBuf,
    pub stages: BTreeMap<String, Result<(), String>>,
}

impl Outcome {
    pub fn passed(&self, stage: &str) -> bool {
        matches!(self.stages.get(stage), Some(Ok(())))
    }
}

/// What the runner said of each document: its stages in order, with their errors.
type StageLog = BTreeMap<PathBuf, Vec<(String, Result<(), String>)>>;

/// One document to run: the entry, the root's index among its roots, the document, where its outputs go.
struct Job {
    entry: usize,
    root: usize,
    doc: PathBuf,
    out: PathBuf,
}

/// Runs every document of `entries` (per unit, its documents) and checks the outputs.
pub fn run(
    units: &[Unit],
    documents: &[Vec<PathBuf>],
    runner: Option<&Path>,
    out_dir: &Path,
) -> Vec<Vec<Outcome>> {
    let _ = std::fs::remove_dir_all(out_dir);
    let _ = std::fs::create_dir_all(out_dir);
    let mut outcomes: Vec<Vec<Outcome>> = Vec::new();
    let mut jobs = Vec::new();
    for (n, (unit, docs)) in units.iter().zip(documents).enumerate() {
        let mut list = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            let mut outcome = Outcome {
                doc: doc.clone(),
                ..Outcome::default()
            };
            if unit.compiled() {
                match pick_root(unit, doc) {
                    Ok(root) => {
                        outcome.stages.insert("dispatch".into(), Ok(()));
                        jobs.push((
                            (n, d),
                            Job {
                                entry: n,
                                root,
                                doc: doc.clone(),
                                out: out_dir.join(format!("e{n}-d{d}")),
                            },
                        ));
                    }
                    Err(e) => {
                        outcome.stages.insert("dispatch".into(), Err(e));
                    }
                }
            }
            list.push(outcome);
        }
        outcomes.push(list);
    }
    if let Some(runner) = runner {
        let results = run_batches(runner, &jobs);
        for ((n, d), job) in &jobs {
            let outcome = &mut outcomes[*n][*d];
            if let Some(stages) = results.get(&job.doc) {
                for (stage, result) in stages {
                    outcome.stages.insert(stage.clone(), result.clone());
                }
            }
            check_outputs(&units[*n].schema, job, outcome);
        }
    }
    outcomes
}

/// The index of the generated root whose element and namespace are the document element's.
fn pick_root(unit: &Unit, doc: &Path) -> Result<usize, String> {
    // Only the document element's name is needed here: a document in another encoding is read lossily (the
    // runner gets its bytes as they are), and a DTD is allowed.
    let bytes = std::fs::read(doc).map_err(|e| format!("{}: {e}", doc.display()))?;
    // Not UTF-8: read as Latin-1, which names the characters of ISO-8859-1 and of windows-1252's letters alike
    // (enough for an element name).
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let parsed = roxmltree::Document::parse_with_options(&text, options)
        .map_err(|e| format!("{}: {e}", doc.display()))?;
    let tag = parsed.root_element().tag_name();
    // `xmlns=""` is no namespace.
    let namespace = tag.namespace().filter(|ns| !ns.is_empty());
    unit.roots
        .iter()
        .position(|r| r.element == tag.name() && r.namespace.as_deref() == namespace)
        .ok_or_else(|| {
            format!(
                "no generated type has document element {{{}}}{} ({} roots generated)",
                tag.namespace().unwrap_or(""),
                tag.name(),
                unit.roots.len()
            )
        })
}

/// Feeds the jobs to the runner; a document the runner began and never ended crashed it, and the runner is
/// started again on the documents after it.
fn run_batches(runner: &Path, jobs: &[((usize, usize), Job)]) -> StageLog {
    let mut results = StageLog::new();
    let mut next = 0;
    while next < jobs.len() {
        let input: String = jobs[next..]
            .iter()
            .map(|(_, j)| {
                format!(
                    "{}\t{}\t{}\t{}\n",
                    j.entry,
                    j.root,
                    j.doc.display(),
                    j.out.display()
                )
            })
            .collect();
        let (lines, status) = match run_once(runner, &input) {
            Ok(done) => done,
            Err(e) => {
                for (_, job) in &jobs[next..] {
                    results.insert(job.doc.clone(), vec![("crash".into(), Err(e.clone()))]);
                }
                return results;
            }
        };
        let mut current: Option<PathBuf> = None;
        for line in lines {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            match fields[..] {
                ["begin", doc] => {
                    current = Some(PathBuf::from(doc));
                    results.entry(PathBuf::from(doc)).or_default();
                }
                ["stage", name, error] => {
                    if let Some(doc) = &current {
                        let result = if error.is_empty() {
                            Ok(())
                        } else {
                            Err(error.to_owned())
                        };
                        results
                            .entry(doc.clone())
                            .or_default()
                            .push((name.to_owned(), result));
                    }
                }
                ["end"] => {
                    current = None;
                    next += 1;
                }
                _ => {}
            }
        }
        if let Some(doc) = current {
            // The runner died inside this document.
            results
                .entry(doc)
                .or_default()
                .push(("crash".into(), Err(format!("the runner crashed: {status}"))));
            next += 1;
        } else if next < jobs.len() {
            // Stopped between documents (cannot start, or the time limit): the rest is not run.
            for (_, job) in &jobs[next..] {
                results.entry(job.doc.clone()).or_default().push((
                    "crash".into(),
                    Err(format!("not run: the runner stopped ({status})")),
                ));
            }
            break;
        }
    }
    results
}

/// One runner process over `input`: the lines it printed, and how it ended.
fn run_once(runner: &Path, input: &str) -> Result<(Vec<String>, String), String> {
    let mut child = Command::new(runner)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", runner.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status.to_string();
        }
        if start.elapsed() > BATCH_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break format!("stopped after {} s", BATCH_LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let lines = reader.join().unwrap_or_default();
    Ok((lines, status))
}

/// Validates and compares the outputs the runner wrote.
fn check_outputs(schema: &Path, job: &Job, outcome: &mut Outcome) {
    // The input as text, decoded from its declared encoding as the readers decode it.
    let input = std::fs::read(&job.doc)
        .ok()
        .and_then(|bytes| {
            qps_runtime::xml::decode_document(&bytes)
                .ok()
                .map(|text| text.into_owned())
        })
        .unwrap_or_default();
    for how in ["reader", "serde"] {
        if !outcome.passed(&format!("{how}_write")) {
            continue;
        }
        let path = job.out.with_file_name(format!(
            "{}.{how}.xml",
            job.out.file_name().unwrap_or_default().to_string_lossy()
        ));
        let Ok(output) = std::fs::read_to_string(&path) else {
            continue;
        };
        let valid = qps_xmllint::validate(schema, output.as_bytes()).map_err(|e| one_line(&e));
        outcome.stages.insert(format!("{how}_valid"), valid);
        outcome
            .stages
            .insert(format!("{how}_equal"), strict::compare(&input, &output));
        let loose = qps_xmllint::compare(&input, &output, "output").map_err(|e| one_line(&e));
        outcome.stages.insert(format!("{how}_equal_loose"), loose);
    }
}

/// The first line of `text` that tells an error (xmllint prints warnings first), else its first line.
fn one_line(text: &str) -> String {
    text.lines()
        .find(|l| l.contains("error"))
        .or_else(|| text.lines().next())
        .unwrap_or("")
        .to_owned()
}
