//! Recursion: simple types that contain themselves are refused; structs that do are boxed.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::error::{Error, Result};

impl<'s> Lowering<'s> {
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
