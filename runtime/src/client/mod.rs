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
//! Tracing. Each call is a `qps_call` span (`method`, `path`, `response_code`, `attempts`) and each send a
//! `qps_attempt` span (`attempt`, `status`, `duration_ms`). Credentials are never recorded.

mod builder;
pub mod credentials;
mod limiter;
pub mod paging;
pub mod platform;
pub mod records;
mod response;
pub mod retry;
mod try_stream;

pub use builder::ClientBuilder;
pub use credentials::Credentials;
pub use paging::{Cursor, Page, PageStream, Pageable, Paginator, PagingMode};
pub use platform::{BaseUrl, Platform};
pub use records::Records;
pub use retry::RetryPolicy;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use limiter::Limiter;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::envelope::{Endpoint, Method, ResponseEnvelope};
use crate::error::{Error, TransportError, snippet};
use crate::xml::FromXml;
use records::{OpenError, OpenFuture, ResumingPage};
use response::{classify, read_whole, retryable_status, start_records};
use retry::{Jitter, RateLimitHints};

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
    limiter: Limiter,
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

    /// Runs one API call and returns its typed output (see the [module docs](self) for the steps).
    pub async fn execute<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
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
            let response = self.send(request, &span).await?;
            classify(&response, E::XML_RESPONSE, &span)?;
            E::parse(response.status, &response.body)
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
            self.open_records(
                request,
                <E::Output as ResponseEnvelope>::ITEM_ELEMENTS,
                std::any::type_name::<E::Output>(),
                &span,
            )
            .await
        }
        .instrument(span.clone())
        .await
    }

    /// Walks every page of a search, yielding its records as each page's body delivers them (see
    /// [`crate::client::paging`] and [`stream_items`](Self::stream_items)).
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
        Paginator::new(mode, move |cursor| {
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
        })
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
        self.send(request, &span).instrument(span.clone()).await
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
                read_whole(response, inner.limits.max_body_bytes).await
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
                        match start_records(
                            response,
                            permit,
                            item_elements,
                            type_name,
                            self.inner.limits,
                            call,
                        )
                        .await
                        {
                            Ok(records) => return Ok(Outcome::Final(records)),
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
                        let response =
                            match read_whole(response, self.inner.limits.max_body_bytes).await {
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
            error: TransportError::from_reqwest(error),
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

/// What one attempt came to, short of an error to return.
enum Outcome<R> {
    /// The call's result.
    Final(R),
    /// A refusal or failure to retry after, with the server's hints.
    Retry(RateLimitHints, Last),
}

/// The outcome of an attempt that may be retried.
enum Last {
    /// A response with a retryable status.
    Refused(RawResponse),
    /// A transport error.
    Failed(TransportError),
}

struct SendFailure {
    error: TransportError,
    may_have_run: bool,
}

impl SendFailure {
    /// The failure to retry after, or the error to return: a request that is not retry-safe is not sent again
    /// once it may have run.
    fn retryable(self, retry_safe: bool) -> Result<Last, Error> {
        if self.may_have_run && !retry_safe {
            return Err(Error::Transport(self.error));
        }
        Ok(Last::Failed(self.error))
    }
}

/// Counts the attempts of one call, and waits between them (or gives up) as the retry policy says.
struct Attempts<'a> {
    policy: &'a RetryPolicy,
    call: &'a tracing::Span,
    started: Instant,
    jitter: Jitter,
    count: u32,
}

impl<'a> Attempts<'a> {
    fn new(policy: &'a RetryPolicy, call: &'a tracing::Span) -> Self {
        Attempts {
            policy,
            call,
            started: Instant::now(),
            jitter: Jitter::random(),
            count: 0,
        }
    }

    /// Starts the next attempt and returns its span.
    fn next(&mut self) -> tracing::Span {
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
    async fn retry_after(
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
                Last::Failed(error) => Error::Transport(error),
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
    /// The error reqwest reported, with what [`TransportError`] tells of it.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let (timeout, connect) = (error.is_timeout(), error.is_connect());
        let status = error.status().map(|status| status.as_u16());
        TransportError::new(error, timeout, connect, status)
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
