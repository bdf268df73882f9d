//! Runtime for the Rust bindings that `qps-codegen` generates from Qualys QPS XSDs.
//!
//! # Layers
//!
//! Each layer uses only the ones above it:
//!
//! - [`xml`]: the generic XML layer. Turns XML text into Rust values and back (whitespace, empty elements,
//!   Qualys's collection wrappers, facets), through the direct event reader ([`xml::XmlReader`],
//!   [`xml::read_document`]) and writer, or through serde. Knows nothing of Qualys's envelope or of HTTP.
//! - [`xs`]: the XSD built-in types that have no exact Rust counterpart.
//! - [`envelope`]: the Qualys `ServiceResponse` ([`ResponseEnvelope`], [`ErrorDetails`]), what one API call is
//!   ([`Endpoint`], [`Method`]), and [`ItemStream`], which reads the records of a large response one at a time.
//! - [`filter`]: typed search criteria.
//! - [`error`]: the one [`Error`] type.
//! - `client` (feature `client`): the HTTP client ([`Client`]) with its credentials, platforms, retries
//!   ([`RetryPolicy`]), paging ([`Paginator`]) and record streaming ([`Records`]).
//!
//! # Features
//!
//! - `client` (default): the HTTP client, built on reqwest (rustls) and tokio. Without it the crate is the layers
//!   above the client, which is all generated types need to be read, validated and written; generated endpoint
//!   types and paginators need it.
//!
//! # The contract with generated code
//!
//! Generated code names this crate only through one hidden module, `__private`
//! (`use ::qps_runtime::__private as rt;`): every name it uses, including the helpers and macros only generated
//! code calls, which are not part of the documented API.

#[cfg(feature = "client")]
pub mod client;
pub mod envelope;
pub mod error;
pub mod filter;
pub mod xml;
pub mod xs;

#[cfg(feature = "client")]
pub use client::{
    BaseUrl, Client, ClientBuilder, Credentials, Cursor, Page, PageStream, Pageable, Paginator,
    PagingMode, Platform, RawResponse, Records, RetryPolicy,
};
pub use envelope::{
    Endpoint, ErrorDetails, FromResponse, ItemStream, Method, ResponseEnvelope, ResponseHeader,
};
pub use error::{Error, TransportError};
pub use xml::{Collection, ElementName, TextError, XmlText, XmlValue};

#[doc(hidden)]
pub mod __private;
