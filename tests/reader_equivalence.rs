//! The event reader and the serde mapping read every seed sample into equal values, and agree on documents
//! built to stress text handling (CDATA, references, whitespace, empty elements, unknown content).

mod support;

use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{FromXml, RootElement, from_reader, from_str, read_document};
use serde::de::DeserializeOwned;

/// Reads `xml` both ways as `T` and compares; `Ok(true)` when both succeed and agree.
fn both_ways<T>(xml: &str) -> Result<(), String>
where
    T: DeserializeOwned + FromXml + RootElement + PartialEq + std::fmt::Debug,
{
    let serde: T = from_str(xml).map_err(|e| format!("serde: {e}"))?;
    let direct: T = read_document(xml.as_bytes()).map_err(|e| format!("reader: {e}"))?;
    if serde != direct {
        return Err(format!(
            "values differ\nserde:  {serde:?}\nreader: {direct:?}"
        ));
    }
    // The same through a `BufRead`, in small pieces so events straddle buffer refills.
    let buffered: T = from_reader(std::io::BufReader::with_capacity(7, xml.as_bytes()))
        .map_err(|e| format!("reader (buffered): {e}"))?;
    if buffered != direct {
        return Err(format!(
            "buffered value differs\nslice:    {direct:?}\nbuffered: {buffered:?}"
        ));
    }
    Ok(())
}

/// Dispatches to the ServiceRequest or ServiceResponse of `module::entity`.
fn check(module: &str, entity: &str, request: bool, xml: &str) -> Result<(), String> {
    macro_rules! via {
        ($m:path) => {{
            use $m as m;
            if request {
                both_ways::<m::ServiceRequest>(xml)
            } else {
                both_ways::<m::ServiceResponse>(xml)
            }
        }};
    }
    support::for_entity!(module, entity, via)
}

#[test]
fn every_seed_sample_reads_the_same_both_ways() {
    let samples = support::seed_samples();
    assert_eq!(samples.len(), support::SEED_SAMPLES);
    let failures: Vec<String> = samples
        .iter()
        .filter_map(|s| {
            check(&s.module, &s.entity, s.request, &s.text)
                .err()
                .map(|e| format!("{}: {e}", s.file_name))
        })
        .collect();
    println!(
        "{}/{} seed samples read equal through serde and the event reader",
        samples.len() - failures.len(),
        samples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn tricky_text_reads_the_same_both_ways() {
    use qualys_qps::was::webapp::ServiceResponse;
    let cases = [
        // CDATA on its own line, entity references with spaces around them, character references.
        "<ServiceResponse><responseCode>SUCCESS</responseCode><data><WebApp>\
         <name>\n   <![CDATA[ My App ]]>\n  </name><url>a &amp; b</url><os> x&#x20;&lt;y&gt; </os>\
         </WebApp></data></ServiceResponse>",
        // Empty and whitespace-only leaves, numbers with spaces, a self-closing element with attributes.
        "<ServiceResponse><responseCode> SUCCESS </responseCode><count/><hasMoreRecords></hasMoreRecords>\
         <lastId>\n 12 \n</lastId><data><WebApp><id> 7 </id><name/><url>  </url>\
         <owner id=\"3\" extra=\"x\"/><tags><count/></tags></WebApp></data></ServiceResponse>",
        // Unknown attributes and nested unknown subtrees, comments and processing instructions.
        "<?xml version=\"1.0\"?><!-- c --><ServiceResponse extra=\"1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <responseCode>SUCCESS</responseCode><surprise a=\"b\"><deep><deeper>1</deeper></deep>text</surprise>\
         <data><WebApp unknown=\"1\"><brandNew><x/><y>2</y></brandNew><id><!-- n -->4<?pi x?>2</id>\
         <tags><count>1</count><list><Tag><id>1</id><name>t</name></Tag><Other/></list></tags></WebApp></data>\
         </ServiceResponse>",
        // xsi:nil on an optional element.
        "<ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><responseCode>SUCCESS</responseCode>\
         <count xsi:nil=\"true\">5</count><data><WebApp><owner xsi:nil=\"true\"><id>1</id></owner></WebApp></data>\
         </ServiceResponse>",
    ];
    for xml in cases {
        both_ways::<ServiceResponse>(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    }
    let response: ServiceResponse = read_document(cases[0].as_bytes()).unwrap();
    let app = &response.data.unwrap().web_app[0];
    assert_eq!(app.name.as_deref(), Some("My App"));
    assert_eq!(app.url.as_deref(), Some("a & b"));
    assert_eq!(app.os.as_deref(), Some("x <y>"));
    let response: ServiceResponse = read_document(cases[1].as_bytes()).unwrap();
    assert_eq!(response.count, None);
    assert_eq!(response.last_id, Some(12));
    let app = &response.data.unwrap().web_app[0];
    assert_eq!(app.id, Some(7));
    assert_eq!(app.name.as_deref(), Some(""));
    assert_eq!(app.tags.as_ref().unwrap().count, None);
}

#[test]
fn reader_errors_name_the_element_and_position() {
    use qualys_qps::was::webapp::ServiceResponse;
    let xml = "<ServiceResponse>\n  <responseCode>SUCCESS</responseCode>\n  <data>\n    <WebApp><id>seven</id></WebApp>\n  </data>\n</ServiceResponse>";
    let err = read_document::<ServiceResponse>(xml.as_bytes()).unwrap_err();
    assert_eq!(err.path(), ["ServiceResponse", "data", "WebApp", "id"]);
    assert_eq!(err.line_column(), Some((4, 13)));
    assert!(
        err.to_string().contains("invalid xs:long value \"seven\""),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("at /ServiceResponse/data/WebApp/id"),
        "{err}"
    );

    let missing = "<ServiceResponse><count>1</count></ServiceResponse>";
    let err = read_document::<ServiceResponse>(missing.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind().to_string(),
        "missing required element `responseCode` in `ServiceResponse`"
    );
    assert!(
        from_str::<ServiceResponse>(missing).is_err(),
        "serde refuses it too"
    );

    let wrong_root = "<ServiceRequest/>";
    let err = read_document::<ServiceResponse>(wrong_root.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind().to_string(),
        "document element is `ServiceRequest`, expected `ServiceResponse`"
    );
}

#[test]
fn a_generated_response_streams_record_by_record() {
    use qualys_qps::was::webapp::{ServiceResponse, WebApp};
    let sample = std::fs::read_to_string(
        support::root().join("tests/fixtures/seed/was-webapp-search-1.response.xml"),
    )
    .unwrap();
    let whole: ServiceResponse = read_document(sample.as_bytes()).unwrap();
    let stream = ItemStream::<_, WebApp>::from_reader(
        std::io::BufReader::new(sample.as_bytes()),
        &["WebApp"],
    )
    .unwrap();
    assert!(stream.header().is_success());
    assert_eq!(stream.header().count, whole.count.map(i64::from));
    assert_eq!(stream.header().has_more_records, whole.has_more_records);
    let items: Vec<WebApp> = stream.collect::<Result<_, _>>().unwrap();
    assert_eq!(items, whole.data.unwrap().web_app);
}
