use std::fmt;

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
struct Content {
    attributes: Vec<(String, String)>,
    text: Option<String>,
    children: Vec<AnyElement>,
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
                        out.attributes.push((attr.to_owned(), map.next_value::<String>()?));
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
                Ok(Content { text: (!text.is_empty()).then(|| text.to_owned()), ..Content::default() })
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
    fn named(self, name: String) -> AnyElement {
        AnyElement { name, attributes: self.attributes, text: self.text, children: self.children }
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

struct ContentRef<'a>(&'a AnyElement);

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
    /// Written as a one-entry map, which quick-xml renders as `<name>content</name>`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&self.name, &ContentRef(self))?;
        map.end()
    }
}
