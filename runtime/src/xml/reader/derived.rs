//! `xsi:type` on the event reader: the namespace declarations in scope, and the expanded name of the type an
//! element names, which the reader of a type with derived types matches against the types it knows.

use quick_xml::events::BytesStart;

use super::xml_reader::XmlReader;
use super::{ReadError, ReadErrorKind, XmlSource};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An expanded name: a namespace name (if any) and a local name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedName {
    /// The namespace name; `None` for a name in no namespace.
    pub namespace: Option<String>,
    /// The local name.
    pub local: String,
}

impl ExpandedName {
    /// Whether this is `local` in `namespace`.
    pub fn is(&self, namespace: Option<&str>, local: &str) -> bool {
        self.local == local && self.namespace.as_deref() == namespace
    }
}

impl std::fmt::Display for ExpandedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// Whether the start tag may declare namespaces (a quick look at its attribute bytes).
#[inline]
pub(crate) fn declares_namespaces(start: &BytesStart<'_>) -> bool {
    let raw = start.attributes_raw();
    raw.len() > 5 && memchr::memmem::find(raw, b"xmlns").is_some()
}

impl<S: XmlSource> XmlReader<S> {
    /// The namespace `prefix` (empty: the default namespace) is bound to in the scope; `Some("")` where the
    /// default namespace is undeclared with `xmlns=""`.
    fn namespace_of(&self, prefix: &[u8]) -> Option<&str> {
        self.namespaces
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, ns)| ns.as_str())
    }

    /// The type the element `start` names with `xsi:type`, resolved through the namespace declarations in scope
    /// (its own included: the element must have been started through [`element`](Self::element)). An unprefixed
    /// name is in the default namespace, if one is declared.
    pub fn xsi_type(&self, start: &BytesStart<'_>) -> Result<Option<ExpandedName>, ReadError> {
        if start.attributes_raw().iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        for attribute in start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| ReadError::xml(e.into(), self.element_at))?;
            let key = attribute.key;
            let Some(prefix) = key.prefix() else { continue };
            if key.local_name().as_ref() != b"type" {
                continue;
            }
            // The prefix must be bound to the XSI namespace; an undeclared `xsi:` is taken as meant.
            match self.namespace_of(prefix.as_ref()) {
                Some(ns) if ns == XSI => {}
                None if prefix.as_ref() == b"xsi" => {}
                _ => continue,
            }
            let value = attribute
                .decode_and_unescape_value(self.inner.decoder())
                .map_err(|e| ReadError::xml(e, self.element_at))?;
            let qname = value.trim();
            let (prefix, local) = match qname.split_once(':') {
                Some((prefix, local)) => (prefix, local),
                None => ("", qname),
            };
            let namespace = match self.namespace_of(prefix.as_bytes()) {
                Some("") => None,
                Some(ns) => Some(ns.to_owned()),
                None if prefix.is_empty() => None,
                None => {
                    return Err(ReadError::new(
                        ReadErrorKind::UnboundPrefix {
                            prefix: prefix.to_owned(),
                            qname: qname.to_owned(),
                        },
                        self.element_at,
                    ));
                }
            };
            return Ok(Some(ExpandedName {
                namespace,
                local: local.to_owned(),
            }));
        }
        Ok(None)
    }

    /// The error for an `xsi:type` (or its absence, `None`) that the declared type `declared` does not allow.
    pub fn unknown_type(&self, found: Option<&ExpandedName>, declared: &'static str) -> ReadError {
        ReadError::new(
            ReadErrorKind::UnknownType {
                found: found.map(ToString::to_string),
                declared,
            },
            self.element_at,
        )
    }
}
