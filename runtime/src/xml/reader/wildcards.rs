//! Wildcard content: `xs:any` elements, `xs:anyType` content and `xs:anyAttribute` attributes, read with the
//! namespaces they are in (so that they are written back in their own namespaces).
//!
//! The generated readers match local names; namespace bindings are kept as a stack: the document element's
//! declarations (read once), those of every element read through `XmlReader::element` that declares any (a
//! look at its attribute bytes tells), and those inside wildcard content, which wildcard elements push on and
//! pop off. A prefix declared anywhere above wildcard content (or an `xsi:type` value) is resolved through it.

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::NamespaceError;

use super::xml_reader::{is_nil, local_name_string};
use super::{ReadError, XmlReader};
use crate::xml::AnyElement;
use crate::xml::reader::source::XmlSource;

/// The namespace of the `xml` prefix, bound by definition.
pub(crate) const XML: &str = "http://www.w3.org/XML/1998/namespace";

impl<S: XmlSource> XmlReader<S> {
    /// Reads the content of an `xs:anyType` element (attributes, text, children; the name is left empty, since
    /// the field names the element).
    pub fn any_content(&mut self, child: &BytesStart<'_>) -> Result<AnyElement, ReadError> {
        self.within(child, |reader| reader.any_value(child, false))
    }

    /// Reads the content of an optional `xs:anyType` element.
    pub fn any_content_opt(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<Option<AnyElement>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.any_content(child).map(Some)
    }

    /// The content of the element `start` (just started) as an [`AnyElement`]; with `named`, its name and
    /// namespace too (an `xs:anyType` element is named by its field instead). Namespace-qualified attributes are
    /// keyed `{uri}local`; namespace declarations are not attributes (the writer declares what it writes).
    pub(super) fn any_value(
        &mut self,
        start: &BytesStart<'_>,
        named: bool,
    ) -> Result<AnyElement, ReadError> {
        let scope = self.declare(start)?;
        let result = self.any_value_in_scope(start, named);
        self.namespaces.truncate(scope);
        result
    }

    fn any_value_in_scope(
        &mut self,
        start: &BytesStart<'_>,
        named: bool,
    ) -> Result<AnyElement, ReadError> {
        let mut element = AnyElement::default();
        if named {
            element.name = local_name_string(start);
            element.namespace = self.element_namespace(start)?;
        }
        for attribute in self.attributes(start) {
            let (key, attribute) = attribute?;
            if attribute.key.as_namespace_binding().is_some() {
                continue;
            }
            let value = self.attribute_text(&attribute)?.into_owned();
            let name = self.attribute_name(key, &attribute)?;
            element.attributes.push((name, value));
        }
        // Like the serde path: each run of text between child elements is trimmed, and the runs are joined.
        let mut run = String::new();
        let mut children = self.children();
        while let Some(child) = children.next_collecting(self, &mut run)? {
            flush_run(&mut run, &mut element.text);
            element.children.push(self.element(&child)?);
        }
        flush_run(&mut run, &mut element.text);
        Ok(element)
    }

    /// An attribute of `start` matched by `xs:anyAttribute`: its name (`{uri}local` when it is
    /// namespace-qualified, `xml:lang` and the like as written) and value. Namespace declarations are not
    /// attributes and give `None`.
    pub fn any_attribute(
        &self,
        start: &BytesStart<'_>,
        attribute: &Attribute<'_>,
    ) -> Result<Option<(String, String)>, ReadError> {
        if attribute.key.as_namespace_binding().is_some() {
            return Ok(None);
        }
        let value = self.attribute_text(attribute)?.into_owned();
        let name = match attribute.key.prefix() {
            Some(prefix) if prefix.as_ref() != b"xml" => {
                let uri = match declared_on(start, prefix.as_ref()) {
                    Some(uri) => uri,
                    None => self.bound(prefix.as_ref())?,
                };
                clark(Some(&uri), attribute.key.local_name().as_ref())
            }
            _ => String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
        };
        Ok(Some((name, value)))
    }

    /// Pushes the namespace declarations of `start`; returns the length to truncate back to.
    pub(super) fn declare(&mut self, start: &BytesStart<'_>) -> Result<usize, ReadError> {
        let scope = self.namespaces.len();
        if memchr::memmem::find(start.attributes_raw(), b"xmlns").is_none() {
            return Ok(scope);
        }
        for attribute in start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| ReadError::xml(e.into(), self.element_at))?;
            let prefix = match attribute.key.as_namespace_binding() {
                Some(quick_xml::name::PrefixDeclaration::Default) => Vec::new(),
                Some(quick_xml::name::PrefixDeclaration::Named(prefix)) => prefix.to_vec(),
                None => continue,
            };
            let uri = self.attribute_text(&attribute)?.into_owned();
            self.namespaces.push((prefix, uri));
        }
        Ok(scope)
    }

    /// The namespace of the element `start` (whose declarations are in scope): its prefix's, or the default one.
    pub(super) fn element_namespace(
        &self,
        start: &BytesStart<'_>,
    ) -> Result<Option<String>, ReadError> {
        let name = start.name();
        let uri = match name.prefix() {
            Some(prefix) => self.bound(prefix.as_ref())?,
            None => self
                .namespaces
                .iter()
                .rev()
                .find(|(prefix, _)| prefix.is_empty())
                .map(|(_, uri)| uri.clone())
                .unwrap_or_default(),
        };
        Ok((!uri.is_empty()).then_some(uri))
    }

    /// The key of a wildcard element's attribute: `{uri}local` when it has a prefix (other than `xml`), the
    /// local name otherwise. `key` is the name the attribute iterator gives.
    pub(super) fn attribute_name(
        &self,
        key: &[u8],
        attribute: &Attribute<'_>,
    ) -> Result<String, ReadError> {
        match attribute.key.prefix() {
            Some(prefix) if prefix.as_ref() != b"xml" => {
                let uri = self.bound(prefix.as_ref())?;
                Ok(clark(Some(&uri), attribute.key.local_name().as_ref()))
            }
            _ => Ok(String::from_utf8_lossy(key).into_owned()),
        }
    }

    /// The URI `prefix` is bound to where the reader is (an error naming the current element if it is not
    /// bound there).
    pub(super) fn bound(&self, prefix: &[u8]) -> Result<String, ReadError> {
        let at = self.element_at;
        if prefix == b"xml" {
            return Ok(XML.to_owned());
        }
        match self.namespaces.iter().rev().find(|(p, _)| p == prefix) {
            Some((_, uri)) if !uri.is_empty() => Ok(uri.clone()),
            // Not declared where wildcard content can see it (on the document element or inside the content).
            _ => Err(ReadError::xml(
                quick_xml::Error::Namespace(NamespaceError::UnknownPrefix(prefix.to_vec())),
                at,
            )),
        }
    }
}

/// The URI `prefix` is declared as on `start` itself, if it is.
pub(super) fn declared_on(start: &BytesStart<'_>, prefix: &[u8]) -> Option<String> {
    start
        .attributes()
        .with_checks(false)
        .flatten()
        .find_map(|a| match a.key.as_namespace_binding() {
            Some(quick_xml::name::PrefixDeclaration::Named(p)) if p == prefix => {
                a.unescape_value().ok().map(|v| v.into_owned())
            }
            _ => None,
        })
}

/// A name in Clark notation: `{uri}local`, or `local` without a namespace.
pub(super) fn clark(uri: Option<&str>, local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match uri {
        Some(uri) => format!("{{{uri}}}{local}"),
        None => local.into_owned(),
    }
}

fn flush_run(run: &mut String, text: &mut Option<String>) {
    let trimmed = run.trim();
    if !trimmed.is_empty() {
        text.get_or_insert_with(String::new).push_str(trimmed);
    }
    run.clear();
}
