//! A small owned XML element tree: how the store keeps every entity, whatever its schema.
//!
//! Qualys entities are element-only content with trimmed text leaves (CDATA included), plus the odd attribute
//! (`<UrlEntry regex="true">`). Keeping them as trees lets one piece of code evaluate criteria on dotted paths,
//! merge updates and apply collection operations for all eight entities; the generated types check the result.

use std::fmt::Write as _;

/// One element: its name, its non-namespaced attributes, its trimmed text (leaves only) and its children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// The element name (local name).
    pub name: String,
    /// Attributes without a namespace, in document order.
    pub attrs: Vec<(String, String)>,
    /// The trimmed text of a leaf; empty for an element with children.
    pub text: String,
    /// Child elements, in document order.
    pub children: Vec<Node>,
}

impl Node {
    /// An empty element.
    pub fn new(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            ..Node::default()
        }
    }

    /// A leaf element with text.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            text: text.into(),
            ..Node::default()
        }
    }

    /// Adds a child and returns `self`, for building.
    pub fn with(mut self, child: Node) -> Node {
        self.children.push(child);
        self
    }

    /// Parses a document and returns its root element.
    pub fn parse(xml: &str) -> Result<Node, String> {
        let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
        let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
        Ok(Node::from_element(doc.root_element()))
    }

    fn from_element(element: roxmltree::Node<'_, '_>) -> Node {
        let mut node = Node::new(element.tag_name().name());
        node.attrs = element
            .attributes()
            .filter(|a| a.namespace().is_none())
            .map(|a| (a.name().to_owned(), a.value().to_owned()))
            .collect();
        let mut text = String::new();
        for child in element.children() {
            if child.is_element() {
                node.children.push(Node::from_element(child));
            } else if child.is_text() {
                text.push_str(child.text().unwrap_or_default());
            }
        }
        if node.children.is_empty() {
            node.text = text.trim().to_owned();
        }
        node
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first child named `name`, mutable.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Node> {
        self.children.iter_mut().find(|c| c.name == name)
    }

    /// The child named `name`, created (appended) when absent.
    pub fn child_or_insert(&mut self, name: &str) -> &mut Node {
        let index = match self.children.iter().position(|c| c.name == name) {
            Some(index) => index,
            None => {
                self.children.push(Node::new(name));
                self.children.len() - 1
            }
        };
        &mut self.children[index]
    }

    /// The node at a `/`-separated path of child names, such as `summary/resultsStatus`.
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .try_fold(self, |node, part| node.child(part))
    }

    /// The text at a `/`-separated path, if the element exists.
    pub fn text_at(&self, path: &str) -> Option<&str> {
        self.at(path).map(|n| n.text.as_str())
    }

    /// Sets the text at a `/`-separated path, creating the elements on the way.
    pub fn set_text_at(&mut self, path: &str, text: impl Into<String>) {
        let mut node = self;
        for part in path.split('/') {
            node = node.child_or_insert(part);
        }
        node.children.clear();
        node.text = text.into();
    }

    /// Sets the text at `path` only if nothing is there yet.
    pub fn default_text_at(&mut self, path: &str, text: &str) {
        if self.at(path).is_none() {
            self.set_text_at(path, text);
        }
    }

    /// Removes every child named `name`.
    pub fn remove(&mut self, name: &str) {
        self.children.retain(|c| c.name != name);
    }

    /// The `<id>` child as a number.
    pub fn id(&self) -> Option<i64> {
        self.child("id")?.text.trim().parse().ok()
    }

    /// Sets `<id>`, as the first child.
    pub fn set_id(&mut self, id: i64) {
        self.remove("id");
        self.children.insert(0, Node::leaf("id", id.to_string()));
    }

    /// The items of a Qualys collection wrapper (`<x><count/><list><Item/>..</list></x>`).
    pub fn list_items(&self) -> &[Node] {
        self.child("list").map_or(&[], |l| &l.children)
    }

    /// Writes the element as XML.
    pub fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attrs {
            let _ = write!(out, " {name}=\"");
            escape_into(value, true, out);
            out.push('"');
        }
        if self.children.is_empty() && self.text.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        if self.children.is_empty() {
            escape_into(&self.text, false, out);
        } else {
            for child in &self.children {
                child.write(out);
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }

    /// The element as an XML string (no declaration).
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// Escapes text (and quotes, in attribute values) for XML.
pub fn escape_into(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Escapes text for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, false, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_trims_cdata_and_keeps_attributes() {
        let node = Node::parse(
            "<WebApp xmlns:xsi=\"x\" xsi:a=\"1\"><id>7</id><name>\n  <![CDATA[A & B]]>\n</name>\
             <urlBlacklist><list><UrlEntry regex=\"true\">x</UrlEntry></list></urlBlacklist></WebApp>",
        )
        .unwrap();
        assert!(node.attrs.is_empty());
        assert_eq!(node.id(), Some(7));
        assert_eq!(node.text_at("name"), Some("A & B"));
        let entry = &node.child("urlBlacklist").unwrap().list_items()[0];
        assert_eq!(entry.attrs, vec![("regex".into(), "true".into())]);
        assert_eq!(
            node.to_xml(),
            "<WebApp><id>7</id><name>A &amp; B</name><urlBlacklist><list>\
             <UrlEntry regex=\"true\">x</UrlEntry></list></urlBlacklist></WebApp>"
        );
    }

    #[test]
    fn set_text_at_creates_the_path() {
        let mut node = Node::new("WasScan");
        node.set_text_at("summary/resultsStatus", "SUCCESSFUL");
        node.set_id(3);
        assert_eq!(
            node.to_xml(),
            "<WasScan><id>3</id><summary><resultsStatus>SUCCESSFUL</resultsStatus></summary></WasScan>"
        );
    }
}
