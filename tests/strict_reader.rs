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
