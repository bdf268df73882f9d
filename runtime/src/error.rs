//! The one error type of the runtime.
//!
//! Every variant says what failed and carries what a caller needs to react (the Qualys `responseCode`, the HTTP
//! status, how many attempts were made) and a short quote of what the server sent where that helps. No message
//! ever contains credentials: the runtime never formats a request's headers, and base URLs with a user or
//! password in them are refused up front.

use std::time::Duration;

/// How many characters of a response body an error quotes.
#[cfg_attr(not(feature = "client"), allow(dead_code))] // used by the client
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Anything that can go wrong between building a request and holding its typed result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete at the transport level: connection refused or dropped, TLS failure,
    /// timeout, or a body cut short.
    #[error("HTTP transport error: {0}")]
    Transport(#[source] TransportError),

    /// The server answered with an HTTP status the runtime has no better interpretation for.
    #[error("HTTP status {status}: {snippet:?}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first characters of the response body.
        snippet: String,
    },

    /// Qualys answered with a `responseCode` other than `SUCCESS` (usually under HTTP 200), or refused the
    /// credentials (HTTP 401, reported with the code `UNAUTHORIZED` when the body names none).
    #[error("Qualys responseCode {code} (HTTP {http_status}){}", details_suffix(.message, .resolution))]
    Api {
        /// The `responseCode` exactly as the server sent it (trimmed), so codes newer than the XSD survive.
        code: String,
        /// `responseErrorDetails/errorMessage`, when present.
        message: Option<String>,
        /// `responseErrorDetails/errorResolution`, when present.
        resolution: Option<String>,
        /// `responseErrorDetails/internalErrorCodeId`, when present.
        internal_code: Option<i64>,
        /// The HTTP status the envelope came with.
        http_status: u16,
    },

    /// The body was expected to be XML but is not: an HTML error page from a proxy or gateway, plain text, or
    /// nothing at all.
    #[error(
        "expected an XML response, got {} (HTTP {status}): {snippet:?}",
        content_type.as_deref().unwrap_or("no Content-Type")
    )]
    NotXml {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The first characters of the body (empty for an empty body).
        snippet: String,
    },

    /// The XML could not be read into the expected Rust type.
    #[error("cannot read {context}: {source}")]
    Xml {
        /// What was being read, e.g. the Rust type name.
        context: String,
        /// The underlying parser or conversion error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// The server kept refusing the request (HTTP 409/429/503 and the like) until the retry policy ran out of
    /// attempts or time.
    #[error(
        "gave up after {attempts} attempt(s) in {elapsed:?}: last HTTP status {last_status}: {snippet:?}"
    )]
    RetriesExhausted {
        /// The status of the last response.
        last_status: u16,
        /// How many times the request was sent.
        attempts: u32,
        /// Time spent since the first attempt.
        elapsed: Duration,
        /// The first characters of the last response body.
        snippet: String,
    },

    /// The request was refused before sending: a value breaks its XSD facets, or the request cannot be
    /// serialized.
    #[error("invalid request: {0}")]
    Validation(String),

    /// The client is misconfigured: no base URL, a bad URL, missing or unreadable credentials.
    #[error("configuration error: {0}")]
    Config(String),

    /// A time limit of the client ran out (see `ClientBuilder`'s `connect_timeout`, `read_timeout` and
    /// `timeout`): the connection did not open in time, the server sent no byte for too long, or the call as a
    /// whole, retries included, took too long.
    #[error("{which} timed out after {after:?}")]
    Timeout {
        /// Which limit ran out.
        which: TimeoutKind,
        /// The limit.
        after: Duration,
    },

    /// The server broke the protocol in a way that would make the client loop or guess, e.g. a paginated
    /// search that says `hasMoreRecords` but makes no progress.
    #[error("protocol error: {0}")]
    Protocol(String),
}

impl Error {
    /// Wraps a parse or conversion error with what was being read.
    pub fn xml(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::Xml {
            context: context.into(),
            source: source.into(),
        }
    }

    /// The Qualys `responseCode` of an [`Error::Api`], e.g. `"INVALID_CREDENTIALS"`.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status the error came with, if a response was received.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } | Error::NotXml { status, .. } => Some(*status),
            Error::Api { http_status, .. } => Some(*http_status),
            Error::RetriesExhausted { last_status, .. } => Some(*last_status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }
}

/// Which time limit an [`Error::Timeout`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the connection (TCP and TLS).
    Connect,
    /// Waiting for the next byte of the response, head or body.
    Idle,
    /// The whole call, from the first send to the last byte of the body, retries and waits included.
    Deadline,
}

impl std::fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Idle => "waiting for the next byte of the response",
            TimeoutKind::Deadline => "the call",
        })
    }
}

/// A request that did not complete at the transport level (see [`Error::Transport`]): what kind of failure it
/// was, and the underlying error as its [`source`](std::error::Error::source).
///
/// Opaque, so that the HTTP stack the client is built on is not part of the API.
#[derive(Debug)]
pub struct TransportError {
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
    timeout: bool,
    connect: bool,
    status: Option<u16>,
    /// The limit that ran out, for a connect or idle timeout.
    limit: Option<Duration>,
}

impl TransportError {
    /// Wraps the HTTP stack's error with what the runtime asks of it.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn new(
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
        timeout: bool,
        connect: bool,
        status: Option<u16>,
    ) -> Self {
        TransportError {
            source: source.into(),
            timeout,
            connect,
            status,
            limit: None,
        }
    }

    /// Records the limit a timeout ran into, so that it is reported as [`Error::Timeout`].
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn with_limit(mut self, limit: Duration) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Which limit ran out, and how long it was, for a connect or idle timeout.
    pub fn timeout_kind(&self) -> Option<(TimeoutKind, Duration)> {
        let limit = self.limit.filter(|_| self.timeout)?;
        let kind = if self.connect {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Idle
        };
        Some((kind, limit))
    }

    /// Whether a timeout (connect, read or the whole request) ran out.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// Whether the connection could not be opened (so the request never reached the server).
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// The HTTP status, when the error came with a response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl From<TransportError> for Error {
    /// [`Error::Timeout`] for a connect or idle timeout, [`Error::Transport`] otherwise.
    fn from(error: TransportError) -> Self {
        match error.timeout_kind() {
            Some((which, after)) => Error::Timeout { which, after },
            None => Error::Transport(error),
        }
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.source, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

fn details_suffix(message: &Option<String>, resolution: &Option<String>) -> String {
    let mut out = String::new();
    if let Some(m) = message {
        out.push_str(": ");
        out.push_str(m);
    }
    if let Some(r) = resolution {
        out.push_str(" (resolution: ");
        out.push_str(r);
        out.push(')');
    }
    out
}

/// The first [`SNIPPET_CHARS`] characters of `body`, lossily decoded, with runs of whitespace folded to one
/// space so that an HTML page quotes as one readable line.
#[cfg_attr(not(feature = "client"), allow(dead_code))] // used by the client
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut chars = 0;
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if chars == SNIPPET_CHARS {
            out.push('…');
            break;
        }
        if pending_space {
            out.push(' ');
            chars += 1;
            pending_space = false;
            if chars == SNIPPET_CHARS {
                out.push('…');
                break;
            }
        }
        out.push(c);
        chars += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_message_includes_details_when_present() {
        let e = Error::Api {
            code: "INVALID_CREDENTIALS".into(),
            message: Some("Bad Login/Password".into()),
            resolution: Some("Check the login".into()),
            internal_code: Some(3),
            http_status: 200,
        };
        assert_eq!(
            e.to_string(),
            "Qualys responseCode INVALID_CREDENTIALS (HTTP 200): Bad Login/Password (resolution: Check the login)"
        );
        assert_eq!(e.api_code(), Some("INVALID_CREDENTIALS"));
        assert_eq!(e.http_status(), Some(200));

        let bare = Error::Api {
            code: "OBJECT_NOT_FOUND".into(),
            message: None,
            resolution: None,
            internal_code: None,
            http_status: 200,
        };
        assert_eq!(
            bare.to_string(),
            "Qualys responseCode OBJECT_NOT_FOUND (HTTP 200)"
        );
    }

    #[test]
    fn not_xml_names_content_type_and_quotes_body() {
        let e = Error::NotXml {
            status: 502,
            content_type: Some("text/html".into()),
            snippet: snippet(b"<html>\n  <body>Bad   Gateway</body>\n</html>"),
        };
        assert_eq!(
            e.to_string(),
            "expected an XML response, got text/html (HTTP 502): \"<html> <body>Bad Gateway</body> </html>\""
        );
    }

    #[test]
    fn snippet_truncates_on_char_boundaries() {
        let long = "é".repeat(500);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b""), "");
        assert_eq!(snippet(b"  short  "), "short");
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
        let exact = "a".repeat(SNIPPET_CHARS);
        assert_eq!(snippet(exact.as_bytes()), exact);
    }

    #[test]
    fn xml_error_keeps_its_source() {
        let inner: Box<dyn std::error::Error + Send + Sync> = "missing field `responseCode`".into();
        let e = Error::xml("ServiceResponse for WebApp search", inner);
        assert_eq!(
            e.to_string(),
            "cannot read ServiceResponse for WebApp search: missing field `responseCode`"
        );
        assert!(std::error::Error::source(&e).is_some());
    }
}
