//! The client's concurrency cap.

use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The concurrency cap: a semaphore whose size follows the server's `X-Concurrency-Limit-Limit`, never above
/// the configured limit.
pub(crate) struct Limiter {
    semaphore: Arc<Semaphore>,
    /// (current number of permits in existence, configured ceiling)
    sizes: Mutex<(usize, usize)>,
}

impl Limiter {
    pub(crate) fn new(configured: Option<usize>) -> Self {
        let ceiling = configured.unwrap_or(Semaphore::MAX_PERMITS);
        Limiter {
            semaphore: Arc::new(Semaphore::new(ceiling)),
            sizes: Mutex::new((ceiling, ceiling)),
        }
    }

    /// A permit, owned so that a streamed body can keep it until it has been read.
    pub(crate) async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        // The semaphore is never closed, so this only fails in theory; then run without a permit.
        self.semaphore.clone().acquire_owned().await.ok()
    }

    /// Resizes towards the server's limit. Permits held right now cannot be withdrawn; they are withdrawn
    /// by later responses once released.
    pub(crate) fn observe(&self, server_limit: Option<usize>) {
        let Some(server_limit) = server_limit else {
            return;
        };
        let mut sizes = self.sizes.lock().unwrap_or_else(|e| e.into_inner());
        let (current, ceiling) = *sizes;
        let target = server_limit.clamp(1, ceiling);
        if target < current {
            let withdrawn = self.semaphore.forget_permits(current - target);
            sizes.0 = current - withdrawn;
        } else if target > current {
            self.semaphore.add_permits(target - current);
            sizes.0 = target;
        }
    }

    #[cfg(test)]
    fn size(&self) -> usize {
        self.sizes.lock().unwrap().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_follows_the_server_within_the_ceiling() {
        let limiter = Limiter::new(Some(4));
        assert_eq!(limiter.size(), 4);
        limiter.observe(Some(2));
        assert_eq!(
            (limiter.size(), limiter.semaphore.available_permits()),
            (2, 2)
        );
        limiter.observe(Some(10));
        assert_eq!(
            (limiter.size(), limiter.semaphore.available_permits()),
            (4, 4)
        );
        limiter.observe(None);
        assert_eq!(limiter.size(), 4);

        let unbounded = Limiter::new(None);
        unbounded.observe(Some(3));
        assert_eq!(unbounded.semaphore.available_permits(), 3);
    }

    #[test]
    fn limiter_withdraws_held_permits_later() {
        let limiter = Limiter::new(Some(3));
        let held: Vec<_> = (0..3)
            .map(|_| limiter.semaphore.try_acquire().unwrap())
            .collect();
        limiter.observe(Some(1));
        assert_eq!(limiter.size(), 3, "held permits cannot be withdrawn yet");
        drop(held);
        limiter.observe(Some(1));
        assert_eq!(
            (limiter.size(), limiter.semaphore.available_permits()),
            (1, 1)
        );
    }
}
