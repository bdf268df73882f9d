//! A strict canonical form, for documents of any schema: unlike [`canonical`](mod@crate::canonical) (local names, siblings
//! sorted by name), it keeps expanded names (`{namespace}local`) of elements and attributes and the order of all
//! children, text included. What it still ignores: namespace prefixes and declarations, `xsi:` attributes,
//! attribute order, whitespace-only text and the whitespace around text, comments, processing instructions, the
//! DTD and how text is escaped (CDATA or not).

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One line per element, attribute and text node, indented by depth. `Err` when `xml` is not well-formed.
pub fn strict(xml: &str) -> Result<Vec<String>, String> {
    // A DTD is allowed (its entities are expanded), so that documents that declare one can be compared.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, options).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    walk(doc.root_element(), 0, &mut out);
    Ok(out)
}

fn expanded(namespace: Option<&str>, local: &str) -> String {
    // `xmlns=""` undeclares the default namespace: no namespace.
    match namespace.filter(|ns| !ns.is_empty()) {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_owned(),
    }
}

fn walk(node: roxmltree::Node<'_, '_>, depth: usize, out: &mut Vec<String>) {
    let pad = "  ".repeat(depth);
    let tag = node.tag_name();
    out.push(format!("{pad}<{}>", expanded(tag.namespace(), tag.name())));
    let mut attributes: Vec<String> = node
        .attributes()
        .filter(|a| a.namespace() != Some(XSI))
        .map(|a| {
            format!(
                "{pad}  @{}={:?}",
                expanded(a.namespace(), a.name()),
                a.value()
            )
        })
        .collect();
    attributes.sort();
    out.extend(attributes);
    // Adjacent text nodes (CDATA beside escaped text) are one text.
    let mut text = String::new();
    for child in node.children() {
        if child.is_text() {
            text.push_str(child.text().unwrap_or(""));
        } else if child.is_element() {
            flush(&mut text, &pad, out);
            walk(child, depth + 1, out);
        }
    }
    flush(&mut text, &pad, out);
}

fn flush(text: &mut String, pad: &str, out: &mut Vec<String>) {
    let trimmed = text.trim();
    if !trimmed.is_empty() {
        out.push(format!("{pad}  {trimmed:?}"));
    }
    text.clear();
}

/// Compares `expected` with `actual` strictly; `Err` names the first line that differs.
pub fn compare(expected: &str, actual: &str) -> Result<(), String> {
    let e = strict(expected).map_err(|e| format!("the input is not XML: {e}"))?;
    let a = strict(actual).map_err(|e| format!("the output is not XML: {e}"))?;
    if e == a {
        return Ok(());
    }
    let at = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let show = |lines: &[String]| {
        lines
            .get(at)
            .map_or("(end)".to_owned(), |l| l.trim().to_owned())
    };
    Err(format!(
        "differs at canonical line {}: expected {}, wrote {}",
        at + 1,
        show(&e),
        show(&a)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_and_order_count_but_prefixes_and_layout_do_not() {
        let a = r#"<p:a xmlns:p="urn:x" b="1" c="2"><p:x>1</p:x><p:y> t </p:y></p:a>"#;
        let b = "<a xmlns=\"urn:x\" c=\"2\" b=\"1\">\n  <x>1</x>\n  <y><![CDATA[t]]></y>\n</a>";
        assert_eq!(compare(a, b), Ok(()));
        let unqualified = r#"<p:a xmlns:p="urn:x" b="1" c="2"><x>1</x><p:y>t</p:y></p:a>"#;
        assert!(compare(a, unqualified).unwrap_err().contains("{urn:x}x"));
        let swapped = r#"<a xmlns="urn:x" b="1" c="2"><y>t</y><x>1</x></a>"#;
        assert!(compare(a, swapped).is_err());
        assert_eq!(compare(r#"<a xmlns=""/>"#, "<a/>"), Ok(()));
        let mixed = r#"<a>one<b/>two</a>"#;
        assert!(compare(mixed, r#"<a>onetwo<b/></a>"#).is_err());
    }
}
