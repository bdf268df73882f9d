//! The reader's side of kept unknown content (see [`crate::xml::Unknown`]): what the readers generated with
//! `keep_unknown` call where they meet an element or attribute their type does not declare. Kept content is
//! still recorded as drift when the reader records it.

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

use super::source::XmlSource;
use super::{ReadError, XmlReader};
use crate::xml::{AnyElement, Unknown, UnknownElement};

/// The local names of the `xsi:` attributes the readers and writers handle themselves.
const XSI_ATTRIBUTES: [&[u8]; 4] = [
    b"nil",
    b"type",
    b"schemaLocation",
    b"noNamespaceSchemaLocation",
];

impl<S: XmlSource> XmlReader<S> {
    /// Keeps `child`, an element the generated reader does not know, in `kept`, after `before` known children
    /// of its parent (recording it as drift).
    pub fn keep_unknown(
        &mut self,
        child: &BytesStart<'_>,
        before: usize,
        kept: &mut Unknown,
    ) -> Result<(), ReadError> {
        if let Some(recorder) = &self.drift {
            super::drift::note_element(recorder, child);
        }
        let element: AnyElement = self.element(child)?;
        kept.elements.push(UnknownElement { before, element });
        Ok(())
    }

    /// Keeps `attribute` (whose key is `key`) of `start`, which the generated reader does not know, in `kept`
    /// (recording it as drift). Namespace declarations and the `xsi:` attributes are left out: the writers
    /// declare what they write.
    pub fn keep_unknown_attribute(
        &self,
        start: &BytesStart<'_>,
        key: &[u8],
        attribute: &Attribute<'_>,
        kept: &mut Unknown,
    ) -> Result<(), ReadError> {
        self.unknown_attribute(key, attribute);
        if attribute.key.prefix().is_some() && XSI_ATTRIBUTES.contains(&key) {
            return Ok(());
        }
        if let Some(pair) = self.any_attribute(start, attribute)? {
            kept.attributes.push(pair);
        }
        Ok(())
    }

    /// Keeps every attribute of `start` (for an element whose type declares none).
    pub fn keep_unknown_attributes(
        &self,
        start: &BytesStart<'_>,
        kept: &mut Unknown,
    ) -> Result<(), ReadError> {
        if start.attributes_raw().iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        for attribute in self.attributes(start) {
            let (key, attribute) = attribute?;
            self.keep_unknown_attribute(start, key, &attribute, kept)?;
        }
        Ok(())
    }
}
