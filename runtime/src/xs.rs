//! XSD built-in types that have no exact Rust counterpart.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;

use crate::xml::{TextError, XmlText};

/// `xs:decimal`: an exact decimal number.
pub use rust_decimal::Decimal;

/// `xs:dateTime`: a date and time with its UTC offset (Qualys sends UTC: `2019-02-01T05:47:50Z`).
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;

/// `xs:date`.
pub type Date = chrono::NaiveDate;

/// `xs:time`.
pub type Time = chrono::NaiveTime;

/// `xs:integer` and its unbounded relatives: an integer of any size, kept exactly.
///
/// Schemas that bound an integer by facets get a sized Rust integer instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Integer(String);

impl Integer {
    /// The canonical decimal form (no `+`, no leading zeros).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an `i64`, when it fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The value as an `i128`, when it fits.
    pub fn to_i128(&self) -> Option<i128> {
        self.0.parse().ok()
    }
}

impl From<i64> for Integer {
    fn from(value: i64) -> Self {
        Integer(value.to_string())
    }
}

impl FromStr for Integer {
    type Err = TextError;
    fn from_str(text: &str) -> Result<Self, TextError> {
        let (negative, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TextError::new("xs:integer", text));
        }
        let digits = digits.trim_start_matches('0');
        Ok(Integer(match (digits.is_empty(), negative) {
            (true, _) => "0".to_owned(),
            (false, true) => format!("-{digits}"),
            (false, false) => digits.to_owned(),
        }))
    }
}

impl fmt::Display for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl XmlText for Integer {
    const XSD_TYPE: &'static str = "xs:integer";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        text.parse()
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

/// `xs:base64Binary`: bytes, written as standard base64. Line breaks inside the text are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl XmlText for Base64Binary {
    const XSD_TYPE: &'static str = "xs:base64Binary";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Base64Binary)
            .map_err(|e| TextError::new(Self::XSD_TYPE, text).because(e.to_string()))
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
    fn empty_is_absent() -> bool {
        false
    }
}

/// `xs:hexBinary`: bytes, written as upper-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBinary(pub Vec<u8>);

impl XmlText for HexBinary {
    const XSD_TYPE: &'static str = "xs:hexBinary";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        if text.len() % 2 != 0 {
            return Err(TextError::new(Self::XSD_TYPE, text).because("odd number of digits"));
        }
        (0..text.len())
            .step_by(2)
            .map(|at| {
                text.get(at..at + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .ok_or_else(|| TextError::new(Self::XSD_TYPE, text))
            })
            .collect::<Result<_, _>>()
            .map(HexBinary)
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.iter().map(|b| format!("{b:02X}")).collect())
    }
    fn empty_is_absent() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_is_canonical_and_unbounded() {
        let big: Integer = "+000123456789012345678901234567890".parse().unwrap();
        assert_eq!(big.as_str(), "123456789012345678901234567890");
        assert_eq!(big.to_i64(), None);
        assert_eq!("-0".parse::<Integer>().unwrap().as_str(), "0");
        assert!("12a".parse::<Integer>().is_err());
    }

    #[test]
    fn binary_forms() {
        let b = Base64Binary::from_xml_text("R0VU\nIC8=").unwrap();
        assert_eq!(b.0, b"GET /");
        assert_eq!(b.to_xml_text(), "R0VUIC8=");
        let h = HexBinary::from_xml_text("0aFF").unwrap();
        assert_eq!(h.0, vec![10, 255]);
        assert_eq!(h.to_xml_text(), "0AFF");
        assert!(HexBinary::from_xml_text("0").is_err());
    }
}
