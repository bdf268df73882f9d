//! What the client tests share: stand-ins for generated types and endpoints, reading a request off a socket,
//! and a client with fast retries.

#![allow(dead_code)]

use std::time::Duration;

use qps_runtime::envelope::{Endpoint, ErrorDetails, Method, ResponseEnvelope};
use qps_runtime::error::Error;
use qps_runtime::xml::{BytesStart, FromXml, ReadError, RootElement, XmlReader, XmlSource};
use qps_runtime::{BaseUrl, Client, Credentials, Cursor, Pageable, RetryPolicy};
use tokio::io::AsyncReadExt;

// ---------------------------------------------------------------------------------------------------------
// Stand-ins for generated types.

/// A `ServiceResponse`, read the way generated readers read.
#[derive(Debug, Default)]
pub struct Response {
    code: String,
    message: Option<String>,
    count: Option<i64>,
    has_more: Option<bool>,
    last_id: Option<i64>,
    items: Vec<WebApp>,
}

#[derive(Debug, Default, PartialEq)]
pub struct WebApp {
    pub id: i64,
}

impl RootElement for Response {
    const ROOT: &'static str = "ServiceResponse";
}

impl FromXml for Response {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut out = Response::default();
        let mut code = None;
        let mut children = reader.children();
        while let Some(child) = children.next(reader)? {
            match child.local_name().as_ref() {
                b"responseCode" => code = Some(reader.leaf(&child)?),
                b"responseErrorDetails" => reader.within(&child, |reader| {
                    let mut children = reader.children();
                    while let Some(child) = children.next(reader)? {
                        match child.local_name().as_ref() {
                            b"errorMessage" => out.message = reader.leaf_opt(&child)?,
                            _ => reader.skip()?,
                        }
                    }
                    Ok(())
                })?,
                b"count" => out.count = reader.leaf_opt(&child)?,
                b"hasMoreRecords" => out.has_more = reader.leaf_opt(&child)?,
                b"lastId" => out.last_id = reader.leaf_opt(&child)?,
                b"data" => reader.within(&child, |reader| {
                    let mut children = reader.children();
                    while let Some(item) = children.next(reader)? {
                        match item.local_name().as_ref() {
                            b"WebApp" => out.items.push(reader.element(&item)?),
                            _ => reader.skip()?,
                        }
                    }
                    Ok(())
                })?,
                _ => reader.skip()?,
            }
        }
        out.code = reader.required(code, start, "responseCode")?;
        Ok(out)
    }
}

impl FromXml for WebApp {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut id = None;
        let mut children = reader.children();
        while let Some(child) = children.next(reader)? {
            match child.local_name().as_ref() {
                b"id" => id = Some(reader.leaf(&child)?),
                _ => reader.skip()?,
            }
        }
        Ok(WebApp {
            id: reader.required(id, start, "id")?,
        })
    }
}

impl ResponseEnvelope for Response {
    type Item = WebApp;
    const ITEM_ELEMENTS: &'static [&'static str] = &["WebApp"];
    fn response_code(&self) -> &str {
        &self.code
    }
    fn error_details(&self) -> Option<ErrorDetails> {
        self.message.as_ref().map(|message| ErrorDetails {
            message: Some(message.clone()),
            ..ErrorDetails::default()
        })
    }
    fn count(&self) -> Option<i64> {
        self.count
    }
    fn has_more_records(&self) -> Option<bool> {
        self.has_more
    }
    fn last_id(&self) -> Option<i64> {
        self.last_id
    }
    fn into_items(self) -> Vec<WebApp> {
        self.items
    }
}

/// `GET /qps/rest/3.0/get/was/webapp/<id>`
pub struct GetWebApp(pub i64);

impl Endpoint for GetWebApp {
    const METHOD: Method = Method::Get;
    type Output = Response;
    fn path(&self) -> String {
        format!("/qps/rest/3.0/get/was/webapp/{}", self.0)
    }
}

/// `POST /qps/rest/3.0/search/was/webapp`, pageable by id.
#[derive(Clone, Default)]
pub struct SearchWebApps {
    pub after: Option<i64>,
    pub limit: u32,
}

impl Endpoint for SearchWebApps {
    const METHOD: Method = Method::Post;
    type Output = Response;
    fn path(&self) -> String {
        "/qps/rest/3.0/search/was/webapp".into()
    }
    fn body(&self) -> Result<Option<String>, Error> {
        let filter = self
            .after
            .map(|id| {
                format!(
                    r#"<filters><Criteria field="id" operator="GREATER">{id}</Criteria></filters>"#
                )
            })
            .unwrap_or_default();
        Ok(Some(format!(
            "<ServiceRequest>{filter}<preferences><limitResults>{}</limitResults></preferences></ServiceRequest>",
            self.limit
        )))
    }
    fn retry_safe(&self) -> bool {
        true
    }
}

impl Pageable for SearchWebApps {
    fn set_cursor(&mut self, cursor: &Cursor) {
        if let Cursor::AfterId { after, limit } = *cursor {
            self.after = after;
            self.limit = limit;
        }
    }
}

/// `POST /qps/rest/3.0/create/was/webapp`: not retry-safe.
pub struct CreateWebApp(pub &'static str);

impl Endpoint for CreateWebApp {
    const METHOD: Method = Method::Post;
    type Output = Response;
    fn path(&self) -> String {
        "/qps/rest/3.0/create/was/webapp".into()
    }
    fn body(&self) -> Result<Option<String>, Error> {
        if self.0.len() > 256 {
            return Err(Error::Validation("name: longer than 256 characters".into()));
        }
        Ok(Some(format!(
            "<ServiceRequest><data><WebApp><name>{}</name></WebApp></data></ServiceRequest>",
            self.0
        )))
    }
}

// ---------------------------------------------------------------------------------------------------------
// Requests as received, and the client.

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let (method, path) = (start.next()?.to_owned(), start.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&data[head_end..]).into_owned(),
    })
}

pub const PASSWORD: &str = "pa55-w0rd!";

pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        max_elapsed: Duration::from_secs(5),
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
    }
}

pub fn client(base: BaseUrl, retries: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .credentials(Credentials::new("alice_q1", PASSWORD))
        .retry_policy(retries)
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap()
}

pub fn assert_no_secret(err: &Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(PASSWORD), "{shown}");
        assert!(!shown.contains("YWxpY2VfcTE6"), "{shown}"); // base64 of "alice_q1:"
    }
}
