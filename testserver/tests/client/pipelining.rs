//! Pipelined paging: the next page is requested while the current one is still streaming, yet every record
//! arrives once and in order, also through faults mid-page; with a concurrency cap of 1 the walk is sequential.

use std::collections::BTreeMap;
use std::time::Duration;

use qps_testserver::{Config, Fault, FaultRule, TestServer};
use qualys_qps::prelude::*;
use qualys_qps::runtime::Client;
use qualys_qps::was::webapp;

use crate::support::capped_client;

const TOTAL: usize = 2_000;
const PAGE: u32 = 100;
const PAGES: usize = TOTAL / PAGE as usize;

/// A server whose bodies are slow enough (bandwidth-limited: a page of 100 web apps, about 27 KB, takes about
/// 100 ms) for two requests to overlap visibly.
async fn slow_server(concurrency_limit: Option<u64>) -> TestServer {
    let server = TestServer::start(Config {
        bandwidth: Some(256 * 1024),
        concurrency_limit,
        ..Config::default()
    })
    .await;
    server.generate::<webapp::WebApp>(TOTAL);
    server
}

async fn walk(client: &Client) -> Vec<i64> {
    let mut stream = client
        .was()
        .webapp()
        .search_all([], PagingMode::Id { page_size: PAGE });
    let mut seen = Vec::with_capacity(TOTAL);
    while let Some(app) = stream.try_next().await.unwrap() {
        seen.push(app.id.unwrap());
    }
    assert_eq!(stream.pages_fetched(), PAGES as u64);
    seen
}

/// How many fault-free answers each page got, by its `id GREATER` bound (0 for the first page).
fn clean_answers(server: &TestServer) -> BTreeMap<i64, usize> {
    let mut answers = BTreeMap::new();
    for request in server.requests() {
        if request.fault.is_some() {
            continue;
        }
        assert!(request.executed && request.status == 200);
        let after = request
            .body
            .split(r#"<Criteria field="id" operator="GREATER">"#)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .map_or(0, |n| n.parse().unwrap());
        *answers.entry(after).or_insert(0) += 1;
    }
    answers
}

fn assert_each_page_once(server: &TestServer) {
    let expected: BTreeMap<i64, usize> = (0..PAGES as i64).map(|p| (p * PAGE as i64, 1)).collect();
    assert_eq!(clean_answers(server), expected, "each page answered once");
}

#[tokio::test]
async fn pipelined_pages_arrive_in_order_exactly_once_and_overlap() {
    let server = slow_server(None).await;
    let seen = walk(&capped_client(&server, None)).await;
    assert_eq!(seen, (1..=TOTAL as i64).collect::<Vec<_>>());
    assert_each_page_once(&server);
    assert_eq!(server.requests().len(), PAGES);
    assert_eq!(
        server.max_in_flight(),
        2,
        "the next page was in flight while the current one streamed, and no more"
    );
    assert_eq!(
        server.connections(),
        2,
        "two keep-alive connections taking turns, not a connection per page"
    );
}

#[tokio::test]
async fn pipelined_pages_survive_faults_mid_page() {
    let server = slow_server(None).await;
    // Bodies cut short mid-page (read again, the records already yielded skipped), a truncated body, and
    // refusals, hitting the current and the prefetched page alike.
    for (seq, fault) in [
        (3, Fault::DropMidBody),
        (6, Fault::TruncatedBody),
        (9, Fault::ServiceUnavailable),
        (12, Fault::DropMidBody),
        (15, Fault::rate_limited(0)),
        (18, Fault::DropMidBody),
        (21, Fault::Stall(Duration::from_millis(200))),
    ] {
        server.inject(FaultRule::new(fault).on_request(seq));
    }
    let seen = walk(&capped_client(&server, None)).await;
    assert_eq!(seen, (1..=TOTAL as i64).collect::<Vec<_>>());
    let faulted = server
        .requests()
        .iter()
        .filter(|r| r.fault.is_some() && r.fault != Some("stall"))
        .count();
    assert_eq!(faulted, 6, "every fault hit a page request");
    // The stalled answer is complete (only slow), so it counts as that page's one answer.
    let mut answers = clean_answers(&server);
    for request in server.requests() {
        if request.fault == Some("stall") {
            let after = request
                .body
                .split(r#"<Criteria field="id" operator="GREATER">"#)
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .map_or(0, |n| n.parse().unwrap());
            *answers.entry(after).or_insert(0) += 1;
        }
    }
    let expected: BTreeMap<i64, usize> = (0..PAGES as i64).map(|p| (p * PAGE as i64, 1)).collect();
    assert_eq!(answers, expected, "each page read into the output once");
}

#[tokio::test]
async fn a_cap_of_one_walks_sequentially() {
    // Configured on the client, or reported by the server.
    for (cap, server_limit) in [(Some(1), None), (None, Some(1))] {
        let server = slow_server(server_limit).await;
        let seen = walk(&capped_client(&server, cap)).await;
        assert_eq!(seen, (1..=TOTAL as i64).collect::<Vec<_>>());
        assert_each_page_once(&server);
        assert_eq!(
            server.max_in_flight(),
            1,
            "cap {cap:?}, server limit {server_limit:?}"
        );
        assert_eq!(
            server.connections(),
            1,
            "one keep-alive connection for every page: cap {cap:?}, server limit {server_limit:?}"
        );
        // Sequential: each request asks for the page after the previous request's.
        let afters: Vec<i64> = server
            .requests()
            .iter()
            .map(|r| {
                r.body
                    .split(r#"<Criteria field="id" operator="GREATER">"#)
                    .nth(1)
                    .and_then(|rest| rest.split('<').next())
                    .map_or(0, |n| n.parse().unwrap())
            })
            .collect();
        assert_eq!(
            afters,
            (0..PAGES as i64)
                .map(|p| p * PAGE as i64)
                .collect::<Vec<_>>()
        );
    }
}
