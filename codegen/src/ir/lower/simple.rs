//! Simple types: restrictions (enumerations, checked facets), lists and unions.

use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{SimpleKind, SimpleType, TypeRef};

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

    pub(super) fn anonymous_simple(&mut self, st: &'s SimpleType, wanted: &str) -> Result<Ty> {
        match &st.kind {
            SimpleKind::Restriction { base, facets }
                if facets.enumerations.is_empty() && !facets.has_checks() =>
            {
                self.simple_base(base, &st.loc, wanted)
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
                check_bounds(&inner, facets, &st.loc)?;
                Ok(restriction_kind(inner, facets))
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

pub(super) fn restriction_kind(inner: Ty, facets: &crate::xsd::Facets) -> ItemKind {
    if facets.enumerations.is_empty() {
        return ItemKind::Newtype(Newtype {
            inner,
            facets: facets.clone(),
        });
    }
    let mut scope = Scope::default();
    let variants = facets
        .enumerations
        .iter()
        .map(|(value, doc)| {
            (
                scope.claim(&names::type_name(value)),
                value.clone(),
                doc.clone(),
            )
        })
        .collect();
    let other = ["Other", "Unknown", "UnknownValue"]
        .iter()
        .find(|n| !scope.contains(n))
        .map(|n| (*n).to_owned())
        .unwrap_or_else(|| scope.claim("Other"));
    ItemKind::Enum(Enum { variants, other })
}

/// Refuses a range facet whose value is not a number of the restricted numeric type (`minInclusive="abc"` on an
/// `xs:int`): the generated check would otherwise never fail.
pub(super) fn check_bounds(
    inner: &Ty,
    facets: &crate::xsd::Facets,
    loc: &crate::xsd::Loc,
) -> Result<()> {
    use Builtin::*;
    let Ty::Builtin(builtin) = inner else {
        return Ok(());
    };
    let integer = |t: &str| {
        let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let decimal = |t: &str| {
        let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        !(whole.is_empty() && fraction.is_empty())
            && whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
    };
    let float = |t: &str| matches!(t, "INF" | "-INF" | "+INF" | "NaN") || t.parse::<f64>().is_ok();
    let valid: &dyn Fn(&str) -> bool = match builtin {
        I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64 | Integer => &integer,
        Decimal => &decimal,
        F32 | F64 => &float,
        _ => return Ok(()),
    };
    for (facet, value) in [
        ("minInclusive", &facets.min_inclusive),
        ("maxInclusive", &facets.max_inclusive),
        ("minExclusive", &facets.min_exclusive),
        ("maxExclusive", &facets.max_exclusive),
    ] {
        if let Some(value) = value
            && !valid(value.trim())
        {
            return Err(Error::invalid(
                loc,
                format!("{facet}={value:?} is not a value of the restricted numeric type"),
            ));
        }
    }
    Ok(())
}
