//! The namespace normal form the serde mapping reads a document in.
//!
//! quick-xml's deserializer names elements by their local names, and takes the occurrences of a repeated element
//! as one sequence only while their qualified names (prefix included) are the same; of the namespace declarations
//! it sees only those of the element being read. [`normalize`] rewrites a document, in one linear pass, so that
//! those two make no difference: every element is written without its prefix, and every element in a namespace
//! declares it as its default namespace (`<p:item/><item xmlns="urn:x"/>` becomes
//! `<item xmlns="urn:x"/><item xmlns="urn:x"/>`); an element in no namespace below one in a namespace declares
//! `xmlns=""`. A wildcard element ([`AnyElement`](super::AnyElement)) then knows its namespace from its own
//! declaration, and the occurrences of a repeated element have one name. Everything else (attributes, prefixed
//! namespace declarations, text, comments, the document type declaration) is copied as it is, so attributes
//! keep their prefixes and those stay declared. An element whose prefix is not declared is kept as written.
//!
//! A document with no prefixed element and no default namespace declaration is its own normal form: the
//! well-formedness pass ([`check_document`](super::wellformed::check_document)) tells, and `from_str` then reads
//! it as it is.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::reader::ReadError;

const XML_NAMESPACE: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// `xml` in its namespace normal form (see the module). `xml` is a well-formed document
/// ([`check_document`](super::wellformed::check_document) accepted it); errors carry the byte offset.
pub(crate) fn normalize(xml: &str) -> Result<String, ReadError> {
    let bytes = xml.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    let mut scope = Scope::default();
    // Per open element: the name it was written with, and the default namespace its children see in the output.
    let mut open: Vec<(&[u8], Option<&[u8]>)> = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(bytes);
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| ReadError::xml(e, reader.error_position()))?;
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(start) => {
                let in_scope = open.last().and_then(|(_, ns)| *ns);
                let (name, default) =
                    write_start(bytes, &start, at, &mut scope, in_scope, &mut out)?;
                out.push(b'>');
                open.push((name, default));
            }
            Event::Empty(start) => {
                let in_scope = open.last().and_then(|(_, ns)| *ns);
                write_start(bytes, &start, at, &mut scope, in_scope, &mut out)?;
                out.extend_from_slice(b"/>");
                scope.pop();
            }
            Event::End(_) => {
                // The tokenizer matched the end tag with its start tag.
                if let Some((name, _)) = open.pop() {
                    out.extend_from_slice(b"</");
                    out.extend_from_slice(name);
                    out.push(b'>');
                }
                scope.pop();
            }
            Event::Eof => break,
            _ => out.extend_from_slice(bytes.get(at..end).unwrap_or_default()),
        }
    }
    String::from_utf8(out).map_err(|e| {
        let error = quick_xml::encoding::EncodingError::Utf8(e.utf8_error());
        ReadError::xml(error.into(), e.utf8_error().valid_up_to() as u64)
    })
}

/// Writes the start tag `start` (read from `input` at byte `at`) without its closing `>` (or `/>`): the local
/// name, the element's namespace as its default one where needed, then the attributes but a default namespace
/// declaration. Declares the element's namespace bindings in `scope` (the caller ends them). `in_scope` is the
/// default namespace of the output where the element stands. Returns the name written and the output's default
/// namespace inside.
fn write_start<'a>(
    input: &'a [u8],
    start: &BytesStart<'_>,
    at: usize,
    scope: &mut Scope<'a>,
    in_scope: Option<&'a [u8]>,
    out: &mut Vec<u8>,
) -> Result<(&'a [u8], Option<&'a [u8]>), ReadError> {
    // The reader borrows its events from `input`.
    let tag: &'a [u8] = within(input, start).unwrap_or_default();
    let name_len = start.name().as_ref().len();
    let (qname, rest) = tag.split_at(name_len.min(tag.len()));
    // The default namespace declaration of the element, as a byte range of `rest`, to leave out.
    let mut declaration = None;
    scope.enter();
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute.map_err(|e| ReadError::xml(e.into(), at as u64))?;
        let (Some(key), Some(value)) = (
            within(input, attribute.key.into_inner()),
            within(input, &attribute.value),
        ) else {
            continue;
        };
        if key == b"xmlns" {
            scope.bind(b"", value);
            // With the whitespace before it.
            let mut from = offset(rest, key);
            while from > 0 && rest.get(from - 1).is_some_and(u8::is_ascii_whitespace) {
                from -= 1;
            }
            // The value is followed by its closing quote.
            let to = offset(rest, value) + value.len() + 1;
            declaration = Some(from..to.min(rest.len()));
        } else if let Some(prefix) = key.strip_prefix(b"xmlns:") {
            scope.bind(prefix, value);
        }
    }
    let (namespace, written) = match qname.iter().position(|&b| b == b':') {
        None => (Some(scope.resolve(b"")), qname),
        Some(colon) => {
            let (prefix, local) = (&qname[..colon], &qname[colon + 1..]);
            let namespace = if prefix == b"xml" {
                Some(XML_NAMESPACE)
            } else {
                scope.lookup(prefix)
            };
            // An undeclared prefix: the element is kept as written.
            (namespace, if namespace.is_some() { local } else { qname })
        }
    };
    out.push(b'<');
    out.extend_from_slice(written);
    let inside = match namespace {
        Some(uri) if !uri.is_empty() => {
            declare(uri, out);
            Some(uri)
        }
        Some(_) => {
            if in_scope.is_some() {
                declare(b"", out);
            }
            None
        }
        None => in_scope,
    };
    match declaration {
        Some(range) => {
            out.extend_from_slice(&rest[..range.start]);
            out.extend_from_slice(&rest[range.end..]);
        }
        None => out.extend_from_slice(rest),
    }
    Ok((written, inside))
}

/// Writes ` xmlns="uri"`, in single quotes if the URI (as written in the input) holds a double quote.
fn declare(uri: &[u8], out: &mut Vec<u8>) {
    let quote = if uri.contains(&b'"') { b'\'' } else { b'"' };
    out.extend_from_slice(b" xmlns=");
    out.push(quote);
    out.extend_from_slice(uri);
    out.push(quote);
}

/// `part` as a slice of `whole`'s lifetime, if it lies within `whole`.
fn within<'a>(whole: &'a [u8], part: &[u8]) -> Option<&'a [u8]> {
    let from = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(from..from + part.len())
}

/// Where `part` (a slice of `whole`) starts in `whole`.
fn offset(whole: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The namespace bindings in scope: each prefix (empty for the default namespace) to the URIs it is bound to,
/// innermost last, so that declaring, ending and looking up a binding each take constant time.
#[derive(Default)]
struct Scope<'a> {
    bound: HashMap<&'a [u8], Vec<&'a [u8]>>,
    /// The prefixes declared, in document order, by the open elements.
    declared: Vec<&'a [u8]>,
    /// For each open element, how many of `declared` were there before it.
    frames: Vec<usize>,
}

impl<'a> Scope<'a> {
    fn enter(&mut self) {
        self.frames.push(self.declared.len());
    }

    fn bind(&mut self, prefix: &'a [u8], uri: &'a [u8]) {
        self.bound.entry(prefix).or_default().push(uri);
        self.declared.push(prefix);
    }

    /// Ends the bindings of the innermost open element.
    fn pop(&mut self) {
        let Some(from) = self.frames.pop() else {
            return;
        };
        for prefix in self.declared.drain(from..) {
            if let Some(uris) = self.bound.get_mut(prefix) {
                uris.pop();
            }
        }
    }

    /// The URI `prefix` is bound to, if it is.
    fn lookup(&self, prefix: &[u8]) -> Option<&'a [u8]> {
        self.bound.get(prefix).and_then(|uris| uris.last().copied())
    }

    /// The default namespace (empty for none).
    fn resolve(&self, prefix: &[u8]) -> &'a [u8] {
        self.lookup(prefix).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    fn normal(xml: &str) -> String {
        normalize(xml).unwrap()
    }

    #[test]
    fn an_element_with_an_undeclared_prefix_is_kept_as_written() {
        assert_eq!(
            normal("<a><p:b x=\"1\"/>text</a>"),
            "<a><p:b x=\"1\"/>text</a>"
        );
    }

    #[test]
    fn each_element_is_written_unprefixed_declaring_its_namespace() {
        assert_eq!(
            normal(
                "<p:list xmlns:p=\"urn:x\"><p:item>1</p:item><item xmlns=\"urn:x\">2</item></p:list>"
            ),
            "<list xmlns=\"urn:x\" xmlns:p=\"urn:x\"><item xmlns=\"urn:x\">1</item>\
             <item xmlns=\"urn:x\">2</item></list>"
        );
    }

    #[test]
    fn an_element_in_no_namespace_below_one_in_a_namespace_declares_none() {
        assert_eq!(
            normal("<r xmlns=\"urn:r\"><a xmlns=\"\"><b/></a><c/></r>"),
            "<r xmlns=\"urn:r\"><a xmlns=\"\"><b/></a><c xmlns=\"urn:r\"/></r>"
        );
        assert_eq!(
            normal("<p:r xmlns:p=\"urn:r\"><a><b/></a></p:r>"),
            "<r xmlns=\"urn:r\" xmlns:p=\"urn:r\"><a xmlns=\"\"><b/></a></r>"
        );
    }

    #[test]
    fn attributes_text_and_comments_are_copied() {
        assert_eq!(
            normal(
                "<?xml version=\"1.0\"?>\n<!-- c --><q:r xmlns:q='urn:\"q\"' q:a='v' b=\"&amp;\">t&lt;<![CDATA[x]]>\
                 <?pi?></q:r >"
            ),
            "<?xml version=\"1.0\"?>\n<!-- c --><r xmlns='urn:\"q\"' xmlns:q='urn:\"q\"' q:a='v' b=\"&amp;\">\
             t&lt;<![CDATA[x]]><?pi?></r>"
        );
    }

    #[test]
    fn bindings_end_with_their_element() {
        assert_eq!(
            normal("<r><p:a xmlns:p=\"urn:a\"/><p:a/><b xmlns=\"urn:b\"/><c/></r>"),
            "<r><a xmlns=\"urn:a\" xmlns:p=\"urn:a\"/><p:a/><b xmlns=\"urn:b\"/><c/></r>"
        );
    }
}
