//! Paging 10,000 records in pages of 1,000 through the client's stream, while the server refuses or breaks
//! some of the calls: every record arrives exactly once, in both paging modes.

use std::collections::BTreeSet;

use qps_testserver::{Fault, FaultRule, RecordedRequest};
use qualys_qps::prelude::*;
use qualys_qps::was::{finding, webapp};

use crate::support::Qps;

const TOTAL: usize = 10_000;
const PAGE: u32 = 1_000;

/// The faults, by the arrival number of the request they hit (each retried); walked one page at a time,
/// requests 1 to 16 would ask for pages 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9 and 10 (pipelined, the
/// next page's request may come before a re-read). A 409 with `X-RateLimit-ToWait-Sec: 0`, a 429 with
/// `Retry-After: 0`, a 503, a connection dropped mid-body, a body shorter than its `Content-Length`, and a 409
/// without any rate-limit header.
fn inject_faults(qps: &Qps) -> Vec<&'static str> {
    let faults = [
        (2, Fault::rate_limited(0)),
        (
            4,
            Fault::TooManyRequests {
                retry_after_secs: 0,
            },
        ),
        (5, Fault::ServiceUnavailable),
        (7, Fault::DropMidBody),
        (10, Fault::TruncatedBody),
        (
            12,
            Fault::RateLimited(qps_testserver::RateLimitHeaders::none()),
        ),
    ];
    qps.server.clear_requests();
    faults
        .into_iter()
        .map(|(seq, fault)| {
            let name = fault.name();
            qps.server.inject(FaultRule::new(fault).on_request(seq));
            name
        })
        .collect()
}

/// Checks the log of one walk: the faults hit, and each page got exactly one clean answer. (The walk is
/// pipelined, so a page's request may come before the re-read of the page before it: the order of the clean
/// answers is not checked here; the order of the records is.)
fn check_log(log: &[RecordedRequest], faults: &[&str], asks_for: impl Fn(usize, &str) -> bool) {
    let hit: Vec<&str> = log.iter().filter_map(|r| r.fault).collect();
    assert_eq!(hit, faults, "every injected fault hit a search");
    let whole: Vec<&RecordedRequest> = log.iter().filter(|r| r.fault.is_none()).collect();
    assert_eq!(
        whole.len(),
        TOTAL / PAGE as usize,
        "one clean answer per page"
    );
    assert!(whole.iter().all(|r| r.executed && r.status == 200));
    for page in 0..TOTAL / PAGE as usize {
        let answers = whole.iter().filter(|r| asks_for(page, &r.body)).count();
        assert_eq!(answers, 1, "page {}", page + 1);
    }
    assert_eq!(log.len(), whole.len() + faults.len());
}

/// Whether a request in id mode asks for page `page` (0-based): the first has no id criterion.
fn id_page(page: usize, body: &str) -> bool {
    match page {
        0 => body.contains("<limitResults>1000</limitResults>") && !body.contains("GREATER"),
        _ => body.contains(&format!(
            r#"<Criteria field="id" operator="GREATER">{}</Criteria>"#,
            page * 1000
        )),
    }
}

fn assert_each_once(seen: &[i64]) {
    assert_eq!(seen.len(), TOTAL, "as many records as stored");
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct.len(), TOTAL, "no record twice");
    assert_eq!(distinct, (1..=TOTAL as i64).collect());
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in id order");
}

#[tokio::test]
async fn ten_thousand_web_apps_through_faults_by_offset_and_by_id() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(TOTAL);

    for mode in [
        PagingMode::Offset { page_size: PAGE },
        PagingMode::Id { page_size: PAGE },
    ] {
        let faults = inject_faults(&qps);
        let mut stream = qps
            .client
            .was()
            .webapp()
            .search_all([webapp::filter::Url.contains("example.com")], mode);
        let mut seen = Vec::with_capacity(TOTAL);
        while let Some(app) = stream.try_next().await.unwrap() {
            seen.push(app.id.unwrap());
        }
        assert_eq!(stream.pages_fetched(), 10, "{mode:?}");
        assert_each_once(&seen);
        let log = qps.server.requests();
        match mode {
            PagingMode::Offset { .. } => check_log(&log, &faults, |page, body| {
                body.contains(&format!(
                    "<startFromOffset>{}</startFromOffset>",
                    page * 1000 + 1
                ))
            }),
            PagingMode::Id { .. } => check_log(&log, &faults, id_page),
        }
        if let PagingMode::Id { .. } = mode {
            assert!(
                !log[0].body.contains("GREATER"),
                "the first page has no id criterion"
            );
        }
        qps.validate_bodies();
    }
}

#[tokio::test]
async fn ten_thousand_findings_through_faults_by_id() {
    let qps = Qps::start().await;
    qps.server.generate::<finding::Finding>(TOTAL);
    let faults = inject_faults(&qps);
    let all = qps
        .client
        .was()
        .finding()
        .search_all([], PagingMode::Id { page_size: PAGE })
        .try_collect()
        .await
        .unwrap();
    let seen: Vec<i64> = all.iter().map(|f| f.id.unwrap()).collect();
    assert_each_once(&seen);
    let log = qps.server.requests();
    check_log(&log, &faults, id_page);
    qps.validate_bodies();
}

/// SAQ documents only `EQUALS` and `IN` for `id`, so id mode pages by `startFromId` there, not by
/// `id GREATER`.
#[tokio::test]
async fn saq_searches_page_in_both_modes() {
    use qualys_qps::saq::{questionnaire, questionnairecampaign as campaign};
    let qps = Qps::start().await;
    qps.server.generate::<campaign::QuestionnaireCampaign>(25);
    qps.server.generate::<questionnaire::Questionnaire>(25);
    for mode in [
        PagingMode::Offset { page_size: 10 },
        PagingMode::Id { page_size: 10 },
    ] {
        qps.server.clear_requests();
        let campaigns = qps
            .client
            .saq()
            .questionnairecampaign()
            .search_all([], mode)
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<i64> = campaigns.iter().map(|c| c.id.unwrap()).collect();
        assert_eq!(ids, (1..=25).collect::<Vec<_>>(), "{mode:?}");
        let questionnaires = qps
            .client
            .saq()
            .questionnaire()
            .search_all(
                [questionnaire::filter::State.in_list([
                    questionnaire::filter::StateValue::Review,
                    questionnaire::filter::StateValue::Closed,
                ])],
                mode,
            )
            .try_collect()
            .await
            .unwrap();
        assert_eq!(questionnaires.len(), 12, "{mode:?}");
        let log = qps.server.requests();
        assert_eq!(log.len(), 3 + 2);
        if let PagingMode::Id { .. } = mode {
            assert!(
                log[1].body.contains("<startFromId>11</startFromId>"),
                "{}",
                log[1].body
            );
            assert!(log.iter().all(|r| !r.body.contains("GREATER")));
        }
        qps.validate_bodies();
    }
}
