//! Criteria operators, value types, AND, custom attributes, NONE, and the errors Qualys gives.

use qualys_qps::was::{finding, wasscan, webapp};

use crate::support::{Qps, request};

const APPS: &str = "/qps/rest/3.0/search/was/webapp";
const FINDINGS: &str = "/qps/rest/3.0/search/was/finding";

async fn ids(qps: &Qps, path: &str, criteria: &[(&str, &str, &str)]) -> Vec<i64> {
    let reply = qps
        .search(path, criteria, &[("limitResults", "1000")])
        .await;
    reply.assert_success();
    reply.ids()
}

#[tokio::test]
async fn numeric_operators() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(10);
    assert_eq!(ids(&qps, APPS, &[("id", "EQUALS", "4")]).await, [4]);
    assert_eq!(ids(&qps, APPS, &[("id", "NOT EQUALS", "4")]).await.len(), 9);
    assert_eq!(ids(&qps, APPS, &[("id", "GREATER", "8")]).await, [9, 10]);
    assert_eq!(ids(&qps, APPS, &[("id", "LESSER", "3")]).await, [1, 2]);
    assert_eq!(
        ids(&qps, APPS, &[("id", "IN", "3, 5,7,99")]).await,
        [3, 5, 7]
    );
    // Numbers compare as numbers, not text ("10" > "9").
    assert_eq!(ids(&qps, APPS, &[("id", "GREATER", "9")]).await, [10]);
}

#[tokio::test]
async fn text_operators() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(12);
    // CONTAINS ignores case, as Qualys does.
    assert_eq!(
        ids(&qps, APPS, &[("name", "CONTAINS", "WEB APP 1")]).await,
        [1, 10, 11, 12]
    );
    assert_eq!(
        ids(&qps, APPS, &[("name", "EQUALS", "Web App 1")]).await,
        [1]
    );
    assert_eq!(
        ids(&qps, APPS, &[("name", "NOT EQUALS", "Web App 1")])
            .await
            .len(),
        11
    );
    assert_eq!(ids(&qps, APPS, &[("url", "CONTAINS", "app7.")]).await, [7]);
}

#[tokio::test]
async fn collections_dates_booleans_and_keywords() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(10);
    // Web app i carries tag (i % 5) + 1: tags.id looks through the list.
    assert_eq!(ids(&qps, APPS, &[("tags.id", "EQUALS", "3")]).await, [2, 7]);
    assert_eq!(
        ids(&qps, APPS, &[("tags.name", "CONTAINS", "tag 1")]).await,
        [5, 10]
    );
    // createdDate of app i is 2024-01-01T00:00:00Z + i minutes.
    assert_eq!(
        ids(
            &qps,
            APPS,
            &[("createdDate", "GREATER", "2024-01-01T00:08:00Z")]
        )
        .await,
        [9, 10]
    );
    assert_eq!(
        ids(
            &qps,
            APPS,
            &[("createdDate", "LESSER", "2024-01-01T01:02:00+01:00")]
        )
        .await,
        [1]
    );
    assert_eq!(
        ids(&qps, APPS, &[("createdDate", "GREATER", "2024-01-01")])
            .await
            .len(),
        10
    );
    assert_eq!(
        ids(&qps, APPS, &[("isScheduled", "EQUALS", "true")]).await,
        [2, 4, 6, 8, 10]
    );
    assert_eq!(
        ids(&qps, APPS, &[("isScheduled", "NOT EQUALS", "true")]).await,
        [1, 3, 5, 7, 9]
    );

    qps.server.generate::<finding::Finding>(8);
    // Finding i: type cycles VULNERABILITY, SENSITIVE_CONTENT, INFORMATION_GATHERED from i % 3.
    assert_eq!(
        ids(&qps, FINDINGS, &[("type", "EQUALS", "VULNERABILITY")]).await,
        [3, 6]
    );
    assert_eq!(
        ids(
            &qps,
            FINDINGS,
            &[("type", "IN", "VULNERABILITY,INFORMATION_GATHERED")]
        )
        .await,
        [2, 3, 5, 6, 8]
    );
    assert_eq!(
        ids(&qps, FINDINGS, &[("webApp.id", "EQUALS", "4")]).await,
        [3]
    );
}

#[tokio::test]
async fn criteria_are_anded() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(20);
    let both = ids(
        &qps,
        APPS,
        &[
            ("name", "CONTAINS", "1"),
            ("isScheduled", "EQUALS", "true"),
            ("id", "LESSER", "15"),
        ],
    )
    .await;
    assert_eq!(both, [10, 12, 14]);
    let none = qps
        .search(APPS, &[("id", "EQUALS", "1"), ("id", "EQUALS", "2")], &[])
        .await;
    assert_eq!(none.top_level(), ["responseCode", "count"]);
    assert_eq!(none.count(), Some(0));
}

#[tokio::test]
async fn joins_to_the_scanned_web_app() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(10);
    qps.server.generate::<wasscan::WasScan>(20);
    // Scan i targets web app (i % 10) + 1; web app 2 and 7 carry tag 3.
    let scans = ids(
        &qps,
        "/qps/rest/3.0/search/was/wasscan",
        &[("webApp.tags.id", "EQUALS", "3")],
    )
    .await;
    assert_eq!(scans, [1, 6, 11, 16]);
    let by_app = ids(
        &qps,
        "/qps/rest/3.0/search/was/wasscan",
        &[("webApp.id", "IN", "2,7")],
    )
    .await;
    assert_eq!(by_app, scans);
}

#[tokio::test]
async fn custom_attributes_and_none() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(3);
    qps.server
        .patch::<webapp::WebApp>(
            2,
            "<WebApp><attributes><set><Attribute><name>Business Unit</name><value>Retail Banking</value>\
             </Attribute></set></attributes><tags><set/></tags></WebApp>",
        )
        .unwrap();
    let attribute = |op: &'static str, value: &'static str| {
        format!(
            "<ServiceRequest><filters><Criteria field=\"attributes\" name=\"Business Unit\" operator=\"{op}\">\
             {value}</Criteria></filters></ServiceRequest>"
        )
    };
    assert_eq!(
        qps.post(APPS, &attribute("EQUALS", "Retail Banking"))
            .await
            .ids(),
        [2]
    );
    assert_eq!(
        qps.post(APPS, &attribute("CONTAINS", "retail")).await.ids(),
        [2]
    );
    assert_eq!(
        qps.post(APPS, &attribute("NOT EQUALS", "Retail Banking"))
            .await
            .ids(),
        [1, 3]
    );
    qps.post(
        APPS,
        "<ServiceRequest><filters><Criteria field=\"attributes\" operator=\"EQUALS\">x</Criteria>\
         </filters></ServiceRequest>",
    )
    .await
    .assert_error("INVALID_REQUEST");

    // NONE: web applications without any tag, never scanned.
    let untagged = qps
        .post(
            APPS,
            "<ServiceRequest><filters><Criteria field=\"tags\" operator=\"NONE\"></Criteria></filters></ServiceRequest>",
        )
        .await;
    assert_eq!(untagged.ids(), [2]);
    let never_scanned = qps
        .post(
            APPS,
            "<ServiceRequest><filters><Criteria field=\"lastScan\" operator=\"NONE\"></Criteria></filters></ServiceRequest>",
        )
        .await;
    assert_eq!(never_scanned.ids(), [1, 2, 3]);
    assert_eq!(
        ids(&qps, APPS, &[("isScanned", "EQUALS", "false")]).await,
        [1, 2, 3]
    );
}

#[tokio::test]
async fn unknown_fields_operators_and_values_are_refused() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(3);
    let message = qps
        .search(APPS, &[("colour", "EQUALS", "red")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    assert!(message.contains("'colour'"), "{message}");
    // CONTAINS does not apply to a number, GREATER not to text.
    let message = qps
        .search(APPS, &[("id", "CONTAINS", "1")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    assert!(
        message.contains("CONTAINS") && message.contains("'id'"),
        "{message}"
    );
    qps.search(APPS, &[("name", "GREATER", "a")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    // The field list is the entity's: `qid` is a finding field, not a web application one.
    qps.search(APPS, &[("qid", "EQUALS", "1")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    let message = qps
        .search(APPS, &[("id", "EQUALS", "one")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    assert!(message.contains("'one'"), "{message}");
    qps.search(APPS, &[("createdDate", "GREATER", "last week")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    qps.search(APPS, &[("isScheduled", "EQUALS", "yes")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    // An operator outside the XSD's list.
    qps.search(APPS, &[("id", "BETWEEN", "1")], &[])
        .await
        .assert_error("INVALID_REQUEST");
    // The same checks apply to count and to bulk actions.
    qps.post(
        "/qps/rest/3.0/count/was/webapp",
        &request(&[("nope", "EQUALS", "1")], &[]),
    )
    .await
    .assert_error("INVALID_REQUEST");
    qps.post(
        "/qps/rest/3.0/delete/was/webapp",
        &request(&[("nope", "EQUALS", "1")], &[]),
    )
    .await
    .assert_error("INVALID_REQUEST");
    assert_eq!(qps.server.ids::<webapp::WebApp>().len(), 3);
}
