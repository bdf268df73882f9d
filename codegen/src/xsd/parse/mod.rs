//! Reading one schema document into the model, with file:line:col for every node: the document and its includes
//! and imports here, the components inside it in [`components`].

mod components;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use roxmltree::{Document, Node};

use super::model::*;
use super::ncname::is_ncname;
use super::read::{Limits, read_schema};
use super::source::Source;
use crate::error::{Error, Result};

/// One schema document as read, and the files it includes or imports.
pub(super) struct Parsed {
    pub(super) schema: Arc<SchemaDoc>,
    pub(super) follow: Vec<Follow>,
}

/// A file a schema includes or imports.
pub(super) struct Follow {
    /// The file, relative to the including schema's folder.
    pub(super) target: PathBuf,
    /// The namespace an included file without one adopts.
    pub(super) chameleon: Option<String>,
    /// Where the `xs:include` or `xs:import` stands.
    pub(super) loc: Loc,
}

/// Reads the schema document `path` from `source` (without what it includes or imports), within `limits`.
pub(super) fn parse(
    source: &dyn Source,
    path: &Path,
    chameleon_ns: Option<&str>,
    limits: &Limits,
) -> Result<Parsed> {
    let text = read_schema(source, path, limits)?;
    // A DOCTYPE is refused by `read_schema` with its location; the parser refuses one as well.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = Document::parse_with_options(&text, options).map_err(|e| {
        let pos = e.pos();
        Error::Xml {
            path: path.to_path_buf(),
            line: pos.row,
            col: pos.col,
            message: e.to_string(),
        }
    })?;
    let file = Arc::new(path.to_path_buf());
    let root = doc.root_element();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let ctx = Ctx {
        file: file.clone(),
        text: &text,
        line_starts: &line_starts,
        target_ns: None,
        qualified: false,
        attr_qualified: false,
    };
    if !is_xs(root, "schema") {
        return Err(Error::invalid(
            &ctx.loc(root),
            format!(
                "root element is <{}>, not xs:schema",
                root.tag_name().name()
            ),
        ));
    }
    let target_ns = attr(root, "targetNamespace")
        .map(str::to_owned)
        .or_else(|| chameleon_ns.map(str::to_owned));
    let ctx = Ctx {
        target_ns: target_ns.clone(),
        qualified: attr(root, "elementFormDefault") == Some("qualified"),
        attr_qualified: attr(root, "attributeFormDefault") == Some("qualified"),
        ..ctx
    };
    let mut schema = SchemaDoc {
        path: file,
        target_ns: target_ns.clone(),
        element_form_qualified: ctx.qualified,
        doc: None,
        items: Vec::new(),
    };
    let mut follow = Vec::new();
    for child in root.children().filter(Node::is_element) {
        ctx.expect_xs(child)?;
        match child.tag_name().name() {
            "annotation" => schema.doc = merge_doc(schema.doc.take(), documentation(child)),
            "include" | "import" => {
                let Some(location) = attr(child, "schemaLocation") else {
                    // An import without a location names a namespace the processor is expected to know
                    // (xml.xsd, say). A reference into it fails later, naming the reference.
                    continue;
                };
                // The XML namespace's attributes (`xml:lang`, `xml:space`, `xml:base`, `xml:id`) are known
                // without its schema, which is usually imported from the W3C's site.
                if child.tag_name().name() == "import"
                    && attr(child, "namespace") == Some(crate::xsd::XML_NS)
                {
                    continue;
                }
                if location.contains("://") {
                    return Err(Error::unsupported(
                        &ctx.loc(child),
                        format!("xs:{} of a remote schema", child.tag_name().name()),
                        format!(
                            "download {location} next to the schema and point schemaLocation at the file"
                        ),
                    ));
                }
                let target = path.parent().unwrap_or(Path::new(".")).join(location);
                if !source.exists(&target) {
                    return Err(Error::invalid(
                        &ctx.loc(child),
                        format!("{} not found", target.display()),
                    ));
                }
                let chameleon = (child.tag_name().name() == "include")
                    .then(|| target_ns.clone())
                    .flatten();
                follow.push(Follow {
                    target,
                    chameleon,
                    loc: ctx.loc(child),
                });
            }
            "redefine" | "override" => {
                return Err(Error::unsupported(
                    &ctx.loc(child),
                    format!("xs:{}", child.tag_name().name()),
                    "redefinition of components is not mapped; merge the change into the schema",
                ));
            }
            "element" => schema
                .items
                .push(TopItem::Element(ctx.element(child, true)?)),
            "complexType" => {
                ctx.own_name(child)?;
                schema
                    .items
                    .push(TopItem::ComplexType(ctx.complex_type(child)?))
            }
            "simpleType" => {
                ctx.own_name(child)?;
                schema
                    .items
                    .push(TopItem::SimpleType(ctx.simple_type(child)?))
            }
            "group" => schema.items.push(TopItem::Group(ctx.group(child)?)),
            "attributeGroup" => schema.items.push(TopItem::AttributeGroup(AttributeGroup {
                name: ctx.own_name(child)?,
                attributes: ctx.attributes(child)?,
                loc: ctx.loc(child),
            })),
            "attribute" => schema
                .items
                .push(TopItem::Attribute(ctx.attribute(child, true)?)),
            // Notations declare nothing the bindings use.
            "notation" => {}
            other => return Err(ctx.unexpected(child, other, "xs:schema")),
        }
    }
    Ok(Parsed {
        schema: Arc::new(schema),
        follow,
    })
}

struct Ctx<'a> {
    file: Arc<PathBuf>,
    text: &'a str,
    line_starts: &'a [usize],
    target_ns: Option<String>,
    qualified: bool,
    attr_qualified: bool,
}

fn is_xs(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(XSD_NS)
        && node.tag_name().name() == name
}

fn documentation(annotation: Node) -> Option<String> {
    let parts: Vec<String> = annotation
        .children()
        .filter(|n| is_xs(*n, "documentation"))
        .map(|n| {
            let text: String = n
                .descendants()
                .filter(Node::is_text)
                .filter_map(|t| t.text())
                .collect();
            normalize_doc(&text)
        })
        .filter(|t| !t.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn normalize_doc(text: &str) -> String {
    // Re-flow: keep paragraph breaks, drop the schema's indentation.
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&line);
        }
    }
    out
}

fn merge_doc(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    }
}

impl Ctx<'_> {
    /// The node's line and column (1-based, columns in characters), by binary search in the line starts;
    /// roxmltree's own `text_pos_at` scans from the start of the file on every call.
    fn loc(&self, node: Node) -> Loc {
        let offset = node.range().start;
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        Loc {
            file: self.file.clone(),
            line: line as u32,
            col: col as u32,
        }
    }

    fn expect_xs(&self, node: Node) -> Result<()> {
        if node.tag_name().namespace() == Some(XSD_NS) {
            Ok(())
        } else {
            Err(Error::invalid(
                &self.loc(node),
                format!(
                    "element <{}> is not in the XML Schema namespace",
                    node.tag_name().name()
                ),
            ))
        }
    }

    fn unexpected(&self, node: Node, name: &str, parent: &str) -> Error {
        Error::unsupported(
            &self.loc(node),
            format!("xs:{name}"),
            format!("not expected inside {parent}"),
        )
    }

    /// Resolves a `prefix:local` reference in the scope of `node`.
    fn qname(&self, node: Node, value: &str) -> Result<QName> {
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value),
        };
        let ns = match prefix {
            Some("xml") => Some("http://www.w3.org/XML/1998/namespace".to_owned()),
            Some(prefix) => Some(
                node.lookup_namespace_uri(Some(prefix))
                    .ok_or_else(|| {
                        Error::invalid(
                            &self.loc(node),
                            format!("undeclared namespace prefix {prefix:?} in {value:?}"),
                        )
                    })?
                    .to_owned(),
            ),
            None => node.lookup_namespace_uri(None).map(str::to_owned),
        };
        Ok(QName {
            ns,
            local: local.to_owned(),
        })
    }

    fn attr_qname(&self, node: Node, attr_name: &str) -> Result<Option<QName>> {
        attr(node, attr_name)
            .map(|value| self.qname(node, value))
            .transpose()
    }

    fn own_name(&self, node: Node) -> Result<QName> {
        let local = attr(node, "name").ok_or_else(|| {
            Error::invalid(
                &self.loc(node),
                format!("xs:{} without a name", node.tag_name().name()),
            )
        })?;
        self.check_ncname(node, local)?;
        Ok(QName {
            ns: self.target_ns.clone(),
            local: local.to_owned(),
        })
    }

    /// Refuses a declared name that is not an NCName (`""`, `a b`, `c:d`).
    fn check_ncname(&self, node: Node, name: &str) -> Result<()> {
        if is_ncname(name) {
            Ok(())
        } else {
            Err(Error::invalid(
                &self.loc(node),
                format!(
                    "xs:{} name {name:?} is not an NCName (a name without spaces or colons)",
                    node.tag_name().name()
                ),
            ))
        }
    }

    fn occurs(&self, node: Node) -> Result<Occurs> {
        let parse = |name: &str, default: u32| -> Result<Option<u32>> {
            match attr(node, name) {
                None => Ok(Some(default)),
                Some("unbounded") if name == "maxOccurs" => Ok(None),
                Some(value) => value.parse().map(Some).map_err(|_| {
                    Error::invalid(&self.loc(node), format!("{name}={value:?} is not a count"))
                }),
            }
        };
        let min = parse("minOccurs", 1)?.unwrap_or(1);
        let max = parse("maxOccurs", 1)?;
        if max.is_some_and(|max| max < min) {
            return Err(Error::invalid(
                &self.loc(node),
                format!("maxOccurs is below minOccurs ({min})"),
            ));
        }
        Ok(Occurs { min, max })
    }

    fn doc_of(&self, node: Node) -> Option<String> {
        node.children()
            .filter(|n| is_xs(*n, "annotation"))
            .fold(None, |acc, a| merge_doc(acc, documentation(a)))
    }

    /// Child elements other than annotations.
    fn content_children<'n>(&self, node: Node<'n, 'n>) -> Result<Vec<Node<'n, 'n>>> {
        let mut out = Vec::new();
        for child in node.children().filter(Node::is_element) {
            self.expect_xs(child)?;
            if child.tag_name().name() != "annotation" {
                out.push(child);
            }
        }
        Ok(out)
    }
}

/// The value of attribute `name` of a schema element, with the whitespace around it removed: the schema for
/// schemas collapses the whitespace of every attribute this reader takes through here (names, QNames, tokens,
/// booleans, counts), so `use="required "` is `required`.
fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name)
        .map(|value| value.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')))
}

/// A boolean attribute of a schema element: `true` or `1` (whitespace collapsed).
fn flag(node: Node, name: &str) -> bool {
    matches!(attr(node, name), Some("true" | "1"))
}
