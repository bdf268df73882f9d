//! Namespace bindings for wildcard content: what an `xs:any` element and its attributes are in, so that they are
//! written back in their own namespaces.
//!
//! The generated readers match local names and keep no bindings (that is most of their speed): the document
//! element's declarations (read once) and those inside wildcard content are kept, as a stack that wildcard
//! elements push on and pop off. Where a document type holds wildcard content under the plain mapping
//! (`RootElement::NAMESPACE_SCOPES`), every element read through `XmlReader::element` pushes and pops its
//! declarations too, so that a prefix declared anywhere above the content is seen; other documents (the Qualys
//! ones) pay nothing for it.

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::NamespaceError;

use super::{ReadError, XmlReader};
use crate::xml::reader::source::XmlSource;

/// The namespace of the `xml` prefix, bound by definition.
pub(crate) const XML: &str = "http://www.w3.org/XML/1998/namespace";

impl<S: XmlSource> XmlReader<S> {
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
