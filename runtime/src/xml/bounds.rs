//! The range facets (`minInclusive`, `maxInclusive`, `minExclusive`, `maxExclusive`): values compared with the
//! schema's bound in the order of their XSD type. Integers and decimals compare exactly, on their lexical forms,
//! whatever their size (`45` is below `1023`, `1e40`-sized integers are fine); floats compare as IEEE numbers,
//! where `NaN` is in no order and so satisfies no range facet; dates and times compare as values, in XSD's partial
//! order (a zoned and a zoneless value less than 14 hours apart are in no order, and satisfy no range facet).

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::check::FacetError;
use super::text::XmlText;
use crate::xs;

/// A leaf type with an order for range facets: how a value's lexical form compares with a bound's.
pub trait Bounded {
    /// The order of `value` against `bound` (both lexical forms of the type), `None` when they are in no order
    /// (`NaN`, or text that is not a value of the type).
    fn compare_text(value: &str, bound: &str) -> Option<Ordering>;
}

macro_rules! decimal_order {
    ($($ty:ty),* $(,)?) => {$(
        impl Bounded for $ty {
            fn compare_text(value: &str, bound: &str) -> Option<Ordering> {
                compare_decimal_text(value, bound)
            }
        }
    )*};
}

decimal_order!(
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    Decimal,
    xs::Integer,
    xs::NonNegativeInteger,
    xs::PositiveInteger,
    xs::NonPositiveInteger,
    xs::NegativeInteger,
);

macro_rules! value_order {
    ($($ty:ty),* $(,)?) => {$(
        impl Bounded for $ty {
            fn compare_text(value: &str, bound: &str) -> Option<Ordering> {
                let value = <$ty as XmlText>::from_xml_text(value).ok()?;
                let bound = <$ty as XmlText>::from_xml_text(bound).ok()?;
                value.partial_cmp(&bound)
            }
        }
    )*};
}

value_order!(
    f32,
    f64,
    DateTime<FixedOffset>,
    DateTime<Utc>,
    NaiveDate,
    NaiveTime,
    xs::XmlDateTime,
    xs::XmlDate,
    xs::XmlTime,
);

/// Checks range facet `facet` (`minInclusive`, `maxInclusive`, `minExclusive` or `maxExclusive`) of `type_name`:
/// `value` (a lexical form of `T`) against `bound`.
pub fn check_range<T: Bounded>(
    type_name: &str,
    facet: &'static str,
    value: &str,
    bound: &str,
) -> Result<(), FacetError> {
    let order = T::compare_text(value, bound);
    let holds = match facet {
        "minInclusive" => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        "maxInclusive" => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        "minExclusive" => order == Some(Ordering::Greater),
        "maxExclusive" => order == Some(Ordering::Less),
        _ => true,
    };
    if holds {
        Ok(())
    } else {
        Err(FacetError::new(type_name, facet, value))
    }
}

/// The numeric order of two decimal lexical forms (`[+-]digits[.digits]`), exactly, at any size; `None` when
/// either is not one.
pub fn compare_decimal_text(a: &str, b: &str) -> Option<Ordering> {
    let (a_negative, a_int, a_frac) = split_decimal(a)?;
    let (b_negative, b_int, b_frac) = split_decimal(b)?;
    let a_zero = a_int.is_empty() && a_frac.is_empty();
    let b_zero = b_int.is_empty() && b_frac.is_empty();
    // Zero has no sign: `-0` is `0`.
    let a_sign = if a_zero {
        0
    } else if a_negative {
        -1
    } else {
        1
    };
    let b_sign = if b_zero {
        0
    } else if b_negative {
        -1
    } else {
        1
    };
    if a_sign != b_sign {
        return Some(a_sign.cmp(&b_sign));
    }
    let magnitude = a_int
        .len()
        .cmp(&b_int.len())
        .then_with(|| a_int.cmp(b_int))
        .then_with(|| a_frac.cmp(b_frac));
    Some(if a_sign < 0 {
        magnitude.reverse()
    } else {
        magnitude
    })
}

/// The sign, the integer digits without leading zeros and the fraction digits without trailing zeros.
fn split_decimal(text: &str) -> Option<(bool, &str, &str)> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((
        negative,
        int.trim_start_matches('0'),
        frac.trim_end_matches('0'),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_by_value() {
        let cmp = compare_decimal_text;
        assert_eq!(cmp("45", "1023"), Some(Ordering::Less));
        assert_eq!(cmp("-45", "-1023"), Some(Ordering::Greater));
        assert_eq!(cmp("+007.50", "7.5"), Some(Ordering::Equal));
        assert_eq!(cmp("-0", "0.000"), Some(Ordering::Equal));
        assert_eq!(cmp(".5", "0.49"), Some(Ordering::Greater));
        assert_eq!(
            cmp(
                "123456789012345678901234567890.000000000000000000001",
                "123456789012345678901234567890"
            ),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp("1x", "1"), None);
        assert_eq!(cmp(".", "1"), None);
    }

    #[test]
    fn range_facets() {
        assert!(check_range::<xs::Integer>("T", "maxInclusive", "45", "1023").is_ok());
        let err = check_range::<xs::Integer>("T", "maxInclusive", "1024", "1023").unwrap_err();
        assert_eq!(err.facet, "maxInclusive");
        assert!(check_range::<i32>("T", "minExclusive", "0", "0").is_err());
        assert!(check_range::<i32>("T", "minInclusive", "0", "0").is_ok());
        assert!(check_range::<f64>("T", "maxInclusive", "INF", "1e308").is_err());
        assert!(check_range::<f64>("T", "minInclusive", "-INF", "-INF").is_ok());
        assert!(check_range::<f64>("T", "minInclusive", "NaN", "0").is_err());
        assert!(check_range::<f64>("T", "maxInclusive", "NaN", "0").is_err());
        assert!(check_range::<f32>("T", "maxExclusive", "1.5", "INF").is_ok());
        assert!(check_range::<NaiveDate>("T", "minInclusive", "2024-01-01", "2024-02-01").is_err());
    }
}
