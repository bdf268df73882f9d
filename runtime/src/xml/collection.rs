use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{XmlText, XmlValue};

/// The XML element name of a collection item.
///
/// Generated types implement it with their XSD type name, which is what Qualys names list items
/// (`<list><Tag>..</Tag></list>`). Where the item element is named otherwise (`<long>` in CWE lists), the
/// generator emits a marker type for the name and uses `Collection<i64, Long>`.
pub trait ElementName {
    /// The item element's local name.
    const ELEMENT: &'static str;
}

/// Qualys's collection wrapper: `<tags><count>2</count><list><Tag/>..</list></tags>` in responses, and
/// `<set>`, `<add>`, `<remove>`, `<update>` in update requests.
///
/// Each part is `None` when its element is absent and `Some` (possibly empty, as in `<list/>`) when present, so a
/// document reads and writes back the same. `T` is the item type, `N` names the item element.
pub struct Collection<T, N: ElementName = T> {
    /// `<count>`: the number of items the server holds (it may send the count without the list).
    pub count: Option<i64>,
    /// `<list>`: the items, in responses.
    pub list: Option<Vec<T>>,
    /// `<set>`: replace the whole collection with these items.
    pub set: Option<Vec<T>>,
    /// `<add>`: add these items.
    pub add: Option<Vec<T>>,
    /// `<remove>`: remove these items.
    pub remove: Option<Vec<T>>,
    /// `<update>`: update these items in place.
    pub update: Option<Vec<T>>,
    name: PhantomData<fn() -> N>,
}

impl<T, N: ElementName> Collection<T, N> {
    /// An empty wrapper (no element inside).
    pub fn new() -> Self {
        Collection {
            count: None,
            list: None,
            set: None,
            add: None,
            remove: None,
            update: None,
            name: PhantomData,
        }
    }

    /// A response-style collection: `<count>n</count><list>..</list>`.
    pub fn listed(items: Vec<T>) -> Self {
        Collection {
            count: Some(items.len() as i64),
            list: Some(items),
            ..Self::new()
        }
    }

    /// An update that replaces the collection: `<set>..</set>`.
    pub fn set(items: impl IntoIterator<Item = T>) -> Self {
        Collection {
            set: Some(items.into_iter().collect()),
            ..Self::new()
        }
    }

    /// An update that adds items: `<add>..</add>`.
    pub fn add(items: impl IntoIterator<Item = T>) -> Self {
        Collection {
            add: Some(items.into_iter().collect()),
            ..Self::new()
        }
    }

    /// An update that removes items: `<remove>..</remove>`.
    pub fn remove(items: impl IntoIterator<Item = T>) -> Self {
        Collection {
            remove: Some(items.into_iter().collect()),
            ..Self::new()
        }
    }

    /// Adds a `<remove>` part to this update (Qualys accepts `add` and `remove` together).
    pub fn and_remove(mut self, items: impl IntoIterator<Item = T>) -> Self {
        self.remove.get_or_insert_with(Vec::new).extend(items);
        self
    }

    /// Adds an `<add>` part to this update.
    pub fn and_add(mut self, items: impl IntoIterator<Item = T>) -> Self {
        self.add.get_or_insert_with(Vec::new).extend(items);
        self
    }

    /// The listed items (`<list>`), empty when the server sent only a count or nothing.
    pub fn items(&self) -> &[T] {
        self.list.as_deref().unwrap_or(&[])
    }

    /// Iterates over the listed items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items().iter()
    }

    /// Consumes the wrapper, keeping the listed items.
    pub fn into_items(self) -> Vec<T> {
        self.list.unwrap_or_default()
    }

    /// The parts (`list`, `set`, `add`, `remove`, `update`) in the schema's order, with their element names.
    pub(crate) fn parts(&self) -> [(&'static str, Option<&Vec<T>>); 5] {
        [
            ("list", self.list.as_ref()),
            ("set", self.set.as_ref()),
            ("add", self.add.as_ref()),
            ("remove", self.remove.as_ref()),
            ("update", self.update.as_ref()),
        ]
    }
}

impl<'a, T, N: ElementName> IntoIterator for &'a Collection<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T, N: ElementName> Default for Collection<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone, N: ElementName> Clone for Collection<T, N> {
    fn clone(&self) -> Self {
        Collection {
            count: self.count,
            list: self.list.clone(),
            set: self.set.clone(),
            add: self.add.clone(),
            remove: self.remove.clone(),
            update: self.update.clone(),
            name: PhantomData,
        }
    }
}

impl<T: PartialEq, N: ElementName> PartialEq for Collection<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.count == other.count
            && self.list == other.list
            && self.set == other.set
            && self.add == other.add
            && self.remove == other.remove
            && self.update == other.update
    }
}

impl<T: fmt::Debug, N: ElementName> fmt::Debug for Collection<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Collection");
        if let Some(count) = self.count {
            out.field("count", &count);
        }
        for (name, items) in self.parts() {
            if let Some(items) = items {
                out.field(name, items);
            }
        }
        out.finish()
    }
}

impl<T: XmlValue, N: ElementName> Serialize for Collection<T, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = self.count.is_some() as usize
            + self.parts().iter().filter(|(_, p)| p.is_some()).count();
        let mut out = serializer.serialize_struct("Collection", present)?;
        if let Some(count) = self.count {
            out.serialize_field("count", &count)?;
        }
        for (name, items) in self.parts() {
            if let Some(items) = items {
                out.serialize_field(
                    name,
                    &Items::<T, N> {
                        items,
                        name: PhantomData,
                    },
                )?;
            }
        }
        out.end()
    }
}

struct Items<'a, T, N> {
    items: &'a [T],
    name: PhantomData<fn() -> N>,
}

/// The items as one field named for the item element holding their sequence: repeated `<Tag>` elements in XML
/// (as for any sequence-valued field), `{"Tag": [...]}` in JSON.
impl<T: XmlValue, N: ElementName> Serialize for Items<'_, T, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Items", 1)?;
        out.serialize_field(N::ELEMENT, &ItemSeq(self.items))?;
        out.end()
    }
}

struct ItemSeq<'a, T>(&'a [T]);

impl<T: XmlValue> Serialize for ItemSeq<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(AsXml))
    }
}

struct AsXml<'a, T>(&'a T);

impl<T: XmlValue> Serialize for AsXml<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_xml(serializer)
    }
}

impl<'de, T: XmlValue, N: ElementName> Deserialize<'de> for Collection<T, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CollectionVisitor<T, N>(PhantomData<fn() -> (T, N)>);

        impl<'de, T: XmlValue, N: ElementName> Visitor<'de> for CollectionVisitor<T, N> {
            type Value = Collection<T, N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a Qualys collection of <{}> items", N::ELEMENT)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Collection::<T, N>::new();
                while let Some(key) = map.next_key::<String>()? {
                    let part = match key.as_str() {
                        "count" => {
                            let text = map.next_value::<String>()?;
                            let text = text.trim();
                            if !text.is_empty() {
                                out.count =
                                    Some(i64::from_xml_text(text).map_err(de::Error::custom)?);
                            }
                            continue;
                        }
                        "list" => &mut out.list,
                        "set" => &mut out.set,
                        "add" => &mut out.add,
                        "remove" => &mut out.remove,
                        "update" => &mut out.update,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    let items = map.next_value::<ItemsOwned<T, N>>()?.0;
                    part.get_or_insert_with(Vec::new).extend(items);
                }
                Ok(out)
            }

            // `<tags/>` and `<tags>  </tags>` reach here as text.
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                if text.trim().is_empty() {
                    Ok(Collection::new())
                } else {
                    Err(E::custom(format!(
                        "unexpected text {text:?} in a collection"
                    )))
                }
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Collection::new())
            }
        }

        deserializer.deserialize_struct(
            "Collection",
            &["count", "list", "set", "add", "remove", "update"],
            CollectionVisitor(PhantomData),
        )
    }
}

struct ItemsOwned<T, N>(Vec<T>, PhantomData<fn() -> N>);

impl<'de, T: XmlValue, N: ElementName> Deserialize<'de> for ItemsOwned<T, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T, N>(PhantomData<fn() -> (T, N)>);

        impl<'de, T: XmlValue, N: ElementName> Visitor<'de> for ItemsVisitor<T, N> {
            type Value = ItemsOwned<T, N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a sequence of <{}> elements", N::ELEMENT)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == N::ELEMENT {
                        items.extend(map.next_value_seed(ItemsSeed::<T>(PhantomData))?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ItemsOwned(items, PhantomData))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                if text.trim().is_empty() {
                    Ok(ItemsOwned(Vec::new(), PhantomData))
                } else {
                    Err(E::custom(format!(
                        "unexpected text {text:?} among <{}> items",
                        N::ELEMENT
                    )))
                }
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ItemsOwned(Vec::new(), PhantomData))
            }
        }

        deserializer.deserialize_struct("Items", &[], ItemsVisitor(PhantomData))
    }
}

/// The items under one key: the run of repeated elements in XML, the array in JSON.
struct ItemsSeed<T>(PhantomData<fn() -> T>);

impl<'de, T: XmlValue> DeserializeSeed<'de> for ItemsSeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        struct SeqVisitor<T>(PhantomData<fn() -> T>);

        impl<'de, T: XmlValue> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence of items")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element_seed(ItemSeed::<T>(PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }

        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

struct ItemSeed<T>(PhantomData<fn() -> T>);

impl<'de, T: XmlValue> DeserializeSeed<'de> for ItemSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_xml(deserializer)
    }
}
