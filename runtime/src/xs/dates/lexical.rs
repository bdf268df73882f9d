//! The lexical forms of the date and time types: reading them (with errors that say what is wrong) and writing
//! them back, with what of the form the value does not hold.

use std::fmt;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};

use crate::xml::TextError;

/// How an offset of zero was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ZeroZone {
    #[default]
    Z,
    Plus,
    Minus,
}

/// What of a value's lexical form its value does not hold, so that it is written back as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Form {
    /// Digits after the decimal point of the seconds (none written when 0). Never fewer than the nanoseconds
    /// need.
    pub(super) fraction: u8,
    /// How an offset of zero is written.
    pub(super) zero_zone: ZeroZone,
    /// Whether a midnight is written as `24:00:00` of the day before.
    pub(super) end_of_day: bool,
}

impl Form {
    /// The form of a value built from chrono's: the fewest fraction digits that hold `nanos`, a zero offset as
    /// `Z`.
    pub(super) fn of(nanos: u32) -> Form {
        Form {
            fraction: fewest_fraction_digits(nanos),
            ..Form::default()
        }
    }
}

pub(super) fn fewest_fraction_digits(nanos: u32) -> u8 {
    let mut nanos = nanos % 1_000_000_000;
    if nanos == 0 {
        return 0;
    }
    let mut digits = 9;
    while nanos % 10 == 0 {
        nanos /= 10;
        digits -= 1;
    }
    digits
}

/// Reads the lexical forms, with errors that say what is wrong.
pub(super) struct Parser<'a> {
    what: &'static str,
    text: &'a str,
    rest: &'a str,
}

impl<'a> Parser<'a> {
    pub(super) fn new(what: &'static str, text: &'a str) -> Self {
        Parser {
            what,
            text,
            rest: text,
        }
    }

    pub(super) fn error(&self, reason: impl Into<String>) -> TextError {
        TextError::new(self.what, self.text).because(reason)
    }

    pub(super) fn eat(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    pub(super) fn expect(&mut self, c: char, after: &str) -> Result<(), TextError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{c}` after the {after}")))
        }
    }

    /// The run of ASCII digits that starts the rest.
    pub(super) fn digit_run(&mut self) -> &'a str {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        digits
    }

    /// Exactly two digits, for `field`.
    pub(super) fn two_digits(&mut self, field: &str) -> Result<u32, TextError> {
        let digits = self.digit_run();
        if digits.len() != 2 {
            return Err(self.error(format!("the {field} must have two digits")));
        }
        digits
            .parse()
            .map_err(|_| self.error(format!("the {field} must have two digits")))
    }

    /// `-?YYYY-MM-DD`: a year of four digits or more (no leading zero beyond four), month and day in range.
    pub(super) fn date(&mut self) -> Result<NaiveDate, TextError> {
        let negative = self.eat('-');
        let digits = self.digit_run();
        if digits.len() < 4 {
            return Err(self.error("the year must have at least four digits"));
        }
        if digits.len() > 4 && digits.starts_with('0') {
            return Err(self.error("a year of more than four digits has no leading zero"));
        }
        if negative && digits.bytes().all(|b| b == b'0') {
            return Err(self.error("-0000 is not a year"));
        }
        let out_of_range = || self.error("the year is beyond the range this type holds");
        let year: i32 = digits.parse().map_err(|_| out_of_range())?;
        let year = if negative { -year } else { year };
        if NaiveDate::from_ymd_opt(year, 1, 1).is_none() {
            return Err(out_of_range());
        }
        self.expect('-', "year")?;
        let month = self.two_digits("month")?;
        self.expect('-', "month")?;
        let day = self.two_digits("day")?;
        if !(1..=12).contains(&month) {
            return Err(self.error(format!("there is no month {month:02}")));
        }
        NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| self.error(format!("there is no day {day:02} in that month")))
    }

    /// `hh:mm:ss[.s+]`, or `24:00:00[.0+]` (the end of the day). The time, its fraction digits, and whether it
    /// was the end of the day (read as midnight).
    pub(super) fn time(&mut self) -> Result<(NaiveTime, u8, bool), TextError> {
        let hour = self.two_digits("hour")?;
        self.expect(':', "hour")?;
        let minute = self.two_digits("minute")?;
        self.expect(':', "minute")?;
        let second = self.two_digits("second")?;
        let (nanos, fraction) = if self.eat('.') {
            let digits = self.digit_run();
            if digits.is_empty() {
                return Err(self.error("expected digits after the decimal point"));
            }
            let fraction = u8::try_from(digits.len())
                .map_err(|_| self.error("more than 255 fraction digits"))?;
            let (kept, beyond) = digits.split_at(digits.len().min(9));
            if beyond.bytes().any(|b| b != b'0') {
                return Err(self.error(
                    "more than nine fraction digits: this type holds nanoseconds, and never rounds",
                ));
            }
            let scale = 10u32.pow(9 - kept.len() as u32);
            let nanos: u32 = kept
                .parse()
                .map_err(|_| self.error("expected digits after the decimal point"))?;
            (nanos * scale, fraction)
        } else {
            (0, 0)
        };
        if minute > 59 {
            return Err(self.error(format!("there is no minute {minute:02}")));
        }
        if second > 59 {
            return Err(self.error(format!("there is no second {second:02}")));
        }
        if hour == 24 {
            if minute != 0 || second != 0 || nanos != 0 {
                return Err(self.error("24:00:00 is the only time in hour 24"));
            }
            return Ok((NaiveTime::MIN, fraction, true));
        }
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
            .ok_or_else(|| self.error(format!("there is no hour {hour:02}")))?;
        Ok((time, fraction, false))
    }

    /// The optional zone: `Z`, `+hh:mm` or `-hh:mm`, at most 14:00 from UTC; then the end of the text.
    pub(super) fn zone(&mut self) -> Result<(Option<FixedOffset>, ZeroZone), TextError> {
        if self.rest.is_empty() {
            return Ok((None, ZeroZone::Z));
        }
        if self.rest == "Z" {
            self.rest = "";
            return Ok((FixedOffset::east_opt(0), ZeroZone::Z));
        }
        let sign = if self.eat('+') {
            1
        } else if self.eat('-') {
            -1
        } else {
            return Err(self.error(format!(
                "unexpected {:?} where a time zone (Z, +hh:mm, -hh:mm) or the end was expected",
                self.rest
            )));
        };
        let hours = self.two_digits("time zone's hours")?;
        self.expect(':', "time zone's hours")?;
        let minutes = self.two_digits("time zone's minutes")?;
        if !self.rest.is_empty() {
            return Err(self.error(format!("unexpected {:?} after the time zone", self.rest)));
        }
        if minutes > 59 || hours > 14 || (hours == 14 && minutes > 0) {
            return Err(self.error("a time zone is at most 14:00 from UTC"));
        }
        let seconds = sign * (hours * 3600 + minutes * 60) as i32;
        let zero = if sign < 0 {
            ZeroZone::Minus
        } else {
            ZeroZone::Plus
        };
        Ok((FixedOffset::east_opt(seconds), zero))
    }
}

pub(super) fn write_date(out: &mut String, date: NaiveDate) {
    use fmt::Write as _;
    let year = date.year();
    let _ = if year < 0 {
        write!(out, "-{:04}", -i64::from(year))
    } else {
        write!(out, "{year:04}")
    };
    let _ = write!(out, "-{:02}-{:02}", date.month(), date.day());
}

pub(super) fn write_time(out: &mut String, time: NaiveTime, form: Form) {
    use fmt::Write as _;
    let (mut hour, minute, mut second, mut nanos) =
        (time.hour(), time.minute(), time.second(), time.nanosecond());
    // chrono holds a leap second as nanoseconds past 10^9 in second 59.
    if nanos >= 1_000_000_000 {
        second += 1;
        nanos -= 1_000_000_000;
    }
    if form.end_of_day && time == NaiveTime::MIN {
        hour = 24;
    }
    let _ = write!(out, "{hour:02}:{minute:02}:{second:02}");
    if form.fraction > 0 {
        let digits = format!("{nanos:09}");
        let fraction = usize::from(form.fraction);
        out.push('.');
        out.push_str(&digits[..fraction.min(9)]);
        out.extend(std::iter::repeat_n('0', fraction.saturating_sub(9)));
    }
}

pub(super) fn write_zone(out: &mut String, offset: Option<FixedOffset>, form: Form) {
    use fmt::Write as _;
    let Some(offset) = offset else { return };
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        out.push_str(match form.zero_zone {
            ZeroZone::Z => "Z",
            ZeroZone::Plus => "+00:00",
            ZeroZone::Minus => "-00:00",
        });
        return;
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    let _ = write!(out, "{sign}{:02}:{:02}", minutes / 60, minutes % 60);
}
