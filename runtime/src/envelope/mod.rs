//! The contract between generated code and the client: what a `ServiceResponse` exposes, and what one
//! executable API call looks like.
//!
//! Each Qualys XSD defines its own `ServiceResponse`; the generator implements [`ResponseEnvelope`] for each,
//! and [`Endpoint`] once per catalog action. The runtime then needs no knowledge of any particular entity.
//!
//! There is no request-side envelope trait: a request's only job at run time is to become XML, which
//! [`Endpoint::body`] covers, and the one change the runtime makes to a request (moving a search to the next
//! page) is [`Pageable`](crate::client::paging::Pageable).
//!
//! [`ItemStream`] reads the records inside `<data>` of a large `ServiceResponse` one at a time, with the
//! envelope fields before them in its [`ResponseHeader`].

pub(crate) mod bodies;
mod endpoint;
mod entity;
pub(crate) mod stream;

pub use endpoint::{Endpoint, Method};
pub use entity::{CatalogEntity, EntityVisitor, read_item_document};
pub use stream::{HeadedSource, ItemStream, ResponseHeader};

use std::borrow::Cow;

use quick_xml::events::Event;

use crate::error::Error;
use crate::xml::{Drift, FromXml, RootElement, read_document, read_document_with_drift};

/// The `responseCode` of a successful call.
pub const SUCCESS: &str = "SUCCESS";

/// `responseErrorDetails`: why a call failed. Every part is optional in real responses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorDetails {
    /// `errorMessage`.
    pub message: Option<String>,
    /// `errorResolution`.
    pub resolution: Option<String>,
    /// `internalErrorCodeId`.
    pub internal_code: Option<i64>,
}

impl ErrorDetails {
    /// Trims the texts (CDATA often comes wrapped in newlines) and drops the empty ones.
    fn normalized(self) -> Self {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        ErrorDetails {
            message: clean(self.message),
            resolution: clean(self.resolution),
            internal_code: self.internal_code,
        }
    }
}

/// A `ServiceResponse` as read by its generated [`FromXml`] reader.
///
/// The runtime reads whole envelopes with [`parse_envelope`], and the records of large ones one at a time (see
/// [`crate::client::records`]), which is why the record type and its element names are part of the contract.
pub trait ResponseEnvelope: FromXml + RootElement {
    /// The entity type listed in `<data>`.
    type Item: FromXml + Send + 'static;

    /// The local names of the record elements inside `<data>` (e.g. `["WebApp"]`); other children of `<data>`
    /// are skipped when records are streamed.
    const ITEM_ELEMENTS: &'static [&'static str];

    /// `responseCode` as sent, e.g. `"SUCCESS"` or a code the XSD does not know.
    fn response_code(&self) -> &str;

    /// `responseErrorDetails`, if the response has it.
    fn error_details(&self) -> Option<ErrorDetails>;

    /// `count`: records in this response (or the total, for a `count` call).
    fn count(&self) -> Option<i64>;

    /// `hasMoreRecords`; absent when there is nothing more (or nothing at all).
    fn has_more_records(&self) -> Option<bool>;

    /// `lastId`: the id of the last record, present only while `hasMoreRecords` is true.
    fn last_id(&self) -> Option<i64>;

    /// The records in `<data>`, in order (empty when `<data>` is absent).
    fn into_items(self) -> Vec<Self::Item>;

    /// Whether `responseCode` is `SUCCESS` (ignoring surrounding whitespace).
    fn is_success(&self) -> bool {
        self.response_code().trim() == SUCCESS
    }
}

/// Passes a successful envelope through and turns any other `responseCode` into [`Error::Api`], keeping the
/// code verbatim (trimmed).
pub fn check<E: ResponseEnvelope>(env: E, http_status: u16) -> Result<E, Error> {
    if env.is_success() {
        return Ok(env);
    }
    let details = env.error_details().unwrap_or_default().normalized();
    Err(Error::Api {
        code: env.response_code().trim().to_owned(),
        message: details.message,
        resolution: details.resolution,
        internal_code: details.internal_code,
        http_status,
    })
}

/// Reads a `ServiceResponse` with its generated reader and [`check`]s it: the default body of a generated
/// [`Endpoint::parse`].
///
/// If the body does not fit `E` but is a failed `ServiceResponse` (an error envelope may lack what a success
/// carries), the API error is reported rather than the read error.
pub fn parse_envelope<E: ResponseEnvelope>(http_status: u16, body: &[u8]) -> Result<E, Error> {
    match read_document::<E>(strip_bom(body)) {
        Ok(env) => check(env, http_status),
        Err(e) => Err(envelope_error::<E>(http_status, body, e)),
    }
}

/// [`parse_envelope`], recording drift: the envelope, and what the body carries that `E` does not know.
pub fn parse_envelope_with_drift<E: ResponseEnvelope>(
    http_status: u16,
    body: &[u8],
) -> Result<(E, Drift), Error> {
    match read_document_with_drift::<E>(strip_bom(body)) {
        Ok((env, drift)) => Ok((check(env, http_status)?, drift)),
        Err(e) => Err(envelope_error::<E>(http_status, body, e)),
    }
}

fn envelope_error<E>(http_status: u16, body: &[u8], e: crate::xml::ReadError) -> Error {
    match read_status(body) {
        Some(status) if !status.is_success() => status.into_error(http_status),
        _ => Error::xml(read_context::<E>(http_status), e),
    }
}

/// What an [`Error::Xml`] says was being read: the Rust type and the HTTP status.
pub(crate) fn read_context<T>(http_status: u16) -> String {
    format!("{} (HTTP {http_status})", std::any::type_name::<T>())
}

/// Checks a request against its schema's facets and writes it with the generated writer: `Ok(None)` never,
/// `Some(xml)` always; a request that breaks a facet is an [`Error::Validation`] and is not sent.
pub fn request_body<T>(request: &T) -> Result<Option<String>, Error>
where
    T: crate::xml::ToXml + crate::xml::RootElement + crate::xml::Validate,
{
    request
        .validate()
        .map_err(|e| Error::Validation(format!("{}: {e}", T::ROOT)))?;
    Ok(Some(crate::xml::write_document(request)))
}

/// What a response body becomes: the [`Output`](Endpoint::Output) of an endpoint.
///
/// Every [`ResponseEnvelope`] is one (read by [`parse_envelope`]), and so is `String` (the body as UTF-8 text,
/// for the endpoints that return no XML). The generator implements it for the entities some calls return as bare
/// documents.
pub trait FromResponse: Sized {
    /// Reads the body of a response received with `http_status`.
    fn from_response(http_status: u16, body: &[u8]) -> Result<Self, Error>;

    /// [`Self::from_response`], with the drift the body carries (see [`crate::xml::drift`]); the default
    /// records none.
    fn from_response_with_drift(http_status: u16, body: &[u8]) -> Result<(Self, Drift), Error> {
        Ok((Self::from_response(http_status, body)?, Drift::new()))
    }
}

impl<E: ResponseEnvelope> FromResponse for E {
    fn from_response(http_status: u16, body: &[u8]) -> Result<Self, Error> {
        parse_envelope(http_status, body)
    }

    fn from_response_with_drift(http_status: u16, body: &[u8]) -> Result<(Self, Drift), Error> {
        parse_envelope_with_drift(http_status, body)
    }
}

impl FromResponse for String {
    fn from_response(http_status: u16, body: &[u8]) -> Result<Self, Error> {
        String::from_utf8(body.to_vec())
            .map_err(|e| Error::xml(format!("text body (HTTP {http_status})"), e))
    }
}

/// The head of a `ServiceResponse`: its `responseCode` and error details, read without deserializing the
/// rest (and without knowing which XSD the response belongs to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeStatus {
    /// `responseCode`, trimmed.
    pub code: String,
    /// `responseErrorDetails`, trimmed; empty if absent.
    pub details: ErrorDetails,
}

impl EnvelopeStatus {
    /// Whether the code is `SUCCESS`.
    pub fn is_success(&self) -> bool {
        self.code == SUCCESS
    }

    /// The [`Error::Api`] for this status.
    pub fn into_error(self, http_status: u16) -> Error {
        Error::Api {
            code: self.code,
            message: self.details.message,
            resolution: self.details.resolution,
            internal_code: self.details.internal_code,
            http_status,
        }
    }
}

/// Reads the `responseCode` (and, when it is not `SUCCESS`, the `responseErrorDetails`) of a body whose root
/// element is `ServiceResponse`. Returns `None` for any other root, a missing `responseCode`, or XML too
/// broken to tell. Stops reading as soon as it knows, so it is cheap on large responses. A body in another
/// encoding than UTF-8 is read as its decoded text, decoded as far as it is read (a sequence that does not
/// decode before the status is known gives `None`).
pub fn read_status(body: &[u8]) -> Option<EnvelopeStatus> {
    match crate::xml::encoding::document_encoding(body) {
        Ok(encoding) if encoding != encoding_rs::UTF_8 => {
            status_of(quick_xml::Reader::from_reader(
                crate::xml::reader::Transcoder::new(body, encoding, usize::MAX),
            ))
        }
        _ => status_of(quick_xml::Reader::from_reader(strip_bom(body))),
    }
}

/// [`read_status`] over the UTF-8 text `reader` reads.
fn status_of<R: std::io::BufRead>(mut reader: quick_xml::Reader<R>) -> Option<EnvelopeStatus> {
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut in_details = false;
    let mut code: Option<String> = None;
    let mut details = ErrorDetails::default();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name().as_ref().to_vec();
                match (depth, name.as_slice()) {
                    (1, b"ServiceResponse") => {}
                    (1, _) => return None,
                    (2, b"responseCode") => {
                        let text = read_text(&mut reader)?;
                        depth -= 1;
                        if text == SUCCESS {
                            return Some(EnvelopeStatus {
                                code: text,
                                details,
                            });
                        }
                        code = Some(text);
                    }
                    (2, b"responseErrorDetails") => in_details = true,
                    // Qualys puts responseCode and responseErrorDetails first; anything else means we are done.
                    (2, _) if code.is_some() => break,
                    (3, field) if in_details => {
                        let slot = match field {
                            b"errorMessage" => &mut details.message,
                            b"errorResolution" => &mut details.resolution,
                            b"internalErrorCodeId" => {
                                let text = read_text(&mut reader)?;
                                depth -= 1;
                                details.internal_code = text.parse().ok();
                                continue;
                            }
                            _ => continue,
                        };
                        *slot = Some(read_text(&mut reader)?);
                        depth -= 1;
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if depth == 0 && e.local_name().as_ref() != b"ServiceResponse" => {
                return None;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 && in_details {
                    in_details = false;
                    if code.is_some() {
                        break;
                    }
                }
                if depth == 0 {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    code.map(|code| EnvelopeStatus {
        code,
        details: details.normalized(),
    })
}

/// The text content of the element just opened (text, CDATA and references), trimmed; consumes its end tag.
/// Child elements are skipped.
fn read_text<R: std::io::BufRead>(reader: &mut quick_xml::Reader<R>) -> Option<String> {
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut nested = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Text(t) if nested == 0 => out.push_str(&t.xml_content().ok()?),
            Event::CData(t) if nested == 0 => out.push_str(&t.xml_content().ok()?),
            Event::GeneralRef(r) if nested == 0 => {
                if let Some(c) = r.resolve_char_ref().ok()? {
                    out.push(c);
                } else {
                    let name = r.decode().ok()?;
                    out.push_str(quick_xml::escape::resolve_predefined_entity(&name)?);
                }
            }
            Event::Start(_) => nested += 1,
            Event::End(_) if nested == 0 => return Some(out.trim().to_owned()),
            Event::End(_) => nested -= 1,
            Event::Eof => return None,
            _ => {}
        }
    }
}

pub(crate) fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Whether a response body is XML, judged mostly by the body itself (servers mislabel), with a declared HTML
/// content type or an HTML root counting against it. An empty body is not XML.
#[cfg_attr(not(feature = "client"), allow(dead_code))] // used by the client
pub(crate) fn is_xml(content_type: Option<&str>, body: &[u8]) -> bool {
    // A UTF-16 body (told by its byte order mark) is judged by its first characters.
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(body)
        && encoding != encoding_rs::UTF_8
    {
        let head = &body[bom..body.len().min(bom + 256)];
        let (text, _) = encoding.decode_without_bom_handling(head);
        return is_xml(content_type, text.as_bytes());
    }
    let body = strip_bom(body).trim_ascii_start();
    if !body.starts_with(b"<") {
        return false;
    }
    let head: Cow<'_, str> = String::from_utf8_lossy(&body[..body.len().min(64)]);
    let head = head.to_ascii_lowercase();
    if head.starts_with("<?xml") || head.starts_with("<serviceresponse") {
        return true;
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return false;
    }
    !content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::bodies::{parse_document, request_body_unless_empty};
    use super::*;
    use crate::xml::{BytesStart, ReadError, XmlReader, XmlSource};

    /// A hand-written stand-in for a generated `ServiceResponse`, read the way generated readers read.
    #[derive(Debug, Default)]
    pub(crate) struct TestResponse {
        pub code: String,
        pub details: Option<ErrorDetails>,
        pub count: Option<i64>,
        pub has_more: Option<bool>,
        pub last_id: Option<i64>,
        pub items: Vec<TestWebApp>,
    }

    #[derive(Debug, Default, PartialEq)]
    pub(crate) struct TestWebApp {
        pub id: i64,
    }

    impl RootElement for TestResponse {
        const ROOT: &'static str = "ServiceResponse";
    }

    impl FromXml for TestResponse {
        fn read<S: XmlSource>(
            reader: &mut XmlReader<S>,
            start: &BytesStart<'_>,
        ) -> Result<Self, ReadError> {
            let mut out = TestResponse::default();
            let mut code = None;
            let mut children = reader.children();
            while let Some(child) = children.next(reader)? {
                match child.local_name().as_ref() {
                    b"responseCode" => code = Some(reader.leaf(&child)?),
                    b"responseErrorDetails" => {
                        out.details = Some(reader.within(&child, |reader| {
                            let mut details = ErrorDetails::default();
                            let mut children = reader.children();
                            while let Some(child) = children.next(reader)? {
                                match child.local_name().as_ref() {
                                    b"errorMessage" => details.message = reader.leaf_opt(&child)?,
                                    b"errorResolution" => {
                                        details.resolution = reader.leaf_opt(&child)?
                                    }
                                    b"internalErrorCodeId" => {
                                        details.internal_code = reader.leaf_opt(&child)?
                                    }
                                    _ => reader.skip()?,
                                }
                            }
                            Ok(details)
                        })?);
                    }
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

    impl FromXml for TestWebApp {
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
            Ok(TestWebApp {
                id: reader.required(id, start, "id")?,
            })
        }
    }

    impl RootElement for TestWebApp {
        const ROOT: &'static str = "WebApp";
    }

    impl ResponseEnvelope for TestResponse {
        type Item = TestWebApp;
        const ITEM_ELEMENTS: &'static [&'static str] = &["WebApp"];
        fn response_code(&self) -> &str {
            &self.code
        }
        fn error_details(&self) -> Option<ErrorDetails> {
            self.details.clone()
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
        fn into_items(self) -> Vec<TestWebApp> {
            self.items
        }
    }

    const SEARCH: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <responseCode>SUCCESS</responseCode>
  <count>2</count>
  <hasMoreRecords>true</hasMoreRecords>
  <lastId>12</lastId>
  <data><WebApp><id>11</id></WebApp><WebApp><id>12</id></WebApp></data>
</ServiceResponse>"#;

    const FAILED: &str = r#"<ServiceResponse>
  <responseCode>INVALID_CREDENTIALS</responseCode>
  <responseErrorDetails>
    <errorMessage><![CDATA[
      Bad Login/Password & co
    ]]></errorMessage>
    <errorResolution>Check &quot;login&quot; &#x26; password</errorResolution>
    <internalErrorCodeId>3</internalErrorCodeId>
  </responseErrorDetails>
</ServiceResponse>"#;

    /// A request with one optional part, written the way generated writers write.
    #[derive(Debug, Default, PartialEq)]
    struct TestRequest {
        name: Option<String>,
    }

    impl RootElement for TestRequest {
        const ROOT: &'static str = "ServiceRequest";
    }

    impl crate::xml::Validate for TestRequest {}

    impl crate::xml::ToXml for TestRequest {
        fn write_xml(&self, writer: &mut crate::xml::XmlWriter, name: &str) {
            writer.start(name);
            writer.element_opt("name", &self.name);
            writer.end(name);
        }
    }

    #[test]
    fn an_empty_request_has_no_body_and_a_set_one_is_written() {
        assert_eq!(
            request_body_unless_empty(&TestRequest::default()).unwrap(),
            None
        );
        let request = TestRequest {
            name: Some("a & b".into()),
        };
        let body = request_body_unless_empty(&request).unwrap().unwrap();
        assert!(
            body.ends_with("<ServiceRequest><name>a &amp; b</name></ServiceRequest>"),
            "{body}"
        );
        // An empty value is still a value: it is sent.
        let request = TestRequest {
            name: Some(String::new()),
        };
        assert!(request_body_unless_empty(&request).unwrap().is_some());
    }

    #[test]
    fn outputs_are_read_by_their_from_response() {
        let env = <TestResponse as FromResponse>::from_response(200, SEARCH.as_bytes()).unwrap();
        assert_eq!(env.count(), Some(2));
        let err =
            <TestResponse as FromResponse>::from_response(200, FAILED.as_bytes()).unwrap_err();
        assert_eq!(err.api_code(), Some("INVALID_CREDENTIALS"));
        assert_eq!(
            String::from_response(200, b"BEGIN:VCALENDAR\r\n").unwrap(),
            "BEGIN:VCALENDAR\r\n"
        );
        let err = String::from_response(200, b"\xff\xfe").unwrap_err();
        assert!(err.to_string().contains("text body (HTTP 200)"), "{err}");
    }

    #[test]
    fn parse_envelope_success() {
        let env: TestResponse = parse_envelope(200, SEARCH.as_bytes()).unwrap();
        assert_eq!(env.count(), Some(2));
        assert_eq!(env.has_more_records(), Some(true));
        assert_eq!(env.last_id(), Some(12));
        assert_eq!(
            env.into_items(),
            vec![TestWebApp { id: 11 }, TestWebApp { id: 12 }]
        );
    }

    #[test]
    fn check_turns_failure_into_api_error_with_trimmed_details() {
        let err = parse_envelope::<TestResponse>(200, FAILED.as_bytes()).unwrap_err();
        match err {
            Error::Api {
                code,
                message,
                resolution,
                internal_code,
                http_status,
            } => {
                assert_eq!(code, "INVALID_CREDENTIALS");
                assert_eq!(message.as_deref(), Some("Bad Login/Password & co"));
                assert_eq!(resolution.as_deref(), Some("Check \"login\" & password"));
                assert_eq!(internal_code, Some(3));
                assert_eq!(http_status, 200);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_code_without_details_survives() {
        let body =
            "<ServiceResponse><responseCode> OBJECT_NOT_FOUND </responseCode></ServiceResponse>";
        let err = parse_envelope::<TestResponse>(200, body.as_bytes()).unwrap_err();
        assert_eq!(err.api_code(), Some("OBJECT_NOT_FOUND"));
        assert!(matches!(
            err,
            Error::Api {
                message: None,
                resolution: None,
                ..
            }
        ));
    }

    #[test]
    fn shape_mismatch_is_an_xml_error_with_context() {
        let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><count>many</count></ServiceResponse>";
        let err = parse_envelope::<TestResponse>(200, body.as_bytes()).unwrap_err();
        assert!(matches!(err, Error::Xml { .. }), "{err:?}");
        assert!(err.to_string().contains("TestResponse (HTTP 200)"), "{err}");
        // …unless it is a failure envelope, which reports the API error instead.
        let body = "<ServiceResponse><responseCode>OTHER_ERROR</responseCode><count>x</count></ServiceResponse>";
        let err = parse_envelope::<TestResponse>(200, body.as_bytes()).unwrap_err();
        assert_eq!(err.api_code(), Some("OTHER_ERROR"));
    }

    #[test]
    fn the_document_element_is_checked_and_a_bom_skipped() {
        let err = parse_envelope::<TestResponse>(200, b"<WebApp><id>1</id></WebApp>").unwrap_err();
        assert!(matches!(err, Error::Xml { .. }), "{err:?}");
        assert!(
            err.to_string().contains("expected `ServiceResponse`"),
            "{err}"
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), SEARCH.as_bytes()].concat();
        let env: TestResponse = parse_envelope(200, &bom).unwrap();
        assert_eq!(env.items.len(), 2);
        let err =
            parse_envelope::<TestResponse>(200, b"<ServiceResponse><count>1</count>").unwrap_err();
        assert!(
            err.to_string().contains("line 1"),
            "read errors carry a position: {err}"
        );
    }

    #[test]
    fn parse_document_reads_a_bare_root_or_reports_the_envelope() {
        let app: TestWebApp = parse_document(200, b"<WebApp><id>7</id></WebApp>").unwrap();
        assert_eq!(app, TestWebApp { id: 7 });
        let err = parse_document::<TestWebApp>(200, FAILED.as_bytes()).unwrap_err();
        assert_eq!(err.api_code(), Some("INVALID_CREDENTIALS"));
        // A successful envelope is not the document asked for.
        let err = parse_document::<TestWebApp>(200, SEARCH.as_bytes()).unwrap_err();
        assert!(matches!(err, Error::Xml { .. }), "{err:?}");
        let shown = err.to_string();
        assert!(
            shown.contains("TestWebApp (HTTP 200)") && shown.contains("expected `WebApp`"),
            "{shown}"
        );
    }

    #[test]
    fn read_status_variants() {
        let ok = read_status(SEARCH.as_bytes()).unwrap();
        assert!(ok.is_success());
        let failed = read_status(FAILED.as_bytes()).unwrap();
        assert_eq!(failed.code, "INVALID_CREDENTIALS");
        assert_eq!(failed.details.internal_code, Some(3));
        assert_eq!(read_status(b"<WasScan><id>1</id></WasScan>"), None);
        assert_eq!(read_status(b"<ServiceResponse/>"), None);
        assert_eq!(
            read_status(b"<ServiceResponse><count>1</count></ServiceResponse>"),
            None
        );
        assert_eq!(read_status(b"not xml"), None);
        // Stops at the first element after the code: later garbage is never read.
        let early = b"<ServiceResponse><responseCode>NOT_FOUND</responseCode><data><<<";
        assert_eq!(read_status(early).unwrap().code, "NOT_FOUND");
        let bom = [b"\xEF\xBB\xBF".as_slice(), SEARCH.as_bytes()].concat();
        assert!(read_status(&bom).unwrap().is_success());
        // In another encoding: read as the decoded text.
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><ServiceResponse>\
            <responseCode>NOT_FOUND</responseCode><responseErrorDetails>\
            <errorMessage>caf\xe9 introuvable</errorMessage></responseErrorDetails></ServiceResponse>";
        let status = read_status(latin1).unwrap();
        assert_eq!(
            (status.code.as_str(), status.details.message.as_deref()),
            ("NOT_FOUND", Some("caf\u{e9} introuvable"))
        );
        assert_eq!(read_status(&utf16_le(FAILED)).unwrap(), failed);
    }

    /// `text` in UTF-16LE after a byte order mark.
    fn utf16_le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn xml_sniffing() {
        assert!(is_xml(Some("application/xml"), SEARCH.as_bytes()));
        assert!(is_xml(
            Some("text/html"),
            b"<?xml version=\"1.0\"?><ServiceResponse/>"
        ));
        assert!(is_xml(None, b"\n <ServiceResponse/>"));
        assert!(is_xml(Some("application/xml"), &utf16_le(SEARCH)));
        assert!(!is_xml(None, &utf16_le("<html><body>Error</body></html>")));
        assert!(!is_xml(Some("text/xml"), b""));
        assert!(!is_xml(Some("text/xml"), b"   \n"));
        assert!(!is_xml(
            None,
            b"<!DOCTYPE html><html><body>Gateway</body></html>"
        ));
        assert!(!is_xml(None, b"<HTML><BODY>Error</BODY></HTML>"));
        assert!(!is_xml(
            Some("text/html; charset=utf-8"),
            b"<div>maintenance</div>"
        ));
        assert!(!is_xml(Some("text/plain"), b"Service Unavailable"));
    }
}
