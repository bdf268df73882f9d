//! The client's concurrency cap under load, counted at the server: with many callers waiting, no more requests
//! are in flight than the smaller of the client's cap and the server's last `X-Concurrency-Limit-Limit`.

use std::time::Duration;

use qps_testserver::{Config, TestServer};
use qualys_qps::runtime::Method;

use crate::support::capped_client;

/// Learns the server's limit with one call, then runs `callers` calls at once; returns the most requests the
/// server saw in flight at once during those.
async fn peak_in_flight(server_limit: u64, cap: Option<usize>, callers: usize) -> usize {
    let server = TestServer::start(Config {
        concurrency_limit: Some(server_limit),
        latency: Some(Duration::from_millis(60)),
        ..Config::default()
    })
    .await;
    let client = capped_client(&server, cap);
    let version = "/qps/rest/portal/version";
    client.raw(Method::Get, version, None).await.unwrap();
    server.reset_max_in_flight();

    let calls: Vec<_> = (0..callers)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.raw(Method::Get, version, None).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().status, 200);
    }
    assert_eq!(server.requests().len(), callers + 1, "each call sent once");
    server.max_in_flight()
}

#[tokio::test]
async fn a_server_limit_below_the_client_cap_holds_while_callers_wait() {
    let peak = peak_in_flight(2, Some(4), 24).await;
    assert_eq!(peak, 2, "client cap 4, server limit 2");
}

#[tokio::test]
async fn a_server_limit_holds_without_a_client_cap() {
    let peak = peak_in_flight(3, None, 24).await;
    assert_eq!(peak, 3, "no client cap, server limit 3");
}

#[tokio::test]
async fn the_client_cap_holds_below_the_server_limit() {
    let peak = peak_in_flight(8, Some(2), 16).await;
    assert_eq!(peak, 2, "client cap 2, server limit 8");
}
