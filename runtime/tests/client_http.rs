//! The client against a real HTTP/1.1 server on 127.0.0.1 that plays back scripted replies and records what
//! it received.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use qps_runtime::envelope::{Method, ResponseEnvelope};
use qps_runtime::error::Error;
use qps_runtime::{BaseUrl, Credentials, PagingMode};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use support::*;

// ---------------------------------------------------------------------------------------------------------
// A scripted server.

/// One reply, sent on its own connection (`Connection: close`).
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    /// Send only this many body bytes (after announcing all of them), then drop the connection.
    cut_after: Option<usize>,
}

impl Reply {
    fn xml(body: &str) -> Self {
        Reply {
            status: 200,
            headers: vec![("Content-Type", "application/xml")],
            body: body.to_owned(),
            cut_after: None,
        }
    }

    fn status(status: u16, headers: Vec<(&'static str, &'static str)>) -> Self {
        Reply {
            status,
            headers,
            body: String::new(),
            cut_after: None,
        }
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// Serves `replies` in order, one per connection; answers 500 once they run out.
async fn serve(replies: Vec<Reply>) -> (BaseUrl, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = BaseUrl::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let log: Log = Arc::default();
    let seen = log.clone();
    tokio::spawn(async move {
        let mut replies = replies.into_iter();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let Some(request) = read_request(&mut socket).await else {
                continue;
            };
            seen.lock().unwrap().push(request);
            let reply = replies.next().unwrap_or_else(|| Reply {
                body: "script exhausted".into(),
                ..Reply::status(500, vec![])
            });
            let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
            for (k, v) in &reply.headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
            let body = reply.body.as_bytes();
            let body = &body[..reply.cut_after.unwrap_or(body.len()).min(body.len())];
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body).await;
            let _ = socket.flush().await;
            // Dropping the socket closes the connection (early, for a cut reply).
        }
    });
    (base, log)
}

// ---------------------------------------------------------------------------------------------------------

const ONE_WEBAPP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <responseCode>SUCCESS</responseCode>
  <count>1</count>
  <data><WebApp><id>6620298</id></WebApp></data>
</ServiceResponse>"#;

#[tokio::test]
async fn success_with_basic_auth_and_xml_headers() {
    let (base, log) = serve(vec![Reply::xml(ONE_WEBAPP)]).await;
    let response = client(base, fast_retries(3))
        .execute(&GetWebApp(6620298))
        .await
        .unwrap();
    assert_eq!(response.count(), Some(1));
    assert_eq!(response.into_items(), [WebApp { id: 6620298 }]);

    let log = log.lock().unwrap();
    let request = &log[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/qps/rest/3.0/get/was/webapp/6620298");
    let expected = Credentials::new("alice_q1", PASSWORD).basic_auth_value();
    assert_eq!(request.header("authorization"), Some(expected.as_str()));
    assert_eq!(request.header("content-type"), Some("text/xml"));
    let agent = request.header("user-agent").unwrap();
    assert!(agent.starts_with("qualys-qps/"), "{agent}");
}

#[tokio::test]
async fn request_body_is_sent() {
    let (base, log) = serve(vec![Reply::xml(ONE_WEBAPP)]).await;
    client(base, fast_retries(1))
        .execute(&CreateWebApp("shop"))
        .await
        .unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log[0].method, "POST");
    assert_eq!(
        log[0].body,
        "<ServiceRequest><data><WebApp><name>shop</name></WebApp></data></ServiceRequest>"
    );
}

#[tokio::test]
async fn invalid_request_is_never_sent() {
    let (base, log) = serve(vec![]).await;
    let long: &'static str = Box::leak("x".repeat(300).into_boxed_str());
    let err = client(base, fast_retries(3))
        .execute(&CreateWebApp(long))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert!(log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn http_200_invalid_credentials_is_an_api_error() {
    let body = r#"<ServiceResponse>
  <responseCode>INVALID_CREDENTIALS</responseCode>
  <responseErrorDetails><errorMessage>Bad Login/Password</errorMessage></responseErrorDetails>
</ServiceResponse>"#;
    let (base, _) = serve(vec![Reply::xml(body)]).await;
    let err = client(base, fast_retries(3))
        .execute(&GetWebApp(1))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            code,
            message,
            http_status,
            ..
        } => {
            assert_eq!(code, "INVALID_CREDENTIALS");
            assert_eq!(message.as_deref(), Some("Bad Login/Password"));
            assert_eq!(*http_status, 200);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_no_secret(&err);
}

#[tokio::test]
async fn unknown_response_code_is_kept() {
    let body = "<ServiceResponse><responseCode>OBJECT_NOT_FOUND</responseCode></ServiceResponse>";
    let (base, _) = serve(vec![Reply::xml(body)]).await;
    let err = client(base, fast_retries(3))
        .execute(&GetWebApp(404))
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some("OBJECT_NOT_FOUND"));
}

#[tokio::test]
async fn http_401_is_unauthorized() {
    let (base, log) = serve(vec![Reply::status(
        401,
        vec![("WWW-Authenticate", "Basic")],
    )])
    .await;
    let err = client(base, fast_retries(3))
        .execute(&GetWebApp(1))
        .await
        .unwrap_err();
    assert_eq!(err.api_code(), Some("UNAUTHORIZED"));
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(log.lock().unwrap().len(), 1, "401 is not retried");
    assert_no_secret(&err);
}

#[tokio::test]
async fn html_body_is_not_xml_and_quoted() {
    let page = "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>";
    let reply = Reply {
        headers: vec![("Content-Type", "text/html; charset=UTF-8")],
        ..Reply::xml(page)
    };
    let (base, _) = serve(vec![reply]).await;
    let err = client(base, fast_retries(3))
        .execute(&GetWebApp(1))
        .await
        .unwrap_err();
    match &err {
        Error::NotXml {
            status,
            content_type,
            snippet,
        } => {
            assert_eq!(*status, 200);
            assert_eq!(content_type.as_deref(), Some("text/html; charset=UTF-8"));
            assert!(
                snippet.starts_with("<!DOCTYPE html> <html><head><title>Maintenance"),
                "{snippet}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("Maintenance"));
}

#[tokio::test]
async fn read_is_retried_after_409_with_zero_wait() {
    let (base, log) = serve(vec![
        Reply::status(
            409,
            vec![
                ("X-RateLimit-ToWait-Sec", "0"),
                ("X-RateLimit-Remaining", "0"),
            ],
        ),
        Reply::xml(ONE_WEBAPP),
    ])
    .await;
    let response = client(base, fast_retries(3))
        .execute(&GetWebApp(6620298))
        .await
        .unwrap();
    assert_eq!(response.count(), Some(1));
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn create_is_retried_after_429_which_is_a_rejection() {
    let (base, log) = serve(vec![
        Reply::status(429, vec![("Retry-After", "0")]),
        Reply::xml(ONE_WEBAPP),
    ])
    .await;
    client(base, fast_retries(3))
        .execute(&CreateWebApp("shop"))
        .await
        .unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].body, log[1].body);
}

#[tokio::test]
async fn create_is_not_retried_after_503() {
    let (base, log) = serve(vec![Reply::status(503, vec![]), Reply::xml(ONE_WEBAPP)]).await;
    let err = client(base, fast_retries(3))
        .execute(&CreateWebApp("shop"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn create_is_not_retried_when_the_connection_drops_mid_response() {
    let cut = Reply {
        cut_after: Some(20),
        ..Reply::xml(ONE_WEBAPP)
    };
    let (base, log) = serve(vec![cut, Reply::xml(ONE_WEBAPP)]).await;
    let err = client(base, fast_retries(3))
        .execute(&CreateWebApp("shop"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "a create that may have run is sent once"
    );
}

#[tokio::test]
async fn read_is_retried_when_the_connection_drops_mid_response() {
    let cut = Reply {
        cut_after: Some(20),
        ..Reply::xml(ONE_WEBAPP)
    };
    let (base, log) = serve(vec![cut, Reply::xml(ONE_WEBAPP)]).await;
    client(base, fast_retries(3))
        .execute(&GetWebApp(6620298))
        .await
        .unwrap();
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn retries_are_capped() {
    let refused = Reply {
        body: "<html>Too Many Requests</html>".into(),
        ..Reply::status(429, vec![("X-RateLimit-ToWait-Sec", "0")])
    };
    let (base, log) = serve(vec![refused; 10]).await;
    let err = client(base, fast_retries(3))
        .execute(&GetWebApp(1))
        .await
        .unwrap_err();
    match &err {
        Error::RetriesExhausted {
            last_status,
            attempts,
            snippet,
            ..
        } => {
            assert_eq!((*last_status, *attempts), (429, 3));
            assert!(snippet.contains("Too Many Requests"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(log.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_long_server_wait_beyond_the_budget_gives_up_at_once() {
    let (base, log) = serve(vec![Reply::status(
        409,
        vec![("X-RateLimit-ToWait-Sec", "3600")],
    )])
    .await;
    let started = std::time::Instant::now();
    let err = client(base, fast_retries(5))
        .execute(&GetWebApp(1))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RetriesExhausted {
                attempts: 1,
                last_status: 409,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = BaseUrl::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    drop(listener);
    let err = client(base, fast_retries(2))
        .execute(&CreateWebApp("shop"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref e) if e.is_connect()),
        "{err:?}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn raw_returns_any_status() {
    let (base, log) = serve(vec![Reply {
        body: "BEGIN:VCALENDAR".into(),
        ..Reply::status(404, vec![("Content-Type", "text/calendar")])
    }])
    .await;
    let response = client(base, fast_retries(3))
        .raw(Method::Get, "qps/rest/portal/version", None)
        .await
        .unwrap();
    assert_eq!(response.status, 404);
    assert_eq!(response.body, b"BEGIN:VCALENDAR");
    assert_eq!(log.lock().unwrap()[0].path, "/qps/rest/portal/version");
}

#[tokio::test]
async fn paginate_follows_last_id() {
    let page = |ids: &[i64], more: bool| {
        let items: String = ids
            .iter()
            .map(|id| format!("<WebApp><id>{id}</id></WebApp>"))
            .collect();
        let tail = if more {
            format!(
                "<hasMoreRecords>true</hasMoreRecords><lastId>{}</lastId>",
                ids.last().unwrap()
            )
        } else {
            "<hasMoreRecords>false</hasMoreRecords>".to_owned()
        };
        Reply::xml(&format!(
            "<ServiceResponse><responseCode>SUCCESS</responseCode><count>{}</count>{tail}<data>{items}</data></ServiceResponse>",
            ids.len()
        ))
    };
    let (base, log) = serve(vec![page(&[1, 2], true), page(&[5], false)]).await;
    let ids: Vec<i64> = client(base, fast_retries(1))
        .paginate(SearchWebApps::default(), PagingMode::Id { page_size: 2 })
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(ids, [1, 2, 5]);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert!(!log[0].body.contains("Criteria"));
    assert!(
        log[1]
            .body
            .contains(r#"<Criteria field="id" operator="GREATER">2</Criteria>"#)
    );
    assert!(log[1].body.contains("<limitResults>2</limitResults>"));
}

// ---------------------------------------------------------------------------------------------------------
// Tracing: what spans record, and that credentials are never among it.

/// A subscriber that writes every span field and event field as `name=value` lines.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut Vec<String>, &'static str);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0
            .push(format!("{}.{}={value:?}", self.1, field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut lines = self.0.lock().unwrap();
        let name = span.metadata().name();
        span.record(&mut Fields(&mut lines, name));
        tracing::span::Id::from_u64(lines.len() as u64 + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap(), "record"));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Fields(&mut self.0.lock().unwrap(), "event"));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn spans_record_the_call_but_never_credentials() {
    let capture = Capture::default();
    // A global subscriber: a thread-local one races with the other tests of this binary over tracing's
    // per-callsite interest cache, and can end up recording nothing. Only this test installs one.
    tracing::subscriber::set_global_default(capture.clone())
        .expect("only this test sets the global subscriber");
    let (base, _) = serve(vec![
        Reply::status(409, vec![("X-RateLimit-ToWait-Sec", "0")]),
        Reply::xml(ONE_WEBAPP),
    ])
    .await;
    client(base, fast_retries(3))
        .execute(&GetWebApp(7))
        .await
        .unwrap();

    let lines = capture.0.lock().unwrap().clone();
    for expected in [
        r#"qps_call.method="GET""#,
        r#"qps_call.path="/qps/rest/3.0/get/was/webapp/7""#,
        "qps_attempt.attempt=1",
        "qps_attempt.attempt=2",
        "record.status=409",
        "record.status=200",
        "record.attempts=2",
        r#"record.response_code="SUCCESS""#,
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} not in {lines:#?}"
        );
    }
    assert!(lines.iter().any(|l| l.starts_with("record.duration_ms=")));
    let all = lines.join("\n");
    assert!(
        !all.contains(PASSWORD) && !all.contains("alice") && !all.contains("Basic"),
        "{all}"
    );
}

/// A listener whose accept queue is full: the kernel drops further connection attempts (SYNs) instead of
/// answering them, so a connect hangs. Returns the listener and the connections that filled the queue.
fn listener_that_accepts_nothing() -> (std::net::TcpListener, Vec<std::net::TcpStream>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..10_000 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => queued.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return (listener, queued),
            Err(e) => panic!("filling the accept queue: {e}"),
        }
    }
    panic!(
        "the accept queue never filled after {} connections",
        queued.len()
    );
}

#[tokio::test]
async fn a_connect_that_hangs_fails_on_the_connect_timeout() {
    let (listener, _queued) = listener_that_accepts_nothing();
    let base = BaseUrl::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let limit = Duration::from_millis(300);
    let client = qps_runtime::Client::builder()
        .base_url(base)
        .credentials(Credentials::new("alice_q1", PASSWORD))
        .retry_policy(qps_runtime::RetryPolicy::never())
        .connect_timeout(limit)
        .no_proxy()
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client
        .raw(Method::Get, "/qps/rest/portal/version", None)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(
            err,
            Error::Timeout {
                which: qps_runtime::TimeoutKind::Connect,
                after
            } if after == limit
        ),
        "{err:?}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_body_beyond_the_client_body_limit_is_refused() {
    use qps_runtime::xml::{Limit, Limits, ReadError, ReadErrorKind};
    let (base, _) = serve(vec![Reply::xml(ONE_WEBAPP)]).await;
    let limited = qps_runtime::Client::builder()
        .base_url(base)
        .credentials(Credentials::new("alice_q1", PASSWORD))
        .retry_policy(fast_retries(1))
        .limits(Limits::default().with_max_body_bytes(64))
        .no_proxy()
        .build()
        .unwrap();
    let err = limited.execute(&GetWebApp(6620298)).await.unwrap_err();
    // Not a transport error to retry: the body would be as long the next time.
    let Error::Xml { source, .. } = &err else {
        panic!("{err:?}");
    };
    let read = source.downcast_ref::<ReadError>().expect("a ReadError");
    assert!(matches!(
        read.kind(),
        ReadErrorKind::LimitExceeded {
            limit: Limit::BodyBytes,
            max: 64
        }
    ));
    // Under the default limits the same reply is read.
    let (base, _) = serve(vec![Reply::xml(ONE_WEBAPP)]).await;
    let response = client(base, fast_retries(1))
        .execute(&GetWebApp(6620298))
        .await
        .unwrap();
    assert_eq!(response.count(), Some(1));
}
