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

/// The strongly connected component of each node (Tarjan's algorithm, iterative): nodes on a common cycle share
/// a number.
fn strongly_connected(graph: &[Vec<(usize, String)>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![NONE; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut components = 0;
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // (node, next edge to follow)
        let mut calls = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if *edge == 0 && index[node] == NONE {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some((next, _)) = graph[node].get(*edge) {
                *edge += 1;
                let next = *next;
                if index[next] == NONE {
                    calls.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
