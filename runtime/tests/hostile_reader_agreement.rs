//! The reader from memory (`read_document`, `ItemStream::from_bytes`) and from a `BufRead` (`from_reader`,
//! `ItemStream::from_reader`, here over every buffer size from 1 to 16 bytes) give one verdict on the same
//! input, with the same typed error: encoding declarations, documents in other encodings (decoded as they are
//! streamed), bytes that are not UTF-8 or not valid in their encoding, and every limit, with where it broke.

use std::io::BufReader;

use qps_runtime::envelope::ItemStream;
use qps_runtime::xml::{
    DecodeError, Limit, Limits, ReadError, ReadErrorKind, XmlReader, from_reader, from_reader_with,
    read_document, read_document_with,
};

#[path = "support/item.rs"]
mod item;
use item::Item;

/// What `xml` reads as from memory and from a `BufRead` of every buffer size up to 16, under `limits`: the
/// kinds of the errors (as text) or the names read. Panics unless all agree.
fn verdict(xml: &[u8], limits: &Limits) -> Result<Option<String>, String> {
    let whole = read_document_with::<Item>(xml, limits).map(|item| item.name);
    let whole = whole.map_err(|e| e.kind().to_string());
    for capacity in 1..=16 {
        let chunked = from_reader_with::<Item, _>(BufReader::with_capacity(capacity, xml), limits)
            .map(|item| item.name)
            .map_err(|e| e.kind().to_string());
        assert_eq!(
            whole,
            chunked,
            "{:?} from memory and in {capacity}-byte chunks",
            String::from_utf8_lossy(xml)
        );
    }
    whole
}

fn malformed_utf8(error: &Result<Option<String>, String>) -> bool {
    matches!(error, Err(e) if e.contains("is not valid UTF-8"))
}

#[test]
fn a_garbled_encoding_declaration_is_refused_from_memory_and_from_a_bufread() {
    let xml = br#"<?xml version="1.0" encoding="UTbase="F-8"?><Item><name>a</name></Item>"#;
    let error = read_document::<Item>(xml).unwrap_err();
    assert!(
        matches!(error.kind(), ReadErrorKind::Decode(DecodeError::UnknownEncoding { label }) if label == "UTbase="),
        "{error}"
    );
    let refused = verdict(xml, &Limits::default());
    assert!(
        matches!(&refused, Err(e) if e.contains("\"UTbase=\"")),
        "{refused:?}"
    );
    // Declared UTF-8, or in another known encoding, both read it.
    let utf8 = br#"<?xml version="1.0" encoding="UTF-8"?><Item><name>a</name></Item>"#;
    assert_eq!(verdict(utf8, &Limits::default()), Ok(Some("a".into())));
    let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><Item><name>\xe9</name></Item>";
    assert_eq!(
        verdict(latin1, &Limits::default()),
        Ok(Some("\u{e9}".into()))
    );
}

#[test]
fn a_byte_that_is_not_utf8_anywhere_is_refused_from_memory_and_from_a_bufread() {
    for xml in [
        &b"<Item x=\"\xff\"><name>a</name></Item>"[..],
        b"<Item><skipped>a\xc3(b</skipped><name>a</name></Item>",
        b"<Item><skipped a=\"\xe2\x82\"/><name>a</name></Item>",
        b"<Item><name>a</name><!-- \xff --></Item>",
        b"<Item><name>a</name></Item>\n<!-- \xf0\x9f -->",
    ] {
        let error = read_document::<Item>(xml).unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ReadErrorKind::Decode(DecodeError::Malformed {
                    encoding: "UTF-8",
                    ..
                })
            ),
            "{}: {error}",
            String::from_utf8_lossy(xml)
        );
        assert!(malformed_utf8(&verdict(xml, &Limits::default())));
    }
    // The same documents in UTF-8 read.
    let fine = "<Item x=\"\u{e9}\"><skipped>\u{20ac}</skipped><name>\u{1f600}</name></Item>";
    assert_eq!(
        verdict(fine.as_bytes(), &Limits::default()),
        Ok(Some("\u{1f600}".into()))
    );
}

#[test]
fn the_malformed_byte_is_reported_where_it_is() {
    let xml = b"<Item x=\"ok\xff\"><name>a</name></Item>";
    let error = read_document::<Item>(xml).unwrap_err();
    assert_eq!(error.offset(), 11);
    assert_eq!(error.line_column(), Some((1, 12)));
    let error = from_reader::<Item, _>(BufReader::with_capacity(3, &xml[..])).unwrap_err();
    assert_eq!(error.offset(), 11);
}

const RECORDS: &[u8] = b"<ServiceResponse><responseCode>SUCCESS</responseCode><data>\
    <Item><name>a</name></Item><Item><name>b</name></Item>\
    <Item><name>c</name><note>\xff</note></Item>\
    <Item><name>d</name></Item></data></ServiceResponse>";

/// The records streamed from `xml` over the slice, then over a `BufRead` of each buffer size: the names read
/// before the stream ended, and whether it ended on an error.
fn streams(xml: &[u8]) -> Vec<(Vec<String>, bool)> {
    fn collect(stream: impl Iterator<Item = Result<Item, ReadError>>) -> (Vec<String>, bool) {
        let mut names = Vec::new();
        for item in stream {
            match item {
                Ok(item) => names.push(item.name.unwrap_or_default()),
                Err(_) => return (names, true),
            }
        }
        (names, false)
    }
    let mut all =
        vec![ItemStream::<_, Item>::from_bytes(xml, &["Item"]).map_or((vec![], true), collect)];
    for capacity in 1..=16 {
        let reader = BufReader::with_capacity(capacity, xml);
        all.push(
            ItemStream::<_, Item>::from_reader(reader, &["Item"]).map_or((vec![], true), collect),
        );
    }
    all
}

#[test]
fn a_record_stream_refuses_bad_utf8_at_the_record_holding_it_over_a_slice_and_a_bufread() {
    for stream in streams(RECORDS) {
        assert_eq!(stream, (vec!["a".to_owned(), "b".to_owned()], true));
    }
    // In the envelope before `<data>`: the stream does not open; after `</data>`: every record, then the error.
    let before = [&b"<ServiceResponse><x>\xff</x>"[..], &RECORDS[17..]].concat();
    for stream in streams(&before) {
        assert_eq!(stream, (vec![], true));
    }
    let after = b"<ServiceResponse><responseCode>SUCCESS</responseCode><data>\
        <Item><name>a</name></Item><Item><name>b</name></Item>\
        <Item><name>c</name></Item><Item><name>d</name></Item>\
        </data><x>\xff</x></ServiceResponse>";
    for stream in streams(after) {
        assert_eq!(
            stream,
            (["a", "b", "c", "d"].map(String::from).to_vec(), true)
        );
    }
}

fn limit_error(limit: Limit, max: usize) -> String {
    ReadErrorKind::LimitExceeded { limit, max }.to_string()
}

#[test]
fn every_limit_applies_from_memory_as_from_a_bufread() {
    let text = "y".repeat(100);
    let xml = format!("<Item><name>{text}</name></Item>");
    // A node of 100 bytes: refused under 99, read under 100.
    let tight = Limits::default().with_max_node_bytes(99);
    assert_eq!(
        verdict(xml.as_bytes(), &tight),
        Err(limit_error(Limit::NodeBytes, 99))
    );
    let exact = Limits::default().with_max_node_bytes(100);
    assert_eq!(verdict(xml.as_bytes(), &exact), Ok(Some(text.clone())));
    let error = read_document_with::<Item>(xml.as_bytes(), &tight).unwrap_err();
    assert_eq!(error.path(), ["Item", "name"]);
    // The whole document.
    let body = Limits::default().with_max_body_bytes(xml.len() - 1);
    assert_eq!(
        verdict(xml.as_bytes(), &body),
        Err(limit_error(Limit::BodyBytes, xml.len() - 1))
    );
    let body = Limits::default().with_max_body_bytes(xml.len());
    assert_eq!(verdict(xml.as_bytes(), &body), Ok(Some(text)));
    // A document in another encoding is bounded before it is decoded.
    let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><Item><name>\xe9</name></Item>";
    let body = Limits::default().with_max_body_bytes(latin1.len() - 1);
    assert_eq!(
        verdict(latin1, &body),
        Err(limit_error(Limit::BodyBytes, latin1.len() - 1))
    );
    // Attributes and depth.
    let attributes = b"<Item a=\"1\" b=\"2\" c=\"3\"><name>x</name></Item>";
    let two = Limits::default().with_max_attributes(2);
    assert_eq!(
        verdict(attributes, &two),
        Err(limit_error(Limit::Attributes, 2))
    );
    let deep = b"<Item><a><b><c/></b></a><name>x</name></Item>";
    let three = Limits::default().with_max_depth(3);
    assert_eq!(verdict(deep, &three), Err(limit_error(Limit::Depth, 3)));
    assert_eq!(
        verdict(deep, &Limits::default().with_max_depth(4)),
        Ok(Some("x".into()))
    );
}

#[test]
fn a_utf16_document_is_decoded_from_memory_and_from_a_bufread_of_any_buffer_size() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "<Item><name>é</name></Item>".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(
        verdict(&utf16, &Limits::default()),
        Ok(Some("é".to_owned()))
    );
}

/// `text` in `encoding`, with a byte order mark for UTF-16 (the only way a UTF-16 document is told).
fn encoded(text: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "UTF-16LE" | "UTF-16BE" => {
            let little = encoding == "UTF-16LE";
            let mut out = if little {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for unit in text.encode_utf16() {
                out.extend_from_slice(&if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            out
        }
        // Latin-1: every character here is below U+0100.
        _ => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect(),
    }
}

/// A response of `n` records named from `names` in turn, each with a skipped child, declared in `declared`.
fn response(declared: &str, names: &[&str], n: usize) -> (String, Vec<String>) {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"{declared}\"?>\n<ServiceResponse>\n  \
         <responseCode>SUCCESS</responseCode>\n  <count>{n}</count>\n  <data>\n"
    );
    let mut expected = Vec::new();
    for i in 0..n {
        let name = format!("{} {i}", names[i % names.len()]);
        xml.push_str(&format!(
            "    <Item id=\"{i}\"><other>d\u{e9}j\u{e0} vu</other><name>{name}</name></Item>\n"
        ));
        expected.push(name);
    }
    xml.push_str("  </data>\n</ServiceResponse>\n");
    (xml, expected)
}

/// The names a stream read, and the error it ended on (its kind as text, and its offset).
type Outcome = (Vec<String>, Option<(String, u64)>);

/// What streaming `xml` gives over the slice, then over a `BufRead` of each buffer size up to 16.
fn outcomes(xml: &[u8]) -> Vec<Outcome> {
    fn collect(
        stream: Result<impl Iterator<Item = Result<Item, ReadError>>, ReadError>,
    ) -> Outcome {
        let mut names = Vec::new();
        let failed = |e: ReadError| Some((e.kind().to_string(), e.offset()));
        match stream {
            Err(e) => (names, failed(e)),
            Ok(stream) => {
                for item in stream {
                    match item {
                        Ok(item) => names.push(item.name.unwrap_or_default()),
                        Err(e) => return (names, failed(e)),
                    }
                }
                (names, None)
            }
        }
    }
    let mut all = vec![collect(ItemStream::<_, Item>::from_bytes(xml, &["Item"]))];
    for capacity in 1..=16 {
        let reader = BufReader::with_capacity(capacity, xml);
        all.push(collect(ItemStream::<_, Item>::from_reader(
            reader,
            &["Item"],
        )));
    }
    all
}

#[test]
fn a_record_stream_over_another_encoding_yields_the_records_a_whole_read_gives() {
    // Some 400 records: the decoded text spans many of the decoder's buffers.
    for (declared, encoding, names) in [
        (
            "ISO-8859-1",
            "latin1",
            &["caf\u{e9}", "\u{fc}ber", "na\u{ef}ve \u{a9}"][..],
        ),
        (
            "windows-1252",
            "latin1",
            &["se\u{f1}or", "\u{c5}ngstr\u{f6}m"][..],
        ),
        (
            "UTF-16",
            "UTF-16LE",
            &["caf\u{e9} \u{20ac}", "\u{1f600} \u{4e2d}\u{6587}"][..],
        ),
        (
            "UTF-16",
            "UTF-16BE",
            &["\u{3b1}\u{3b2}\u{3b3}", "\u{1f680}"][..],
        ),
    ] {
        let (text, expected) = response(declared, names, 400);
        let bytes = encoded(&text, encoding);
        // The whole document, decoded at once, streams the same records read as UTF-8 (the decoded text keeps
        // its declaration, which `XmlReader::from_bytes` does not look at).
        let decoded = qps_runtime::xml::decode_document(&bytes).unwrap();
        let utf8 = ItemStream::<_, Item>::new(XmlReader::from_bytes(decoded.as_bytes()), &["Item"])
            .unwrap()
            .map(|item| item.map(|item| item.name.unwrap_or_default()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(utf8, expected, "{encoding}");
        for (i, outcome) in outcomes(&bytes).into_iter().enumerate() {
            assert_eq!(outcome, (expected.clone(), None), "{encoding}, reader {i}");
        }
    }
}

#[test]
fn an_unknown_encoding_is_refused_by_a_record_stream_naming_it() {
    let (text, _) = response("x-klingon", &["a"], 2);
    let expected = "the XML declaration names the encoding \"x-klingon\", which is not known";
    for outcome in outcomes(text.as_bytes()) {
        assert_eq!(outcome, (vec![], Some((expected.to_owned(), 0))));
    }
}

#[test]
fn a_sequence_the_encoding_cannot_decode_fails_at_its_record_naming_its_offset_in_the_source() {
    // A lone surrogate in the third record's name, in UTF-16LE: two bytes where the text has one character.
    let (text, expected) = response("UTF-16", &["ok"], 4);
    let third = text.match_indices("<name>").nth(2).unwrap().0 + "<name>".len();
    let mut bytes = encoded(&text[..third], "UTF-16LE");
    let at = bytes.len() as u64;
    bytes.extend_from_slice(&[0x00, 0xDC]);
    bytes.extend_from_slice(&encoded(&text[third..], "UTF-16LE")[2..]);
    let malformed = DecodeError::Malformed {
        encoding: "UTF-16LE",
        at: at as usize,
    };
    assert_eq!(
        qps_runtime::xml::decode_document(&bytes),
        Err(malformed.clone())
    );
    // A whole read refuses it at the same offset, from memory and from a `BufRead` (here a document of one
    // record, with the same bytes before the name).
    let mut item = encoded(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Item><name>",
        "UTF-16LE",
    );
    let item_at = item.len() as u64;
    item.extend_from_slice(&[0x00, 0xDC]);
    item.extend_from_slice(&encoded("</name></Item>", "UTF-16LE")[2..]);
    let malformed_item = DecodeError::Malformed {
        encoding: "UTF-16LE",
        at: item_at as usize,
    };
    let whole = read_document::<Item>(&item).unwrap_err();
    assert_eq!(
        (whole.kind().to_string(), whole.offset()),
        (malformed_item.to_string(), item_at)
    );
    for capacity in [1, 2, 3, 7, 4096] {
        let error =
            from_reader::<Item, _>(BufReader::with_capacity(capacity, &item[..])).unwrap_err();
        assert!(
            matches!(error.kind(), ReadErrorKind::Decode(e) if *e == malformed_item),
            "{capacity}: {error}"
        );
        assert_eq!(error.offset(), item_at, "{capacity}");
    }
    // A stream yields the records before it, then fails at the record holding it.
    for outcome in outcomes(&bytes) {
        assert_eq!(
            outcome,
            (expected[..2].to_vec(), Some((malformed.to_string(), at)))
        );
    }
    // An odd byte at the end: the last code unit is cut short.
    let (text, expected) = response("UTF-16", &["ok"], 2);
    let mut cut = encoded(&text, "UTF-16BE");
    cut.push(b'\n');
    let malformed = DecodeError::Malformed {
        encoding: "UTF-16BE",
        at: cut.len() - 1,
    };
    for outcome in outcomes(&cut) {
        assert_eq!(
            outcome,
            (
                expected.clone(),
                Some((malformed.to_string(), cut.len() as u64 - 1))
            )
        );
    }
}

#[test]
fn over_another_encoding_the_body_limit_counts_source_bytes_and_the_node_limit_utf8_bytes() {
    // Fifty `é`: 50 bytes in Latin-1, 100 in UTF-8; 100 code units in UTF-16.
    let name = "\u{e9}".repeat(50);
    let text =
        format!("<?xml version='1.0' encoding='ISO-8859-1'?><Item><name>{name}</name></Item>");
    let latin1 = encoded(&text, "latin1");
    assert_eq!(latin1.len() + 50, text.len());
    let exact = Limits::default().with_max_body_bytes(latin1.len());
    assert_eq!(verdict(&latin1, &exact), Ok(Some(name.clone())));
    let under = Limits::default().with_max_body_bytes(latin1.len() - 1);
    assert_eq!(
        verdict(&latin1, &under),
        Err(limit_error(Limit::BodyBytes, latin1.len() - 1))
    );
    let node = Limits::default().with_max_node_bytes(100);
    assert_eq!(verdict(&latin1, &node), Ok(Some(name.clone())));
    let node = Limits::default().with_max_node_bytes(99);
    assert_eq!(
        verdict(&latin1, &node),
        Err(limit_error(Limit::NodeBytes, 99))
    );
    let utf16 = encoded(&text.replace("ISO-8859-1", "UTF-16"), "UTF-16LE");
    let exact = Limits::default().with_max_body_bytes(utf16.len());
    assert_eq!(verdict(&utf16, &exact), Ok(Some(name.clone())));
    let under = Limits::default().with_max_body_bytes(utf16.len() - 1);
    assert_eq!(
        verdict(&utf16, &under),
        Err(limit_error(Limit::BodyBytes, utf16.len() - 1))
    );
    assert_eq!(
        verdict(&utf16, &Limits::default().with_max_node_bytes(100)),
        Ok(Some(name))
    );
    assert_eq!(
        verdict(&utf16, &Limits::default().with_max_node_bytes(99)),
        Err(limit_error(Limit::NodeBytes, 99))
    );
}

#[test]
fn a_node_over_the_limit_is_reported_where_it_starts() {
    let long = "y".repeat(300);
    let text = format!("<Item>\n  <name>{long}</name>\n</Item>");
    let attribute = format!("<Item>\n  <x a=\"{long}\"/><name>n</name>\n</Item>");
    let limits = Limits::default().with_max_node_bytes(100);
    for (xml, at, line_column) in [
        (text.clone(), text.find(&long).unwrap() as u64, (2, 9)),
        (
            attribute.clone(),
            attribute.find("<x").unwrap() as u64,
            (2, 3),
        ),
    ] {
        let whole = read_document_with::<Item>(xml.as_bytes(), &limits).unwrap_err();
        assert_eq!(
            (
                whole.kind().to_string(),
                whole.offset(),
                whole.line_column()
            ),
            (limit_error(Limit::NodeBytes, 100), at, Some(line_column)),
            "{xml}"
        );
        let serde = qps_runtime::xml::from_str_with::<Item>(&xml, &limits).unwrap_err();
        let serde = serde.read_error().unwrap();
        assert_eq!(
            (serde.offset(), serde.line_column()),
            (at, Some(line_column))
        );
        for capacity in (1..=16).chain([64, 4096]) {
            let chunked = from_reader_with::<Item, _>(
                BufReader::with_capacity(capacity, xml.as_bytes()),
                &limits,
            )
            .unwrap_err();
            assert_eq!(
                (chunked.kind().to_string(), chunked.offset()),
                (limit_error(Limit::NodeBytes, 100), at),
                "{capacity}-byte chunks: {xml}"
            );
        }
        // Decoded from Latin-1 (the text before the node is ASCII: the same offsets).
        let latin1 = format!("<?xml version='1.0' encoding='ISO-8859-1'?>{xml}");
        let at = at + 43;
        let whole = read_document_with::<Item>(latin1.as_bytes(), &limits).unwrap_err();
        assert_eq!(whole.offset(), at);
        for capacity in [1, 5, 4096] {
            let chunked = from_reader_with::<Item, _>(
                BufReader::with_capacity(capacity, latin1.as_bytes()),
                &limits,
            )
            .unwrap_err();
            assert_eq!(chunked.offset(), at, "{capacity}-byte chunks of Latin-1");
        }
    }
    // In a record stream, over a slice and over a `BufRead`, in UTF-8 and decoded.
    let body = format!(
        "<ServiceResponse><responseCode>SUCCESS</responseCode><data><Item><name>a</name></Item>\
         <Item><name>{long}</name></Item></data></ServiceResponse>"
    );
    let at = body.find(&long).unwrap() as u64;
    let slice = XmlReader::from_bytes(body.as_bytes()).with_limits(limits);
    let mut stream = ItemStream::<_, Item>::new(slice, &["Item"]).unwrap();
    assert!(stream.next().unwrap().is_ok());
    assert_eq!(stream.next().unwrap().unwrap_err().offset(), at);
    let latin1 = format!("<?xml version='1.0' encoding='ISO-8859-1'?>{body}");
    for xml in [body.as_bytes(), latin1.as_bytes()] {
        let at = at + (xml.len() - body.len()) as u64;
        for capacity in [1, 7, 4096] {
            let reader =
                XmlReader::from_headed(BufReader::with_capacity(capacity, xml), usize::MAX)
                    .unwrap()
                    .with_limits(limits);
            let mut stream = ItemStream::<_, Item>::new(reader, &["Item"]).unwrap();
            assert!(stream.next().unwrap().is_ok());
            let error = stream.next().unwrap().unwrap_err();
            assert_eq!(
                (limit_of(&error), error.offset()),
                (Some((Limit::NodeBytes, 100)), at),
                "{capacity}"
            );
        }
    }
}

fn limit_of(error: &ReadError) -> Option<(Limit, usize)> {
    match error.kind() {
        ReadErrorKind::LimitExceeded { limit, max } => Some((*limit, *max)),
        _ => None,
    }
}
