//! The HTTP side: accept loop, routing by the catalog, basic auth, request recording and fault injection.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use qps_codegen::qps::catalog::{BodyKind, Catalog, IdRule};
use tokio::net::TcpListener;

use crate::actions::{self, Body as RequestBody, Call, Reply};
use crate::criteria::Criteria;
use crate::entities::{self, Kind};
use crate::envelope::{ApiError, Envelope};
use crate::fault::{Body, Fault, FaultRule};
use crate::store::Store;
use crate::tree::Node;
use crate::{Config, RecordedRequest};

/// What the server shares between connections and with the [`TestServer`](crate::TestServer) handle.
pub(crate) struct Shared {
    pub config: Config,
    pub catalog: Catalog,
    pub base_url: String,
    pub store: Mutex<Store>,
    pub faults: Mutex<Vec<FaultRule>>,
    pub log: Mutex<Vec<RecordedRequest>>,
    pub xsd: Mutex<crate::xsd::Overrides>,
    /// Requests received whose response body has not been sent (or dropped) yet, and the most seen at once.
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// TCP connections accepted.
    pub connections: AtomicUsize,
}

/// A response body that counts its request as in flight until it has been sent or dropped.
pub(crate) struct Counted {
    body: Body,
    _guard: InFlight,
}

/// One request in flight, counted in [`Shared::in_flight`] while it lives.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(shared: Arc<Shared>) -> InFlight {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl hyper::body::Body for Counted {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// Locks a mutex, ignoring poisoning (a panicking test must not hide the server's state from the next).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Serves connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                stream
            }
                Err(_) => continue,
            },
            _ = &mut shutdown => return,
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move {
                    let guard = InFlight::new(shared.clone());
                    let response = handle(&shared, request).await;
                    Ok::<_, Infallible>(response.map(|body| Counted {
                        body,
                        _guard: guard,
                    }))
                }
            });
            // Connection errors (a client hanging up, a body broken on purpose) end only that connection.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A response before faults: status, content type, body, and what the log should say about it.
struct Answer {
    status: StatusCode,
    content_type: &'static str,
    body: String,
    headers: Vec<(&'static str, String)>,
    response_code: Option<String>,
    executed: bool,
}

impl Answer {
    fn xml(status: StatusCode, body: String, response_code: Option<String>) -> Answer {
        Answer {
            status,
            content_type: "application/xml;charset=UTF-8",
            body,
            headers: Vec::new(),
            response_code,
            executed: false,
        }
    }

    fn envelope(envelope: &Envelope, schema_location: Option<&str>) -> Answer {
        Answer::xml(
            StatusCode::OK,
            envelope.to_xml(schema_location),
            Some(envelope.code.clone()),
        )
    }

    fn error(error: ApiError, schema_location: Option<&str>) -> Answer {
        Answer::envelope(&Envelope::error(error), schema_location)
    }

    fn html(status: StatusCode) -> Answer {
        let reason = status.canonical_reason().unwrap_or("Error");
        Answer {
            status,
            content_type: "text/html;charset=UTF-8",
            body: format!(
                "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}\
                 </h1><p>The server could not complete your request. Please try again later.</p></body></html>\n",
                code = status.as_u16()
            ),
            headers: Vec::new(),
            response_code: None,
            executed: false,
        }
    }
}

async fn handle(shared: &Shared, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let body_text = String::from_utf8_lossy(&body).into_owned();
    // The latency runs from here to the response's first byte; the answer is worked out within it (a distant
    // server's time to answer includes its own work), so a page costs the latency, not the latency plus the
    // time to build it.
    let mut answer_at = shared
        .config
        .latency
        .map(|latency| tokio::time::Instant::now() + latency);
    let username = credentials(authorization.as_deref()).map(|(user, _)| user);

    let seq = {
        let mut log = lock(&shared.log);
        let seq = log.len() + 1;
        log.push(RecordedRequest {
            seq,
            method: method.clone(),
            path: path.clone(),
            query,
            body: body_text.clone(),
            username,
            ..RecordedRequest::default()
        });
        seq
    };

    let rule = {
        let mut faults = lock(&shared.faults);
        let hit = faults.iter_mut().position(|rule| rule.hit(seq, &path));
        let rule = hit.map(|at| faults[at].clone());
        faults.retain(|rule| !rule.spent());
        rule
    };

    let run = || answer(shared, &method, &path, authorization.as_deref(), &body_text);
    let answer = match &rule {
        None => Some(run()),
        Some(rule) if rule.executes() => Some(run()),
        // Slow on the way in: the call is carried out after the delay.
        Some(rule) => match rule.fault() {
            Fault::Delay(delay) => {
                tokio::time::sleep(*delay).await;
                answer_at = answer_at.map(|at| at + *delay);
                Some(run())
            }
            _ => None,
        },
    };
    // Recorded at once: a client may hang up during a delay, and the rest of this function never run.
    let executed = answer.as_ref().is_some_and(|a| a.executed);
    if let Some(entry) = lock(&shared.log).iter_mut().rev().find(|e| e.seq == seq) {
        entry.executed = executed;
        entry.fault = rule.as_ref().map(|r| r.fault().name());
    }
    if let Some(at) = answer_at {
        tokio::time::sleep_until(at).await;
    }
    let (response, status, response_code, response_body) = match (&rule, answer) {
        (Some(rule), answer) => faulty(rule, answer).await,
        (None, Some(answer)) => plain(answer),
        (None, None) => unreachable!("an answer is computed unless a fault replaces it"),
    };
    if let Some(entry) = lock(&shared.log).iter_mut().rev().find(|e| e.seq == seq) {
        entry.status = status;
        entry.response_code = response_code;
        entry.response_body = response_body;
    }
    let mut response = response;
    if let Some(limit) = shared.config.concurrency_limit {
        response
            .headers_mut()
            .entry("x-concurrency-limit-limit")
            .or_insert(HeaderValue::from(limit));
    }
    match shared.config.bandwidth {
        Some(rate) => response.map(|body| body.limited(rate)),
        None => response,
    }
}

type Built = (Response<Body>, u16, Option<String>, String);

fn plain(answer: Answer) -> Built {
    let mut response = Response::new(Body::full(answer.body.clone()));
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    for (name, value) in &answer.headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(*name, value);
        }
    }
    let status = answer.status.as_u16();
    (response, status, answer.response_code, answer.body)
}

/// The response with the rule's fault applied; `answer` is the real one when the request was carried out.
async fn faulty(rule: &FaultRule, answer: Option<Answer>) -> Built {
    let fault = rule.fault();
    match (fault, answer) {
        (Fault::Delay(delay), Some(answer)) => {
            if rule.executes() {
                tokio::time::sleep(*delay).await;
            }
            plain(answer)
        }
        (Fault::DropMidBody | Fault::TruncatedBody, answer) => {
            // Not carried out: what breaks is an empty answer.
            let answer = answer.unwrap_or_else(|| Answer::envelope(&Envelope::count(0), None));
            let full = Bytes::from(answer.body.clone());
            let part = full.slice(..full.len() / 2);
            let (mut response, status, code, body) = plain(answer);
            let truncated = matches!(fault, Fault::TruncatedBody);
            *response.body_mut() = Body::broken(part, !truncated);
            if truncated {
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            }
            (response, status, code, body)
        }
        (Fault::RateLimited(headers), _) => {
            let error = ApiError::new(
                "OTHER_ERROR",
                "The API request rate or concurrency limit has been exceeded.",
                "Wait for X-RateLimit-ToWait-Sec seconds, or until a running call finishes, then retry.",
            );
            let mut answer = Answer::error(error, None);
            answer.status = StatusCode::CONFLICT;
            answer.headers = headers
                .pairs()
                .into_iter()
                .map(|(name, value)| (name, value.to_string()))
                .collect();
            plain(answer)
        }
        (Fault::TooManyRequests { retry_after_secs }, _) => {
            let mut answer = Answer::html(StatusCode::TOO_MANY_REQUESTS);
            answer.headers = vec![("retry-after", retry_after_secs.to_string())];
            plain(answer)
        }
        (Fault::ServiceUnavailable, _) => plain(Answer::html(StatusCode::SERVICE_UNAVAILABLE)),
        (Fault::HtmlPage { status }, _) => plain(Answer::html(status_code(*status))),
        (Fault::EmptyBody { status }, _) => {
            plain(Answer::xml(status_code(*status), String::new(), None))
        }
        (Fault::Drip(pause), answer) | (Fault::Stall(pause), answer) => {
            let answer = answer.unwrap_or_else(|| Answer::envelope(&Envelope::count(0), None));
            let full = Bytes::from(answer.body.clone());
            let chunk = match fault {
                Fault::Drip(_) => 1,
                _ => full.len().div_ceil(2),
            };
            let (mut response, status, code, body) = plain(answer);
            *response.body_mut() = Body::paced(full, chunk, *pause);
            (response, status, code, body)
        }
        (Fault::UnknownContent(extra), answer) => {
            // Not carried out: what gains the unknown content is an empty answer.
            let mut answer = answer.unwrap_or_else(|| Answer::envelope(&Envelope::count(0), None));
            answer.body = extra.rewrite(&answer.body);
            plain(answer)
        }
        (Fault::Latin1 { chunk }, answer) => {
            // Not carried out: what is re-encoded is an empty answer. The log keeps the UTF-8 text.
            let answer = answer.unwrap_or_else(|| Answer::envelope(&Envelope::count(0), None));
            let encoded = Bytes::from(crate::latin1::encode(&answer.body));
            let (mut response, status, code, body) = plain(answer);
            *response.body_mut() = Body::paced(encoded, *chunk, std::time::Duration::ZERO);
            (response, status, code, body)
        }
        (Fault::Delay(_), None) => unreachable!("a delay always carries out the request"),
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `user:password` from a basic `Authorization` header.
fn credentials(header: Option<&str>) -> Option<(String, String)> {
    let encoded = header?.trim().strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Routes, authenticates and carries out one request.
fn answer(
    shared: &Shared,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: &str,
) -> Answer {
    let rest = path.strip_prefix("/qps/rest/");
    if rest.is_none() && !path.starts_with("/qps/xsd/") {
        return Answer::html(StatusCode::NOT_FOUND);
    }
    let authorized = credentials(authorization).is_some_and(|(user, password)| {
        user == shared.config.username && password == shared.config.password
    });
    if !authorized {
        let mut answer = Answer::error(
            ApiError::new(
                "INVALID_CREDENTIALS",
                "Bad Login/Password: the request has no valid basic authentication.",
                "Send the API user's login and password in the Authorization header (basic authentication).",
            ),
            None,
        );
        if shared.config.gateway_401 {
            answer.status = StatusCode::UNAUTHORIZED;
            answer
                .headers
                .push(("www-authenticate", "Basic realm=\"Qualys\"".into()));
        }
        return answer;
    }
    let Some(rest) = rest else {
        let xsd = path.strip_prefix("/qps/xsd/").unwrap_or_default();
        return match crate::xsd::schema(shared, method, xsd) {
            Ok(text) => Answer::xml(StatusCode::OK, text, None),
            Err(status) => Answer::html(status_code(status)),
        };
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();

    if segments == ["portal", "version"] {
        return version(shared, method);
    }
    let invalid_url = || {
        Answer::error(
            ApiError::new(
                "INVALID_URL",
                format!("{path} is not a valid API URL."),
                "Use /qps/rest/{version}/{action}/{module}/{entity}[/{id}].",
            ),
            None,
        )
    };
    let (version, action, module, name, id) = match segments.as_slice() {
        [version, action, module, name] => (*version, *action, *module, *name, None),
        [version, action, module, name, id] => (*version, *action, *module, *name, Some(*id)),
        _ => return invalid_url(),
    };
    let Some(entity) = shared.catalog.entity(module, name) else {
        return invalid_url();
    };
    let Some(kind) = entities::kind(module, name) else {
        // A catalog entity the server has no generated type for (a catalog newer than this server).
        return Answer::error(
            ApiError::new(
                "OPERATION_NOT_SUPPORTED",
                format!("{module}/{name} is not served by this test server."),
                "Register the entity's generated type in the test server.",
            ),
            None,
        );
    };
    let location = format!(
        "{}/qps/xsd/{}/{}/{}.xsd",
        shared.base_url, entity.version, entity.module, entity.name
    );
    let error = |e: ApiError| Answer::error(e, Some(&location));
    if version != entity.version {
        return error(ApiError::new(
            "INVALID_API_VERSION",
            format!("API version {version} is not supported for {module}/{name}."),
            format!("Use version {}.", entity.version),
        ));
    }
    let Some(action) = entity.action(action) else {
        return invalid_url();
    };
    if !action.methods.iter().any(|m| m.as_str() == method) {
        let allowed: Vec<&str> = action.methods.iter().map(|m| m.as_str()).collect();
        let mut answer = error(ApiError::new(
            "OPERATION_NOT_SUPPORTED",
            format!("HTTP method {method} is not supported by {path}."),
            format!("Use {}.", allowed.join(" or ")),
        ));
        answer.headers.push(("allow", allowed.join(", ")));
        return answer;
    }
    let id = match id {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return error(ApiError::invalid_request(
                    format!("'{text}' is not a valid id."),
                    "Give a numeric id.",
                ));
            }
        },
    };
    if !action.id.allows(id.is_some()) {
        return match action.id {
            IdRule::Required => error(ApiError::invalid_request(
                format!("The {} action needs the id in the URL.", action.name),
                "Append /<id> to the URL.",
            )),
            _ => invalid_url(),
        };
    }
    let body = if action.body.allows_body(id.is_some()) && !body.trim().is_empty() {
        match parse_body(kind, body) {
            Ok(body) => Some(body),
            Err(e) => return error(e),
        }
    } else {
        None
    };
    if matches!(action.body, BodyKind::Data) && body.is_none() {
        return error(ApiError::invalid_request(
            format!("The {} action needs a request body.", action.name),
            format!(
                "Send <ServiceRequest><data><{0}>...</{0}></data></ServiceRequest>.",
                entity.element
            ),
        ));
    }

    let call = Call {
        kind,
        entity,
        action,
        id,
        body,
        now: shared.config.now(),
        user_id: shared.config.user_id,
        default_limit: shared.config.default_limit_results,
        max_limit: shared.config.max_limit_results,
    };
    let result = {
        let mut store = lock(&shared.store);
        actions::execute(&mut store, &call)
    };
    let mut answer = match result {
        Ok(Reply::Envelope(envelope)) => Answer::envelope(&envelope, Some(&location)),
        Ok(Reply::Bare(node)) => Answer::xml(
            StatusCode::OK,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
                node.to_xml()
            ),
            None,
        ),
        Ok(Reply::Calendar(text)) => Answer {
            status: StatusCode::OK,
            content_type: "text/calendar;charset=UTF-8",
            body: text,
            headers: vec![(
                "content-disposition",
                format!("attachment; filename=\"{}.ics\"", entity.name),
            )],
            response_code: None,
            executed: false,
        },
        Err(e) => error(e),
    };
    answer.executed = true;
    answer
}

/// Parses a `ServiceRequest`: well-formed XML (else `INVALID_XML`) that fits the entity's generated request
/// type (else `INVALID_REQUEST`).
fn parse_body(kind: &Kind, body: &str) -> Result<RequestBody, ApiError> {
    let root = Node::parse(body).map_err(|e| {
        ApiError::new(
            "INVALID_XML",
            format!("The request body is not well-formed XML: {e}"),
            "Send a well-formed <ServiceRequest> document.",
        )
    })?;
    if root.name != "ServiceRequest" {
        return Err(ApiError::invalid_request(
            format!("The request body is <{}>, not <ServiceRequest>.", root.name),
            "Send a <ServiceRequest> document.",
        ));
    }
    // The generated type checks everything but the criteria (see `Criteria::of`).
    let mut checked = root.clone();
    checked.remove("filters");
    (kind.check_request)(&checked.to_xml()).map_err(|e| {
        ApiError::invalid_request(
            format!("The request does not fit {}: {e}", kind.label()),
            "Send a ServiceRequest that follows the entity's XSD.",
        )
    })?;
    let criteria = Criteria::of(root.child("filters"));
    Ok(RequestBody { root, criteria })
}

/// `GET /qps/rest/portal/version`: the cheap credentials probe.
fn version(shared: &Shared, method: &str) -> Answer {
    if method != "GET" && method != "POST" {
        return Answer::error(
            ApiError::new(
                "OPERATION_NOT_SUPPORTED",
                format!("HTTP method {method} is not supported by /qps/rest/portal/version."),
                "Use GET.",
            ),
            None,
        );
    }
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"{}/qps/xsd/1.0/portal-version.xsd\">\
         <responseCode>SUCCESS</responseCode><count>1</count><data><Portal-Version>\
         <PortalApplication-VERSION>{}</PortalApplication-VERSION></Portal-Version></data></ServiceResponse>",
        shared.base_url, shared.config.portal_version
    );
    let mut answer = Answer::xml(StatusCode::OK, body, Some("SUCCESS".into()));
    answer.executed = true;
    answer
}
