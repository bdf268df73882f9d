//! Strictness through the generated readers: collecting a whole response and streaming its records agree on a
//! repeated single `data`, and what is not well-formed is an error on both.

use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{ReadError, ReadErrorKind, from_str, read_document};
use qualys_qps::was::finding::{Finding, ServiceResponse};

const TWO_DATA: &str = "<ServiceResponse><responseCode>SUCCESS</responseCode>\
    <data><Finding><id>1</id></Finding></data><data><Finding><id>2</id></Finding></data></ServiceResponse>";

fn is_repeated_data(error: &ReadError) -> bool {
    matches!(error.kind(), ReadErrorKind::RepeatedElement { name } if name == "data")
}

#[test]
fn a_second_data_element_is_an_error_collecting_and_streaming() {
    let error = read_document::<ServiceResponse>(TWO_DATA.as_bytes()).unwrap_err();
    assert!(is_repeated_data(&error), "{error}");
    assert_eq!(error.path(), ["ServiceResponse"]);
    let results: Vec<Result<Finding, ReadError>> =
        ItemStream::from_bytes(TWO_DATA.as_bytes(), &["Finding"])
            .unwrap()
            .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, Some(1));
    assert!(is_repeated_data(results[1].as_ref().unwrap_err()));
    // One `data` reads on both paths.
    let one = TWO_DATA.replace("</data><data>", "");
    let response = read_document::<ServiceResponse>(one.as_bytes()).unwrap();
    assert_eq!(response.data.map(|d| d.finding.len()), Some(2));
}

#[test]
fn malformed_responses_are_errors_through_the_generated_readers() {
    for xml in [
        "<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse><ServiceResponse/>",
        "<ServiceResponse a=\"1\" a=\"2\"><responseCode>SUCCESS</responseCode></ServiceResponse>",
        "<ServiceResponse><responseCode>SUC<b/>CESS</responseCode></ServiceResponse>",
        "<ServiceResponse><responseCode>SUCCESS</responseCod></ServiceResponse>",
    ] {
        assert!(
            read_document::<ServiceResponse>(xml.as_bytes()).is_err(),
            "{xml}"
        );
        if !xml.contains("<b/>") {
            assert!(from_str::<ServiceResponse>(xml).is_err(), "{xml}");
        }
    }
}

/// The records of `xml` streamed over the slice and over a `BufRead` in 5-byte chunks.
fn streamed(xml: &str) -> [Vec<Result<Finding, ReadError>>; 2] {
    let slice = ItemStream::from_bytes(xml.as_bytes(), &["Finding"])
        .map_or_else(|e| vec![Err(e)], Iterator::collect);
    let chunks = ItemStream::from_reader(
        std::io::BufReader::with_capacity(5, xml.as_bytes()),
        &["Finding"],
    )
    .map_or_else(|e| vec![Err(e)], Iterator::collect);
    [slice, chunks]
}

fn is_repeated(error: &ReadError, name: &str) -> bool {
    matches!(error.kind(), ReadErrorKind::RepeatedElement { name: found } if found == name)
}

#[test]
fn a_repeated_single_leaf_is_an_error_naming_it_collecting_and_streaming() {
    let xml = "<ServiceResponse><responseCode>SUCCESS</responseCode><data>\n\
        <Finding><id>1</id></Finding>\n\
        <Finding><id>2</id><qid>150</qid>\n<qid>151</qid></Finding>\n\
        </data></ServiceResponse>";
    let error = read_document::<ServiceResponse>(xml.as_bytes()).unwrap_err();
    assert!(is_repeated(&error, "qid"), "{error}");
    assert_eq!(error.path(), ["ServiceResponse", "data", "Finding"]);
    assert_eq!(error.line_column(), Some((4, 1)), "{error}");
    assert_eq!(
        error.to_string(),
        "element `qid` occurs twice, the schema allows it once at /ServiceResponse/data/Finding \
         (byte 124, line 4, column 1)"
    );
    let chunked = qualys_qps::runtime::xml::from_reader::<ServiceResponse, _>(
        std::io::BufReader::with_capacity(5, xml.as_bytes()),
    )
    .unwrap_err();
    assert!(is_repeated(&chunked, "qid"), "{chunked}");
    assert_eq!(chunked.offset(), error.offset());
    // serde refuses it too (a duplicate field).
    assert!(from_str::<ServiceResponse>(xml).is_err());
    for results in streamed(xml) {
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().id, Some(1));
        let error = results[1].as_ref().unwrap_err();
        assert!(is_repeated(error, "qid"), "{error}");
        assert_eq!(error.path(), ["ServiceResponse", "data", "Finding"]);
    }
    // Once, both read.
    let once = xml.replace("\n<qid>151</qid>", "");
    let response = read_document::<ServiceResponse>(once.as_bytes()).unwrap();
    let findings = response.data.unwrap().finding;
    assert_eq!(findings[1].qid, Some(150));
    for results in streamed(&once) {
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].as_ref().unwrap().qid, Some(150));
    }
}

#[test]
fn a_repeated_envelope_field_is_an_error_collecting_and_streaming() {
    for (xml, name) in [
        (
            "<ServiceResponse><responseCode>SUCCESS</responseCode><responseCode>FAIL</responseCode></ServiceResponse>",
            "responseCode",
        ),
        (
            "<ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count><data/><count>2</count></ServiceResponse>",
            "count",
        ),
        (
            "<ServiceResponse><responseCode>SUCCESS</responseCode><hasMoreRecords>true</hasMoreRecords>\
             <hasMoreRecords>false</hasMoreRecords></ServiceResponse>",
            "hasMoreRecords",
        ),
    ] {
        let error = read_document::<ServiceResponse>(xml.as_bytes()).unwrap_err();
        assert!(is_repeated(&error, name), "{xml}: {error}");
        for results in streamed(xml) {
            let error = results.last().unwrap().as_ref().unwrap_err();
            assert!(is_repeated(error, name), "{xml}: {error}");
        }
    }
}
