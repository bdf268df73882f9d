//! Recursion: simple types that contain themselves are refused; structs that do are boxed; named groups that
//! contain themselves through anonymous element types are found before lowering, so that the anonymous types of
//! their elements are built once each (and the group reached again inside one refers back to it).

use crate::ir::graph::strongly_connected;
use std::collections::{HashMap, HashSet};

use super::*;
use crate::error::{Error, Result};
use crate::xsd::{Content, Particle, Term};

impl<'s> Lowering<'s> {
    /// Runs `expand` over the particle of group `name`, referenced at `loc`: refuses a group reached again
    /// while it is expanded (it contains itself with no element between, an endless content model), and marks
    /// the elements of a recursive group as such (see `group_types`).
    pub(super) fn expand_group<T>(
        &mut self,
        name: &QName,
        loc: &crate::xsd::Loc,
        expand: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        if !self.expanding_groups.insert(name.clone()) {
            return Err(Error::invalid(
                loc,
                format!(
                    "group {name} is reached again while it is expanded, with no element between: it contains \
                     itself, and its content would have no end"
                ),
            ));
        }
        let group_ctx = self
            .recursive_groups
            .contains(name)
            .then(|| names::type_name(&name.local));
        let outer = std::mem::replace(&mut self.group_ctx, group_ctx);
        let done = expand(self);
        self.group_ctx = outer;
        self.expanding_groups.remove(name);
        done
    }

    /// Finds the named groups that reach themselves through group references and the anonymous types of local
    /// elements (`<xs:group name="expression">` holding an `<op>` whose type refers to `expression` again).
    /// Named types and global elements are built once anyway and need no such care.
    pub(super) fn find_recursive_groups(&mut self) {
        let reach = Reach {
            groups: &self.groups,
            types: &self.types,
        };
        let recursive: HashSet<QName> = self
            .groups
            .iter()
            .filter(|(name, group)| reach.particle(&group.particle, name, &mut HashSet::new()))
            .map(|(name, _)| name.clone())
            .collect();
        self.recursive_groups = recursive;
    }

    /// Boxes single-valued fields that close a cycle of structs, so every type has a finite size.
    /// Refuses simple types (unions, lists, restrictions) that contain themselves: a value of one would have no
    /// end. Complex types may recurse; they are boxed below.
    pub(super) fn check_simple_cycles(&self) -> Result<()> {
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

    pub(super) fn box_recursion(&mut self) {
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
                ItemKind::Derived(d) => d
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
        // Every single-valued edge inside a strongly connected component is boxed: which edges close a cycle
        // then depends on the cycle alone, not on the order the items come in, so a module that sees a cycle
        // from another schema's side boxes it the same way (and the items can be shared).
        let graph: Vec<Vec<(usize, String)>> = self.items.iter().map(edges).collect();
        let component = strongly_connected(&graph);
        let mut to_box: Vec<(usize, String)> = Vec::new();
        for (node, out) in graph.iter().enumerate() {
            for (next, field) in out {
                if component[node] == component[*next] {
                    to_box.push((node, field.clone()));
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
                ItemKind::Derived(d) => d
                    .variants
                    .iter_mut()
                    .filter(|v| v.name == field)
                    .for_each(|v| v.boxed = true),
                _ => {}
            }
        }
    }
}

/// What a group's particle reaches while it is lowered inline: the groups it references and the content of the
/// anonymous types of its local elements, with their bases (a base's content is lowered into the derived type).
struct Reach<'a, 's> {
    groups: &'a HashMap<QName, &'s Group>,
    types: &'a HashMap<QName, Decl<'s>>,
}

impl Reach<'_, '_> {
    /// Whether particle `p` reaches group `target`; `seen`: the groups and base types visited.
    fn particle(&self, p: &Particle, target: &QName, seen: &mut HashSet<QName>) -> bool {
        match &p.term {
            Term::GroupRef(name) => {
                name == target
                    || (seen.insert(name.clone())
                        && self
                            .groups
                            .get(name)
                            .is_some_and(|g| self.particle(&g.particle, target, seen)))
            }
            Term::Element(e) => match &e.ty {
                TypeRef::Complex(ct) => self.complex(ct, target, seen),
                _ => false,
            },
            Term::Sequence(parts) | Term::Choice(parts) | Term::All(parts) => {
                parts.iter().any(|p| self.particle(p, target, seen))
            }
            Term::ElementRef(_) | Term::Any { .. } => false,
        }
    }

    fn complex(&self, ct: &ComplexType, target: &QName, seen: &mut HashSet<QName>) -> bool {
        match &ct.content {
            Content::Particle(p) => self.particle(p, target, seen),
            Content::Complex { base, particle, .. } => {
                particle
                    .as_ref()
                    .is_some_and(|p| self.particle(p, target, seen))
                    || (seen.insert(base.clone())
                        && matches!(self.types.get(base), Some(Decl::Complex(base))
                            if self.complex(base, target, seen)))
            }
            Content::Empty | Content::Simple { .. } => false,
        }
    }
}
