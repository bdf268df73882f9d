//! Kept unknown content ([`crate::Builder::keep_unknown`]): every struct that has no `xs:any` wildcard gets a
//! field holding the child elements and attributes its type does not declare (see [`Struct::unknown`]).

use std::collections::HashSet;

use super::names::Scope;
use super::{ANY_VARIANT, ItemKind, Module, Place, Ty};

/// Names the kept-content field of every struct of `module` that takes unknown content elsewhere: not where an
/// `xs:any` wildcard (a field of its own, or a variant of a list) already takes the unknown elements.
pub fn keep_unknown(module: &mut Module) {
    let open: HashSet<String> = module
        .items
        .iter()
        .filter(|item| match &item.kind {
            ItemKind::Choice(c) => c.variants.iter().any(|v| v.xml == ANY_VARIANT),
            _ => false,
        })
        .map(|item| item.name.clone())
        .collect();
    for item in &mut module.items {
        let ItemKind::Struct(s) = &mut item.kind else {
            continue;
        };
        let wildcard = s.fields.iter().any(|f| match (&f.place, &f.ty) {
            (Place::AnyElements, _) => true,
            (Place::Choice, Ty::Named(name)) => open.contains(name),
            _ => false,
        });
        if wildcard {
            continue;
        }
        let mut scope = Scope::default();
        for f in &s.fields {
            scope.claim(&f.name);
        }
        s.unknown = Some(scope.claim("unknown"));
    }
}
