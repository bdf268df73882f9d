//! Collection wrappers: `<tags><count/><list><Tag/>..</list><set/><add/><remove/><update/></tags>` maps to the
//! runtime's generic `Collection<T>` instead of one struct per field.

use crate::xsd::{ComplexType, Content, Element, Term, TypeRef};

/// The parts a collection wrapper may have besides `count`.
pub(super) const WRAPPERS: [&str; 5] = ["list", "set", "add", "remove", "update"];

/// A wrapper is a complex type without attributes whose content is an `xs:all` or `xs:sequence` of an
/// optional integer `count` and one or more of `list`/`set`/`add`/`remove`/`update`, each an anonymous type
/// holding one repeated element, the same element (name and type) in every part.
pub(super) fn collection_item(ct: &ComplexType) -> Option<&Element> {
    if !ct.attributes.is_empty() || ct.mixed {
        return None;
    }
    let Content::Particle(p) = &ct.content else {
        return None;
    };
    let (Term::All(parts) | Term::Sequence(parts)) = &p.term else {
        return None;
    };
    let mut item: Option<&Element> = None;
    for part in parts {
        let Term::Element(e) = &part.term else {
            return None;
        };
        if part.occurs.is_many() || e.occurs.is_many() {
            return None;
        }
        match e.name.local.as_str() {
            "count" => match &e.ty {
                TypeRef::Named(q)
                    if q.is_xsd() && matches!(q.local.as_str(), "int" | "long" | "integer") => {}
                _ => return None,
            },
            name if WRAPPERS.contains(&name) => {
                let TypeRef::Complex(inner) = &e.ty else {
                    return None;
                };
                let Content::Particle(ip) = &inner.content else {
                    return None;
                };
                if !inner.attributes.is_empty() || ip.occurs.is_many() {
                    return None;
                }
                let Term::Sequence(items) = &ip.term else {
                    return None;
                };
                let [only] = items.as_slice() else {
                    return None;
                };
                let Term::Element(item_el) = &only.term else {
                    return None;
                };
                if !only.occurs.is_many() || !matches!(item_el.ty, TypeRef::Named(_)) {
                    return None;
                }
                match item {
                    None => item = Some(item_el),
                    Some(first) => {
                        let same_type = match (&first.ty, &item_el.ty) {
                            (TypeRef::Named(a), TypeRef::Named(b)) => a == b,
                            _ => false,
                        };
                        if first.name != item_el.name || !same_type {
                            return None;
                        }
                    }
                }
            }
            _ => return None,
        }
    }
    item
}
