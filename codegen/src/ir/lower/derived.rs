//! `xsi:type` polymorphism: a named complex type from which other named complex types derive (complexContent
//! extension or restriction, transitively) is the declared type of elements that may hold any of them. Such an
//! element's value is an enum with a variant per concrete type of the family ([`Derived`]); types without
//! derived types keep their plain struct.

use std::collections::HashSet;

use super::*;
use crate::error::Result;
use crate::xsd::{ComplexType, Content};

impl<'s> Lowering<'s> {
    /// Indexes which named complex types derive from which, and names the enums of types with derived types.
    pub(super) fn index_derived(&mut self) {
        let set = self.set;
        for file in &set.files {
            for item in &file.items {
                if let TopItem::ComplexType(ComplexType {
                    name: Some(name),
                    content: Content::Complex { base, .. },
                    ..
                }) = item
                    && !base.is_xsd()
                    && matches!(self.types.get(base), Some(Decl::Complex(_)))
                {
                    self.derived
                        .entry(base.clone())
                        .or_default()
                        .push(name.clone());
                }
            }
        }
        // In declaration order, file by file in path order: the same family in whichever module sees it.
        let types = &self.types;
        let position = |name: &QName| match types.get(name) {
            Some(Decl::Complex(ct)) => (ct.loc.file.clone(), ct.loc.line, ct.loc.col),
            _ => unreachable!("derived types are complex"),
        };
        for derived in self.derived.values_mut() {
            derived.sort_by_cached_key(position);
        }
        for file in &set.files {
            for item in &file.items {
                if let TopItem::ComplexType(ComplexType {
                    name: Some(name), ..
                }) = item
                    && self.derived.contains_key(name)
                    && !self.family(name).is_empty()
                {
                    let wanted = format!("{}OrDerived", self.type_names[name]);
                    let rust = self.scope.claim(&wanted);
                    self.derived_names.insert(name.clone(), rust);
                }
            }
        }
    }

    /// The concrete types among `name` and the types derived from it, transitively: `name` first (if concrete),
    /// then breadth first in declaration order (files in path order).
    fn family(&self, name: &QName) -> Vec<&'s ComplexType> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut queue = std::collections::VecDeque::from([name.clone()]);
        while let Some(next) = queue.pop_front() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(Decl::Complex(ct)) = self.types.get(&next)
                && !ct.is_abstract
            {
                out.push(*ct);
            }
            if let Some(derived) = self.derived.get(&next) {
                queue.extend(derived.iter().cloned());
            }
        }
        out
    }

    /// The value type of an element declared with the named type `name`: the enum over the type and its derived
    /// types where it has some, else the type itself.
    pub(super) fn element_type_ref(&mut self, name: &QName, loc: &crate::xsd::Loc) -> Result<Ty> {
        match self.derived_names.get(name) {
            Some(rust) => Ok(Ty::Named(rust.clone())),
            None => self.type_ref(name, loc),
        }
    }

    /// The enum over `ct` and its derived types, if it has some.
    pub(super) fn derived_enum(&mut self, ct: &'s ComplexType) -> Result<()> {
        let Some(qname) = ct.name.clone() else {
            return Ok(());
        };
        let Some(rust) = self.derived_names.get(&qname).cloned() else {
            return Ok(());
        };
        let mut variants = Vec::new();
        for member in self.family(&qname) {
            let name = member.name.clone().expect("named");
            let ty = self.resolve_named(&name, &member.loc)?;
            variants.push(DerivedVariant {
                name: self.type_names[&name].clone(),
                namespace: name.ns.clone(),
                xml: name.local.clone(),
                ty,
                boxed: false,
            });
        }
        let doc = self.item_doc(
            &None,
            &format!(
                "complexType `{}` and the types derived from it, chosen by `xsi:type`",
                qname.local
            ),
        );
        let kind = ItemKind::Derived(Derived {
            declared: qname.local.clone(),
            concrete: !ct.is_abstract,
            variants,
        });
        self.push(rust, &qname.local, doc, kind, &ct.loc);
        Ok(())
    }
}
