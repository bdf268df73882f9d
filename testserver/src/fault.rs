//! Injected faults: what a real gateway or a flaky network does to a request, on demand.

use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};

pub use crate::unknown::UnknownContent;

/// The rate and concurrency headers Qualys sends with a 409; each is left out when `None` (real responses
/// sometimes lack them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Limit`: calls allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Window-Sec`: the window.
    pub window_sec: Option<u64>,
    /// `X-RateLimit-Remaining`: calls left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-ToWait-Sec`: seconds until a call is allowed again.
    pub to_wait_sec: Option<u64>,
    /// `X-Concurrency-Limit-Limit`: calls allowed at once.
    pub concurrency_limit: Option<u64>,
    /// `X-Concurrency-Limit-Running`: calls running now.
    pub concurrency_running: Option<u64>,
}

impl Default for RateLimitHeaders {
    /// The rate limit exhausted: 300 calls an hour, none left, wait 1 second; 2 concurrent calls, 1 running.
    fn default() -> Self {
        RateLimitHeaders {
            limit: Some(300),
            window_sec: Some(3600),
            remaining: Some(0),
            to_wait_sec: Some(1),
            concurrency_limit: Some(2),
            concurrency_running: Some(1),
        }
    }
}

impl RateLimitHeaders {
    /// No header at all.
    pub fn none() -> Self {
        RateLimitHeaders {
            limit: None,
            window_sec: None,
            remaining: None,
            to_wait_sec: None,
            concurrency_limit: None,
            concurrency_running: None,
        }
    }

    /// The header names and values that are set.
    pub fn pairs(&self) -> Vec<(&'static str, u64)> {
        [
            ("X-RateLimit-Limit", self.limit),
            ("X-RateLimit-Window-Sec", self.window_sec),
            ("X-RateLimit-Remaining", self.remaining),
            ("X-RateLimit-ToWait-Sec", self.to_wait_sec),
            ("X-Concurrency-Limit-Limit", self.concurrency_limit),
            ("X-Concurrency-Limit-Running", self.concurrency_running),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
    }
}

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 409 with the rate/concurrency headers and a `ServiceResponse` saying the limit is exceeded.
    RateLimited(RateLimitHeaders),
    /// HTTP 429 with `Retry-After` (seconds), as newer gateways answer.
    TooManyRequests {
        /// The `Retry-After` value.
        retry_after_secs: u64,
    },
    /// HTTP 503 with an HTML page.
    ServiceUnavailable,
    /// The normal response, sent after this delay.
    Delay(Duration),
    /// The status line, the headers (chunked) and part of the body, then the connection closes.
    DropMidBody,
    /// A `Content-Length` larger than the bytes sent, then the connection closes.
    TruncatedBody,
    /// An HTML error page with this status (200 happens too, behind some proxies).
    HtmlPage {
        /// The HTTP status.
        status: u16,
    },
    /// This status with an empty body.
    EmptyBody {
        /// The HTTP status.
        status: u16,
    },
    /// The normal response, its body sent one byte at a time with this pause before each byte.
    Drip(Duration),
    /// The normal response, but after the head and half of the body nothing comes for this long; then the rest.
    Stall(Duration),
    /// The normal response, with content the bundled schemas do not describe added to it (elements,
    /// attributes, enumeration values), as a Qualys release ahead of the schemas sends.
    UnknownContent(UnknownContent),
    /// The normal response in ISO-8859-1 (declared so; characters beyond Latin-1 as character references),
    /// sent in pieces of `chunk` bytes, as a gateway that re-encodes what it forwards sends it.
    Latin1 {
        /// The size of each piece of the body.
        chunk: usize,
    },
}

impl Fault {
    /// A 409 with every rate/concurrency header, asking to wait `to_wait_sec` seconds.
    pub fn rate_limited(to_wait_sec: u64) -> Fault {
        Fault::RateLimited(RateLimitHeaders {
            to_wait_sec: Some(to_wait_sec),
            ..RateLimitHeaders::default()
        })
    }

    /// A 409 for the concurrency limit: no call left to run at once (`running == limit`).
    pub fn concurrency_limited(limit: u64) -> Fault {
        Fault::RateLimited(RateLimitHeaders {
            remaining: Some(100),
            to_wait_sec: None,
            concurrency_limit: Some(limit),
            concurrency_running: Some(limit),
            ..RateLimitHeaders::default()
        })
    }

    /// Whether the server carries out the request before the fault shows, by default: a gateway rejects
    /// before the API sees the call (409, 429, 503, HTML, empty body); a slow or broken response comes after
    /// the work is done (delay, dropped or truncated body).
    pub fn executes_by_default(&self) -> bool {
        matches!(
            self,
            Fault::Delay(_)
                | Fault::DropMidBody
                | Fault::TruncatedBody
                | Fault::Drip(_)
                | Fault::Stall(_)
                | Fault::UnknownContent(_)
                | Fault::Latin1 { .. }
        )
    }

    /// A short name, as recorded.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::RateLimited(_) => "rate-limited",
            Fault::TooManyRequests { .. } => "too-many-requests",
            Fault::ServiceUnavailable => "service-unavailable",
            Fault::Delay(_) => "delay",
            Fault::DropMidBody => "drop-mid-body",
            Fault::TruncatedBody => "truncated-body",
            Fault::HtmlPage { .. } => "html-page",
            Fault::EmptyBody { .. } => "empty-body",
            Fault::Drip(_) => "drip",
            Fault::Stall(_) => "stall",
            Fault::UnknownContent(_) => "unknown-content",
            Fault::Latin1 { .. } => "latin1",
        }
    }
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Matcher {
    /// Whatever comes next.
    Next,
    /// The request with this sequence number (1-based, counting every request the server received).
    Nth(usize),
    /// Requests whose path contains this text (`/create/`, `/search/was/webapp`, ...).
    Path(String),
}

/// A fault and the requests it hits. A bare [`Fault`] converts into a rule for the next request, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    matcher: Matcher,
    /// How many more requests it hits; `None` for every one.
    remaining: Option<usize>,
    execute: Option<bool>,
}

impl FaultRule {
    /// `fault` on the next request, once.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            matcher: Matcher::Next,
            remaining: Some(1),
            execute: None,
        }
    }

    /// Only the request with this sequence number (1-based over every request the server has received;
    /// see [`RecordedRequest::seq`](crate::RecordedRequest::seq)).
    pub fn on_request(mut self, seq: usize) -> Self {
        self.matcher = Matcher::Nth(seq);
        self
    }

    /// Only requests whose path contains `text`.
    pub fn on_path(mut self, text: impl Into<String>) -> Self {
        self.matcher = Matcher::Path(text.into());
        self
    }

    /// Hits `n` matching requests (the default is 1).
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Hits every matching request.
    pub fn always(mut self) -> Self {
        self.remaining = None;
        self
    }

    /// Whether the server carries out the request before the fault shows, overriding
    /// [`Fault::executes_by_default`]: `true` makes a 503 or an HTML page come after a create was done.
    pub fn executed(mut self, execute: bool) -> Self {
        self.execute = Some(execute);
        self
    }

    /// The fault.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    pub(crate) fn executes(&self) -> bool {
        self.execute
            .unwrap_or_else(|| self.fault.executes_by_default())
    }

    /// Whether the rule hits request `seq` on `path`; counts the hit.
    pub(crate) fn hit(&mut self, seq: usize, path: &str) -> bool {
        if self.remaining == Some(0) {
            return false;
        }
        let matches = match &self.matcher {
            Matcher::Next => true,
            Matcher::Nth(n) => *n == seq,
            Matcher::Path(text) => path.contains(text.as_str()),
        };
        if matches {
            if let Some(left) = &mut self.remaining {
                *left -= 1;
            }
        }
        matches
    }

    pub(crate) fn spent(&self) -> bool {
        self.remaining == Some(0)
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule::new(fault)
    }
}

/// A response body: whole, or broken on purpose.
pub(crate) enum Body {
    /// The whole body.
    Full(Option<Bytes>),
    /// `part`, then (after a pause long enough for it to be flushed) an error or a premature end.
    Broken {
        part: Option<Bytes>,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
        error: bool,
    },
    /// `chunk` bytes of `rest` at a time, with a pause of `interval` before each chunk after the first.
    Paced {
        rest: Bytes,
        chunk: usize,
        interval: Duration,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

impl Body {
    pub fn full(bytes: impl Into<Bytes>) -> Body {
        Body::Full(Some(bytes.into()))
    }

    /// `bytes` in chunks of `chunk` bytes, `interval` apart.
    pub fn paced(bytes: Bytes, chunk: usize, interval: Duration) -> Body {
        Body::Paced {
            rest: bytes,
            chunk: chunk.max(1),
            interval,
            pause: None,
        }
    }

    /// The same bytes at no more than `bytes_per_sec` (in chunks sent every 10 ms); broken bodies stay as they are.
    pub fn limited(self, bytes_per_sec: u64) -> Body {
        const TICK: Duration = Duration::from_millis(10);
        match self {
            Body::Full(Some(bytes)) => {
                let chunk = (bytes_per_sec / 100).max(1) as usize;
                Body::paced(bytes, chunk, TICK)
            }
            other => other,
        }
    }

    /// `part`, then the connection fails (`error`) or the body just ends short.
    pub fn broken(part: Bytes, error: bool) -> Body {
        Body::Broken {
            part: Some(part),
            pause: Some(Box::pin(tokio::time::sleep(Duration::from_millis(50)))),
            error,
        }
    }
}

impl HttpBody for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Broken { part, pause, error } => {
                if let Some(part) = part.take() {
                    return Poll::Ready(Some(Ok(Frame::data(part))));
                }
                if let Some(sleep) = pause {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *pause = None;
                    if *error {
                        return Poll::Ready(Some(Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "connection dropped on purpose",
                        ))));
                    }
                }
                Poll::Ready(None)
            }
            Body::Paced {
                rest,
                chunk,
                interval,
                pause,
            } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                if let Some(sleep) = pause {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
                let part = rest.split_to((*chunk).min(rest.len()));
                *pause = Some(Box::pin(tokio::time::sleep(*interval)));
                Poll::Ready(Some(Ok(Frame::data(part))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(None) => true,
            Body::Paced { rest, .. } => rest.is_empty(),
            _ => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Paced { rest, .. } => SizeHint::with_exact(rest.len() as u64),
            Body::Broken { .. } => SizeHint::default(),
        }
    }
}
