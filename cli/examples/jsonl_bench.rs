//! `qps ... --format jsonl` against reading alone, on the same responses, side by side in one run.
//!
//! For each record count (`--counts`, default 10,000 and 100,000 web apps) the local QPS server is started
//! with that many records, and four programs run as child processes, each `--runs` times (default 3, the
//! fastest wall time kept; peak RSS from GNU time, `/usr/bin/time -v`, the largest of the runs):
//!
//! - `read saved pages`: this example in its reading mode, over the page bodies saved from the server (pages of
//!   1,000): each file read, its records streamed through the generated reader (`ItemStream`) and dropped;
//! - `qps decode jsonl`: `qps decode was/webapp FILES... --format jsonl` over the same files, to /dev/null;
//! - `read from server`: this example walking the server with the generated `search_all`, records dropped;
//! - `qps --all jsonl`: `qps was webapp search --all --format jsonl` against the same server, to /dev/null.
//!
//! The ratios compare each `qps` row with the reading row above it. The `qps` binary is the one built next to
//! this example (`target/<profile>/qps`), or `--qps PATH`.
//!
//! Run with `scripts/cli-bench.sh` (it builds both in release first).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qps_testserver::{Config, TestServer, bench};
use qualys_qps::prelude::*;
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::{BaseUrl, Credentials};
use qualys_qps::was::webapp;

/// The records per page, as `qps --all` and `search_all` ask for by default.
const PAGE: u32 = 1000;

struct Args {
    counts: Vec<usize>,
    runs: usize,
    qps: PathBuf,
}

fn main() {
    let mut given = std::env::args().skip(1);
    let result = match given.next().as_deref() {
        // The child modes: the reading under measurement.
        Some("read-files") => read_files(given.map(PathBuf::from).collect()),
        Some("read-server") => read_server(given.collect()),
        _ => args().and_then(|args| bench(&args)),
    };
    if let Err(e) = result {
        eprintln!("jsonl_bench: {e}");
        std::process::exit(1);
    }
}

fn args() -> Result<Args, String> {
    let exe = std::env::current_exe().map_err(|e| format!("where is this example? {e}"))?;
    // target/<profile>/examples/jsonl_bench -> target/<profile>/qps
    let qps = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("qps"))
        .ok_or_else(|| format!("{} has no parent folder", exe.display()))?;
    let mut args = Args {
        counts: vec![10_000, 100_000],
        runs: 3,
        qps,
    };
    for pair in bench::flag_values(std::env::args().skip(1)) {
        let (flag, value) = pair?;
        let number = |text: &str| bench::whole_number::<usize>(&flag, text);
        match flag.as_str() {
            "--counts" => {
                args.counts = value.split(',').map(number).collect::<Result<_, _>>()?;
            }
            "--runs" => args.runs = number(&value)?.max(1),
            "--qps" => args.qps = PathBuf::from(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if !args.qps.is_file() {
        return Err(format!(
            "no qps binary at {} (build it: cargo build --release -p qps-cli, or give --qps PATH)",
            args.qps.display()
        ));
    }
    Ok(args)
}

/// Reading alone, over saved pages: each file's records streamed and dropped.
fn read_files(files: Vec<PathBuf>) -> Result<(), String> {
    let items = <webapp::ServiceResponse as ResponseEnvelope>::ITEM_ELEMENTS;
    let mut records = 0usize;
    for file in &files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let stream = ItemStream::<_, webapp::WebApp>::from_bytes(&bytes, items)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        for record in stream {
            drop(record.map_err(|e| format!("{}: {e}", file.display()))?);
            records += 1;
        }
    }
    eprintln!("{records} records");
    Ok(())
}

/// Reading alone, from the server: every page of `search_all`, records dropped.
fn read_server(given: Vec<String>) -> Result<(), String> {
    let [base, user, password] = given.as_slice() else {
        return Err("read-server needs BASE_URL USER PASSWORD".into());
    };
    let client = Client::builder()
        .base_url(BaseUrl::parse(base).map_err(|e| e.to_string())?)
        .credentials(Credentials::new(user.clone(), password.clone()))
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))?;
    let records = runtime.block_on(async {
        let mut stream = client
            .was()
            .webapp()
            .search_all([], PagingMode::Id { page_size: PAGE });
        let mut records = 0usize;
        while let Some(app) = stream.try_next().await.map_err(|e| e.to_string())? {
            drop(app);
            records += 1;
        }
        Ok::<_, String>(records)
    })?;
    eprintln!("{records} records");
    Ok(())
}

/// Runs `qps args` once and checks that it wrote `expected` lines.
fn lines_written(
    qps: &Path,
    args: &[String],
    env: &[(&str, &str)],
    expected: usize,
) -> Result<(), String> {
    let mut command = Command::new(qps);
    command.args(args).stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", qps.display()))?;
    let lines = output.stdout.iter().filter(|&&b| b == b'\n').count();
    if !output.status.success() || lines != expected {
        return Err(format!(
            "qps {} wrote {lines} lines, not {expected}: {}",
            args[..3.min(args.len())].join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(())
}

/// One measured program: the fastest wall time of the runs, and the largest peak RSS.
struct Measured {
    wall: Duration,
    rss_kib: u64,
}

/// Runs `program args` `runs` times under GNU time, stdout to /dev/null.
fn measure(
    runs: usize,
    program: &Path,
    args: &[String],
    env: &[(&str, &str)],
    expected: Option<usize>,
) -> Result<Measured, String> {
    let report = std::env::temp_dir().join(format!("jsonl-bench-time-{}", std::process::id()));
    let mut best: Option<Measured> = None;
    for _ in 0..runs {
        let null = std::fs::File::create("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
        let mut command = Command::new("/usr/bin/time");
        command
            .arg("-v")
            .arg("-o")
            .arg(&report)
            .arg(program)
            .args(args)
            .stdout(Stdio::from(null))
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let started = Instant::now();
        let output = command
            .output()
            .map_err(|e| format!("cannot run /usr/bin/time {}: {e}", program.display()))?;
        let wall = started.elapsed();
        if !output.status.success() {
            return Err(format!(
                "{} {} failed: {}",
                program.display(),
                args.first().map_or("", String::as_str),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        if let Some(expected) = expected {
            let said = String::from_utf8_lossy(&output.stderr);
            if said.trim() != format!("{expected} records") {
                return Err(format!(
                    "{} {}: {:?}, not {expected} records",
                    program.display(),
                    args.first().map_or("", String::as_str),
                    said.trim()
                ));
            }
        }
        let text = std::fs::read_to_string(&report)
            .map_err(|e| format!("cannot read GNU time's report: {e}"))?;
        let rss_kib = text
            .lines()
            .find_map(|line| {
                line.trim()
                    .strip_prefix("Maximum resident set size (kbytes):")
            })
            .and_then(|n| n.trim().parse::<u64>().ok())
            .ok_or("GNU time's report has no maximum resident set size")?;
        best = Some(match best {
            None => Measured { wall, rss_kib },
            Some(b) => Measured {
                wall: b.wall.min(wall),
                rss_kib: b.rss_kib.max(rss_kib),
            },
        });
    }
    let _ = std::fs::remove_file(&report);
    best.ok_or_else(|| "no run".into())
}

fn row(records: usize, what: &str, measured: &Measured, against: Option<&Measured>) {
    let ratio = against.map_or(String::new(), |a| {
        format!("{:.2}x", measured.wall.as_secs_f64() / a.wall.as_secs_f64())
    });
    println!(
        "{records:>8}  {what:<18} {:>8.3} s {:>10.1} MB {ratio:>7}",
        measured.wall.as_secs_f64(),
        measured.rss_kib as f64 / 1024.0,
    );
}

fn bench(args: &Args) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| format!("where is this example? {e}"))?;
    println!(
        "best of {} runs; peak RSS the largest; ratio: the qps row over the reading row above it",
        args.runs
    );
    println!(
        "{:>8}  {:<18} {:>10} {:>13} {:>7}",
        "records", "what", "wall", "peak RSS", "ratio"
    );
    for &n in &args.counts {
        let server = TestServer::start_blocking(Config::default());
        server.generate::<webapp::WebApp>(n);
        let config = server.config();
        let (base, user, password) = (
            server.base_url().to_owned(),
            config.username.clone(),
            config.password.clone(),
        );

        let from_server = measure(
            args.runs,
            &me,
            &[
                "read-server".into(),
                base.clone(),
                user.clone(),
                password.clone(),
            ],
            &[],
            Some(n),
        )?;
        // The page bodies the server sent on the first walk.
        let pages = std::env::temp_dir().join(format!("jsonl-bench-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&pages).map_err(|e| format!("{}: {e}", pages.display()))?;
        let walk = n.div_ceil(PAGE as usize).max(1);
        let mut files = Vec::with_capacity(walk);
        for (i, request) in server.requests().iter().take(walk).enumerate() {
            let file = pages.join(format!("page-{i:04}.xml"));
            std::fs::write(&file, &request.response_body)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            files.push(file.display().to_string());
        }

        let mut read_args = vec!["read-files".to_owned()];
        read_args.extend(files.iter().cloned());
        let read = measure(args.runs, &me, &read_args, &[], Some(n))?;
        let mut decode_args: Vec<String> = ["decode", "was/webapp", "--format", "jsonl"]
            .map(str::to_owned)
            .to_vec();
        decode_args.extend(files.iter().cloned());
        let decode = measure(args.runs, &args.qps, &decode_args, &[], None)?;

        let home = pages.join("home");
        let home = home.display().to_string();
        let env = [
            ("QUALYS_BASE_URL", base.as_str()),
            ("QUALYS_USERNAME", user.as_str()),
            ("QUALYS_PASSWORD", password.as_str()),
            ("HOME", home.as_str()),
        ];
        let search_args: Vec<String> = ["was", "webapp", "search", "--all", "--format", "jsonl"]
            .map(str::to_owned)
            .to_vec();
        let all = measure(args.runs, &args.qps, &search_args, &env, None)?;
        // Once more each, untimed, to check that qps wrote every record.
        lines_written(&args.qps, &decode_args, &[], n)?;
        lines_written(&args.qps, &search_args, &env, n)?;

        row(n, "read saved pages", &read, None);
        row(n, "qps decode jsonl", &decode, Some(&read));
        row(n, "read from server", &from_server, None);
        row(n, "qps --all jsonl", &all, Some(&from_server));
        let _ = std::fs::remove_dir_all(&pages);
    }
    Ok(())
}
