//! Base URLs and credentials: nothing of a URL's user-info is ever shown, and credentials do not travel over
//! plain HTTP off the machine unless the caller says so.

use qps_testserver::TestServer;
use qualys_qps::runtime::{BaseUrl, Client, Credentials, Error, Method};

#[test]
fn user_info_in_a_base_url_is_refused_without_being_echoed() {
    for input in [
        "bob:pw-s3cret@qualysapi.qualys.com",
        "https://bob:pw-s3cret@qualysapi.qualys.com",
        "http://bob@127.0.0.1:8080",
        "bob@qualysapi.qualys.com",
    ] {
        let err = BaseUrl::parse(input).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{input}: {err:?}");
        for shown in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(
                !shown.contains("bob") && !shown.contains("s3cret"),
                "{input}: {shown}"
            );
        }
    }
}

fn build(url: &str, allow: Option<bool>) -> Result<Client, Error> {
    let mut builder = Client::builder()
        .base_url(BaseUrl::parse(url).unwrap())
        .credentials(Credentials::new("qps-user", "qps-password"))
        .no_proxy();
    if let Some(allow) = allow {
        builder = builder.allow_insecure_http(allow);
    }
    builder.build()
}

#[test]
fn plain_http_off_the_machine_needs_an_explicit_opt_in() {
    for url in [
        "http://qualysapi.qualys.com",
        "http://10.1.2.3:8080",
        "http://localhost.example.com",
    ] {
        for allow in [None, Some(false)] {
            let err = build(url, allow).unwrap_err();
            assert!(
                matches!(&err, Error::Config(m) if m.contains("allow_insecure_http")),
                "{url}: {err:?}"
            );
        }
        let client = build(url, Some(true)).expect("allowed explicitly");
        assert_eq!(client.base_url().as_str(), url);
    }
    for url in [
        "https://qualysapi.qualys.com",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
        "http://localhost:8080",
    ] {
        build(url, None).unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[tokio::test]
async fn loopback_by_name_reaches_the_local_server() {
    let server = TestServer::start(Default::default()).await;
    let url = format!("http://localhost:{}", server.addr().port());
    let client = build(&url, None).unwrap();
    let version = client
        .raw(Method::Get, "/qps/rest/portal/version", None)
        .await
        .unwrap();
    assert_eq!(version.status, 200);
    assert!(format!("{client:?}").contains("localhost"));
    assert!(!format!("{client:?}").contains("qps-password"));
}
