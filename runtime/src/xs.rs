//! XSD built-in types that have no exact Rust counterpart.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;

use crate::xml::{TextError, XmlText};

/// `xs:decimal`: an exact decimal number.
pub use rust_decimal::Decimal;

mod dates;
mod qname;

pub use dates::{XmlDate, XmlDateTime, XmlTime};
pub use qname::{QName, QNameNamespace};

/// `xs:dateTime` under the Qualys profile: a date and time with its UTC offset (Qualys sends UTC:
/// `2019-02-01T05:47:50Z`); a value written without a zone is read as UTC. The plain XSD mapping has
/// [`XmlDateTime`], which keeps the zone or its absence.
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;

/// `xs:date` under the Qualys profile: the date, its zone (if any) dropped. The plain XSD mapping has
/// [`XmlDate`].
pub type Date = chrono::NaiveDate;

/// `xs:time` under the Qualys profile: the time of day, its zone (if any) dropped. The plain XSD mapping has
/// [`XmlTime`].
pub type Time = chrono::NaiveTime;

/// `xs:integer`: an integer of any size, kept exactly, with the text it was read in. Compared, ordered and
/// hashed by value (`+007` equals `7`); its `Default` is 0.
///
/// A value read from XML is written back as it was read (`0679760806`, `+00000000`); one built in code (from a
/// Rust integer, [`Default`]) is written in the canonical form (no `+`, no leading zeros).
///
/// Schemas that bound an integer by facets get a sized Rust integer instead. The unbounded types that restrict
/// the sign have their own types: [`NonNegativeInteger`], [`PositiveInteger`], [`NonPositiveInteger`],
/// [`NegativeInteger`].
#[derive(Debug, Clone)]
pub struct Integer {
    /// The canonical decimal form.
    value: String,
    /// The text it was read in, where that differs from the canonical form.
    text: Option<Box<str>>,
}

impl Integer {
    fn canonical(value: String) -> Self {
        Integer { value, text: None }
    }

    /// The canonical decimal form (no `+`, no leading zeros).
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The text the value was read in; the canonical form for a value built in code.
    pub fn lexical(&self) -> &str {
        self.text.as_deref().unwrap_or(&self.value)
    }

    /// The same value, written in the canonical form.
    pub fn into_canonical(self) -> Self {
        Integer::canonical(self.value)
    }

    /// The value as an `i64`, when it fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.value.parse().ok()
    }

    /// The value as an `i128`, when it fits.
    pub fn to_i128(&self) -> Option<i128> {
        self.value.parse().ok()
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.value.starts_with('-')
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.value == "0"
    }
}

impl Default for Integer {
    /// Zero.
    fn default() -> Self {
        Integer::canonical("0".to_owned())
    }
}

impl PartialEq for Integer {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Integer {}

impl std::hash::Hash for Integer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl Ord for Integer {
    fn cmp(&self, other: &Self) -> Ordering {
        // Canonical forms: compare signs, then digit counts, then digits.
        match (self.is_negative(), other.is_negative()) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (negative, _) => {
                let (a, b) = (
                    self.value.trim_start_matches('-'),
                    other.value.trim_start_matches('-'),
                );
                let magnitude = a.len().cmp(&b.len()).then_with(|| a.cmp(b));
                if negative {
                    magnitude.reverse()
                } else {
                    magnitude
                }
            }
        }
    }
}

impl PartialOrd for Integer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! integer_from {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Integer {
            fn from(value: $ty) -> Self {
                Integer::canonical(value.to_string())
            }
        }
    )*};
}

integer_from!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

impl FromStr for Integer {
    type Err = TextError;
    /// The value of `text`, which it keeps to be written in (see [`Integer`]).
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
        let value = match (digits.is_empty(), negative) {
            (true, _) => "0".to_owned(),
            (false, true) => format!("-{digits}"),
            (false, false) => digits.to_owned(),
        };
        let text = (value != text).then(|| text.into());
        Ok(Integer { value, text })
    }
}

impl fmt::Display for Integer {
    /// The text it was read in, or the canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.lexical())
    }
}

impl XmlText for Integer {
    const XSD_TYPE: &'static str = "xs:integer";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        text.parse()
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.lexical())
    }
}

/// The unbounded integer types whose sign is restricted: an [`Integer`] checked on construction.
macro_rules! signed_integer {
    ($($(#[$doc:meta])* $name:ident => $xsd:literal, $what:literal, |$v:ident| $holds:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Integer);

        impl $name {
            /// The value, when it is in the type's range.
            pub fn new($v: Integer) -> Result<Self, TextError> {
                if $holds {
                    Ok($name($v))
                } else {
                    Err(TextError::new($xsd, $v.lexical()).because(concat!("the value must be ", $what)))
                }
            }

            /// The value.
            pub fn get(&self) -> &Integer {
                &self.0
            }

            /// The value, unwrapped.
            pub fn into_inner(self) -> Integer {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = TextError;
            fn try_from(value: i64) -> Result<Self, TextError> {
                $name::new(Integer::from(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl XmlText for $name {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml_text(text: &str) -> Result<Self, TextError> {
                let value: Integer = text.parse().map_err(|_| TextError::new($xsd, text))?;
                $name::new(value)
            }
            fn to_xml_text(&self) -> Cow<'_, str> {
                self.0.to_xml_text()
            }
        }
    )*};
}

signed_integer! {
    /// `xs:nonNegativeInteger`: an integer of any size, at least 0. Its `Default` is 0.
    NonNegativeInteger => "xs:nonNegativeInteger", "at least 0", |value| !value.is_negative();
    /// `xs:positiveInteger`: an integer of any size, at least 1. It has no `Default`: no value is a neutral one.
    ///
    /// ```compile_fail
    /// let _ = qps_runtime::xs::PositiveInteger::default();
    /// ```
    PositiveInteger => "xs:positiveInteger", "at least 1", |value| !value.is_negative() && !value.is_zero();
    /// `xs:nonPositiveInteger`: an integer of any size, at most 0. Its `Default` is 0.
    NonPositiveInteger => "xs:nonPositiveInteger", "at most 0", |value| value.is_negative() || value.is_zero();
    /// `xs:negativeInteger`: an integer of any size, at most -1. It has no `Default`: no value is a neutral one.
    ///
    /// ```compile_fail
    /// let _ = qps_runtime::xs::NegativeInteger::default();
    /// ```
    NegativeInteger => "xs:negativeInteger", "at most -1", |value| value.is_negative();
}

impl Default for NonNegativeInteger {
    /// Zero.
    fn default() -> Self {
        NonNegativeInteger(Integer::default())
    }
}

impl Default for NonPositiveInteger {
    /// Zero.
    fn default() -> Self {
        NonPositiveInteger(Integer::default())
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
        assert_eq!(Integer::default().as_str(), "0");
    }

    #[test]
    fn integers_keep_the_text_they_were_read_in() {
        let n = |t: &str| t.parse::<Integer>().unwrap();
        for text in ["0679760806", "+00000000", "-0", "+5", "42", "-7"] {
            assert_eq!(n(text).to_xml_text(), text);
            assert_eq!(n(text).to_string(), text);
        }
        assert_eq!(n("0679760806"), n("679760806"));
        assert_eq!(n("+00000000").as_str(), "0");
        assert_eq!(n("0679760806").into_canonical().to_xml_text(), "679760806");
        use std::hash::BuildHasher;
        let state = std::hash::RandomState::new();
        assert_eq!(state.hash_one(n("+007")), state.hash_one(n("7")));
        // Built in code: canonical.
        assert_eq!(Integer::from(-0i64).to_xml_text(), "0");
        assert_eq!(Integer::default().to_xml_text(), "0");
        let kept = NonNegativeInteger::from_xml_text("007").unwrap();
        assert_eq!(kept.to_xml_text(), "007");
        assert_eq!(kept, NonNegativeInteger::try_from(7).unwrap());
    }

    #[test]
    fn integers_order_by_value() {
        let n = |t: &str| t.parse::<Integer>().unwrap();
        assert!(n("45") < n("1023"));
        assert!(n("-1023") < n("-45"));
        assert!(n("-1") < n("0"));
        assert!(n("99999999999999999999999999999999999999999") > n("1"));
        assert!(n("-99999999999999999999999999999999999999999") < n("-1"));
        assert_eq!(n("+007").cmp(&n("7")), Ordering::Equal);
    }

    #[test]
    fn signed_integers_check_their_range() {
        assert!(PositiveInteger::from_xml_text("1").is_ok());
        assert!(PositiveInteger::from_xml_text("0").is_err());
        assert!(PositiveInteger::from_xml_text("-0").is_err());
        assert!(NonNegativeInteger::from_xml_text("-0").is_ok());
        assert!(NonNegativeInteger::from_xml_text("-1").is_err());
        assert!(NegativeInteger::from_xml_text("-1").is_ok());
        assert!(NegativeInteger::from_xml_text("0").is_err());
        assert!(NonPositiveInteger::from_xml_text("0").is_ok());
        assert!(NonPositiveInteger::from_xml_text("1").is_err());
        assert_eq!(NonNegativeInteger::default().get().as_str(), "0");
        let err = PositiveInteger::try_from(0).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid xs:positiveInteger value \"0\": the value must be at least 1"
        );
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
