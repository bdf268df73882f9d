//! Document order: the content of a type as one list of items (an enum with a variant per element), where one
//! field per element would lose the order or give serde two `$value` fields. A choice and a repeated sequence of
//! plain elements are such a list already (`list_field`); a repeated particle that nests choices, groups or
//! sequences becomes one list of every element it can hold (`content_list`, as JAXB's general content
//! property); and where a type still ends up with more than one list (two choices, a choice and `xs:any`, a
//! choice in a base and one in the extension), the lists and the elements between them are fused into one
//! (`fuse_lists`).

use std::collections::HashSet;

use super::*;
use crate::error::{Error, Result};
use crate::ir::names::{self, Scope};
use crate::xsd::{Element, Occurs, Particle, Term};

impl<'s> Lowering<'s> {
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
        let (occurs, suffix, field, what, field_doc) = match kind {
            ListKind::Choice(occurs) => (
                occurs,
                "Choice",
                "choice",
                "a choice",
                "Which of the alternatives the element holds.",
            ),
            ListKind::Sequence { occurs, .. } => (
                occurs,
                "Item",
                "items",
                "a repeated sequence",
                "The elements of the repeated sequence, in document order.",
            ),
            ListKind::Content { occurs, .. } => (
                occurs,
                "Content",
                "content",
                "the content",
                "The child elements, in document order (the content model nests choices, groups or \
                 sequences in a repeated particle, so its order is kept as one list).",
            ),
        };
        let rust = self.scope.claim(&names::nested(ctx, suffix));
        let doc = self.item_doc(&None, &format!("{what} in {ctx}"));
        let many = self.list_item(elements, ctx, loc, kind, rust.clone(), doc)?;
        fields.push(list_field_of(rust, many, occurs, field, field_doc, scope));
        Ok(())
    }

    /// The enum of a list field: one variant per element (and one for a wildcard's elements), pushed as item
    /// `rust`. Whether an element repeats on its own (the list is then a `Vec` whatever the particle's occurs).
    pub(super) fn list_item(
        &mut self,
        elements: &[(&'s Element, bool)],
        ctx: &str,
        loc: &crate::xsd::Loc,
        kind: ListKind,
        rust: String,
        doc: String,
    ) -> Result<bool> {
        let occurrence = match kind {
            ListKind::Choice(_) => Occurrence::Each,
            ListKind::Sequence { starts, .. } | ListKind::Content { starts, .. } => {
                if starts {
                    Occurrence::StartsWith(0)
                } else {
                    Occurrence::Uncounted
                }
            }
        };
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
            variants.push(ChoiceVariant {
                name: variant_scope.claim(&names::type_name(&e.name.local)),
                xml: e.name.local.clone(),
                namespace: e.name.ns.clone(),
                ty,
                boxed: false,
                doc,
            });
        }
        if let ListKind::Content { any: true, .. } = kind {
            variants.push(any_variant(&mut variant_scope));
        }
        let many = elements.iter().any(|(_, many)| *many);
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
        Ok(many)
    }

    /// A list field of every element particle `p` (a repeated sequence or choice that nests other particles)
    /// can hold, in document order. `starts`: each occurrence of `p` begins with its first element, once.
    pub(super) fn content_list(
        &mut self,
        p: &'s Particle,
        occurs: Occurs,
        ctx: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<()> {
        let mut collected = Vec::new();
        let mut any = false;
        self.collect_elements(p, &mut collected, &mut any)?;
        if collected.is_empty() && !any {
            // Empty groups and sequences: nothing to hold.
            return Ok(());
        }
        // The elements of recursive groups get their types as inside the group (built once, named after it).
        for (e, group) in &collected {
            if group.is_some() {
                let outer = std::mem::replace(&mut self.group_ctx, group.clone());
                let built = self.element_ty(e, ctx);
                self.group_ctx = outer;
                built?;
            }
        }
        let elements: Vec<&'s Element> = collected.into_iter().map(|(e, _)| e).collect();
        let first = match &p.term {
            Term::Sequence(parts) => parts.first(),
            _ => None,
        };
        let starts = first.is_some_and(|part| {
            part.occurs.min == 1
                && part.occurs.max == Some(1)
                && matches!(&part.term, Term::Element(e) if elements.first().is_some_and(|f| std::ptr::eq(*f, &**e)))
        });
        // A count by the first element holds only where no other particle holds an element of that name.
        let starts = starts
            && !elements[1..]
                .iter()
                .any(|e| e.name.local == elements[0].name.local);
        let elements = distinct(ctx, &p.loc, elements)?;
        let elements: Vec<(&'s Element, bool)> = elements.into_iter().map(|e| (e, true)).collect();
        let kind = ListKind::Content {
            occurs,
            starts,
            any,
        };
        self.list_field(&elements, ctx, fields, scope, &p.loc, kind)
    }

    /// Whether particle `p` holds two element particles of one name (fields of their own would clash).
    pub(super) fn names_repeat(&mut self, p: &'s Particle) -> Result<bool> {
        let mut collected = Vec::new();
        self.collect_elements(p, &mut collected, &mut false)?;
        let mut names = HashSet::new();
        Ok(!collected.iter().all(|(e, _)| names.insert(&e.name.local)))
    }

    /// Appends the element declarations particle `p` can hold (expanding groups and substitution groups) to
    /// `out`, in schema order, each with the recursive group it is declared in (see `group_ctx`); `any`:
    /// whether it holds a wildcard.
    fn collect_elements(
        &mut self,
        p: &'s Particle,
        out: &mut Vec<(&'s Element, Option<String>)>,
        any: &mut bool,
    ) -> Result<()> {
        match &p.term {
            Term::Element(e) => out.push((e, self.group_ctx.clone())),
            Term::ElementRef(name) => {
                let e = self.element_named(name, &p.loc)?;
                if self.substitutes.contains_key(name) {
                    let members = self.substitution_members(e, &p.loc)?;
                    out.extend(members.into_iter().map(|e| (e, None)));
                } else {
                    out.push((e, None));
                }
            }
            Term::GroupRef(name) => {
                let group = *self.groups.get(name).ok_or_else(|| Error::Unresolved {
                    kind: "group",
                    name: name.to_string(),
                    loc: p.loc.clone(),
                })?;
                self.expand_group(name, &p.loc, |this| {
                    this.collect_elements(&group.particle, out, any)
                })?;
            }
            Term::Sequence(parts) | Term::Choice(parts) | Term::All(parts) => {
                for part in parts {
                    self.collect_elements(part, out, any)?;
                }
            }
            Term::Any { .. } => *any = true,
        }
        Ok(())
    }

    /// The concrete members of the substitution group headed by `head` (the head first, unless abstract).
    pub(super) fn substitution_members(
        &self,
        head: &'s Element,
        loc: &crate::xsd::Loc,
    ) -> Result<Vec<&'s Element>> {
        let mut elements = Vec::new();
        if !head.is_abstract {
            elements.push(head);
        }
        let mut pending = vec![head.name.clone()];
        let mut seen = HashSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            for member in self.substitutes.get(&name).cloned().unwrap_or_default() {
                // A member is listed once, even where the groups form a cycle (which XSD forbids).
                if !member.is_abstract && !elements.iter().any(|e| e.name == member.name) {
                    elements.push(member);
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
        Ok(elements)
    }

    /// Where the content fields of a struct hold more than one list (`$value` in serde, which maps one per
    /// struct), or an element field shares its name with another or with an item of a list (both would claim
    /// the element), fuses them and every element field between them into one list, in field order, which is
    /// the schema's. Attributes stay where they are.
    pub(super) fn fuse_lists(&mut self, ctx: &str, loc: &crate::xsd::Loc, fields: &mut Vec<Field>) {
        let element = |f: &Field| f.place == Place::Element;
        let mut span: Option<(usize, usize)> = None;
        let widen = |span: &mut Option<(usize, usize)>, i: usize| {
            *span = Some(match *span {
                Some((start, end)) => (start.min(i), end.max(i)),
                None => (i, i),
            });
        };
        for (i, f) in fields.iter().enumerate() {
            if matches!(f.place, Place::Choice | Place::AnyElements) {
                widen(&mut span, i);
            }
            // An element given twice (`(a, b, a)`, or in a base and again in the extension).
            if element(f)
                && let Some(j) = fields.iter().rposition(|g| element(g) && g.xml == f.xml)
                && j > i
            {
                widen(&mut span, i);
                widen(&mut span, j);
            }
        }
        let Some((mut start, mut end)) = span else {
            return;
        };
        loop {
            let mut names = self.variant_names(&fields[start..=end]);
            names.extend(
                fields[start..=end]
                    .iter()
                    .filter(|f| element(f))
                    .map(|f| f.xml.clone()),
            );
            let collides = |f: &Field| element(f) && names.contains(&f.xml);
            let before = fields[..start].iter().position(collides);
            let after = fields[end + 1..]
                .iter()
                .rposition(collides)
                .map(|i| i + end + 1);
            if before.is_none() && after.is_none() {
                break;
            }
            start = before.unwrap_or(start);
            end = after.unwrap_or(end);
        }
        if start < end {
            self.fuse(ctx, loc, fields, start, end);
        }
    }

    /// Replaces the content fields `fields[start..=end]` (the attributes among them stay) with one list field
    /// of their elements, in field order; returns the list's name.
    pub(super) fn fuse(
        &mut self,
        ctx: &str,
        loc: &crate::xsd::Loc,
        fields: &mut Vec<Field>,
        start: usize,
        end: usize,
    ) -> String {
        let mut variants: Vec<ChoiceVariant> = Vec::new();
        let mut variant_scope = Scope::default();
        let mut add = |v: ChoiceVariant, scope: &mut Scope| {
            if !variants.iter().any(|w| w.xml == v.xml) {
                variants.push(ChoiceVariant {
                    name: scope.claim(&v.name),
                    ..v
                });
            }
        };
        let mut kept = Vec::new();
        let mut removed = Vec::new();
        for f in fields.drain(start..=end) {
            match f.place {
                Place::Element => add(
                    ChoiceVariant {
                        name: names::type_name(&f.xml),
                        xml: f.xml,
                        namespace: f.namespace,
                        ty: f.ty,
                        boxed: false,
                        doc: f.doc,
                    },
                    &mut variant_scope,
                ),
                Place::AnyElements => add(any_variant(&mut Scope::default()), &mut variant_scope),
                Place::Choice => {
                    if let Ty::Named(list) = &f.ty
                        && let Some(i) = self.items.iter().position(|i| &i.name == list)
                        && let ItemKind::Choice(c) = &self.items[i].kind
                    {
                        for v in c.variants.clone() {
                            add(v, &mut variant_scope);
                        }
                        removed.push(i);
                    }
                }
                _ => kept.push(f),
            }
        }
        // The lists folded in are gone, and so are their names.
        // Several fields may name one list (one element referenced more than once): it goes once.
        removed.sort_unstable();
        removed.dedup();
        for i in removed.into_iter().rev() {
            let item = self.items.remove(i);
            self.scope.release(&item.name);
        }
        // Text (mixed content) goes last, as in the lists mixed content makes.
        if let Some(i) = variants.iter().position(|v| v.xml == "$text") {
            let text = variants.remove(i);
            variants.push(text);
        }
        let rust = self.scope.claim(&names::nested(ctx, "Content"));
        let doc = self.item_doc(&None, &format!("the content of {ctx} (in document order)"));
        let kind = ItemKind::Choice(Choice {
            variants,
            occurrence: Occurrence::Uncounted,
        });
        self.push(rust.clone(), &rust, doc, kind, loc);
        let mut field_scope = Scope::default();
        for f in fields.iter().chain(&kept) {
            field_scope.claim(&f.name);
        }
        kept.push(Field {
            name: field_scope.claim("content"),
            xml: "$value".to_owned(),
            place: Place::Choice,
            ty: Ty::Named(rust.clone()),
            card: Card::Many,
            boxed: false,
            occurs: Occurs { min: 0, max: None },
            default: None,
            fixed: None,
            nillable: false,
            namespace: None,
            doc:
                "The child elements in document order: the content model has more than one choice, \
                  wildcard or repeated group, which are kept as one list."
                    .to_owned(),
        });
        fields.splice(start..start, kept);
        rust
    }

    /// The element names the list fields among `fields` hold.
    fn variant_names(&self, fields: &[Field]) -> HashSet<String> {
        let mut out = HashSet::new();
        for f in fields.iter().filter(|f| f.place == Place::Choice) {
            if let Ty::Named(list) = &f.ty
                && let Some(ItemKind::Choice(c)) =
                    self.items.iter().find(|i| &i.name == list).map(|i| &i.kind)
            {
                out.extend(c.variants.iter().map(|v| v.xml.clone()));
            }
        }
        out
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
    /// Every element a repeated particle that nests others can hold; `any`: a wildcard too.
    Content {
        occurs: Occurs,
        starts: bool,
        any: bool,
    },
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

/// The variant of a list that holds the elements `xs:any` matches, kept as they came.
pub(super) fn any_variant(scope: &mut Scope) -> ChoiceVariant {
    ChoiceVariant {
        name: scope.claim("Any"),
        xml: ANY_VARIANT.to_owned(),
        namespace: None,
        ty: Ty::AnyElement,
        boxed: false,
        doc: "An element matched by `xs:any`, kept as it came.".to_owned(),
    }
}

/// `elements` with each name once. The same declaration (a global element, a group referenced twice) or
/// declarations of the same named type are one item; two declarations of one name with different types break
/// XSD's Element Declarations Consistent rule.
fn distinct<'s>(
    ctx: &str,
    loc: &crate::xsd::Loc,
    elements: Vec<&'s Element>,
) -> Result<Vec<&'s Element>> {
    let mut out: Vec<&'s Element> = Vec::new();
    for e in elements {
        match out.iter().find(|o| o.name.local == e.name.local) {
            None => out.push(e),
            Some(o) if std::ptr::eq(*o, e) => {}
            Some(o) if same_type(o, e) => {}
            Some(_) => {
                return Err(Error::invalid(
                    loc,
                    format!(
                        "element `{}` is declared twice in the content of {ctx} with different types \
                         (XSD's Element Declarations Consistent rule)",
                        e.name.local
                    ),
                ));
            }
        }
    }
    Ok(out)
}

fn same_type(a: &Element, b: &Element) -> bool {
    match (&a.ty, &b.ty) {
        (TypeRef::Named(x), TypeRef::Named(y)) => x == y,
        (TypeRef::Unspecified, TypeRef::Unspecified) => {
            a.substitution_group.is_none() && b.substitution_group.is_none()
        }
        _ => false,
    }
}

/// The field of a list: `Vec` of its enum when the particle or one of its elements repeats, else one or an
/// optional value of it.
pub(super) fn list_field_of(
    rust: String,
    many: bool,
    occurs: Occurs,
    field: &str,
    doc: &str,
    scope: &mut Scope,
) -> Field {
    Field {
        name: scope.claim(field),
        xml: "$value".to_owned(),
        place: Place::Choice,
        ty: Ty::Named(rust),
        card: if many || occurs.is_many() {
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
        namespace: None,
        doc: doc.to_owned(),
    }
}
