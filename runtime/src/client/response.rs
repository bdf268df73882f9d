//! What comes back: reading a response, the statuses worth sending again, and turning a final response into a
//! typed error or letting it through to [`Endpoint::parse`](crate::envelope::Endpoint::parse).

use super::builder::Timeouts;
use reqwest::header::CONTENT_TYPE;

use super::attempts::BodyFailure;
use super::records::{self, OpenError, Reading, Records};
use super::{RawResponse, SendFailure};
use crate::envelope::{is_xml, read_status, strip_bom};
use crate::error::{Error, TransportError, snippet};
use crate::xml::{FromXml, Limit};

/// Reads the rest of a response into memory, up to `max_body` bytes: a longer body is
/// [`BodyFailure::TooLarge`], an [`Error::Xml`] whose source is a [`ReadError`](crate::xml::ReadError) of
/// [`Limit::BodyBytes`], which is not retried.
pub(super) async fn read_whole(
    mut response: reqwest::Response,
    timeouts: &Timeouts,
    max_body: usize,
) -> Result<RawResponse, BodyFailure> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len().saturating_add(chunk.len()) > max_body {
                    let error =
                        crate::xml::ReadError::limit(Limit::BodyBytes, max_body, max_body as u64);
                    let context = format!("the response body (HTTP {status})");
                    return Err(BodyFailure::TooLarge(Error::xml(context, error)));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                return Err(BodyFailure::Send(SendFailure {
                    may_have_run: true,
                    error: TransportError::from_reqwest(error, timeouts),
                }));
            }
        }
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// How many leading bytes (after a byte order mark and whitespace) tell whether a body is XML.
const SNIFF_BYTES: usize = 64;

/// How many bytes of a body that is not XML to read for the error's quote.
const QUOTE_BYTES: usize = 1024;

/// How far to look for those leading bytes past whitespace before judging.
const SNIFF_LIMIT: usize = 64 * 1024;

/// Reads the first bytes of a 2xx body, checks that it is XML, and starts reading its records.
pub(super) async fn start_records<T: FromXml + Send + 'static>(
    mut response: reqwest::Response,
    reading: Reading,
    call: &tracing::Span,
) -> Result<Records<T>, OpenError> {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut head = Vec::new();
    let enough = |head: &[u8]| {
        strip_bom(head).trim_ascii_start().len() >= SNIFF_BYTES || head.len() >= SNIFF_LIMIT
    };
    while !enough(&head) {
        match response.chunk().await {
            Ok(Some(bytes)) => head.extend_from_slice(&bytes),
            Ok(None) => break,
            Err(e) => {
                let e = TransportError::from_reqwest(e, &reading.timeouts);
                return Err(OpenError::BodyFailed(e));
            }
        }
    }
    if !is_xml(content_type.as_deref(), &head) {
        while head.len() < QUOTE_BYTES {
            match response.chunk().await {
                Ok(Some(bytes)) => head.extend_from_slice(&bytes),
                _ => break,
            }
        }
        return Err(OpenError::Other(Error::NotXml {
            status,
            content_type,
            snippet: snippet(&head),
        }));
    }
    records::start(response, head.into(), reading, call)
        .header(call)
        .await
}

/// Whether a response with this status should be sent again.
pub(super) fn retryable_status(status: u16, retry_safe: bool) -> bool {
    match status {
        // Rate or concurrency limit: refused before running.
        409 | 429 => true,
        // Gateway or overload failures: the call may have run.
        502..=504 => retry_safe,
        _ => false,
    }
}

/// Turns a final response into an error, or lets it through to [`Endpoint::parse`].
pub(super) fn classify(
    response: &RawResponse,
    xml_expected: bool,
    call: &tracing::Span,
) -> Result<(), Error> {
    let status = response.status;
    if let Some(envelope) = read_status(&response.body) {
        call.record("response_code", envelope.code.as_str());
        if !envelope.is_success() {
            return Err(envelope.into_error(status));
        }
    }
    match status {
        200..=299 => {}
        401 => {
            return Err(Error::Api {
                code: "UNAUTHORIZED".into(),
                message: Some(
                    "HTTP 401: the credentials were refused, or the account has no API access"
                        .into(),
                ),
                resolution: None,
                internal_code: None,
                http_status: status,
            });
        }
        _ => {
            return Err(Error::Http {
                status,
                snippet: snippet(&response.body),
            });
        }
    }
    if xml_expected && !is_xml(response.content_type(), &response.body) {
        return Err(Error::NotXml {
            status,
            content_type: response.content_type().map(str::to_owned),
            snippet: snippet(&response.body),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn response(status: u16, content_type: Option<&'static str>, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        RawResponse {
            status,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn retry_rules() {
        for safe in [true, false] {
            assert!(retryable_status(409, safe));
            assert!(retryable_status(429, safe));
            assert_eq!(retryable_status(503, safe), safe);
            assert_eq!(retryable_status(502, safe), safe);
            assert!(!retryable_status(500, safe));
            assert!(!retryable_status(200, safe));
            assert!(!retryable_status(401, safe));
        }
    }

    #[test]
    fn classification() {
        let none = tracing::Span::none();
        let ok = "<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>";
        assert!(classify(&response(200, Some("application/xml"), ok), true, &none).is_ok());

        let failed = "<ServiceResponse><responseCode>UNAUTHORIZED</responseCode></ServiceResponse>";
        let err = classify(&response(500, None, failed), true, &none).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Api {
                    http_status: 500,
                    ..
                }
            ) && err.api_code() == Some("UNAUTHORIZED")
        );

        let err = classify(
            &response(401, Some("text/html"), "<html>no</html>"),
            true,
            &none,
        )
        .unwrap_err();
        assert_eq!(err.api_code(), Some("UNAUTHORIZED"));
        assert_eq!(err.http_status(), Some(401));

        let err = classify(
            &response(404, Some("text/html"), "<html>Not Found</html>"),
            true,
            &none,
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::Http { status: 404, ref snippet } if snippet == "<html>Not Found</html>")
        );

        let err = classify(
            &response(200, Some("text/html"), "<html>Maintenance</html>"),
            true,
            &none,
        )
        .unwrap_err();
        assert!(matches!(err, Error::NotXml { status: 200, .. }));
        let err = classify(&response(200, None, ""), true, &none).unwrap_err();
        assert!(matches!(err, Error::NotXml { ref snippet, .. } if snippet.is_empty()));

        // Not expected to be XML: the body goes to the endpoint's parser.
        assert!(
            classify(
                &response(200, Some("text/calendar"), "BEGIN:VCALENDAR"),
                false,
                &none,
            )
            .is_ok()
        );
    }
}
