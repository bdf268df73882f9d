//! The direct XML writer the generated types plug into ([`ToXml`]), the counterpart of the event reader.
//!
//! It writes what the serde mapping writes (the same names, attributes, XSD lexical forms, absent values left
//! out), and also what quick-xml's serializer cannot: text between the children of mixed content, and the
//! `xs:anyAttribute` attributes of a struct that also holds `xs:any` elements or a choice.

use quick_xml::escape::{escape, partial_escape};

use super::{AnyElement, Collection, ElementName, RootElement, UnknownElement, XmlText};

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
    /// The default namespace in scope (the document's, or one an `xs:any` element declared for its content).
    default_namespace: Option<String>,
    /// The `xsi:type` (namespace, local name) the next start tag carries.
    pending_type: Option<(Option<&'static str>, &'static str)>,
    /// The default namespace the next start tag declares (`""`: none).
    pending_namespace: Option<&'static str>,
    /// The namespace the document element binds to the prefix `ns0` (that of an unqualified schema's root).
    ns0: Option<&'static str>,
    /// How many elements are open.
    depth: usize,
    /// The kept unknown children of open elements (see [`XmlWriter::keep_unknown`]), innermost last.
    kept: Vec<Kept>,
    /// The prefixes bound for the namespaces of values (`xs:QName`).
    prefixes: super::names::Prefixes,
}

/// Unknown children waiting for their place in the element open at `depth`.
#[derive(Debug)]
struct Kept {
    depth: usize,
    /// Known children written so far.
    written: usize,
    /// The default namespace in scope in the element.
    namespace: Option<String>,
    /// The children not written yet, in document order.
    pending: std::collections::VecDeque<UnknownElement>,
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
        if self
            .kept
            .last()
            .is_some_and(|kept| kept.depth == self.depth)
        {
            self.place_kept(false);
        }
        self.depth += 1;
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

    /// Runs `write` to write one element of local name `local` in `namespace` (`None`: no namespace), handing it
    /// the name to write: `local` where `namespace` is the default one in scope, `ns0:local` where it is the one
    /// the document element binds to `ns0`; otherwise `local` with `namespace` declared as the default one on
    /// the element (`xmlns=""` for none), in scope for its content.
    pub fn in_namespace(
        &mut self,
        namespace: Option<&'static str>,
        local: &str,
        write: impl FnOnce(&mut Self, &str),
    ) {
        if namespace == self.default_namespace.as_deref() {
            return write(self, local);
        }
        if namespace.is_some() && namespace == self.ns0 {
            return write(self, &format!("ns0:{local}"));
        }
        self.pending_namespace = Some(namespace.unwrap_or(""));
        let outer = std::mem::replace(&mut self.default_namespace, namespace.map(str::to_owned));
        write(self, local);
        self.default_namespace = outer;
    }

    /// The prefix to write a name in `namespace` (`None`: no namespace) with, `None` for none; `preferred` is
    /// the one the name was read with. Unprefixed where `preferred` is `None` and the namespace is the default
    /// one in scope; otherwise `preferred` where it is bound to the namespace or may be declared here, else
    /// another prefix bound to the namespace, else a fresh one (`q1`, ...), declared on the open start tag. A name in no namespace is unprefixed (where
    /// a default namespace is in scope it then reads back in that one), and so is any name where no start tag is
    /// open (text after a child of mixed content), which is written with `preferred` as it is.
    pub fn prefix_for(
        &mut self,
        namespace: Option<&str>,
        preferred: Option<&str>,
    ) -> Option<String> {
        let uri = namespace?;
        if preferred.is_none() && namespace == self.default_namespace.as_deref() {
            return None;
        }
        if !self.open {
            return preferred.map(str::to_owned);
        }
        let (prefix, declare) = self.prefixes.choose(uri, preferred, self.depth);
        if declare {
            self.attribute(&format!("xmlns:{prefix}"), uri);
        }
        Some(prefix)
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
        push_attribute_value(&mut self.out, value);
        self.out.push('"');
    }

    /// Writes the attributes matched by `xs:anyAttribute` (see [`AnyElement::attributes`]): a prefix is declared
    /// for each namespace of the qualified ones.
    pub fn any_attributes(&mut self, attributes: &[(String, String)]) {
        for (key, value) in super::any::qualified_attributes(attributes) {
            self.attribute(&key, value);
        }
    }

    /// Writes an attribute holding the XSD lexical form of `value`.
    pub fn attribute_value<T: XmlText>(&mut self, name: &str, value: &T) {
        let text = value.to_xml_text_in(self);
        self.attribute(name, &text);
    }

    /// Writes an attribute of an `xs:list` type: the items separated by spaces.
    pub fn attribute_list<T: XmlText>(&mut self, name: &str, values: &[T]) {
        let text = super::text::list_text_in(values, self);
        self.attribute(name, &text);
    }

    /// Writes the XSD lexical form of `value` as text content, declaring what prefixes it needs first.
    pub fn text_value<T: XmlText>(&mut self, value: &T) {
        let text = value.to_xml_text_in(self);
        self.text(&text);
    }

    /// Writes text content (escaped).
    pub fn text(&mut self, text: &str) {
        self.close_start();
        let escaped = partial_escape(text);
        if memchr::memchr(b'\r', escaped.as_bytes()).is_none() {
            self.out.push_str(&escaped);
        } else {
            // A literal carriage return would be read back as a line feed.
            self.out.push_str(&escaped.replace('\r', "&#13;"));
        }
    }

    /// Closes the element `name` opened last.
    pub fn end(&mut self, name: &str) {
        if self
            .kept
            .last()
            .is_some_and(|kept| kept.depth == self.depth)
        {
            self.place_kept(true);
        }
        self.prefixes.close(self.depth);
        self.depth = self.depth.saturating_sub(1);
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
        let text = value.to_xml_text_in(self);
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
            let text = super::text::list_text_in(values, self);
            self.text(&text);
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
        self.any_rest(name, content);
    }

    /// Writes an element matched by `xs:any` in its own namespace: a default namespace declaration where it
    /// differs from the one in scope, a prefix declared for each namespace of its qualified attributes.
    pub fn any_element(&mut self, element: &AnyElement) {
        self.start(&element.name);
        if element.namespace == self.default_namespace {
            self.any_rest(&element.name, element);
            return;
        }
        self.attribute("xmlns", element.namespace.as_deref().unwrap_or(""));
        let outer = std::mem::replace(&mut self.default_namespace, element.namespace.clone());
        self.any_rest(&element.name, element);
        self.default_namespace = outer;
    }

    fn any_rest(&mut self, name: &str, content: &AnyElement) {
        for (key, value) in super::any::qualified_attributes(&content.attributes) {
            self.attribute(&key, value);
        }
        if let Some(text) = &content.text {
            self.text(text);
        }
        for child in &content.children {
            self.any_element(child);
        }
        self.end(name);
    }

    /// Puts `elements`, the unknown children kept by the element just started, back among the known children
    /// written next: each before the known child its [`UnknownElement::before`] counts, the rest before the end
    /// tag.
    pub fn keep_unknown(&mut self, elements: &[UnknownElement]) {
        if elements.is_empty() {
            return;
        }
        self.kept.push(Kept {
            depth: self.depth,
            written: 0,
            namespace: self.default_namespace.clone(),
            pending: elements.iter().cloned().collect(),
        });
    }

    /// Writes the kept children whose place has come: before the next known child, or (`all`) before the end
    /// tag. What the next start tag is to carry waits until they are written.
    #[cold]
    #[inline(never)]
    fn place_kept(&mut self, all: bool) {
        let Some(mut kept) = self.kept.pop() else {
            return;
        };
        let pending_namespace = self.pending_namespace.take();
        let pending_type = self.pending_type.take();
        let scope = std::mem::replace(&mut self.default_namespace, kept.namespace.clone());
        while kept
            .pending
            .front()
            .is_some_and(|next| all || next.before <= kept.written)
        {
            if let Some(next) = kept.pending.pop_front() {
                self.any_element(&next.element);
            }
        }
        self.default_namespace = scope;
        self.pending_namespace = pending_namespace;
        self.pending_type = pending_type;
        if !all {
            kept.written += 1;
            self.kept.push(kept);
        }
    }

    fn close_start(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }
}

/// Appends an attribute value, escaped so that it reads back as it is: besides markup and quotes, tabs and line
/// ends are written as character references, which XML's attribute-value normalization leaves alone (a literal
/// one would be read back as a space).
fn push_attribute_value(out: &mut String, value: &str) {
    let escaped = escape(value);
    if memchr::memchr3(b'\t', b'\n', b'\r', escaped.as_bytes()).is_none() {
        out.push_str(&escaped);
        return;
    }
    for c in escaped.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// An element matched by `xs:any` writes itself, under its own name.
impl ToXml for AnyElement {
    fn write_xml(&self, writer: &mut XmlWriter, _: &str) {
        writer.any_element(self);
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
    let root = match T::NAMESPACE {
        Some(_) if !T::QUALIFIED => format!("ns0:{}", T::ROOT),
        _ => T::ROOT.to_owned(),
    };
    match T::NAMESPACE {
        None => {
            for (prefix, uri) in T::PREFIXES {
                writer.prefixes.document(prefix, uri);
            }
            value.write_xml(&mut writer, T::ROOT)
        }
        Some(ns) => {
            let root = if T::QUALIFIED {
                T::ROOT.to_owned()
            } else {
                format!("ns0:{}", T::ROOT)
            };
            let declaration = if T::QUALIFIED { "xmlns" } else { "xmlns:ns0" };
            // The root's own writer opens the tag; the declaration is its first attribute.
            let mut inner = XmlWriter::new();
            if T::QUALIFIED {
                inner.default_namespace = Some(ns.to_owned());
            } else {
                inner.ns0 = Some(ns);
                inner.prefixes.document("ns0", ns);
            }
            for (prefix, uri) in T::PREFIXES {
                inner.prefixes.document(prefix, uri);
            }
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
    let mut out = writer.into_string();
    super::declare_prefixes(&mut out, &root, T::PREFIXES);
    out
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
        let mut ws = XmlWriter::new();
        ws.start("w");
        ws.attribute("v", " a\tb\nc\r\n ");
        ws.text(" x\r\ny\t");
        ws.end("w");
        assert_eq!(
            ws.into_string(),
            "<w v=\" a&#9;b&#10;c&#13;&#10; \"> x&#13;\ny\t</w>"
        );
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
            namespace: None,
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

    #[test]
    fn any_elements_declare_their_namespaces() {
        let mut inner = AnyElement {
            name: "inner".into(),
            namespace: Some("urn:x".into()),
            ..AnyElement::default()
        };
        inner.attributes = vec![
            ("{urn:y}a".into(), "1".into()),
            ("{urn:y}b".into(), "2".into()),
            (
                "{http://www.w3.org/2001/XMLSchema-instance}type".into(),
                "t".into(),
            ),
            ("plain".into(), "p".into()),
        ];
        let bare = AnyElement {
            name: "bare".into(),
            ..AnyElement::default()
        };
        let outer = AnyElement {
            name: "outer".into(),
            namespace: Some("urn:x".into()),
            children: vec![inner, bare],
            ..AnyElement::default()
        };
        let mut w = XmlWriter::new();
        w.default_namespace = Some("urn:doc".into());
        outer.write_xml(&mut w, "ignored");
        assert_eq!(
            w.into_string(),
            "<outer xmlns=\"urn:x\"><inner xmlns:ns1=\"urn:y\" ns1:a=\"1\" ns1:b=\"2\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"t\" plain=\"p\"/>\
             <bare xmlns=\"\"/></outer>"
        );
    }

    #[test]
    fn elements_in_their_namespaces() {
        let mut w = XmlWriter::new();
        w.ns0 = Some("urn:doc");
        w.start("ns0:root");
        // The document element's prefix, then no namespace (the default one in scope).
        w.in_namespace(Some("urn:doc"), "a", |w, name| w.leaf(name, &1));
        w.in_namespace(None, "b", |w, name| w.leaf(name, &2));
        // Another namespace is declared as the default one, for the element's content too.
        w.in_namespace(Some("urn:x"), "c", |w, name| {
            w.start(name);
            w.in_namespace(Some("urn:x"), "d", |w, name| w.leaf(name, &3));
            w.in_namespace(None, "e", |w, name| w.leaf(name, &4));
            w.end(name);
        });
        w.in_namespace(None, "f", |w, name| w.leaf(name, &5));
        w.end("ns0:root");
        assert_eq!(
            w.into_string(),
            "<ns0:root><ns0:a>1</ns0:a><b>2</b><c xmlns=\"urn:x\"><d>3</d><e xmlns=\"\">4</e></c><f>5</f></ns0:root>"
        );
    }
}
