use super::*;

fn dt(text: &str) -> XmlDateTime {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err<T: XmlText>(text: &str) -> String {
    match T::from_xml_text(text) {
        Ok(_) => panic!("{text} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn lexical_forms_are_kept() {
    for text in [
        "2020-03-05T23:04:10.047",
        "2020-03-05T23:04:10.0470",
        "2020-03-05T23:04:10.5",
        "2020-03-05T23:04:10",
        "2020-03-05T23:04:10Z",
        "2020-03-05T23:04:10+00:00",
        "2020-03-05T23:04:10-00:00",
        "2020-03-05T23:04:10.000000000000+05:30",
        "2020-03-05T23:04:10-14:00",
        "1999-12-31T24:00:00",
        "1999-12-31T24:00:00.000Z",
        "-0044-03-15T12:00:00",
        "12345-01-01T00:00:00",
        "0000-01-01T00:00:00",
    ] {
        assert_eq!(dt(text).to_xml_text(), text);
    }
    for text in [
        "2001-01-01Z",
        "2001-01-01",
        "2001-01-01+00:00",
        "-2001-01-01-05:00",
    ] {
        assert_eq!(XmlDate::from_xml_text(text).unwrap().to_xml_text(), text);
    }
    for text in [
        "13:20:00",
        "13:20:00.5Z",
        "24:00:00",
        "00:00:00-00:00",
        "23:59:59.999999999+14:00",
    ] {
        assert_eq!(XmlTime::from_xml_text(text).unwrap().to_xml_text(), text);
    }
}

#[test]
fn values_of_the_end_of_the_day() {
    assert_eq!(dt("1999-12-31T24:00:00"), dt("2000-01-01T00:00:00"));
    assert_eq!(
        dt("1999-12-31T24:00:00").naive(),
        NaiveDate::from_ymd_opt(2000, 1, 1)
            .unwrap()
            .and_time(NaiveTime::MIN)
    );
    let midnight = XmlTime::from_xml_text("24:00:00").unwrap();
    assert_eq!(midnight.naive(), NaiveTime::MIN);
}

#[test]
fn bad_forms_say_why() {
    let cases = [
        ("2020-3-05T00:00:00", "the month must have two digits"),
        (
            "20-03-05T00:00:00",
            "the year must have at least four digits",
        ),
        ("02020-03-05T00:00:00", "no leading zero"),
        ("2020-02-30T00:00:00", "there is no day 30 in that month"),
        ("2020-13-01T00:00:00", "there is no month 13"),
        ("2020-03-05", "expected `T` after the date"),
        ("2020-03-05T25:00:00", "there is no hour 25"),
        (
            "2020-03-05T24:00:01",
            "24:00:00 is the only time in hour 24",
        ),
        ("2020-03-05T23:60:00", "there is no minute 60"),
        ("2020-03-05T23:00:60", "there is no second 60"),
        (
            "2020-03-05T23:00:00.",
            "expected digits after the decimal point",
        ),
        ("2020-03-05T23:00:00.1234567891", "never rounds"),
        ("2020-03-05T23:00:00+15:00", "at most 14:00"),
        (
            "2020-03-05T23:00:00+0100",
            "the time zone's hours must have two digits",
        ),
        ("2020-03-05T23:00:00 ", "unexpected \" \""),
        ("2020-03-05T23:00:00Zulu", "unexpected \"Zulu\""),
        ("-0000-03-05T23:00:00", "-0000 is not a year"),
        ("999999999-01-01T00:00:00", "beyond the range"),
    ];
    for (text, reason) in cases {
        let message = err::<XmlDateTime>(text);
        assert!(
            message.starts_with(&format!("invalid xs:dateTime value {text:?}: ")),
            "{message}"
        );
        assert!(message.contains(reason), "{text}: {message}");
    }
    assert!(err::<XmlDate>("2001-01-01T00:00:00").contains("unexpected \"T00:00:00\""));
    assert!(err::<XmlTime>("1:00:00").contains("the hour must have two digits"));
}

#[test]
fn equality_and_order_follow_xsd() {
    // Zoned values are instants.
    assert_eq!(dt("2000-01-01T01:00:00+01:00"), dt("2000-01-01T00:00:00Z"));
    assert_eq!(dt("2000-01-01T00:00:00Z"), dt("2000-01-01T00:00:00-00:00"));
    assert!(dt("2000-01-01T00:59:59+01:00") < dt("2000-01-01T00:00:00Z"));
    // Zoneless values as they read; fraction digits are form, not value.
    assert_eq!(dt("2000-01-01T00:00:00.5"), dt("2000-01-01T00:00:00.500"));
    assert!(dt("2000-01-01T00:00:00") < dt("2000-01-01T00:00:00.001"));
    // A zoned value is never equal to a zoneless one, and within 14 hours of it in no order.
    assert_ne!(dt("2000-01-01T00:00:00"), dt("2000-01-01T00:00:00Z"));
    assert_eq!(
        dt("2000-01-01T00:00:00").partial_cmp(&dt("2000-01-01T13:59:59Z")),
        None
    );
    assert_eq!(
        dt("2000-01-01T00:00:00").partial_cmp(&dt("2000-01-01T14:00:01Z")),
        Some(Ordering::Less)
    );
    assert_eq!(
        dt("2000-01-01T14:00:01Z").partial_cmp(&dt("2000-01-01T00:00:00")),
        Some(Ordering::Greater)
    );
    assert_eq!(
        dt("2000-01-02T04:00:01").partial_cmp(&dt("2000-01-01T14:00:00Z")),
        Some(Ordering::Greater)
    );
    // Dates compare by their first instant, times on one day.
    let date = |t: &str| XmlDate::from_xml_text(t).unwrap();
    assert_eq!(date("2001-01-02+14:00"), date("2001-01-01-10:00"));
    assert!(date("2001-01-01Z") < date("2001-01-02Z"));
    assert_eq!(date("2001-01-01Z").partial_cmp(&date("2001-01-01")), None);
    let time = |t: &str| XmlTime::from_xml_text(t).unwrap();
    assert_eq!(time("13:00:00+01:00"), time("12:00:00Z"));
    assert!(time("00:30:00+01:00") < time("00:00:00Z"));
    assert_eq!(time("24:00:00"), time("00:00:00"));
    // Hashes agree with equality.
    let state = std::collections::hash_map::RandomState::new();
    let hash = |v: XmlDateTime| std::hash::BuildHasher::hash_one(&state, v);
    assert_eq!(
        hash(dt("2000-01-01T01:00:00+01:00")),
        hash(dt("2000-01-01T00:00:00.000Z"))
    );
}

#[test]
fn chrono_conversions() {
    let zoned = dt("2019-02-01T05:47:50.25+02:00");
    let chrono = zoned.to_fixed_offset().unwrap();
    assert_eq!(chrono.to_rfc3339(), "2019-02-01T05:47:50.250+02:00");
    assert_eq!(zoned.to_utc().unwrap().timestamp(), 1_548_992_870);
    assert_eq!(
        XmlDateTime::from(chrono).to_string(),
        "2019-02-01T05:47:50.25+02:00"
    );
    assert_eq!(
        XmlDateTime::from(chrono.with_timezone(&Utc)).to_string(),
        "2019-02-01T03:47:50.25Z"
    );
    let zoneless = dt("2019-02-01T05:47:50");
    assert_eq!(zoneless.to_fixed_offset(), None);
    let east = FixedOffset::east_opt(3600).unwrap();
    assert_eq!(
        zoneless.assume_offset(east).unwrap().to_rfc3339(),
        "2019-02-01T05:47:50+01:00"
    );
    assert_eq!(
        zoned
            .assume_offset(east)
            .unwrap()
            .offset()
            .local_minus_utc(),
        7200
    );
    let naive = zoneless.naive();
    assert_eq!(XmlDateTime::from(naive), zoneless);
    assert_eq!(XmlDateTime::from(naive).to_string(), "2019-02-01T05:47:50");
    // Offsets are whole minutes in XSD.
    let odd = FixedOffset::east_opt(3600 + 59).unwrap();
    assert_eq!(
        XmlDateTime::new(naive, Some(odd)).to_string(),
        "2019-02-01T05:47:50+01:00"
    );
    let date = XmlDate::new(naive.date(), FixedOffset::east_opt(-3600));
    assert_eq!(date.to_string(), "2019-02-01-01:00");
    assert_eq!(
        date.start().unwrap().to_rfc3339(),
        "2019-02-01T00:00:00-01:00"
    );
    let time = XmlTime::new(naive.time(), Some(east));
    assert_eq!(time.to_string(), "05:47:50+01:00");
    assert_eq!(time.to_utc(), NaiveTime::from_hms_opt(4, 47, 50));
    assert_eq!(XmlTime::from(NaiveTime::MIN).to_utc(), None);
}

#[test]
fn serde_is_the_lexical_form() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Holder {
        at: XmlDateTime,
    }
    let holder: Holder = serde::Deserialize::deserialize(serde::de::value::MapDeserializer::<
        _,
        serde::de::value::Error,
    >::new(
        [("at", "2020-03-05T23:04:10.047")].into_iter(),
    ))
    .unwrap();
    assert_eq!(holder.at.to_string(), "2020-03-05T23:04:10.047");
    assert_eq!(
        format!("{:?}", holder.at),
        "XmlDateTime(2020-03-05T23:04:10.047)"
    );
}
