//! The reader from memory (`read_document`, `ItemStream::from_bytes`) and from a `BufRead` (`from_reader`,
//! `ItemStream::from_reader`, here over every buffer size from 1 to 16 bytes) give one verdict on the same
//! input, with the same typed error: encoding declarations, bytes that are not UTF-8, and every limit.

use std::io::BufReader;

use qps_runtime::envelope::ItemStream;
use qps_runtime::xml::{
    DecodeError, Limit, Limits, ReadError, ReadErrorKind, from_reader, from_reader_with,
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
fn a_record_stream_refuses_another_encoding_than_utf8_from_memory_and_from_a_bufread() {
    // A whole document is decoded (`read_document`); a record stream reads UTF-8 only and says so, before any
    // record, over a slice and however a `BufRead` splits the declaration.
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ServiceResponse>\
        <responseCode>SUCCESS</responseCode><data><Item><name>caf\xe9</name></Item></data></ServiceResponse>";
    fn error<S: qps_runtime::xml::XmlSource>(
        result: Result<ItemStream<S, Item>, ReadError>,
    ) -> String {
        match result {
            Ok(_) => panic!("the stream opened"),
            Err(e) => e.kind().to_string(),
        }
    }
    let expected = "the document is in ISO-8859-1, and record streams read UTF-8 only: read it whole \
        (read_document decodes it)";
    assert!(
        error(ItemStream::<_, Item>::from_bytes(latin1, &["Item"])).contains(expected),
        "{}",
        error(ItemStream::<_, Item>::from_bytes(latin1, &["Item"]))
    );
    for capacity in 1..=16 {
        let reader = BufReader::with_capacity(capacity, &latin1[..]);
        let found = error(ItemStream::<_, Item>::from_reader(reader, &["Item"]));
        assert!(found.contains(expected), "{capacity}-byte chunks: {found}");
    }
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "<ServiceResponse/>".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert!(error(ItemStream::<_, Item>::from_bytes(&utf16, &["Item"])).contains("UTF-16LE"));
    let reader = BufReader::with_capacity(1, &utf16[..]);
    assert!(error(ItemStream::<_, Item>::from_reader(reader, &["Item"])).contains("UTF-16LE"));
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
