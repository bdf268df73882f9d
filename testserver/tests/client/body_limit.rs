//! A body longer than the client's `max_body_bytes` ends the call at once: the typed limit error, one request,
//! no retry (the body would be as long the next time).

use qps_testserver::{Config, TestServer};
use qualys_qps::runtime::xml::{Limit, Limits, ReadError, ReadErrorKind};
use qualys_qps::runtime::{Client, Error, Method};

use crate::support::builder;

fn limited_client(server: &TestServer, max_body: usize) -> Client {
    builder(server)
        .limits(Limits::default().with_max_body_bytes(max_body))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_limit_is_one_request_and_a_typed_error() {
    let server = TestServer::start(Config::default()).await;
    let version = "/qps/rest/portal/version";
    let err = limited_client(&server, 64)
        .raw(Method::Get, version, None)
        .await
        .unwrap_err();
    let Error::Xml { context, source } = &err else {
        panic!("not the limit error: {err:?}");
    };
    assert_eq!(context, "the response body (HTTP 200)");
    let read = source.downcast_ref::<ReadError>().expect("a ReadError");
    assert!(
        matches!(
            read.kind(),
            ReadErrorKind::LimitExceeded {
                limit: Limit::BodyBytes,
                max: 64
            }
        ),
        "{read:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a body over the limit is not sent again"
    );

    // The same call under a limit the body fits is read.
    let body = limited_client(&server, 1 << 20)
        .raw(Method::Get, version, None)
        .await
        .unwrap();
    assert_eq!(body.status, 200);
    assert!(body.body.len() > 64, "{} bytes", body.body.len());
    assert_eq!(server.requests().len(), 2);
}
