//! The symbol index of a schema set, and the resolution of references to named types, elements and built-ins.

use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self};
use crate::xsd::{ComplexType, Content, Element, QName, SimpleKind, SimpleType, TopItem, TypeRef};

impl<'s> Lowering<'s> {
    /// The global element `name`, referenced at `loc`.
    pub(super) fn element_named(&self, name: &QName, loc: &crate::xsd::Loc) -> Result<&'s Element> {
        self.elements
            .get(name)
            .copied()
            .ok_or_else(|| Error::Unresolved {
                kind: "element",
                name: name.to_string(),
                loc: loc.clone(),
            })
    }

    pub(super) fn index(&mut self) -> Result<()> {
        let set = self.set;
        for file in &set.files {
            for item in &file.items {
                let (name, loc, duplicate) = match item {
                    TopItem::ComplexType(ct) => {
                        let name = ct.name.clone().expect("top-level complex types are named");
                        (
                            name.clone(),
                            &ct.loc,
                            self.types.insert(name, Decl::Complex(ct)).is_some(),
                        )
                    }
                    TopItem::SimpleType(st) => {
                        let name = st.name.clone().expect("top-level simple types are named");
                        (
                            name.clone(),
                            &st.loc,
                            self.types.insert(name, Decl::Simple(st)).is_some(),
                        )
                    }
                    TopItem::Element(e) => {
                        if let Some(head) = &e.substitution_group {
                            self.substitutes.entry(head.clone()).or_default().push(e);
                        }
                        (
                            e.name.clone(),
                            &e.loc,
                            self.elements.insert(e.name.clone(), e).is_some(),
                        )
                    }
                    TopItem::Group(g) => (
                        g.name.clone(),
                        &g.loc,
                        self.groups.insert(g.name.clone(), g).is_some(),
                    ),
                    TopItem::AttributeGroup(g) => (
                        g.name.clone(),
                        &g.loc,
                        self.attribute_groups.insert(g.name.clone(), g).is_some(),
                    ),
                    TopItem::Attribute(a) => (
                        a.name.clone(),
                        &a.loc,
                        self.attributes.insert(a.name.clone(), a).is_some(),
                    ),
                };
                if duplicate {
                    return Err(Error::invalid(loc, format!("{name} is declared twice")));
                }
            }
        }
        // Names first, so references can be resolved before the referenced item is built.
        for file in &set.files {
            for item in &file.items {
                match item {
                    TopItem::ComplexType(ComplexType {
                        name: Some(name), ..
                    })
                    | TopItem::SimpleType(SimpleType {
                        name: Some(name), ..
                    }) => {
                        let rust = self.scope.claim(&names::type_name(&name.local));
                        self.type_names.insert(name.clone(), rust);
                    }
                    _ => {}
                }
            }
        }
        for file in &set.files {
            for item in &file.items {
                if let TopItem::Element(e) = item {
                    if matches!(e.ty, TypeRef::Complex(_) | TypeRef::Simple(_)) {
                        let rust = self.scope.claim(&names::type_name(&e.name.local));
                        self.element_names.insert(e.name.clone(), rust);
                    }
                }
            }
        }
        // Members in declaration order, file by file in path order: the same choice in whichever module sees
        // the group.
        for members in self.substitutes.values_mut() {
            members.sort_by_cached_key(|e| (e.loc.file.clone(), e.loc.line, e.loc.col));
        }
        self.index_derived();
        Ok(())
    }

    /// The value type of a reference to a named type or an XSD built-in.
    pub(super) fn type_ref(&mut self, name: &QName, loc: &crate::xsd::Loc) -> Result<Ty> {
        let key = match &name.ns {
            Some(ns) if !name.is_xsd() => format!("{{{ns}}}{}", name.local),
            _ => name.to_string(),
        };
        if let Some(path) = self.overrides.get(&key) {
            return Ok(Ty::External(path.clone()));
        }
        if name.is_xsd() {
            if name.local == "anyType" {
                return Ok(Ty::AnyElement);
            }
            // The built-in list types: lists of tokens, never empty (so without a `Default`, like a token).
            if matches!(name.local.as_str(), "NMTOKENS" | "IDREFS" | "ENTITIES") {
                return Ok(Ty::List(Box::new(Ty::Builtin(Builtin::Name))));
            }
            return xs(&name.local)
                .map(|builtin| Ty::Builtin(self.builtin(builtin)))
                .ok_or_else(|| Error::Unresolved {
                    kind: "built-in type",
                    name: name.to_string(),
                    loc: loc.clone(),
                });
        }
        self.resolve_named(name, loc)
    }

    /// Named types resolve to their item (`Ty::Named`), or to what they alias: the text type of a simple-content
    /// type without attributes, the base of a facet-less restriction, a collection wrapper.
    pub(super) fn resolve_named(&mut self, name: &QName, loc: &crate::xsd::Loc) -> Result<Ty> {
        if let Some(ty) = self.resolved.get(name) {
            return Ok(ty.clone());
        }
        let decl = *self.types.get(name).ok_or_else(|| Error::Unresolved {
            kind: "type",
            name: name.to_string(),
            loc: loc.clone(),
        })?;
        if !self.resolving.insert(name.clone()) {
            if let Decl::Simple(st) = decl {
                return Err(Error::invalid(
                    &st.loc,
                    format!("simple type {name} is defined in terms of itself"),
                ));
            }
            // A complex type reached again while resolving itself is a real (recursive) item.
            return Ok(Ty::Named(self.type_names[name].clone()));
        }
        let own = Ty::Named(self.type_names[name].clone());
        let ty = match decl {
            Decl::Simple(st) => match &st.kind {
                SimpleKind::Restriction { base, facets }
                    if facets.enumerations.is_empty() && !facets.has_checks() =>
                {
                    let base = self.simple_base(
                        base,
                        &st.loc,
                        &names::nested(&self.type_names[name], "Base"),
                    )?;
                    self.restricted(base, facets, &st.loc)?
                }
                SimpleKind::List { item } => {
                    let item = self.simple_base(
                        item,
                        &st.loc,
                        &names::nested(&self.type_names[name], "Item"),
                    )?;
                    Ty::List(Box::new(item))
                }
                _ => own,
            },
            Decl::Complex(ct) => {
                if let Some(item) = self.profile.and_then(|p| p.collection_item(ct)) {
                    self.collection(item)?
                } else if let Some(text) = self.text_only(ct)? {
                    text
                } else {
                    own
                }
            }
        };
        self.resolving.remove(name);
        self.resolved.insert(name.clone(), ty.clone());
        Ok(ty)
    }

    /// For a simple-content type with no attributes (anywhere up its bases) and no facets: its text type.
    pub(super) fn text_only(&mut self, ct: &'s ComplexType) -> Result<Option<Ty>> {
        let Content::Simple {
            base,
            facets,
            simple_type,
            ..
        } = &ct.content
        else {
            return Ok(None);
        };
        if !ct.attributes.is_empty()
            || facets.has_checks()
            || !facets.enumerations.is_empty()
            || simple_type.is_some()
        {
            return Ok(None);
        }
        let base_ty = self.type_ref(base, &ct.loc)?;
        let base_ty = self.restricted(base_ty, facets, &ct.loc)?;
        match &base_ty {
            Ty::Named(n) if self.is_struct_name(base, n) => Ok(None),
            _ => Ok(Some(base_ty)),
        }
    }

    /// Whether the named base type became a struct (simple content with attributes).
    pub(super) fn is_struct_name(&self, base: &QName, rust: &str) -> bool {
        matches!(self.types.get(base), Some(Decl::Complex(_)))
            && self.type_names.get(base).is_some_and(|n| n == rust)
    }

    pub(super) fn collection(&mut self, item: &'s Element) -> Result<Ty> {
        let (item_ty, type_xml) = match &item.ty {
            TypeRef::Named(q) => (self.type_ref(q, &item.loc)?, Some(q.local.clone())),
            _ => {
                return Err(Error::invalid(
                    &item.loc,
                    "collection items must have a named type",
                ));
            }
        };
        let natural = match &item_ty {
            Ty::Named(n) => type_xml.as_deref() == Some(item.name.local.as_str()) && !n.is_empty(),
            _ => false,
        };
        let marker = if natural {
            None
        } else {
            let xml = item.name.local.clone();
            Some(match self.markers.get(&xml) {
                Some(existing) => existing.clone(),
                None => {
                    let name = self.scope.claim(&format!("{}Item", names::type_name(&xml)));
                    self.markers.insert(xml.clone(), name.clone());
                    let doc = format!(
                        "Names the `<{xml}>` item element of collections in `{}`.",
                        self.source
                    );
                    self.push(
                        name.clone(),
                        &xml,
                        doc,
                        ItemKind::ElementMarker(xml.clone()),
                        &item.loc,
                    );
                    name
                }
            })
        };
        Ok(Ty::Collection {
            item: Box::new(item_ty),
            marker,
        })
    }
}

impl Lowering<'_> {
    /// A built-in as this mapping keeps it: under a profile that trims every text, the string built-ins that
    /// differ only by their whitespace are one (a [`Builtin::Name`] keeps having no empty value); under a
    /// profile that asks for chrono's dates, dates and times are chrono's.
    pub(super) fn builtin(&self, builtin: Builtin) -> Builtin {
        if self.profile.is_some_and(|p| p.chrono_dates()) {
            return self.string_builtin(builtin.as_chrono());
        }
        self.string_builtin(builtin)
    }

    fn string_builtin(&self, builtin: Builtin) -> Builtin {
        if builtin.is_string()
            && builtin != Builtin::Name
            && self.profile.is_some_and(|p| p.trims_text())
        {
            Builtin::String
        } else {
            builtin
        }
    }

    /// `ty` restricted by `facets`: a string built-in takes the restriction's `whiteSpace` facet.
    pub(super) fn restricted(
        &self,
        ty: Ty,
        facets: &crate::xsd::Facets,
        loc: &crate::xsd::Loc,
    ) -> Result<Ty> {
        let white_space = match &facets.white_space {
            None => None,
            Some(value) => Some(WhiteSpace::parse(value).ok_or_else(|| {
                Error::invalid(
                    loc,
                    format!("whiteSpace value {value:?} is not preserve, replace or collapse"),
                )
            })?),
        };
        Ok(match ty {
            Ty::Builtin(builtin) => {
                Ty::Builtin(self.builtin(builtin.with_white_space(white_space)))
            }
            other => other,
        })
    }
}

pub(super) fn xs(local: &str) -> Option<Builtin> {
    use Builtin::*;
    Some(match local {
        "string" | "anySimpleType" => String,
        "normalizedString" => NormalizedString,
        "token" | "anyURI" => Token,
        "QName" => QName,
        "NMTOKEN" | "Name" | "NCName" | "ID" | "IDREF" | "ENTITY" | "language" | "NOTATION"
        | "duration" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay" => Name,
        "boolean" => Bool,
        "byte" => I8,
        "short" => I16,
        "int" => I32,
        "long" => I64,
        "unsignedByte" => U8,
        "unsignedShort" => U16,
        "unsignedInt" => U32,
        "unsignedLong" => U64,
        "integer" => Integer,
        "nonNegativeInteger" => NonNegativeInteger,
        "positiveInteger" => PositiveInteger,
        "nonPositiveInteger" => NonPositiveInteger,
        "negativeInteger" => NegativeInteger,
        "decimal" => Decimal,
        "float" => F32,
        "double" => F64,
        "dateTime" | "dateTimeStamp" => DateTime,
        "date" => Date,
        "time" => Time,
        "base64Binary" => Base64,
        "hexBinary" => Hex,
        _ => return None,
    })
}
