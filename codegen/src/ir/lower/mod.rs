//! Lowering: the schema model of one schema set to the Rust items of one module. [`build_module`] indexes the
//! declarations, builds an item per named type, global element and anonymous type, then checks and boxes
//! recursion. Each job is a file: the symbol index and resolution of references (`resolve`), simple types
//! (`simple`), the facets they may carry (`facets`), content models (`content`), document order across their
//! particles (`order`), attributes (`attributes`),
//! recursion (`recursion`).

mod attributes;
mod content;
mod derived;
mod facets;
mod order;
mod recursion;
mod resolve;
mod simple;

use std::collections::{HashMap, HashSet};

use super::names::{self, Scope};
use super::*;
use crate::error::Result;
use crate::profile::Profile;
use crate::xsd::{
    Attribute, AttributeGroup, ComplexType, Element, Group, Occurs, QName, SchemaSet, SimpleType,
    TopItem, TypeRef,
};

/// Builds the Rust items of one schema set.
pub fn build_module(
    set: &SchemaSet,
    path: Vec<String>,
    source: String,
    profile: Option<&dyn Profile>,
    overrides: &HashMap<String, String>,
) -> Result<Module> {
    let mut b = Lowering::new(set, profile, source.clone(), overrides);
    b.index()?;
    b.find_recursive_groups();
    b.build_all()?;
    if !b.profile.is_some_and(|p| p.trims_text()) {
        b.schema_location_fields();
    }
    b.check_simple_cycles()?;
    b.box_recursion();
    Ok(Module {
        path,
        source,
        doc: set.files.first().and_then(|f| f.doc.clone()),
        items: b.items,
        documents: b.documents,
    })
}

#[derive(Clone, Copy)]
enum Decl<'s> {
    Complex(&'s ComplexType),
    Simple(&'s SimpleType),
}

struct Lowering<'s> {
    overrides: &'s HashMap<String, String>,
    documents: Vec<Document>,
    set: &'s SchemaSet,
    profile: Option<&'s dyn Profile>,
    types: HashMap<QName, Decl<'s>>,
    elements: HashMap<QName, &'s Element>,
    groups: HashMap<QName, &'s Group>,
    attribute_groups: HashMap<QName, &'s AttributeGroup>,
    attributes: HashMap<QName, &'s Attribute>,
    substitutes: HashMap<QName, Vec<&'s Element>>,
    /// Rust names of the enums over each substitution group's elements, built on the first reference to a head.
    substitution_enums: HashMap<QName, String>,
    /// Named complex types derived (complexContent) from each named complex type, in declaration order.
    derived: HashMap<QName, Vec<QName>>,
    /// Rust names of the enums over a type and its derived types, for types that have derived types.
    derived_names: HashMap<QName, String>,
    /// Rust names of named types and of global elements with anonymous types.
    type_names: HashMap<QName, String>,
    element_names: HashMap<QName, String>,
    /// Resolved value types of named types.
    resolved: HashMap<QName, Ty>,
    resolving: HashSet<QName>,
    /// Value types of global elements with anonymous simple types.
    simple_elements: HashMap<QName, Ty>,
    /// Anonymous types of global elements being built (a reference to the element from inside is a cycle).
    building: HashSet<String>,
    /// Groups and attribute groups being expanded (one reached again contains itself).
    expanding_groups: HashSet<QName>,
    expanding_attribute_groups: HashSet<QName>,
    /// Groups that contain themselves through anonymous element types (see `recursion`).
    recursive_groups: HashSet<QName>,
    /// The Rust name of the recursive group whose particles are being expanded, if any (not counting groups
    /// expanded inside an element's type).
    group_ctx: Option<String>,
    /// The types of the anonymous elements of recursive groups, by element declaration: built once each, so
    /// that the group reached again inside one of them refers to it.
    group_types: HashMap<usize, Ty>,
    /// How many anonymous element types are being built, one inside another.
    anonymous_depth: usize,
    /// The anonymous element types being built, by element declaration: reached again inside itself (through a
    /// base whose content is lowered into the derived type), a declaration refers to the type being built.
    building_elements: HashMap<usize, String>,
    markers: HashMap<String, String>,
    scope: Scope,
    items: Vec<Item>,
    /// Where each item name first occurs in `items`.
    item_index: HashMap<String, usize>,
    source: String,
}

impl<'s> Lowering<'s> {
    pub(super) fn new(
        set: &'s SchemaSet,
        profile: Option<&'s dyn Profile>,
        source: String,
        overrides: &'s HashMap<String, String>,
    ) -> Self {
        Lowering {
            overrides,
            documents: Vec::new(),
            set,
            profile,
            types: HashMap::new(),
            elements: HashMap::new(),
            groups: HashMap::new(),
            attribute_groups: HashMap::new(),
            attributes: HashMap::new(),
            substitutes: HashMap::new(),
            substitution_enums: HashMap::new(),
            derived: HashMap::new(),
            derived_names: HashMap::new(),
            type_names: HashMap::new(),
            element_names: HashMap::new(),
            resolved: HashMap::new(),
            resolving: HashSet::new(),
            simple_elements: HashMap::new(),
            building: HashSet::new(),
            expanding_groups: HashSet::new(),
            expanding_attribute_groups: HashSet::new(),
            recursive_groups: HashSet::new(),
            group_ctx: None,
            group_types: HashMap::new(),
            anonymous_depth: 0,
            building_elements: HashMap::new(),
            markers: HashMap::new(),
            scope: Scope::with_reserved(&[
                "Collection",
                "Option",
                "Vec",
                "String",
                "Box",
                "Result",
            ]),
            items: Vec::new(),
            item_index: HashMap::new(),
            source,
        }
    }

    pub(super) fn build_all(&mut self) -> Result<()> {
        let set = self.set;
        let mut typed_elements = Vec::new();
        for file in &set.files {
            for item in &file.items {
                match item {
                    TopItem::ComplexType(ct) => {
                        self.named_complex(ct)?;
                        self.derived_enum(ct)?;
                    }
                    TopItem::SimpleType(st) => self.named_simple(st)?,
                    // A global element of a named type marks that type as a document root, which needs the
                    // type's item, wherever the schema declares it: after the loop.
                    TopItem::Element(e) if matches!(e.ty, TypeRef::Named(_)) => {
                        typed_elements.push((e, file.element_form_qualified))
                    }
                    TopItem::Element(e) => self.global_element(e, file.element_form_qualified)?,
                    _ => {}
                }
            }
        }
        for (e, qualified) in typed_elements {
            self.global_element(e, qualified)?;
        }
        Ok(())
    }

    pub(super) fn item_doc(&self, doc: &Option<String>, what: &str) -> String {
        let origin = format!("Generated from {what} in `{}`.", self.source);
        match doc {
            Some(doc) => format!("{doc}\n\n{origin}"),
            None => origin,
        }
    }

    pub(super) fn push(
        &mut self,
        name: String,
        xml_name: &str,
        doc: String,
        kind: ItemKind,
        loc: &crate::xsd::Loc,
    ) {
        self.item_index
            .entry(name.clone())
            .or_insert(self.items.len());
        self.items.push(Item {
            name,
            doc,
            xml_name: xml_name.to_owned(),
            root_element: None,
            root_namespace: None,
            kind,
            loc: loc.clone(),
        });
    }

    pub(super) fn named_complex(&mut self, ct: &'s ComplexType) -> Result<()> {
        let qname = ct.name.clone().expect("named");
        let rust = self.type_names[&qname].clone();
        let ty = self.resolve_named(&qname, &ct.loc)?;
        let doc = self.item_doc(&ct.doc, &format!("complexType `{}`", qname.local));
        if ty != Ty::Named(rust.clone()) {
            // Collections and text-only types are aliases: the name stays available to users.
            self.push(rust, &qname.local, doc, ItemKind::Alias(ty), &ct.loc);
            return Ok(());
        }
        let kind = self.complex_kind(ct, &rust)?;
        self.push(rust, &qname.local, doc, kind, &ct.loc);
        Ok(())
    }

    pub(super) fn named_simple(&mut self, st: &'s SimpleType) -> Result<()> {
        let qname = st.name.clone().expect("named");
        let rust = self.type_names[&qname].clone();
        let ty = self.resolve_named(&qname, &st.loc)?;
        let doc = self.item_doc(&st.doc, &format!("simpleType `{}`", qname.local));
        let kind = if ty == Ty::Named(rust.clone()) {
            self.simple_kind(st, &rust)?
        } else {
            ItemKind::Alias(ty)
        };
        self.push(rust, &qname.local, doc, kind, &st.loc);
        Ok(())
    }

    /// The value type of global element `e`, declared with an anonymous simple type: lowered once, for the
    /// element's document and every reference to it.
    pub(super) fn global_simple_element(&mut self, e: &'s Element) -> Result<Ty> {
        if let Some(ty) = self.simple_elements.get(&e.name) {
            return Ok(ty.clone());
        }
        let TypeRef::Simple(st) = &e.ty else {
            return self.element_ty(e, "");
        };
        let wanted = format!("{}Value", self.element_names[&e.name]);
        let ty = self.anonymous_simple(st, &wanted)?;
        self.simple_elements.insert(e.name.clone(), ty.clone());
        Ok(ty)
    }

    pub(super) fn global_element(&mut self, e: &'s Element, qualified: bool) -> Result<()> {
        let namespace = e.name.ns.clone().map(|ns| (ns, qualified));
        match &e.ty {
            TypeRef::Named(q) => {
                // An element named like its type marks the type's item as a document root.
                let rust = self.type_names.get(q).cloned();
                // A type with derived types is read through its enum: the element gets a document wrapper.
                if e.name.local == q.local && !self.derived_names.contains_key(q) {
                    if let Some(item) = self.item_mut(rust.as_deref()) {
                        if item.root_element.is_none() && matches!(item.kind, ItemKind::Struct(_)) {
                            item.root_element = Some(e.name.local.clone());
                            item.root_namespace = namespace;
                            return Ok(());
                        }
                    }
                }
                // Otherwise the element gets a document wrapper around its type (an abstract one never occurs);
                // the elements of imported namespaces get theirs in their own schema's module.
                if e.is_abstract || !self.own_namespace(&e.name) {
                    return Ok(());
                }
                let ty = self.element_type_ref(q, &e.loc)?;
                let wanted = names::type_name(&e.name.local);
                let name = if self.scope.contains(&wanted) {
                    self.scope.claim(&format!("{wanted}Document"))
                } else {
                    self.scope.claim(&wanted)
                };
                let what = format!("element `{}` (type `{}`)", e.name.local, q.local);
                let doc = self.item_doc(&e.doc, &what);
                self.documents.push(Document {
                    name,
                    element: e.name.local.clone(),
                    namespace,
                    ty,
                    doc,
                });
                Ok(())
            }
            // A simple type of its own: a document wrapper around it (the type is named after the element, with
            // `Value` added, where it becomes an item).
            TypeRef::Simple(_) => {
                let name = self.element_names[&e.name].clone();
                let ty = self.global_simple_element(e)?;
                let doc = self.item_doc(&e.doc, &format!("element `{}`", e.name.local));
                self.documents.push(Document {
                    name,
                    element: e.name.local.clone(),
                    namespace,
                    ty,
                    doc,
                });
                Ok(())
            }
            TypeRef::Complex(_) => {
                let rust = self.element_names[&e.name].clone();
                // Built already when a `ref=` to the element came first; it is a document root all the same.
                if !self.item_index.contains_key(&rust) {
                    self.anonymous_element_type(e, &rust)?;
                }
                if let Some(item) = self.item_mut(Some(&rust)) {
                    item.root_element = Some(e.name.local.clone());
                    item.root_namespace = namespace;
                }
                Ok(())
            }
            // A substitution member without a type takes its head's: a document of that type.
            TypeRef::Unspecified
                if e.substitution_group.is_some()
                    && !e.is_abstract
                    && self.own_namespace(&e.name) =>
            {
                let ty = self.element_ty(e, "")?;
                let name = self.scope.claim(&names::type_name(&e.name.local));
                let doc = self.item_doc(&e.doc, &format!("element `{}`", e.name.local));
                self.documents.push(Document {
                    name,
                    element: e.name.local.clone(),
                    namespace,
                    ty,
                    doc,
                });
                Ok(())
            }
            TypeRef::Unspecified => Ok(()),
        }
    }
}

impl Lowering<'_> {
    /// Gives every document root struct of the plain mapping fields for `xsi:schemaLocation` and
    /// `xsi:noNamespaceSchemaLocation`, which any instance document may carry, so that they survive a read and
    /// write (unless the struct has fields of those names already).
    fn schema_location_fields(&mut self) {
        for item in &mut self.items {
            let (Some(_), ItemKind::Struct(s)) = (&item.root_element, &mut item.kind) else {
                continue;
            };
            for (i, (name, xml)) in [
                ("xsi_schema_location", "schemaLocation"),
                (
                    "xsi_no_namespace_schema_location",
                    "noNamespaceSchemaLocation",
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let taken = s
                    .fields
                    .iter()
                    .any(|f| f.name == name || (f.place == Place::Attribute && f.xml == xml));
                if taken {
                    continue;
                }
                s.fields.insert(
                    i,
                    Field {
                        name: name.to_owned(),
                        xml: xml.to_owned(),
                        place: Place::Attribute,
                        ty: Ty::Builtin(Builtin::Token),
                        card: Card::Optional,
                        boxed: false,
                        occurs: Occurs::ONCE,
                        default: None,
                        fixed: None,
                        nillable: false,
                        namespace: Some(XSI.to_owned()),
                        doc: format!(
                            "Attribute `xsi:{xml}` of the document element (where its schemas are)."
                        ),
                    },
                );
            }
        }
    }
}

impl<'s> Lowering<'s> {
    /// The item named `name`, if built.
    pub(super) fn item_mut(&mut self, name: Option<&str>) -> Option<&mut Item> {
        let at = *self.item_index.get(name?)?;
        self.items.get_mut(at)
    }

    /// Whether `name` is in the namespace of the schema the module is generated from (its first file).
    pub(super) fn own_namespace(&self, name: &QName) -> bool {
        name.ns == self.set.files.first().and_then(|f| f.target_ns.clone())
    }
}

fn combine(outer: Occurs, inner: Occurs) -> Occurs {
    Occurs {
        min: outer.min.saturating_mul(inner.min),
        max: match (outer.max, inner.max) {
            (Some(a), Some(b)) => Some(a.saturating_mul(b)),
            _ => None,
        },
    }
}

fn card(occurs: Occurs) -> Card {
    match occurs.max {
        Some(0 | 1) if occurs.min >= 1 => Card::One,
        Some(0 | 1) => Card::Optional,
        _ => Card::Many,
    }
}

fn append_value_notes(
    doc: &mut String,
    what: &str,
    default: &Option<String>,
    fixed: &Option<String>,
) {
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(what);
    doc.push('.');
    if let Some(default) = default {
        doc.push_str(&format!(" Default: `{default}`."));
    }
    if let Some(fixed) = fixed {
        doc.push_str(&format!(" Fixed: `{fixed}`."));
    }
}
