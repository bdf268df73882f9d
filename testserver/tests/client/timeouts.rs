//! The client's time limits against a server that stalls or drips: each call ends with the typed
//! `Error::Timeout` for the limit that ran out, well before the server would have finished.

use std::time::{Duration, Instant};

use qps_testserver::{Fault, FaultRule, TestServer};
use qualys_qps::prelude::*;
use qualys_qps::runtime::{
    BaseUrl, Client, ClientBuilder, Credentials, Error, Method, RetryPolicy, TimeoutKind,
};
use qualys_qps::was::webapp;

use crate::support::{Qps, fast_retry};

/// Far beyond any limit set here: a call that waited for the server to finish would take this long.
const SERVER_PAUSE: Duration = Duration::from_secs(30);
/// A generous bound on how long a call that timed out may have taken.
const BOUND: Duration = Duration::from_secs(10);

fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .base_url(BaseUrl::parse(server.base_url()).unwrap())
        .credentials(Credentials::new(
            &server.config().username,
            &server.config().password,
        ))
        .no_proxy()
}

fn assert_timeout(
    result: Result<impl std::fmt::Debug, Error>,
    which: TimeoutKind,
    after: Duration,
) {
    match result {
        Err(Error::Timeout { which: w, after: a }) => {
            assert_eq!((w, a), (which, after));
        }
        other => panic!("expected a {which:?} timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_response_fails_on_the_read_timeout() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::Stall(SERVER_PAUSE)).always());
    let idle = Duration::from_millis(300);
    let client = builder(&qps.server)
        .read_timeout(idle)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client
        .raw(Method::Get, "/qps/rest/portal/version", None)
        .await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Idle, idle);
}

#[tokio::test]
async fn a_read_that_stalls_is_retried_then_reported_as_a_read_timeout() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(50);
    qps.server
        .inject(FaultRule::new(Fault::Stall(SERVER_PAUSE)).times(2));
    let idle = Duration::from_millis(300);
    let client = builder(&qps.server)
        .read_timeout(idle)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let all = client
        .was()
        .webapp()
        .search_all([], PagingMode::Id { page_size: 20 })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 50, "the stalled reads were retried");

    // Stalled on every attempt: the last one's timeout is the error.
    qps.server
        .inject(FaultRule::new(Fault::Stall(SERVER_PAUSE)).always());
    let started = Instant::now();
    let result = client
        .was()
        .webapp()
        .search_all([], PagingMode::Id { page_size: 20 })
        .try_collect()
        .await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Idle, idle);
}

#[tokio::test]
async fn a_dripping_body_fails_on_the_call_deadline() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(5);
    qps.server
        .inject(FaultRule::new(Fault::Drip(Duration::from_millis(20))).always());
    let deadline = Duration::from_millis(700);
    let client = builder(&qps.server)
        .read_timeout(Duration::from_secs(5))
        .timeout(deadline)
        .retry_policy(fast_retry())
        .build()
        .unwrap();

    // Read whole, streamed, and paged: each ends at the deadline although a byte comes every 20 ms.
    let started = Instant::now();
    let result = client
        .raw(Method::Get, "/qps/rest/portal/version", None)
        .await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Deadline, deadline);

    let started = Instant::now();
    let result = client.was().webapp().search([]).await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Deadline, deadline);

    let started = Instant::now();
    let result = client
        .was()
        .webapp()
        .search_all([], PagingMode::Id { page_size: 2 })
        .try_collect()
        .await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Deadline, deadline);
    assert!(
        qps.server
            .requests()
            .iter()
            .all(|r| r.fault == Some("drip")),
        "no attempt ran into a fault-free answer"
    );
}

#[tokio::test]
async fn the_deadline_spans_retries() {
    let qps = Qps::start().await;
    // Every answer a 429 asking to wait 0 s: retries alone would go on for the policy's 5 minutes.
    qps.server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: 0,
        })
        .always(),
    );
    let deadline = Duration::from_millis(800);
    let client = builder(&qps.server)
        .timeout(deadline)
        .retry_policy(RetryPolicy {
            max_attempts: 1000,
            max_elapsed: Duration::from_secs(300),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(100),
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client
        .raw(Method::Get, "/qps/rest/portal/version", None)
        .await;
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_timeout(result, TimeoutKind::Deadline, deadline);
    assert!(qps.server.requests().len() >= 2, "it did retry");
}

#[test]
fn the_defaults_are_documented_values() {
    use qualys_qps::runtime::client::{
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT,
    };
    assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(15));
    assert_eq!(DEFAULT_READ_TIMEOUT, Duration::from_secs(60));
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(300));
}
