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

/// Longest name [`nested`] builds by concatenation.
const NESTED_MAX: usize = 64;

/// The name of an item nested in `parent` (an anonymous type, a choice, a text value): `parent` followed by
/// `name` (`OrderCustomer` + `Address`), or, where that would exceed 64 characters, `name` followed by six hex
/// digits of a hash of the two, so names stay bounded however deep types nest, and stable (the same schema
/// gives the same names).
pub fn nested(parent: &str, name: &str) -> String {
    if parent.len() + name.len() <= NESTED_MAX {
        return format!("{parent}{name}");
    }
    // FNV-1a, 24 bits: a disambiguator, not a digest (`Scope::claim` still settles collisions).
    let mut hash: u32 = 0x811c_9dc5;
    for b in parent.bytes().chain([b'/']).chain(name.bytes()) {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    // Cut at a character boundary: names may hold non-ASCII letters.
    let mut cut = name.len().min(NESTED_MAX - 6);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let name = &name[..cut];
    format!("{name}{:06X}", (hash ^ (hash >> 24)) & 0x00ff_ffff)
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

/// Replaces characters that cannot appear in identifiers by word breaks (`NOT EQUALS`, `us-east-1`, `1.0`); Latin
/// letters with accents lose them (`größe` -> `groesse`, `café` -> `cafe`), other letters are dropped.
fn clean(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for c in xml.chars() {
        if let Some(ascii) = latin_ascii(c) {
            out.push_str(ascii);
        } else if c.is_alphanumeric() && c.is_ascii() {
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

/// The ASCII spelling of a Latin letter with a diacritic (German umlauts and `ß` as German spells them).
fn latin_ascii(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "Ae",
        'œ' => "oe",
        'Œ' => "Oe",
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ū' | 'Ů' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'đ' | 'ď' => "d",
        'Đ' | 'Ď' => "D",
        'ř' => "r",
        'Ř' => "R",
        'ť' => "t",
        'Ť' => "T",
        _ => return None,
    })
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

    /// Frees `name` again (its item was folded into another).
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
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
        // Accented Latin letters lose their accents; other letters are dropped.
        assert_eq!(field_name("größe"), "groesse");
        assert_eq!(type_name("Größe"), "Groesse");
        assert_eq!(type_name("café-crème"), "CafeCreme");
        assert_eq!(field_name("名前"), "value");
    }

    #[test]
    fn nested_names_stay_bounded() {
        assert_eq!(nested("OrderCustomer", "Address"), "OrderCustomerAddress");
        let mut name = "Root".to_owned();
        for _ in 0..50 {
            name = nested(&name, "Level");
            assert!(name.len() <= 64, "{name}");
        }
        assert!(name.starts_with("Level"), "{name}");
        // Stable, and different for different parents.
        assert_eq!(
            nested(&"A".repeat(60), "Level"),
            nested(&"A".repeat(60), "Level")
        );
        assert_ne!(
            nested(&"A".repeat(60), "Level"),
            nested(&"B".repeat(60), "Level")
        );
        // A long name of non-ASCII letters is cut at a character boundary.
        let long = nested(&"Ä".repeat(40), &"Ö".repeat(40));
        assert!(long.len() <= 64 && long.starts_with('Ö'), "{long}");
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
