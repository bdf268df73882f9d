//! The direct XML writer the generated types plug into ([`ToXml`]), the counterpart of the event reader.
//!
//! It writes what the serde mapping writes (the same names, attributes, XSD lexical forms, absent values left
//! out), and also what quick-xml's serializer cannot: text between the children of mixed content, and the
//! `xs:anyAttribute` attributes of a struct that also holds `xs:any` elements or a choice.

use quick_xml::escape::{escape, partial_escape};

use super::{AnyElement, Collection, ElementName, RootElement, XmlText};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Writes a value as an element named by its parent (a struct's field, a collection's item name).
pub trait ToXml {
    /// Writes `self` as the element `name`: start tag with attributes, content, end tag. A choice writes the
    /// element of its variant, and an [`AnyElement`] its own, whatever `name` says.
    fn write_xml(&self, writer: &mut XmlWriter, name: &str);
}

/// A leaf writes `<name>text</name>`.
impl<T: XmlText> ToXml for T {
    fn write_xml(&self, writer: &mut XmlWriter, name: &str) {
        writer.leaf(name, self);
    }
}

/// XML text, written element by element. Start a tag with [`start`](Self::start), add its attributes, then its
/// content, and close it with [`end`](Self::end) (which writes `<name/>` when nothing came in between).
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// A start tag is open: attributes may still follow.
    open: bool,
    /// The `xsi:type` (namespace, local name) the next start tag carries.
    pending_type: Option<(Option<&'static str>, &'static str)>,
    /// The default namespace the next start tag declares.
    pending_namespace: Option<&'static str>,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The text written so far.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Opens the start tag `<name`.
    pub fn start(&mut self, name: &str) {
        self.close_start();
        self.out.push('<');
        self.out.push_str(name);
        self.open = true;
        if let Some(namespace) = self.pending_namespace.take() {
            self.attribute("xmlns", namespace);
        }
        if let Some((namespace, local)) = self.pending_type.take() {
            self.attribute("xmlns:xsi", XSI);
            match namespace {
                Some(namespace) => {
                    self.attribute("xmlns:xt", namespace);
                    self.out.push_str(" xsi:type=\"xt:");
                    self.out.push_str(local);
                    self.out.push('"');
                }
                None => self.attribute("xsi:type", local),
            }
        }
    }

    /// Makes the next start tag declare `namespace` as the default namespace: how an element of another
    /// namespace than its parent's children (a substitution group member from an imported schema) is written.
    pub fn default_namespace(&mut self, namespace: &'static str) {
        self.pending_namespace = Some(namespace);
    }

    /// Makes the next start tag carry `xsi:type` naming the type `local` in `namespace` (declaring the `xsi`
    /// prefix, and the prefix `xt` for the type's namespace): how a value of a type derived from the element's
    /// declared type is written.
    pub fn xsi_type(&mut self, namespace: Option<&'static str>, local: &'static str) {
        self.pending_type = Some((namespace, local));
    }

    /// Writes the attribute `name="value"` (escaped) into the open start tag.
    pub fn attribute(&mut self, name: &str, value: &str) {
        debug_assert!(self.open, "attribute {name} outside a start tag");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&escape(value));
        self.out.push('"');
    }

    /// Writes an attribute holding the XSD lexical form of `value`.
    pub fn attribute_value<T: XmlText>(&mut self, name: &str, value: &T) {
        self.attribute(name, &value.to_xml_text());
    }

    /// Writes an attribute of an `xs:list` type: the items separated by spaces.
    pub fn attribute_list<T: XmlText>(&mut self, name: &str, values: &[T]) {
        self.attribute(name, &super::text::list_text(values));
    }

    /// Writes text content (escaped).
    pub fn text(&mut self, text: &str) {
        self.close_start();
        self.out.push_str(&partial_escape(text));
    }

    /// Closes the element `name` opened last.
    pub fn end(&mut self, name: &str) {
        if self.open {
            self.out.push_str("/>");
            self.open = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// Writes `<name>text</name>` with the XSD lexical form of `value` (`<name/>` when that is empty).
    pub fn leaf<T: XmlText>(&mut self, name: &str, value: &T) {
        self.start(name);
        let text = value.to_xml_text();
        if !text.is_empty() {
            self.text(&text);
        }
        self.end(name);
    }

    /// Writes `value` as the element `name` (a leaf, a struct, a collection, ...).
    pub fn element<T: ToXml>(&mut self, name: &str, value: &T) {
        value.write_xml(self, name);
    }

    /// Writes the element `name` if `value` is there.
    pub fn element_opt<T: ToXml>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            value.write_xml(self, name);
        }
    }

    /// Writes one element `name` per value.
    pub fn elements<T: ToXml>(&mut self, name: &str, values: &[T]) {
        for value in values {
            value.write_xml(self, name);
        }
    }

    /// Writes the attribute `name` if `value` is there.
    pub fn attribute_opt<T: XmlText>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.attribute_value(name, value);
        }
    }

    /// Writes an element of an `xs:list` type: the items separated by spaces.
    pub fn list<T: XmlText>(&mut self, name: &str, values: &[T]) {
        self.start(name);
        if !values.is_empty() {
            self.text(&super::text::list_text(values));
        }
        self.end(name);
    }

    /// Writes `<name xsi:nil="true"/>`, the absent value of a required nillable element.
    pub fn nil(&mut self, name: &str) {
        self.start(name);
        self.attribute("xmlns:xsi", XSI);
        self.attribute("xsi:nil", "true");
        self.end(name);
    }

    /// Writes the element `name` with the content (attributes, text, children) of an `xs:anyType` value.
    pub fn any_content(&mut self, name: &str, content: &AnyElement) {
        self.start(name);
        for (key, value) in &content.attributes {
            self.attribute(key, value);
        }
        if let Some(text) = &content.text {
            self.text(text);
        }
        for child in &content.children {
            child.write_xml(self, "");
        }
        self.end(name);
    }

    fn close_start(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }
}

/// An element matched by `xs:any` writes itself, under its own name.
impl ToXml for AnyElement {
    fn write_xml(&self, writer: &mut XmlWriter, _: &str) {
        writer.any_content(&self.name, self);
    }
}

/// `<name><count/><list><Item/>...</list>...</name>`, each part that is present, in the schema's order.
impl<T: ToXml, N: ElementName> ToXml for Collection<T, N> {
    fn write_xml(&self, writer: &mut XmlWriter, name: &str) {
        writer.start(name);
        if let Some(count) = &self.count {
            writer.leaf("count", count);
        }
        for (part, items) in self.parts() {
            let Some(items) = items else { continue };
            writer.start(part);
            for item in items {
                item.write_xml(writer, N::ELEMENT);
            }
            writer.end(part);
        }
        writer.end(name);
    }
}

/// Writes `value` as a document whose root element is `T::ROOT` (with its namespace, as [`super::to_string`]
/// declares it), through the generated writers.
pub fn write_document<T: ToXml + RootElement>(value: &T) -> String {
    let mut writer = XmlWriter::new();
    match T::NAMESPACE {
        None => value.write_xml(&mut writer, T::ROOT),
        Some(ns) => {
            let root = if T::QUALIFIED {
                T::ROOT.to_owned()
            } else {
                format!("ns0:{}", T::ROOT)
            };
            let declaration = if T::QUALIFIED { "xmlns" } else { "xmlns:ns0" };
            // The root's own writer opens the tag; the declaration is its first attribute.
            let mut inner = XmlWriter::new();
            value.write_xml(&mut inner, &root);
            let body = inner.into_string();
            let at = 1 + root.len();
            writer.out.push_str(&body[..at]);
            writer.out.push(' ');
            writer.out.push_str(declaration);
            writer.out.push_str("=\"");
            writer.out.push_str(&escape(ns));
            writer.out.push('"');
            writer.out.push_str(&body[at..]);
        }
    }
    writer.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_text_and_escaping() {
        let mut w = XmlWriter::new();
        w.start("a");
        w.attribute("q", "x\"<&");
        w.leaf("b", &"1 < 2 & 3".to_owned());
        w.leaf("empty", &String::new());
        w.start("c");
        w.end("c");
        w.text("tail");
        w.nil("n");
        w.list("l", &[1, 2, 3]);
        w.end("a");
        assert_eq!(
            w.into_string(),
            "<a q=\"x&quot;&lt;&amp;\"><b>1 &lt; 2 &amp; 3</b><empty/><c/>tail\
             <n xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/><l>1 2 3</l></a>"
        );
    }

    struct Item;
    impl ElementName for Item {
        const ELEMENT: &'static str = "Tag";
    }

    #[test]
    fn collections_and_any_elements() {
        let mut tags: Collection<String, Item> = Collection::listed(vec!["a".into(), "b".into()]);
        tags.add = Some(vec!["c".into()]);
        let mut w = XmlWriter::new();
        tags.write_xml(&mut w, "tags");
        let any = AnyElement {
            name: "x".into(),
            attributes: vec![("k".into(), "v".into())],
            text: Some("t".into()),
            children: vec![AnyElement {
                name: "y".into(),
                ..AnyElement::default()
            }],
        };
        any.write_xml(&mut w, "ignored");
        assert_eq!(
            w.into_string(),
            "<tags><count>2</count><list><Tag>a</Tag><Tag>b</Tag></list><add><Tag>c</Tag></add></tags>\
             <x k=\"v\">t<y/></x>"
        );
    }
}
