//! Running independent jobs on every core, with the results in job order.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of every thread the pipeline runs on. The stages recurse along the nesting of the schema (parsing,
/// lowering, emitting, dropping the trees), which the loader bounds (`max_schema_depth`); at the default bound
/// this is far more than they use, and only the pages touched are ever committed.
const STACK: usize = 256 << 20;

thread_local! {
    /// Whether this thread was started with the pipeline's stack (by this module).
    static ON_PIPELINE_STACK: Cell<bool> = const { Cell::new(false) };
}

/// `job()`, run on a thread with the pipeline's stack: this one if it was started with that stack (by
/// [`on_pipeline_stack`] or a stage's worker), else a new one.
pub(super) fn on_big_stack<T: Send>(job: impl FnOnce() -> T + Send) -> T {
    if ON_PIPELINE_STACK.get() {
        return job();
    }
    on_pipeline_stack(job)
}

/// Runs `job` on a new thread with the stack the generator's stages need, and returns what it returns (a panic
/// in `job` resumes on the caller). Every [`Builder::generate`](crate::Builder::generate) called inside `job`
/// runs on that thread instead of starting one of its own: for a caller that runs many generations one after
/// another (a fuzz driver, a test over many schemas), this saves a thread's start and its stack's mapping per
/// generation. The stack is large (256 MiB) but only the pages touched are committed.
pub fn on_pipeline_stack<T: Send>(job: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, || {
                ON_PIPELINE_STACK.set(true);
                job()
            })
            .expect("spawn a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The cores the system reports (1 when it cannot say).
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `job(0)`, ..., `job(count - 1)`, run on up to `workers` threads (each takes the next job when it is done with
/// one; one worker runs them all on the calling thread), the results in job order.
pub(super) fn on_every_core<T: Send>(
    count: usize,
    workers: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let workers = workers.min(count);
    if workers <= 1 {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, job) = (&next, &job);
                let worker = std::thread::Builder::new().stack_size(STACK);
                worker
                    .spawn_scoped(scope, move || {
                        ON_PIPELINE_STACK.set(true);
                        let mut out = Vec::new();
                        loop {
                            let n = next.fetch_add(1, Ordering::Relaxed);
                            if n >= count {
                                return out;
                            }
                            out.push((n, job(n)));
                        }
                    })
                    .expect("spawn a thread")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(n, _)| *n);
    done.into_iter().map(|(_, t)| t).collect()
}
