//! Content the schema does not know, kept by the types generated with `keep_unknown` (see the codegen's
//! `Builder::keep_unknown`): the unknown attributes and child elements of an element, as generic XML, each child
//! with its place among the known ones, so that the writers put it back where it was.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serializer};

use super::AnyElement;
use super::any::{Content, ContentRef, qualified_attributes, settle};

/// The attributes and child elements of an element that its type does not declare, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown {
    /// Attributes, as [`AnyElement::attributes`] holds them (`{uri}local` for a namespace-qualified one).
    pub attributes: Vec<(String, String)>,
    /// Child elements, in document order.
    pub elements: Vec<UnknownElement>,
}

/// A child element kept by [`Unknown`], and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownElement {
    /// How many known child elements came before it in its parent; the writers put it back before the known
    /// child with that index (after all of them when there are fewer, as for one read through serde, which
    /// does not know the place: [`usize::MAX`]).
    pub before: usize,
    /// The element.
    pub element: AnyElement,
}

impl Unknown {
    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty() && self.elements.is_empty()
    }
}

/// Writes the kept attributes (`@name`) and elements (by name) as entries of the struct they are flattened into:
/// quick-xml writes them as attributes and child elements (the elements after the known ones), JSON as keys.
fn serialize_entries<S: Serializer>(
    unknown: &Unknown,
    attributes: bool,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if attributes {
        for (name, value) in qualified_attributes(&unknown.attributes) {
            map.serialize_entry(&format!("@{name}"), value)?;
        }
    }
    for kept in &unknown.elements {
        map.serialize_entry(&kept.element.name, &ContentRef(&kept.element))?;
    }
    map.end()
}

/// Reads what the struct's own fields did not claim: `@` keys as attributes (with `attributes`; namespace
/// declarations left out), the others as elements (after every known child).
fn deserialize_entries<'de, D: Deserializer<'de>>(
    deserializer: D,
    attributes: bool,
) -> Result<Unknown, D::Error> {
    struct Entries(bool);
    impl<'de> Visitor<'de> for Entries {
        type Value = Unknown;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("unknown attributes and elements")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unknown, A::Error> {
            let mut out = Unknown::default();
            while let Some(key) = map.next_key::<String>()? {
                match key.strip_prefix('@') {
                    Some(name) => {
                        let value = map.next_value::<String>()?;
                        let binding = name == "xmlns" || name.starts_with("xmlns:");
                        if self.0 && !binding {
                            out.attributes.push((name.to_owned(), value));
                        }
                    }
                    None => {
                        let content = map.next_value::<Content>()?;
                        out.elements.push(UnknownElement {
                            before: usize::MAX,
                            element: settle(content.named(key)),
                        });
                    }
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Entries(attributes))
}

/// `#[serde(flatten, with = ...)]` adapter of a kept-content field: attributes and elements.
pub mod entries {
    use super::*;

    /// Writes the kept attributes as `@name` entries and the kept elements as entries named after them.
    pub fn serialize<S: Serializer>(unknown: &Unknown, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries(unknown, true, serializer)
    }

    /// Reads the entries the struct did not claim: `@` ones as attributes, the others as elements.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Unknown, D::Error> {
        deserialize_entries(deserializer, true)
    }
}

/// The same adapter for a struct whose `xs:anyAttribute` field takes the attributes: elements only.
pub mod elements {
    use super::*;

    /// Writes the kept elements as entries named after them.
    pub fn serialize<S: Serializer>(unknown: &Unknown, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries(unknown, false, serializer)
    }

    /// Reads the entries the struct did not claim, other than attributes, as elements.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Unknown, D::Error> {
        deserialize_entries(deserializer, false)
    }
}
