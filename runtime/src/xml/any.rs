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
    /// The element's namespace, if it is in one. The event reader resolves it from the element's prefix or the
    /// default namespace; the serde mapping sees only a default namespace declared on the element or a wildcard
    /// ancestor, which [`from_str`](super::from_str) makes so by reading the document in a normal form where
    /// every element declares its own.
    pub namespace: Option<String>,
    /// Attributes, in document order: a namespace-qualified one keyed `{uri}local` (Clark notation), `xml:lang`
    /// and the like as written, the others by local name. Namespace declarations are not attributes. The serde
    /// mapping sees attributes by local name only, so it keys a qualified one by its local name.
    pub attributes: Vec<(String, String)>,
    /// Text content (trimmed), if any.
    pub text: Option<String>,
    /// Child elements, in document order.
    pub children: Vec<AnyElement>,
}

/// The content of an element: attributes, text and children, without the name.
#[derive(Default)]
pub(crate) struct Content {
    pub(crate) namespace: Option<String>,
    /// Whether the element declared its default namespace (otherwise it is its parent's).
    pub(crate) declared: bool,
    /// The namespace declarations on the element (prefix, empty for the default namespace; URI).
    pub(crate) bindings: Vec<(String, String)>,
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
                        let value = map.next_value::<String>()?;
                        // quick-xml names attributes by local name; of the namespace declarations, only the
                        // element's own default namespace says what it is in.
                        if attr == "xmlns" {
                            out.bindings.push((String::new(), value.clone()));
                            out.namespace = (!value.is_empty()).then_some(value);
                            out.declared = true;
                        } else if let Some(prefix) = attr.strip_prefix("xmlns:") {
                            out.bindings.push((prefix.to_owned(), value));
                        } else {
                            out.attributes.push((attr.to_owned(), value));
                        }
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
                if out.declared {
                    for child in &mut out.children {
                        inherit(child, &out.namespace);
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

/// Marks an element serde read without a default namespace declaration of its own, until an ancestor that
/// declares one is found (quick-xml gives names without prefixes, so this is all serde can know).
const INHERITED: &str = "\0inherited";

/// Gives `element` and its descendants that declared no default namespace the namespace `namespace`.
fn inherit(element: &mut AnyElement, namespace: &Option<String>) {
    if element.namespace.as_deref() == Some(INHERITED) {
        element.namespace.clone_from(namespace);
        for child in &mut element.children {
            inherit(child, namespace);
        }
    }
}

/// Resolves what is still inherited at the top of wildcard content: no namespace serde knows of.
pub(crate) fn settle(mut element: AnyElement) -> AnyElement {
    inherit(&mut element, &None);
    element
}

impl Content {
    pub(crate) fn named(self, name: String) -> AnyElement {
        AnyElement {
            name,
            namespace: if self.declared {
                self.namespace
            } else {
                Some(INHERITED.to_owned())
            },
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
                Ok(settle(variant.newtype_variant::<Content>()?.named(name)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnyElement, A::Error> {
                let content = ContentVisitor2.visit_map(map)?;
                Ok(settle(content.named(String::new())))
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

thread_local! {
    /// The default namespace in scope where the serde mapping writes an `AnyElement` (set by `to_string` for the
    /// document, and by each element that declares another for its content).
    static DEFAULT_NAMESPACE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `write` with `namespace` as the default namespace in scope for the elements it writes.
pub(crate) fn with_default_namespace<R>(namespace: Option<&str>, write: impl FnOnce() -> R) -> R {
    let before = DEFAULT_NAMESPACE.with(|ns| ns.replace(namespace.map(str::to_owned)));
    let result = write();
    DEFAULT_NAMESPACE.with(|ns| *ns.borrow_mut() = before);
    result
}

/// Whether `namespace` is the default namespace in scope where the serde mapping writes.
pub(crate) fn default_namespace_is(namespace: Option<&str>) -> bool {
    DEFAULT_NAMESPACE.with(|ns| ns.borrow().as_deref() == namespace)
}

/// Splits an attribute key in Clark notation (`{uri}local`) into its namespace and local name.
pub(crate) fn split_clark(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix('{')?;
    rest.split_once('}')
}

/// The declarations and prefixed names for the namespace-qualified attributes of an element: each namespace
/// gets the prefix `ns1`, `ns2`, ... on the element itself (its names are local to it, so no other can clash).
pub(crate) fn qualified_attributes(attributes: &[(String, String)]) -> Vec<(String, &str)> {
    let mut namespaces: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (key, value) in attributes {
        match split_clark(key) {
            Some((uri, local)) => {
                let index = match namespaces.iter().position(|n| *n == uri) {
                    Some(i) => i,
                    None => {
                        namespaces.push(uri);
                        out.push((format!("xmlns:{}", prefix_for(uri, namespaces.len())), uri));
                        namespaces.len() - 1
                    }
                };
                out.push((
                    format!("{}:{local}", prefix_for(uri, index + 1)),
                    value.as_str(),
                ));
            }
            None => out.push((key.clone(), value.as_str())),
        }
    }
    out
}

/// The prefix written for namespace number `n` of an element's attributes (`xsi` for XML Schema instance).
fn prefix_for(uri: &str, n: usize) -> String {
    if uri == "http://www.w3.org/2001/XMLSchema-instance" {
        "xsi".to_owned()
    } else {
        format!("ns{n}")
    }
}

impl Serialize for ContentRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut map = serializer.serialize_map(None)?;
        let in_scope = DEFAULT_NAMESPACE.with(|ns| ns.borrow().clone());
        // An element named by its field (`xs:anyType` content) has no name, and is in the field's namespace.
        let redeclare = !e.name.is_empty() && e.namespace != in_scope;
        if redeclare {
            map.serialize_entry("@xmlns", e.namespace.as_deref().unwrap_or(""))?;
        }
        for (name, value) in qualified_attributes(&e.attributes) {
            map.serialize_entry(&format!("@{name}"), value)?;
        }
        if let Some(text) = &e.text {
            map.serialize_entry("$text", text)?;
        }
        let children = |map: &mut S::SerializeMap| {
            for child in &e.children {
                map.serialize_entry(&child.name, &ContentRef(child))?;
            }
            Ok(())
        };
        if redeclare {
            with_default_namespace(e.namespace.as_deref(), || children(&mut map))?;
        } else {
            children(&mut map)?;
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
        Ok(settle(
            Content::deserialize(deserializer)?.named(String::new()),
        ))
    }

    /// Reads the content of an alternative of a choice, element `name` (the event reader names it too).
    pub fn deserialize_named<'de, D: Deserializer<'de>>(
        deserializer: D,
        name: &str,
    ) -> Result<AnyElement, D::Error> {
        Ok(settle(
            Content::deserialize(deserializer)?.named(name.to_owned()),
        ))
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
            Ok(Option::<Content>::deserialize(deserializer)?
                .map(|c| settle(c.named(String::new()))))
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
                .map(|c| settle(c.named(String::new())))
                .collect())
        }
    }
}

/// A list item enum (a choice, a repeated particle's content) with a variant for the elements `xs:any` matches:
/// serde's derive cannot give one variant every name the others do not take (nor write a variant under the name
/// its value holds), so such a list goes through [`open_list`], which hands the element names the enum knows to
/// its derived impls (the wildcard variant is `#[serde(skip)]`) and the others to [`AnyElement`]'s.
pub trait OpenChoice: Sized {
    /// The element names the other variants take (`$text` for the text of mixed content).
    const KNOWN: &'static [&'static str];
    /// The item of an element no other variant names.
    fn any(element: AnyElement) -> Self;
    /// The element of the wildcard variant, if this is one.
    fn as_any(&self) -> Option<&AnyElement>;
    /// Whether this is the text of mixed content (written as `mixed_list` writes it).
    fn is_text(&self) -> bool {
        false
    }
}

/// `#[serde(with = ...)]` of a `$value` list of an [`OpenChoice`] enum: each element by its variant, or as an
/// `xs:any` element when no variant names it.
pub mod open_list {
    use std::marker::PhantomData;

    use serde::de::{DeserializeSeed, IntoDeserializer, SeqAccess};

    use super::*;

    /// Writes the items in order, each wildcard element under its own name.
    pub fn serialize<S, T>(values: &[T], serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: OpenChoice + Serialize,
    {
        crate::xml::mixed::serialize_items(
            values.iter().map(|v| (v.is_text(), Written(v))),
            serializer,
        )
    }

    struct Written<'a, T>(&'a T);

    impl<T: OpenChoice + Serialize> Serialize for Written<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self.0.as_any() {
                Some(element) => element.serialize(serializer),
                None => self.0.serialize(serializer),
            }
        }
    }

    /// Reads the items in document order.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: OpenChoice + Deserialize<'de>,
    {
        deserializer.deserialize_seq(Items(PhantomData))
    }

    struct Items<T>(PhantomData<T>);

    impl<'de, T: OpenChoice + Deserialize<'de>> Visitor<'de> for Items<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of elements")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element_seed(Item(PhantomData))? {
                out.push(item);
            }
            Ok(out)
        }
    }

    struct Item<T>(PhantomData<T>);

    impl<'de, T: OpenChoice + Deserialize<'de>> DeserializeSeed<'de> for Item<T> {
        type Value = T;
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            deserializer.deserialize_enum("", T::KNOWN, self)
        }
    }

    impl<'de, T: OpenChoice + Deserialize<'de>> Visitor<'de> for Item<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an element")
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
            let (name, variant) = data.variant::<String>()?;
            if T::KNOWN.contains(&name.as_str()) {
                T::deserialize(de::value::EnumAccessDeserializer::new(Named {
                    name,
                    variant,
                }))
            } else {
                Ok(T::any(settle(
                    variant.newtype_variant::<Content>()?.named(name),
                )))
            }
        }
    }

    /// A variant whose name was read already: hands it to the enum's derived visitor again.
    struct Named<V> {
        name: String,
        variant: V,
    }

    impl<'de, V: VariantAccess<'de>> EnumAccess<'de> for Named<V> {
        type Error = V::Error;
        type Variant = V;
        fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, V), V::Error> {
            let name: de::value::StringDeserializer<V::Error> = self.name.into_deserializer();
            Ok((seed.deserialize(name)?, self.variant))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::{AnyElement, OpenChoice, open_list};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Item {
        #[serde(rename = "a")]
        A(String),
        #[serde(rename = "$text")]
        Text(String),
        #[serde(skip)]
        Any(AnyElement),
    }

    impl OpenChoice for Item {
        const KNOWN: &'static [&'static str] = &["a", "$text"];
        fn any(element: AnyElement) -> Self {
            Item::Any(element)
        }
        fn as_any(&self) -> Option<&AnyElement> {
            match self {
                Item::Any(element) => Some(element),
                _ => None,
            }
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename = "root")]
    struct Root {
        #[serde(rename = "$value", default, with = "open_list")]
        items: Vec<Item>,
    }

    #[test]
    fn open_list_takes_known_names_by_variant_and_others_as_any_elements() {
        let root: Root =
            quick_xml::de::from_str("<root><a>1</a><x k=\"v\"><y>2</y></x>t<a>3</a></root>")
                .unwrap();
        let x = AnyElement {
            namespace: None,
            name: "x".into(),
            attributes: vec![("k".into(), "v".into())],
            text: None,
            children: vec![AnyElement {
                name: "y".into(),
                text: Some("2".into()),
                ..AnyElement::default()
            }],
        };
        assert_eq!(
            root.items,
            [
                Item::A("1".into()),
                Item::Any(x),
                Item::Text("t".into()),
                Item::A("3".into())
            ]
        );
        // Written in order, the wildcard's element under its own name (without text items, which quick-xml's
        // serializer refuses in a list of elements).
        let root = Root {
            items: root
                .items
                .into_iter()
                .filter(|i| !matches!(i, Item::Text(_)))
                .collect(),
        };
        assert_eq!(
            quick_xml::se::to_string(&root).unwrap(),
            "<root><a>1</a><x k=\"v\"><y>2</y></x><a>3</a></root>"
        );
    }
}
