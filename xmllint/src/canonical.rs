//! A canonical text form of XML documents, to compare what the code writes with what Qualys sends, and a
//! comparison that shows where two documents differ as a unified diff.
//!
//! The form has one line per element, attribute and text node, indented by depth:
//!
//! ```text
//! <ServiceResponse>
//!   <data>
//!     <WebApp>
//!       @kind="x"
//!       <id>
//!         "12"
//! ```
//!
//! What it ignores, and why:
//!
//! - **Namespaces.** Namespace declarations are left out, and elements and attributes are named by their local
//!   name; Qualys documents use no namespace for their content, only `xsi:` for schema hints.
//! - **`xsi:` attributes** (`xsi:noNamespaceSchemaLocation` and the like): hints to a validator, not data.
//! - **Attribute order**, which XML does not give a meaning: attributes are sorted.
//! - **Surrounding whitespace of text**: an element's text (all its direct text children, CDATA included, put
//!   together) is trimmed, so indentation, whitespace-only text and an empty element (`<z/>` vs `<z></z>`) do
//!   not count, nor does the way text is escaped (`<![CDATA[a & b]]>` vs `a &amp; b`). Whitespace inside the
//!   text counts.
//! - **The order of differently named siblings**: sibling elements are stably sorted by name, because Qualys
//!   objects are `xs:all` groups, whose order is free. Same-name siblings (repeated elements, list items) keep
//!   their order. Where a schema does fix an order (`xs:sequence`), the XSD validation checks it, not this.
//! - **Everything that is not an element, an attribute or text**: the XML declaration, comments and
//!   processing instructions.
//!
//! Everything else counts: element and attribute names, attribute values, text values, how elements nest, and
//! how many of each there are.

use similar::TextDiff;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Lines of unchanged context around each difference in [`compare`]'s diff.
const CONTEXT: usize = 3;

/// The longest diff [`compare`] shows, in bytes; the rest is cut (the first differences are the ones to read).
const MAX_DIFF: usize = 4000;

/// The canonical form of `xml` (see the [module](self) for what it ignores), one line per element, attribute and
/// text node. `Err` holds the parser's message when `xml` is not well-formed XML.
pub fn canonical(xml: &str) -> Result<Vec<String>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    walk(doc.root_element(), 0, &mut out);
    Ok(out)
}

fn walk(node: roxmltree::Node<'_, '_>, depth: usize, out: &mut Vec<String>) {
    let pad = "  ".repeat(depth);
    out.push(format!("{pad}<{}>", node.tag_name().name()));
    // roxmltree keeps namespace declarations out of `attributes()`.
    let mut attributes: Vec<String> = node
        .attributes()
        .filter(|a| a.namespace() != Some(XSI))
        .map(|a| format!("{pad}  @{}={:?}", a.name(), a.value()))
        .collect();
    attributes.sort();
    out.extend(attributes);
    let text: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    let text = text.trim();
    if !text.is_empty() {
        out.push(format!("{pad}  {text:?}"));
    }
    let mut children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    children.sort_by_key(|c| c.tag_name().name());
    for child in children {
        walk(child, depth + 1, out);
    }
}

/// Compares two documents by their [`canonical`] forms. `Err` names `what` and shows the first differences as
/// a unified diff of the canonical forms (`---` expected, `+++` actual, a few lines of context, cut after a few
/// thousand bytes), or says which document is not XML.
pub fn compare(expected: &str, actual: &str, what: &str) -> Result<(), String> {
    let e = canonical(expected)
        .map_err(|e| format!("{what}: the expected document is not XML: {e}"))?;
    let a =
        canonical(actual).map_err(|e| format!("{what}: the actual document is not XML: {e}"))?;
    if e == a {
        return Ok(());
    }
    Err(format!("{what}: not canonically equal\n{}", diff(&e, &a)))
}

/// A unified diff of two canonical forms, cut at the last line end within [`MAX_DIFF`] bytes.
fn diff(expected: &[String], actual: &[String]) -> String {
    let (expected, actual) = (lines(expected), lines(actual));
    let full = TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(CONTEXT)
        .header("expected", "actual")
        .to_string();
    if full.len() <= MAX_DIFF {
        return full;
    }
    // Searched in bytes, since MAX_DIFF may fall inside a character; a line end is always a boundary.
    let end = full.as_bytes()[..MAX_DIFF]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let rest = full[end..].lines().count();
    format!("{}... (cut: {rest} more line(s) of diff)\n", &full[..end])
}

fn lines(form: &[String]) -> String {
    form.iter().map(|line| format!("{line}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_ignores_what_it_should_and_only_that() {
        let a = r#"<?xml version="1.0"?><R b="2" a="1"><x>1</x><y>
            <![CDATA[a & b]]>
            </y><z/><z>2</z></R>"#;
        let b = r#"<R a="1" b="2"><z></z><y>a &amp; b</y><z>2</z><x> 1 </x></R>"#;
        assert_eq!(canonical(a), canonical(b));
        // Namespace declarations, xsi: attributes and comments do not count either.
        let n = r#"<R xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="r.xsd"
            a="1" b="2"><!-- c --><x>1</x><y>a &amp; b</y><z/><z>2</z></R>"#;
        assert_eq!(canonical(a), canonical(n));
        // Same-name siblings keep their order; values and attributes count.
        let c = r#"<R a="1" b="2"><x>1</x><y>a &amp; b</y><z>2</z><z/></R>"#;
        assert_ne!(canonical(a), canonical(c));
        assert_ne!(canonical(a), canonical(&a.replace("b=\"2\"", "b=\"3\"")));
        assert_ne!(
            canonical(a),
            canonical(&a.replace("<x>1</x>", "<x>1 1</x>"))
        );
        assert!(canonical("<R>").is_err());
    }

    #[test]
    fn the_diff_shows_the_differing_line() {
        let expected = "<R><a>1</a><b>2</b><c>3</c><d>4</d><e>5</e><f>6</f><g>7</g></R>";
        let actual = expected.replace("<d>4</d>", "<d>four</d>");
        assert_eq!(compare(expected, expected, "same"), Ok(()));
        let error = compare(expected, &actual, "R").unwrap_err();
        assert!(
            error.starts_with("R: not canonically equal\n--- expected\n+++ actual\n@@ "),
            "{error}"
        );
        assert!(error.contains("\n-    \"4\"\n+    \"four\"\n"), "{error}");
        // A few lines of context, not the whole document.
        assert!(
            error.contains("  <c>") && !error.contains("  <a>"),
            "{error}"
        );
        let error = compare(expected, "<R>", "R").unwrap_err();
        assert!(
            error.starts_with("R: the actual document is not XML"),
            "{error}"
        );
    }

    #[test]
    fn a_long_diff_is_cut() {
        let items = |v: &str| format!("<R>{}</R>", format!("<i>{v}</i>").repeat(2000));
        let error = compare(&items("1"), &items("2"), "R").unwrap_err();
        assert!(error.len() < MAX_DIFF + 200, "{}", error.len());
        assert!(error.ends_with(" more line(s) of diff)\n"), "{error}");
        assert!(error.contains("\n-    \"1\"\n"), "{error}");
    }

    #[test]
    fn the_cut_falls_on_a_line_end_inside_a_long_line_of_wide_characters() {
        let (expected, actual) = (
            vec!["a".to_owned()],
            vec![format!("x{}", "\u{e9}".repeat(MAX_DIFF))],
        );
        let (old, new) = (lines(&expected), lines(&actual));
        let full = TextDiff::from_lines(&old, &new)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        assert!(
            !full.is_char_boundary(MAX_DIFF),
            "the test means the limit to fall inside a character"
        );
        let cut = diff(&expected, &actual);
        assert!(
            cut.ends_with("\n-a\n... (cut: 1 more line(s) of diff)\n"),
            "{cut}"
        );
    }
}
