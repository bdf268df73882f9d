//! Runtime for the Rust bindings that `qps-codegen` generates from Qualys QPS XSDs.
//!
//! The generated types depend on two things here: [`xml`], which turns XML text into Rust values and back
//! (whitespace, empty elements, Qualys's collection wrappers), and [`xs`], the XSD built-in types that have no
//! exact Rust counterpart. The client side (transport, envelope, errors, paging, retries, and [`records`], which
//! reads large responses record by record as they arrive) builds on top.

pub mod client;
pub mod credentials;
pub mod envelope;
pub mod error;
pub mod filter;
pub mod paging;
pub mod platform;
pub mod records;
pub mod retry;
pub mod xml;
pub mod xs;

pub use client::{Client, ClientBuilder, RawResponse};
pub use credentials::Credentials;
pub use envelope::{Endpoint, ErrorDetails, FromResponse, Method, ResponseEnvelope};
pub use error::Error;
pub use paging::{Cursor, Page, PageStream, Pageable, Paginator, PagingMode};
pub use platform::{BaseUrl, Platform};
pub use records::Records;
pub use retry::RetryPolicy;
pub use xml::{Collection, ElementName, TextError, XmlText, XmlValue};

#[doc(hidden)]
pub mod __private;
