//! Schema checks that run before a request is sent: facets of simple types, enumeration values, occurrence
//! bounds of repeated elements.

use std::fmt;
use std::sync::OnceLock;

use super::text::builtin_leaves;
use super::{AnyElement, Collection, ElementName};

/// A value the schema does not allow, with the element path that leads to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetError {
    /// The schema type whose facet failed.
    pub type_name: String,
    /// The facet (`maxLength`, `pattern`, `enumeration`, `maxOccurs`, ...).
    pub facet: &'static str,
    /// The offending value (cut to 80 characters).
    pub value: String,
    /// Element names from the outermost checked value down, e.g. `["WebApp", "name"]`.
    pub path: Vec<String>,
}

impl FacetError {
    /// A failure of `facet` of `type_name` for `value`.
    pub fn new(type_name: &str, facet: &'static str, value: &str) -> Self {
        FacetError {
            type_name: type_name.to_owned(),
            facet,
            value: value.chars().take(80).collect(),
            path: Vec::new(),
        }
    }

    /// Prefixes the path with the element that holds the value.
    pub fn at(mut self, element: &str) -> Self {
        self.path.insert(0, element.to_owned());
        self
    }
}

impl fmt::Display for FacetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path.join("/"))?;
        }
        write!(
            f,
            "{:?} breaks the {} facet of {}",
            self.value, self.facet, self.type_name
        )
    }
}

impl std::error::Error for FacetError {}

/// Checks what the schema says a value must satisfy beyond its Rust type.
pub trait Validate {
    /// `Ok` when every facet, enumeration and occurrence bound holds. The default is for types the schema
    /// constrains no further than their Rust type does: it checks nothing.
    fn validate(&self) -> Result<(), FacetError> {
        Ok(())
    }
}

macro_rules! always_valid {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {}
    )*};
}

builtin_leaves!(always_valid);
always_valid!(AnyElement);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self) -> Result<(), FacetError> {
        self.as_ref().map_or(Ok(()), Validate::validate)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Result<(), FacetError> {
        self.iter().try_for_each(Validate::validate)
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self) -> Result<(), FacetError> {
        (**self).validate()
    }
}

impl<A: Validate, B: Validate> Validate for (A, B) {
    fn validate(&self) -> Result<(), FacetError> {
        self.0.validate()?;
        self.1.validate()
    }
}

impl<T: Validate, N: ElementName> Validate for Collection<T, N> {
    fn validate(&self) -> Result<(), FacetError> {
        for (part, items) in self.parts() {
            for item in items.into_iter().flatten() {
                item.validate().map_err(|e| e.at(N::ELEMENT).at(part))?;
            }
        }
        Ok(())
    }
}

/// Checks `value`, and names `element` (the field's XML name) in the path of what fails.
pub fn validate_at<T: Validate + ?Sized>(value: &T, element: &str) -> Result<(), FacetError> {
    value.validate().map_err(|e| e.at(element))
}

/// Checks the number of occurrences of a repeated element.
pub fn check_occurs(
    element: &str,
    count: usize,
    min: usize,
    max: Option<usize>,
) -> Result<(), FacetError> {
    if count < min {
        return Err(FacetError::new(element, "minOccurs", &count.to_string()).at(element));
    }
    if max.is_some_and(|max| count > max) {
        return Err(FacetError::new(element, "maxOccurs", &count.to_string()).at(element));
    }
    Ok(())
}

/// Checks `totalDigits` and `fractionDigits` on a number's lexical form.
pub fn check_digits(
    type_name: &str,
    text: &str,
    total: Option<u32>,
    fraction: Option<u32>,
) -> Result<(), FacetError> {
    let unsigned = text.trim_start_matches(['+', '-']);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let digits = (int.len() + frac.len()) as u32;
    if total.is_some_and(|total| digits > total) {
        return Err(FacetError::new(type_name, "totalDigits", text));
    }
    if fraction.is_some_and(|fraction| frac.len() as u32 > fraction) {
        return Err(FacetError::new(type_name, "fractionDigits", text));
    }
    Ok(())
}

/// An `xs:pattern`, compiled on first use.
///
/// XSD regular expressions are implicitly anchored and have the classes `\i` and `\c`, which are translated.
/// A pattern the regex engine cannot express (Unicode block escapes such as `\p{IsBasicLatin}`) is not
/// checked here; the server still checks it.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern from the schema.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` matches the whole pattern.
    pub fn is_match(&self, text: &str) -> bool {
        let compiled = self
            .compiled
            .get_or_init(|| regex_lite::Regex::new(&translate(self.source)).ok());
        compiled.as_ref().is_none_or(|re| re.is_match(text))
    }

    /// Whether the pattern can be checked here.
    pub fn is_checkable(&self) -> bool {
        regex_lite::Regex::new(&translate(self.source)).is_ok()
    }
}

fn translate(xsd: &str) -> String {
    let mut out = String::from("^(?:");
    let mut chars = xsd.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('i')) => {
                chars.next();
                out.push_str("[_:A-Za-z]");
            }
            ('\\', Some('c')) => {
                chars.next();
                out.push_str("[-._:A-Za-z0-9]");
            }
            ('\\', Some(&next)) => {
                chars.next();
                out.push('\\');
                out.push(next);
            }
            ('^' | '$', _) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_anchored() {
        static P: Pattern = Pattern::new("[A-Z]{2}-\\d+");
        assert!(P.is_match("AB-12"));
        assert!(!P.is_match("xAB-12"));
        assert!(!P.is_match("AB-12x"));
        static NAME: Pattern = Pattern::new("\\i\\c*");
        assert!(NAME.is_match("a-b.c"));
        assert!(!NAME.is_match("1a"));
    }

    #[test]
    fn digits() {
        assert!(check_digits("T", "123.45", Some(5), Some(2)).is_ok());
        assert!(check_digits("T", "123.450", Some(5), Some(2)).is_ok());
        assert_eq!(
            check_digits("T", "1234.5", Some(4), None)
                .unwrap_err()
                .facet,
            "totalDigits"
        );
        assert_eq!(
            check_digits("T", "1.234", None, Some(2)).unwrap_err().facet,
            "fractionDigits"
        );
    }

    #[test]
    fn errors_carry_the_path() {
        let e = FacetError::new("Name", "maxLength", "abc")
            .at("name")
            .at("WebApp");
        assert_eq!(
            e.to_string(),
            "WebApp/name: \"abc\" breaks the maxLength facet of Name"
        );
        assert!(check_occurs("WeekDay", 8, 1, Some(7)).is_err());
        assert!(check_occurs("WeekDay", 0, 1, None).is_err());
        assert!(check_occurs("WeekDay", 3, 1, Some(7)).is_ok());
    }
}
