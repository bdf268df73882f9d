use std::collections::{HashMap, HashSet};

use super::names::{self, Scope};
use super::*;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::xsd::{
    Attribute, AttributeGroup, AttributeItem, AttributeUse, ComplexType, Content, Derivation,
    Element, Group, Occurs, Particle, QName, SchemaSet, SimpleKind, SimpleType, Term, TopItem,
    TypeRef,
};

/// Builds the Rust items of one schema set.
pub fn build_module(
    set: &SchemaSet,
    path: Vec<String>,
    source: String,
    profile: Option<&dyn Profile>,
    overrides: &HashMap<String, String>,
) -> Result<Module> {
    let mut b = Builder::new(set, profile, source.clone(), overrides);
    b.index()?;
    b.build_all()?;
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

struct Builder<'s> {
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
    /// Rust names of named types and of global elements with anonymous types.
    type_names: HashMap<QName, String>,
    element_names: HashMap<QName, String>,
    /// Resolved value types of named types.
    resolved: HashMap<QName, Ty>,
    resolving: HashSet<QName>,
    /// Anonymous types of global elements being built (a reference to the element from inside is a cycle).
    building: HashSet<String>,
    /// Groups and attribute groups being expanded (one reached again contains itself).
    expanding_groups: HashSet<QName>,
    expanding_attribute_groups: HashSet<QName>,
    markers: HashMap<String, String>,
    scope: Scope,
    items: Vec<Item>,
    source: String,
}

fn xs(local: &str) -> Option<Builtin> {
    use Builtin::*;
    Some(match local {
        "string" | "normalizedString" | "token" | "anyURI" | "NMTOKEN" | "Name" | "NCName"
        | "ID" | "IDREF" | "ENTITY" | "language" | "QName" | "NOTATION" | "duration" | "gYear"
        | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay" | "anySimpleType" | "NMTOKENS"
        | "IDREFS" | "ENTITIES" => String,
        "boolean" => Bool,
        "byte" => I8,
        "short" => I16,
        "int" => I32,
        "long" => I64,
        "unsignedByte" => U8,
        "unsignedShort" => U16,
        "unsignedInt" => U32,
        "unsignedLong" => U64,
        "integer" | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger"
        | "negativeInteger" => Integer,
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

impl<'s> Builder<'s> {
    fn new(
        set: &'s SchemaSet,
        profile: Option<&'s dyn Profile>,
        source: String,
        overrides: &'s HashMap<String, String>,
    ) -> Self {
        Builder {
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
            type_names: HashMap::new(),
            element_names: HashMap::new(),
            resolved: HashMap::new(),
            resolving: HashSet::new(),
            building: HashSet::new(),
            expanding_groups: HashSet::new(),
            expanding_attribute_groups: HashSet::new(),
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
            source,
        }
    }

    fn index(&mut self) -> Result<()> {
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
        Ok(())
    }

    fn build_all(&mut self) -> Result<()> {
        let set = self.set;
        let mut typed_elements = Vec::new();
        for file in &set.files {
            for item in &file.items {
                match item {
                    TopItem::ComplexType(ct) => self.named_complex(ct)?,
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

    fn item_doc(&self, doc: &Option<String>, what: &str) -> String {
        let origin = format!("Generated from {what} in `{}`.", self.source);
        match doc {
            Some(doc) => format!("{doc}\n\n{origin}"),
            None => origin,
        }
    }

    fn push(
        &mut self,
        name: String,
        xml_name: &str,
        doc: String,
        kind: ItemKind,
        loc: &crate::xsd::Loc,
    ) {
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

    fn named_complex(&mut self, ct: &'s ComplexType) -> Result<()> {
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

    fn named_simple(&mut self, st: &'s SimpleType) -> Result<()> {
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

    fn global_element(&mut self, e: &'s Element, qualified: bool) -> Result<()> {
        let namespace = e.name.ns.clone().map(|ns| (ns, qualified));
        match &e.ty {
            TypeRef::Named(q) => {
                // An element named like its type marks the type's item as a document root.
                let rust = self.type_names.get(q).cloned();
                if e.name.local == q.local {
                    if let Some(item) = self
                        .items
                        .iter_mut()
                        .find(|i| Some(&i.name) == rust.as_ref())
                    {
                        if item.root_element.is_none() && matches!(item.kind, ItemKind::Struct(_)) {
                            item.root_element = Some(e.name.local.clone());
                            item.root_namespace = namespace;
                            return Ok(());
                        }
                    }
                }
                // Otherwise the element gets a document wrapper around its type (an abstract one never occurs).
                if e.is_abstract {
                    return Ok(());
                }
                let ty = self.type_ref(q, &e.loc)?;
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
            TypeRef::Complex(_) | TypeRef::Simple(_) => {
                let rust = self.element_names[&e.name].clone();
                // Built already when a `ref=` to the element came first; it is a document root all the same.
                if !self.items.iter().any(|i| i.name == rust) {
                    self.anonymous_element_type(e, &rust)?;
                }
                if let Some(item) = self.items.iter_mut().find(|i| i.name == rust) {
                    item.root_element = Some(e.name.local.clone());
                    item.root_namespace = namespace;
                }
                Ok(())
            }
            // A substitution member without a type takes its head's: a document of that type.
            TypeRef::Unspecified if e.substitution_group.is_some() && !e.is_abstract => {
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

    /// The value type of a reference to a named type or an XSD built-in.
    fn type_ref(&mut self, name: &QName, loc: &crate::xsd::Loc) -> Result<Ty> {
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
            return xs(&name.local)
                .map(Ty::Builtin)
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
    fn resolve_named(&mut self, name: &QName, loc: &crate::xsd::Loc) -> Result<Ty> {
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
                    self.simple_base(base, &st.loc, &format!("{}Base", self.type_names[name]))?
                }
                SimpleKind::List { item } => {
                    let item =
                        self.simple_base(item, &st.loc, &format!("{}Item", self.type_names[name]))?;
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
    fn text_only(&mut self, ct: &'s ComplexType) -> Result<Option<Ty>> {
        let Content::Simple { base, facets, .. } = &ct.content else {
            return Ok(None);
        };
        if !ct.attributes.is_empty() || facets.has_checks() || !facets.enumerations.is_empty() {
            return Ok(None);
        }
        let base_ty = self.type_ref(base, &ct.loc)?;
        match &base_ty {
            Ty::Named(n) if self.is_struct_name(base, n) => Ok(None),
            _ => Ok(Some(base_ty)),
        }
    }

    /// Whether the named base type became a struct (simple content with attributes).
    fn is_struct_name(&self, base: &QName, rust: &str) -> bool {
        matches!(self.types.get(base), Some(Decl::Complex(_)))
            && self.type_names.get(base).is_some_and(|n| n == rust)
    }

    fn collection(&mut self, item: &'s Element) -> Result<Ty> {
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

    fn simple_base(
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

    fn anonymous_simple(&mut self, st: &'s SimpleType, wanted: &str) -> Result<Ty> {
        match &st.kind {
            SimpleKind::Restriction { base, facets }
                if facets.enumerations.is_empty() && !facets.has_checks() =>
            {
                self.simple_base(base, &st.loc, wanted)
            }
            SimpleKind::List { item } => Ok(Ty::List(Box::new(self.simple_base(
                item,
                &st.loc,
                &format!("{wanted}Item"),
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

    fn simple_kind(&mut self, st: &'s SimpleType, rust: &str) -> Result<ItemKind> {
        match &st.kind {
            SimpleKind::Restriction { base, facets } => {
                let inner = self.simple_base(base, &st.loc, &format!("{rust}Base"))?;
                check_bounds(&inner, facets, &st.loc)?;
                Ok(restriction_kind(inner, facets))
            }
            SimpleKind::List { item } => Ok(ItemKind::Alias(Ty::List(Box::new(
                self.simple_base(item, &st.loc, &format!("{rust}Item"))?,
            )))),
            SimpleKind::Union { members } => {
                let mut scope = Scope::default();
                let mut out = Vec::new();
                for (i, member) in members.iter().enumerate() {
                    let ty =
                        self.simple_base(member, &st.loc, &format!("{rust}Member{}", i + 1))?;
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

    fn anonymous_element_type(&mut self, e: &'s Element, rust: &str) -> Result<Ty> {
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
            TypeRef::Named(q) => self.type_ref(q, &e.loc),
            TypeRef::Unspecified => Ok(Ty::AnyElement),
        }
    }

    fn complex_kind(&mut self, ct: &'s ComplexType, rust: &str) -> Result<ItemKind> {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        self.complex_fields(ct, rust, &mut fields, &mut scope, &mut HashSet::new())?;
        Ok(ItemKind::Struct(Struct { fields }))
    }

    /// Appends the fields of `ct` (its bases first) to `fields`.
    fn complex_fields(
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
                    let wanted = format!("{ctx}Value");
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
    fn mixed_content(
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
            let rust = self.scope.claim(&format!("{ctx}Content"));
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

    fn attribute_fields(
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

    #[allow(clippy::too_many_arguments)]
    fn attribute_field(
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
                self.anonymous_simple(st, &format!("{ctx}{}", names::type_name(&a.name.local)))?
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
            ty,
            usage,
            default,
            fixed,
            doc,
        ));
        Ok(())
    }

    fn particle_fields(
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

    fn element_ty(&mut self, e: &'s Element, ctx: &str) -> Result<Ty> {
        match &e.ty {
            TypeRef::Named(q) => self.type_ref(q, &e.loc),
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
                    _ => format!("{ctx}{}", names::type_name(&e.name.local)),
                };
                let global = self.element_names.get(&e.name) == Some(&wanted);
                if global && self.building.contains(&wanted) {
                    // The element contains itself: the type is being built; the cycle is boxed later.
                    return Ok(Ty::Named(wanted));
                }
                if let Some(done) = self.items.iter().find(|i| i.name == wanted && global) {
                    return Ok(Ty::Named(done.name.clone()));
                }
                self.anonymous_element_type(e, &wanted)
            }
        }
    }

    fn element_field(
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

    fn substitution_choice(
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
    fn list_field(
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
        let rust = self.scope.claim(&format!("{ctx}{suffix}"));
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

    /// Boxes single-valued fields that close a cycle of structs, so every type has a finite size.
    /// Refuses simple types (unions, lists, restrictions) that contain themselves: a value of one would have no
    /// end. Complex types may recurse; they are boxed below.
    fn check_simple_cycles(&self) -> Result<()> {
        let index: HashMap<&str, &Item> = self.items.iter().map(|i| (i.name.as_str(), i)).collect();
        let simple = |name: &str| {
            index.get(name).filter(|i| {
                matches!(
                    i.kind,
                    ItemKind::Union(_) | ItemKind::Newtype(_) | ItemKind::Alias(_)
                )
            })
        };
        for item in self.items.iter().filter(|i| simple(&i.name).is_some()) {
            let mut pending = item.references();
            let mut seen = HashSet::new();
            while let Some(name) = pending.pop() {
                if name == item.name {
                    return Err(Error::invalid(
                        &item.loc,
                        format!(
                            "simple type {} is defined in terms of itself",
                            item.xml_name
                        ),
                    ));
                }
                if let Some(next) = simple(&name)
                    && seen.insert(name.clone())
                {
                    pending.extend(next.references());
                }
            }
        }
        Ok(())
    }

    fn box_recursion(&mut self) {
        let index: HashMap<String, usize> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.name.clone(), i))
            .collect();
        let edges = |item: &Item| -> Vec<(usize, String)> {
            match &item.kind {
                ItemKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| f.card != Card::Many)
                    .filter_map(|f| match &f.ty {
                        Ty::Named(n) => index.get(n).map(|&t| (t, f.name.clone())),
                        _ => None,
                    })
                    .collect(),
                ItemKind::Choice(c) => c
                    .variants
                    .iter()
                    .filter_map(|v| match &v.ty {
                        Ty::Named(n) => index.get(n).map(|&t| (t, v.name.clone())),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        // Iterative DFS in declaration order: an edge to an item on the stack closes a cycle.
        let mut state = vec![0u8; self.items.len()]; // 0 new, 1 on stack, 2 done
        let mut to_box: Vec<(usize, String)> = Vec::new();
        for start in 0..self.items.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, Vec<(usize, String)>)> =
                vec![(start, edges(&self.items[start]))];
            state[start] = 1;
            while let Some((node, pending)) = stack.last_mut() {
                match pending.pop() {
                    Some((next, field)) => match state[next] {
                        0 => {
                            state[next] = 1;
                            let e = edges(&self.items[next]);
                            stack.push((next, e));
                        }
                        1 => to_box.push((*node, field)),
                        _ => {}
                    },
                    None => {
                        state[*node] = 2;
                        stack.pop();
                    }
                }
            }
        }
        for (item, field) in to_box {
            match &mut self.items[item].kind {
                ItemKind::Struct(s) => s
                    .fields
                    .iter_mut()
                    .filter(|f| f.name == field)
                    .for_each(|f| f.boxed = true),
                ItemKind::Choice(c) => c
                    .variants
                    .iter_mut()
                    .filter(|v| v.name == field)
                    .for_each(|v| v.boxed = true),
                _ => {}
            }
        }
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

fn restriction_kind(inner: Ty, facets: &crate::xsd::Facets) -> ItemKind {
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

/// What a list field's enum stands for.
#[derive(Clone, Copy)]
enum ListKind {
    /// An `xs:choice` occurring so often.
    Choice(Occurs),
    /// A repeated `xs:sequence` of elements, occurring so often; `starts`: each occurrence begins with the
    /// first element.
    Sequence { occurs: Occurs, starts: bool },
}

/// The `Text` variant of a mixed-content list: the text between the child elements.
fn text_variant(scope: &mut Scope) -> ChoiceVariant {
    ChoiceVariant {
        name: scope.claim("Text"),
        xml: "$text".to_owned(),
        ty: Ty::Builtin(Builtin::String),
        boxed: false,
        doc: "Text between the child elements, trimmed.".to_owned(),
    }
}

/// A field for `xml:lang`, `xml:space`, `xml:base` or `xml:id`, the attributes of the XML namespace, which is
/// bound to the `xml` prefix in every document: text, named with its prefix.
fn xml_attribute_field(
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
        Ty::Builtin(Builtin::String),
        usage,
        default,
        fixed,
        doc,
    ));
}

/// The field of an attribute (not prohibited).
fn attribute(
    name: String,
    xml: String,
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
        doc,
    }
}

/// Refuses a range facet whose value is not a number of the restricted numeric type (`minInclusive="abc"` on an
/// `xs:int`): the generated check would otherwise never fail.
fn check_bounds(inner: &Ty, facets: &crate::xsd::Facets, loc: &crate::xsd::Loc) -> Result<()> {
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
