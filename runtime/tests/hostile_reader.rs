//! Hostile and malformed input: every case is refused with a typed error saying what and where, or read with
//! bounded memory, through the event reader, the record stream and the serde path alike.

use std::io::BufReader;

use qps_runtime::envelope::ItemStream;
use qps_runtime::xml::{
    Limit, Limits, ReadError, ReadErrorKind, XmlReader, from_str, from_str_with, read_document,
};

#[path = "support/item.rs"]
mod item;
use item::Item;

fn many_attributes(n: usize) -> String {
    let mut xml = String::from("<Item");
    for i in 0..n {
        xml.push_str(&format!(" a{i}=\"{i}\""));
    }
    xml.push_str("><name>x</name></Item>");
    xml
}

fn limit_of(error: &ReadError) -> Option<(Limit, usize)> {
    match error.kind() {
        ReadErrorKind::LimitExceeded { limit, max } => Some((*limit, *max)),
        _ => None,
    }
}

#[test]
fn forty_thousand_attributes_are_refused_by_the_serde_path_with_the_limit_error() {
    let xml = many_attributes(40_000);
    assert!(xml.len() > 400_000);
    let error = from_str::<Item>(&xml).unwrap_err();
    let read = error.read_error().expect("refused before mapping");
    assert_eq!(limit_of(read), Some((Limit::Attributes, 512)));
    assert_eq!(read.line_column(), Some((1, 1)));
    assert!(error.to_string().contains("max_attributes"), "{error}");
}

#[test]
fn forty_thousand_attributes_are_read_by_the_event_reader_under_a_raised_limit() {
    let xml = many_attributes(40_000);
    let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
    assert_eq!(limit_of(&error), Some((Limit::Attributes, 512)));
    let item: Item = XmlReader::from_bytes(xml.as_bytes())
        .with_limits(Limits::default().with_max_attributes(50_000))
        .read_root()
        .unwrap();
    assert_eq!(item.name.as_deref(), Some("x"));
}

#[test]
fn the_serde_path_reads_an_element_with_attributes_up_to_the_limit() {
    let xml = many_attributes(500).replacen(" a0=\"0\"", " id=\"7\"", 1);
    let item: Item = from_str(&xml).unwrap();
    assert_eq!((item.id, item.name.as_deref()), (Some(7), Some("x")));
    let raised = Limits::default().with_max_attributes(2_000);
    let item: Item = from_str_with(&many_attributes(1_500), &raised).unwrap();
    assert_eq!(item.name.as_deref(), Some("x"));
}

#[test]
fn a_text_node_beyond_the_node_limit_is_refused_before_it_is_buffered() {
    let xml = format!("<Item><name>{}</name></Item>", "y".repeat(1 << 20));
    let limits = Limits::default().with_max_node_bytes(4096);
    let error = XmlReader::from_reader(BufReader::with_capacity(512, xml.as_bytes()))
        .with_limits(limits)
        .read_root::<Item>()
        .unwrap_err();
    assert_eq!(limit_of(&error), Some((Limit::NodeBytes, 4096)));
    assert_eq!(error.path(), ["Item", "name"]);
    let error = from_str_with::<Item>(&xml, &limits).unwrap_err();
    assert_eq!(
        error.read_error().and_then(limit_of),
        Some((Limit::NodeBytes, 4096))
    );
    // Within the limit, the same node reads.
    let item: Item = XmlReader::from_reader(BufReader::new(xml.as_bytes()))
        .with_limits(Limits::default())
        .read_root()
        .unwrap();
    assert_eq!(item.name.map(|n| n.len()), Some(1 << 20));
}

#[test]
fn text_inside_a_skipped_element_is_never_buffered() {
    // A megabyte of text (and some markup) in an element the reader does not know, under a node limit of 4 KiB:
    // skipping drops the text without buffering it, so the limit is never reached.
    let text = "z".repeat(1 << 20);
    let xml = format!(
        "<Item><unknown>{text}<deeper a=\"1\">{text}</deeper>{text}</unknown><name>n</name></Item>"
    );
    let limits = Limits::default().with_max_node_bytes(4096);
    let item: Item = XmlReader::from_reader(BufReader::with_capacity(512, xml.as_bytes()))
        .with_limits(limits)
        .read_root()
        .unwrap();
    assert_eq!(item.name.as_deref(), Some("n"));
    let item: Item = XmlReader::from_bytes(xml.as_bytes())
        .with_limits(limits)
        .read_root()
        .unwrap();
    assert_eq!(item.name.as_deref(), Some("n"));
}

#[test]
fn nesting_beyond_the_depth_limit_is_refused() {
    let depth = 10_000;
    let xml = format!(
        "<Item>{}{}</Item>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
    assert_eq!(limit_of(&error), Some((Limit::Depth, 256)));
    let error = from_str::<Item>(&xml).unwrap_err();
    assert_eq!(
        error.read_error().and_then(limit_of),
        Some((Limit::Depth, 256))
    );
    let shallow = format!("<Item>{}{}</Item>", "<x>".repeat(100), "</x>".repeat(100));
    read_document::<Item>(shallow.as_bytes()).unwrap();
    from_str::<Item>(&shallow).unwrap();
}

#[test]
fn a_body_beyond_the_body_limit_is_refused_by_the_serde_path() {
    let limits = Limits::default().with_max_body_bytes(16);
    let error =
        from_str_with::<Item>("<Item><name>long enough</name></Item>", &limits).unwrap_err();
    assert_eq!(
        error.read_error().and_then(limit_of),
        Some((Limit::BodyBytes, 16))
    );
}

fn is_duplicate_attribute(error: &ReadError) -> bool {
    matches!(
        error.kind(),
        ReadErrorKind::Xml(quick_xml::Error::InvalidAttr(
            quick_xml::events::attributes::AttrError::Duplicated(..)
        ))
    )
}

#[test]
fn duplicate_attributes_are_errors_on_read_and_skipped_elements() {
    for xml in [
        "<Item id=\"1\" id=\"2\"/>",
        "<Item><name a=\"1\" b=\"2\" a=\"3\">n</name></Item>",
        "<Item><other x=\"1\" x=\"1\"/></Item>",
    ] {
        let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
        assert!(is_duplicate_attribute(&error), "{xml}: {error}");
        let error = from_str::<Item>(xml).unwrap_err();
        let read = error
            .read_error()
            .unwrap_or_else(|| panic!("{xml}: {error}"));
        assert!(is_duplicate_attribute(read), "{xml}: {read}");
    }
    // Many attributes, the duplicate far apart.
    let xml = many_attributes(300).replacen("><name>", " a150=\"x\"><name>", 1);
    let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
    assert!(is_duplicate_attribute(&error), "{error}");
    assert!(from_str::<Item>(&xml).unwrap_err().read_error().is_some());
}

#[test]
fn content_after_the_document_element_is_an_error() {
    for (xml, found) in [
        ("<Item/><Item/>", "element `Item`"),
        ("<Item/>\n  trailing", "text \"trailing\""),
        ("<Item></Item><![CDATA[x]]>", "a CDATA section"),
    ] {
        let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
        match error.kind() {
            ReadErrorKind::TrailingContent { found: f } => assert_eq!(f, found, "{xml}"),
            other => panic!("{xml}: {other:?}"),
        }
        assert!(error.line_column().is_some());
        let error = from_str::<Item>(xml).unwrap_err();
        let read = error
            .read_error()
            .unwrap_or_else(|| panic!("{xml}: {error}"));
        assert!(
            matches!(read.kind(), ReadErrorKind::TrailingContent { .. }),
            "{xml}: {read}"
        );
        let error = XmlReader::from_reader(BufReader::with_capacity(3, xml.as_bytes()))
            .read_root::<Item>()
            .unwrap_err();
        assert!(
            matches!(error.kind(), ReadErrorKind::TrailingContent { .. }),
            "{xml}: {error}"
        );
    }
    // Comments, processing instructions and whitespace may follow.
    let fine = "<Item><name>n</name></Item>\n<!-- end -->\n<?pi x?>\n";
    assert_eq!(
        read_document::<Item>(fine.as_bytes())
            .unwrap()
            .name
            .as_deref(),
        Some("n")
    );
    assert_eq!(from_str::<Item>(fine).unwrap().name.as_deref(), Some("n"));
}

#[test]
fn mismatched_end_tags_are_errors() {
    for xml in [
        "<Item><name>n</nam></Item>",
        "<Item><other><a></b></other></Item>",
    ] {
        let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ReadErrorKind::Xml(quick_xml::Error::IllFormed(_))
            ),
            "{xml}: {error}"
        );
        assert!(
            from_str::<Item>(xml).unwrap_err().read_error().is_some(),
            "{xml}"
        );
    }
}

#[test]
fn a_child_element_inside_simple_content_is_an_error() {
    for xml in [
        "<Item><name>abc<b>x</b>def</name></Item>",
        "<Item><name><b/></name></Item>",
    ] {
        let error = read_document::<Item>(xml.as_bytes()).unwrap_err();
        match error.kind() {
            ReadErrorKind::ChildInSimpleContent { found } => assert_eq!(found, "b"),
            other => panic!("{xml}: {other:?}"),
        }
        assert_eq!(error.path(), ["Item", "name"]);
        let error = XmlReader::from_reader(BufReader::with_capacity(4, xml.as_bytes()))
            .read_root::<Item>()
            .unwrap_err();
        assert!(matches!(
            error.kind(),
            ReadErrorKind::ChildInSimpleContent { .. }
        ));
    }
}

const TWO_DATA: &str = "<ServiceResponse><responseCode>SUCCESS</responseCode>\
    <data><Item><name>a</name></Item></data><data><Item><name>b</name></Item></data></ServiceResponse>";

#[test]
fn a_second_data_element_is_an_error_when_streaming() {
    let results: Vec<Result<Item, ReadError>> =
        ItemStream::from_bytes(TWO_DATA.as_bytes(), &["Item"])
            .unwrap()
            .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().name.as_deref(), Some("a"));
    let error = results[1].as_ref().unwrap_err();
    match error.kind() {
        ReadErrorKind::RepeatedElement { name } => assert_eq!(name, "data"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn streaming_checks_what_follows_the_envelope() {
    let xml = "<ServiceResponse><responseCode>SUCCESS</responseCode><data><Item/></data></ServiceResponse><x/>";
    let results: Vec<Result<Item, ReadError>> =
        ItemStream::from_reader(BufReader::new(xml.as_bytes()), &["Item"])
            .unwrap()
            .collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(
        results[1].as_ref().unwrap_err().kind(),
        ReadErrorKind::TrailingContent { .. }
    ));
}

#[test]
fn a_stream_under_a_node_limit_refuses_a_huge_record_field() {
    let xml = format!(
        "<ServiceResponse><responseCode>SUCCESS</responseCode><data><Item><name>{}</name></Item></data></ServiceResponse>",
        "q".repeat(1 << 20)
    );
    let reader = XmlReader::from_reader(BufReader::with_capacity(256, xml.as_bytes()))
        .with_limits(Limits::default().with_max_node_bytes(1024));
    let mut stream = ItemStream::<_, Item>::new(reader, &["Item"]).unwrap();
    let error = stream.next().unwrap().unwrap_err();
    assert_eq!(limit_of(&error), Some((Limit::NodeBytes, 1024)));
    assert!(stream.next().is_none());
}
