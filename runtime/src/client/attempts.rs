//! One call's attempts: what an attempt came to, when to give up, the waits between attempts, and the call's
//! deadline.

use std::time::{Duration, Instant};

use tracing::field::Empty;

use super::RawResponse;
use super::builder::Timeouts;
use super::retry::{Jitter, RateLimitHints, RetryPolicy};
use crate::error::{Error, TimeoutKind, TransportError, snippet};

/// What one attempt came to, short of an error to return.
pub(super) enum Outcome<R> {
    /// The call's result.
    Final(R),
    /// A refusal or failure to retry after, with the server's hints.
    Retry(RateLimitHints, Last),
}

/// The outcome of an attempt that may be retried.
pub(super) enum Last {
    /// A response with a retryable status.
    Refused(RawResponse),
    /// A transport error.
    Failed(TransportError),
}

pub(super) struct SendFailure {
    pub(super) error: TransportError,
    pub(super) may_have_run: bool,
}

impl SendFailure {
    /// The failure to retry after, or the error to return: a request that is not retry-safe is not sent again
    /// once it may have run.
    pub(super) fn retryable(self, retry_safe: bool) -> Result<Last, Error> {
        if self.may_have_run && !retry_safe {
            return Err(self.error.into());
        }
        Ok(Last::Failed(self.error))
    }
}

/// Why a body could not be read whole: a send failure (retried like one), or a body over
/// [`Limits::max_body_bytes`](crate::xml::Limits::max_body_bytes), which would be as long the next time and so
/// ends the call.
pub(super) enum BodyFailure {
    /// The transport failed.
    Send(SendFailure),
    /// The body is longer than the limit: [`Error::Xml`] with the limit's
    /// [`ReadError`](crate::xml::ReadError).
    TooLarge(Error),
}

impl From<SendFailure> for BodyFailure {
    fn from(failure: SendFailure) -> Self {
        BodyFailure::Send(failure)
    }
}

impl BodyFailure {
    /// The failure to retry after, or the error to return (see [`SendFailure::retryable`]).
    pub(super) fn retryable(self, retry_safe: bool) -> Result<Last, Error> {
        match self {
            BodyFailure::Send(failure) => failure.retryable(retry_safe),
            BodyFailure::TooLarge(error) => Err(error),
        }
    }
}

/// Counts the attempts of one call, and waits between them (or gives up) as the retry policy says.
pub(super) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    call: &'a tracing::Span,
    started: Instant,
    jitter: Jitter,
    count: u32,
}

impl<'a> Attempts<'a> {
    pub(super) fn new(policy: &'a RetryPolicy, call: &'a tracing::Span) -> Self {
        Attempts {
            policy,
            call,
            started: Instant::now(),
            jitter: Jitter::random(),
            count: 0,
        }
    }

    /// Starts the next attempt and returns its span.
    pub(super) fn next(&mut self) -> tracing::Span {
        self.count += 1;
        self.call.record("attempts", self.count);
        tracing::debug_span!(
            "qps_attempt",
            attempt = self.count,
            status = Empty,
            duration_ms = Empty
        )
    }

    /// After an attempt that may be retried: waits until the next one, or returns the error to give up with.
    pub(super) async fn retry_after(
        &mut self,
        span: &tracing::Span,
        hints: &RateLimitHints,
        last: Last,
    ) -> Result<(), Error> {
        let elapsed = self.started.elapsed();
        let Some(delay) = self
            .policy
            .next_delay(self.count, elapsed, hints, &mut self.jitter)
        else {
            return Err(match last {
                Last::Failed(error) => error.into(),
                Last::Refused(response) => Error::RetriesExhausted {
                    last_status: response.status,
                    attempts: self.count,
                    elapsed,
                    snippet: snippet(&response.body),
                },
            });
        };
        let delay_ms = delay.as_millis() as u64;
        match &last {
            Last::Refused(r) => {
                tracing::info!(parent: span, status = r.status, delay_ms, "refused; retrying")
            }
            Last::Failed(e) => {
                tracing::info!(parent: span, error = %e, delay_ms, "transport error; retrying")
            }
        }
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

impl TransportError {
    /// The error reqwest reported, with what [`TransportError`] tells of it; a timeout carries the limit it
    /// ran into (the client sets no overall limit on reqwest, so a timeout is the connect or the read one).
    pub(crate) fn from_reqwest(error: reqwest::Error, timeouts: &Timeouts) -> Self {
        let (timeout, connect) = (error.is_timeout(), error.is_connect());
        let status = error.status().map(|status| status.as_u16());
        let limit = if connect {
            timeouts.connect
        } else {
            timeouts.idle
        };
        TransportError::new(error, timeout, connect, status).with_limit(limit)
    }
}

/// The end of a call's time ([`ClientBuilder::timeout`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub(crate) at: tokio::time::Instant,
    pub(crate) after: Duration,
}

impl Deadline {
    pub(crate) fn error(&self) -> Error {
        Error::Timeout {
            which: TimeoutKind::Deadline,
            after: self.after,
        }
    }
}
