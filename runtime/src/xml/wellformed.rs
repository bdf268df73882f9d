//! Well-formedness and [`Limits`] checks the tokenizer leaves out: attributes (how many, none twice), depth,
//! node size and what may follow the document element.
//!
//! The direct reader checks each start tag as it meets it ([`check_attributes`]); the serde path checks the
//! whole document first ([`check_document`], one linear pass of the tokenizer), since quick-xml's deserializer
//! neither refuses what is not well-formed nor stays linear on an element with many attributes (it looks for
//! `xsi:nil` through the duplicate-checking attribute iterator, quadratic in their number).

use std::collections::HashSet;

use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use super::reader::{ReadError, ReadErrorKind, local_name};
use super::{Limit, Limits};

/// Checks the attributes of `start` (which starts at byte `at`): well-formed, at most `max` of them, no name
/// twice. Linear in their number.
pub(crate) fn check_attributes(
    start: &BytesStart<'_>,
    max: usize,
    at: u64,
) -> Result<(), ReadError> {
    if start.attributes_raw().iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let tag: &[u8] = start;
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute.map_err(|e| ReadError::xml(e.into(), at))?;
        if keys.len() == max {
            return Err(ReadError::limit(Limit::Attributes, max, at));
        }
        keys.push(attribute.key.into_inner());
    }
    let position = |key: &[u8]| key.as_ptr() as usize - tag.as_ptr() as usize;
    let duplicate = |key: &[u8], previous: &[u8]| {
        let error = AttrError::Duplicated(position(key), position(previous));
        Err(ReadError::xml(error.into(), at))
    };
    if keys.len() <= 16 {
        for (i, key) in keys.iter().enumerate() {
            if let Some(previous) = keys[..i].iter().find(|previous| *previous == key) {
                return duplicate(key, previous);
            }
        }
        return Ok(());
    }
    let mut seen: HashSet<&[u8]> = HashSet::with_capacity(keys.len());
    for key in &keys {
        if !seen.insert(key) {
            let previous = keys.iter().find(|previous| *previous == key).copied();
            return duplicate(key, previous.unwrap_or(key));
        }
    }
    Ok(())
}

/// Checks that `xml` is one well-formed document within `limits`: end tags match, attributes are well-formed
/// and unique, at most [`Limits::max_attributes`] per element, nesting at most [`Limits::max_depth`] deep, no
/// node larger than [`Limits::max_node_bytes`], the whole at most [`Limits::max_body_bytes`], and nothing but
/// whitespace, comments and processing instructions after the document element. Errors carry line and column.
///
/// Returns whether an element name has a prefix or an element declares a default namespace: whether the
/// document differs from its namespace normal form ([`super::normal_form`]).
pub(crate) fn check_document(xml: &[u8], limits: &Limits) -> Result<bool, ReadError> {
    check(xml, limits).map_err(|e| e.locate(xml))
}

/// Whether the start tag `start` has a prefixed name or declares a default namespace (`xmlns=`).
fn namespaced(start: &BytesStart<'_>) -> bool {
    if memchr::memchr(b':', start.name().as_ref()).is_some() {
        return true;
    }
    if memchr::memmem::find(start.attributes_raw(), b"xmlns").is_none() {
        return false;
    }
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    attributes
        .flatten()
        .any(|attribute| attribute.key.as_ref() == b"xmlns")
}

fn check(xml: &[u8], limits: &Limits) -> Result<bool, ReadError> {
    if xml.len() > limits.max_body_bytes {
        return Err(ReadError::limit(
            Limit::BodyBytes,
            limits.max_body_bytes,
            limits.max_body_bytes as u64,
        ));
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut ended = false;
    let mut namespaces = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| ReadError::xml(e, reader.error_position()))?;
        let len = (reader.buffer_position() - at) as usize;
        if len > limits.max_node_bytes {
            return Err(ReadError::limit(
                Limit::NodeBytes,
                limits.max_node_bytes,
                at,
            ));
        }
        let trailing =
            |found: String| Err(ReadError::new(ReadErrorKind::TrailingContent { found }, at));
        match event {
            Event::Start(start) | Event::Empty(start) if ended => {
                return trailing(format!(
                    "element `{}`",
                    String::from_utf8_lossy(local_name(&start))
                ));
            }
            Event::Start(start) => {
                check_attributes(&start, limits.max_attributes, at)?;
                namespaces = namespaces || namespaced(&start);
                depth += 1;
                if depth > limits.max_depth {
                    return Err(ReadError::limit(Limit::Depth, limits.max_depth, at));
                }
            }
            Event::Empty(start) => {
                check_attributes(&start, limits.max_attributes, at)?;
                namespaces = namespaces || namespaced(&start);
                if depth + 1 > limits.max_depth {
                    return Err(ReadError::limit(Limit::Depth, limits.max_depth, at));
                }
                ended = depth == 0;
            }
            Event::End(_) => {
                // The tokenizer checks that the name matches and that there was a start tag.
                depth -= 1;
                ended = depth == 0;
            }
            Event::Text(text) if depth == 0 && !text.iter().all(u8::is_ascii_whitespace) => {
                let shown = String::from_utf8_lossy(&text[..text.len().min(40)]).into_owned();
                if ended {
                    return trailing(format!("text {shown:?}"));
                }
                return Err(ReadError::new(
                    ReadErrorKind::TrailingContent {
                        found: format!("text {shown:?} outside the document element"),
                    },
                    at,
                ));
            }
            // The document type declaration belongs to the prolog; one inside the document element would split
            // a text node in two, which quick-xml's deserializer does not expect (it panics).
            Event::DocType(_) if depth > 0 || ended => {
                return trailing(
                    "a document type declaration (`<!DOCTYPE`) past the prolog".to_owned(),
                );
            }
            Event::CData(_) | Event::GeneralRef(_) if depth == 0 => {
                return trailing("content outside the document element".to_owned());
            }
            Event::Eof if depth > 0 => {
                return Err(ReadError::new(
                    ReadErrorKind::UnexpectedEof,
                    reader.buffer_position(),
                ));
            }
            Event::Eof => return Ok(namespaces),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_document;
    use crate::xml::Limits;

    #[test]
    fn a_prefixed_element_or_a_default_namespace_declaration_asks_for_the_normal_form() {
        let namespaced = |xml: &str| check_document(xml.as_bytes(), &Limits::default()).unwrap();
        assert!(!namespaced(
            "<a xmlns:xsi=\"urn:xsi\" xsi:b=\"1\"><c xmlns:p=\"urn:p\"/></a>"
        ));
        assert!(!namespaced("<a><c x=\"xmlns=\"/></a>"));
        assert!(namespaced("<a><p:c xmlns:p=\"urn:p\"/></a>"));
        assert!(namespaced("<a><c xmlns = \"urn:c\"/></a>"));
        assert!(namespaced("<a xmlns=\"\"/>"));
    }
}
