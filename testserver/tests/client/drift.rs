//! Drift end to end: the server adds elements, attributes and enumeration values the bundled schemas do not
//! describe to its answers; the client reads them all the same and reports what it met, per response and in
//! total.

use qps_testserver::{Fault, FaultRule, UnknownContent};
use qualys_qps::prelude::*;
use qualys_qps::runtime::xml::{Drift, DriftKind};
use qualys_qps::was::webapp;

use crate::support::Qps;

fn unknown_content() -> Fault {
    Fault::UnknownContent(
        UnknownContent::inside("WebApp")
            .element("aiVerdict", "7")
            .attribute("flavour", "next")
            .value("scope", "EVERYWHERE"),
    )
}

fn count(drift: &Drift, kind: DriftKind, path: &str) -> u64 {
    drift
        .get(kind, path)
        .unwrap_or_else(|| panic!("no {kind} at {path} in\n{drift}"))
        .count
}

async fn seed(qps: &Qps, n: usize) -> Vec<i64> {
    let apps = (0..n).map(|i| webapp::WebApp {
        name: Some(format!("drift {i}")),
        url: Some(format!("https://drift{i}.example.com")),
        scope: Some(webapp::WebAppScope::All),
        ..webapp::WebApp::default()
    });
    qps.server.seed(apps)
}

#[tokio::test]
async fn a_response_with_unknown_content_reads_and_reports_its_drift() {
    let qps = Qps::start().await;
    let ids = seed(&qps, 1).await;

    // A clean answer: nothing to report.
    let (_, drift) = qps
        .client
        .execute_with_drift(&webapp::endpoints::Get::new(ids[0]))
        .await
        .unwrap();
    assert!(drift.is_empty(), "{drift}");

    qps.server
        .inject(FaultRule::new(unknown_content()).times(2));
    let (response, drift) = qps
        .client
        .execute_with_drift(&webapp::endpoints::Get::new(ids[0]))
        .await
        .unwrap();
    let log = qps.server.requests();
    assert_eq!(log.last().unwrap().fault, Some("unknown-content"));
    assert!(
        log.last()
            .unwrap()
            .response_body
            .contains("<aiVerdict>7</aiVerdict>")
    );
    let app = crate::support::only(response);
    assert_eq!(app.id, Some(ids[0]));
    assert_eq!(
        app.scope,
        Some(webapp::WebAppScope::Other("EVERYWHERE".into()))
    );
    let at = "ServiceResponse/data/WebApp";
    assert_eq!(
        count(&drift, DriftKind::Element, &format!("{at}/aiVerdict")),
        1
    );
    assert_eq!(
        count(&drift, DriftKind::Attribute, &format!("{at}/@flavour")),
        1
    );
    assert_eq!(
        count(&drift, DriftKind::EnumValue, &format!("{at}/scope")),
        1
    );
    assert_eq!(
        drift
            .get(DriftKind::EnumValue, &format!("{at}/scope"))
            .unwrap()
            .first_value
            .as_deref(),
        Some("EVERYWHERE")
    );
    assert_eq!(drift.entries().len(), 3, "{drift}");

    // The generated call (through `execute`) adds to the client's total as well.
    qps.client.was().webapp().get(ids[0]).await.unwrap();
    let total = qps.client.drift();
    assert_eq!(
        count(&total, DriftKind::Element, &format!("{at}/aiVerdict")),
        2
    );
    assert_eq!(total.entries().len(), 3, "{total}");
}

#[tokio::test]
async fn streamed_records_report_their_drift_on_the_records_and_the_client() {
    let qps = Qps::start().await;
    seed(&qps, 3).await;
    qps.server
        .inject(FaultRule::new(unknown_content()).on_path("/search/was/webapp"));
    let search = webapp::endpoints::Search::new();
    let mut records = qps.client.stream_items(&search).await.unwrap();
    let mut seen = 0;
    while let Some(app) = records.try_next().await.unwrap() {
        assert_eq!(
            app.scope,
            Some(webapp::WebAppScope::Other("EVERYWHERE".into()))
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
    let at = "ServiceResponse/data/WebApp";
    let drift = records.drift();
    assert_eq!(
        count(drift, DriftKind::Element, &format!("{at}/aiVerdict")),
        3
    );
    assert_eq!(
        count(drift, DriftKind::Attribute, &format!("{at}/@flavour")),
        3
    );
    assert_eq!(
        count(drift, DriftKind::EnumValue, &format!("{at}/scope")),
        3
    );
    assert_eq!(
        count(
            &qps.client.drift(),
            DriftKind::EnumValue,
            &format!("{at}/scope")
        ),
        3
    );

    // The next page of answers is clean again: the records report nothing, the client keeps its total.
    let mut records = qps.client.stream_items(&search).await.unwrap();
    while records.try_next().await.unwrap().is_some() {}
    assert!(records.drift().is_empty(), "{}", records.drift());
    assert_eq!(
        count(
            &qps.client.drift(),
            DriftKind::Element,
            &format!("{at}/aiVerdict")
        ),
        3
    );
}
