//! `xs:dateTime`, `xs:date` and `xs:time` as XSD defines them: a value with an optional time zone that is part of
//! the value (a zoneless `2020-03-05T23:04:10` is not a UTC value), written back as it was written.
//!
//! Each type holds chrono's naive value, the offset when there is one, and what of the lexical form the value
//! does not say: the number of fraction digits (`.5` and `.500` are one value, each written as it came), how a
//! zero offset was written (`Z`, `+00:00`, `-00:00`), and whether midnight was written `24:00:00` (XSD 1.0's end
//! of the day, the next day's `00:00:00` as a value). Equality and order are XSD's: zoned values compare as
//! instants, zoneless ones as they read, and a zoned value against a zoneless one only where every time zone the
//! zoneless one could have (up to 14 hours from UTC) gives the same answer; otherwise they are in no order, and
//! never equal.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use crate::xml::{TextError, XmlText};

/// The largest offset from UTC a time zone has in XSD: 14 hours.
const MAX_ZONE_SECONDS: i64 = 14 * 3600;

/// The date XSD 1.1 puts under an `xs:time` to compare times: 1972-12-31.
fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1972, 12, 31).unwrap_or_default()
}

mod lexical;

use lexical::{Form, Parser, write_date, write_time, write_zone};

/// An offset as XSD writes it: whole minutes (the seconds of a chrono offset are dropped).
fn whole_minutes(offset: FixedOffset) -> FixedOffset {
    let seconds = offset.local_minus_utc() / 60 * 60;
    FixedOffset::east_opt(seconds).unwrap_or(offset)
}

/// Where a value stands for comparing: seconds and nanoseconds of its UTC reading (for a zoneless value, of its
/// reading as if it were UTC), and whether it has a zone.
#[derive(Debug, Clone, Copy)]
struct Key {
    seconds: i64,
    nanos: u32,
    zoned: bool,
}

impl Key {
    fn new(local: NaiveDateTime, offset: Option<FixedOffset>) -> Key {
        let utc = local.and_utc();
        Key {
            seconds: utc.timestamp() - offset.map_or(0, |o| i64::from(o.local_minus_utc())),
            nanos: utc.timestamp_subsec_nanos(),
            zoned: offset.is_some(),
        }
    }

    /// XSD's order (XML Schema 1.0, part 2, 3.2.7.4): a zoneless value stands for every instant from 14 hours
    /// before to 14 hours after its reading as UTC, and is before or after a zoned one only if all of them are.
    fn order(self, other: Key) -> Option<Ordering> {
        let at = |key: Key, shift: i64| (key.seconds + shift, key.nanos);
        if self.zoned == other.zoned {
            return Some(at(self, 0).cmp(&at(other, 0)));
        }
        let (zoneless, zoned) = if self.zoned {
            (other, self)
        } else {
            (self, other)
        };
        let instant = at(zoned, 0);
        let order = if at(zoneless, MAX_ZONE_SECONDS) < instant {
            Ordering::Less
        } else if at(zoneless, -MAX_ZONE_SECONDS) > instant {
            Ordering::Greater
        } else {
            return None;
        };
        Some(if self.zoned { order.reverse() } else { order })
    }

    fn hash<H: Hasher>(self, state: &mut H) {
        (self.zoned, self.seconds, self.nanos).hash(state);
    }
}

/// The impls the three types share: text, serde, `Display`, `Debug`, `FromStr`, equality, order and hash.
macro_rules! lexical_value {
    ($ty:ident, $xsd:literal) => {
        impl XmlText for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml_text(text: &str) -> Result<Self, TextError> {
                $ty::parse(text)
            }
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.lexical())
            }
        }

        impl FromStr for $ty {
            type Err = TextError;
            fn from_str(text: &str) -> Result<Self, TextError> {
                $ty::parse(text)
            }
        }

        /// The lexical form, as it was read (or, for a value built from chrono's, with the fewest fraction
        /// digits and a zero offset as `Z`).
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.lexical())
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($ty), "({})"), self.lexical())
            }
        }

        /// XSD's equality: the same instant for two zoned values, the same reading for two zoneless ones; a
        /// zoned value never equals a zoneless one. The lexical form (`Z` or `+00:00`, `.5` or `.50`) is not
        /// part of the value.
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.key().order(other.key()) == Some(Ordering::Equal)
            }
        }

        impl Eq for $ty {}

        impl Hash for $ty {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.key().hash(state);
            }
        }

        /// XSD's partial order: `None` for a zoned and a zoneless value less than 14 hours apart, whose order
        /// depends on the zone the zoneless one is taken to be in.
        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                self.key().order(other.key())
            }
        }

        /// The lexical form, as a string.
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.lexical())
            }
        }

        /// From the lexical form, as a string.
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                $ty::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// `xs:dateTime` in the plain XSD mapping: a date and time, with the time zone it was written with or none.
///
/// ```
/// use qps_runtime::xs::XmlDateTime;
/// let zoneless: XmlDateTime = "2020-03-05T23:04:10.047".parse().unwrap();
/// assert_eq!(zoneless.offset(), None);
/// assert_eq!(zoneless.to_string(), "2020-03-05T23:04:10.047");
/// assert_eq!(zoneless.to_utc(), None);
/// let zoned: XmlDateTime = "2020-03-05T23:04:10+01:00".parse().unwrap();
/// assert_eq!(zoned.to_utc().unwrap().to_rfc3339(), "2020-03-05T22:04:10+00:00");
/// ```
#[derive(Clone, Copy)]
pub struct XmlDateTime {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
    form: Form,
}

impl XmlDateTime {
    /// The date and time `local`, in the zone `offset` (cut to whole minutes) or in none.
    pub fn new(local: NaiveDateTime, offset: Option<FixedOffset>) -> Self {
        XmlDateTime {
            local,
            offset: offset.map(whole_minutes),
            form: Form::of(local.nanosecond()),
        }
    }

    /// The date and time as written, in its own zone (`24:00:00` reads as the next day's midnight).
    pub fn naive(&self) -> NaiveDateTime {
        self.local
    }

    /// The time zone, if the value has one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The value as chrono's zoned date and time, if it has a zone.
    pub fn to_fixed_offset(&self) -> Option<DateTime<FixedOffset>> {
        self.offset
            .and_then(|offset| offset.from_local_datetime(&self.local).single())
    }

    /// The instant in UTC, if the value has a zone.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        self.to_fixed_offset()
            .map(|value| value.with_timezone(&Utc))
    }

    /// The value in its own zone, or, when it has none, taken to be in `offset`. `None` only beyond the range
    /// of chrono's dates.
    pub fn assume_offset(&self, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
        let offset = self.offset.unwrap_or(offset);
        offset.from_local_datetime(&self.local).single()
    }

    fn parse(text: &str) -> Result<Self, TextError> {
        let mut parser = Parser::new("xs:dateTime", text);
        let date = parser.date()?;
        parser.expect('T', "date")?;
        let (time, fraction, end_of_day) = parser.time()?;
        let (offset, zero_zone) = parser.zone()?;
        let date = if end_of_day {
            date.succ_opt()
                .ok_or_else(|| parser.error("the day after is beyond the range this type holds"))?
        } else {
            date
        };
        Ok(XmlDateTime {
            local: date.and_time(time),
            offset,
            form: Form {
                fraction,
                zero_zone,
                end_of_day,
            },
        })
    }

    fn lexical(&self) -> String {
        let mut out = String::with_capacity(32);
        let mut date = self.local.date();
        if self.form.end_of_day && self.local.time() == NaiveTime::MIN {
            date = date.pred_opt().unwrap_or(date);
        }
        write_date(&mut out, date);
        out.push('T');
        write_time(&mut out, self.local.time(), self.form);
        write_zone(&mut out, self.offset, self.form);
        out
    }

    fn key(&self) -> Key {
        Key::new(self.local, self.offset)
    }
}

impl From<DateTime<FixedOffset>> for XmlDateTime {
    fn from(value: DateTime<FixedOffset>) -> Self {
        XmlDateTime::new(value.naive_local(), Some(*value.offset()))
    }
}

/// Written with `Z`.
impl From<DateTime<Utc>> for XmlDateTime {
    fn from(value: DateTime<Utc>) -> Self {
        XmlDateTime::new(value.naive_utc(), FixedOffset::east_opt(0))
    }
}

/// A value without a time zone.
impl From<NaiveDateTime> for XmlDateTime {
    fn from(value: NaiveDateTime) -> Self {
        XmlDateTime::new(value, None)
    }
}

lexical_value!(XmlDateTime, "xs:dateTime");

/// `xs:date` in the plain XSD mapping: a date, with the time zone it was written with or none. As a value it is
/// the day's first instant in that zone.
///
/// ```
/// use qps_runtime::xs::XmlDate;
/// let date: XmlDate = "2001-01-01Z".parse().unwrap();
/// assert_eq!(date.to_string(), "2001-01-01Z");
/// assert_eq!(date.naive(), chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap());
/// assert_ne!(date, "2001-01-01".parse().unwrap()); // a zoneless date is another value
/// ```
#[derive(Clone, Copy)]
pub struct XmlDate {
    date: NaiveDate,
    offset: Option<FixedOffset>,
    form: Form,
}

impl XmlDate {
    /// The date `date`, in the zone `offset` (cut to whole minutes) or in none.
    pub fn new(date: NaiveDate, offset: Option<FixedOffset>) -> Self {
        XmlDate {
            date,
            offset: offset.map(whole_minutes),
            form: Form::default(),
        }
    }

    /// The date as written.
    pub fn naive(&self) -> NaiveDate {
        self.date
    }

    /// The time zone, if the value has one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The day's first instant in its zone, if it has one.
    pub fn start(&self) -> Option<DateTime<FixedOffset>> {
        self.offset.and_then(|offset| {
            offset
                .from_local_datetime(&self.date.and_time(NaiveTime::MIN))
                .single()
        })
    }

    fn parse(text: &str) -> Result<Self, TextError> {
        let mut parser = Parser::new("xs:date", text);
        let date = parser.date()?;
        let (offset, zero_zone) = parser.zone()?;
        Ok(XmlDate {
            date,
            offset,
            form: Form {
                zero_zone,
                ..Form::default()
            },
        })
    }

    fn lexical(&self) -> String {
        let mut out = String::with_capacity(16);
        write_date(&mut out, self.date);
        write_zone(&mut out, self.offset, self.form);
        out
    }

    fn key(&self) -> Key {
        Key::new(self.date.and_time(NaiveTime::MIN), self.offset)
    }
}

/// A value without a time zone.
impl From<NaiveDate> for XmlDate {
    fn from(value: NaiveDate) -> Self {
        XmlDate::new(value, None)
    }
}

lexical_value!(XmlDate, "xs:date");

/// `xs:time` in the plain XSD mapping: a time of day, with the time zone it was written with or none. Times
/// compare as on one day (1972-12-31, as XSD 1.1 has it), after their zones are applied.
///
/// ```
/// use qps_runtime::xs::XmlTime;
/// let time: XmlTime = "13:20:00.50+01:00".parse().unwrap();
/// assert_eq!(time.to_string(), "13:20:00.50+01:00");
/// assert_eq!(time.to_utc(), chrono::NaiveTime::from_hms_milli_opt(12, 20, 0, 500));
/// assert_eq!(time, "12:20:00.5Z".parse().unwrap());
/// ```
#[derive(Clone, Copy)]
pub struct XmlTime {
    time: NaiveTime,
    offset: Option<FixedOffset>,
    form: Form,
}

impl XmlTime {
    /// The time `time`, in the zone `offset` (cut to whole minutes) or in none.
    pub fn new(time: NaiveTime, offset: Option<FixedOffset>) -> Self {
        XmlTime {
            time,
            offset: offset.map(whole_minutes),
            form: Form::of(time.nanosecond()),
        }
    }

    /// The time as written, in its own zone (`24:00:00` reads as midnight).
    pub fn naive(&self) -> NaiveTime {
        self.time
    }

    /// The time zone, if the value has one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The time of day in UTC, if the value has a zone.
    pub fn to_utc(&self) -> Option<NaiveTime> {
        self.offset.map(|offset| self.time - offset)
    }

    fn parse(text: &str) -> Result<Self, TextError> {
        let mut parser = Parser::new("xs:time", text);
        let (time, fraction, end_of_day) = parser.time()?;
        let (offset, zero_zone) = parser.zone()?;
        Ok(XmlTime {
            time,
            offset,
            form: Form {
                fraction,
                zero_zone,
                end_of_day,
            },
        })
    }

    fn lexical(&self) -> String {
        let mut out = String::with_capacity(24);
        write_time(&mut out, self.time, self.form);
        write_zone(&mut out, self.offset, self.form);
        out
    }

    fn key(&self) -> Key {
        Key::new(reference_date().and_time(self.time), self.offset)
    }
}

/// A value without a time zone.
impl From<NaiveTime> for XmlTime {
    fn from(value: NaiveTime) -> Self {
        XmlTime::new(value, None)
    }
}

lexical_value!(XmlTime, "xs:time");

#[cfg(test)]
mod tests;
