//! XML text and element mapping shared by every generated type.
//!
//! - [`XmlText`]: one leaf value <-> its XML text (`xs:long` -> `i64`, `xs:dateTime` -> a real date, ...).
//! - The serde mapping: generated fields read and write their leaves through `#[serde(with = ...)]` adapters
//!   (reached by generated code only), so quick-xml's serde mapping trims text (or normalizes a string by its
//!   `whiteSpace` facet), treats an empty numeric element as absent and writes XSD lexical forms.
//! - [`Collection`]: Qualys's `<count/><list/><set/><add/><remove/><update/>` wrapper, generic over its item.
//! - [`XmlValue`]: how an item of a collection is read and written, for leaf and complex items alike.
//! - [`Validate`]: the schema's facets and bounds, checked before a request is sent.
//! - [`from_str`], [`to_string`]: whole documents; [`decode_document`] turns one declared in another encoding
//!   into the UTF-8 text they read.
//! - [`FromXml`], [`read_document`], [`XmlReader`]: the direct event reader (faster than the serde mapping,
//!   same values). Record-by-record reading of large responses builds on it (the envelope's `ItemStream`).
//! - [`ToXml`], [`write_document`]: the direct writer, which also writes mixed content and `xs:anyAttribute`
//!   beside `xs:any`, where the serde mapping cannot.

// Modules whose helpers only generated code calls are visible to the crate, so that `__private` can re-export
// those helpers; the user-facing items are re-exported here.
use std::borrow::Cow;

pub(crate) mod any;
pub(crate) mod bounds;
pub(crate) mod check;
mod collection;
pub(crate) mod derived;
pub mod drift;
pub(crate) mod encoding;
mod limits;
pub(crate) mod mixed;
mod names;
mod normal_form;
mod prolog;
pub(crate) mod reader;
pub(crate) mod serde_text;
pub(crate) mod text;
pub(crate) mod unknown;
mod value;
pub(crate) mod wellformed;
mod writer;

pub use any::AnyElement;
pub use check::{FacetError, Pattern, Validate};
pub use collection::{Collection, ElementName};
pub use drift::{Drift, DriftEntry, DriftKind};
pub use encoding::{DecodeError, decode_document};
pub use limits::{Limit, Limits};
pub use names::NamespaceScope;
pub use reader::{
    Attributes, BytesStart, Children, ChoiceElement, ExpandedName, FromXml, HeadedReader,
    HeadedSource, IoSource, ReadError, ReadErrorKind, XmlReader, XmlSource, from_reader,
    from_reader_with, read_document, read_document_with, read_document_with_drift,
};
pub use text::{TextError, WhiteSpace, XmlText};
pub use unknown::{Unknown, UnknownElement};
pub use value::XmlValue;
pub use writer::{ToXml, XmlWriter, write_document};

/// A type that is the content of a global element, so it can be a whole document.
pub trait RootElement {
    /// The document element's name.
    const ROOT: &'static str;
    /// The element's namespace (the schema's `targetNamespace`), if any.
    const NAMESPACE: Option<&'static str> = None;
    /// Whether local elements are namespace-qualified (`elementFormDefault="qualified"`): the namespace is then
    /// declared as the default one; otherwise only the document element is prefixed.
    const QUALIFIED: bool = true;
    /// The prefixes (and namespaces) generated types write namespace-qualified attributes with, such as
    /// `("xsi", "http://www.w3.org/2001/XMLSchema-instance")`: the document element declares those that the
    /// document uses.
    const PREFIXES: &'static [(&'static str, &'static str)] = &[];
}

/// Declares on the document element of `out` (a written document, whose root name is `root`) each of `prefixes`
/// that the document uses and does not declare there already.
pub(crate) fn declare_prefixes(out: &mut String, root: &str, prefixes: &[(&str, &str)]) {
    let at = 1 + root.len();
    let root_tag_end = out.find('>').unwrap_or(out.len());
    let mut declarations = String::new();
    for (prefix, uri) in prefixes {
        let used = format!("{prefix}:");
        let declared = format!("xmlns:{prefix}=");
        if out.contains(&used) && !out[..root_tag_end].contains(&declared) {
            declarations.push_str(&format!(
                " xmlns:{prefix}=\"{}\"",
                quick_xml::escape::escape(*uri)
            ));
        }
    }
    if !declarations.is_empty() {
        out.insert_str(at, &declarations);
    }
}

/// The pieces of text, `separator` between each two.
pub(crate) fn joined<S: AsRef<str>>(
    pieces: impl IntoIterator<Item = S>,
    separator: char,
) -> String {
    let mut text = String::new();
    for (i, piece) in pieces.into_iter().enumerate() {
        if i > 0 {
            text.push(separator);
        }
        text.push_str(piece.as_ref());
    }
    text
}

/// Parses a whole document into `T` through the serde mapping. The prolog (comments, processing instructions)
/// is left out but for a document type declaration. quick-xml's deserializer sees local names and the namespace
/// declarations of the element it reads only, so the document is read in a normal form, made in one linear
/// pass (where an element has a prefix or declares a default namespace): every element unprefixed, declaring its
/// namespace as its default one. The occurrences of a repeated
/// element written with two prefixes of one namespace are then one list, and an [`AnyElement`] knows its
/// namespace. Attributes keep their prefixes, which quick-xml leaves out: a qualified `xs:anyAttribute`
/// attribute is keyed by its local name ([`read_document`] keys it `{uri}local`).
///
/// The document is checked first, in one linear pass, to be well-formed (see [`ReadErrorKind`]: end tags
/// match, no attribute twice, nothing after the document element) and within [`Limits::default`]; what is not
/// is a [`SerdeError`] whose [`read_error`](SerdeError::read_error) says what and where.
pub fn from_str<T: serde::de::DeserializeOwned>(xml: &str) -> Result<T, SerdeError> {
    from_str_with(xml, &Limits::default())
}

/// [`from_str`] under `limits`.
pub fn from_str_with<T: serde::de::DeserializeOwned>(
    xml: &str,
    limits: &Limits,
) -> Result<T, SerdeError> {
    let namespaced = wellformed::check_document(xml.as_bytes(), limits)
        .map_err(|e| SerdeError(SerdeErrorInner::Read(e)))?;
    let xml = prolog::strip_prolog(xml);
    let xml = if namespaced {
        Cow::Owned(
            normal_form::normalize(&xml)
                .map_err(|e| SerdeError(SerdeErrorInner::Read(e.locate(xml.as_bytes()))))?,
        )
    } else {
        xml
    };
    quick_xml::de::from_str(&xml).map_err(|e| SerdeError(SerdeErrorInner::De(e)))
}

/// Writes `value` as a document whose root element is `T::ROOT`.
pub fn to_string<T: serde::Serialize + RootElement>(value: &T) -> Result<String, SerdeError> {
    to_string_inner(value).map_err(|e| SerdeError(SerdeErrorInner::Se(e)))
}

fn to_string_inner<T: serde::Serialize + RootElement>(
    value: &T,
) -> Result<String, quick_xml::SeError> {
    let Some(ns) = T::NAMESPACE else {
        let mut out = any::with_default_namespace(None, || {
            quick_xml::se::to_string_with_root(T::ROOT, value)
        })?;
        declare_prefixes(&mut out, T::ROOT, T::PREFIXES);
        return Ok(out);
    };
    let (root, declaration) = if T::QUALIFIED {
        (
            T::ROOT.to_owned(),
            format!(" xmlns=\"{}\"", quick_xml::escape::escape(ns)),
        )
    } else {
        (
            format!("ns0:{}", T::ROOT),
            format!(" xmlns:ns0=\"{}\"", quick_xml::escape::escape(ns)),
        )
    };
    let default = T::QUALIFIED.then_some(ns);
    let mut out =
        any::with_default_namespace(default, || quick_xml::se::to_string_with_root(&root, value))?;
    // The serializer starts the document with `<` and the root name; the declaration goes right after them.
    out.insert_str(1 + root.len(), &declaration);
    declare_prefixes(&mut out, &root, T::PREFIXES);
    Ok(out)
}

/// A document the serde mapping could not read ([`from_str`]) or write ([`to_string`]). Its message is the
/// serde mapping's own, or for a document that is not well-formed or breaks a limit, that of the
/// [`ReadError`] it carries; the serde errors it wraps are not part of the API.
#[derive(Debug)]
pub struct SerdeError(SerdeErrorInner);

#[derive(Debug)]
enum SerdeErrorInner {
    De(quick_xml::DeError),
    Se(quick_xml::SeError),
    Read(ReadError),
}

impl SerdeError {
    /// The error of a document refused before it was mapped: not well-formed, or beyond a limit.
    pub fn read_error(&self) -> Option<&ReadError> {
        match &self.0 {
            SerdeErrorInner::Read(e) => Some(e),
            _ => None,
        }
    }
}

impl std::fmt::Display for SerdeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            SerdeErrorInner::De(e) => std::fmt::Display::fmt(e, f),
            SerdeErrorInner::Se(e) => std::fmt::Display::fmt(e, f),
            SerdeErrorInner::Read(e) => std::fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for SerdeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            SerdeErrorInner::De(e) => e.source(),
            SerdeErrorInner::Se(e) => e.source(),
            SerdeErrorInner::Read(e) => Some(e),
        }
    }
}

/// The rest of a generated enumeration, built on its inherent `as_str` and its `FromStr` (which keeps a value the
/// schema does not list in the variant `$other(String)`): `is_known`, `Display`, [`XmlText`] as the XSD type
/// `$xsd`, [`Validate`] (an unlisted value breaks the enumeration facet), [`ElementName`](crate::ElementName) and
/// serde through the text.
#[doc(hidden)]
#[macro_export]
macro_rules! xml_enum {
    ($ty:ident, $other:ident, $xsd:literal) => {
        impl $ty {
            /// Whether the schema lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$other(_))
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::XmlText for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml_text(
                text: &str,
            ) -> ::core::result::Result<Self, $crate::__private::TextError> {
                let ::core::result::Result::Ok(value) =
                    <Self as ::core::str::FromStr>::from_str(text);
                ::core::result::Result::Ok(value)
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            #[inline(always)]
            fn unlisted(&self) -> ::core::option::Option<&str> {
                match self {
                    Self::$other(value) => ::core::option::Option::Some(value),
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $crate::__private::Validate for $ty {
            fn validate(&self) -> ::core::result::Result<(), $crate::__private::FacetError> {
                match self {
                    Self::$other(value) => ::core::result::Result::Err(
                        $crate::__private::FacetError::new($xsd, "enumeration", value),
                    ),
                    _ => ::core::result::Result::Ok(()),
                }
            }
        }

        impl $crate::__private::ElementName for $ty {
            const ELEMENT: &'static str = $xsd;
        }

        $crate::__private::xml_text_serde!($ty);
    };
}

/// Implements `Serialize` and `Deserialize` for an [`XmlText`] type through its text form.
#[doc(hidden)]
#[macro_export]
macro_rules! xml_text_serde {
    ($ty:ty) => {
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serde_text::req::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::serde_text::req::deserialize(deserializer)
            }
        }

        $crate::__private::xml_value_via_text!($ty);
    };
}
