//! `fuzz-stable`: the fuzz targets on stable Rust, by seeded mutation of the seed corpora.
//!
//! ```text
//! fuzz-stable <schema|response_readers|where_filter|all> [--runs N] [--seed S] [--seconds T] [--corpus DIR]
//!     [--crashes DIR] [--hang-seconds H] [--jobs J] [--start N]
//! fuzz-stable <target> --replay FILE...
//! fuzz-stable <target> --write-seeds DIR
//! ```
//!
//! Defaults: 100000 runs, seed 1, no time limit, the repository's seeds, crashes in `target/fuzz-crashes/`,
//! a hang after 10 s, one job (thread running inputs), from input 0 (`--start N` continues a run that stopped
//! after N executions). Exits 1 when a run found a panic or an oracle failure,
//! 70 on a hang, 2 on a usage error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use qps_fuzz_targets::Target;
use qps_fuzz_targets::driver::{self, Options};
use qps_fuzz_targets::seeds;

struct Args {
    targets: Vec<Target>,
    options: Options,
    corpus: Option<PathBuf>,
    replay: Vec<PathBuf>,
    write_seeds: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut words = std::env::args().skip(1);
    let name = words
        .next()
        .ok_or("expected a target: schema, response_readers, where_filter or all")?;
    let targets = if name == "all" {
        Target::ALL.to_vec()
    } else {
        vec![Target::from_name(&name).ok_or_else(|| format!("unknown target `{name}`"))?]
    };
    let mut args = Args {
        targets,
        options: Options {
            runs: 100_000,
            seed: 1,
            time_limit: None,
            crash_dir: seeds::repository().join("target/fuzz-crashes"),
            hang_after: Duration::from_secs(10),
            jobs: 1,
            start: 0,
        },
        corpus: None,
        replay: Vec::new(),
        write_seeds: None,
    };
    while let Some(flag) = words.next() {
        let mut value = || words.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |text: String| {
            text.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{flag} {text:?}: {e}"))
        };
        match flag.as_str() {
            "--runs" => args.options.runs = number(value()?)?,
            "--start" => args.options.start = number(value()?)?,
            "--seed" => args.options.seed = number(value()?)?,
            "--seconds" => args.options.time_limit = Some(Duration::from_secs(number(value()?)?)),
            "--hang-seconds" => {
                args.options.hang_after = Duration::from_secs(number(value()?)?.max(1))
            }
            "--jobs" => {
                let jobs = number(value()?)?;
                if jobs == 0 || jobs > driver::MAX_JOBS as u64 {
                    return Err(format!("--jobs {jobs}: between 1 and {}", driver::MAX_JOBS));
                }
                args.options.jobs = jobs as usize;
            }
            "--crashes" => args.options.crash_dir = PathBuf::from(value()?),
            "--corpus" => args.corpus = Some(PathBuf::from(value()?)),
            "--write-seeds" => args.write_seeds = Some(PathBuf::from(value()?)),
            "--replay" => {
                args.replay.push(PathBuf::from(value()?));
                args.replay.extend(words.by_ref().map(PathBuf::from));
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("fuzz-stable: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("fuzz-stable: {e}");
            ExitCode::from(2)
        }
    }
}

/// Whether every run was clean.
fn run(args: &Args) -> Result<bool, String> {
    driver::quiet_panics();
    let mut clean = true;
    for &target in &args.targets {
        if let Some(dir) = &args.write_seeds {
            let dir = dir.join(target.name());
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let seeds = seeds::seeds(target)?;
            for (n, seed) in seeds.iter().enumerate() {
                let path = dir.join(format!("seed-{n:04}"));
                std::fs::write(&path, &seed.data)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
            println!(
                "{}: {} seeds written to {}",
                target.name(),
                seeds.len(),
                dir.display()
            );
            continue;
        }
        if !args.replay.is_empty() {
            for file in &args.replay {
                let data = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
                match driver::run_one(target, &data) {
                    Ok(()) => println!("{}: {}: ok", target.name(), file.display()),
                    Err((kind, message)) => {
                        clean = false;
                        println!("{}: {}: {kind}: {message}", target.name(), file.display());
                    }
                }
            }
            continue;
        }
        let seeds = match &args.corpus {
            Some(dir) => seeds::load_dir(&dir.join(target.name()))?,
            None => seeds::seeds(target)?,
        };
        let summary = driver::run(target, &seeds, &args.options)?;
        let secs = summary.elapsed.as_secs_f64();
        println!(
            "{}: {} executions (inputs {}..{} of {} seeds, then mutations; RNG seed {}; {} jobs) in {secs:.1} s ({:.0}/s), {} findings, peak RSS {}",
            target.name(),
            summary.executions,
            args.options.start,
            args.options.start + summary.executions,
            seeds.len(),
            args.options.seed,
            args.options.jobs,
            summary.executions as f64 / secs.max(1e-9),
            summary.findings.len(),
            peak_rss()
        );
        for finding in &summary.findings {
            clean = false;
            println!(
                "  {} x{}: {}\n    input: {}",
                finding.kind,
                finding.hits,
                finding.message,
                finding.input.display()
            );
        }
    }
    Ok(clean)
}

/// The process's peak resident size (`VmHWM`), where the system reports it.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
