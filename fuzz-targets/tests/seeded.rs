//! The fuzz targets under a short seeded mutation run each (the same RNG seed every time, so a failure
//! repeats): no panic in the schema loader and generator, the response readers and the record stream, or the
//! `--where` parser, and no broken oracle where the outcome must be exact (the `--where` criterion written back,
//! the slice and the chunked readers' verdicts).

use std::time::Duration;

use qps_fuzz_targets::Target;
use qps_fuzz_targets::driver::{self, Finding, Options};
use qps_fuzz_targets::seeds::{self, Seed};

fn options(runs: u64) -> Options {
    Options {
        runs,
        seed: 0x00F0_22ED,
        time_limit: None,
        crash_dir: seeds::repository().join("target/fuzz-crashes/tests"),
        hang_after: Duration::from_secs(60),
        // Two threads, so the driver's own concurrency is under test too.
        jobs: 2,
        start: 0,
    }
}

fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} x{}: {} (input {})",
                f.kind,
                f.hits,
                f.message,
                f.input.display()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(target: Target, seeds: &[Seed], runs: u64, kinds: &[&str]) {
    driver::quiet_panics();
    let summary = driver::run(target, seeds, &options(runs)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.executions, seeds.len() as u64 + runs);
    let bad: Vec<&Finding> = summary
        .findings
        .iter()
        .filter(|f| kinds.contains(&f.kind))
        .collect();
    println!(
        "{}: {} inputs in {:?}, {} findings ({} counted here)",
        target.name(),
        summary.executions,
        summary.elapsed,
        summary.findings.len(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}:\n{}", target.name(), describe(&bad));
}

#[test]
fn where_parser_survives_mutations_and_writes_what_it_accepted() {
    let seeds = seeds::seeds(Target::WhereFilter).unwrap();
    assert!(
        seeds.len() > 100,
        "one seed per catalog filter and operator"
    );
    run(Target::WhereFilter, &seeds, 30_000, &["panic", "oracle"]);
}

#[test]
fn response_readers_and_record_stream_survive_mutations() {
    let seeds = seeds::seeds(Target::ResponseReaders).unwrap();
    assert!(
        seeds.len() >= 39,
        "the seed samples and the fixture documents"
    );
    // A panic, or the slice and the chunked reader disagreeing on a document or a record stream.
    run(Target::ResponseReaders, &seeds, 1_500, &["panic", "oracle"]);
}

#[test]
fn schema_generator_survives_mutations() {
    // The small fixture schemas: the bundled ones take long to generate in a debug build.
    let seeds: Vec<Seed> = seeds::seeds(Target::Schema)
        .unwrap()
        .into_iter()
        .filter(|s| s.name.starts_with("fixtures/xsd/") && s.data.len() < 4096)
        .collect();
    assert!(seeds.len() >= 10, "{} small fixture schemas", seeds.len());
    run(Target::Schema, &seeds, 60, &["panic", "oracle"]);
}

#[test]
fn inputs_do_not_depend_on_the_order_they_are_drawn_in() {
    let corpus: Vec<Vec<u8>> = seeds::seeds(Target::WhereFilter)
        .unwrap()
        .into_iter()
        .map(|s| s.data)
        .collect();
    let n = corpus.len() as u64;
    let forward: Vec<Vec<u8>> = (0..n + 200).map(|k| driver::input(&corpus, 7, k)).collect();
    let backward: Vec<Vec<u8>> = (0..n + 200)
        .rev()
        .map(|k| driver::input(&corpus, 7, k))
        .collect();
    assert!(forward.iter().eq(backward.iter().rev()));
    assert_eq!(&forward[..corpus.len()], &corpus[..]);
    let distinct: std::collections::HashSet<&Vec<u8>> = forward[corpus.len()..].iter().collect();
    assert!(
        distinct.len() > 150,
        "{} distinct mutations of 200",
        distinct.len()
    );
    assert_ne!(driver::input(&corpus, 7, n), driver::input(&corpus, 8, n));
}

#[test]
fn a_run_continued_from_input_k_runs_the_rest() {
    let seeds = seeds::seeds(Target::WhereFilter).unwrap();
    let options = Options {
        start: 1_000,
        ..options(2_000)
    };
    driver::quiet_panics();
    let summary = driver::run(Target::WhereFilter, &seeds, &options).unwrap();
    assert_eq!(summary.executions, seeds.len() as u64 + 2_000 - 1_000);
    assert!(
        summary.findings.is_empty(),
        "{}",
        describe(&summary.findings.iter().collect::<Vec<_>>())
    );
}
