//! Request data applied to stored trees: Qualys's collection forms (`set`, `add`, `remove`, `update`) and
//! partial updates, for every entity alike.

use crate::tree::Node;

const OPERATIONS: [&str; 4] = ["set", "add", "remove", "update"];

/// Whether `node` is a collection in update form: `<tags><add>..</add><remove>..</remove></tags>`.
fn is_collection_update(node: &Node) -> bool {
    !node.children.is_empty()
        && node
            .children
            .iter()
            .all(|c| OPERATIONS.contains(&c.name.as_str()) || c.name == "count" || c.name == "list")
        && node
            .children
            .iter()
            .any(|c| OPERATIONS.contains(&c.name.as_str()))
}

/// The response form of a collection: `<count>n</count>` and, when there are items, `<list>`.
fn collection(name: &str, items: Vec<Node>) -> Node {
    let mut node = Node::new(name).with(Node::leaf("count", items.len().to_string()));
    if !items.is_empty() {
        node.children.push(Node {
            name: "list".into(),
            children: items,
            ..Node::default()
        });
    }
    node
}

/// Whether two collection items are the same one: leaves by text, elements by their first leaf (an `id`
/// for tags and users, a `name` for custom attributes, a `regionCode` for AWS endpoints).
fn same_item(a: &Node, b: &Node) -> bool {
    if a.name != b.name {
        return false;
    }
    match (a.children.first(), b.children.first()) {
        (None, None) => a.text == b.text && a.attrs == b.attrs,
        (Some(ka), Some(kb)) if ka.children.is_empty() && kb.children.is_empty() => {
            let key_b = b.child(&ka.name).unwrap_or(kb);
            ka.name == key_b.name && ka.text == key_b.text
        }
        _ => a == b,
    }
}

/// Turns the update forms in new data into the stored form: `set` and `add` items become the `list`.
pub(crate) fn materialize(mut node: Node) -> Node {
    if is_collection_update(&node) {
        let mut items = Vec::new();
        for op in &node.children {
            if matches!(op.name.as_str(), "set" | "add" | "list") {
                items.extend(op.children.iter().cloned().map(materialize));
            }
        }
        return collection(&node.name, items);
    }
    node.children = node.children.into_iter().map(materialize).collect();
    node
}

/// Applies an update form to the stored collection `stored` (absent: empty).
fn apply_collection(stored: Option<&Node>, update: &Node) -> Node {
    let mut items: Vec<Node> = stored.map(|s| s.list_items().to_vec()).unwrap_or_default();
    for op in &update.children {
        match op.name.as_str() {
            "set" | "list" => items = op.children.iter().cloned().map(materialize).collect(),
            "add" => {
                for item in &op.children {
                    let item = materialize(item.clone());
                    match items.iter().position(|i| same_item(i, &item)) {
                        Some(at) => items[at] = item,
                        None => items.push(item),
                    }
                }
            }
            "remove" => items.retain(|i| !op.children.iter().any(|r| same_item(i, r))),
            "update" => {
                for item in &op.children {
                    if let Some(at) = items.iter().position(|i| same_item(i, item)) {
                        merge(&mut items[at], item);
                    }
                }
            }
            _ => {}
        }
    }
    collection(&update.name, items)
}

/// Merges `update` into `stored`: collections by their update forms, single nested elements recursively,
/// everything else replaced. Repeated elements are replaced as a group, in place.
pub(crate) fn merge(stored: &mut Node, update: &Node) {
    let mut names: Vec<&str> = Vec::new();
    for child in &update.children {
        if !names.contains(&child.name.as_str()) {
            names.push(&child.name);
        }
    }
    for name in names {
        let new: Vec<&Node> = update.children.iter().filter(|c| c.name == name).collect();
        let positions: Vec<usize> = stored
            .children
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name == name)
            .map(|(i, _)| i)
            .collect();
        if let ([one], [] | [_]) = (new.as_slice(), positions.as_slice()) {
            let at = positions.first().copied();
            if is_collection_update(one) {
                let node = apply_collection(at.map(|i| &stored.children[i]), one);
                match at {
                    Some(i) => stored.children[i] = node,
                    None => stored.children.push(node),
                }
                continue;
            }
            if let Some(i) = at {
                let target = &mut stored.children[i];
                if !one.children.is_empty() && !target.children.is_empty() {
                    merge(target, one);
                    continue;
                }
            }
        }
        // Replace the whole group where it stood (or append it).
        let insert_at = positions.first().copied().unwrap_or(stored.children.len());
        stored.children.retain(|c| c.name != name);
        let insert_at = insert_at.min(stored.children.len());
        for (offset, node) in new.into_iter().enumerate() {
            stored
                .children
                .insert(insert_at + offset, materialize(node.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Node {
        Node::parse(xml).unwrap()
    }

    #[test]
    fn set_add_remove_update() {
        let mut stored = parse(
            "<WebApp><id>1</id><name>A</name><tags><count>2</count><list><Tag><id>1</id></Tag>\
             <Tag><id>2</id></Tag></list></tags><attributes><count>1</count><list><Attribute>\
             <name>k</name><value>v</value></Attribute></list></attributes></WebApp>",
        );
        merge(
            &mut stored,
            &parse(
                "<WebApp><name>B</name><tags><remove><Tag><id>1</id></Tag></remove><add><Tag><id>3</id>\
                 </Tag></add></tags><attributes><add><Attribute><name>k</name><value>w</value>\
                 </Attribute></add></attributes></WebApp>",
            ),
        );
        assert_eq!(
            stored.to_xml(),
            "<WebApp><id>1</id><name>B</name><tags><count>2</count><list><Tag><id>2</id></Tag>\
             <Tag><id>3</id></Tag></list></tags><attributes><count>1</count><list><Attribute>\
             <name>k</name><value>w</value></Attribute></list></attributes></WebApp>"
        );
        merge(
            &mut stored,
            &parse(
                "<WebApp><tags><set/></tags><comments><set><Comment><contents>x</contents></Comment></set></comments></WebApp>",
            ),
        );
        assert_eq!(
            stored.at("tags").unwrap().to_xml(),
            "<tags><count>0</count></tags>"
        );
        assert_eq!(stored.at("comments/count").unwrap().text, "1");
    }

    #[test]
    fn nested_elements_merge_and_repeated_ones_replace() {
        let mut stored = parse(
            "<C><n><a><x>1</x><y>2</y></a></n><activation><ActivationModule>VM</ActivationModule>\
             <ActivationModule>PC</ActivationModule></activation><z>1</z></C>",
        );
        merge(
            &mut stored,
            &parse(
                "<C><n><a><y>3</y></a></n><activation><ActivationModule>CERTVIEW</ActivationModule></activation></C>",
            ),
        );
        assert_eq!(
            stored.to_xml(),
            "<C><n><a><x>1</x><y>3</y></a></n><activation><ActivationModule>CERTVIEW</ActivationModule>\
             </activation><z>1</z></C>"
        );
    }

    #[test]
    fn materialize_turns_add_into_list() {
        let node = materialize(parse(
            "<C><endpoints><add><E><regionCode>a</regionCode></E><E><regionCode>b</regionCode></E></add></endpoints></C>",
        ));
        assert_eq!(
            node.to_xml(),
            "<C><endpoints><count>2</count><list><E><regionCode>a</regionCode></E><E><regionCode>b</regionCode>\
             </E></list></endpoints></C>"
        );
    }
}
