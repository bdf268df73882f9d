//! A local server with a typed client logged in to it, and the checks that do not trust this crate: xmllint
//! (libxml2) on every request body the server received, and canonical XML comparison.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use qps_testserver::{Config, RecordedRequest, TestServer};
use qualys_qps::runtime::{
    BaseUrl, Client, ClientBuilder, Credentials, Error, ResponseEnvelope, RetryPolicy,
};

/// Retries as the default policy does, with millisecond waits so that the tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        max_elapsed: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
    }
}

/// A server and a typed client with its credentials.
pub struct Qps {
    pub server: TestServer,
    pub client: Client,
}

impl Qps {
    pub async fn start() -> Qps {
        Qps::with(Config::default()).await
    }

    pub async fn with(config: Config) -> Qps {
        let server = TestServer::start(config).await;
        let (username, password) = (
            server.config().username.clone(),
            server.config().password.clone(),
        );
        let client = client(&server, &username, &password);
        Qps { server, client }
    }

    /// The requests received so far whose path contains `text` (`/create/was/webapp`).
    pub fn requests_to(&self, text: &str) -> Vec<RecordedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.path.contains(text))
            .collect()
    }

    /// Checks every request body received so far against its XSD with xmllint; returns how many distinct
    /// bodies were checked.
    pub fn validate_bodies(&self) -> usize {
        validate_bodies(&self.server.requests())
    }
}

/// A typed client for `server` with these credentials and [`fast_retry`].
pub fn client(server: &TestServer, username: &str, password: &str) -> Client {
    Client::builder()
        .base_url(BaseUrl::parse(server.base_url()).expect("the server's URL"))
        .credentials(Credentials::new(username, password))
        .retry_policy(fast_retry())
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .expect("a client")
}

/// How long one call of a [`builder`] client may take: far beyond what any call here needs.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A client builder for `server` with its credentials, [`fast_retry`] and [`CALL_TIMEOUT`], without a proxy:
/// what the tests that set a limit of their own start from.
pub fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .base_url(BaseUrl::parse(server.base_url()).expect("the server's URL"))
        .credentials(Credentials::new(
            &server.config().username,
            &server.config().password,
        ))
        .retry_policy(fast_retry())
        .timeout(CALL_TIMEOUT)
        .no_proxy()
}

/// A [`builder`] client with at most `cap` requests in flight, or no cap of its own.
pub fn capped_client(server: &TestServer, cap: Option<usize>) -> Client {
    let mut builder = builder(server);
    if let Some(cap) = cap {
        builder = builder.concurrency_limit(cap);
    }
    builder.build().expect("a client")
}

/// The one record of a response.
pub fn only<R: ResponseEnvelope>(response: R) -> R::Item {
    let mut items = response.into_items();
    assert_eq!(items.len(), 1, "expected exactly one record");
    items.remove(0)
}

/// The entity types' `id`.
pub trait HasId {
    fn id(&self) -> Option<i64>;
    fn set_id(&mut self, id: i64);
}

macro_rules! has_id {
    ($($ty:ty),* $(,)?) => {$(
        impl HasId for $ty {
            fn id(&self) -> Option<i64> {
                self.id
            }
            fn set_id(&mut self, id: i64) {
                self.id = Some(id);
            }
        }
    )*};
}

has_id!(
    qualys_qps::was::webapp::WebApp,
    qualys_qps::was::wasscan::WasScan,
    qualys_qps::was::wasscanschedule::WasScanSchedule,
    qualys_qps::was::optionprofile::OptionProfile,
    qualys_qps::was::finding::Finding,
    qualys_qps::am::awsassetdataconnector::AwsAssetDataConnector,
    qualys_qps::am::awsassetdataconnector::AssetDataConnector,
    qualys_qps::saq::questionnairecampaign::QuestionnaireCampaign,
    qualys_qps::saq::questionnaire::Questionnaire,
);

/// The ids of the records of a response, in order.
pub fn ids<R>(response: R) -> Vec<i64>
where
    R: ResponseEnvelope,
    R::Item: HasId,
{
    response
        .into_items()
        .iter()
        .map(|item| item.id().expect("every record has an id"))
        .collect()
}

/// The `responseCode` of an [`Error::Api`]; panics on anything else.
pub fn api_code<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Api { code, .. }) => code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A date as Qualys writes it.
pub fn date(text: &str) -> qualys_qps::runtime::xs::DateTime {
    chrono::DateTime::parse_from_rfc3339(text).expect("an RFC 3339 date")
}

// ----- xmllint ---------------------------------------------------------------------------------------------

/// The XSD of `module/entity` (`was/webapp` -> `schemas/was/3.0/webapp.xsd`), by the catalog's version.
pub fn schema(entity: &str) -> PathBuf {
    let (module, name) = entity
        .split_once('/')
        .unwrap_or_else(|| panic!("not module/entity: {entity}"));
    let catalog = qps_testserver::catalog();
    let found = catalog
        .entity(module, name)
        .unwrap_or_else(|| panic!("no catalog entity {entity}"));
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(module)
        .join(&found.version)
        .join(format!("{name}.xsd"))
}

/// Validates `xml` against `schema` with xmllint. Panics when xmllint cannot run: these checks never skip.
pub fn xmllint(schema: &std::path::Path, xml: &str) -> Result<(), String> {
    qps_xmllint::validate(schema, xml.as_bytes())
}

/// Validates every non-empty request body in `requests` against the XSD of the entity its path names; fails
/// with every rejection. Returns how many distinct bodies were checked.
pub fn validate_bodies(requests: &[RecordedRequest]) -> usize {
    let mut checked = BTreeSet::new();
    let mut failures = Vec::new();
    for request in requests {
        if request.body.trim().is_empty() {
            continue;
        }
        let entity = request.entity().unwrap_or_else(|| {
            panic!(
                "a body sent to {} {}, which names no entity",
                request.method, request.path
            )
        });
        if !checked.insert((entity.clone(), request.body.clone())) {
            continue;
        }
        if let Err(e) = xmllint(&schema(&entity), &request.body) {
            failures.push(format!(
                "{} {}: {e}\n{}",
                request.method, request.path, request.body
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} request bodies do not validate:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("xmllint: {} distinct request bodies valid", checked.len());
    checked.len()
}

// ----- canonical XML ---------------------------------------------------------------------------------------

/// Panics, showing a unified diff of the canonical forms ([`qps_xmllint::canonical`]) and the actual document,
/// when the documents are not canonically equal.
pub fn assert_canonical_eq(expected: &str, actual: &str, what: &str) {
    if let Err(e) = qps_xmllint::compare(expected, actual, what) {
        panic!("{e}\n--- actual document\n{actual}");
    }
}

#[test]
fn xmllint_rejects_what_the_schema_does_not_allow() {
    let schema = schema("was/webapp");
    xmllint(
        &schema,
        "<ServiceRequest><data><WebApp><name>a</name></WebApp></data></ServiceRequest>",
    )
    .unwrap();
    for wrong in [
        "<ServiceRequest><data><WebApp><bogus/></WebApp></data></ServiceRequest>",
        "<ServiceRequest><data><WebApp><scope>NOPE</scope></WebApp></data></ServiceRequest>",
        "<ServiceRequest><filters/></ServiceRequest>",
    ] {
        assert!(xmllint(&schema, wrong).is_err(), "{wrong}");
    }
}
