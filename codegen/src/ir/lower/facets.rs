//! The facets of a restriction against the type they restrict: refused where they do not apply, and their values
//! where they are not values of the type. Checked at generation, so a schema mistake is an error naming its
//! `file:line:col` rather than a check that never fails (or never passes).

use crate::error::{Error, Result};
use crate::ir::{Builtin, Primitive};

/// Refuses facets that do not apply to the restricted type (a range facet of a string, `totalDigits` of a float,
/// a length facet of a number) and facet values that are not values of it (`maxInclusive="abc"` or `"1.5"` on
/// an integer, `"300"` on an `xs:unsignedByte`): the generated check would otherwise never fail, or never pass.
pub(super) fn check_facets(
    primitive: Primitive,
    facets: &crate::xsd::Facets,
    loc: &crate::xsd::Loc,
) -> Result<()> {
    use Builtin::*;
    let ranges = [
        ("minInclusive", &facets.min_inclusive),
        ("maxInclusive", &facets.max_inclusive),
        ("minExclusive", &facets.min_exclusive),
        ("maxExclusive", &facets.max_exclusive),
    ];
    let what = match primitive {
        // Several XSD types map to strings (`xs:duration`, `xs:anyURI`, ...): the message cannot say which.
        Primitive::Builtin(String | NormalizedString | Token | Name) => "a string-valued type",
        Primitive::Builtin(b) => builtin_name(b),
        Primitive::List => "a list type",
        Primitive::Other => return Ok(()),
    };
    let refuse = |facet: &str| {
        Err(Error::invalid(
            loc,
            format!("the {facet} facet does not apply to {what}"),
        ))
    };
    let builtin = match primitive {
        Primitive::Builtin(b) => b,
        Primitive::List => {
            for (facet, value) in ranges {
                if value.is_some() {
                    return refuse(facet);
                }
            }
            if facets.total_digits.is_some() {
                return refuse("totalDigits");
            }
            if facets.fraction_digits.is_some() {
                return refuse("fractionDigits");
            }
            return Ok(());
        }
        Primitive::Other => return Ok(()),
    };
    if !builtin.is_decimal() {
        if facets.total_digits.is_some() {
            return refuse("totalDigits");
        }
        if facets.fraction_digits.is_some() {
            return refuse("fractionDigits");
        }
    }
    let lengths = [
        ("length", facets.length),
        ("minLength", facets.min_length),
        ("maxLength", facets.max_length),
    ];
    for (facet, value) in lengths {
        // Lengths are of strings, binary data and lists; on an `xs:QName` they are always satisfied (XSD 1.1
        // part 2, 4.3.1.3; deprecated in XSD 1.0), so they are allowed and check nothing.
        if value.is_some()
            && !matches!(
                builtin,
                String | NormalizedString | Token | Name | Base64 | Hex | QName
            )
        {
            return refuse(facet);
        }
    }
    for (facet, value) in ranges {
        let Some(value) = value else { continue };
        let text = value.trim();
        // Strings stand for types the generator does not tell apart (`xs:duration`, `xs:gYear`): their range
        // facets are not checked (see the README); booleans and binary data have no order.
        if matches!(builtin, String | NormalizedString | Token | Name) {
            continue;
        }
        if !builtin.is_ordered() {
            return refuse(facet);
        }
        if let Some(problem) = not_a_value(builtin, text) {
            return Err(Error::invalid(
                loc,
                format!("{facet}={value:?} is not a value of {what}: {problem}"),
            ));
        }
    }
    if facets.fraction_digits.is_some_and(|f| f > 0) && !matches!(builtin, Decimal) {
        return Err(Error::invalid(
            loc,
            format!("fractionDigits must be 0 for {what}"),
        ));
    }
    Ok(())
}

/// The XSD name of a built-in, for messages.
fn builtin_name(b: Builtin) -> &'static str {
    use Builtin::*;
    match b {
        String => "xs:string",
        NormalizedString => "xs:normalizedString",
        Token => "xs:token",
        Name => "a string-valued type",
        Bool => "xs:boolean",
        I8 => "xs:byte",
        I16 => "xs:short",
        I32 => "xs:int",
        I64 => "xs:long",
        U8 => "xs:unsignedByte",
        U16 => "xs:unsignedShort",
        U32 => "xs:unsignedInt",
        U64 => "xs:unsignedLong",
        Integer => "xs:integer",
        NonNegativeInteger => "xs:nonNegativeInteger",
        PositiveInteger => "xs:positiveInteger",
        NonPositiveInteger => "xs:nonPositiveInteger",
        NegativeInteger => "xs:negativeInteger",
        Decimal => "xs:decimal",
        F32 => "xs:float",
        F64 => "xs:double",
        DateTime | ChronoDateTime => "xs:dateTime",
        Date | ChronoDate => "xs:date",
        Time | ChronoTime => "xs:time",
        Base64 => "xs:base64Binary",
        Hex => "xs:hexBinary",
        QName => "xs:QName",
    }
}

/// Why `text` is not a lexical form of built-in `b` (checked for the ordered types), or `None` when it is one.
fn not_a_value(b: Builtin, text: &str) -> Option<&'static str> {
    use Builtin::*;
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let decimal = || {
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        !(whole.is_empty() && fraction.is_empty())
            && whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
    };
    // The magnitude without leading zeros, and whether it is zero.
    let magnitude = digits.trim_start_matches('0');
    let zero = magnitude.is_empty();
    let fits = |max: &str| {
        magnitude.len() < max.len() || (magnitude.len() == max.len() && magnitude <= max)
    };
    match b {
        I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64 | Integer | NonNegativeInteger
        | PositiveInteger | NonPositiveInteger | NegativeInteger => {
            if !all_digits(digits) {
                return Some("not an integer");
            }
            let (min, max) = match b {
                I8 => ("128", "127"),
                I16 => ("32768", "32767"),
                I32 => ("2147483648", "2147483647"),
                I64 => ("9223372036854775808", "9223372036854775807"),
                U8 => ("0", "255"),
                U16 => ("0", "65535"),
                U32 => ("0", "4294967295"),
                U64 => ("0", "18446744073709551615"),
                _ => ("", ""),
            };
            let in_range = match b {
                Integer => true,
                NonNegativeInteger => !negative || zero,
                PositiveInteger => !negative && !zero,
                NonPositiveInteger => negative || zero,
                NegativeInteger => negative && !zero,
                _ if negative => zero || fits(min),
                _ => fits(max),
            };
            (!in_range).then_some("out of the type's range")
        }
        Decimal => (!decimal()).then_some("not a decimal number"),
        F32 | F64 => {
            let mantissa = digits.split(['e', 'E']).next().unwrap_or("");
            let exponent = digits.split_once(['e', 'E']).map(|(_, e)| e);
            let valid = matches!(text, "INF" | "-INF" | "+INF" | "NaN")
                || ({
                    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
                    !(whole.is_empty() && fraction.is_empty())
                        && whole
                            .bytes()
                            .chain(fraction.bytes())
                            .all(|b| b.is_ascii_digit())
                } && exponent
                    .is_none_or(|e| all_digits(e.strip_prefix(['+', '-']).unwrap_or(e))));
            (!valid).then_some("not a floating-point number")
        }
        Date | ChronoDate => (!date(text)).then_some("not a date (YYYY-MM-DD)"),
        // chrono's times have no `24:00:00`; the runtime's XSD ones read it as midnight.
        Time | ChronoTime => (!time(text, b == Time)).then_some("not a time (hh:mm:ss)"),
        DateTime | ChronoDateTime => {
            let valid = text
                .split_once('T')
                .is_some_and(|(d, t)| date(d) && time(t, b == DateTime));
            (!valid).then_some("not a date and time (YYYY-MM-DDThh:mm:ss)")
        }
        String | NormalizedString | Token | Name | Bool | Base64 | Hex | QName => None,
    }
}

/// `text` less a time zone suffix (`Z`, `+hh:mm`, `-hh:mm`).
fn strip_zone(text: &str) -> &str {
    if let Some(rest) = text.strip_suffix('Z') {
        return rest;
    }
    let bytes = text.as_bytes();
    if bytes.len() > 6
        && matches!(bytes[bytes.len() - 6], b'+' | b'-')
        && bytes[bytes.len() - 3] == b':'
    {
        return &text[..text.len() - 6];
    }
    text
}

fn digits_of(text: &str, n: usize) -> bool {
    text.len() == n && text.bytes().all(|b| b.is_ascii_digit())
}

/// A lexical `xs:date`: `-?YYYY-MM-DD` with an optional zone, month and day in range.
fn date(text: &str) -> bool {
    let text = strip_zone(text);
    let text = text.strip_prefix('-').unwrap_or(text);
    let mut parts = text.rsplitn(3, '-');
    let (Some(day), Some(month), Some(year)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if year.len() < 4
        || !year.bytes().all(|b| b.is_ascii_digit())
        || !digits_of(month, 2)
        || !digits_of(day, 2)
    {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) =
        (year.parse::<u64>(), month.parse::<u8>(), day.parse::<u8>())
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A lexical `xs:time`: `hh:mm:ss[.s+]` with an optional zone; `24:00:00` (the end of the day in XSD 1.0) where
/// `end_of_day`.
fn time(text: &str, end_of_day: bool) -> bool {
    let text = strip_zone(text);
    let mut parts = text.splitn(3, ':');
    let (Some(h), Some(m), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let lexical = digits_of(h, 2)
        && digits_of(m, 2)
        && digits_of(whole, 2)
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if end_of_day && lexical && h == "24" {
        return m == "00" && whole == "00" && fraction.bytes().all(|b| b == b'0');
    }
    lexical
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.parse::<u8>().is_ok_and(|m| m < 60)
        && whole.parse::<u8>().is_ok_and(|s| s < 60)
}
