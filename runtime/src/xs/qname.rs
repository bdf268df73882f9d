//! `xs:QName`: a name in a namespace, written in XML as `prefix:local` with the prefix bound by a declaration
//! in scope.

use std::borrow::Cow;
use std::fmt;

use crate::xml::{NamespaceScope, TextError, XmlText, XmlWriter};

/// The namespace of a [`QName`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QNameNamespace {
    /// The name is in no namespace.
    None,
    /// The name is in the namespace with this URI.
    Uri(String),
    /// The name was parsed from its text alone ([`XmlText::from_xml_text`], the serde path), where the
    /// declarations its prefix (or the default namespace) is resolved through were not known: only the prefix is.
    Unresolved,
}

/// `xs:QName`: a local name, its namespace, and the prefix it was read with.
///
/// The event reader resolves the prefix through the namespace declarations in scope at the element that holds
/// the value (no prefix: the default namespace in scope; an undeclared prefix is a read error). The generated
/// writer declares the prefix on that element where it is not in scope already (the prefix the value was read
/// with when it is free, else a fresh one). Two names are equal when their namespaces and local names are; the
/// prefix does not count (an [`Unresolved`](QNameNamespace::Unresolved) name compares by its prefix, since that
/// is all it knows).
#[derive(Debug, Clone)]
pub struct QName {
    namespace: QNameNamespace,
    local: String,
    prefix: Option<String>,
}

impl QName {
    /// The name `local` in `namespace` (`None`: in no namespace), with no prefix of its own: the writer uses the
    /// default namespace where it is the name's, else a prefix bound to it, else a fresh one.
    pub fn new(namespace: Option<&str>, local: impl Into<String>) -> Self {
        QName {
            namespace: match namespace {
                Some(uri) => QNameNamespace::Uri(uri.to_owned()),
                None => QNameNamespace::None,
            },
            local: local.into(),
            prefix: None,
        }
    }

    /// The same name, preferring `prefix` when it is written.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The local name.
    pub fn local_name(&self) -> &str {
        &self.local
    }

    /// The namespace, or that it was not resolved.
    pub fn namespace(&self) -> &QNameNamespace {
        &self.namespace
    }

    /// The namespace URI; `None` for a name in no namespace and for an unresolved one (see
    /// [`is_resolved`](Self::is_resolved)).
    pub fn namespace_uri(&self) -> Option<&str> {
        match &self.namespace {
            QNameNamespace::Uri(uri) => Some(uri),
            QNameNamespace::None | QNameNamespace::Unresolved => None,
        }
    }

    /// Whether the namespace is known.
    pub fn is_resolved(&self) -> bool {
        self.namespace != QNameNamespace::Unresolved
    }

    /// The prefix the name was read with (or given), if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// `prefix:local`, or `local`.
    fn lexical(&self, prefix: Option<&str>) -> Cow<'_, str> {
        match prefix {
            Some(prefix) => Cow::Owned(format!("{prefix}:{}", self.local)),
            None => Cow::Borrowed(&self.local),
        }
    }

    /// The part of the identity that stands for the namespace: the URI, or the prefix of an unresolved name.
    fn key(&self) -> (&QNameNamespace, Option<&str>, &str) {
        let prefix = match self.namespace {
            QNameNamespace::Unresolved => self.prefix.as_deref(),
            _ => None,
        };
        (&self.namespace, prefix, &self.local)
    }
}

impl PartialEq for QName {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for QName {}

impl std::hash::Hash for QName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for QName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for QName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for QName {
    /// `prefix:local` as read (or given), or `local`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lexical(self.prefix.as_deref()))
    }
}

/// Whether `name` is an NCName as far as its text can tell: not empty, no colon or whitespace, and not starting
/// with a digit, `-` or `.`.
fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| !first.is_ascii_digit() && first != '-' && first != '.')
        && name
            .chars()
            .all(|c| c != ':' && !matches!(c, ' ' | '\t' | '\r' | '\n'))
}

impl XmlText for QName {
    const XSD_TYPE: &'static str = "xs:QName";

    /// The name and its prefix; the namespace is [`Unresolved`](QNameNamespace::Unresolved) until
    /// [`resolve_prefixes`](XmlText::resolve_prefixes) resolves it.
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        let (prefix, local) = match text.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, text),
        };
        if !is_ncname(local) || prefix.is_some_and(|p| !is_ncname(p)) {
            return Err(TextError::new(Self::XSD_TYPE, text)
                .because("a QName is a name or prefix:name, each part an NCName"));
        }
        Ok(QName {
            namespace: QNameNamespace::Unresolved,
            local: local.to_owned(),
            prefix: prefix.map(str::to_owned),
        })
    }

    /// The text the value was read as (or `prefix:local` with the prefix it was given), prefix and all.
    fn to_xml_text(&self) -> Cow<'_, str> {
        self.lexical(self.prefix.as_deref())
    }

    fn resolve_prefixes(&mut self, scope: &NamespaceScope<'_>) -> Result<(), TextError> {
        if self.is_resolved() {
            return Ok(());
        }
        let prefix = self.prefix.as_deref().unwrap_or("");
        self.namespace = match scope.resolve(prefix) {
            Some(Some(uri)) => QNameNamespace::Uri(uri.to_owned()),
            Some(None) => QNameNamespace::None,
            None => {
                return Err(TextError::new(Self::XSD_TYPE, &self.to_string()).because(format!(
                    "the prefix `{prefix}` is not bound to a namespace by a declaration in scope"
                )));
            }
        };
        Ok(())
    }

    fn to_xml_text_in(&self, writer: &mut XmlWriter) -> Cow<'_, str> {
        let namespace = match &self.namespace {
            QNameNamespace::Unresolved => return self.to_xml_text(),
            QNameNamespace::None => None,
            QNameNamespace::Uri(uri) => Some(uri.as_str()),
        };
        let prefix = writer.prefix_for(namespace, self.prefix.as_deref());
        self.lexical(prefix.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_with_and_without_prefixes() {
        let q = QName::from_xml_text("ns:foo").unwrap();
        assert_eq!((q.prefix(), q.local_name()), (Some("ns"), "foo"));
        assert!(!q.is_resolved());
        assert_eq!(q.to_xml_text(), "ns:foo");
        let bare = QName::from_xml_text("foo").unwrap();
        assert_eq!((bare.prefix(), bare.to_xml_text()), (None, "foo".into()));
        for bad in ["", ":foo", "ns:", "a:b:c", "1a", "a b", "p:-x"] {
            let err = QName::from_xml_text(bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid xs:QName value"), "{bad}: {err}");
        }
    }

    #[test]
    fn equality_is_by_namespace_and_local_name() {
        let a = QName::new(Some("urn:a"), "x").with_prefix("p");
        let b = QName::new(Some("urn:a"), "x").with_prefix("q");
        assert_eq!(a, b);
        assert_ne!(a, QName::new(None, "x"));
        assert_ne!(a, QName::new(Some("urn:b"), "x"));
        // Unresolved names know their prefix only.
        let p = QName::from_xml_text("p:x").unwrap();
        assert_eq!(p, QName::from_xml_text("p:x").unwrap());
        assert_ne!(p, QName::from_xml_text("q:x").unwrap());
        assert_ne!(p, a);
    }
}
