//! The namespace bindings that values naming things (`xs:QName`) are read and written through: the
//! declarations in scope where the event reader reads a value ([`NamespaceScope`]), and the prefixes the
//! generated writer has bound while it writes ([`Prefixes`]).

/// The namespace URI the `xml` prefix is bound to, always.
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace declarations in scope where a value is read, innermost last.
#[derive(Debug, Clone, Copy)]
pub struct NamespaceScope<'a> {
    /// (prefix, empty for the default namespace; URI, empty to undeclare the default namespace).
    declarations: &'a [(Vec<u8>, String)],
}

impl<'a> NamespaceScope<'a> {
    pub(crate) fn new(declarations: &'a [(Vec<u8>, String)]) -> Self {
        NamespaceScope { declarations }
    }

    /// No declarations: only `xml` is bound.
    pub fn empty() -> Self {
        NamespaceScope { declarations: &[] }
    }

    /// The namespace `prefix` is bound to (`""`: the default namespace): `Some(Some(uri))`; `Some(None)` for
    /// the default namespace where none is declared (or it is undeclared with `xmlns=""`); `None` for a prefix
    /// no declaration in scope binds.
    pub fn resolve(&self, prefix: &str) -> Option<Option<&'a str>> {
        if prefix == "xml" {
            return Some(Some(XML));
        }
        let found = self
            .declarations
            .iter()
            .rev()
            .find(|(p, _)| p.as_slice() == prefix.as_bytes())
            .map(|(_, uri)| uri.as_str());
        match found {
            Some("") | None if prefix.is_empty() => Some(None),
            Some("") | None => None,
            Some(uri) => Some(Some(uri)),
        }
    }
}

/// The prefixes bound in the output, innermost last: those the document element declares for the schema's
/// namespaces, and those declared on an element for the values it holds.
#[derive(Debug, Default)]
pub(crate) struct Prefixes {
    /// (prefix, URI, the depth of the element that declares it; 0 for the document's own).
    bound: Vec<(String, String, usize)>,
    /// How many fresh prefixes were made.
    fresh: usize,
}

/// Prefixes the writer binds itself: `xsi` and `xt` (for `xsi:type`), `ns0` (the document element's namespace
/// in an unqualified schema), `ns1`... (qualified wildcard attributes); never chosen for a value's namespace.
fn reserved(prefix: &str) -> bool {
    matches!(prefix, "xml" | "xsi" | "xt")
        || prefix.starts_with("xml")
        || prefix
            .strip_prefix("ns")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl Prefixes {
    /// Binds `prefix` to `uri` for the whole document (the document element declares it where it is used).
    pub(crate) fn document(&mut self, prefix: &str, uri: &str) {
        self.bound.push((prefix.to_owned(), uri.to_owned(), 0));
    }

    /// The URI `prefix` is bound to.
    fn uri(&self, prefix: &str) -> Option<&str> {
        self.bound
            .iter()
            .rev()
            .find(|(p, _, _)| p == prefix)
            .map(|(_, uri, _)| uri.as_str())
    }

    /// The prefix to write a name in `uri` with, and whether it must be declared (at `depth`) first: `preferred`
    /// (the prefix the name was read with) where it is bound to `uri` already, or where it may be declared here;
    /// else another prefix bound to `uri`; else a fresh one.
    pub(crate) fn choose(
        &mut self,
        uri: &str,
        preferred: Option<&str>,
        depth: usize,
    ) -> (String, bool) {
        if let Some(preferred) = preferred
            && self.uri(preferred) == Some(uri)
        {
            return (preferred.to_owned(), false);
        }
        if uri == XML {
            return ("xml".to_owned(), false);
        }
        if let Some(preferred) = preferred
            && !reserved(preferred)
            && self.rebindable(preferred, depth)
        {
            self.bound
                .push((preferred.to_owned(), uri.to_owned(), depth));
            return (preferred.to_owned(), true);
        }
        let bound = self
            .bound
            .iter()
            .rev()
            .find(|(p, u, _)| u == uri && self.uri(p) == Some(uri))
            .map(|(p, _, _)| p.clone());
        if let Some(prefix) = bound {
            return (prefix, false);
        }
        let prefix = loop {
            self.fresh += 1;
            let candidate = format!("q{}", self.fresh);
            if self.uri(&candidate).is_none() {
                break candidate;
            }
        };
        self.bound.push((prefix.clone(), uri.to_owned(), depth));
        (prefix, true)
    }

    /// Whether `prefix` may be declared on the element at `depth`: nothing binds it, or only a value of an
    /// enclosing element does (the names the writer gives elements and attributes never use those prefixes, so
    /// the declaration shadows nothing they need); not where the document element binds it (an attribute of
    /// this element may use it) or this element already does.
    fn rebindable(&self, prefix: &str, depth: usize) -> bool {
        match self.bound.iter().rev().find(|(p, _, _)| p == prefix) {
            None => true,
            Some((_, _, at)) => *at > 0 && *at < depth,
        }
    }

    /// Forgets the prefixes declared at `depth` and deeper (the element there is closed).
    pub(crate) fn close(&mut self, depth: usize) {
        while self
            .bound
            .last()
            .is_some_and(|(_, _, at)| *at >= depth && *at > 0)
        {
            self.bound.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_through_the_innermost_declaration() {
        let declarations = vec![
            (b"p".to_vec(), "urn:outer".to_owned()),
            (Vec::new(), "urn:default".to_owned()),
            (b"p".to_vec(), "urn:inner".to_owned()),
        ];
        let scope = NamespaceScope::new(&declarations);
        assert_eq!(scope.resolve("p"), Some(Some("urn:inner")));
        assert_eq!(scope.resolve(""), Some(Some("urn:default")));
        assert_eq!(scope.resolve("q"), None);
        assert_eq!(scope.resolve("xml"), Some(Some(XML)));
        let undeclared = vec![
            (Vec::new(), "urn:default".to_owned()),
            (Vec::new(), String::new()),
        ];
        assert_eq!(NamespaceScope::new(&undeclared).resolve(""), Some(None));
        assert_eq!(NamespaceScope::empty().resolve(""), Some(None));
    }

    #[test]
    fn chooses_bound_free_or_fresh_prefixes() {
        let mut prefixes = Prefixes::default();
        prefixes.document("tns", "urn:t");
        // Bound already: no declaration; the preferred prefix is declared where it is free.
        assert_eq!(prefixes.choose("urn:t", None, 2), ("tns".into(), false));
        assert_eq!(prefixes.choose("urn:t", Some("x"), 2), ("x".into(), true));
        assert_eq!(
            prefixes.choose("urn:t", Some("ns0"), 2),
            ("x".into(), false)
        );
        // Free: the preferred one, declared.
        assert_eq!(prefixes.choose("urn:a", Some("a"), 2), ("a".into(), true));
        assert_eq!(prefixes.choose("urn:a", Some("a"), 3), ("a".into(), false));
        // Bound by an enclosing element's value: declared again here.
        assert_eq!(prefixes.choose("urn:b", Some("a"), 3), ("a".into(), true));
        // Taken on this element or by the document, or one the writer keeps: a fresh one.
        assert_eq!(prefixes.choose("urn:e", Some("a"), 3), ("q1".into(), true));
        assert_eq!(
            prefixes.choose("urn:e", Some("tns"), 3),
            ("q1".into(), false)
        );
        assert_eq!(
            prefixes.choose("urn:f", Some("tns"), 3),
            ("q2".into(), true)
        );
        assert_eq!(
            prefixes.choose("urn:c", Some("ns0"), 3),
            ("q3".into(), true)
        );
        assert_eq!(prefixes.choose("urn:d", None, 3), ("q4".into(), true));
        prefixes.close(3);
        assert_eq!(prefixes.uri("a"), Some("urn:a"));
        assert_eq!(prefixes.choose("urn:b", Some("b"), 3), ("b".into(), true));
        prefixes.close(2);
        assert_eq!(prefixes.uri("a"), None);
        assert_eq!(prefixes.uri("tns"), Some("urn:t"));
    }
}
