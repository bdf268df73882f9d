//! A plain HTTP client for the server, and readers for what it answers.

#![allow(dead_code)]

use std::path::PathBuf;

use qps_testserver::{Config, TestServer};

/// A server and a client logged in to it.
pub struct Qps {
    pub server: TestServer,
    pub client: reqwest::Client,
}

/// An HTTP response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Qps {
    pub async fn start() -> Qps {
        Qps::with(Config::default()).await
    }

    pub async fn with(config: Config) -> Qps {
        Qps {
            server: TestServer::start(config).await,
            client: reqwest::Client::new(),
        }
    }

    /// Sends with the configured credentials.
    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let config = self.server.config();
        let request = self
            .request(method, path, body)
            .basic_auth(&config.username, Some(&config.password));
        read(request.send().await.expect("the server answers")).await
    }

    /// A request without credentials, to finish and send.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.client.request(method, self.server.url(path));
        if let Some(body) = body {
            request = request
                .header("content-type", "text/xml")
                .body(body.to_owned());
        }
        request
    }

    pub async fn post(&self, path: &str, body: &str) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send("POST", path, None).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    /// A search with these criteria (`(field, operator, value)`) and preferences (`(name, value)`).
    pub async fn search(
        &self,
        path: &str,
        criteria: &[(&str, &str, &str)],
        preferences: &[(&str, &str)],
    ) -> Reply {
        self.post(path, &request(criteria, preferences)).await
    }
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a whole body");
    Reply {
        status,
        headers,
        text,
    }
}

/// `<ServiceRequest>` with these criteria and preferences.
pub fn request(criteria: &[(&str, &str, &str)], preferences: &[(&str, &str)]) -> String {
    let mut xml = String::from("<ServiceRequest>");
    if !preferences.is_empty() {
        xml.push_str("<preferences>");
        for (name, value) in preferences {
            xml.push_str(&format!("<{name}>{value}</{name}>"));
        }
        xml.push_str("</preferences>");
    }
    if !criteria.is_empty() {
        xml.push_str("<filters>");
        for (field, operator, value) in criteria {
            xml.push_str(&format!(
                "<Criteria field=\"{field}\" operator=\"{operator}\">{value}</Criteria>"
            ));
        }
        xml.push_str("</filters>");
    }
    xml.push_str("</ServiceRequest>");
    xml
}

/// `<ServiceRequest><data>{entity}</data></ServiceRequest>`.
pub fn data(entity: &str) -> String {
    format!("<ServiceRequest><data>{entity}</data></ServiceRequest>")
}

impl Reply {
    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.text)
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", self.text))
    }

    /// The text of the first element at a `/` path from the root (`responseErrorDetails/errorMessage`).
    pub fn text_at(&self, path: &str) -> Option<String> {
        let doc = self.doc();
        let mut node = doc.root_element();
        for part in path.split('/') {
            node = node.children().find(|c| c.has_tag_name(part))?;
        }
        Some(node.text().unwrap_or_default().trim().to_owned())
    }

    pub fn code(&self) -> String {
        self.text_at("responseCode")
            .unwrap_or_else(|| panic!("no responseCode: {}", self.text))
    }

    pub fn assert_success(&self) -> &Self {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.code(), "SUCCESS", "{}", self.text);
        self
    }

    /// Asserts an error envelope: HTTP 200, this code, a message and a resolution.
    pub fn assert_error(&self, code: &str) -> String {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        let message = self
            .text_at("responseErrorDetails/errorMessage")
            .unwrap_or_else(|| panic!("no errorMessage: {}", self.text));
        let resolution = self
            .text_at("responseErrorDetails/errorResolution")
            .unwrap_or_else(|| panic!("no errorResolution: {}", self.text));
        assert!(
            !message.is_empty() && !resolution.is_empty(),
            "{}",
            self.text
        );
        message
    }

    pub fn count(&self) -> Option<i64> {
        self.text_at("count")
            .map(|c| c.parse().expect("a numeric count"))
    }

    pub fn has_more(&self) -> Option<bool> {
        self.text_at("hasMoreRecords").map(|c| c == "true")
    }

    pub fn last_id(&self) -> Option<i64> {
        self.text_at("lastId")
            .map(|c| c.parse().expect("a numeric lastId"))
    }

    /// The ids of the records under `<data>`.
    pub fn ids(&self) -> Vec<i64> {
        let doc = self.doc();
        let Some(data) = doc
            .root_element()
            .children()
            .find(|c| c.has_tag_name("data"))
        else {
            return Vec::new();
        };
        data.children()
            .filter(|c| c.is_element())
            .filter_map(|record| record.children().find(|c| c.has_tag_name("id")))
            .map(|id| {
                id.text()
                    .unwrap_or_default()
                    .trim()
                    .parse()
                    .expect("a numeric id")
            })
            .collect()
    }

    /// `(count, hasMoreRecords, lastId, ids)` of a search page, read in one pass.
    pub fn page(&self) -> (Option<i64>, Option<bool>, Option<i64>, Vec<i64>) {
        let doc = self.doc();
        let root = doc.root_element();
        let text = |name: &str| {
            root.children()
                .find(|c| c.has_tag_name(name))
                .map(|c| c.text().unwrap_or_default().trim().to_owned())
        };
        let count = text("count").map(|c| c.parse().expect("a numeric count"));
        let more = text("hasMoreRecords").map(|m| m == "true");
        let last = text("lastId").map(|l| l.parse().expect("a numeric lastId"));
        let ids = root
            .children()
            .find(|c| c.has_tag_name("data"))
            .map(|data| {
                data.children()
                    .filter(|c| c.is_element())
                    .filter_map(|record| record.children().find(|c| c.has_tag_name("id")))
                    .map(|id| {
                        id.text()
                            .unwrap_or_default()
                            .trim()
                            .parse()
                            .expect("a numeric id")
                    })
                    .collect()
            })
            .unwrap_or_default();
        (count, more, last, ids)
    }

    /// The root element's children names, in order.
    pub fn top_level(&self) -> Vec<String> {
        self.doc()
            .root_element()
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.tag_name().name().to_owned())
            .collect()
    }

    /// Parses the body as a generated type.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        qualys_qps::runtime::xml::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "does not parse as {}: {e}\n{}",
                std::any::type_name::<T>(),
                self.text
            )
        })
    }
}

/// The XSD of `module/entity` (`was/webapp`).
pub fn schema(entity: &str) -> PathBuf {
    let (module, name) = entity.split_once('/').expect("module/entity");
    let version = match module {
        "was" => "3.0",
        "am" => "2.0",
        _ => "1.0",
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(module)
        .join(version)
        .join(format!("{name}.xsd"))
}

/// Validates `xml` against the XSD of `entity` with xmllint (libxml2), an oracle independent of this crate.
pub fn assert_valid(entity: &str, xml: &str) {
    if let Err(e) = qps_xmllint::validate(&schema(entity), xml.as_bytes()) {
        panic!("{e}\n{xml}");
    }
}
