//! What goes wrong, as the caller sees it: Qualys error envelopes become `Error::Api` with their code, a page
//! that is not XML becomes `Error::NotXml`, and a broken body is retried for reads and reported for writes.

use qps_testserver::{Config, Fault, FaultRule};
use qualys_qps::prelude::*;
use qualys_qps::was::webapp;

use crate::support::{Qps, client, ids};

const PASSWORD: &str = "s3cr3t-Pa55word-never-shown";

#[tokio::test]
async fn bad_credentials_are_an_api_error_that_never_shows_the_password() {
    for gateway_401 in [false, true] {
        let qps = Qps::with(Config {
            gateway_401,
            ..Config::default()
        })
        .await;
        let stranger = client(&qps.server, "qps-user", PASSWORD);
        let error = stranger.was().webapp().search([]).await.unwrap_err();
        match &error {
            Error::Api {
                code,
                message,
                http_status,
                ..
            } => {
                assert_eq!(code, "INVALID_CREDENTIALS");
                assert!(message.as_deref().is_some_and(|m| m.contains("Bad Login")));
                assert_eq!(*http_status, if gateway_401 { 401 } else { 200 });
            }
            other => panic!("expected Error::Api, got {other:?}"),
        }
        assert_eq!(error.api_code(), Some("INVALID_CREDENTIALS"));
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
            format!("{stranger:?}"),
        ] {
            assert!(!shown.contains(PASSWORD), "{shown}");
        }
        // Not retried, and nothing ran.
        let log = qps.server.requests();
        assert_eq!(log.len(), 1);
        assert!(!log[0].executed);
        assert_eq!(log[0].username.as_deref(), Some("qps-user"));
    }
}

#[tokio::test]
async fn a_missing_record_is_not_found() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(1);
    let error = qps.client.was().webapp().get(404).await.unwrap_err();
    match &error {
        Error::Api {
            code,
            message,
            resolution,
            http_status,
            ..
        } => {
            assert_eq!(code, "NOT_FOUND");
            assert!(
                message.as_deref().is_some_and(|m| m.contains("404")),
                "{message:?}"
            );
            assert!(resolution.is_some());
            assert_eq!(*http_status, 200);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(error.to_string().contains("NOT_FOUND"), "{error}");
    assert_eq!(
        qps.client
            .was()
            .webapp()
            .delete(404)
            .await
            .unwrap_err()
            .api_code(),
        Some("NOT_FOUND")
    );
    // Not retried.
    assert_eq!(qps.server.requests().len(), 2);
}

#[tokio::test]
async fn an_html_page_is_not_xml() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(1);
    qps.server
        .inject(FaultRule::new(Fault::HtmlPage { status: 200 }).on_path("/get/"));
    let error = qps.client.was().webapp().get(1).await.unwrap_err();
    match &error {
        Error::NotXml {
            status,
            content_type,
            snippet,
        } => {
            assert_eq!(*status, 200);
            assert!(
                content_type
                    .as_deref()
                    .is_some_and(|c| c.starts_with("text/html"))
            );
            assert!(snippet.starts_with("<!DOCTYPE html>"), "{snippet}");
        }
        other => panic!("expected Error::NotXml, got {other:?}"),
    }
    assert_eq!(qps.server.requests().len(), 1, "a 200 is final");

    // A gateway's 502 page on a read is retried.
    qps.server.inject(
        FaultRule::new(Fault::HtmlPage { status: 502 })
            .on_path("/get/")
            .times(2),
    );
    assert_eq!(ids(qps.client.was().webapp().get(1).await.unwrap()), [1]);
    assert_eq!(qps.server.requests().len(), 4);
}

#[tokio::test]
async fn an_empty_body_is_not_xml() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::EmptyBody { status: 200 }).on_path("/count/"));
    let error = qps.client.was().webapp().count([]).await.unwrap_err();
    match &error {
        Error::NotXml {
            status, snippet, ..
        } => {
            assert_eq!(*status, 200);
            assert!(snippet.is_empty());
        }
        other => panic!("expected Error::NotXml, got {other:?}"),
    }
    assert_eq!(qps.server.requests().len(), 1);
}

#[tokio::test]
async fn a_truncated_body_is_retried_on_a_read() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(5);
    qps.server
        .inject(FaultRule::new(Fault::TruncatedBody).on_path("/search/"));
    let found = qps
        .client
        .was()
        .webapp()
        .search([webapp::filter::Id.lesser(4)])
        .await
        .unwrap();
    assert_eq!(ids(found), [1, 2, 3]);
    let log = qps.server.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].fault, Some("truncated-body"));
    assert!(log[1].fault.is_none());
    qps.validate_bodies();
}

#[tokio::test]
async fn a_truncated_body_is_an_error_on_a_write() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::TruncatedBody).on_path("/create/"));
    let error = qps
        .client
        .was()
        .webapp()
        .create(webapp::WebApp {
            name: Some("Shop".into()),
            url: Some("https://shop.example.com".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let log = qps.server.requests();
    assert_eq!(log.len(), 1, "not sent again");
    assert!(log[0].executed);
    assert_eq!(qps.server.ids::<webapp::WebApp>(), [1]);
    qps.validate_bodies();
}

#[tokio::test]
async fn no_error_shows_the_password() {
    let qps = Qps::with(Config {
        password: PASSWORD.into(),
        ..Config::default()
    })
    .await;
    let api = qps.client.was().webapp();
    qps.server
        .inject(FaultRule::new(Fault::DropMidBody).on_path("/create/"));
    qps.server
        .inject(FaultRule::new(Fault::HtmlPage { status: 200 }).on_path("/count/"));
    let errors = [
        api.get(1).await.unwrap_err(),
        api.create(webapp::WebApp::default()).await.unwrap_err(),
        api.count([]).await.unwrap_err(),
    ];
    assert!(matches!(errors[0], Error::Api { .. }));
    assert!(matches!(errors[1], Error::Transport(_)));
    assert!(matches!(errors[2], Error::NotXml { .. }));
    for error in &errors {
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(PASSWORD), "{shown}");
        }
    }
}
