//! The event reader on its own: text rules (trimming, CDATA, references, empty elements), skipping, errors with
//! positions, collections, `AnyElement`, and streaming the records of a `ServiceResponse`.
//!
//! `Item` is written the way the generator writes readers, with serde attributes beside it as the oracle.

use std::io::BufRead;

use qps_runtime::__private::serde_text;
use qps_runtime::envelope::ItemStream;
use qps_runtime::xml::{
    AnyElement, BytesStart, Collection, ElementName, FromXml, ReadError, ReadErrorKind,
    RootElement, XmlReader, XmlSource, from_reader, from_str, read_document,
};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagItem;

impl ElementName for TagItem {
    const ELEMENT: &'static str = "Tag";
}

#[derive(Debug, PartialEq, Default, Deserialize)]
struct Item {
    #[serde(rename = "@id", default, with = "serde_text::opt")]
    id: Option<i64>,
    #[serde(rename = "name", default, with = "serde_text::opt")]
    name: Option<String>,
    #[serde(rename = "count", default, with = "serde_text::opt")]
    count: Option<i64>,
    #[serde(rename = "value", default, with = "serde_text::vec")]
    value: Vec<i32>,
    #[serde(rename = "flag", default, with = "serde_text::opt")]
    flag: Option<bool>,
    #[serde(rename = "tags", default)]
    tags: Option<Collection<String, TagItem>>,
}

impl RootElement for Item {
    const ROOT: &'static str = "Item";
}

impl FromXml for Item {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut item = Item::default();
        for attribute in reader.attributes(start) {
            let (key, attribute) = attribute?;
            if key == b"id" {
                item.id = reader.attribute_opt(&attribute)?;
            }
        }
        let mut children = reader.children();
        while let Some(child) = children.next(reader)? {
            match child.local_name().as_ref() {
                b"name" => item.name = reader.leaf_opt(&child)?,
                b"count" => item.count = reader.leaf_opt(&child)?,
                b"value" => {
                    if let Some(value) = reader.leaf_item(&child)? {
                        item.value.push(value);
                    }
                }
                b"flag" => item.flag = reader.leaf_opt(&child)?,
                b"tags" => item.tags = reader.optional(&child)?,
                _ => reader.skip()?,
            }
        }
        Ok(item)
    }
}

/// Reads `xml` through the reader (from memory, and through a 3-byte `BufRead`) and through serde; all three must
/// agree.
fn read(xml: &str) -> Item {
    let direct: Item = read_document(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let buffered: Item = from_reader(std::io::BufReader::with_capacity(3, xml.as_bytes()))
        .unwrap_or_else(|e| panic!("buffered: {e}\n{xml}"));
    assert_eq!(direct, buffered, "{xml}");
    let serde: Item = from_str(xml).unwrap_or_else(|e| panic!("serde: {e}\n{xml}"));
    assert_eq!(direct, serde, "serde differs on {xml}");
    direct
}

#[test]
fn cdata_on_its_own_line_is_trimmed() {
    let item = read("<Item><name>\n    <![CDATA[  My App ]]>\n  </name></Item>");
    assert_eq!(item.name.as_deref(), Some("My App"));
    // Text and CDATA next to each other are one value.
    let item = read("<Item><name>a <![CDATA[<b>]]> c</name></Item>");
    assert_eq!(item.name.as_deref(), Some("a <b> c"));
}

#[test]
fn entity_references_keep_the_spaces_around_them() {
    let item = read("<Item><name>a &amp; b</name></Item>");
    assert_eq!(item.name.as_deref(), Some("a & b"));
    let item = read("<Item><name> &lt;x&gt; &#65;&#x42; &quot;q&apos; </name></Item>");
    assert_eq!(item.name.as_deref(), Some("<x> AB \"q'"));
    let item = read("<Item><name>&amp;</name></Item>");
    assert_eq!(item.name.as_deref(), Some("&"));
}

/// Every sequence of up to three pieces of leaf content (whitespace, text, CDATA, references, comments,
/// processing instructions, child elements, line ends that XML normalizes) reads alike from memory, through
/// `BufRead`s of several buffer sizes, and through serde where serde reads it; and the element is located
/// alike whatever whitespace precedes it.
#[test]
fn every_combination_of_text_pieces_reads_alike() {
    const PIECES: &[&str] = &[
        " ",
        "\n    ",
        "\t",
        "a",
        " b c ",
        "<![CDATA[ d ]]>",
        "<![CDATA[]]>",
        "<![CDATA[\n]]>",
        "&amp;",
        "&#x20;",
        "<!-- c -->",
        "<?pi x?>",
        "<i>skip</i>",
        "\r\n",
        "\r",
        "é\u{85}\u{2028}",
    ];
    let mut cases = vec![String::new()];
    for a in PIECES {
        cases.push((*a).to_owned());
        for b in PIECES {
            cases.push(format!("{a}{b}"));
            for c in PIECES {
                cases.push(format!("{a}{b}{c}"));
            }
        }
    }
    let mut serde_compared = 0;
    for content in &cases {
        for xml in [
            format!("<Item>\n  <flag>1</flag> <name>{content}</name>\r\n</Item>"),
            format!("<Item><count>{content}7</count>\n</Item>"),
        ] {
            let direct: Result<Item, _> = read_document(xml.as_bytes());
            for capacity in [1, 2, 5, 64] {
                let buffered: Result<Item, _> =
                    from_reader(std::io::BufReader::with_capacity(capacity, xml.as_bytes()));
                match (&direct, &buffered) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{xml:?}"),
                    (Err(a), Err(b)) => assert_eq!(
                        (a.kind().to_string(), a.path(), a.offset()),
                        (b.kind().to_string(), b.path(), b.offset()),
                        "{xml:?}"
                    ),
                    _ => panic!("{xml:?}: {direct:?} vs {buffered:?} (capacity {capacity})"),
                }
            }
            match (&direct, from_str::<Item>(&xml)) {
                (Ok(direct), Ok(serde)) => {
                    assert_eq!(direct, &serde, "serde differs on {xml:?}");
                    serde_compared += 1;
                }
                (Err(_), Err(_)) => {}
                // The reader skips child elements inside a leaf, where serde refuses them.
                (Ok(_), Err(_)) if content.contains("<i>") => {}
                (direct, serde) => panic!("{xml:?}: reader {direct:?}, serde {serde:?}"),
            }
        }
    }
    assert!(
        serde_compared > cases.len(),
        "{serde_compared} of {}",
        2 * cases.len()
    );

    // Errors locate the element whatever whitespace, comments or CDATA come before it.
    for before in [
        "",
        " ",
        "\n\t \r\n",
        "<!-- c -->\n ",
        "<![CDATA[x]]>",
        "<x/>\n",
        "<x a='1' />",
    ] {
        let xml = format!("<Item>{before}<count>x</count></Item>");
        let at = xml.find("<count>").unwrap() as u64;
        let err = read_document::<Item>(xml.as_bytes()).unwrap_err();
        assert_eq!(err.offset(), at, "{xml:?}");
        let err = from_reader::<Item, _>(std::io::BufReader::with_capacity(2, xml.as_bytes()))
            .unwrap_err();
        assert_eq!(err.offset(), at, "{xml:?}");
        let xml = format!("<Item>{before}<count a='1'/>{before}<count>x</count></Item>");
        let at = xml.rfind("<count>").unwrap() as u64;
        let err = read_document::<Item>(xml.as_bytes()).unwrap_err();
        assert_eq!(err.offset(), at, "{xml:?}");
    }
}

/// Whitespace after a self-closing child belongs to the parent, which may be collecting text; and offsets count
/// every byte of indentation, however it was skipped.
#[test]
fn whitespace_skipping_keeps_text_and_offsets() {
    struct Mixed {
        text: String,
        items: Vec<Item>,
    }
    impl RootElement for Mixed {
        const ROOT: &'static str = "m";
    }
    impl FromXml for Mixed {
        fn read<S: XmlSource>(
            reader: &mut XmlReader<S>,
            _: &BytesStart<'_>,
        ) -> Result<Self, ReadError> {
            let (mut text, mut items) = (String::new(), Vec::new());
            let mut children = reader.children();
            while let Some(child) = children.next_collecting(reader, &mut text)? {
                items.push(reader.element::<Item>(&child)?);
            }
            Ok(Mixed { text, items })
        }
    }
    let xml = "<m>a<Item/> b<Item id=\"1\"/>\n c<Item>\n  <name>\n    x\n  </name>\n</Item>  d <Item><count/></Item> e</m>";
    for mixed in [
        read_document::<Mixed>(xml.as_bytes()).unwrap(),
        from_reader::<Mixed, _>(std::io::BufReader::with_capacity(3, xml.as_bytes())).unwrap(),
    ] {
        assert_eq!(mixed.text, "a b\n c  d  e");
        assert_eq!(mixed.items.len(), 4);
        assert_eq!(mixed.items[1].id, Some(1));
        assert_eq!(mixed.items[2].name.as_deref(), Some("x"));
    }

    // A bad value after a thousand indented elements.
    let mut xml = String::from("<Item>\n");
    for i in 0..1000 {
        xml.push_str(&format!(
            "        <tags>\n                <list>\n                        <Tag> t{i} </Tag>\n                </list>\n        </tags>\r\n\t\t<unknown a='1'/>\n"
        ));
    }
    xml.push_str("                <count>\n                x\n                </count>\n</Item>\n");
    let at = xml.rfind("<count>").unwrap() as u64;
    let line = xml[..at as usize].matches('\n').count() + 1;
    let err = read_document::<Item>(xml.as_bytes()).unwrap_err();
    assert_eq!(
        (err.offset(), err.line_column()),
        (at, Some((line, 17))),
        "{err}"
    );
    for capacity in [7, 64, 8192] {
        let err =
            from_reader::<Item, _>(std::io::BufReader::with_capacity(capacity, xml.as_bytes()))
                .unwrap_err();
        assert_eq!(err.offset(), at, "capacity {capacity}: {err}");
    }
    // Malformed XML late in the document: the tokenizer's own error offset, moved on by the skipped bytes.
    let broken = xml.replace("</count>", "</cont>");
    let at = broken.rfind("</cont>").unwrap() as u64;
    let err = read_document::<Item>(broken.as_bytes()).unwrap_err();
    assert_eq!(err.offset(), at, "{err}");
    let err = from_reader::<Item, _>(std::io::BufReader::with_capacity(5, broken.as_bytes()))
        .unwrap_err();
    assert_eq!(err.offset(), at, "{err}");
}

#[test]
fn empty_elements() {
    // `<count/>` and `<count></count>`: absent for a number, empty for a string.
    let item = read("<Item><name/><count/></Item>");
    assert_eq!((item.name.as_deref(), item.count), (Some(""), None));
    let item = read("<Item><name></name><count></count><flag>  </flag></Item>");
    assert_eq!(
        (item.name.as_deref(), item.count, item.flag),
        (Some(""), None, None)
    );
    // An empty element in a repeated leaf is left out.
    let item = read("<Item><value>1</value><value/><value> 3 </value></Item>");
    assert_eq!(item.value, [1, 3]);
    // A required leaf that is empty is an error (both ways).
    let mut reader = XmlReader::from_bytes(b"<count/>");
    let mut top = reader.children();
    let start = top.next(&mut reader).unwrap().unwrap();
    let err = reader.leaf::<i64>(&start).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ReadErrorKind::Empty {
                expected: "xs:long"
            }
        ),
        "{err}"
    );
}

#[test]
fn numbers_with_spaces() {
    let item = read("<Item id=\" 42 \"><count>\n\t 7 \n</count><flag> true </flag></Item>");
    assert_eq!(
        (item.id, item.count, item.flag),
        (Some(42), Some(7), Some(true))
    );
}

#[test]
fn unknown_content_is_skipped() {
    let item = read(
        "<Item unknown=\"1\" xmlns:x=\"urn:x\" x:other=\"2\" id=\"5\">\
           <surprise a=\"b\"><deep><deeper>1</deeper><empty/></deep>text<![CDATA[<not-a-tag>]]></surprise>\
           <!-- a comment --><?pi data?>\
           <name>n</name><x:count>9</x:count>\
           <tags><count>2</count><list><Tag>a</Tag><Other><Tag>hidden</Tag></Other><Tag> b </Tag></list>\
           <unknownPart/></tags>\
         </Item>",
    );
    assert_eq!(item.id, Some(5));
    assert_eq!(item.name.as_deref(), Some("n"));
    // The local name matches, as in the serde path.
    assert_eq!(item.count, Some(9));
    let tags = item.tags.unwrap();
    assert_eq!(tags.count, Some(2));
    assert_eq!(tags.items(), ["a", "b"]);
}

#[test]
fn self_closing_elements_with_attributes() {
    let item = read("<Item id=\"3\"><tags a=\"1\"/><name b=\"2\"/></Item>");
    assert_eq!(item.id, Some(3));
    assert_eq!(item.tags, Some(Collection::new()));
    assert_eq!(item.name.as_deref(), Some(""));
    let item = read("<Item id=\"4\"/>");
    assert_eq!(
        item,
        Item {
            id: Some(4),
            ..Item::default()
        }
    );
}

#[test]
fn collections_keep_each_part() {
    let item = read("<Item><tags><count>0</count></tags></Item>");
    let tags = item.tags.unwrap();
    assert_eq!((tags.count, tags.list.is_none()), (Some(0), true));
    let item = read(
        "<Item><tags><list/><add><Tag>x</Tag></add><remove><Tag>y</Tag></remove></tags></Item>",
    );
    let tags = item.tags.unwrap();
    assert_eq!(tags.list, Some(vec![]));
    assert_eq!(tags.add, Some(vec!["x".to_owned()]));
    assert_eq!(tags.remove, Some(vec!["y".to_owned()]));
}

#[test]
fn any_element_reads_like_serde() {
    #[derive(Debug, PartialEq, Deserialize)]
    struct Holder {
        #[serde(rename = "$value", default)]
        any: Vec<AnyElement>,
    }
    impl RootElement for Holder {
        const ROOT: &'static str = "holder";
    }
    impl FromXml for Holder {
        fn read<S: XmlSource>(
            reader: &mut XmlReader<S>,
            _: &BytesStart<'_>,
        ) -> Result<Self, ReadError> {
            let mut any = Vec::new();
            let mut children = reader.children();
            while let Some(child) = children.next(reader)? {
                any.push(reader.element(&child)?);
            }
            Ok(Holder { any })
        }
    }
    let xml = "<holder><a x=\"1\" xml:lang=\"en\">  one <b/> two &amp; <![CDATA[three]]> </a><c><d>deep</d></c>\
               <e> simple </e><f>\n  <![CDATA[ data ]]>\n</f><g></g></holder>";
    let direct: Holder = read_document(xml.as_bytes()).unwrap();
    let serde: Holder = from_str(xml).unwrap();
    assert_eq!(direct, serde);
    let a = &direct.any[0];
    assert_eq!(a.name, "a");
    assert_eq!(
        a.attributes,
        [
            ("x".to_owned(), "1".to_owned()),
            ("xml:lang".to_owned(), "en".to_owned())
        ]
    );
    // Each run of text between children is trimmed, then the runs are joined.
    assert_eq!(a.text.as_deref(), Some("onetwo & three"));
    assert_eq!(direct.any[1].children[0].text.as_deref(), Some("deep"));
    let texts: Vec<_> = direct.any[2..].iter().map(|e| e.text.as_deref()).collect();
    assert_eq!(texts, [Some("simple"), Some("data"), None]);
}

/// Elements of the common `<name>text</name>` form are read ahead of the tokenizer; whatever reads them (a leaf,
/// a struct, a collection, `skip`) sees what the tokenizer's events would give.
#[test]
fn simple_elements_read_alike_whatever_reads_them() {
    let cases = [
        // A struct and a collection that find text instead of children; unknown elements.
        "<Item><tags>text</tags><unknown>x</unknown><name>n</name></Item>",
        "<Item><tags>\n  <![CDATA[text]]>\n</tags><unknown>\n<![CDATA[]]>\n</unknown></Item>",
        // End tags the tokenizer reads differently, case, names with a prefix, `>` in text.
        "<Item><name>a</name ><count>1</count ></Item>",
        "<Item><p:name>a > b</p:name><value>1</value><value>2</value></Item>",
        "<Item><name><![cdata[x]]></name></Item>",
        "<Item><name>\r\n<![CDATA[a\r\nb]]>\r\n</name></Item>",
        "<Item><name><![CDATA[x]]><![CDATA[y]]></name><flag><![CDATA[ true ]]></flag></Item>",
        "<Item><name>\u{e9}t\u{e9}</name><count>\u{a0}5</count></Item>",
    ];
    for xml in cases {
        let direct = read_document::<Item>(xml.as_bytes());
        let buffered = from_reader::<Item, _>(std::io::BufReader::with_capacity(2, xml.as_bytes()));
        let serde = from_str::<Item>(xml);
        match (&direct, &buffered) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{xml:?}"),
            (Err(a), Err(b)) => assert_eq!(
                (a.kind().to_string(), a.offset()),
                (b.kind().to_string(), b.offset()),
                "{xml:?}"
            ),
            _ => panic!("{xml:?}: {direct:?} vs {buffered:?}"),
        }
        if let (Ok(direct), Ok(serde)) = (&direct, &serde) {
            assert_eq!(direct, serde, "{xml:?}");
        }
    }
    // Not UTF-8: the same error, at the same place, both ways.
    let xml = b"<Item>\n  <name>a\xFFb</name></Item>";
    let direct = read_document::<Item>(xml).unwrap_err();
    let buffered = from_reader::<Item, _>(&xml[..]).unwrap_err();
    assert_eq!(
        (direct.kind().to_string(), direct.offset(), direct.path()),
        (
            buffered.kind().to_string(),
            buffered.offset(),
            buffered.path()
        )
    );
    assert_eq!(direct.offset(), 9);
}

#[test]
fn read_text_joins_and_trims() {
    let mut reader =
        XmlReader::from_bytes(b"<x>\n  a &amp; b <!-- c --> <![CDATA[ d ]]>\n</x><y/>".as_slice());
    let mut top = reader.children();
    assert!(top.next(&mut reader).unwrap().is_some());
    assert_eq!(reader.read_text().unwrap(), "a & b   d");
}

#[test]
fn errors_carry_offset_line_column_and_path() {
    let xml = "<Item>\n  <count>x</count>\n</Item>";
    let err = read_document::<Item>(xml.as_bytes()).unwrap_err();
    assert_eq!(err.path(), ["Item", "count"]);
    assert_eq!(err.offset(), 9);
    assert_eq!(err.line_column(), Some((2, 3)));
    assert!(matches!(err.kind(), ReadErrorKind::Text(_)));
    assert_eq!(
        err.to_string(),
        "invalid xs:long value \"x\": invalid digit found in string at /Item/count (byte 9, line 2, column 3)"
    );
    // From a BufRead: the offset, no line.
    let err = from_reader::<Item, _>(xml.as_bytes()).unwrap_err();
    assert_eq!((err.offset(), err.line_column()), (9, None));

    let err = read_document::<Item>(b"<Item id=\"x\"/>").unwrap_err();
    assert_eq!(err.path(), ["Item", "@id"]);

    let err = read_document::<Item>(b"<Item><name>a</nome></Item>").unwrap_err();
    assert!(matches!(err.kind(), ReadErrorKind::Xml(_)), "{err:?}");
    assert_eq!(err.path(), ["Item", "name"]);

    let err = read_document::<Item>(b"<Item><tags><list>").unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ReadErrorKind::UnexpectedEof | ReadErrorKind::Xml(_)
        ),
        "{err:?}"
    );

    let err = read_document::<Item>(b"<Item><name>&bogus;</name></Item>").unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");

    let err = read_document::<Item>(b"<Other/>").unwrap_err();
    assert!(matches!(
        err.kind(),
        ReadErrorKind::UnexpectedRoot {
            expected: "Item",
            ..
        }
    ));
    let err = read_document::<Item>(b"  <!-- nothing -->  ").unwrap_err();
    assert!(matches!(err.kind(), ReadErrorKind::NoRoot { .. }));
    // A byte-order mark and a declaration are fine.
    let item: Item =
        read_document(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<Item id=\"1\"/>").unwrap();
    assert_eq!(item.id, Some(1));
}

#[test]
fn xsi_nil_makes_an_optional_element_absent() {
    let item = read(
        "<Item xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <count xsi:nil=\"true\">5</count><tags xsi:nil=\"true\"><count>1</count></tags><name>n</name></Item>",
    );
    assert_eq!(
        (item.count, item.tags, item.name.as_deref()),
        (None, None, Some("n"))
    );
}

// -- streaming ---------------------------------------------------------------------------------------------------

const RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <responseCode>SUCCESS</responseCode>
  <count>3</count>
  <hasMoreRecords>true</hasMoreRecords>
  <lastId>12</lastId>
  <data>
    <Item id="10"><name><![CDATA[ ten ]]></name></Item>
    <Unrelated><Item id="99"/></Unrelated>
    <Item id="11"/>
    <Item id="12"><count>2</count></Item>
  </data>
</ServiceResponse>"#;

#[test]
fn a_response_streams_item_by_item() {
    let mut stream = ItemStream::<_, Item>::from_reader(
        std::io::BufReader::with_capacity(4, RESPONSE.as_bytes()),
        &["Item"],
    )
    .unwrap();
    let header = stream.header().clone();
    assert!(header.is_success());
    assert_eq!(
        (header.count, header.has_more_records, header.last_id),
        (Some(3), Some(true), Some(12))
    );
    let first = stream.next().unwrap().unwrap();
    assert_eq!((first.id, first.name.as_deref()), (Some(10), Some("ten")));
    let rest: Vec<Item> = stream.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(
        rest.iter().map(|i| i.id).collect::<Vec<_>>(),
        [Some(11), Some(12)]
    );
    assert!(stream.next().is_none());

    // From memory, the same.
    let all: Vec<Item> = ItemStream::from_bytes(RESPONSE.as_bytes(), &["Item"])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[test]
fn a_failed_or_empty_response_has_no_items() {
    let failed = "<ServiceResponse><responseCode>INVALID_REQUEST</responseCode>\
        <responseErrorDetails><errorMessage>\n <![CDATA[ bad & wrong ]]>\n</errorMessage>\
        <errorResolution/><internalErrorCodeId>7</internalErrorCodeId></responseErrorDetails></ServiceResponse>";
    let mut stream = ItemStream::<_, Item>::from_bytes(failed.as_bytes(), &["Item"]).unwrap();
    let header = stream.header();
    assert!(!header.is_success());
    assert_eq!(header.response_code, "INVALID_REQUEST");
    let details = header.error_details.clone().unwrap();
    assert_eq!(details.message.as_deref(), Some("bad & wrong"));
    assert_eq!((details.resolution, details.internal_code), (None, Some(7)));
    let err = header.status().into_error(200);
    assert_eq!(err.api_code(), Some("INVALID_REQUEST"));
    assert!(stream.next().is_none());

    let empty =
        "<ServiceResponse><responseCode>SUCCESS</responseCode><count>0</count></ServiceResponse>";
    let stream = ItemStream::<_, Item>::from_bytes(empty.as_bytes(), &["Item"]).unwrap();
    assert_eq!(stream.header().count, Some(0));
    assert_eq!(stream.count(), 0);

    let err = ItemStream::<_, Item>::from_bytes(b"<WasScan/>", &["Item"]).unwrap_err();
    assert!(matches!(err.kind(), ReadErrorKind::UnexpectedRoot { .. }));
    let err =
        ItemStream::<_, Item>::from_bytes(b"<ServiceResponse><data/></ServiceResponse>", &["Item"])
            .unwrap_err();
    assert!(matches!(
        err.kind(),
        ReadErrorKind::MissingElement {
            name: "responseCode",
            ..
        }
    ));
}

#[test]
fn a_bad_record_is_reported_with_its_path_and_ends_the_stream() {
    let body = RESPONSE.replace("<count>2</count>", "<count>two</count>");
    let mut stream = ItemStream::<_, Item>::from_bytes(body.as_bytes(), &["Item"]).unwrap();
    assert!(stream.next().unwrap().is_ok());
    assert!(stream.next().unwrap().is_ok());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.path(), ["ServiceResponse", "data", "Item", "count"]);
    assert!(stream.next().is_none());
}

#[test]
fn fields_after_data_update_the_header() {
    let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><data><Item id=\"1\"/></data>\
                <hasMoreRecords>false</hasMoreRecords></ServiceResponse>";
    let mut stream = ItemStream::<_, Item>::from_bytes(body.as_bytes(), &["Item"]).unwrap();
    assert_eq!(stream.header().has_more_records, None);
    assert_eq!(stream.by_ref().count(), 1);
    assert_eq!(stream.header().has_more_records, Some(false));
}

/// A response body produced on the fly, as a network stream would deliver it: the whole document never exists in
/// memory.
struct Generated {
    items: usize,
    next: usize,
    chunk: Vec<u8>,
    at: usize,
}

impl Generated {
    fn new(items: usize) -> Self {
        Generated {
            items,
            next: 0,
            chunk: b"<ServiceResponse><responseCode>SUCCESS</responseCode><data>".to_vec(),
            at: 0,
        }
    }
}

impl std::io::Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Generated {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at == self.chunk.len() {
            self.chunk.clear();
            self.at = 0;
            if self.next < self.items {
                let id = self.next;
                self.chunk.extend_from_slice(
                    format!(
                        "<Item id=\"{id}\"><name>item &amp; {id}</name><value>{id}</value></Item>\n"
                    )
                    .as_bytes(),
                );
            } else if self.next == self.items {
                self.chunk.extend_from_slice(b"</data></ServiceResponse>");
            }
            self.next += 1;
        }
        Ok(&self.chunk[self.at..])
    }
    fn consume(&mut self, amount: usize) {
        self.at += amount;
    }
}

#[test]
fn a_large_stream_is_read_without_holding_it() {
    let n = 100_000;
    let stream = ItemStream::<_, Item>::from_reader(Generated::new(n), &["Item"]).unwrap();
    let mut seen = 0usize;
    for (i, item) in stream.enumerate() {
        let item = item.unwrap();
        assert_eq!(item.id, Some(i as i64));
        assert_eq!(item.value, [i as i32]);
        seen += 1;
    }
    assert_eq!(seen, n);
}
