//! How deep a module's types nest inside each other, checked before emission: rustc evaluates drop checks and
//! auto traits through every level of a type's fields, and stops with an overflow error at its recursion limit
//! (128). A chain of more than [`MAX_TYPE_DEPTH`] items the generator refuses with the item where it starts,
//! rather than emit code rustc cannot compile.

use std::collections::HashMap;

use super::Module;
use super::graph::strongly_connected;
use crate::error::{Error, Result};

/// The longest chain of items, each a field (or variant, member) type of the one before, that is emitted.
/// Measured: 125 items in a chain of optional fields compile, 128 do not.
pub const MAX_TYPE_DEPTH: usize = 120;

/// Refuses `module` when its items nest deeper than [`MAX_TYPE_DEPTH`]. Types on a common cycle (recursive
/// types, boxed) count as one level: rustc settles a cycle when it meets a type again rather than descending
/// further, so what can overflow is a chain of distinct types, the longest path between the cycles.
pub fn check_type_depth(module: &Module) -> Result<()> {
    let index: HashMap<&str, usize> = module
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.name.as_str(), i))
        .collect();
    let graph: Vec<Vec<(usize, String)>> = module
        .items
        .iter()
        .map(|item| {
            item.references()
                .into_iter()
                .filter_map(|name| index.get(name.as_str()).map(|&to| (to, String::new())))
                .collect()
        })
        .collect();
    let component = strongly_connected(&graph);
    let components = component.iter().map(|&c| c + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); components];
    for (node, &c) in component.iter().enumerate() {
        members[c].push(node);
    }
    // Components come in reverse topological order: what one reaches is numbered lower, so is done first.
    let mut depth = vec![0usize; components];
    for c in 0..components {
        let below = members[c]
            .iter()
            .flat_map(|&node| &graph[node])
            .map(|&(to, _)| component[to])
            .filter(|&d| d != c)
            .map(|d| depth[d])
            .max()
            .unwrap_or(0);
        depth[c] = below + 1;
    }
    let deepest =
        (0..module.items.len()).max_by_key(|&node| (depth[component[node]], usize::MAX - node));
    if let Some(node) = deepest {
        let found = depth[component[node]];
        if found > MAX_TYPE_DEPTH {
            let item = &module.items[node];
            return Err(Error::invalid(
                &item.loc,
                format!(
                    "type {} nests {found} generated types deep, more than the {MAX_TYPE_DEPTH} rustc can \
                     compile (its recursion limit is 128)",
                    item.name
                ),
            ));
        }
    }
    Ok(())
}
