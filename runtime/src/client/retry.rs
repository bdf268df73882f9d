//! When to send a refused request again, and how long to wait first.
//!
//! Everything here is pure: the delay for an attempt is computed from the policy, the server's hints and a
//! jitter source, so it is tested without sleeping. The client does the sleeping.
//!
//! The delay before attempt `n + 1` is the larger of
//! - what the server asked for (`Retry-After`, or Qualys's `X-RateLimit-ToWait-Sec`), and
//! - exponential backoff: `base_delay * 2^(n-1)`, capped at `max_delay`, with "equal jitter" (a uniform
//!   draw from the upper half of that value, so concurrent clients spread out but never retry instantly).
//!
//! The server's wait is honoured even beyond `max_delay`; if it does not fit in what is left of
//! `max_elapsed`, the client gives up at once instead of sleeping towards a certain failure.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Qualys's header: seconds until the rate-limit window lets another call through.
pub const TO_WAIT_HEADER: &str = "X-RateLimit-ToWait-Sec";
/// Qualys's header: how many calls this subscription may run at the same time.
pub const CONCURRENCY_LIMIT_HEADER: &str = "X-Concurrency-Limit-Limit";

/// How often and how long the client retries a refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total number of sends, the first included (1 disables retries).
    pub max_attempts: u32,
    /// No retry starts once this much time has passed since the first send (or would pass while waiting).
    pub max_elapsed: Duration,
    /// The backoff before the second attempt; it doubles with each further attempt.
    pub base_delay: Duration,
    /// The cap on the computed backoff (not on a wait the server asks for).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts within 5 minutes, backing off from 1 s up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(300),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that sends each request once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The backoff after failed attempt `attempt` (1-based), jittered into `[b/2, b]` where
    /// `b = min(base_delay * 2^(attempt-1), max_delay)`.
    pub fn backoff(&self, attempt: u32, jitter: &mut Jitter) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(jitter.next_unit())
    }

    /// How long to wait after failed attempt `attempt` (1-based), or `None` to give up: the attempts are
    /// spent, or the wait would end past `max_elapsed` (`elapsed` is the time since the first send).
    pub fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        hints: &RateLimitHints,
        jitter: &mut Jitter,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = self
            .backoff(attempt, jitter)
            .max(hints.wait().unwrap_or_default());
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }
}

/// What a response said about when to come back and how much concurrency is allowed. Every field is
/// optional: Qualys does not always send these headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimitHints {
    /// `Retry-After`, as delay-seconds or an HTTP date.
    pub retry_after: Option<Duration>,
    /// `X-RateLimit-ToWait-Sec`.
    pub to_wait: Option<Duration>,
    /// `X-Concurrency-Limit-Limit`.
    pub concurrency_limit: Option<usize>,
}

impl RateLimitHints {
    /// Reads the hints from response headers; `now` resolves a `Retry-After` date. Malformed values are
    /// ignored, as if absent.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        RateLimitHints {
            retry_after: text(RETRY_AFTER.as_str()).and_then(|v| parse_retry_after(v, now)),
            to_wait: text(TO_WAIT_HEADER)
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_secs),
            concurrency_limit: text(CONCURRENCY_LIMIT_HEADER)
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|&n| n > 0),
        }
    }

    /// The longest wait any hint asks for.
    pub fn wait(&self) -> Option<Duration> {
        self.retry_after.max(self.to_wait)
    }
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110 §10.2.3). A date in the past
/// means no wait.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(at);
    Some(at.duration_since(now).unwrap_or_default())
}

/// A small deterministic random source for backoff jitter (SplitMix64). Not for anything secret.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// A reproducible sequence (tests).
    pub fn seeded(seed: u64) -> Self {
        Jitter(seed)
    }

    /// A sequence seeded from the process's hash randomness, different for each call.
    pub fn random() -> Self {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        Jitter(h.finish())
    }

    /// The next value, uniform in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 6,
            max_elapsed: Duration::from_secs(100),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_and_caps() {
        let p = policy();
        let mut j = Jitter::seeded(7);
        for (attempt, full) in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (40, 10)] {
            let full = Duration::from_secs(full);
            for _ in 0..200 {
                let d = p.backoff(attempt, &mut j);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
            }
        }
    }

    #[test]
    fn jitter_is_deterministic_under_a_seed_and_spreads() {
        let a: Vec<f64> = (0..5)
            .scan(Jitter::seeded(1), |j, _| Some(j.next_unit()))
            .collect();
        let b: Vec<f64> = (0..5)
            .scan(Jitter::seeded(1), |j, _| Some(j.next_unit()))
            .collect();
        assert_eq!(a, b);
        let mut j = Jitter::seeded(2);
        let draws: Vec<f64> = (0..1000).map(|_| j.next_unit()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(draws.iter().any(|&x| x < 0.1) && draws.iter().any(|&x| x > 0.9));
    }

    #[test]
    fn server_wait_wins_over_shorter_backoff_and_may_exceed_max_delay() {
        let p = policy();
        let hints = RateLimitHints {
            to_wait: Some(Duration::from_secs(30)),
            ..Default::default()
        };
        let d = p
            .next_delay(1, Duration::ZERO, &hints, &mut Jitter::seeded(3))
            .unwrap();
        assert_eq!(d, Duration::from_secs(30));
        // A zero wait falls back to backoff rather than hammering the server.
        let zero = RateLimitHints {
            to_wait: Some(Duration::ZERO),
            ..Default::default()
        };
        let d = p
            .next_delay(1, Duration::ZERO, &zero, &mut Jitter::seeded(3))
            .unwrap();
        assert!(d >= Duration::from_millis(500));
    }

    #[test]
    fn gives_up_on_attempts_or_time() {
        let p = policy();
        let none = RateLimitHints::default();
        let mut j = Jitter::seeded(4);
        assert!(p.next_delay(5, Duration::ZERO, &none, &mut j).is_some());
        assert!(p.next_delay(6, Duration::ZERO, &none, &mut j).is_none());
        assert!(
            p.next_delay(1, Duration::from_secs(100), &none, &mut j)
                .is_none()
        );
        let long = RateLimitHints {
            retry_after: Some(Duration::from_secs(3600)),
            ..Default::default()
        };
        assert!(p.next_delay(1, Duration::ZERO, &long, &mut j).is_none());
        assert!(
            RetryPolicy::never()
                .next_delay(1, Duration::ZERO, &none, &mut j)
                .is_none()
        );
    }

    #[test]
    fn hints_from_headers() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_000); // 2015-10-21T07:20:00Z
        let h = RateLimitHints::from_headers(
            &headers(&[
                ("x-ratelimit-towait-sec", " 12 "),
                ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ("x-concurrency-limit-limit", "2"),
            ]),
            now,
        );
        assert_eq!(h.to_wait, Some(Duration::from_secs(12)));
        assert_eq!(h.retry_after, Some(Duration::from_secs(480)));
        assert_eq!(h.concurrency_limit, Some(2));
        assert_eq!(h.wait(), Some(Duration::from_secs(480)));

        let h = RateLimitHints::from_headers(&headers(&[("retry-after", "5")]), now);
        assert_eq!(h.wait(), Some(Duration::from_secs(5)));

        let past = RateLimitHints::from_headers(
            &headers(&[("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT")]),
            now,
        );
        assert_eq!(past.retry_after, Some(Duration::ZERO));

        let junk = RateLimitHints::from_headers(
            &headers(&[
                ("retry-after", "soon"),
                ("x-ratelimit-towait-sec", "-1"),
                ("x-concurrency-limit-limit", "0"),
            ]),
            now,
        );
        assert_eq!(junk, RateLimitHints::default());
        assert_eq!(
            RateLimitHints::from_headers(&HeaderMap::new(), now).wait(),
            None
        );
    }
}
