//! `#[serde(with = ...)]` adapters for leaf fields of generated types.
//!
//! quick-xml's serde mapping hands over text as it stands in the document: CDATA with the newlines around it,
//! `<count/>` as an empty string, `" 1 "` untrimmed. These adapters read every leaf as a string, trim it (or, for a
//! string of the plain mapping, normalize it by its `whiteSpace` facet: `preserve`, `replace`, `collapse`), treat
//! an empty element of a type with no empty form as absent, and parse it through [`XmlText`], so the serde path
//! and the event reader agree value for value. On write they emit the XSD lexical form, as a number or boolean
//! where the type is one ([`XmlText::serialize_text`]): the same text in XML, typed values in JSON.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

use super::XmlText;

fn parse<T: XmlText, E: serde::de::Error>(text: &str) -> Result<Option<T>, E> {
    parse_exact(text.trim())
}

fn parse_exact<T: XmlText, E: serde::de::Error>(text: &str) -> Result<Option<T>, E> {
    if text.is_empty() && T::empty_is_absent() {
        return Ok(None);
    }
    T::from_xml_text(text).map(Some).map_err(E::custom)
}

/// `serialize_in::<N, _, _>` in an adapter module: the module's `serialize`, writing the element in namespace `N`
/// (what generated code names in `serialize_with` for an element of a namespaced schema).
macro_rules! in_namespace {
    ($value:ty, $bound:ident) => {
        /// `serialize`, writing the element in namespace `N` (see [`crate::xml::derived::serialize_in`]).
        pub fn serialize_in<N: crate::xml::derived::Namespace, T: $bound, S: Serializer>(
            value: &$value,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            crate::xml::derived::serialize_element_in(N::URI, serializer, |serializer| {
                serialize(value, serializer)
            })
        }
    };
}
pub(crate) use in_namespace;

/// A required leaf (`minOccurs="1"` element, `use="required"` attribute, or simple content).
pub mod req {
    super::in_namespace!(T, XmlText);
    use super::*;

    /// Writes the value's XSD lexical form.
    pub fn serialize<T: XmlText, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize_text(serializer)
    }

    /// Reads trimmed text; an empty element of a type with no empty form is an error here.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text)?.ok_or_else(|| D::Error::custom(format!("empty {} value", T::XSD_TYPE)))
    }
}

/// A required leaf element declared `nillable="true"`: `None` reads from and writes as `xsi:nil="true"`.
/// Pair with `default`.
pub mod nil {
    super::in_namespace!(Option<T>, XmlText);
    use super::*;

    /// Writes the value's XSD lexical form, or an empty element with `xsi:nil="true"` for `None`.
    pub fn serialize<T: XmlText, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize_text(serializer),
            None => write_nil(serializer),
        }
    }

    /// Reads like [`super::opt`]; quick-xml reads an element with `xsi:nil="true"` as `None`.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        super::opt::deserialize(deserializer)
    }
}

/// An empty element with `xsi:nil="true"`.
fn write_nil<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut nil = serializer.serialize_struct("nil", 2)?;
    nil.serialize_field("@xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")?;
    nil.serialize_field("@xsi:nil", "true")?;
    nil.end()
}

/// A required element of a complex type declared `nillable="true"`: `None` reads from and writes as
/// `xsi:nil="true"`. Pair with `default`.
pub mod nil_element {
    super::in_namespace!(Option<T>, Serialize);
    use serde::Serialize;

    use super::*;

    /// Writes the value, or an empty element with `xsi:nil="true"` for `None`.
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize(serializer),
            None => write_nil(serializer),
        }
    }

    /// Reads the value; quick-xml reads an element with `xsi:nil="true"` as `None`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<T>::deserialize(deserializer)
    }
}

/// An optional leaf. Pair with `default` and `skip_serializing_if = "Option::is_none"`.
pub mod opt {
    super::in_namespace!(Option<T>, XmlText);
    use super::*;

    /// Writes the value's XSD lexical form (absent values are skipped by the field attribute).
    pub fn serialize<T: XmlText, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize_text(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads trimmed text; an empty element of a type with no empty form reads as `None`.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => parse(&text),
            None => Ok(None),
        }
    }
}

/// A repeated leaf (`maxOccurs > 1`). Pair with `default` and `skip_serializing_if = "Vec::is_empty"`.
pub mod vec {
    super::in_namespace!([T], XmlText);
    use super::*;

    /// Writes one element per value.
    pub fn serialize<T: XmlText, S: Serializer>(
        values: &[T],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(Typed))
    }

    /// Reads every element; empty ones of a type with no empty form are skipped.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        let mut values = Vec::with_capacity(texts.len());
        for text in texts {
            if let Some(value) = parse(&text)? {
                values.push(value);
            }
        }
        Ok(values)
    }
}

/// A leaf value serialized by [`XmlText::serialize_text`].
struct Typed<'a, T>(&'a T);

impl<T: XmlText> serde::Serialize for Typed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_text(serializer)
    }
}

/// A list-typed leaf (`xs:list`): whitespace-separated items in one text node.
pub mod list {
    super::in_namespace!([T], XmlText);
    use super::*;

    /// Writes the items separated by single spaces.
    pub fn serialize<T: XmlText, S: Serializer>(
        values: &[T],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::super::text::list_text(values))
    }

    /// Splits the text on XML whitespace and parses every item.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::super::text::text_list(&text).map_err(D::Error::custom)
    }
}

/// An optional `xs:list` leaf.
pub mod list_opt {
    super::in_namespace!(Option<Vec<T>>, XmlText);
    use super::*;

    /// Writes the items separated by single spaces.
    pub fn serialize<T: XmlText, S: Serializer>(
        values: &Option<Vec<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match values {
            Some(values) => super::list::serialize(values, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Splits the text on XML whitespace and parses every item.
    pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => super::super::text::text_list(&text)
                .map(Some)
                .map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

/// The adapters of string leaves of the plain XSD mapping, whose text follows their type's `whiteSpace` facet
/// instead of being trimmed: `preserve`, `replace` and `collapse`, each with `req`, `opt`, `vec` and `nil` as
/// above. quick-xml's deserializer hands over element text untrimmed; an attribute value comes unescaped but
/// without XML's attribute-value normalization (a literal tab or line feed stays one).
macro_rules! white_space_adapters {
    ($($module:ident => $ws:ident),* $(,)?) => {$(
        #[doc = concat!("String leaves whose type's `whiteSpace` facet is `", stringify!($module), "`.")]
        pub mod $module {
            use serde::{Deserialize, Deserializer, Serializer};
            use serde::de::Error as _;

            use crate::xml::{WhiteSpace, XmlText};

            fn parse<T: XmlText, E: serde::de::Error>(text: &str) -> Result<Option<T>, E> {
                super::parse_exact(&WhiteSpace::$ws.apply(text))
            }

            /// A required leaf.
            pub mod req {
                crate::xml::serde_text::in_namespace!(T, XmlText);
                use super::*;

                /// Writes the value's XSD lexical form.
                pub fn serialize<T: XmlText, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
                    super::super::element_text(&value.to_xml_text(), serializer)
                }

                /// Reads the normalized text; an empty element of a type with no empty form is an error here.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
                    // An element with no text at all is the empty string.
                    let text = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
                    parse(&text)?.ok_or_else(|| D::Error::custom(format!("empty {} value", T::XSD_TYPE)))
                }
            }

            /// An optional leaf.
            pub mod opt {
                crate::xml::serde_text::in_namespace!(Option<T>, XmlText);
                use super::*;

                /// Writes the value's XSD lexical form.
                pub fn serialize<T: XmlText, S: Serializer>(
                    value: &Option<T>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(value) => super::super::element_text(&value.to_xml_text(), serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads the normalized text; an empty element of a type with no empty form reads as `None`.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<T>, D::Error> {
                    match Option::<String>::deserialize(deserializer)? {
                        Some(text) => parse(&text),
                        None => Ok(None),
                    }
                }
            }

            /// A required nillable leaf (see the trimming `nil`).
            pub mod nil {
                crate::xml::serde_text::in_namespace!(Option<T>, XmlText);
                use super::*;

                /// Writes the value, or an empty element with `xsi:nil="true"` for `None`.
                pub fn serialize<T: XmlText, S: Serializer>(
                    value: &Option<T>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(value) => super::super::element_text(&value.to_xml_text(), serializer),
                        None => super::super::write_nil(serializer),
                    }
                }

                /// Reads like `opt`.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<T>, D::Error> {
                    super::opt::deserialize(deserializer)
                }
            }

            /// A required attribute.
            pub mod attribute {
                use super::*;

                /// Writes the value's XSD lexical form; tabs and line ends as character references.
                pub fn serialize<T: XmlText, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
                    super::super::attribute_text(&value.to_xml_text(), serializer)
                }

                /// Reads like `req`.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
                    super::req::deserialize(deserializer)
                }
            }

            /// An optional attribute.
            pub mod attribute_opt {
                use super::*;

                /// Writes the value's XSD lexical form; tabs and line ends as character references.
                pub fn serialize<T: XmlText, S: Serializer>(
                    value: &Option<T>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(value) => super::super::attribute_text(&value.to_xml_text(), serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads like `opt`.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<T>, D::Error> {
                    super::opt::deserialize(deserializer)
                }
            }

            /// A repeated leaf.
            pub mod vec {
                crate::xml::serde_text::in_namespace!([T], XmlText);
                use super::*;

                /// Writes one element per value.
                pub fn serialize<T: XmlText, S: Serializer>(values: &[T], serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.collect_seq(values.iter().map(|value| super::super::ElementText(value.to_xml_text())))
                }

                /// Reads every element; empty ones of a type with no empty form are skipped.
                pub fn deserialize<'de, T: XmlText, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Vec<T>, D::Error> {
                    let texts = Vec::<String>::deserialize(deserializer)?;
                    let mut values = Vec::with_capacity(texts.len());
                    for text in texts {
                        if let Some(value) = parse(&text)? {
                            values.push(value);
                        }
                    }
                    Ok(values)
                }
            }
        }
    )*};
}

white_space_adapters!(preserve => Preserve, replace => Replace, collapse => Collapse);

/// Writes element text that reads back as it is. quick-xml writes a carriage return literally, which XML reads as
/// a line feed; such a text is written as an `xs:list` of one item under `$text` instead, whose item quick-xml
/// escapes whitespace and all (`&#13;`, `&#32;`).
fn element_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    if !text.contains('\r') {
        return serializer.serialize_str(text);
    }
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry("$text", &[text])?;
    map.end()
}

/// One element's text, written by [`element_text`].
struct ElementText<'a>(std::borrow::Cow<'a, str>);

impl serde::Serialize for ElementText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        element_text(&self.0, serializer)
    }
}

/// Writes an attribute value that reads back as it is: quick-xml writes tabs and line ends literally, which XML's
/// attribute-value normalization reads as spaces; such a value is written as an `xs:list` of one item, whose
/// item quick-xml escapes whitespace and all (`&#9;`, `&#10;`, `&#32;`).
fn attribute_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if text.contains(['\t', '\n', '\r']) {
        serializer.collect_seq([text])
    } else {
        serializer.serialize_str(text)
    }
}

/// The attributes an `xs:anyAttribute` lets through, as `(name, value)` pairs in document order. Pair with
/// `flatten`: the struct's own fields take their attributes and elements first; of what is left, the attributes
/// (`@name` keys) are kept here and the elements are skipped, as unknown elements are elsewhere.
pub mod any_attributes {
    use std::fmt;

    use serde::de::{IgnoredAny, MapAccess, Visitor};
    use serde::ser::SerializeMap;

    use super::*;

    /// Writes each pair as an attribute.
    pub fn serialize<S: Serializer>(
        pairs: &[(String, String)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in crate::xml::any::qualified_attributes(pairs) {
            map.serialize_entry(&format!("@{name}"), value)?;
        }
        map.end()
    }

    /// Keeps the attributes among the fields the struct did not claim.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, String)>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("attributes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.strip_prefix('@') {
                        // Namespace declarations belong to the document, not the value (as in the event reader).
                        Some(name) if name != "xmlns" && !name.starts_with("xmlns:") => {
                            pairs.push((name.to_owned(), map.next_value::<String>()?));
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(pairs)
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}
