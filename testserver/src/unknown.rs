//! Unknown content added to responses on demand ([`Fault::UnknownContent`](crate::Fault::UnknownContent)): what a
//! Qualys release that runs ahead of the bundled schemas sends (new elements, attributes and enumeration values).

/// What to add to a response. Each part applies to every matching element of the body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnknownContent {
    /// The local name of the elements that get [`element`](Self::element) and [`attribute`](Self::attribute).
    pub inside: String,
    /// A child element `(name, text)` added first inside each `inside` element.
    pub element: Option<(String, String)>,
    /// An attribute `(name, value)` added to each `inside` start tag.
    pub attribute: Option<(String, String)>,
    /// `(leaf, value)`: the text of every `leaf` element (one with text only) becomes `value`.
    pub value: Option<(String, String)>,
}

impl UnknownContent {
    /// Additions to the elements named `inside`.
    pub fn inside(name: impl Into<String>) -> Self {
        UnknownContent {
            inside: name.into(),
            ..UnknownContent::default()
        }
    }

    /// Adds the child element `<name>text</name>`.
    pub fn element(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.element = Some((name.into(), text.into()));
        self
    }

    /// Adds the attribute `name="value"`.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attribute = Some((name.into(), value.into()));
        self
    }

    /// Sets the text of every `leaf` element to `value`.
    pub fn value(mut self, leaf: impl Into<String>, value: impl Into<String>) -> Self {
        self.value = Some((leaf.into(), value.into()));
        self
    }

    /// The body with the additions made.
    pub fn rewrite(&self, body: &str) -> String {
        let body = match &self.value {
            Some((leaf, value)) => replace_text(body, leaf, &escape(value)),
            None => body.to_owned(),
        };
        if self.inside.is_empty() || (self.element.is_none() && self.attribute.is_none()) {
            return body;
        }
        let attribute = self
            .attribute
            .as_ref()
            .map(|(name, value)| format!(" {name}=\"{}\"", escape(value)))
            .unwrap_or_default();
        let child = self
            .element
            .as_ref()
            .map(|(name, text)| format!("<{name}>{}</{name}>", escape(text)))
            .unwrap_or_default();
        let mut out = String::with_capacity(body.len() + 256);
        let mut rest = body.as_str();
        while let Some((before, tag_end, self_closed)) = find_start(rest, &self.inside) {
            // `before`: up to the end of the name; `tag_end`: the index of the tag's `>`.
            out.push_str(&rest[..before]);
            let attrs_end = if self_closed { tag_end - 1 } else { tag_end };
            out.push_str(&rest[before..attrs_end]);
            out.push_str(&attribute);
            out.push('>');
            out.push_str(&child);
            if self_closed {
                out.push_str(&format!("</{}>", self.inside));
            }
            rest = &rest[tag_end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// The next start tag of `name` in `text` (`<name>`, `<name attr=..>` or `<name/>`): the index just past the name,
/// the index of its closing `>`, and whether it closes itself.
fn find_start(text: &str, name: &str) -> Option<(usize, usize, bool)> {
    let open = format!("<{name}");
    let mut from = 0;
    loop {
        let at = from + text[from..].find(&open)?;
        let after = at + open.len();
        match text.as_bytes().get(after) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => {
                let gt = after + text[after..].find('>')?;
                let self_closed = text.as_bytes()[gt - 1] == b'/';
                return Some((after, gt, self_closed));
            }
            _ => from = after,
        }
    }
}

/// `text` with the content of every `<leaf>...</leaf>` that holds text only replaced by `value`.
fn replace_text(text: &str, leaf: &str, value: &str) -> String {
    let (open, close) = (format!("<{leaf}>"), format!("</{leaf}>"));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let content = at + open.len();
        let Some(len) = rest[content..].find(&close) else {
            break;
        };
        let inner = &rest[content..content + len];
        out.push_str(&rest[..content]);
        out.push_str(if inner.contains('<') { inner } else { value });
        out.push_str(&close);
        rest = &rest[content + len + close.len()..];
    }
    out.push_str(rest);
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_children_attributes_and_values() {
        let body = "<r><WebApp><id>1</id><status>A</status></WebApp><WebApp/><WebAppX/></r>";
        let changed = UnknownContent::inside("WebApp")
            .element("riskScore", "7")
            .attribute("flavour", "a&b")
            .value("status", "NEW")
            .rewrite(body);
        assert_eq!(
            changed,
            "<r><WebApp flavour=\"a&amp;b\"><riskScore>7</riskScore><id>1</id><status>NEW</status></WebApp>\
             <WebApp flavour=\"a&amp;b\"><riskScore>7</riskScore></WebApp><WebAppX/></r>"
        );
    }
}
