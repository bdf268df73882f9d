//! The contract between the code `qps-codegen` generates and this crate: every name generated code uses, and
//! nothing else. Generated files import this module once (`use ::qps_runtime::__private as rt;`) and name all of
//! the runtime through it, so this file is the whole surface they depend on.
//!
//! It is hidden from the docs: items only generated code calls (checks, text helpers, serde adapters, the
//! `xml_enum!` family of macros) live here and nowhere else in the public API; the user-facing items it
//! re-exports are documented where they are defined.

// The crates generated code derives and names through the runtime, so that a crate using the bindings needs no
// dependency of its own on them.
pub use chrono;
pub use rust_decimal;
pub use serde;

// User-facing items, re-exported so that generated code has one way of naming the runtime.
pub use crate::envelope::{
    CatalogEntity, Endpoint, EntityVisitor, ErrorDetails, FromResponse, Method, ResponseEnvelope,
};
pub use crate::error::Error;
pub use crate::xml::{
    AnyElement, BytesStart, ChoiceElement, Collection, ElementName, FacetError, FromXml,
    NamespaceScope, Pattern, ReadError, RootElement, TextError, ToXml, Validate, WhiteSpace,
    XmlReader, XmlSource, XmlText, XmlValue, XmlWriter,
};
pub use crate::xs;
// The client, which generated endpoints and paginators name only when the bindings are built with it.
#[cfg(feature = "client")]
pub use crate::client::{Client, Cursor, Pageable, Paginator, PagingMode};

// Helpers only generated code calls.
pub use crate::envelope::bodies::{parse_document, request_body_unless_empty};
pub use crate::filter::{
    CriteriaSchema, Criterion, CriterionValue, Operator, list as criteria_list,
};
pub use crate::xml::any::content as any_content;
pub use crate::xml::any::{OpenChoice, open_list};
pub use crate::xml::bounds::check_range;
pub use crate::xml::check::{check_digits, check_occurs, validate_at};
pub use crate::xml::derived::{
    Namespace, TypedElement, serialize_element_in, serialize_in, serialize_typed,
};
pub use crate::xml::mixed::{MixedChoice, mixed_list};
pub use crate::xml::reader::local_name;
pub use crate::xml::text::{list_text, text_list};
pub use crate::xml::unknown::{Unknown, elements as unknown_elements, entries as unknown_entries};
pub use crate::{
    criteria_field, criteria_values, xml_element_via_serde, xml_enum, xml_text_serde,
    xml_value_via_serde, xml_value_via_text,
};

/// The `#[serde(with = ...)]` adapters of generated leaf fields (see the crate's `xml::serde_text`).
pub mod serde_text {
    pub use crate::xml::serde_text::*;
}
