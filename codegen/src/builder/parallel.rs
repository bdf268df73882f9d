//! Running independent jobs on every core, with the results in job order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of every thread the pipeline runs on. The stages recurse along the nesting of the schema (parsing,
/// lowering, emitting, dropping the trees), which the loader bounds (`max_schema_depth`); at the default bound
/// this is far more than they use, and only the pages touched are ever committed.
const STACK: usize = 256 << 20;

/// `job()`, run on a thread with the pipeline's stack.
pub(super) fn on_big_stack<T: Send>(job: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, job)
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
