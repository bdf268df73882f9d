//! The prolog as quick-xml's deserializer should see it.
//!
//! quick-xml (0.38) hands the whitespace between the XML declaration, comments or processing instructions and
//! the document element over as a text event, which a document element of simple type (`<value>one</value>`,
//! read as a string) takes for its value: `from_str::<String>("<?xml version=\"1.0\"?>\n<v>one</v>")` is
//! `"\n"`. The prolog is left out but for the document type declaration (its entities are needed), which is put
//! right before the document element.

use std::borrow::Cow;

/// `xml` from its document element on, its document type declaration, if any, right before it.
pub(crate) fn strip_prolog(xml: &str) -> Cow<'_, str> {
    let bytes = xml.as_bytes();
    let mut at = 0;
    let mut doctype = None;
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let rest = &xml[at..];
        let len = if let Some(comment) = rest.strip_prefix("<!--") {
            comment.find("-->").map(|i| 4 + i + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!DOCTYPE") {
            let len = doctype_len(rest);
            if let Some(len) = len {
                doctype = Some(&rest[..len]);
            }
            len
        } else {
            break;
        };
        // Not well-formed: left to quick-xml to report.
        let Some(len) = len else {
            return Cow::Borrowed(xml);
        };
        at += len;
    }
    match doctype {
        None if at == 0 => Cow::Borrowed(xml),
        None => Cow::Borrowed(&xml[at..]),
        Some(doctype) => Cow::Owned(format!("{doctype}{}", &xml[at..])),
    }
}

/// The length of the document type declaration at the start of `rest`, its internal subset and quoted
/// literals included.
fn doctype_len(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prolog_is_left_out_but_for_the_doctype() {
        let xml = "<?xml version=\"1.0\"?>\n<!-- c\u{e9} -->\n<?pi x?>\n<v>1<!-- kept --></v>\n<!-- after -->";
        assert_eq!(strip_prolog(xml), "<v>1<!-- kept --></v>\n<!-- after -->");
        assert!(matches!(
            strip_prolog("<v>1</v>"),
            Cow::Borrowed("<v>1</v>")
        ));
        let doctype =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE v [<!ENTITY e \"a>b\">]>\n<!-- c -->\n<v>&e;</v>";
        assert_eq!(
            strip_prolog(doctype),
            "<!DOCTYPE v [<!ENTITY e \"a>b\">]><v>&e;</v>"
        );
        // Not well-formed: unchanged.
        assert_eq!(strip_prolog("<!-- open <v/>"), "<!-- open <v/>");
    }

    #[test]
    fn a_document_element_of_simple_type_reads_its_text() {
        let read = |xml: &str| quick_xml::de::from_str::<String>(&strip_prolog(xml)).unwrap();
        assert_eq!(read("<?xml version=\"1.0\"?>\n<v>one</v>"), "one");
        assert_eq!(
            read("<?xml version=\"1.0\"?>\n<!-- c -->\n<v>one</v>"),
            "one"
        );
        assert_eq!(read("<!DOCTYPE v>\n<v>one</v>"), "one");
        // Without it, quick-xml reads the line end.
        assert_eq!(
            quick_xml::de::from_str::<String>("<?xml version=\"1.0\"?>\n<v>one</v>").unwrap(),
            "\n"
        );
    }
}
