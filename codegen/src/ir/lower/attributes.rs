//! Attributes: declared, referenced, from attribute groups, `xs:anyAttribute`, and the `xml:` ones.

use std::collections::HashSet;

use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{Attribute, AttributeItem, AttributeUse, Occurs, TypeRef};

impl<'s> Lowering<'s> {
    pub(super) fn attribute_fields(
        &mut self,
        attributes: &'s [AttributeItem],
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<()> {
        for item in attributes {
            match item {
                AttributeItem::Attribute(a) => {
                    self.attribute_field(a, a.usage, &a.default, &a.fixed, ctx, fields, scope)?
                }
                AttributeItem::Ref {
                    name,
                    usage,
                    default,
                    fixed,
                    loc,
                } => {
                    let Some(a) = self.attributes.get(name).copied() else {
                        if name.ns.as_deref() == Some(crate::xsd::XML_NS)
                            && matches!(name.local.as_str(), "lang" | "space" | "base" | "id")
                        {
                            xml_attribute_field(&name.local, *usage, default, fixed, fields, scope);
                            continue;
                        }
                        return Err(Error::Unresolved {
                            kind: "attribute",
                            name: name.to_string(),
                            loc: loc.clone(),
                        });
                    };
                    let default = default.clone().or_else(|| a.default.clone());
                    let fixed = fixed.clone().or_else(|| a.fixed.clone());
                    self.attribute_field(a, *usage, &default, &fixed, ctx, fields, scope)?;
                }
                AttributeItem::GroupRef(name, loc) => {
                    let group =
                        *self
                            .attribute_groups
                            .get(name)
                            .ok_or_else(|| Error::Unresolved {
                                kind: "attributeGroup",
                                name: name.to_string(),
                                loc: loc.clone(),
                            })?;
                    if !self.expanding_attribute_groups.insert(name.clone()) {
                        return Err(Error::invalid(
                            loc,
                            format!("attributeGroup {name} contains itself"),
                        ));
                    }
                    let done = self.attribute_fields(&group.attributes, ctx, fields, scope);
                    self.expanding_attribute_groups.remove(name);
                    done?;
                }
                AttributeItem::Any(_) => {
                    if !fields.iter().any(|f| f.place == Place::AnyAttributes) {
                        fields.push(Field {
                            name: scope.claim("other_attributes"),
                            xml: "@*".to_owned(),
                            place: Place::AnyAttributes,
                            ty: Ty::Builtin(Builtin::String),
                            card: Card::Many,
                            boxed: false,
                            occurs: Occurs::ONCE,
                            default: None,
                            fixed: None,
                            nillable: false,
                            namespace: None,
                            doc:
                                "Attributes matched by `xs:anyAttribute`, as `(name, value)` pairs."
                                    .to_owned(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The XML names of the attributes `attributes` declares, prohibited ones included, through attribute
    /// groups: those a derived type restates or removes.
    pub(super) fn declared_attribute_names(&self, attributes: &[AttributeItem]) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut pending: Vec<&[AttributeItem]> = vec![attributes];
        let mut seen = HashSet::new();
        while let Some(items) = pending.pop() {
            for item in items {
                match item {
                    AttributeItem::Attribute(a) => {
                        out.insert(a.name.local.clone());
                    }
                    AttributeItem::Ref { name, .. } => {
                        out.insert(if name.ns.as_deref() == Some(crate::xsd::XML_NS) {
                            format!("xml:{}", name.local)
                        } else {
                            name.local.clone()
                        });
                    }
                    AttributeItem::GroupRef(name, _) => {
                        if let Some(group) = self.attribute_groups.get(name)
                            && seen.insert(name.clone())
                        {
                            pending.push(&group.attributes);
                        }
                    }
                    AttributeItem::Any(_) => {}
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn attribute_field(
        &mut self,
        a: &'s Attribute,
        usage: AttributeUse,
        default: &Option<String>,
        fixed: &Option<String>,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<()> {
        if usage == AttributeUse::Prohibited {
            return Ok(());
        }
        let ty = match &a.ty {
            TypeRef::Named(q) => self.type_ref(q, &a.loc)?,
            TypeRef::Simple(st) => {
                self.anonymous_simple(st, &names::nested(ctx, &names::type_name(&a.name.local)))?
            }
            TypeRef::Complex(_) => {
                return Err(Error::invalid(
                    &a.loc,
                    "an attribute cannot have a complex type",
                ));
            }
            TypeRef::Unspecified => Ty::Builtin(Builtin::String),
        };
        let name = scope.claim(&names::field_name(&a.name.local));
        let mut doc = a.doc.clone().unwrap_or_default();
        append_value_notes(
            &mut doc,
            &format!("Attribute `{}`", a.name.local),
            default,
            fixed,
        );
        fields.push(attribute(
            name,
            a.name.local.clone(),
            a.name.ns.clone(),
            ty,
            usage,
            default,
            fixed,
            doc,
        ));
        Ok(())
    }
}

/// A field for `xml:lang`, `xml:space`, `xml:base` or `xml:id`, the attributes of the XML namespace, which is
/// bound to the `xml` prefix in every document: text, named with its prefix.
pub(super) fn xml_attribute_field(
    local: &str,
    usage: AttributeUse,
    default: &Option<String>,
    fixed: &Option<String>,
    fields: &mut Vec<Field>,
    scope: &mut Scope,
) {
    if usage == AttributeUse::Prohibited {
        return;
    }
    let mut doc = String::new();
    append_value_notes(
        &mut doc,
        &format!("Attribute `xml:{local}`"),
        default,
        fixed,
    );
    fields.push(attribute(
        scope.claim(&names::field_name(&format!("xml_{local}"))),
        format!("xml:{local}"),
        None,
        Ty::Builtin(Builtin::String),
        usage,
        default,
        fixed,
        doc,
    ));
}

/// The field of an attribute (not prohibited).
#[allow(clippy::too_many_arguments)]
pub(super) fn attribute(
    name: String,
    xml: String,
    namespace: Option<String>,
    ty: Ty,
    usage: AttributeUse,
    default: &Option<String>,
    fixed: &Option<String>,
    doc: String,
) -> Field {
    Field {
        name,
        xml,
        place: Place::Attribute,
        ty,
        card: if usage == AttributeUse::Required {
            Card::One
        } else {
            Card::Optional
        },
        boxed: false,
        occurs: Occurs::ONCE,
        default: default.clone(),
        fixed: fixed.clone(),
        nillable: false,
        namespace,
        doc,
    }
}
