//! The changes between the modules of two sides: modules, items, fields, variants, facets, defaults.

use super::facets::{self, shown};
use super::verdict::{self, Verdicts, v};
use super::walk::{ModuleFacts, Side, module_name};
use super::{Bump, Change, Compat, Kind, Place};
use crate::ir::{Field, Item, ItemKind, Place as FieldPlace, Ty};
use crate::xsd::Facets;

/// Every change between the modules of `old` and `new`, grouped by module and item.
pub(super) fn modules(old: &Side, new: &Side) -> Vec<Change> {
    let mut out = Vec::new();
    for o in &old.modules {
        let name = module_name(&o.module);
        match new.module(&name) {
            Some(n) => Pair {
                old,
                new,
                o,
                n,
                out: &mut out,
            }
            .module(),
            None => out.push(change(
                &name,
                name.clone(),
                Kind::ModuleRemoved,
                format!("schema {}", o.module.source),
                Some(old.module_place(o)),
                None,
                v(
                    Compat::Ok,
                    Compat::Breaks,
                    Bump::Major,
                    "NEW has no schema for OLD's documents; the module is gone",
                ),
            )),
        }
    }
    for n in &new.modules {
        let name = module_name(&n.module);
        if old.module(&name).is_none() {
            out.push(change(
                &name,
                name.clone(),
                Kind::ModuleAdded,
                format!(
                    "schema {} ({} types)",
                    n.module.source,
                    n.module.items.len()
                ),
                None,
                Some(new.module_place(n)),
                v(Compat::Ok, Compat::Ok, Bump::Minor, "a new module"),
            ));
        }
    }
    out.sort_by(|a, b| a.group.cmp(&b.group));
    out
}

#[allow(clippy::too_many_arguments)]
fn change(
    group: &str,
    path: String,
    kind: Kind,
    detail: String,
    old: Option<Place>,
    new: Option<Place>,
    verdicts: Verdicts,
) -> Change {
    Change {
        group: group.to_owned(),
        path,
        kind,
        detail,
        old,
        new,
        reading: verdicts.reading,
        writing: verdicts.writing,
        api: verdicts.api,
        why: verdicts.why,
    }
}

struct Pair<'a> {
    old: &'a Side,
    new: &'a Side,
    o: &'a ModuleFacts,
    n: &'a ModuleFacts,
    out: &'a mut Vec<Change>,
}

fn kind_name(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Struct(_) => "struct",
        ItemKind::Enum(_) => "enumeration",
        ItemKind::Choice(_) => "choice",
        ItemKind::Derived(_) => "xsi:type family",
        ItemKind::Newtype(_) => "checked simple type",
        ItemKind::Union(_) => "union",
        ItemKind::Alias(_) => "alias",
        ItemKind::ElementMarker(_) => "element marker",
    }
}

/// A type as the table shows it: `String`, `Vec<Tag>`, `Collection<Tag>`.
pub(super) fn ty_text(ty: &Ty) -> String {
    match ty {
        Ty::Builtin(b) => format!("{b:?}"),
        Ty::Named(n) => n.clone(),
        Ty::List(t) => format!("List<{}>", ty_text(t)),
        Ty::Collection { item, .. } => format!("Collection<{}>", ty_text(item)),
        Ty::AnyElement => "AnyElement".to_owned(),
        Ty::External(p) => p.clone(),
    }
}

fn field_what(field: &Field) -> &'static str {
    match field.place {
        FieldPlace::Element => "element",
        FieldPlace::Attribute => "attribute",
        FieldPlace::Text => "text content",
        FieldPlace::Choice => "choice",
        FieldPlace::AnyElements => "wildcard (xs:any)",
        FieldPlace::AnyAttributes => "attribute wildcard (xs:anyAttribute)",
    }
}

impl Pair<'_> {
    fn module_path(&self) -> String {
        module_name(&self.n.module)
    }

    fn group(&self, item: &str) -> String {
        format!("{}::{item}", self.module_path())
    }

    fn push(
        &mut self,
        item: &str,
        path: String,
        kind: Kind,
        detail: String,
        places: (Option<Place>, Option<Place>),
        verdicts: Verdicts,
    ) {
        let group = self.group(item);
        self.out.push(change(
            &group, path, kind, detail, places.0, places.1, verdicts,
        ));
    }

    fn module(&mut self) {
        let (om, nm) = (&self.o.module, &self.n.module);
        for oi in &om.items {
            match nm.items.iter().find(|i| i.name == oi.name) {
                Some(ni) => self.item(oi, ni),
                None => {
                    let path = self.group(&oi.name);
                    self.push(
                        &oi.name,
                        path,
                        Kind::TypeRemoved,
                        format!("{} {}", kind_name(&oi.kind), oi.xml_name),
                        (Some(self.old.place(&oi.loc)), None),
                        v(
                            Compat::Ok,
                            Compat::Ok,
                            Bump::Major,
                            "the public type is gone",
                        ),
                    );
                }
            }
        }
        for ni in &nm.items {
            if !om.items.iter().any(|i| i.name == ni.name) {
                let path = self.group(&ni.name);
                self.push(
                    &ni.name,
                    path,
                    Kind::TypeAdded,
                    format!("{} {}", kind_name(&ni.kind), ni.xml_name),
                    (None, Some(self.new.place(&ni.loc))),
                    v(Compat::Ok, Compat::Ok, Bump::Minor, "a new public type"),
                );
            }
        }
        for od in &om.documents {
            if !nm.documents.iter().any(|d| d.name == od.name) {
                let path = self.group(&od.name);
                self.push(
                    &od.name,
                    path,
                    Kind::DocumentRemoved,
                    format!("document element {}", od.element),
                    (self.old.global_place(self.o, &od.element), None),
                    v(
                        Compat::Ok,
                        Compat::Breaks,
                        Bump::Major,
                        "OLD writes the document, which NEW has no element for; the wrapper is gone",
                    ),
                );
            }
        }
        for nd in &nm.documents {
            match om.documents.iter().find(|d| d.name == nd.name) {
                None => {
                    let path = self.group(&nd.name);
                    self.push(
                        &nd.name,
                        path,
                        Kind::DocumentAdded,
                        format!("document element {}", nd.element),
                        (None, self.new.global_place(self.n, &nd.element)),
                        v(
                            Compat::Ok,
                            Compat::Ok,
                            Bump::Minor,
                            "a new public wrapper type",
                        ),
                    );
                }
                Some(od) if od.ty != nd.ty => {
                    let path = self.group(&nd.name);
                    let verdicts = verdict::type_changed(&od.ty, om, &nd.ty, nm);
                    self.push(
                        &nd.name,
                        path,
                        Kind::TypeChanged,
                        format!("{} -> {}", ty_text(&od.ty), ty_text(&nd.ty)),
                        (
                            self.old.global_place(self.o, &od.element),
                            self.new.global_place(self.n, &nd.element),
                        ),
                        verdicts,
                    );
                }
                Some(_) => {}
            }
        }
    }

    fn places(&self, oi: &Item, ni: &Item) -> (Option<Place>, Option<Place>) {
        (Some(self.old.place(&oi.loc)), Some(self.new.place(&ni.loc)))
    }

    fn item(&mut self, oi: &Item, ni: &Item) {
        match (&oi.kind, &ni.kind) {
            (ItemKind::Struct(os), ItemKind::Struct(ns)) => {
                self.fields(oi, ni, &os.fields, &ns.fields)
            }
            (ItemKind::Enum(oe), ItemKind::Enum(ne)) => {
                self.inner_type(oi, ni, &oe.base, &ne.base);
                let old: Vec<(&str, &str)> = oe
                    .variants
                    .iter()
                    .map(|(r, x, _)| (r.as_str(), x.as_str()))
                    .collect();
                let new: Vec<(&str, &str)> = ne
                    .variants
                    .iter()
                    .map(|(r, x, _)| (r.as_str(), x.as_str()))
                    .collect();
                self.variants(oi, ni, &old, &new, true);
            }
            (ItemKind::Choice(oc), ItemKind::Choice(nc)) => {
                let old: Vec<(&str, &str)> = oc
                    .variants
                    .iter()
                    .map(|c| (c.name.as_str(), c.xml.as_str()))
                    .collect();
                let new: Vec<(&str, &str)> = nc
                    .variants
                    .iter()
                    .map(|c| (c.name.as_str(), c.xml.as_str()))
                    .collect();
                self.variants(oi, ni, &old, &new, false);
                for ov in &oc.variants {
                    if let Some(nv) = nc.variants.iter().find(|n| n.xml == ov.xml) {
                        self.inner_type(oi, ni, &ov.ty, &nv.ty);
                    }
                }
            }
            (ItemKind::Derived(od), ItemKind::Derived(nd)) => {
                let old: Vec<(&str, &str)> = od
                    .variants
                    .iter()
                    .map(|c| (c.name.as_str(), c.xml.as_str()))
                    .collect();
                let new: Vec<(&str, &str)> = nd
                    .variants
                    .iter()
                    .map(|c| (c.name.as_str(), c.xml.as_str()))
                    .collect();
                self.variants(oi, ni, &old, &new, false);
            }
            (ItemKind::Union(ou), ItemKind::Union(nu)) => {
                let old: Vec<(&str, &str)> = ou
                    .members
                    .iter()
                    .map(|(n, _)| (n.as_str(), n.as_str()))
                    .collect();
                let new: Vec<(&str, &str)> = nu
                    .members
                    .iter()
                    .map(|(n, _)| (n.as_str(), n.as_str()))
                    .collect();
                self.variants(oi, ni, &old, &new, false);
            }
            (ItemKind::Newtype(on), ItemKind::Newtype(nn)) => {
                self.inner_type(oi, ni, &on.inner, &nn.inner);
                self.facets(oi, ni, &on.facets, &nn.facets);
            }
            (ItemKind::Alias(ot), ItemKind::Alias(nt)) => self.inner_type(oi, ni, ot, nt),
            (ItemKind::ElementMarker(a), ItemKind::ElementMarker(b)) if a != b => {
                let path = self.group(&ni.name);
                self.push(
                    &ni.name,
                    path,
                    Kind::TypeChanged,
                    format!("collection item element {a} -> {b}"),
                    self.places(oi, ni),
                    v(
                        Compat::Breaks,
                        Compat::Breaks,
                        Bump::None,
                        "the item element is renamed",
                    ),
                );
            }
            (ItemKind::ElementMarker(_), ItemKind::ElementMarker(_)) => {}
            (o, n) => {
                let path = self.group(&ni.name);
                self.push(
                    &ni.name,
                    path,
                    Kind::TypeKindChanged,
                    format!("{} -> {}", kind_name(o), kind_name(n)),
                    self.places(oi, ni),
                    v(
                        Compat::Breaks,
                        Compat::Breaks,
                        Bump::Major,
                        "the type is mapped to another kind of Rust item",
                    ),
                );
            }
        }
    }

    fn inner_type(&mut self, oi: &Item, ni: &Item, old: &Ty, new: &Ty) {
        if old == new {
            return;
        }
        let verdicts = verdict::type_changed(old, &self.o.module, new, &self.n.module);
        let path = self.group(&ni.name);
        self.push(
            &ni.name,
            path,
            Kind::TypeChanged,
            format!("{} -> {}", ty_text(old), ty_text(new)),
            self.places(oi, ni),
            verdicts,
        );
    }

    /// Variants matched by XML name (`enumeration`: the values of an enumeration, which OLD keeps as `Other`).
    fn variants(
        &mut self,
        oi: &Item,
        ni: &Item,
        old: &[(&str, &str)],
        new: &[(&str, &str)],
        enumeration: bool,
    ) {
        let what = match &ni.kind {
            ItemKind::Enum(_) => "value",
            ItemKind::Choice(_) => "alternative",
            ItemKind::Derived(_) => "derived type",
            _ => "member",
        };
        for (rust, xml) in old {
            if !new.iter().any(|(_, x)| x == xml) {
                let (kind, verdicts) = if enumeration {
                    (
                        Kind::EnumValueRemoved,
                        v(
                            Compat::Ok,
                            Compat::Breaks,
                            Bump::Major,
                            "OLD may write the value, which NEW refuses; the variant is gone",
                        ),
                    )
                } else {
                    (
                        Kind::VariantRemoved,
                        v(
                            Compat::Ok,
                            Compat::Breaks,
                            Bump::Major,
                            "OLD may write it, which NEW refuses; the variant is gone",
                        ),
                    )
                };
                let path = format!("{}::{rust}", self.group(&ni.name));
                self.push(
                    &ni.name,
                    path,
                    kind,
                    format!("{what} {xml}"),
                    self.places(oi, ni),
                    verdicts,
                );
            }
        }
        let non_exhaustive = self.old.non_exhaustive;
        let api = verdict::addition(non_exhaustive);
        let new_variant = if non_exhaustive {
            "a new variant of a #[non_exhaustive] enum"
        } else {
            "a new variant breaks exhaustive matches (generated enums are not #[non_exhaustive])"
        };
        for (rust, xml) in new {
            if !old.iter().any(|(_, x)| x == xml) {
                let (kind, verdicts) = if enumeration {
                    (
                        Kind::EnumValueAdded,
                        v(
                            Compat::Ok,
                            Compat::Ok,
                            api,
                            format!("OLD reads the value as `Other`; {new_variant}"),
                        ),
                    )
                } else {
                    (
                        Kind::VariantAdded,
                        v(
                            Compat::Breaks,
                            Compat::Ok,
                            api,
                            format!(
                                "OLD does not know the {what}, and refuses a document that has it; {new_variant}"
                            ),
                        ),
                    )
                };
                let path = format!("{}::{rust}", self.group(&ni.name));
                self.push(
                    &ni.name,
                    path,
                    kind,
                    format!("{what} {xml}"),
                    self.places(oi, ni),
                    verdicts,
                );
            }
        }
    }

    fn fields(&mut self, oi: &Item, ni: &Item, old: &[Field], new: &[Field]) {
        let same = |a: &Field, b: &Field| a.place == b.place && a.xml == b.xml;
        for of in old {
            let path = format!("{}.{}", self.group(&oi.name), of.name);
            match new.iter().find(|nf| same(of, nf)) {
                None => {
                    let kind = match of.place {
                        FieldPlace::Element => Kind::ElementRemoved,
                        FieldPlace::Attribute => Kind::AttributeRemoved,
                        _ => Kind::ContentRemoved,
                    };
                    let place = self.old.field_place(self.o, oi, of);
                    self.push(
                        &ni.name,
                        path,
                        kind,
                        format!(
                            "{} {} {} ({})",
                            if verdict::required(of) {
                                "required"
                            } else {
                                "optional"
                            },
                            field_what(of),
                            of.xml,
                            ty_text(&of.ty)
                        ),
                        (Some(place), None),
                        verdict::field_removed(of),
                    );
                }
                Some(nf) => self.field(oi, ni, of, nf, path),
            }
        }
        for nf in new {
            if !old.iter().any(|of| same(of, nf)) {
                let path = format!("{}.{}", self.group(&ni.name), nf.name);
                let kind = match nf.place {
                    FieldPlace::Element => Kind::ElementAdded,
                    FieldPlace::Attribute => Kind::AttributeAdded,
                    _ => Kind::ContentAdded,
                };
                let place = self.new.field_place(self.n, ni, nf);
                self.push(
                    &ni.name,
                    path,
                    kind,
                    format!(
                        "{} {} {} ({})",
                        if verdict::required(nf) {
                            "required"
                        } else {
                            "optional"
                        },
                        field_what(nf),
                        nf.xml,
                        ty_text(&nf.ty)
                    ),
                    (None, Some(place)),
                    verdict::field_added(nf, self.old.non_exhaustive),
                );
            }
        }
    }

    fn field(&mut self, oi: &Item, ni: &Item, of: &Field, nf: &Field, path: String) {
        let places = (
            Some(self.old.field_place(self.o, oi, of)),
            Some(self.new.field_place(self.n, ni, nf)),
        );
        if of.name != nf.name {
            self.push(
                &ni.name,
                path.clone(),
                Kind::FieldRenamed,
                format!(
                    "{} {}: field {} -> {}",
                    field_what(nf),
                    nf.xml,
                    of.name,
                    nf.name
                ),
                places.clone(),
                v(
                    Compat::Ok,
                    Compat::Ok,
                    Bump::Major,
                    "the Rust field is renamed",
                ),
            );
        }
        if let Some(verdicts) = verdict::occurrence(of, nf) {
            self.push(
                &ni.name,
                path.clone(),
                Kind::OccurrenceChanged,
                format!(
                    "{} {}: {} -> {}",
                    field_what(nf),
                    nf.xml,
                    verdict::occurs_text(of),
                    verdict::occurs_text(nf)
                ),
                places.clone(),
                verdicts,
            );
        }
        if of.ty != nf.ty {
            let verdicts = verdict::type_changed(&of.ty, &self.o.module, &nf.ty, &self.n.module);
            self.push(
                &ni.name,
                path.clone(),
                Kind::TypeChanged,
                format!(
                    "{} {}: {} -> {}",
                    field_what(nf),
                    nf.xml,
                    ty_text(&of.ty),
                    ty_text(&nf.ty)
                ),
                places.clone(),
                verdicts,
            );
        }
        if of.default != nf.default {
            let verdicts = match (&of.default, &nf.default) {
                (Some(_), Some(_)) => v(
                    Compat::Breaks,
                    Compat::Ok,
                    Bump::None,
                    "OLD's `_or_default()` gives its own default where NEW's documents leave the value out",
                ),
                (None, _) => v(
                    Compat::Ok,
                    Compat::Ok,
                    Bump::Minor,
                    "a new `_or_default()` accessor",
                ),
                (Some(_), None) => v(
                    Compat::Ok,
                    Compat::Ok,
                    Bump::Major,
                    "the `_or_default()` accessor is gone",
                ),
            };
            self.push(
                &ni.name,
                path.clone(),
                Kind::DefaultChanged,
                format!(
                    "{} {}: default {} -> {}",
                    field_what(nf),
                    nf.xml,
                    shown(&of.default),
                    shown(&nf.default)
                ),
                places.clone(),
                verdicts,
            );
        }
        if of.fixed != nf.fixed {
            let verdicts = match (&of.fixed, &nf.fixed) {
                (None, Some(_)) => v(
                    Compat::Ok,
                    Compat::Breaks,
                    Bump::Minor,
                    "OLD may write another value than the one NEW fixes",
                ),
                (Some(_), None) => v(
                    Compat::Breaks,
                    Compat::Ok,
                    Bump::None,
                    "NEW's documents may carry other values than the one OLD fixes",
                ),
                _ => v(
                    Compat::Breaks,
                    Compat::Breaks,
                    Bump::None,
                    "the fixed value differs",
                ),
            };
            self.push(
                &ni.name,
                path,
                Kind::FixedChanged,
                format!(
                    "{} {}: fixed {} -> {}",
                    field_what(nf),
                    nf.xml,
                    shown(&of.fixed),
                    shown(&nf.fixed)
                ),
                places,
                verdicts,
            );
        }
    }

    fn facets(&mut self, oi: &Item, ni: &Item, old: &Facets, new: &Facets) {
        for (detail, direction) in facets::changes(old, new) {
            let path = self.group(&ni.name);
            self.push(
                &ni.name,
                path,
                Kind::FacetChanged,
                detail,
                self.places(oi, ni),
                verdict::facet(direction),
            );
        }
    }
}
