//! A record type read the way generated readers read it (an `id` attribute and a `name` child), through the event
//! reader and serde: the hostile-input tests share it.

use qps_runtime::__private::serde_text;
use qps_runtime::xml::{BytesStart, FromXml, ReadError, RootElement, XmlReader, XmlSource};
use serde::Deserialize;

/// `<Item id="..."><name>...</name></Item>`; other children are skipped.
#[derive(Debug, PartialEq, Default, Deserialize)]
pub struct Item {
    #[serde(rename = "@id", default, with = "serde_text::opt")]
    pub id: Option<i64>,
    #[serde(rename = "name", default, with = "serde_text::opt")]
    pub name: Option<String>,
}

impl RootElement for Item {
    const ROOT: &'static str = "Item";
}

impl FromXml for Item {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut item = Item::default();
        for attribute in reader.attributes(start) {
            let (key, attribute) = attribute?;
            if key == b"id" {
                item.id = reader.attribute_opt(&attribute)?;
            }
        }
        let mut children = reader.children();
        while let Some(child) = children.next(reader)? {
            match child.local_name().as_ref() {
                b"name" => item.name = reader.leaf_opt(&child)?,
                _ => reader.skip()?,
            }
        }
        Ok(item)
    }
}
