//! Content models: the fields of complex types from their particles (sequences, choices, groups, element
//! references, substitution groups, wildcards), their bases, and mixed content.

use std::collections::HashSet;

use super::order::{ListKind, list_field_of, text_variant};
use super::simple::{check_facets, restriction_kind};
use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{
    ComplexType, Content, Derivation, Element, Occurs, Particle, QName, Term, TypeRef,
};

/// How deep anonymous element types may nest. Real schemas stay far below; reaching it means a recursion through
/// anonymous types that `recursion` did not find, which is refused rather than followed forever.
const MAX_ANONYMOUS_DEPTH: usize = 128;

impl<'s> Lowering<'s> {
    pub(super) fn anonymous_element_type(&mut self, e: &'s Element, rust: &str) -> Result<Ty> {
        self.anonymous_type_of(e, rust, None)
    }

    /// The type of element `e`, declared with an anonymous type, named `rust` (or a free variant of it). `memo`
    /// keys the type of an element of a recursive group (see `group_types`): recorded before the type is built,
    /// so the group reached again inside it refers to it.
    fn anonymous_type_of(&mut self, e: &'s Element, rust: &str, memo: Option<usize>) -> Result<Ty> {
        let ty = match &e.ty {
            TypeRef::Complex(ct) => {
                let simpler = match self.profile.and_then(|p| p.collection_item(ct)) {
                    Some(item) => Some(self.collection(item)?),
                    None => self.text_only(ct)?,
                };
                if let Some(ty) = simpler {
                    if let Some(key) = memo {
                        self.group_types.insert(key, ty.clone());
                    }
                    return Ok(ty);
                }
                let rust = if self.scope.contains(rust)
                    && self.element_names.get(&e.name).is_some_and(|n| n == rust)
                {
                    rust.to_owned()
                } else {
                    self.scope.claim(rust)
                };
                if let Some(key) = memo {
                    self.group_types.insert(key, Ty::Named(rust.clone()));
                }
                // Reserve the name before building, so recursion through this element finds it. Groups
                // expanded inside the type start afresh: reaching one again through an element is recursion
                // through a type, which has an end.
                if self.anonymous_depth >= MAX_ANONYMOUS_DEPTH {
                    return Err(Error::invalid(
                        &ct.loc,
                        format!(
                            "element `{}`: anonymous types nested more than {MAX_ANONYMOUS_DEPTH} deep (a \
                             recursion through anonymous types the generator does not resolve)",
                            e.name.local
                        ),
                    ));
                }
                self.building.insert(rust.clone());
                let key = e as *const Element as usize;
                let outer = self.building_elements.insert(key, rust.clone());
                let groups = std::mem::take(&mut self.expanding_groups);
                let group_ctx = self.group_ctx.take();
                self.anonymous_depth += 1;
                let kind = self.complex_kind(ct, &rust);
                self.anonymous_depth -= 1;
                self.expanding_groups = groups;
                self.group_ctx = group_ctx;
                match outer {
                    Some(outer) => self.building_elements.insert(key, outer),
                    None => self.building_elements.remove(&key),
                };
                self.building.remove(&rust);
                let kind = kind?;
                let doc = self.item_doc(
                    &ct.doc.clone().or_else(|| e.doc.clone()),
                    &format!("element `{}`", e.name.local),
                );
                self.push(rust.clone(), &e.name.local, doc, kind, &ct.loc);
                return Ok(Ty::Named(rust));
            }
            TypeRef::Simple(st) => self.anonymous_simple(st, rust)?,
            TypeRef::Named(q) => self.element_type_ref(q, &e.loc)?,
            TypeRef::Unspecified => Ty::AnyElement,
        };
        if let Some(key) = memo {
            self.group_types.insert(key, ty.clone());
        }
        Ok(ty)
    }

    pub(super) fn complex_kind(&mut self, ct: &'s ComplexType, rust: &str) -> Result<ItemKind> {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        self.complex_fields(ct, rust, &mut fields, &mut scope, &mut HashSet::new())?;
        self.fuse_lists(rust, &ct.loc, &mut fields);
        Ok(ItemKind::Struct(Struct {
            fields,
            unknown: None,
        }))
    }

    /// Appends the fields of `ct` (its bases first) to `fields`.
    pub(super) fn complex_fields(
        &mut self,
        ct: &'s ComplexType,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
        bases: &mut HashSet<QName>,
    ) -> Result<()> {
        match &ct.content {
            Content::Empty => {
                self.attribute_fields(&ct.attributes, ctx, fields, scope)?;
            }
            Content::Particle(p) => {
                self.attribute_fields(&ct.attributes, ctx, fields, scope)?;
                self.particle_fields(p, Occurs::ONCE, ctx, fields, scope)?;
            }
            Content::Simple {
                derivation,
                base,
                facets,
                simple_type,
                loc,
            } => {
                // Attributes the type restates or prohibits replace the inherited ones.
                let own = self.declared_attribute_names(&ct.attributes);
                let text_ty = match self.types.get(base).copied() {
                    Some(Decl::Complex(base_ct)) => {
                        if !bases.insert(base.clone()) {
                            return Err(Error::invalid(loc, format!("{base} derives from itself")));
                        }
                        let mut base_fields = Vec::new();
                        // The base's names are claimed below, except its text field's: this type's text
                        // field replaces it and takes the same name.
                        let mut base_scope = Scope::default();
                        self.complex_fields(
                            base_ct,
                            ctx,
                            &mut base_fields,
                            &mut base_scope,
                            bases,
                        )?;
                        let text = base_fields
                            .iter()
                            .position(|f| f.place == Place::Text)
                            .map(|i| base_fields.remove(i));
                        base_fields
                            .retain(|f| !(f.place == Place::Attribute && own.contains(&f.xml)));
                        for f in &base_fields {
                            scope.claim(&f.name);
                        }
                        fields.extend(base_fields);
                        match text {
                            Some(text) => text.ty,
                            None => match self.text_only(base_ct)? {
                                Some(ty) => ty,
                                None => {
                                    return Err(Error::invalid(
                                        loc,
                                        format!("{base} has no simple content to extend"),
                                    ));
                                }
                            },
                        }
                    }
                    _ => self.type_ref(base, loc)?,
                };
                // A restriction's own `xs:simpleType` is the content's type; its facets restrict that further.
                let checked = facets.has_checks() || !facets.enumerations.is_empty();
                let (text_ty, primitive) = match simple_type {
                    Some(st) if *derivation == Derivation::Restriction => {
                        let wanted = if checked {
                            names::nested(ctx, "ValueBase")
                        } else {
                            names::nested(ctx, "Value")
                        };
                        let ty = self.anonymous_simple(st, &wanted)?;
                        (ty, self.primitive(&TypeRef::Simple(st.clone()), 0))
                    }
                    _ => (text_ty, self.primitive(&TypeRef::Named(base.clone()), 0)),
                };
                let text_ty = if *derivation == Derivation::Restriction {
                    self.restricted(text_ty, facets, loc)?
                } else {
                    text_ty
                };
                let text_ty = if *derivation == Derivation::Restriction && checked {
                    check_facets(primitive, facets, loc)?;
                    let wanted = names::nested(ctx, "Value");
                    let rust = self.scope.claim(&wanted);
                    let kind = restriction_kind(text_ty, facets, primitive);
                    let doc = self.item_doc(&None, &format!("the restricted text of {ctx}"));
                    self.push(rust.clone(), &wanted, doc, kind, loc);
                    Ty::Named(rust)
                } else {
                    text_ty
                };
                self.attribute_fields(&ct.attributes, ctx, fields, scope)?;
                fields.push(Field {
                    name: scope.claim("value"),
                    xml: "$text".to_owned(),
                    place: Place::Text,
                    ty: text_ty,
                    card: Card::One,
                    boxed: false,
                    occurs: Occurs::ONCE,
                    default: None,
                    fixed: None,
                    nillable: false,
                    namespace: None,
                    doc: "The element's text content.".to_owned(),
                });
            }
            Content::Complex {
                derivation,
                base,
                particle,
                loc,
            } => {
                if !base.is_xsd() {
                    let Some(Decl::Complex(base_ct)) = self.types.get(base).copied() else {
                        return Err(Error::Unresolved {
                            kind: "complex type",
                            name: base.to_string(),
                            loc: loc.clone(),
                        });
                    };
                    if !bases.insert(base.clone()) {
                        return Err(Error::invalid(loc, format!("{base} derives from itself")));
                    }
                    let mut base_fields = Vec::new();
                    let mut base_scope = Scope::default();
                    self.complex_fields(base_ct, ctx, &mut base_fields, &mut base_scope, bases)?;
                    // Attributes the type restates or prohibits replace the inherited ones.
                    let own = self.declared_attribute_names(&ct.attributes);
                    base_fields.retain(|f| !(f.place == Place::Attribute && own.contains(&f.xml)));
                    match derivation {
                        Derivation::Extension => {
                            for f in base_fields {
                                scope.claim(&f.name);
                                fields.push(f);
                            }
                        }
                        // A restriction keeps the base's attributes and replaces its content model.
                        Derivation::Restriction => {
                            for f in base_fields.into_iter().filter(|f| {
                                f.place == Place::Attribute || f.place == Place::AnyAttributes
                            }) {
                                scope.claim(&f.name);
                                fields.push(f);
                            }
                        }
                    }
                }
                self.attribute_fields(&ct.attributes, ctx, fields, scope)?;
                if let Some(p) = particle {
                    self.particle_fields(p, Occurs::ONCE, ctx, fields, scope)?;
                }
            }
        }
        if ct.mixed {
            self.mixed_content(ctx, &ct.loc, fields, scope);
        }
        Ok(())
    }

    /// Mixed content (`mixed="true"`) around the child `fields` of `ctx`. Text and child elements become one list
    /// in document order: a new list of the elements, or the list of a repeated choice, taking a `Text` variant;
    /// choices and wildcards beside other content are fused with it into one list. Without child elements, the
    /// text is one field.
    pub(super) fn mixed_content(
        &mut self,
        ctx: &str,
        loc: &crate::xsd::Loc,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        let has = |fields: &[Field], place: Place| fields.iter().any(|f| f.place == place);
        let children = |fields: &[Field]| {
            fields
                .iter()
                .any(|f| matches!(f.place, Place::Element | Place::Choice | Place::AnyElements))
        };
        if has(fields, Place::Text) {
            if !children(fields) {
                return;
            }
            // The joined text of a mixed base without children: the extension's children take the text in
            // between, in document order.
            fields.retain(|f| f.place != Place::Text);
        }
        let (elements, choice, any) = (
            has(fields, Place::Element),
            has(fields, Place::Choice),
            has(fields, Place::AnyElements),
        );
        if elements && !choice && !any {
            let mut variants = Vec::new();
            let mut variant_scope = Scope::default();
            let mut kept = Vec::new();
            for f in fields.drain(..) {
                if f.place == Place::Element {
                    variants.push(ChoiceVariant {
                        name: variant_scope.claim(&names::type_name(&f.xml)),
                        xml: f.xml,
                        namespace: f.namespace,
                        ty: f.ty,
                        boxed: false,
                        doc: f.doc,
                    });
                } else {
                    kept.push(f);
                }
            }
            *fields = kept;
            variants.push(text_variant(&mut variant_scope));
            let rust = self.scope.claim(&names::nested(ctx, "Content"));
            let doc = self.item_doc(&None, &format!("the mixed content of {ctx}"));
            let kind = ItemKind::Choice(Choice {
                variants,
                occurrence: Occurrence::Uncounted,
            });
            self.push(rust.clone(), &rust, doc, kind, loc);
            fields.push(Field {
                name: scope.claim("content"),
                xml: "$value".to_owned(),
                place: Place::Choice,
                ty: Ty::Named(rust),
                card: Card::Many,
                boxed: false,
                occurs: Occurs { min: 0, max: None },
                default: None,
                fixed: None,
                nillable: false,
                namespace: None,
                doc: "The content in document order: text and child elements (mixed content)."
                    .to_owned(),
            });
            return;
        }
        let repeated_choice = fields
            .iter_mut()
            .find(|f| f.place == Place::Choice && f.card == Card::Many);
        if let (Some(field), false, false) = (repeated_choice, elements, any)
            && let Ty::Named(list) = &field.ty
            && let Some(ItemKind::Choice(choice)) = self
                .items
                .iter_mut()
                .find(|i| &i.name == list)
                .map(|i| &mut i.kind)
        {
            let mut variant_scope = Scope::default();
            for v in &choice.variants {
                variant_scope.claim(&v.name);
            }
            choice.variants.push(text_variant(&mut variant_scope));
            choice.occurrence = Occurrence::Uncounted;
            field.doc = "The content in document order: text and the alternatives (mixed content)."
                .to_owned();
            return;
        }
        if choice || any {
            // Choices or wildcards beside elements, or more than one: everything in one list, with the text.
            let content =
                |f: &Field| matches!(f.place, Place::Element | Place::Choice | Place::AnyElements);
            let start = fields.iter().position(content);
            let end = fields.iter().rposition(content);
            if let (Some(start), Some(end)) = (start, end) {
                let list = self.fuse(ctx, loc, fields, start, end);
                if let Some(ItemKind::Choice(c)) = self
                    .items
                    .iter_mut()
                    .find(|i| i.name == list)
                    .map(|i| &mut i.kind)
                    && !c.variants.iter().any(|v| v.xml == "$text")
                {
                    let mut variant_scope = Scope::default();
                    for v in &c.variants {
                        variant_scope.claim(&v.name);
                    }
                    c.variants.push(text_variant(&mut variant_scope));
                }
                if let Some(f) = fields.iter_mut().find(|f| f.ty == Ty::Named(list.clone())) {
                    f.doc =
                        "The content in document order: text and child elements (mixed content)."
                            .to_owned();
                }
                return;
            }
        }
        fields.push(Field {
            name: scope.claim("text"),
            xml: "$text".to_owned(),
            place: Place::Text,
            ty: Ty::Builtin(Builtin::String),
            card: Card::Optional,
            boxed: false,
            occurs: Occurs::ONCE,
            default: None,
            fixed: None,
            nillable: false,
            namespace: None,
            doc: "Text between the child elements (mixed content), joined.".to_owned(),
        });
    }

    pub(super) fn particle_fields(
        &mut self,
        p: &'s Particle,
        outer: Occurs,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<()> {
        let occurs = combine(outer, p.occurs);
        match &p.term {
            Term::Element(e) => self.element_field(e, occurs, ctx, fields, scope),
            Term::ElementRef(name) => {
                let e = self.element_named(name, &p.loc)?;
                if self.substitutes.contains_key(name) {
                    return self.substitution_choice(e, occurs, fields, scope, &p.loc);
                }
                self.element_field(e, occurs, ctx, fields, scope)
            }
            Term::GroupRef(name) => {
                let group = *self.groups.get(name).ok_or_else(|| Error::Unresolved {
                    kind: "group",
                    name: name.to_string(),
                    loc: p.loc.clone(),
                })?;
                self.expand_group(name, &p.loc, |this| {
                    this.particle_fields(&group.particle, occurs, ctx, fields, scope)
                })
            }
            Term::Sequence(parts) if occurs.is_many() && parts.len() > 1 => {
                // A repeated sequence of several elements (`(key, value)+`): one list of its elements in
                // document order, so that the occurrences interleave as the schema has them. One that nests
                // groups, choices, wildcards or substitution groups: one list of every element it can hold.
                let mut elements = Vec::new();
                for part in parts {
                    let e = match &part.term {
                        Term::Element(e) => &**e,
                        Term::ElementRef(name) if !self.substitutes.contains_key(name) => {
                            self.element_named(name, &part.loc)?
                        }
                        _ => return self.content_list(p, occurs, ctx, fields, scope),
                    };
                    elements.push((e, true));
                }
                // Each occurrence begins with the first element where it is there exactly once.
                let starts = parts[0].occurs.min == 1 && parts[0].occurs.max == Some(1);
                let kind = ListKind::Sequence { occurs, starts };
                self.list_field(&elements, ctx, fields, scope, &p.loc, kind)
            }
            Term::Sequence(parts) | Term::All(parts) => {
                for part in parts {
                    self.particle_fields(part, occurs, ctx, fields, scope)?;
                }
                Ok(())
            }
            Term::Choice(parts) => {
                let simple = parts
                    .iter()
                    .all(|part| matches!(part.term, Term::Element(_) | Term::ElementRef(_)));
                if simple && !parts.is_empty() {
                    let mut elements = Vec::new();
                    let mut optional = false;
                    for part in parts {
                        optional |= part.occurs.min == 0;
                        let e = match &part.term {
                            Term::Element(e) => &**e,
                            Term::ElementRef(name) => self.element_named(name, &part.loc)?,
                            _ => unreachable!("checked above"),
                        };
                        elements.push((e, part.occurs.is_many()));
                    }
                    let occurs = if optional {
                        Occurs { min: 0, ..occurs }
                    } else {
                        occurs
                    };
                    self.list_field(
                        &elements,
                        ctx,
                        fields,
                        scope,
                        &p.loc,
                        ListKind::Choice(occurs),
                    )
                } else if occurs.is_many() || self.names_repeat(p)? {
                    // A repeated choice of groups or sequences, or one whose alternatives share element names
                    // (`(min, max?) | max`): one list of every element it can hold.
                    self.content_list(p, occurs, ctx, fields, scope)
                } else {
                    // A choice of groups or sequences, once: each alternative's fields, optional (each may be
                    // absent); their order is the schema's.
                    let relaxed = Occurs { min: 0, ..occurs };
                    for part in parts {
                        self.particle_fields(part, relaxed, ctx, fields, scope)?;
                    }
                    Ok(())
                }
            }
            Term::Any { .. } => {
                // A second wildcard, or one beside a choice, is fused with it into one list (`fuse_lists`).
                fields.push(Field {
                    name: scope.claim("any"),
                    xml: "$value".to_owned(),
                    place: Place::AnyElements,
                    ty: Ty::AnyElement,
                    card: Card::Many,
                    boxed: false,
                    occurs: Occurs::ONCE,
                    default: None,
                    fixed: None,
                    nillable: false,
                    namespace: None,
                    doc: "Elements matched by `xs:any`, kept as they came.".to_owned(),
                });
                Ok(())
            }
        }
    }

    pub(super) fn element_ty(&mut self, e: &'s Element, ctx: &str) -> Result<Ty> {
        match &e.ty {
            TypeRef::Named(q) => self.element_type_ref(q, &e.loc),
            TypeRef::Unspecified => match &e.substitution_group {
                // A substitution member without a type takes its head's.
                Some(head) => {
                    let head = self.element_named(head, &e.loc)?;
                    self.element_ty(head, ctx)
                }
                None => Ok(Ty::AnyElement),
            },
            TypeRef::Simple(_)
                if self
                    .elements
                    .get(&e.name)
                    .is_some_and(|g| std::ptr::eq(*g, e)) =>
            {
                self.global_simple_element(e)
            }
            _ => {
                let wanted = match self.element_names.get(&e.name) {
                    Some(global)
                        if self
                            .elements
                            .get(&e.name)
                            .is_some_and(|g| std::ptr::eq(*g, e)) =>
                    {
                        global.clone()
                    }
                    _ => names::nested(ctx, &names::type_name(&e.name.local)),
                };
                let global = self.element_names.get(&e.name) == Some(&wanted);
                if global && self.building.contains(&wanted) {
                    // The element contains itself: the type is being built; the cycle is boxed later.
                    return Ok(Ty::Named(wanted));
                }
                if global && self.item_index.contains_key(&wanted) {
                    return Ok(Ty::Named(wanted));
                }
                let key = e as *const Element as usize;
                if !global && let Some(building) = self.building_elements.get(&key) {
                    // The declaration is reached inside its own type: recursion, boxed later.
                    return Ok(Ty::Named(building.clone()));
                }
                // An element of a recursive group: its type is built once, named after the group.
                if !global && let Some(ty) = self.group_types.get(&key) {
                    return Ok(ty.clone());
                }
                if !global && let Some(group) = self.group_ctx.clone() {
                    let wanted = format!("{group}{}", names::type_name(&e.name.local));
                    return self.anonymous_type_of(e, &wanted, Some(key));
                }
                self.anonymous_element_type(e, &wanted)
            }
        }
    }

    pub(super) fn element_field(
        &mut self,
        e: &'s Element,
        occurs: Occurs,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<()> {
        let ty = self.element_ty(e, ctx)?;
        let mut card = card(occurs);
        if e.nillable && card == Card::One {
            card = Card::Optional;
        }
        let mut doc = e.doc.clone().unwrap_or_default();
        append_value_notes(
            &mut doc,
            &format!("Element `<{}>`", e.name.local),
            &e.default,
            &e.fixed,
        );
        if e.nillable {
            doc.push_str(" Nillable: `xsi:nil` reads as `None`.");
        }
        fields.push(Field {
            name: scope.claim(&names::field_name(&e.name.local)),
            xml: e.name.local.clone(),
            place: Place::Element,
            ty,
            card,
            boxed: false,
            occurs,
            default: e.default.clone(),
            fixed: e.fixed.clone(),
            nillable: e.nillable,
            namespace: e.name.ns.clone(),
            doc,
        });
        Ok(())
    }

    pub(super) fn substitution_choice(
        &mut self,
        head: &'s Element,
        occurs: Occurs,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
        loc: &crate::xsd::Loc,
    ) -> Result<()> {
        let rust = match self.substitution_enums.get(&head.name) {
            Some(rust) => rust.clone(),
            None => {
                // One enum per head, shared by every reference to it: the members are the same wherever the head
                // is referenced (hundreds of members in large schema sets).
                let head_name = names::type_name(&head.name.local);
                let rust = self.scope.claim(&names::nested(&head_name, "Substitution"));
                self.substitution_enums
                    .insert(head.name.clone(), rust.clone());
                let elements: Vec<(&'s Element, bool)> = self
                    .substitution_members(head, loc)?
                    .into_iter()
                    .map(|e| (e, false))
                    .collect();
                let doc = self.item_doc(
                    &None,
                    &format!(
                        "an element that can stand for `<{}>` (its substitution group)",
                        head.name.local
                    ),
                );
                let kind = ListKind::Choice(Occurs::ONCE);
                self.list_item(&elements, &head_name, &head.loc, kind, rust.clone(), doc)?;
                rust
            }
        };
        fields.push(list_field_of(
            rust,
            false,
            occurs,
            "choice",
            "Which element of the substitution group it holds.",
            scope,
        ));
        Ok(())
    }
}
