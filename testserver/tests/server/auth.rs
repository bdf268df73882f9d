//! Credentials, the version probe, and how routing errors look.

use qps_testserver::Config;

use crate::support::{Qps, read, request};

const SEARCH: &str = "/qps/rest/3.0/search/was/webapp";

#[tokio::test]
async fn missing_or_bad_credentials_get_invalid_credentials_in_http_200() {
    let qps = Qps::start().await;
    qps.server.generate_named("was", "webapp", 3).unwrap();
    let none = read(
        qps.request("POST", SEARCH, Some("<ServiceRequest/>"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let bad = read(
        qps.request("POST", SEARCH, Some("<ServiceRequest/>"))
            .basic_auth("qps-user", Some("wrong"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    for reply in [&none, &bad] {
        reply.assert_error("INVALID_CREDENTIALS");
        crate::support::assert_valid("was/webapp", &reply.text);
        assert_eq!(reply.top_level(), ["responseCode", "responseErrorDetails"]);
        let parsed: qualys_qps::was::webapp::ServiceResponse = reply.parse();
        assert!(parsed.data.is_none() && parsed.count.is_none());
    }
    let log = qps.server.requests();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| !r.executed));
    assert_eq!(log[0].username, None);
    assert_eq!(log[1].username.as_deref(), Some("qps-user"));
}

#[tokio::test]
async fn the_gateway_mode_answers_401() {
    let qps = Qps::with(Config {
        gateway_401: true,
        ..Config::default()
    })
    .await;
    let reply = read(
        qps.request("GET", "/qps/rest/portal/version", None)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert!(reply.headers.contains_key("www-authenticate"));
    assert_eq!(reply.code(), "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn portal_version_is_a_credentials_probe() {
    let qps = Qps::start().await;
    let reply = qps.get("/qps/rest/portal/version").await;
    reply.assert_success();
    assert_eq!(
        reply
            .text_at("data/Portal-Version/PortalApplication-VERSION")
            .as_deref(),
        Some("3.16.0.0-1")
    );
    let trailing = qps.get("/qps/rest/portal/version/").await;
    trailing.assert_success();
}

#[tokio::test]
async fn methods_follow_the_catalog() {
    let qps = Qps::start().await;
    qps.server.generate_named("was", "webapp", 2).unwrap();
    // count takes GET or POST; search only POST; get only GET.
    qps.get("/qps/rest/3.0/count/was/webapp")
        .await
        .assert_success();
    qps.post_empty("/qps/rest/3.0/count/was/webapp")
        .await
        .assert_success();
    let wrong = qps.get(SEARCH).await;
    let message = wrong.assert_error("OPERATION_NOT_SUPPORTED");
    assert!(message.contains("GET"), "{message}");
    assert_eq!(wrong.headers["allow"], "POST");
    qps.post_empty("/qps/rest/3.0/get/was/webapp/1")
        .await
        .assert_error("OPERATION_NOT_SUPPORTED");
    qps.send("DELETE", "/qps/rest/3.0/delete/was/webapp/1", None)
        .await
        .assert_error("OPERATION_NOT_SUPPORTED");
}

#[tokio::test]
async fn paths_with_or_without_a_trailing_slash() {
    let qps = Qps::start().await;
    qps.server.generate_named("was", "webapp", 2).unwrap();
    let with = qps.post(&format!("{SEARCH}/"), "<ServiceRequest/>").await;
    let without = qps.post(SEARCH, "<ServiceRequest/>").await;
    assert_eq!(with.ids(), [1, 2]);
    assert_eq!(without.ids(), [1, 2]);
    qps.get("/qps/rest/3.0/get/was/webapp/2/")
        .await
        .assert_success();
}

#[tokio::test]
async fn routing_errors() {
    let qps = Qps::start().await;
    qps.post("/qps/rest/3.0/frobnicate/was/webapp", "<ServiceRequest/>")
        .await
        .assert_error("INVALID_URL");
    qps.post("/qps/rest/3.0/search/was/nothing", "<ServiceRequest/>")
        .await
        .assert_error("INVALID_URL");
    qps.post("/qps/rest/3.0/search/was/webapp/12", "<ServiceRequest/>")
        .await
        .assert_error("INVALID_URL");
    qps.post("/qps/rest/2.0/search/was/webapp", "<ServiceRequest/>")
        .await
        .assert_error("INVALID_API_VERSION");
    qps.get("/qps/rest/3.0/get/was/webapp")
        .await
        .assert_error("INVALID_REQUEST");
    qps.get("/qps/rest/3.0/get/was/webapp/abc")
        .await
        .assert_error("INVALID_REQUEST");
    let outside = qps.get("/elsewhere").await;
    assert_eq!(outside.status, 404);
    assert!(outside.text.contains("<html>"));
}

#[tokio::test]
async fn unparsable_bodies() {
    let qps = Qps::start().await;
    let message = qps
        .post(SEARCH, "<ServiceRequest><filters>")
        .await
        .assert_error("INVALID_XML");
    assert!(message.contains("well-formed"), "{message}");
    qps.post(SEARCH, "<Nonsense/>")
        .await
        .assert_error("INVALID_REQUEST");
    // Well-formed, but not what the generated type accepts.
    let typed = qps
        .post(SEARCH, &request(&[], &[("limitResults", "many")]))
        .await;
    typed.assert_error("INVALID_REQUEST");
    let create = qps
        .post(
            "/qps/rest/3.0/create/was/webapp",
            "<ServiceRequest><data><WebApp><name>A</name><url>http://a</url><isScheduled>perhaps</isScheduled>\
             </WebApp></data></ServiceRequest>",
        )
        .await;
    create.assert_error("INVALID_REQUEST");
    // A create without data.
    qps.post_empty("/qps/rest/3.0/create/was/webapp")
        .await
        .assert_error("INVALID_REQUEST");
}
