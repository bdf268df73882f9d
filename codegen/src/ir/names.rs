//! Idiomatic Rust names from XML names: heck for case, raw identifiers for keywords, suffixes for collisions.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// A type or variant name: `UpperCamelCase`, starting with a letter.
pub fn type_name(xml: &str) -> String {
    // Version-like values keep their separators: `1.0` -> `V1_0`, not `V10`.
    let mut name = clean(xml)
        .split('_')
        .map(|part| part.to_upper_camel_case())
        .reduce(|a, b| match (a.chars().last(), b.chars().next()) {
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => format!("{a}_{b}"),
            _ => a + &b,
        })
        .unwrap_or_default();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A field name: `snake_case`, raw identifier for keywords.
pub fn field_name(xml: &str) -> String {
    let mut name = clean(xml).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// Replaces characters that cannot appear in identifiers by word breaks (`NOT EQUALS`, `us-east-1`, `1.0`).
fn clean(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for c in xml.chars() {
        if c.is_alphanumeric() && c.is_ascii() {
            out.push(c);
        } else if c == '_' || (c == '.' && out.ends_with(|p: char| p.is_ascii_digit())) {
            out.push('_');
        } else if c == '+' {
            out.push_str(" Plus ");
        } else if c == '-' && out.is_empty() {
            out.push_str("Minus ");
        } else {
            out.push(' ');
        }
    }
    out
}

/// Hands out names unique within one scope, adding `2`, `3`, ... only where a name is taken.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope with names already reserved.
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// Reserves `wanted`, or the first free `wanted2`, `wanted3`, ...
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let base = wanted.trim_start_matches("r#");
        (2..)
            .map(|n| {
                format!(
                    "{base}{}{n}",
                    if base.ends_with(|c: char| c.is_ascii_digit()) {
                        "_"
                    } else {
                        ""
                    }
                )
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("NOT EQUALS"), "NotEquals");
        assert_eq!(type_name("IG_DIAG"), "IgDiag");
        assert_eq!(type_name("1.0"), "V1_0");
        assert_eq!(type_name("us-east-1"), "UsEast1");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("urlBlacklist"), "url_blacklist");
        assert_eq!(field_name("payloadResponce"), "payload_responce");
        assert_eq!(field_name("everyNHours"), "every_n_hours");
    }

    #[test]
    fn scope_suffixes_only_on_collision() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("Tag"), "Tag");
        assert_eq!(scope.claim("Tag"), "Tag2");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
    }
}
