//! XML's NCName (a Name without colons, XML Namespaces 1.0): what a declared element, attribute, type or group
//! name must be.

/// Whether `name` is an NCName: a NameStartChar other than `:`, then NameChars other than `:`.
pub(super) fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_start) && chars.all(|c| is_start(c) || is_rest(c))
}

/// XML 1.0 (Fifth Edition) NameStartChar, without `:`.
fn is_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// The NameChars that may not start a name.
fn is_rest(c: char) -> bool {
    matches!(c,
        '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::is_ncname;

    #[test]
    fn ncnames() {
        for good in ["a", "_x", "WAS-3.0", "größe", "名前", "a\u{B7}b"] {
            assert!(is_ncname(good), "{good}");
        }
        for bad in ["", "a b", "c:d", "1a", "-a", ".a", "a\tb"] {
            assert!(!is_ncname(bad), "{bad:?}");
        }
    }
}
