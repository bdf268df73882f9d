//! Paging as Qualys does it: `limitResults`, 1-based `startFromOffset`, `startFromId`, `hasMoreRecords` and
//! `lastId`, or `id GREATER <lastId>`.

use std::collections::BTreeSet;

use qualys_qps::was::{finding, webapp};

use crate::support::Qps;

const APPS: &str = "/qps/rest/3.0/search/was/webapp";
const TOTAL: i64 = 10_000;

fn assert_every_id_once(seen: &[i64]) {
    assert_eq!(seen.len() as i64, TOTAL, "every record once");
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct.len() as i64, TOTAL, "no record twice");
    assert_eq!(distinct.first(), Some(&1));
    assert_eq!(distinct.last(), Some(&TOTAL));
}

#[tokio::test]
async fn ten_thousand_records_by_offset() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(TOTAL as usize);
    let mut seen = Vec::new();
    let mut offset = 1;
    let mut pages = 0;
    loop {
        let page = qps
            .search(
                APPS,
                &[],
                &[
                    ("startFromOffset", &offset.to_string()),
                    ("limitResults", "1000"),
                ],
            )
            .await;
        assert_eq!(page.status, 200);
        let (count, more, last_id, ids) = page.page();
        assert_eq!(count, Some(ids.len() as i64));
        seen.extend(&ids);
        pages += 1;
        if more == Some(true) {
            assert_eq!(last_id, ids.last().copied());
            offset += ids.len();
        } else {
            assert_eq!(more, Some(false));
            assert_eq!(last_id, None, "lastId only while hasMoreRecords is true");
            break;
        }
        assert!(pages <= 10, "too many pages");
    }
    assert_eq!(pages, 10);
    assert_every_id_once(&seen);
    // Past the end: count 0 and nothing else.
    let beyond = qps
        .search(
            APPS,
            &[],
            &[("startFromOffset", "10001"), ("limitResults", "1000")],
        )
        .await;
    assert_eq!(beyond.top_level(), ["responseCode", "count"]);
}

#[tokio::test]
async fn ten_thousand_records_by_id_greater_than_last_id() {
    let qps = Qps::start().await;
    qps.server.generate::<finding::Finding>(TOTAL as usize);
    let mut seen = Vec::new();
    let mut last = 0;
    for _ in 0..11 {
        let page = qps
            .search(
                "/qps/rest/3.0/search/was/finding",
                &[("id", "GREATER", &last.to_string())],
                &[("limitResults", "1000")],
            )
            .await;
        assert_eq!(page.status, 200);
        let (count, more, last_id, ids) = page.page();
        assert_eq!(count, Some(ids.len() as i64));
        seen.extend(&ids);
        match more {
            Some(true) => last = last_id.expect("lastId while hasMoreRecords"),
            _ => break,
        }
    }
    assert_every_id_once(&seen);
}

#[tokio::test]
async fn limits_default_and_cap() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(1500);
    let default = qps.search(APPS, &[], &[]).await;
    assert_eq!(default.count(), Some(100));
    assert_eq!(default.last_id(), Some(100));
    let capped = qps.search(APPS, &[], &[("limitResults", "5000")]).await;
    assert_eq!(capped.count(), Some(1000));
    assert_eq!(capped.has_more(), Some(true));
    qps.search(APPS, &[], &[("limitResults", "0")])
        .await
        .assert_error("INVALID_REQUEST");
    // The last page: hasMoreRecords false, no lastId.
    let last = qps
        .search(
            APPS,
            &[],
            &[("startFromOffset", "1401"), ("limitResults", "100")],
        )
        .await;
    assert_eq!(last.count(), Some(100));
    assert_eq!(last.has_more(), Some(false));
    assert_eq!(last.last_id(), None);
    assert_eq!(
        last.top_level(),
        ["responseCode", "count", "hasMoreRecords", "data"]
    );
}

#[tokio::test]
async fn start_from_id_and_filters_combine() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(50);
    let page = qps
        .search(
            APPS,
            &[("isScheduled", "EQUALS", "true")],
            &[("startFromId", "21"), ("limitResults", "3")],
        )
        .await;
    assert_eq!(page.ids(), [22, 24, 26]);
    assert_eq!(page.has_more(), Some(true));
    assert_eq!(page.last_id(), Some(26));
    let none = qps
        .search(
            APPS,
            &[("name", "EQUALS", "missing")],
            &[("limitResults", "3")],
        )
        .await;
    assert_eq!(none.top_level(), ["responseCode", "count"]);
    assert_eq!(none.count(), Some(0));
}
