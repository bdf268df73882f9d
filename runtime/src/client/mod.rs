//! The HTTP client: sends [`Endpoint`]s to a Qualys platform and turns what comes back into typed results or
//! typed errors.
//!
//! One call goes through these steps:
//! 1. [`Endpoint::body`] serializes (and validates) the request; a failure sends nothing.
//! 2. The request is sent with Basic authentication, `Content-Type: text/xml`, under the optional concurrency
//!    cap, and retried as [`RetryPolicy`] allows (below).
//! 3. The response is classified: a `ServiceResponse` whose `responseCode` is not `SUCCESS` becomes
//!    [`Error::Api`] whatever the HTTP status; HTTP 401 becomes [`Error::Api`] with code `UNAUTHORIZED`; any other
//!    non-2xx status becomes [`Error::Http`]; a 2xx body that should be XML and is not becomes
//!    [`Error::NotXml`]. Only then does [`Endpoint::parse`] run.
//!
//! Retries. HTTP 409 and 429 are Qualys's rate and concurrency rejections, answered before the call runs, so
//! they are retried for every request. A request that is not [retry-safe](Endpoint::retry_safe) is otherwise
//! never sent twice once it may have run: a connection lost after sending, a timeout, or a 5xx is returned
//! as an error. Retry-safe requests are also retried after 502, 503, 504 and transport failures. Waits
//! honour `Retry-After` and `X-RateLimit-ToWait-Sec` (see [`crate::client::retry`]).
//!
//! Concurrency. With [`ClientBuilder::concurrency_limit`], at most that many requests are in flight. Whether
//! or not a limit is set, the client lowers (or raises, up to the configured limit) its cap to the
//! `X-Concurrency-Limit-Limit` the server reports, since that limit is per subscription.
//!
//! Streaming. [`Client::stream_items`] runs a call the same way up to the response head, then reads the records
//! from the body as it arrives (see [`crate::client::records`]); [`Client::paginate`] reads every page that way. A
//! transport failure before the envelope's `responseCode`, `count`, `hasMoreRecords` and `lastId` have been
//! read is retried as above; once records may have reached the caller, nothing is sent again.
//!
//! Timeouts. Opening a connection, waiting for the next byte of a response, and the whole call across its
//! retries are limited separately, each failing with [`Error::Timeout`] (defaults 15 s, 60 s and 300 s; see
//! [`ClientBuilder`]).
//!
//! Tracing. Each call is a `qps_call` span (`method`, `path`, `response_code`, `attempts`) and each send a
//! `qps_attempt` span (`attempt`, `status`, `duration_ms`). Credentials are never recorded.

mod attempts;
mod builder;
pub mod credentials;
mod drift;
mod limiter;
pub mod paging;
pub mod platform;
pub mod records;
mod response;
pub mod retry;
mod try_stream;

pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT};
pub use credentials::Credentials;
pub use paging::{Cursor, Page, PageStream, Pageable, Paginator, PagingMode};
pub use platform::{BaseUrl, Platform};
pub use records::Records;
pub use retry::RetryPolicy;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

pub(crate) use attempts::Deadline;
use attempts::{Attempts, Last, Outcome, SendFailure};
use builder::Timeouts;

use limiter::Limiter;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::envelope::{Endpoint, Method, ResponseEnvelope};
use crate::error::{Error, TransportError};
use crate::xml::FromXml;
use records::{OpenError, OpenFuture, ResumingPage};
use response::{classify, read_whole, retryable_status, start_records};
use retry::RateLimitHints;

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("qualys-qps/", env!("CARGO_PKG_VERSION"));

/// A Qualys QPS API client. Cheap to clone; clones share the connection pool and the concurrency cap.
///
/// ```no_run
/// # async fn demo() -> Result<(), qps_runtime::error::Error> {
/// use qps_runtime::{Client, Method, Platform};
///
/// // Credentials come from QUALYS_USERNAME/QUALYS_PASSWORD, else from ~/.netrc.
/// let client = Client::builder().platform(Platform::Us2).build()?;
/// let version = client.raw(Method::Get, "/qps/rest/portal/version", None).await?;
/// println!("{}", String::from_utf8_lossy(&version.body));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: BaseUrl,
    /// `Basic …`, marked sensitive so that it is never printed.
    authorization: HeaderValue,
    retry: RetryPolicy,
    timeouts: Timeouts,
    limiter: Limiter,
    /// The drift of every response read.
    drift: Arc<drift::DriftLog>,
    /// What responses may not exceed.
    limits: crate::xml::Limits,
}

/// A response as received, for [`Client::raw`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The full body.
    pub body: Vec<u8>,
}

impl RawResponse {
    fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// The drift of every response this client (and its clones) has read: the elements, attributes and
    /// enumeration values the generated code does not know, by path (see [`crate::xml::drift`]). Each path is
    /// also logged once through `tracing`, at `WARN`, when first met.
    pub fn drift(&self) -> crate::xml::Drift {
        self.inner.drift.snapshot()
    }

    /// Runs one API call and returns its typed output (see the [module docs](self) for the steps).
    pub async fn execute<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.execute_with_drift(endpoint)
            .await
            .map(|(output, _)| output)
    }

    /// [`execute`](Self::execute), also returning the drift of this response (which is added to
    /// [`drift`](Self::drift) as well).
    pub async fn execute_with_drift<E: Endpoint>(
        &self,
        endpoint: &E,
    ) -> Result<(E::Output, crate::xml::Drift), Error> {
        let path = endpoint.path();
        let span = tracing::info_span!(
            "qps_call",
            method = E::METHOD.as_str(),
            path = path.as_str(),
            response_code = Empty,
            attempts = Empty,
        );
        async {
            let request = Request {
                method: E::METHOD,
                path: &path,
                body: endpoint.body()?,
                retry_safe: endpoint.retry_safe(),
            };
            let deadline = self.deadline();
            let response = self.within(deadline, self.send(request, &span)).await?;
            classify(&response, E::XML_RESPONSE, &span)?;
            let (output, drift) = E::parse_with_drift(response.status, &response.body)?;
            self.inner.drift.absorb(&drift, &path);
            Ok((output, drift))
        }
        .instrument(span.clone())
        .await
    }

    /// Runs a call whose response lists records, and returns them as a stream read from the body as it arrives,
    /// so that memory stays flat whatever the size of the response (see [`crate::client::records`]).
    ///
    /// Resolves once the envelope fields before `<data>` have been read ([`Records::header`]); a failed
    /// `responseCode`, an HTTP error or a body that is not XML fails here, as with [`execute`](Self::execute),
    /// before any record. The call is retried as `execute` retries it until then, and never after.
    ///
    /// ```no_run
    /// # async fn demo<E>(client: &qps_runtime::Client, search: E) -> Result<(), qps_runtime::Error>
    /// # where E: qps_runtime::Endpoint, E::Output: qps_runtime::ResponseEnvelope {
    /// let mut records = client.stream_items(&search).await?;
    /// println!("{:?} records", records.header().count);
    /// while let Some(record) = records.try_next().await? {
    ///     // one record at a time; the next ones are read while this one is used
    ///     # let _ = record;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn stream_items<E>(
        &self,
        endpoint: &E,
    ) -> Result<Records<<E::Output as ResponseEnvelope>::Item>, Error>
    where
        E: Endpoint,
        E::Output: ResponseEnvelope,
    {
        let path = endpoint.path();
        let span = tracing::info_span!(
            "qps_call",
            method = E::METHOD.as_str(),
            path = path.as_str(),
            response_code = Empty,
            attempts = Empty,
        );
        async {
            let body = endpoint.body()?;
            let request = Request {
                method: E::METHOD,
                path: &path,
                body,
                retry_safe: endpoint.retry_safe(),
            };
            let deadline = self.deadline();
            let opening = self.open_records(
                request,
                <E::Output as ResponseEnvelope>::ITEM_ELEMENTS,
                std::any::type_name::<E::Output>(),
                deadline,
                &span,
            );
            self.within(deadline, opening).await
        }
        .instrument(span.clone())
        .await
    }

    /// Walks every page of a search, yielding its records as each page's body delivers them (see
    /// [`crate::client::paging`] and [`stream_items`](Self::stream_items)).
    ///
    /// Pipelined ([`Paginator::pipelined`]): the next page is requested as soon as the current page's
    /// `hasMoreRecords` and `lastId` have been read, so at most two requests of the walk are in flight, within
    /// the concurrency cap; with a cap of 1 (configured, or the server's `X-Concurrency-Limit-Limit`) the walk
    /// is sequential.
    ///
    /// A page whose body fails midway is read again (a search is retry-safe), as the retry policy allows, and
    /// the records already yielded are skipped, provided the second answer is the same page (same `count`,
    /// `hasMoreRecords` and `lastId`); otherwise the stream ends with an error rather than risk a gap or a
    /// duplicate.
    pub fn paginate<'a, E>(
        &self,
        endpoint: E,
        mode: PagingMode,
    ) -> Paginator<'a, <E::Output as ResponseEnvelope>::Item>
    where
        E: Endpoint + Pageable + Send + Sync + 'a,
        E::Output: ResponseEnvelope,
    {
        let client = self.clone();
        let limiter = self.clone();
        let paginator = Paginator::new(mode, move |cursor| {
            let mut request = endpoint.clone();
            request.set_cursor(&cursor);
            let client = client.clone();
            async move {
                let records = client.stream_items(&request).await?;
                if !request.retry_safe() {
                    return Ok(PageStream::from(records));
                }
                let (has_more, last_id) = (
                    records.header().has_more_records.unwrap_or(false),
                    records.header().last_id,
                );
                let policy = client.inner.retry.clone();
                let reopen = move || -> OpenFuture<'a, _> {
                    let (client, request) = (client.clone(), request.clone());
                    Box::pin(async move { client.stream_items(&request).await })
                };
                Ok(PageStream {
                    has_more,
                    last_id,
                    items: Box::pin(ResumingPage::new(records, policy, reopen)),
                })
            }
        });
        // The next page is requested while this one is read, unless one request at a time is all there is.
        paginator.pipelined(move || limiter.inner.limiter.limit() > 1)
    }

    /// Sends any request to `path` (below the base URL) and returns the response as received, whatever its
    /// status: an escape hatch for calls the generated code does not cover. Authentication, retries (only
    /// `GET` counts as retry-safe), the concurrency cap and tracing apply as for [`execute`](Self::execute).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<RawResponse, Error> {
        let span = tracing::info_span!(
            "qps_call",
            method = method.as_str(),
            path,
            response_code = Empty,
            attempts = Empty,
        );
        let request = Request {
            method,
            path,
            body,
            retry_safe: method == Method::Get,
        };
        let deadline = self.deadline();
        self.within(deadline, self.send(request, &span))
            .instrument(span.clone())
            .await
    }

    /// When a call starting now must be over ([`ClientBuilder::timeout`]).
    fn deadline(&self) -> Deadline {
        let after = self.inner.timeouts.deadline;
        Deadline {
            at: tokio::time::Instant::now() + after,
            after,
        }
    }

    /// Runs `call`, or fails with [`Error::Timeout`] once `deadline` has passed.
    async fn within<R>(
        &self,
        deadline: Deadline,
        call: impl std::future::Future<Output = Result<R, Error>>,
    ) -> Result<R, Error> {
        tokio::time::timeout_at(deadline.at, call)
            .await
            .unwrap_or_else(|_| Err(deadline.error()))
    }

    /// Sends until a response is final or the retry policy gives up.
    async fn send(&self, request: Request<'_>, call: &tracing::Span) -> Result<RawResponse, Error> {
        let inner = &*self.inner;
        let url = inner.base.join(request.path)?;
        let method = to_reqwest(request.method);
        let (url, method, request) = (&url, &method, &request);
        self.retrying(call, move |span| async move {
            let sent_at = Instant::now();
            let outcome = async {
                let _permit = inner.limiter.acquire().await;
                let response = self
                    .send_once(method.clone(), url.clone(), request.body.clone())
                    .await?;
                read_whole(response, &inner.timeouts, inner.limits.max_body_bytes).await
            }
            .instrument(span.clone())
            .await;
            span.record("duration_ms", sent_at.elapsed().as_millis() as u64);

            // Either a response to retry, or a transport error to retry; anything else returns.
            Ok(match outcome {
                Ok(response) => {
                    let hints = self.observe(&response.headers, response.status, &span);
                    if !retryable_status(response.status, request.retry_safe) {
                        return Ok(Outcome::Final(response));
                    }
                    Outcome::Retry(hints, Last::Refused(response))
                }
                Err(failure) => Outcome::Retry(
                    RateLimitHints::default(),
                    failure.retryable(request.retry_safe)?,
                ),
            })
        })
        .await
    }

    /// Like [`send`](Self::send), but a 2xx response's body is read as records, up to the envelope fields,
    /// before the call counts as answered; a transport failure until then is retried like a failed send.
    async fn open_records<T: FromXml + Send + 'static>(
        &self,
        request: Request<'_>,
        item_elements: &'static [&'static str],
        type_name: &'static str,
        deadline: Deadline,
        call: &tracing::Span,
    ) -> Result<Records<T>, Error> {
        let inner = &*self.inner;
        let url = inner.base.join(request.path)?;
        let method = to_reqwest(request.method);
        let (url, method, request) = (&url, &method, &request);
        self.retrying(call, move |span| async move {
            let sent_at = Instant::now();
            let outcome = async {
                let permit = inner.limiter.acquire().await;
                let response = self
                    .send_once(method.clone(), url.clone(), request.body.clone())
                    .await?;
                Ok::<_, SendFailure>((permit, response))
            }
            .instrument(span.clone())
            .await;
            span.record("duration_ms", sent_at.elapsed().as_millis() as u64);

            Ok(match outcome {
                Ok((permit, response)) => {
                    let status = response.status().as_u16();
                    let hints = self.observe(response.headers(), status, &span);
                    let retryable = retryable_status(status, request.retry_safe);
                    if (200..=299).contains(&status) {
                        let reading = records::Reading {
                            permit,
                            item_elements,
                            type_name,
                            timeouts: inner.timeouts,
                            limits: inner.limits,
                            deadline,
                        };
                        match start_records(response, reading, call).await {
                            Ok(records) => {
                                let sink = (inner.drift.clone(), request.path.to_owned());
                                return Ok(Outcome::Final(records.drift_to(sink)));
                            }
                            Err(OpenError::Other(e)) => return Err(e),
                            Err(OpenError::BodyFailed(error)) => {
                                let failure = SendFailure {
                                    error,
                                    may_have_run: true,
                                };
                                Outcome::Retry(hints, failure.retryable(request.retry_safe)?)
                            }
                        }
                    } else {
                        // An error or a refusal: small, read whole and handled as `send` does.
                        let response = match read_whole(
                            response,
                            &inner.timeouts,
                            inner.limits.max_body_bytes,
                        )
                        .await
                        {
                            Ok(response) => response,
                            Err(failure) => {
                                let last = failure.retryable(request.retry_safe)?;
                                return Ok(Outcome::Retry(RateLimitHints::default(), last));
                            }
                        };
                        if !retryable {
                            classify(&response, true, call)?;
                            unreachable!("classify refuses every status outside 2xx");
                        }
                        Outcome::Retry(hints, Last::Refused(response))
                    }
                }
                Err(failure) => Outcome::Retry(
                    RateLimitHints::default(),
                    failure.retryable(request.retry_safe)?,
                ),
            })
        })
        .await
    }

    /// The retry loop of every call: runs `attempt` (given its span) until its outcome is final, an error, or
    /// the retry policy gives up, waiting between attempts as the policy says.
    async fn retrying<R, F, Fut>(&self, call: &tracing::Span, mut attempt: F) -> Result<R, Error>
    where
        F: FnMut(tracing::Span) -> Fut,
        Fut: std::future::Future<Output = Result<Outcome<R>, Error>>,
    {
        let mut attempts = Attempts::new(&self.inner.retry, call);
        loop {
            let span = attempts.next();
            match attempt(span.clone()).await? {
                Outcome::Final(result) => return Ok(result),
                Outcome::Retry(hints, last) => attempts.retry_after(&span, &hints, last).await?,
            }
        }
    }

    /// Records the status of an attempt and takes in the server's rate and concurrency hints.
    fn observe(&self, headers: &HeaderMap, status: u16, span: &tracing::Span) -> RateLimitHints {
        span.record("status", status);
        let hints = RateLimitHints::from_headers(headers, SystemTime::now());
        self.inner.limiter.observe(hints.concurrency_limit);
        hints
    }

    /// Sends the request and reads the response head.
    async fn send_once(
        &self,
        method: reqwest::Method,
        url: reqwest::Url,
        body: Option<String>,
    ) -> Result<reqwest::Response, SendFailure> {
        let mut request = self
            .inner
            .http
            .request(method, url)
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .header(ACCEPT, "application/xml, text/xml")
            .header(CONTENT_TYPE, "text/xml");
        if let Some(body) = body {
            request = request.body(body);
        }
        request.send().await.map_err(|error| SendFailure {
            // Only a connection that never opened proves the request did not reach the server.
            may_have_run: !error.is_connect(),
            error: TransportError::from_reqwest(error, &self.inner.timeouts),
        })
    }
}

/// One request, as the retry loops send it.
struct Request<'a> {
    method: Method,
    path: &'a str,
    body: Option<String>,
    retry_safe: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

fn to_reqwest(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}
