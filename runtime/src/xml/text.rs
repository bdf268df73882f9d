use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use rust_decimal::Decimal;

use super::{NamespaceScope, XmlWriter};

/// Every leaf type the runtime implements [`XmlText`] for (here and in [`crate::xs`]), passed to `$then!`: the
/// one list from which the leaves' [`Validate`](super::Validate) and [`XmlValue`](super::XmlValue) impls are
/// made. A new `XmlText` impl of the runtime goes here too.
macro_rules! builtin_leaves {
    ($then:ident) => {
        $then!(
            String,
            bool,
            i8,
            i16,
            i32,
            i64,
            u8,
            u16,
            u32,
            u64,
            f32,
            f64,
            rust_decimal::Decimal,
            chrono::DateTime<chrono::FixedOffset>,
            chrono::DateTime<chrono::Utc>,
            chrono::NaiveDate,
            chrono::NaiveTime,
            crate::xs::Integer,
            crate::xs::NonNegativeInteger,
            crate::xs::PositiveInteger,
            crate::xs::NonPositiveInteger,
            crate::xs::NegativeInteger,
            crate::xs::Base64Binary,
            crate::xs::HexBinary,
            crate::xs::XmlDateTime,
            crate::xs::XmlDate,
            crate::xs::XmlTime,
            crate::xs::QName,
        );
    };
}
pub(crate) use builtin_leaves;

/// Parses an `xs:list` value: items separated by XML whitespace.
pub fn text_list<T: XmlText>(text: &str) -> Result<Vec<T>, TextError> {
    text.split_ascii_whitespace()
        .map(T::from_xml_text)
        .collect()
}

/// Writes an `xs:list` value: the items separated by single spaces.
pub fn list_text<T: XmlText>(items: &[T]) -> String {
    super::joined(items.iter().map(XmlText::to_xml_text), ' ')
}

/// [`list_text`] as `writer` writes it (see [`XmlText::to_xml_text_in`]).
pub fn list_text_in<T: XmlText>(items: &[T], writer: &mut XmlWriter) -> String {
    let items: Vec<Cow<'_, str>> = items
        .iter()
        .map(|item| item.to_xml_text_in(writer))
        .collect();
    super::joined(items, ' ')
}

/// How the text of a value is normalized before it is parsed: the XSD `whiteSpace` facet of its type.
///
/// Generated code passes it for values whose type is a string (for every other type the leading and trailing
/// whitespace is simply trimmed, which is what `collapse` means for a value that has no inner whitespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhiteSpace {
    /// Kept exactly as it stands (`xs:string`).
    Preserve,
    /// Each tab, carriage return and line feed becomes a space (`xs:normalizedString`).
    Replace,
    /// As `Replace`, then runs of spaces become one and leading and trailing spaces are removed (`xs:token`).
    Collapse,
}

impl WhiteSpace {
    /// `text` normalized, borrowed when there is nothing to change.
    pub fn apply(self, text: &str) -> Cow<'_, str> {
        let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
        match self {
            WhiteSpace::Preserve => Cow::Borrowed(text),
            WhiteSpace::Replace => {
                if text.contains(['\t', '\r', '\n']) {
                    Cow::Owned(text.replace(['\t', '\r', '\n'], " "))
                } else {
                    Cow::Borrowed(text)
                }
            }
            WhiteSpace::Collapse => {
                let trimmed = text.trim_matches(is_ws);
                let tidy = !trimmed.contains(['\t', '\r', '\n']) && !trimmed.contains("  ");
                if tidy {
                    return Cow::Borrowed(trimmed);
                }
                Cow::Owned(super::joined(
                    trimmed.split(is_ws).filter(|w| !w.is_empty()),
                    ' ',
                ))
            }
        }
    }
}

/// An `xs:list` value: the items separated by XML whitespace, written separated by single spaces. The empty
/// text is the empty list.
impl<T: XmlText> XmlText for Vec<T> {
    const XSD_TYPE: &'static str = "xs:list";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        text_list(text)
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(list_text(self))
    }
    fn empty_is_absent() -> bool {
        false
    }
    fn resolve_prefixes(&mut self, scope: &NamespaceScope<'_>) -> Result<(), TextError> {
        self.iter_mut()
            .try_for_each(|item| item.resolve_prefixes(scope))
    }
    fn to_xml_text_in(&self, writer: &mut XmlWriter) -> Cow<'_, str> {
        Cow::Owned(list_text_in(self, writer))
    }
}

/// A leaf value with an XML text form: parsed from element or attribute text, written back in XSD lexical form.
///
/// Input has already been normalized by the caller: trimmed for every type that is not a string (and for every
/// value under the Qualys profile, whose responses are pretty-printed, CDATA sections included, so surrounding
/// whitespace is never data); for a string of the plain XSD mapping, by its [`WhiteSpace`] facet.
pub trait XmlText: Sized {
    /// What the value is called in error messages, e.g. `xs:long`.
    const XSD_TYPE: &'static str;

    /// Parses trimmed XML text.
    fn from_xml_text(text: &str) -> Result<Self, TextError>;

    /// The XSD lexical form of the value.
    fn to_xml_text(&self) -> Cow<'_, str>;

    /// Resolves the namespace prefixes of a value that names something (`xs:QName`, and the types and lists
    /// built on it) through the declarations in `scope`, where the value was read; a prefix no declaration binds
    /// is the error. Nothing to do for every other type. The event reader calls it after
    /// [`from_xml_text`](Self::from_xml_text); the serde path, which does not see the declarations, does not.
    #[inline(always)]
    fn resolve_prefixes(&mut self, scope: &NamespaceScope<'_>) -> Result<(), TextError> {
        let _ = scope;
        Ok(())
    }

    /// The XSD lexical form of the value as the generated writer writes it: a value that names something
    /// (`xs:QName`) has `writer` declare the prefixes it uses on the open start tag where they are not in
    /// scope ([`XmlWriter::prefix_for`]); [`to_xml_text`](Self::to_xml_text) for every other type.
    #[inline(always)]
    fn to_xml_text_in(&self, writer: &mut XmlWriter) -> Cow<'_, str> {
        let _ = writer;
        self.to_xml_text()
    }

    /// Whether an empty element means "absent" rather than an empty value. True for every type that has no
    /// empty lexical form (numbers, booleans, dates); `<count/>` then reads as `None` instead of failing.
    fn empty_is_absent() -> bool {
        true
    }

    /// The value as sent, when it is an enumeration value the schema does not list (an enumeration's `Other`
    /// variant); `None` for every other value and type. Recorded as drift.
    #[inline(always)]
    fn unlisted(&self) -> Option<&str> {
        None
    }

    /// Writes the value through serde in the data model that fits it: a number for the integers and finite
    /// floating-point numbers, a boolean for `xs:boolean`, the XSD lexical form as a string for everything else
    /// (the default). A text serializer (XML) writes the same lexical form either way; JSON gets typed values.
    fn serialize_text<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_xml_text())
    }
}

/// Text that is not a valid lexical form of the expected XSD type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// The expected type, e.g. `xs:long` or `ResponseCode`.
    pub expected: &'static str,
    /// The offending text (cut to 80 characters).
    pub text: String,
    /// Why it was rejected, when there is more to say than the type.
    pub reason: Option<String>,
}

impl TextError {
    /// An error for `text` that is not a valid `expected`.
    pub fn new(expected: &'static str, text: &str) -> Self {
        let mut text: String = text.chars().take(80).collect();
        if text.len() < 80 {
            text.shrink_to_fit();
        }
        TextError {
            expected,
            text,
            reason: None,
        }
    }

    /// Adds the reason the text was rejected.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} value {:?}", self.expected, self.text)?;
        if let Some(reason) = &self.reason {
            write!(f, ": {reason}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TextError {}

impl XmlText for String {
    const XSD_TYPE: &'static str = "xs:string";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        Ok(text.to_owned())
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn empty_is_absent() -> bool {
        false
    }
}

impl XmlText for bool {
    const XSD_TYPE: &'static str = "xs:boolean";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        match text {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(TextError::new(Self::XSD_TYPE, text)),
        }
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn serialize_text<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*self)
    }
}

macro_rules! integer_text {
    ($($ty:ty => $xsd:literal),* $(,)?) => {$(
        impl XmlText for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml_text(text: &str) -> Result<Self, TextError> {
                // XSD allows a leading '+', Rust's parser does too.
                text.parse().map_err(|e: std::num::ParseIntError| TextError::new(Self::XSD_TYPE, text).because(e.to_string()))
            }
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn serialize_text<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(self, serializer)
            }
        }
    )*};
}

integer_text!(
    i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long",
    u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt", u64 => "xs:unsignedLong",
);

macro_rules! float_text {
    ($($ty:ty => $xsd:literal),*) => {$(
        impl XmlText for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml_text(text: &str) -> Result<Self, TextError> {
                match text {
                    "INF" | "+INF" => Ok(<$ty>::INFINITY),
                    "-INF" => Ok(<$ty>::NEG_INFINITY),
                    "NaN" => Ok(<$ty>::NAN),
                    // Rust also accepts "inf" and "nan", which XSD does not.
                    _ if text.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') => {
                        Err(TextError::new(Self::XSD_TYPE, text))
                    }
                    _ => text.parse().map_err(|_| TextError::new(Self::XSD_TYPE, text)),
                }
            }
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(if self.is_nan() {
                    "NaN".to_owned()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF" } else { "-INF" }.to_owned()
                } else {
                    self.to_string()
                })
            }
            fn serialize_text<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if self.is_finite() {
                    serde::Serialize::serialize(self, serializer)
                } else {
                    serializer.serialize_str(&self.to_xml_text())
                }
            }
        }
    )*};
}

float_text!(f32 => "xs:float", f64 => "xs:double");

impl XmlText for Decimal {
    const XSD_TYPE: &'static str = "xs:decimal";
    /// Exactly, or not at all: a value with more significant digits than `Decimal` holds (28 after the point,
    /// about 7.9e28 in all) is an error, never rounded. Zeros that end a fraction carry no value and may exceed
    /// that scale.
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        let digits = text.strip_prefix('+').unwrap_or(text);
        Decimal::from_str_exact(digits)
            .or_else(|e| match digits.split_once('.') {
                Some((_, fraction)) if fraction.ends_with('0') => {
                    Decimal::from_str_exact(digits.trim_end_matches('0').trim_end_matches('.'))
                }
                _ => Err(e),
            })
            .map_err(|e: rust_decimal::Error| {
                TextError::new(Self::XSD_TYPE, text).because(e.to_string())
            })
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// `xs:dateTime`. Qualys writes UTC as `2019-02-01T05:47:50Z`; a value without a zone is read as UTC.
impl XmlText for DateTime<FixedOffset> {
    const XSD_TYPE: &'static str = "xs:dateTime";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        if let Ok(value) = DateTime::parse_from_rfc3339(text) {
            return Ok(value);
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| naive.and_utc().fixed_offset())
            .map_err(|e| TextError::new(Self::XSD_TYPE, text).because(e.to_string()))
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// `xs:dateTime` held in UTC, for callers that prefer it; written with a `Z`.
impl XmlText for DateTime<Utc> {
    const XSD_TYPE: &'static str = "xs:dateTime";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        DateTime::<FixedOffset>::from_xml_text(text).map(|value| value.with_timezone(&Utc))
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// `xs:date`. A trailing zone (`Z`, `+01:00`) is accepted and dropped.
impl XmlText for NaiveDate {
    const XSD_TYPE: &'static str = "xs:date";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        let date = strip_zone(text);
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|e| TextError::new(Self::XSD_TYPE, text).because(e.to_string()))
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

/// `xs:time`. A trailing zone is accepted and dropped.
impl XmlText for NaiveTime {
    const XSD_TYPE: &'static str = "xs:time";
    fn from_xml_text(text: &str) -> Result<Self, TextError> {
        NaiveTime::parse_from_str(strip_zone(text), "%H:%M:%S%.f")
            .map_err(|e| TextError::new(Self::XSD_TYPE, text).because(e.to_string()))
    }
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%H:%M:%S%.f").to_string())
    }
}

fn strip_zone(text: &str) -> &str {
    if let Some(stripped) = text.strip_suffix('Z') {
        return stripped;
    }
    // A zone is `+hh:mm` or `-hh:mm` after the last digit of the value.
    match text
        .len()
        .checked_sub(6)
        .and_then(|at| text.get(at..).map(|zone| (at, zone)))
    {
        Some((at, zone))
            if (zone.starts_with('+') || zone.starts_with('-')) && zone.as_bytes()[3] == b':' =>
        {
            &text[..at]
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compile-time: every leaf of [`builtin_leaves`] is a leaf of the whole runtime, with schema checks and
    /// a collection item form.
    #[test]
    fn every_builtin_leaf_is_validate_and_xml_value() {
        fn leaf<T: XmlText + crate::xml::Validate + crate::xml::XmlValue>() {}
        macro_rules! all_are_leaves {
            ($($ty:ty),* $(,)?) => {
                $(leaf::<$ty>();)*
            };
        }
        builtin_leaves!(all_are_leaves);
    }

    #[test]
    fn qualys_datetime_round_trips() {
        let value = DateTime::<FixedOffset>::from_xml_text("2019-02-01T05:47:50Z").unwrap();
        assert_eq!(value.timestamp(), 1_549_000_070);
        assert_eq!(value.to_xml_text(), "2019-02-01T05:47:50Z");
        let offset =
            DateTime::<FixedOffset>::from_xml_text("2019-02-01T05:47:50.25+02:00").unwrap();
        assert_eq!(offset.to_xml_text(), "2019-02-01T05:47:50.250+02:00");
        let zoneless = DateTime::<FixedOffset>::from_xml_text("2019-02-01T05:47:50").unwrap();
        assert_eq!(zoneless.to_xml_text(), "2019-02-01T05:47:50Z");
        assert!(DateTime::<FixedOffset>::from_xml_text("2019-02-01").is_err());
    }

    #[test]
    fn white_space_facets() {
        let text = " \ta  b\r\n c ";
        assert_eq!(WhiteSpace::Preserve.apply(text), text);
        assert_eq!(WhiteSpace::Replace.apply(text), "  a  b   c ");
        assert_eq!(WhiteSpace::Collapse.apply(text), "a b c");
        assert!(matches!(
            WhiteSpace::Collapse.apply(" a b "),
            Cow::Borrowed("a b")
        ));
        assert!(matches!(
            WhiteSpace::Replace.apply("a  b"),
            Cow::Borrowed(_)
        ));
        assert_eq!(WhiteSpace::Collapse.apply(" \n "), "");
    }

    #[test]
    fn lists_are_text() {
        let items = Vec::<i32>::from_xml_text("1  2\n 3").unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        assert_eq!(items.to_xml_text(), "1 2 3");
        assert_eq!(Vec::<i32>::from_xml_text("").unwrap(), Vec::<i32>::new());
        assert!(Vec::<i32>::from_xml_text("1 x").is_err());
    }

    #[test]
    fn booleans_accept_xsd_forms_only() {
        assert!(bool::from_xml_text("1").unwrap());
        assert!(!bool::from_xml_text("false").unwrap());
        let err = bool::from_xml_text("yes").unwrap_err();
        assert_eq!(err.to_string(), "invalid xs:boolean value \"yes\"");
    }

    #[test]
    fn numbers_and_errors() {
        assert_eq!(i64::from_xml_text("+42").unwrap(), 42);
        assert!(i32::from_xml_text("4294967296").is_err());
        assert_eq!(f64::from_xml_text("-INF").unwrap(), f64::NEG_INFINITY);
        assert!(f64::from_xml_text("inf").is_err());
        assert_eq!(f64::NAN.to_xml_text(), "NaN");
        let d = Decimal::from_xml_text("+10.500").unwrap();
        assert_eq!(d.to_xml_text(), "10.500");
        // A decimal keeps its scale; a float is written in the shortest form that reads back as the same value.
        for text in ["0.0", "-33.8570", "15"] {
            assert_eq!(Decimal::from_xml_text(text).unwrap().to_xml_text(), text);
        }
        assert_eq!(Decimal::from_xml_text("15.").unwrap().to_xml_text(), "15");
        assert_eq!(
            f64::from_xml_text("55.659999999999997")
                .unwrap()
                .to_xml_text(),
            "55.66"
        );
        assert_eq!(
            f64::from_xml_text("-33.8570").unwrap().to_xml_text(),
            "-33.857"
        );
        // Never rounded: too many digits is an error.
        assert!(Decimal::from_xml_text("0.00000000000000000000000000001").is_err());
        assert!(Decimal::from_xml_text("123456789012345678901234567890").is_err());
        assert_eq!(
            Decimal::from_xml_text("1.0000000000000000000000000001")
                .unwrap()
                .to_xml_text(),
            "1.0000000000000000000000000001"
        );
        assert_eq!(
            Decimal::from_xml_text("0.500000000000000000000000000000")
                .unwrap()
                .to_xml_text(),
            "0.5"
        );
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            NaiveDate::from_xml_text("2024-02-29Z")
                .unwrap()
                .to_xml_text(),
            "2024-02-29"
        );
        assert_eq!(
            NaiveTime::from_xml_text("13:20:00+01:00")
                .unwrap()
                .to_xml_text(),
            "13:20:00"
        );
    }
}
