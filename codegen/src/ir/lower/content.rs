//! Content models: the fields of complex types from their particles (sequences, choices, groups, element
//! references, substitution groups, wildcards), their bases, and mixed content.

use std::collections::HashSet;

use super::simple::restriction_kind;
use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{
    ComplexType, Content, Derivation, Element, Occurs, Particle, QName, Term, TypeRef,
};

impl<'s> Lowering<'s> {
    pub(super) fn anonymous_element_type(&mut self, e: &'s Element, rust: &str) -> Result<Ty> {
        match &e.ty {
            TypeRef::Complex(ct) => {
                if let Some(item) = self.profile.and_then(|p| p.collection_item(ct)) {
                    return self.collection(item);
                }
                if let Some(text) = self.text_only(ct)? {
                    return Ok(text);
                }
                let rust = if self.scope.contains(rust)
                    && self.element_names.get(&e.name).is_some_and(|n| n == rust)
                {
                    rust.to_owned()
                } else {
                    self.scope.claim(rust)
                };
                // Reserve the name before building, so recursion through this element finds it.
                self.building.insert(rust.clone());
                let kind = self.complex_kind(ct, &rust);
                self.building.remove(&rust);
                let kind = kind?;
                let doc = self.item_doc(
                    &ct.doc.clone().or_else(|| e.doc.clone()),
                    &format!("element `{}`", e.name.local),
                );
                self.push(rust.clone(), &e.name.local, doc, kind, &ct.loc);
                Ok(Ty::Named(rust))
            }
            TypeRef::Simple(st) => self.anonymous_simple(st, rust),
            TypeRef::Named(q) => self.element_type_ref(q, &e.loc),
            TypeRef::Unspecified => Ok(Ty::AnyElement),
        }
    }

    pub(super) fn complex_kind(&mut self, ct: &'s ComplexType, rust: &str) -> Result<ItemKind> {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        self.complex_fields(ct, rust, &mut fields, &mut scope, &mut HashSet::new())?;
        Ok(ItemKind::Struct(Struct { fields }))
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
                loc,
            } => {
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
                let text_ty = if *derivation == Derivation::Restriction
                    && (facets.has_checks() || !facets.enumerations.is_empty())
                {
                    let wanted = names::nested(ctx, "Value");
                    let rust = self.scope.claim(&wanted);
                    let kind = restriction_kind(text_ty, facets);
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
                let before = fields.len();
                self.attribute_fields(&ct.attributes, ctx, fields, scope)?;
                // A restated attribute overrides the inherited one.
                let restated: Vec<String> =
                    fields[before..].iter().map(|f| f.xml.clone()).collect();
                let mut i = 0;
                fields.retain(|f| {
                    i += 1;
                    i > before || !(f.place == Place::Attribute && restated.contains(&f.xml))
                });
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
    /// in document order: a new list of the elements, or the list of a repeated choice, taking a `Text` variant.
    /// Where neither fits (`xs:any` beside, a choice among other elements), the text is one joined field.
    pub(super) fn mixed_content(
        &mut self,
        ctx: &str,
        loc: &crate::xsd::Loc,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        let has = |fields: &[Field], place: Place| fields.iter().any(|f| f.place == place);
        if has(fields, Place::Text) {
            return;
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
                        namespace: None,
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
                let e = *self.elements.get(name).ok_or_else(|| Error::Unresolved {
                    kind: "element",
                    name: name.to_string(),
                    loc: p.loc.clone(),
                })?;
                if self.substitutes.contains_key(name) {
                    return self.substitution_choice(e, occurs, ctx, fields, scope, &p.loc);
                }
                self.element_field(e, occurs, ctx, fields, scope)
            }
            Term::GroupRef(name) => {
                let group = *self.groups.get(name).ok_or_else(|| Error::Unresolved {
                    kind: "group",
                    name: name.to_string(),
                    loc: p.loc.clone(),
                })?;
                if !self.expanding_groups.insert(name.clone()) {
                    return Err(Error::invalid(
                        &p.loc,
                        format!(
                            "group {name} is reached again while it is expanded: it contains itself, directly or \
                             through an anonymous element type (not supported)"
                        ),
                    ));
                }
                let done = self.particle_fields(&group.particle, occurs, ctx, fields, scope);
                self.expanding_groups.remove(name);
                done
            }
            Term::Sequence(parts)
                if occurs.is_many()
                    && parts.len() > 1
                    && !fields
                        .iter()
                        .any(|f| f.place == Place::Choice || f.place == Place::AnyElements) =>
            {
                // A repeated sequence of several elements (`(key, value)+`): one list of its elements in
                // document order, so that the occurrences interleave as the schema has them.
                let mut elements = Vec::new();
                for part in parts {
                    let e = match &part.term {
                        Term::Element(e) => &**e,
                        Term::ElementRef(name) if !self.substitutes.contains_key(name) => {
                            *self.elements.get(name).ok_or_else(|| Error::Unresolved {
                                kind: "element",
                                name: name.to_string(),
                                loc: part.loc.clone(),
                            })?
                        }
                        // Groups, choices, wildcards and substitution heads inside: one field per element.
                        _ => {
                            for part in parts {
                                self.particle_fields(part, occurs, ctx, fields, scope)?;
                            }
                            return Ok(());
                        }
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
                let has_choice = fields
                    .iter()
                    .any(|f| f.place == Place::Choice || f.place == Place::AnyElements);
                if simple && !has_choice && !parts.is_empty() {
                    let mut elements = Vec::new();
                    let mut optional = false;
                    for part in parts {
                        optional |= part.occurs.min == 0;
                        let e = match &part.term {
                            Term::Element(e) => &**e,
                            Term::ElementRef(name) => {
                                *self.elements.get(name).ok_or_else(|| Error::Unresolved {
                                    kind: "element",
                                    name: name.to_string(),
                                    loc: part.loc.clone(),
                                })?
                            }
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
                } else {
                    // quick-xml maps one choice per struct to an enum; further ones, and choices of groups,
                    // become optional fields (each alternative may be absent).
                    let relaxed = Occurs { min: 0, ..occurs };
                    for part in parts {
                        self.particle_fields(part, relaxed, ctx, fields, scope)?;
                    }
                    Ok(())
                }
            }
            Term::Any { .. } => {
                if !fields
                    .iter()
                    .any(|f| f.place == Place::AnyElements || f.place == Place::Choice)
                {
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
                        doc: "Elements matched by `xs:any`, kept as they came.".to_owned(),
                    });
                }
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
                    let head = *self.elements.get(head).ok_or_else(|| Error::Unresolved {
                        kind: "element",
                        name: head.to_string(),
                        loc: e.loc.clone(),
                    })?;
                    self.element_ty(head, ctx)
                }
                None => Ok(Ty::AnyElement),
            },
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
            doc,
        });
        Ok(())
    }

    pub(super) fn substitution_choice(
        &mut self,
        head: &'s Element,
        occurs: Occurs,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
        loc: &crate::xsd::Loc,
    ) -> Result<()> {
        let mut elements = Vec::new();
        if !head.is_abstract {
            elements.push((head, false));
        }
        let mut pending = vec![head.name.clone()];
        let mut seen = HashSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            for member in self.substitutes.get(&name).cloned().unwrap_or_default() {
                // A member is listed once, even where the groups form a cycle (which XSD forbids).
                if !member.is_abstract && !elements.iter().any(|(e, _)| e.name == member.name) {
                    elements.push((member, false));
                }
                pending.push(member.name.clone());
            }
        }
        if elements.is_empty() {
            return Err(Error::invalid(
                loc,
                format!("substitution group {} has no concrete member", head.name),
            ));
        }
        if fields
            .iter()
            .any(|f| f.place == Place::Choice || f.place == Place::AnyElements)
        {
            for (e, _) in elements {
                self.element_field(e, Occurs { min: 0, ..occurs }, ctx, fields, scope)?;
            }
            return Ok(());
        }
        self.list_field(&elements, ctx, fields, scope, loc, ListKind::Choice(occurs))
    }

    /// A field holding one of `elements` per occurrence, as an enum with a variant per element: a choice, or the
    /// elements of a repeated sequence in document order.
    pub(super) fn list_field(
        &mut self,
        elements: &[(&'s Element, bool)],
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
        loc: &crate::xsd::Loc,
        kind: ListKind,
    ) -> Result<()> {
        let (occurs, occurrence, suffix, field, what, field_doc) = match kind {
            ListKind::Choice(occurs) => (
                occurs,
                Occurrence::Each,
                "Choice",
                "choice",
                "a choice",
                "Which of the alternatives the element holds.",
            ),
            ListKind::Sequence { occurs, starts } => (
                occurs,
                if starts {
                    Occurrence::StartsWith(0)
                } else {
                    Occurrence::Uncounted
                },
                "Item",
                "items",
                "a repeated sequence",
                "The elements of the repeated sequence, in document order.",
            ),
        };
        let rust = self.scope.claim(&names::nested(ctx, suffix));
        let mut variant_scope = Scope::default();
        let mut variants = Vec::new();
        // A repeated alternative makes the whole choice repeat (`Vec<Choice>`, one variant per element).
        for (e, _) in elements {
            let ty = self.element_ty(e, ctx)?;
            let mut doc = e.doc.clone().unwrap_or_default();
            append_value_notes(
                &mut doc,
                &format!("Element `<{}>`", e.name.local),
                &e.default,
                &e.fixed,
            );
            // A global element of another namespace than that of the schema document the reference is in
            // (whose elements are its parent's siblings); local elements take the document's.
            let context = self.file_namespace(&loc.file);
            let namespace = e.name.ns.as_ref().filter(|ns| {
                Some(ns.as_str()) != context
                    && self
                        .elements
                        .get(&e.name)
                        .is_some_and(|g| std::ptr::eq(*g, *e))
            });
            variants.push(ChoiceVariant {
                name: variant_scope.claim(&names::type_name(&e.name.local)),
                xml: e.name.local.clone(),
                namespace: namespace.cloned(),
                ty,
                boxed: false,
                doc,
            });
        }
        let many = occurs.is_many() || elements.iter().any(|(_, many)| *many);
        let doc = self.item_doc(&None, &format!("{what} in {ctx}"));
        self.push(
            rust.clone(),
            &rust,
            doc,
            ItemKind::Choice(Choice {
                variants,
                occurrence,
            }),
            loc,
        );
        fields.push(Field {
            name: scope.claim(field),
            xml: "$value".to_owned(),
            place: Place::Choice,
            ty: Ty::Named(rust),
            card: if many {
                Card::Many
            } else if occurs.min == 0 {
                Card::Optional
            } else {
                Card::One
            },
            boxed: false,
            occurs,
            default: None,
            fixed: None,
            nillable: false,
            doc: field_doc.to_owned(),
        });
        Ok(())
    }
}

/// What a list field's enum stands for.
#[derive(Clone, Copy)]
pub(super) enum ListKind {
    /// An `xs:choice` occurring so often.
    Choice(Occurs),
    /// A repeated `xs:sequence` of elements, occurring so often; `starts`: each occurrence begins with the
    /// first element.
    Sequence { occurs: Occurs, starts: bool },
}

/// The `Text` variant of a mixed-content list: the text between the child elements.
pub(super) fn text_variant(scope: &mut Scope) -> ChoiceVariant {
    ChoiceVariant {
        name: scope.claim("Text"),
        xml: "$text".to_owned(),
        namespace: None,
        ty: Ty::Builtin(Builtin::String),
        boxed: false,
        doc: "Text between the child elements, trimmed.".to_owned(),
    }
}
