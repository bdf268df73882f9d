//! Runtime for the Rust bindings that `qps-codegen` generates from Qualys QPS XSDs.
//!
//! # Layers
//!
//! From the bottom up; each part uses only those listed before it (`xml` and `xs` are one layer: the XSD
//! built-ins implement the XML traits, and the XML layer knows them as leaves):
//!
//! - [`xml`]: the generic XML layer. Turns XML text into Rust values and back (whitespace, empty elements,
//!   Qualys's collection wrappers, facets), through the direct event reader ([`xml::XmlReader`],
//!   [`xml::read_document`]) and writer, or through serde. Knows nothing of Qualys's envelope or of HTTP.
//! - [`xs`]: the XSD built-in types that have no exact Rust counterpart.
//! - [`error`]: the one [`Error`] type.
//! - [`envelope`]: the Qualys `ServiceResponse` ([`ResponseEnvelope`], [`ErrorDetails`]), what one API call is
//!   ([`Endpoint`], [`Method`]), and [`ItemStream`], which reads the records of a large response one at a time.
//! - [`filter`]: typed search criteria.
//! - `client` (feature `client`): the HTTP client ([`Client`]) with its credentials, platforms, retries
//!   ([`RetryPolicy`]), paging ([`Paginator`]) and record streaming ([`Records`]).
//!
//! # Features
//!
//! - `client` (default): the HTTP client, built on reqwest (rustls) and tokio. Without it the crate is everything
//!   but the client, which is all generated types need to be read, validated and written; generated endpoint
//!   types and paginators need it.
//!
//! # The contract with generated code
//!
//! Generated code names this crate only through one hidden module, `__private`
//! (`use ::qps_runtime::__private as rt;`): every name it uses, including the helpers and macros only generated
//! code calls, which are not part of the documented API.
//!
//! # Foreign types in the public API
//!
//! The API wraps the types of the crates it is built on where that is cheap: [`TransportError`] stands for the
//! HTTP stack's errors, [`xml::SerdeError`] for quick-xml's serde errors, and [`xs::Base64Binary`],
//! [`xs::HexBinary`], [`xs::Integer`] and the sign-restricted integers ([`xs::NonNegativeInteger`] and the like)
//! are the runtime's own; so are the plain XSD mapping's dates and times ([`xs::XmlDateTime`], [`xs::XmlDate`],
//! [`xs::XmlTime`]), because chrono has no type for a value whose time zone may be absent, and they convert to
//! chrono's. These are left as they are, on purpose:
//!
//! - quick-xml's [`BytesStart`](xml::BytesStart) (start tags, in [`FromXml::read`](xml::FromXml::read) and
//!   everything generated readers call) and its `Attribute` (what [`xml::Attributes`] yields): generated readers
//!   match names and attributes on them without copying, and wrapping them would put a layer on the reader's hot
//!   path and change every generated reader. quick-xml's own `Error` is likewise what
//!   [`ReadErrorKind::Xml`](xml::ReadErrorKind::Xml) carries, so that its variants stay inspectable.
//! - chrono's `DateTime<FixedOffset>`, `DateTime<Utc>`, `NaiveDate` and `NaiveTime` and rust_decimal's `Decimal`
//!   ([`xs::DateTime`], [`xs::Date`], [`xs::Time`], [`xs::Decimal`]): they are the values of generated fields
//!   (chrono's under the Qualys profile, whose timestamps always have a zone), the types users compute with; a
//!   wrapper would only be converted back. Generated code names them through the
//!   runtime, so a crate using the bindings needs no dependency of its own on them.
//! - serde's traits: generated types derive them, and [`xml::XmlValue`] is written in terms of them.
//! - With the `client` feature: the `http` crate's `HeaderMap` ([`RawResponse::headers`](client::RawResponse),
//!   [`RateLimitHints::from_headers`](client::retry::RateLimitHints::from_headers)) and the `url` crate's `Url`
//!   ([`BaseUrl::join`](client::BaseUrl::join)), the standard types for what they hold; `futures_core::Stream`,
//!   which [`Records`], [`Paginator`] and page streams implement so that any stream combinator library works on
//!   them; and tokio, whose runtime the client's futures must run on.

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
    CatalogEntity, Endpoint, EntityVisitor, ErrorDetails, FromResponse, ItemStream, Method,
    ResponseEnvelope, ResponseHeader,
};
pub use error::{Error, TimeoutKind, TransportError};
pub use xml::{Collection, ElementName, TextError, XmlText, XmlValue};

#[doc(hidden)]
pub mod __private;
