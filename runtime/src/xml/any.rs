use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;

use serde::de::{self, EnumAccess, MapAccess, VariantAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An element kept as it came: what `xs:any` and `xs:anyType` match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnyElement {
    /// Local name.
    pub name: String,
    /// Attributes, in document order.
    pub attributes: Vec<(String, String)>,
    /// Text content (trimmed), if any.
    pub text: Option<String>,
    /// Child elements, in document order.
    pub children: Vec<AnyElement>,
}

/// The content of an element: attributes, text and children, without the name.
#[derive(Default)]
pub(crate) struct Content {
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) text: Option<String>,
    pub(crate) children: Vec<AnyElement>,
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;
        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = Content;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any XML element content")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Content, A::Error> {
                let mut out = Content::default();
                while let Some(key) = map.next_key::<String>()? {
                    if let Some(attr) = key.strip_prefix('@') {
                        out.attributes
                            .push((attr.to_owned(), map.next_value::<String>()?));
                    } else if key == "$text" || key == "$value" {
                        let text = map.next_value::<String>()?;
                        let text = text.trim();
                        if !text.is_empty() {
                            out.text.get_or_insert_with(String::new).push_str(text);
                        }
                    } else {
                        let content = map.next_value::<Content>()?;
                        out.children.push(content.named(key));
                    }
                }
                Ok(out)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Content, E> {
                let text = text.trim();
                Ok(Content {
                    text: (!text.is_empty()).then(|| text.to_owned()),
                    ..Content::default()
                })
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Content, E> {
                self.visit_str(&text)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Content, E> {
                Ok(Content::default())
            }
        }
        deserializer.deserialize_map(ContentVisitor)
    }
}

impl Content {
    pub(crate) fn named(self, name: String) -> AnyElement {
        AnyElement {
            name,
            attributes: self.attributes,
            text: self.text,
            children: self.children,
        }
    }
}

impl<'de> Deserialize<'de> for AnyElement {
    /// In a `$value` position quick-xml presents each element as an enum variant named after the tag.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = AnyElement;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any XML element")
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<AnyElement, A::Error> {
                let (name, variant) = data.variant::<String>()?;
                Ok(variant.newtype_variant::<Content>()?.named(name))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnyElement, A::Error> {
                let content = ContentVisitor2.visit_map(map)?;
                Ok(content.named(String::new()))
            }
        }
        struct ContentVisitor2;
        impl ContentVisitor2 {
            fn visit_map<'de, A: MapAccess<'de>>(self, map: A) -> Result<Content, A::Error> {
                Content::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_enum("AnyElement", &[], ElementVisitor)
    }
}

pub(crate) struct ContentRef<'a>(pub(crate) &'a AnyElement);

impl Serialize for ContentRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in &e.attributes {
            map.serialize_entry(&format!("@{name}"), value)?;
        }
        if let Some(text) = &e.text {
            map.serialize_entry("$text", text)?;
        }
        for child in &e.children {
            map.serialize_entry(&child.name, &ContentRef(child))?;
        }
        map.end()
    }
}

impl Serialize for AnyElement {
    /// Written as an enum variant named after the element, which quick-xml renders as `<name>content</name>` in
    /// a `$value` position (where `xs:any` elements stand).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_variant("AnyElement", 0, intern(&self.name), &ContentRef(self))
    }
}

/// serde wants variant names as `&'static str`; element names are interned once each (the set of distinct names
/// a program writes is small and bounded by its schemas and data).
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// `#[serde(with = ...)]` adapters for an element whose type is `xs:anyType` (the field names the element, so
/// only its content is read and written; [`AnyElement::name`] is left empty on read and ignored on write).
pub mod content {
    use super::*;

    /// Writes the attributes, text and children of `value` as the field element's content.
    pub fn serialize<S: Serializer>(value: &AnyElement, serializer: S) -> Result<S::Ok, S::Error> {
        ContentRef(value).serialize(serializer)
    }

    /// Reads the field element's content.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<AnyElement, D::Error> {
        Ok(Content::deserialize(deserializer)?.named(String::new()))
    }

    /// The same for an optional element.
    pub mod opt {
        use super::*;

        /// Writes the content when present.
        pub fn serialize<S: Serializer>(
            value: &Option<AnyElement>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.serialize_some(&ContentRef(value)),
                None => serializer.serialize_none(),
            }
        }

        /// Reads the content when the element is present.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<AnyElement>, D::Error> {
            Ok(Option::<Content>::deserialize(deserializer)?.map(|c| c.named(String::new())))
        }
    }

    /// The same for a repeated element.
    pub mod vec {
        use super::*;

        /// Writes one element per value.
        pub fn serialize<S: Serializer>(
            values: &[AnyElement],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(values.iter().map(ContentRef))
        }

        /// Reads every element.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<AnyElement>, D::Error> {
            Ok(Vec::<Content>::deserialize(deserializer)?
                .into_iter()
                .map(|c| c.named(String::new()))
                .collect())
        }
    }
}
