//! State machines: SAQ campaigns and WAS scans refuse what Qualys refuses.

use qualys_qps::saq::questionnairecampaign::QuestionnaireCampaign;
use qualys_qps::was::wasscan::WasScan;

use crate::support::{Qps, assert_valid, data, request};

const CAMPAIGN: &str = "saq/questionnairecampaign";

fn cancel_body() -> String {
    data("<QuestionnaireCampaign><comments>no longer needed</comments></QuestionnaireCampaign>")
}

async fn status(qps: &Qps, id: i64) -> String {
    let reply = qps
        .get(&format!(
            "/qps/rest/1.0/status/saq/questionnairecampaign/{id}"
        ))
        .await;
    reply.assert_success();
    assert_eq!(reply.top_level(), ["responseCode", "count", "data"]);
    reply.text_at("data/QuestionnaireCampaign/status").unwrap()
}

#[tokio::test]
async fn campaign_launch_then_complete() {
    let qps = Qps::start().await;
    qps.server.generate::<QuestionnaireCampaign>(3);
    assert_eq!(status(&qps, 1).await, "INACTIVE");
    // Complete and cancel need an ACTIVE campaign.
    let message = qps
        .post_empty("/qps/rest/1.0/complete/saq/questionnairecampaign/1")
        .await
        .assert_error("INVALID_REQUEST");
    assert!(message.contains("INACTIVE"), "{message}");
    qps.post(
        "/qps/rest/1.0/cancel/saq/questionnairecampaign/1",
        &cancel_body(),
    )
    .await
    .assert_error("INVALID_REQUEST");

    let launched = qps
        .post_empty("/qps/rest/1.0/launch/saq/questionnairecampaign/1")
        .await;
    launched.assert_success();
    assert_valid(CAMPAIGN, &launched.text);
    // Launch answers the whole campaign, with its launch date.
    assert!(
        launched
            .text_at("data/QuestionnaireCampaign/launchDate")
            .is_some()
    );
    assert_eq!(status(&qps, 1).await, "ACTIVE");
    qps.post_empty("/qps/rest/1.0/launch/saq/questionnairecampaign/1")
        .await
        .assert_error("INVALID_REQUEST");

    let completed = qps
        .post_empty("/qps/rest/1.0/complete/saq/questionnairecampaign/1")
        .await;
    completed.assert_success();
    assert_eq!(
        completed
            .text_at("data/QuestionnaireCampaign/status")
            .as_deref(),
        Some("COMPLETE")
    );
    assert_eq!(
        completed
            .text_at("data/QuestionnaireCampaign/name")
            .as_deref(),
        Some("Campaign 1")
    );
    assert_valid(CAMPAIGN, &completed.text);
    for action in ["launch", "complete"] {
        qps.post_empty(&format!(
            "/qps/rest/1.0/{action}/saq/questionnairecampaign/1"
        ))
        .await
        .assert_error("INVALID_REQUEST");
    }
    qps.post_empty("/qps/rest/1.0/launch/saq/questionnairecampaign/42")
        .await
        .assert_error("NOT_FOUND");
    let count = qps
        .post(
            "/qps/rest/1.0/count/saq/questionnairecampaign",
            &request(&[("status", "EQUALS", "COMPLETE")], &[]),
        )
        .await;
    assert_eq!(count.count(), Some(1));
}

#[tokio::test]
async fn campaign_cancel_needs_comments_and_an_active_campaign() {
    let qps = Qps::start().await;
    qps.server.generate::<QuestionnaireCampaign>(1);
    qps.post_empty("/qps/rest/1.0/launch/saq/questionnairecampaign/1")
        .await
        .assert_success();
    qps.post(
        "/qps/rest/1.0/cancel/saq/questionnairecampaign/1",
        &data("<QuestionnaireCampaign/>"),
    )
    .await
    .assert_error("CANNOT_BE_NULL");
    // cancel's body is required by the catalog.
    qps.post_empty("/qps/rest/1.0/cancel/saq/questionnairecampaign/1")
        .await
        .assert_error("INVALID_REQUEST");
    let canceled = qps
        .post(
            "/qps/rest/1.0/cancel/saq/questionnairecampaign/1",
            &cancel_body(),
        )
        .await;
    canceled.assert_success();
    assert_eq!(
        canceled
            .text_at("data/QuestionnaireCampaign/status")
            .as_deref(),
        Some("CANCELED")
    );
    let stored: QuestionnaireCampaign = qps.server.get(1).unwrap();
    assert_eq!(stored.comments.as_deref(), Some("no longer needed"));
    qps.post(
        "/qps/rest/1.0/cancel/saq/questionnairecampaign/1",
        &cancel_body(),
    )
    .await
    .assert_error("INVALID_REQUEST");
    qps.post_empty("/qps/rest/1.0/complete/saq/questionnairecampaign/1")
        .await
        .assert_error("INVALID_REQUEST");
}

#[tokio::test]
async fn campaign_summary_counts_questionnaires_per_state() {
    let qps = Qps::start().await;
    qps.server.generate::<QuestionnaireCampaign>(2);
    qps.server
        .generate_named("saq", "questionnaire", 20)
        .unwrap();
    let summary = qps
        .post_empty("/qps/rest/1.0/summary/saq/questionnairecampaign/2")
        .await;
    summary.assert_success();
    assert_valid(CAMPAIGN, &summary.text);
    // Questionnaire i belongs to campaign (i % 10) + 1: 1 and 11 for campaign 2, in states by i % 4.
    assert_eq!(
        summary
            .text_at("data/QuestionnaireCampaign/summary/count")
            .as_deref(),
        Some("2")
    );
    let none = qps
        .post_empty("/qps/rest/1.0/summary/saq/questionnairecampaign/1")
        .await;
    assert_eq!(
        none.text_at("data/QuestionnaireCampaign/summary/count")
            .as_deref(),
        Some("2")
    );
    qps.server.generate::<QuestionnaireCampaign>(10);
    let empty = qps
        .post_empty("/qps/rest/1.0/summary/saq/questionnairecampaign/12")
        .await;
    assert_eq!(
        empty
            .text_at("data/QuestionnaireCampaign/summary/count")
            .as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn scans_cancel_and_delete_by_state() {
    let qps = Qps::start().await;
    // Scan i has status FINISHED, RUNNING, ERROR, CANCELED by i % 4.
    qps.server.generate::<WasScan>(8);
    let message = qps
        .post_empty("/qps/rest/3.0/cancel/was/wasscan/4")
        .await
        .assert_error("INVALID_REQUEST");
    assert!(message.contains("FINISHED"), "{message}");
    qps.post_empty("/qps/rest/3.0/cancel/was/wasscan/5")
        .await
        .assert_success();
    let scan: WasScan = qps.server.get(5).unwrap();
    assert_eq!(
        scan.status.map(|s| s.to_string()).as_deref(),
        Some("CANCELED")
    );
    assert_eq!(
        scan.summary
            .and_then(|s| s.results_status)
            .map(|s| s.to_string())
            .as_deref(),
        Some("CANCELED")
    );
    qps.post_empty("/qps/rest/3.0/cancel/was/wasscan/5")
        .await
        .assert_error("INVALID_REQUEST");

    // A running scan cannot be deleted: an error by id, skipped by filters.
    qps.post_empty("/qps/rest/3.0/delete/was/wasscan/1")
        .await
        .assert_error("INVALID_REQUEST");
    let deleted = qps
        .post(
            "/qps/rest/3.0/delete/was/wasscan",
            &request(&[("id", "LESSER", "4")], &[]),
        )
        .await;
    assert_eq!(deleted.ids(), [2, 3]);
    assert_eq!(qps.server.ids::<WasScan>(), [1, 4, 5, 6, 7, 8]);
    qps.server
        .patch::<WasScan>(1, "<WasScan><status>FINISHED</status></WasScan>")
        .unwrap();
    qps.post_empty("/qps/rest/3.0/delete/was/wasscan/1")
        .await
        .assert_success();
}
