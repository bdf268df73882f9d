//! The sharing pass across modules: items that several schemas declare identically are emitted once, in
//! `common`, and re-exported by each schema's module.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Item, Module};

/// Items shared by several modules: name -> (the first module declaring it, every module sharing it).
pub(super) type Shared = BTreeMap<String, (usize, Vec<usize>)>;

/// Whether two items are the same type: equal apart from their docs (whose origin line names the schema) and
/// where they were declared.
fn same_shape(a: &Item, b: &Item) -> bool {
    a.name == b.name
        && a.xml_name == b.xml_name
        && a.root_element == b.root_element
        && a.root_namespace == b.root_namespace
        && a.kind == b.kind
}

/// Items identical (same tokens, same dependencies) in two or more modules: name -> (first module, members).
pub(super) fn shared_items(modules: &[Module]) -> Shared {
    // Only names declared by several modules can be shared.
    let mut declared: HashMap<&str, usize> = HashMap::new();
    for m in modules {
        for item in &m.items {
            *declared.entry(item.name.as_str()).or_default() += 1;
        }
    }
    // Group the declarations of each name by shape: the same IR apart from doc and source position.
    let mut groups: BTreeMap<String, Vec<(&Item, Vec<usize>)>> = BTreeMap::new();
    for (i, m) in modules.iter().enumerate() {
        for item in m
            .items
            .iter()
            .filter(|item| declared[item.name.as_str()] > 1)
        {
            let shapes = groups.entry(item.name.clone()).or_default();
            match shapes.iter_mut().find(|(first, _)| same_shape(first, item)) {
                Some((_, members)) => members.push(i),
                None => shapes.push((item, vec![i])),
            }
        }
    }
    let groups = groups.into_iter().flat_map(|(name, shapes)| {
        shapes
            .into_iter()
            .map(move |(_, members)| (name.clone(), members))
    });
    // For each name, the largest group of at least two modules (first in module order on ties).
    let mut best: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (name, members) in groups {
        if members.len() < 2 {
            continue;
        }
        match best.get(&name) {
            Some(current)
                if current.len() > members.len()
                    || (current.len() == members.len() && current[0] <= members[0]) => {}
            _ => {
                best.insert(name, members);
            }
        }
    }
    // An item can be shared only if everything it refers to is shared by the same modules.
    let by_name: Vec<HashMap<&str, &Item>> = modules
        .iter()
        .map(|m| m.items.iter().map(|i| (i.name.as_str(), i)).collect())
        .collect();
    let references: HashMap<String, Vec<String>> = best
        .iter()
        .map(|(name, members)| {
            let item = by_name[members[0]][name.as_str()];
            (name.clone(), item.references())
        })
        .collect();
    loop {
        let mut removed = false;
        let names: Vec<String> = best.keys().cloned().collect();
        for name in names {
            let members = best[&name].clone();
            let ok = references[&name].iter().all(|r| {
                best.get(r)
                    .is_some_and(|m| members.iter().all(|x| m.contains(x)))
            });
            if !ok {
                best.remove(&name);
                removed = true;
            }
        }
        if !removed {
            break;
        }
    }
    best.into_iter()
        .map(|(name, members)| (name, (members[0], members)))
        .collect()
}
