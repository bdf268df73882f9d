//! `xsi:type` on the serde path: the helpers of the `Serialize` and `Deserialize` implementations generated for a
//! type with derived types (an enum over the type and the types derived from it).
//!
//! quick-xml's serde mapping knows no namespaces and gives no way to choose a type by an attribute before the
//! content is read, so the element is read as it came (an [`AnyElement`]), the variant is chosen by its
//! `xsi:type`, and the element is read again as that variant's type. An `xsi:type` prefix is resolved through
//! the namespace declarations of the element itself; where the prefix is declared on an ancestor, or the name
//! has none (the document is read in a normal form that changes the default namespace, see
//! [`super::from_str`]), the name is matched by its local name alone. The event reader ([`super::read_document`]) resolves it through every
//! declaration in scope.

use serde::de::{self, DeserializeOwned};
use serde::ser::{self, Serialize, Serializer};
use serde::{Deserialize, Deserializer};

use super::AnyElement;
use super::any::{Content, ContentRef};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An element read as it came, with the type its `xsi:type` names.
pub struct TypedElement {
    /// The element, without its `xsi:*` attributes and namespace declarations.
    element: AnyElement,
    /// The `xsi:type` value as written.
    qname: Option<String>,
    /// Its namespace: `Some(None)` for no namespace, `None` where its prefix is declared on an ancestor.
    namespace: Option<Option<String>>,
    /// Its local name.
    local: Option<String>,
}

impl TypedElement {
    /// Reads the element. quick-xml gives attributes by their local names, so `xsi:type` is the attribute
    /// `type` (also kept among the attributes, for a type that has an attribute of that name).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let content = Content::deserialize(deserializer)?;
        let bindings: Vec<(&str, &str)> = content
            .bindings
            .iter()
            .map(|(prefix, uri)| (prefix.as_str(), uri.as_str()))
            .collect();
        let mut qname = None;
        for (key, value) in &content.attributes {
            if key == "type" || key == "xsi:type" {
                qname = Some(value.trim().to_owned());
            }
        }
        let (namespace, local) = match &qname {
            None => (None, None),
            Some(qname) => {
                // An unprefixed name is in the default namespace in scope in the document, which is not the
                // one the serde path reads: that declares each element's own namespace as its default one.
                let namespace = match qname.split_once(':') {
                    None => None,
                    Some((prefix, _)) => bindings
                        .iter()
                        .find(|(p, _)| *p == prefix)
                        .map(|(_, ns)| (!ns.is_empty()).then(|| (*ns).to_owned())),
                };
                let local = qname.split_once(':').map_or(qname.as_str(), |(_, l)| l);
                (namespace, Some(local.to_owned()))
            }
        };
        let attributes = content
            .attributes
            .into_iter()
            .filter(|(key, _)| key != "xmlns" && !key.starts_with("xmlns:"))
            .collect();
        let mut element = Content {
            attributes,
            ..content
        }
        .named(String::new());
        element.name = "element".to_owned();
        Ok(TypedElement {
            element,
            qname,
            namespace,
            local,
        })
    }

    /// Whether the element has an `xsi:type`.
    pub fn has_type(&self) -> bool {
        self.qname.is_some()
    }

    /// Whether its `xsi:type` names the type `local` in `namespace`.
    pub fn is(&self, namespace: Option<&str>, local: &str) -> bool {
        self.local.as_deref() == Some(local)
            && self
                .namespace
                .as_ref()
                .is_none_or(|ns| ns.as_deref() == namespace)
    }

    /// Reads the element as a `T`.
    pub fn read<T: DeserializeOwned, E: de::Error>(&self) -> Result<T, E> {
        let xml = quick_xml::se::to_string_with_root("element", &ContentRef(&self.element))
            .map_err(E::custom)?;
        quick_xml::de::from_str(&xml).map_err(E::custom)
    }

    /// The error for an `xsi:type` (or its absence) that the declared type `declared` does not allow.
    pub fn unknown<E: de::Error>(&self, declared: &str) -> E {
        match &self.qname {
            Some(qname) => E::custom(format!(
                "xsi:type `{qname}` is not `{declared}` or a type derived from it"
            )),
            None => E::custom(format!(
                "element of abstract type `{declared}` needs an xsi:type naming a type derived from it"
            )),
        }
    }
}

/// Writes `value` with an `xsi:type` naming its type, `local` in `namespace` (declaring the prefixes it uses, as
/// the direct writer does).
pub fn serialize_typed<T: Serialize, S: Serializer>(
    value: &T,
    namespace: Option<&'static str>,
    local: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut attributes = vec![("@xmlns:xsi", XSI.to_owned())];
    match namespace {
        Some(namespace) => {
            attributes.push(("@xmlns:xt", namespace.to_owned()));
            attributes.push(("@xsi:type", format!("xt:{local}")));
        }
        None => attributes.push(("@xsi:type", local.to_owned())),
    }
    value.serialize(WithAttributes {
        inner: serializer,
        attributes,
    })
}

/// Writes an element of the serde mapping in its namespace `namespace` (`None`: no namespace): `write` gets the
/// element's serializer, which declares `namespace` as the default one on the element (`xmlns=""` for none) where
/// it is not the one in scope, and then keeps it in scope for the element's content. A repeated field declares it
/// on each of its elements. The counterpart of the direct writer's `XmlWriter::in_namespace`.
pub fn serialize_element_in<S: Serializer>(
    namespace: Option<&'static str>,
    serializer: S,
    write: impl FnOnce(WithAttributes<S>) -> Result<S::Ok, S::Error>,
) -> Result<S::Ok, S::Error> {
    if super::any::default_namespace_is(namespace) {
        return write(WithAttributes {
            inner: serializer,
            attributes: Vec::new(),
        });
    }
    let attributes = vec![("@xmlns", namespace.unwrap_or("").to_owned())];
    super::any::with_default_namespace(namespace, || {
        write(WithAttributes {
            inner: serializer,
            attributes,
        })
    })
}

/// A namespace as a type, for the serde attributes of generated code (`serialize_with =
/// "rt::serialize_in::<Ns1A2B3C, _, _>"`): a generated module declares one such type for each namespace its
/// elements are written in.
pub trait Namespace {
    /// The namespace's URI, `None` for no namespace.
    const URI: Option<&'static str>;
}

/// Writes `value` through its own `Serialize` as an element in namespace `N` (see [`serialize_element_in`]).
pub fn serialize_in<N: Namespace, T: serde::Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_element_in(N::URI, serializer, |serializer| value.serialize(serializer))
}

/// A serializer that writes `attributes` first in the struct (or map) it is given: the element's attributes in
/// quick-xml's mapping; text becomes the `$text` of such a struct, and each item of a sequence (a repeated
/// element) gets them too. Everything else goes to `inner` unchanged.
pub struct WithAttributes<S> {
    inner: S,
    attributes: Vec<(&'static str, String)>,
}

/// The items of a sequence, each written with the attributes.
pub struct WithAttributesSeq<S> {
    inner: S,
    attributes: Vec<(&'static str, String)>,
}

impl<S: ser::SerializeSeq> ser::SerializeSeq for WithAttributesSeq<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), S::Error> {
        self.inner.serialize_element(&Attributed {
            value,
            attributes: &self.attributes,
        })
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// A value written with attributes.
struct Attributed<'a, T: ?Sized> {
    value: &'a T,
    attributes: &'a [(&'static str, String)],
}

impl<T: ?Sized + Serialize> Serialize for Attributed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(WithAttributes {
            inner: serializer,
            attributes: self.attributes.to_vec(),
        })
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<$out, S::Error> {
            self.inner.$method($($arg),*)
        }
    )*};
}

/// A scalar: as it is without attributes, else as the `$text` of a struct holding them first.
macro_rules! scalar {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            if self.attributes.is_empty() {
                return self.inner.$method(v);
            }
            use ser::SerializeStruct;
            let mut out = self.inner.serialize_struct("", self.attributes.len() + 1)?;
            for (key, value) in &self.attributes {
                out.serialize_field(key, value)?;
            }
            out.serialize_field("$text", &v)?;
            out.end()
        }
    )*};
}

impl<S: Serializer> Serializer for WithAttributes<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = WithAttributesSeq<S::SerializeSeq>;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = S::SerializeStructVariant;

    // Numbers and booleans (leaves written by `XmlText::serialize_text`) are text like a string.
    scalar! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
    }

    forward! {
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize)
            -> S::SerializeTupleVariant;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize)
            -> S::SerializeStructVariant;
    }

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        if self.attributes.is_empty() {
            return self.inner.serialize_str(v);
        }
        use ser::SerializeStruct;
        let mut out = self.inner.serialize_struct("", self.attributes.len() + 1)?;
        for (key, value) in &self.attributes {
            out.serialize_field(key, value)?;
        }
        out.serialize_field("$text", v)?;
        out.end()
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(WithAttributesSeq {
            inner: self.inner.serialize_seq(len)?,
            attributes: self.attributes,
        })
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        use ser::SerializeMap;
        let mut map = self
            .inner
            .serialize_map(len.map(|n| n + self.attributes.len()))?;
        for (key, value) in &self.attributes {
            map.serialize_entry(key, value)?;
        }
        Ok(map)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        use ser::SerializeStruct;
        let mut out = self
            .inner
            .serialize_struct(name, len + self.attributes.len())?;
        for (key, value) in &self.attributes {
            out.serialize_field(key, value)?;
        }
        Ok(out)
    }
}
