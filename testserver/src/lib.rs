//! A local Qualys QPS server for end-to-end tests: real HTTP/1.1 on `127.0.0.1` (an ephemeral port), every
//! action of the endpoint catalog served from an in-memory store, basic auth, Qualys's paging and criteria,
//! and faults on demand (rate limits, 5xx, HTML pages, slow, dropped or truncated responses).
//!
//! ```no_run
//! # async fn demo() {
//! use qps_testserver::{Config, Fault, TestServer};
//! use qualys_qps::was::webapp::WebApp;
//!
//! let server = TestServer::start(Config::default()).await;
//! server.generate::<WebApp>(250);                  // ids 1..=250
//! server.inject(Fault::rate_limited(1));          // the next request gets a 409
//! let url = format!("{}/qps/rest/3.0/search/was/webapp", server.base_url());
//! // ... drive a client against `url` with Config::default()'s credentials ...
//! assert!(server.requests().iter().all(|r| r.status != 0));
//! # }
//! ```
//!
//! Records are kept as XML trees, so one implementation serves all eight entities: criteria are evaluated on
//! dotted paths over the tree, updates are merged at the tree level, and every stored record is checked by
//! parsing it into the generated type (which also puts its elements in schema order).

mod actions;
pub mod bench;
mod calendar;
mod criteria;
mod entities;
mod envelope;
mod fault;
mod http;
mod latin1;
mod merge;
mod store;
mod tree;
mod unknown;
mod xsd;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use qps_codegen::qps::catalog::Catalog;

pub use entities::Entity;
pub use fault::{Fault, FaultRule, RateLimitHeaders, UnknownContent};

use crate::entities::Kind;
use crate::http::{Shared, lock};
use crate::store::Record;
use crate::tree::Node;

/// The endpoint catalog the server routes by (`schemas/endpoints.toml`, built in).
pub fn catalog() -> Catalog {
    Catalog::from_str_at(
        include_str!("../../schemas/endpoints.toml"),
        "schemas/endpoints.toml",
    )
    .expect("the bundled endpoint catalog is valid")
}

/// The seed samples (`tests/fixtures/seed`).
pub fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/seed")
}

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The login basic auth must carry.
    pub username: String,
    /// The password basic auth must carry.
    pub password: String,
    /// Answer bad credentials with HTTP 401 (as some gateways do) instead of Qualys's HTTP 200.
    pub gateway_401: bool,
    /// The id of the API user, written as owner/creator of new records.
    pub user_id: i64,
    /// Records per search page when `limitResults` is absent.
    pub default_limit_results: usize,
    /// The largest page; a larger `limitResults` is capped to it.
    pub max_limit_results: usize,
    /// The time written into records (`createdDate`, `launchedDate`, ...); `None` for the wall clock.
    pub fixed_time: Option<DateTime<Utc>>,
    /// What `GET /qps/rest/portal/version` reports.
    pub portal_version: String,
    /// The port on 127.0.0.1; 0 for an ephemeral one.
    pub port: u16,
    /// The time from a request having been read to its response (before any fault's own delay), as a distant
    /// server takes; the request is carried out at its start, so the work of answering is part of it.
    pub latency: Option<std::time::Duration>,
    /// At most this many bytes per second of every response body (sent in chunks every 10 ms).
    pub bandwidth: Option<u64>,
    /// `X-Concurrency-Limit-Limit` sent with every response that has none (a 409 fault sends its own).
    pub concurrency_limit: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            username: "qps-user".into(),
            password: "qps-password".into(),
            gateway_401: false,
            user_id: 1000,
            default_limit_results: 100,
            max_limit_results: 1000,
            fixed_time: None,
            portal_version: "3.16.0.0-1".into(),
            port: 0,
            latency: None,
            bandwidth: None,
            concurrency_limit: None,
        }
    }
}

impl Config {
    /// The current time as Qualys writes it, `YYYY-MM-DDThh:mm:ssZ`.
    pub fn now(&self) -> String {
        let now = self.fixed_time.unwrap_or_else(|| {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            DateTime::from_timestamp(since_epoch.as_secs() as i64, 0).unwrap_or_default()
        });
        now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// One request the server received, and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedRequest {
    /// 1-based arrival number (restarts after [`TestServer::clear_requests`]).
    pub seq: usize,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The request body (lossy UTF-8).
    pub body: String,
    /// The login of the basic auth header, if it had one.
    pub username: Option<String>,
    /// Whether the API carried out the call (routed, authenticated, and the action ran, whatever its
    /// outcome). False when a fault rejected it first or the credentials were bad.
    pub executed: bool,
    /// The HTTP status sent.
    pub status: u16,
    /// The `responseCode` of the `ServiceResponse` sent, if one was.
    pub response_code: Option<String>,
    /// The full response body the server meant to send (a faulty response may have cut it short).
    pub response_body: String,
    /// The name of the fault applied ([`Fault::name`]), if any.
    pub fault: Option<&'static str>,
}

impl RecordedRequest {
    fn segments(&self) -> Vec<&str> {
        self.path
            .strip_prefix("/qps/rest/")
            .map(|rest| rest.trim_end_matches('/').split('/').collect())
            .unwrap_or_default()
    }

    /// The action of a `/qps/rest/{version}/{action}/{module}/{entity}` path.
    pub fn action(&self) -> Option<&str> {
        self.segments()
            .get(1)
            .copied()
            .filter(|_| self.segments().len() >= 4)
    }

    /// The `module/entity` of a QPS path, such as `was/webapp`.
    pub fn entity(&self) -> Option<String> {
        match self.segments()[..] {
            [_, _, module, entity, ..] => Some(format!("{module}/{entity}")),
            _ => None,
        }
    }

    /// The id at the end of a QPS path.
    pub fn id(&self) -> Option<i64> {
        match self.segments()[..] {
            [_, _, _, _, id] => id.parse().ok(),
            _ => None,
        }
    }

    /// Whether this is `action` on `module/entity` (`is("create", "was/webapp")`).
    pub fn is(&self, action: &str, entity: &str) -> bool {
        self.action() == Some(action) && self.entity().as_deref() == Some(entity)
    }
}

/// Why seed data was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError(pub String);

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}

/// A running server. Dropping it stops the server.
pub struct TestServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Starts a server on 127.0.0.1. It runs on its own thread and runtime, so it serves whatever runtime
    /// (or none) the test uses.
    pub async fn start(config: Config) -> TestServer {
        TestServer::start_blocking(config)
    }

    /// [`TestServer::start`] for synchronous code.
    ///
    /// Panics if the port cannot be bound.
    pub fn start_blocking(config: Config) -> TestServer {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))
            .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:{}: {e}", config.port));
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("a bound address");
        let shared = Arc::new(Shared {
            config,
            catalog: catalog(),
            base_url: format!("http://{addr}"),
            store: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            xsd: Mutex::default(),
            in_flight: Default::default(),
            max_in_flight: Default::default(),
            connections: Default::default(),
        });
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("qps-testserver-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    http::serve(listener, serving, stop).await;
                });
            })
            .expect("a server thread");
        TestServer {
            shared,
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`, to configure a client with.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base_url)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The catalog it routes by.
    pub fn catalog(&self) -> &Catalog {
        &self.shared.catalog
    }

    // ----- store -----------------------------------------------------------------------------------------

    /// Stores typed records (replacing any with the same id); records without an id get a new one. Returns
    /// the ids. Panics if a record does not fit its schema.
    pub fn seed<E: Entity>(&self, items: impl IntoIterator<Item = E>) -> Vec<i64> {
        let kind = kind_of::<E>();
        items
            .into_iter()
            .map(|item| {
                let xml = quick_xml::se::to_string_with_root(E::ELEMENT, &item)
                    .unwrap_or_else(|e| panic!("cannot write a {}: {e}", E::ELEMENT));
                let node = Node::parse(&xml).expect("quick-xml writes well-formed XML");
                self.insert(kind, node, false)
                    .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect()
    }

    /// Stores the records of an XML document: a `ServiceResponse` or `ServiceRequest` (its `<data>`
    /// records), or a bare entity element. Replaces records with the same id. Returns the ids.
    pub fn seed_xml(&self, module: &str, entity: &str, xml: &str) -> Result<Vec<i64>, SeedError> {
        let kind = kind_named(module, entity)?;
        records_of(kind, xml)?
            .into_iter()
            .map(|node| self.insert(kind, node, false))
            .collect()
    }

    /// Loads every seed response sample (`tests/fixtures/seed/*.response.xml`) into the store; records of the
    /// same id met in several samples are merged. Returns how many records were stored or merged.
    pub fn seed_samples(&self) -> Result<usize, SeedError> {
        let dir = seed_dir();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| SeedError(format!("{}: {e}", dir.display())))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".response.xml"))
            .collect();
        files.sort();
        let mut stored = 0;
        for file in files {
            let name = file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let mut parts = name.split('-');
            let (Some(module), Some(entity)) = (parts.next(), parts.next()) else {
                continue;
            };
            let kind = kind_named(module, entity)?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| SeedError(format!("{}: {e}", file.display())))?;
            for node in records_of(kind, &text).map_err(|e| SeedError(format!("{name}: {e}")))? {
                if node.id().is_some() {
                    self.insert(kind, node, true)
                        .map_err(|e| SeedError(format!("{name}: {e}")))?;
                    stored += 1;
                }
            }
        }
        Ok(stored)
    }

    /// Adds `n` deterministic records (ids continuing from the highest stored one, so `1..=n` on an empty
    /// table): names, tags, statuses and dates vary with the id. Returns the ids.
    pub fn generate<E: Entity>(&self, n: usize) -> Vec<i64> {
        self.generate_named(E::MODULE, E::NAME, n)
            .expect("every entity has a template")
    }

    /// [`TestServer::generate`] by module and entity name (`"was"`, `"finding"`).
    pub fn generate_named(
        &self,
        module: &str,
        entity: &str,
        n: usize,
    ) -> Result<Vec<i64>, SeedError> {
        let kind = kind_named(module, entity)?;
        // Placeholders are only in texts: parse once, expand per record.
        let template =
            Node::parse(entities::bulk_template(kind)).expect("templates are well-formed");
        let mut store = lock(&self.shared.store);
        let table = store.table_mut(kind);
        let first = table.last_id + 1;
        let ids: Vec<i64> = (first..first + n as i64).collect();
        for &id in &ids {
            let node = entities::instantiate(&template, id);
            table.put(
                id,
                Record {
                    node,
                    ..Record::default()
                },
            );
        }
        Ok(ids)
    }

    /// Merges a partial entity element into record `id` (as an update would), such as
    /// `<WasScan><status>FINISHED</status></WasScan>`.
    pub fn patch_xml(
        &self,
        module: &str,
        entity: &str,
        id: i64,
        xml: &str,
    ) -> Result<(), SeedError> {
        let kind = kind_named(module, entity)?;
        let update = Node::parse(xml).map_err(SeedError)?;
        let mut store = lock(&self.shared.store);
        let record = store
            .table_mut(kind)
            .records
            .get_mut(&id)
            .ok_or_else(|| SeedError(format!("no {} with id {id}", kind.element)))?;
        let mut node = record.node.clone();
        merge::merge(&mut node, &update);
        record.node = (kind.normalize)(&node).map_err(SeedError)?;
        Ok(())
    }

    /// Typed [`TestServer::patch_xml`].
    pub fn patch<E: Entity>(&self, id: i64, xml: &str) -> Result<(), SeedError> {
        self.patch_xml(E::MODULE, E::NAME, id, xml)
    }

    /// Record `id`, as its generated type.
    pub fn get<E: Entity>(&self, id: i64) -> Option<E> {
        let xml = self.get_xml(E::MODULE, E::NAME, id)?;
        Some(
            qualys_qps::runtime::xml::from_str(&xml)
                .unwrap_or_else(|e| panic!("stored {} {id} does not parse: {e}", E::ELEMENT)),
        )
    }

    /// Record `id` of `module/entity`, as XML.
    pub fn get_xml(&self, module: &str, entity: &str, id: i64) -> Option<String> {
        let kind = entities::kind(module, entity)?;
        let store = lock(&self.shared.store);
        Some(store.get(kind, id)?.node.to_xml())
    }

    /// The ids stored for `E`, ascending.
    pub fn ids<E: Entity>(&self) -> Vec<i64> {
        let store = lock(&self.shared.store);
        store
            .table(kind_of::<E>())
            .map(|t| t.records.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Empties the store.
    pub fn clear(&self) {
        lock(&self.shared.store).clear();
    }

    fn insert(&self, kind: &Kind, mut node: Node, merge_existing: bool) -> Result<i64, SeedError> {
        node.name = kind.element.to_owned();
        let mut store = lock(&self.shared.store);
        let table = store.table_mut(kind);
        let id = match node.id() {
            Some(id) => id,
            None => {
                let id = table.last_id + 1;
                node.set_id(id);
                id
            }
        };
        if merge_existing {
            if let Some(existing) = table.records.get(&id) {
                let mut merged = existing.node.clone();
                merge::merge(&mut merged, &node);
                node = merged;
            }
        }
        let node = (kind.normalize)(&node).map_err(SeedError)?;
        table.put(
            id,
            Record {
                node,
                ..Record::default()
            },
        );
        Ok(id)
    }

    // ----- requests and faults ---------------------------------------------------------------------------

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    /// The most requests that were in flight at once (from arrival until the response body had been sent or
    /// dropped) since the start or [`TestServer::reset_max_in_flight`].
    pub fn max_in_flight(&self) -> usize {
        self.shared
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many TCP connections the server has accepted since it started: a client that keeps its connections
    /// alive opens one per request it has in flight at once, not one per request.
    pub fn connections(&self) -> usize {
        self.shared
            .connections
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Restarts [`TestServer::max_in_flight`] from the requests in flight now.
    pub fn reset_max_in_flight(&self) {
        let now = self
            .shared
            .in_flight
            .load(std::sync::atomic::Ordering::SeqCst);
        self.shared
            .max_in_flight
            .store(now, std::sync::atomic::Ordering::SeqCst);
    }

    /// Forgets the recorded requests (numbering starts again at 1).
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Adds a fault rule (a bare [`Fault`] hits the next request once). Rules are tried in the order added;
    /// the first that matches a request applies.
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        lock(&self.shared.faults).push(rule.into());
    }

    /// Removes every pending fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn kind_of<E: Entity>() -> &'static Kind {
    entities::kind(E::MODULE, E::NAME).expect("every Entity has a kind")
}

fn kind_named(module: &str, entity: &str) -> Result<&'static Kind, SeedError> {
    entities::kind(module, entity)
        .ok_or_else(|| SeedError(format!("no catalog entity {module}/{entity}")))
}

/// The records in a document: `<data>` children of an envelope, or the document itself.
fn records_of(kind: &Kind, xml: &str) -> Result<Vec<Node>, SeedError> {
    let root = Node::parse(xml).map_err(SeedError)?;
    if root.name == "ServiceResponse" || root.name == "ServiceRequest" {
        Ok(root
            .child("data")
            .map(|d| d.children.clone())
            .unwrap_or_default())
    } else if root.name == kind.element {
        Ok(vec![root])
    } else {
        Err(SeedError(format!(
            "expected a ServiceResponse, a ServiceRequest or <{}>, found <{}>",
            kind.element, root.name
        )))
    }
}
