//! The stable driver: runs a target on its seeds, then on seeded mutations of them ([`crate::mutate`]), catching
//! panics and oracle failures, and watching for an input that takes too long. A finding's input is saved to the
//! crash folder, named by target and hash, so it can be replayed (`fuzz-stable <target> --replay FILE`, or the
//! cargo-fuzz target).

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::Target;
use crate::mutate::{Rng, mutate};
use crate::seeds::Seed;

/// How a run is bounded.
#[derive(Debug, Clone)]
pub struct Options {
    /// Mutated inputs to run (after the seeds themselves).
    pub runs: u64,
    /// The first input to run: inputs `start..` of the run's sequence (the seeds, then the mutations). Since
    /// every input is drawn from the RNG seed and its number alone, a run stopped after `k` executions is
    /// continued by the same run with `start` set to `k`, and the two cover exactly the inputs of one run.
    pub start: u64,
    /// The RNG seed: the same seed and seeds give the same inputs.
    pub seed: u64,
    /// Stop early after this long, if set.
    pub time_limit: Option<Duration>,
    /// Where findings' inputs are written (created when needed).
    pub crash_dir: PathBuf,
    /// An input still running after this long is reported as a hang: its input is saved and the process exits
    /// with code 70.
    pub hang_after: Duration,
    /// Threads running inputs at once (at least 1, at most [`MAX_JOBS`]).
    pub jobs: usize,
}

/// What a target did on one input that it must not.
#[derive(Debug, Clone)]
pub struct Finding {
    /// `panic`, or `oracle` (a target's check failed).
    pub kind: &'static str,
    /// The panic message and place, or the check's message.
    pub message: String,
    /// How many inputs gave the same message.
    pub hits: u64,
    /// The first such input, as saved.
    pub input: PathBuf,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs run (seeds and mutations).
    pub executions: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Distinct findings (by message), at most [`MAX_FINDINGS`].
    pub findings: Vec<Finding>,
}

/// The most distinct findings a run keeps.
pub const MAX_FINDINGS: usize = 64;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the panic hook with one that records the message and place for the driver instead of printing
/// them (a long run would otherwise print every panic).
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = payload_text(info.payload());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{message}{place}")));
    }));
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// Runs `target` once on `data`: `Err((kind, message))` for a panic or an oracle failure.
pub fn run_one(target: Target, data: &[u8]) -> Result<(), (&'static str, String)> {
    LAST_PANIC.with(|last| last.borrow_mut().take());
    match catch_unwind(AssertUnwindSafe(|| target.run(data))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(("oracle", message)),
        Err(payload) => {
            let message = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_else(|| payload_text(payload.as_ref()));
            Err(("panic", message))
        }
    }
}

/// What each worker shows the watchdog: the input it is running, how many it finished, and whether it is done.
#[derive(Default)]
struct Slot {
    current: Mutex<Arc<Vec<u8>>>,
    finished: AtomicU64,
    done: AtomicBool,
}

/// Runs `target` on each of `seeds`, then on `options.runs` mutations of them, on `options.jobs` threads,
/// beginning at input `options.start`. Input `n` is the same whatever the number of jobs: the seeds first, then
/// mutation `n` drawn from an RNG seeded by `options.seed` and `n` ([`Rng::for_input`]). A run stopped by its
/// time limit after `k` executions has run inputs `start..start + k`, none skipped.
pub fn run(target: Target, seeds: &[Seed], options: &Options) -> Result<Summary, String> {
    if seeds.is_empty() {
        return Err(format!("{}: no seed inputs", target.name()));
    }
    let corpus: Vec<Vec<u8>> = seeds.iter().map(|s| s.data.clone()).collect();
    let total = corpus.len() as u64 + options.runs;
    let jobs = options.jobs.clamp(1, MAX_JOBS);
    let slots: Vec<Slot> = (0..jobs).map(|_| Slot::default()).collect();
    let next = AtomicU64::new(options.start);
    let stop = AtomicBool::new(false);
    let summary = Mutex::new(Summary::default());
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let start = Instant::now();
    std::thread::scope(|scope| -> Result<(), String> {
        let workers: Vec<_> = slots
            .iter()
            .map(|slot| {
                let (corpus, next, stop, summary, failure) =
                    (&corpus, &next, &stop, &summary, &failure);
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || {
                        // One thread with the generator's stack for the worker's whole life, not one per
                        // generation: starting and unmapping those stacks serialised the workers.
                        qps_codegen::on_pipeline_stack(|| {
                            loop {
                                let n = next.fetch_add(1, Ordering::Relaxed);
                                if n >= total
                                    || stop.load(Ordering::Relaxed)
                                    || options
                                        .time_limit
                                        .is_some_and(|limit| start.elapsed() >= limit)
                                {
                                    break;
                                }
                                let input = Arc::new(input(corpus, options.seed, n));
                                *lock(&slot.current) = Arc::clone(&input);
                                let outcome = run_one(target, &input);
                                slot.finished.fetch_add(1, Ordering::Relaxed);
                                let mut summary = lock(summary);
                                summary.executions += 1;
                                if let Err((kind, message)) = outcome
                                    && let Err(e) =
                                        record(&mut summary, target, options, kind, message, &input)
                                {
                                    lock(failure).get_or_insert(e);
                                    stop.store(true, Ordering::Relaxed);
                                }
                            }
                        });
                        slot.done.store(true, Ordering::Relaxed);
                    })
                    .map_err(|e| format!("start a worker thread: {e}"))
            })
            .collect::<Result<_, _>>()?;
        let all_done = || slots.iter().all(|slot| slot.done.load(Ordering::Relaxed));
        watch(target, options, &slots, all_done);
        for worker in workers {
            if worker.join().is_err() {
                return Err("a worker thread failed outside a target run".to_owned());
            }
        }
        Ok(())
    })?;
    if let Some(e) = lock(&failure).take() {
        return Err(e);
    }
    let mut summary = summary.into_inner().unwrap_or_else(|p| p.into_inner());
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Input `n` of a run over `corpus` with RNG seed `seed`: seed `n` itself while there is one, then a mutation
/// drawn from an RNG seeded by `seed` and `n` alone.
pub fn input(corpus: &[Vec<u8>], seed: u64, n: u64) -> Vec<u8> {
    match corpus.get(n as usize) {
        Some(data) => data.clone(),
        None => mutate(&mut Rng::for_input(seed, n), corpus),
    }
}

/// The most worker threads a run starts.
pub const MAX_JOBS: usize = 64;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn record(
    summary: &mut Summary,
    target: Target,
    options: &Options,
    kind: &'static str,
    message: String,
    input: &[u8],
) -> Result<(), String> {
    if let Some(seen) = summary
        .findings
        .iter_mut()
        .find(|f| f.kind == kind && f.message == message)
    {
        seen.hits += 1;
        return Ok(());
    }
    if summary.findings.len() >= MAX_FINDINGS {
        return Ok(());
    }
    let input = save(&options.crash_dir, target, kind, input)?;
    summary.findings.push(Finding {
        kind,
        message,
        hits: 1,
        input,
    });
    Ok(())
}

/// Writes `input` to `dir/<target>-<kind>-<hash>.bin`.
pub fn save(dir: &Path, target: Target, kind: &str, input: &[u8]) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!(
        "{}-{kind}-{:016x}.bin",
        target.name(),
        fnv1a(input)
    ));
    std::fs::write(&path, input).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Watches the workers until `all_done()`: when one of them finishes no input for `options.hang_after`, saves
/// the input it is running and ends the process (exit code 70).
fn watch(target: Target, options: &Options, slots: &[Slot], all_done: impl Fn() -> bool) {
    let hang_after = options.hang_after;
    let tick = Duration::from_millis(50).min(hang_after);
    let mut last: Vec<(u64, Instant)> = slots
        .iter()
        .map(|slot| (slot.finished.load(Ordering::Relaxed), Instant::now()))
        .collect();
    while !all_done() {
        std::thread::sleep(tick);
        for (slot, last) in slots.iter().zip(&mut last) {
            let now = slot.finished.load(Ordering::Relaxed);
            if now != last.0 || slot.done.load(Ordering::Relaxed) {
                *last = (now, Instant::now());
            } else if last.1.elapsed() >= hang_after {
                let input = Arc::clone(&lock(&slot.current));
                let saved = save(&options.crash_dir, target, "hang", &input)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|e| format!("(not saved: {e})"));
                eprintln!(
                    "{}: an input ran for more than {:?} (input {} bytes, saved to {saved})",
                    target.name(),
                    hang_after,
                    input.len()
                );
                std::process::exit(70);
            }
        }
    }
}
