//! Injected faults, each as a client sees it on the wire, and the record of what was executed.

use std::time::{Duration, Instant};

use qps_testserver::{Config, Fault, FaultRule, RateLimitHeaders};
use qualys_qps::was::webapp::WebApp;

use crate::support::{Qps, data};

const SEARCH: &str = "/qps/rest/3.0/search/was/webapp";
const CREATE: &str = "/qps/rest/3.0/create/was/webapp";

fn new_app() -> String {
    data("<WebApp><name>Shop</name><url>https://shop.example.com</url></WebApp>")
}

#[tokio::test]
async fn rate_limit_409_carries_qualys_headers() {
    let qps = Qps::start().await;
    qps.server.inject(Fault::rate_limited(7));
    let limited = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(limited.status, 409);
    for (name, value) in [
        ("x-ratelimit-limit", "300"),
        ("x-ratelimit-window-sec", "3600"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-towait-sec", "7"),
        ("x-concurrency-limit-limit", "2"),
        ("x-concurrency-limit-running", "1"),
    ] {
        assert_eq!(limited.headers[name], value, "{name}");
    }
    assert!(!limited.text_at("responseCode").unwrap().is_empty());
    // Once only: the next call goes through.
    qps.post(SEARCH, "<ServiceRequest/>").await.assert_success();

    qps.server
        .inject(Fault::RateLimited(RateLimitHeaders::none()));
    let bare = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(bare.status, 409);
    assert!(!bare.headers.contains_key("x-ratelimit-limit"));

    qps.server.inject(Fault::concurrency_limited(2));
    let busy = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(busy.headers["x-concurrency-limit-running"], "2");
    assert!(!busy.headers.contains_key("x-ratelimit-towait-sec"));

    let log = qps.server.requests();
    assert_eq!(log[0].fault, Some("rate-limited"));
    assert!(!log[0].executed);
    assert!(log[1].executed && log[1].fault.is_none());
}

#[tokio::test]
async fn too_many_requests_and_service_unavailable() {
    let qps = Qps::start().await;
    qps.server.inject(Fault::TooManyRequests {
        retry_after_secs: 3,
    });
    qps.server.inject(Fault::ServiceUnavailable);
    let first = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(first.status, 429);
    assert_eq!(first.headers["retry-after"], "3");
    let second = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(second.status, 503);
    assert!(
        second.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    qps.post(SEARCH, "<ServiceRequest/>").await.assert_success();
}

#[tokio::test]
async fn html_pages_and_empty_bodies() {
    let qps = Qps::start().await;
    qps.server.inject(Fault::HtmlPage { status: 200 });
    qps.server.inject(Fault::HtmlPage { status: 502 });
    qps.server.inject(Fault::EmptyBody { status: 200 });
    let ok_html = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(ok_html.status, 200);
    assert!(
        ok_html.text.starts_with("<!DOCTYPE html>"),
        "{}",
        ok_html.text
    );
    let bad_gateway = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(bad_gateway.status, 502);
    assert!(bad_gateway.text.contains("502 Bad Gateway"));
    let empty = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.headers["content-length"], "0");
    assert!(empty.text.is_empty());
}

#[tokio::test]
async fn slow_response() {
    let qps = Qps::start().await;
    qps.server.inject(Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    qps.post(SEARCH, "<ServiceRequest/>").await.assert_success();
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A client that gives up first: the call was still carried out.
    qps.server
        .inject(FaultRule::new(Fault::Delay(Duration::from_secs(2))).on_path("/create/"));
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let config = qps.server.config();
    let timed_out = impatient
        .post(qps.server.url(CREATE))
        .basic_auth(&config.username, Some(&config.password))
        .body(new_app())
        .send()
        .await;
    assert!(timed_out.unwrap_err().is_timeout());
    assert_eq!(qps.server.ids::<WebApp>(), [1]);
    let create = qps
        .server
        .requests()
        .into_iter()
        .find(|r| r.is("create", "was/webapp"));
    let create = create.expect("the create was recorded");
    assert!(create.executed);
    assert_eq!(create.fault, Some("delay"));

    // Slow on the way in instead: the delay comes first, then the call is carried out.
    qps.server
        .inject(FaultRule::new(Fault::Delay(Duration::from_millis(200))).executed(false));
    let started = Instant::now();
    let created = qps.post(CREATE, &new_app()).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(created.ids(), [2]);
}

#[tokio::test]
async fn connection_dropped_mid_body_after_the_create_was_done() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::DropMidBody).on_path("/create/was/webapp"));
    let config = qps.server.config();
    let response = qps
        .client
        .post(qps.server.url(CREATE))
        .basic_auth(&config.username, Some(&config.password))
        .body(new_app())
        .send()
        .await
        .expect("the status line and headers arrive");
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-length").is_none());
    let body = response.bytes().await;
    assert!(body.is_err(), "the body must fail, got {body:?}");
    // The create ran once: a client must not blindly retry it.
    let creates: Vec<_> = qps
        .server
        .requests()
        .into_iter()
        .filter(|r| r.is("create", "was/webapp"))
        .collect();
    assert_eq!(creates.len(), 1);
    assert!(creates[0].executed);
    assert_eq!(creates[0].fault, Some("drop-mid-body"));
    assert_eq!(qps.server.ids::<WebApp>(), [1]);
}

#[tokio::test]
async fn truncated_body_announces_more_than_it_sends() {
    let qps = Qps::start().await;
    qps.server.generate::<WebApp>(5);
    qps.server.inject(Fault::TruncatedBody);
    let config = qps.server.config();
    let response = qps
        .client
        .post(qps.server.url(SEARCH))
        .basic_auth(&config.username, Some(&config.password))
        .body("<ServiceRequest/>")
        .send()
        .await
        .unwrap();
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let full = qps.server.requests()[0].response_body.len();
    assert_eq!(announced, full);
    assert!(response.bytes().await.is_err());
    // The connection closes; the next request gets a fresh one and succeeds.
    qps.post(SEARCH, "<ServiceRequest/>").await.assert_success();
}

#[tokio::test]
async fn rules_by_request_number_path_and_count() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::ServiceUnavailable).on_request(2));
    qps.server.inject(
        FaultRule::new(Fault::rate_limited(1))
            .on_path("/count/")
            .times(2),
    );
    let statuses = [
        qps.post(SEARCH, "<ServiceRequest/>").await.status,
        qps.post(SEARCH, "<ServiceRequest/>").await.status,
        qps.get("/qps/rest/3.0/count/was/webapp").await.status,
        qps.get("/qps/rest/3.0/count/was/webapp").await.status,
        qps.get("/qps/rest/3.0/count/was/webapp").await.status,
        qps.post(SEARCH, "<ServiceRequest/>").await.status,
    ];
    assert_eq!(statuses, [200, 503, 409, 409, 200, 200]);

    qps.server
        .inject(FaultRule::new(Fault::HtmlPage { status: 500 }).always());
    assert_eq!(qps.post(SEARCH, "<ServiceRequest/>").await.status, 500);
    assert_eq!(qps.post(SEARCH, "<ServiceRequest/>").await.status, 500);
    qps.server.clear_faults();
    assert_eq!(qps.post(SEARCH, "<ServiceRequest/>").await.status, 200);
}

#[tokio::test]
async fn a_gateway_error_after_execution_is_recorded_as_executed() {
    let qps = Qps::start().await;
    // The default for a 503 is "rejected before the API": nothing created.
    qps.server.inject(Fault::ServiceUnavailable);
    assert_eq!(qps.post(CREATE, &new_app()).await.status, 503);
    assert!(qps.server.ids::<WebApp>().is_empty());
    // The gateway times out after the API did the work.
    qps.server
        .inject(FaultRule::new(Fault::HtmlPage { status: 504 }).executed(true));
    assert_eq!(qps.post(CREATE, &new_app()).await.status, 504);
    assert_eq!(qps.server.ids::<WebApp>(), [1]);
    let log = qps.server.requests();
    assert_eq!(
        log.iter()
            .map(|r| (r.executed, r.status))
            .collect::<Vec<_>>(),
        [(false, 503), (true, 504)]
    );
}

#[tokio::test]
async fn latency_runs_from_the_request_to_the_response_with_the_work_inside_it() {
    let qps = Qps::with(Config {
        latency: Some(Duration::from_millis(300)),
        ..Config::default()
    })
    .await;
    let started = Instant::now();
    qps.post(SEARCH, "<ServiceRequest/>").await.assert_success();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(300),
        "answered after {took:?}"
    );

    // The call is carried out at the start of the latency: a client that gives up during it finds it done.
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let config = qps.server.config();
    let timed_out = impatient
        .post(qps.server.url(CREATE))
        .basic_auth(&config.username, Some(&config.password))
        .body(new_app())
        .send()
        .await;
    assert!(timed_out.unwrap_err().is_timeout());
    assert_eq!(qps.server.ids::<WebApp>(), [1]);

    // A delay on the way in comes on top of the latency.
    qps.server
        .inject(FaultRule::new(Fault::Delay(Duration::from_millis(200))).executed(false));
    let started = Instant::now();
    qps.post(CREATE, &new_app()).await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(500),
        "answered after {took:?}"
    );
}
