//! Simple types: restrictions (enumerations, checked facets), lists and unions.

use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{Content, SimpleKind, SimpleType, TypeRef};

pub(super) use super::facets::check_facets;

impl<'s> Lowering<'s> {
    pub(super) fn simple_base(
        &mut self,
        base: &'s TypeRef,
        loc: &crate::xsd::Loc,
        anon_name: &str,
    ) -> Result<Ty> {
        match base {
            TypeRef::Named(q) => self.type_ref(q, loc),
            TypeRef::Simple(st) => self.anonymous_simple(st, anon_name),
            TypeRef::Complex(_) => Err(Error::invalid(
                loc,
                "a simple type cannot derive from a complex type",
            )),
            TypeRef::Unspecified => Ok(Ty::Builtin(Builtin::String)),
        }
    }

    /// What the chain of restrictions from `base` ends in, following named simple types and the content of
    /// simple-content complex types.
    pub(super) fn primitive(&self, base: &TypeRef, depth: usize) -> Primitive {
        if depth > 64 {
            // A cycle, refused elsewhere with its location.
            return Primitive::Other;
        }
        let simple = |st: &SimpleType| match &st.kind {
            SimpleKind::Restriction { base, .. } => self.primitive(base, depth + 1),
            SimpleKind::List { .. } => Primitive::List,
            SimpleKind::Union { .. } => Primitive::Other,
        };
        match base {
            TypeRef::Named(q) if q.is_xsd() => match q.local.as_str() {
                "NMTOKENS" | "IDREFS" | "ENTITIES" => Primitive::List,
                // As this mapping keeps it: range facets compare values of the Rust type.
                local => resolve::xs(local)
                    .map_or(Primitive::Other, |b| Primitive::Builtin(self.builtin(b))),
            },
            TypeRef::Named(q) => match self.types.get(q) {
                Some(Decl::Simple(st)) => simple(st),
                Some(Decl::Complex(ct)) => match &ct.content {
                    Content::Simple {
                        simple_type: Some(st),
                        ..
                    } => simple(st),
                    Content::Simple { base, .. } => {
                        self.primitive(&TypeRef::Named(base.clone()), depth + 1)
                    }
                    _ => Primitive::Other,
                },
                None => Primitive::Other,
            },
            TypeRef::Simple(st) => simple(st),
            TypeRef::Complex(_) => Primitive::Other,
            TypeRef::Unspecified => Primitive::Builtin(Builtin::String),
        }
    }

    pub(super) fn anonymous_simple(&mut self, st: &'s SimpleType, wanted: &str) -> Result<Ty> {
        match &st.kind {
            SimpleKind::Restriction { base, facets }
                if facets.enumerations.is_empty() && !facets.has_checks() =>
            {
                let base = self.simple_base(base, &st.loc, wanted)?;
                self.restricted(base, facets, &st.loc)
            }
            SimpleKind::List { item } => Ok(Ty::List(Box::new(self.simple_base(
                item,
                &st.loc,
                &names::nested(wanted, "Item"),
            )?))),
            _ => {
                let rust = self.scope.claim(wanted);
                let kind = self.simple_kind(st, &rust)?;
                let doc = self.item_doc(&st.doc, &format!("an anonymous simpleType ({wanted})"));
                self.push(rust.clone(), wanted, doc, kind, &st.loc);
                Ok(Ty::Named(rust))
            }
        }
    }

    pub(super) fn simple_kind(&mut self, st: &'s SimpleType, rust: &str) -> Result<ItemKind> {
        match &st.kind {
            SimpleKind::Restriction { base, facets } => {
                let inner = self.simple_base(base, &st.loc, &names::nested(rust, "Base"))?;
                let inner = self.restricted(inner, facets, &st.loc)?;
                let primitive = self.primitive(base, 0);
                check_facets(primitive, facets, &st.loc)?;
                Ok(restriction_kind(inner, facets, primitive))
            }
            SimpleKind::List { item } => Ok(ItemKind::Alias(Ty::List(Box::new(
                self.simple_base(item, &st.loc, &names::nested(rust, "Item"))?,
            )))),
            SimpleKind::Union { members } => {
                let mut scope = Scope::default();
                let mut out = Vec::new();
                for (i, member) in members.iter().enumerate() {
                    let ty = self.simple_base(
                        member,
                        &st.loc,
                        &names::nested(rust, &format!("Member{}", i + 1)),
                    )?;
                    let name = match (&ty, member) {
                        (_, TypeRef::Named(q)) => names::type_name(&q.local),
                        (Ty::Named(n), _) => n.clone(),
                        _ => format!("Member{}", i + 1),
                    };
                    out.push((scope.claim(&name), ty));
                }
                Ok(ItemKind::Union(Union { members: out }))
            }
        }
    }
}

pub(super) fn restriction_kind(
    inner: Ty,
    facets: &crate::xsd::Facets,
    primitive: Primitive,
) -> ItemKind {
    if facets.enumerations.is_empty() {
        return ItemKind::Newtype(Newtype {
            inner,
            facets: facets.clone(),
            primitive,
        });
    }
    let mut scope = Scope::default();
    let list = primitive == Primitive::List;
    let variants = facets
        .enumerations
        .iter()
        .map(|(value, doc)| {
            // A list value's items are separated by any whitespace: kept as single spaces.
            let value = if list {
                value.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                value.clone()
            };
            (scope.claim(&names::type_name(&value)), value, doc.clone())
        })
        .collect();
    let other = ["Other", "Unknown", "UnknownValue"]
        .iter()
        .find(|n| !scope.contains(n))
        .map(|n| (*n).to_owned())
        .unwrap_or_else(|| scope.claim("Other"));
    ItemKind::Enum(Enum {
        base: inner,
        variants,
        other,
        list,
    })
}
