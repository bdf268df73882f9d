//! The client's concurrency cap.
//!
//! A count of requests in flight against a limit: the configured ceiling, lowered (or raised back, never above
//! the ceiling) to the `X-Concurrency-Limit-Limit` the server last reported. A slot is taken only while fewer
//! than the current limit are in flight, so a lowered limit holds at once for every caller still waiting, and
//! the requests already running above it finish without being replaced.

use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

/// The concurrency cap (see the [module docs](self)). Shared by every clone of a client.
pub(crate) struct Limiter {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Woken whenever a slot frees up or the limit rises.
    changed: Notify,
}

#[derive(Debug, Clone, Copy)]
struct State {
    in_flight: usize,
    /// min(ceiling, last server limit).
    limit: usize,
    /// The configured limit (`usize::MAX` when none was set).
    ceiling: usize,
}

/// One slot of the cap, given back when dropped. Owned, so that a streamed body keeps it until it has been read.
pub(crate) struct Permit {
    shared: Arc<Shared>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.shared.lock().in_flight -= 1;
        self.shared.changed.notify_waiters();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Limiter {
    pub(crate) fn new(configured: Option<usize>) -> Self {
        let ceiling = configured.unwrap_or(usize::MAX).max(1);
        Limiter {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    in_flight: 0,
                    limit: ceiling,
                    ceiling,
                }),
                changed: Notify::new(),
            }),
        }
    }

    /// Waits for a slot: until fewer requests than the current limit are in flight.
    pub(crate) async fn acquire(&self) -> Permit {
        loop {
            let mut notified = pin!(self.shared.changed.notified());
            // Registered before the check, so that a release between the check and the wait is not missed.
            notified.as_mut().enable();
            {
                let mut state = self.shared.lock();
                if state.in_flight < state.limit {
                    state.in_flight += 1;
                    return Permit {
                        shared: self.shared.clone(),
                    };
                }
            }
            notified.await;
        }
    }

    /// Follows the server's limit, within the configured ceiling.
    pub(crate) fn observe(&self, server_limit: Option<usize>) {
        let Some(server_limit) = server_limit else {
            return;
        };
        let raised = {
            let mut state = self.shared.lock();
            let target = server_limit.clamp(1, state.ceiling);
            let raised = target > state.limit;
            state.limit = target;
            raised
        };
        if raised {
            self.shared.changed.notify_waiters();
        }
    }

    /// The current limit: the configured one, or lower if the server said so.
    pub(crate) fn limit(&self) -> usize {
        self.shared.lock().limit
    }

    #[cfg(test)]
    fn in_flight(&self) -> usize {
        self.shared.lock().in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now<F: std::future::Future>(fut: F) -> Option<F::Output> {
        let mut fut = pin!(fut);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }

    #[test]
    fn limiter_follows_the_server_within_the_ceiling() {
        let limiter = Limiter::new(Some(4));
        assert_eq!(limiter.limit(), 4);
        limiter.observe(Some(2));
        assert_eq!(limiter.limit(), 2);
        limiter.observe(Some(10));
        assert_eq!(limiter.limit(), 4);
        limiter.observe(None);
        assert_eq!(limiter.limit(), 4);
        limiter.observe(Some(0));
        assert_eq!(limiter.limit(), 1, "never below one");

        let unbounded = Limiter::new(None);
        unbounded.observe(Some(3));
        assert_eq!(unbounded.limit(), 3);
    }

    #[test]
    fn a_lowered_limit_holds_for_waiters_while_held_slots_drain() {
        let limiter = Limiter::new(Some(3));
        let mut held: Vec<Permit> = (0..3).map(|_| now(limiter.acquire()).unwrap()).collect();
        assert!(now(limiter.acquire()).is_none(), "the ceiling holds");
        limiter.observe(Some(1));
        held.pop();
        assert!(now(limiter.acquire()).is_none(), "2 in flight, limit 1");
        held.pop();
        assert!(now(limiter.acquire()).is_none(), "1 in flight, limit 1");
        held.pop();
        let one = now(limiter.acquire()).expect("a slot once none is in flight");
        assert_eq!(limiter.in_flight(), 1);
        limiter.observe(Some(2));
        let two = now(limiter.acquire()).expect("the raised limit lets a second in");
        assert!(now(limiter.acquire()).is_none());
        drop((one, two));
        assert_eq!(limiter.in_flight(), 0);
    }
}
