//! Every seed sample parses into the generated types of its schema and serializes back to a canonically equal
//! document; every request we serialize validates against its XSD with xmllint.

mod support;

use qualys_qps::runtime::xml::{from_str, read_document, to_string, write_document};

/// Parses `xml` as the ServiceRequest or ServiceResponse of `module::entity`, writes it back, and checks that
/// parsing the output gives the same value.
fn round_trip(module: &str, entity: &str, request: bool, xml: &str) -> Result<String, String> {
    macro_rules! via {
        ($m:path) => {{
            use $m as m;
            if request {
                let value: m::ServiceRequest = from_str(xml).map_err(|e| format!("parse: {e}"))?;
                let out = to_string(&value).map_err(|e| format!("write: {e}"))?;
                let again: m::ServiceRequest =
                    from_str(&out).map_err(|e| format!("reparse: {e}"))?;
                if again != value {
                    return Err(format!(
                        "value changed through a write and a read:\n{value:?}\n{again:?}"
                    ));
                }
                Ok(out)
            } else {
                let value: m::ServiceResponse = from_str(xml).map_err(|e| format!("parse: {e}"))?;
                let out = to_string(&value).map_err(|e| format!("write: {e}"))?;
                let again: m::ServiceResponse =
                    from_str(&out).map_err(|e| format!("reparse: {e}"))?;
                if again != value {
                    return Err(format!(
                        "value changed through a write and a read:\n{value:?}\n{again:?}"
                    ));
                }
                Ok(out)
            }
        }};
    }
    support::for_entity!(module, entity, via)
}

/// Reads `xml` with the event reader as the ServiceRequest or ServiceResponse of `module::entity`, and writes it
/// back with the generated writer.
fn write_back(module: &str, entity: &str, request: bool, xml: &str) -> Result<String, String> {
    macro_rules! via {
        ($m:path) => {{
            use $m as m;
            let read = |e: qualys_qps::runtime::xml::ReadError| format!("read: {e}");
            if request {
                let value: m::ServiceRequest = read_document(xml.as_bytes()).map_err(read)?;
                Ok(write_document(&value))
            } else {
                let value: m::ServiceResponse = read_document(xml.as_bytes()).map_err(read)?;
                Ok(write_document(&value))
            }
        }};
    }
    support::for_entity!(module, entity, via)
}

#[test]
fn every_seed_sample_is_written_back_by_the_writer() {
    let samples = support::seed_samples();
    let catalog = support::catalog();
    let mut failures = Vec::new();
    for sample in &samples {
        let (name, xml) = (&sample.file_name, &sample.text);
        let checked = write_back(&sample.module, &sample.entity, sample.request, xml)
            .map_err(|e| format!("{name}: {e}"))
            .and_then(|out| {
                support::assert_canonical_eq(xml, &out, name)?;
                if sample.request {
                    let xsd = support::schema_of(&catalog, &sample.module, &sample.entity);
                    support::xmllint_validate(&xsd, &out, name)?;
                }
                Ok(())
            });
        if let Err(e) = checked {
            failures.push(e);
        }
    }
    println!(
        "{}/{} seed samples written back by the generated writer",
        samples.len() - failures.len(),
        samples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_seed_sample_round_trips() {
    let samples = support::seed_samples();
    assert_eq!(
        samples.len(),
        support::SEED_SAMPLES,
        "expected every seed sample in tests/fixtures/seed"
    );
    let catalog = support::catalog();
    let mut failures = Vec::new();
    let mut requests_invalid = Vec::new();
    for sample in &samples {
        let (name, xml) = (&sample.file_name, &sample.text);
        match round_trip(&sample.module, &sample.entity, sample.request, xml) {
            Ok(out) => {
                if let Err(e) = support::assert_canonical_eq(xml, &out, name) {
                    failures.push(e);
                } else if sample.request {
                    let xsd = support::schema_of(&catalog, &sample.module, &sample.entity);
                    if let Err(e) = support::xmllint_validate(&xsd, &out, name) {
                        requests_invalid.push(e);
                    }
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!(
        "{}/{} seed samples round-trip",
        samples.len() - failures.len(),
        samples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        requests_invalid.is_empty(),
        "serialized requests fail the XSD:\n{}",
        requests_invalid.join("\n")
    );
}

#[test]
fn seed_values_arrive_typed() {
    use qualys_qps::common::ResponseCode;
    let xml = std::fs::read_to_string(
        support::root().join("tests/fixtures/seed/was-finding-get-1.response.xml"),
    )
    .unwrap();
    let response: qualys_qps::was::finding::ServiceResponse = from_str(&xml).unwrap();
    assert_eq!(response.response_code, ResponseCode::Success);
    let finding = &response.data.as_ref().unwrap().finding[0];
    // The CDATA sits on its own line in the sample: the value is the CDATA text alone.
    assert_eq!(
        finding.name.as_deref(),
        Some("External Form Actions Discovered")
    );
    assert_eq!(finding.group.as_ref().map(|g| g.as_str()), Some("IG_DIAG"));
    assert_eq!(finding.qid, Some(150014));

    let xml = std::fs::read_to_string(
        support::root().join("tests/fixtures/seed/saq-questionnairecampaign-get-1.response.xml"),
    )
    .unwrap();
    let response: qualys_qps::saq::questionnairecampaign::ServiceResponse = from_str(&xml).unwrap();
    let campaign = &response.data.as_ref().unwrap().questionnaire_campaign[0];
    let updated = campaign.updated.unwrap();
    assert_eq!(updated.to_rfc3339(), "2019-02-01T05:47:50+00:00");
}

#[test]
fn unknown_elements_attributes_and_enum_values_are_tolerated() {
    let xml = r#"<ServiceResponse extra="1">
        <responseCode>OBJECT_NOT_FOUND</responseCode>
        <responseErrorDetails><errorMessage>gone</errorMessage><newThing>x</newThing></responseErrorDetails>
        <count>1</count>
        <data><WebApp surprise="yes"><id> 7 </id><brandNew><deep>1</deep></brandNew>
          <scope>SOMETHING_NEW</scope><tags><count>0</count></tags></WebApp></data>
    </ServiceResponse>"#;
    let response: qualys_qps::was::webapp::ServiceResponse = from_str(xml).unwrap();
    assert_eq!(response.response_code.as_str(), "OBJECT_NOT_FOUND");
    assert!(!response.response_code.is_known());
    let app = &response.data.as_ref().unwrap().web_app[0];
    assert_eq!(app.id, Some(7));
    assert_eq!(app.scope.as_ref().unwrap().as_str(), "SOMETHING_NEW");
    assert_eq!(app.tags.as_ref().unwrap().count, Some(0));
    // An unknown enum value parses, but is refused before sending.
    use qualys_qps::runtime::xml::Validate;
    let err = app.validate().unwrap_err();
    assert_eq!(err.facet, "enumeration");
    assert_eq!(err.path, vec!["scope".to_owned()]);
}

#[test]
fn schema_defaults_apply_through_accessors() {
    use qualys_qps::was::webapp::{WebApp, WebAppScope};
    let absent: WebApp = from_str("<WebApp><id>1</id></WebApp>").unwrap();
    assert_eq!(absent.scope, None);
    assert_eq!(absent.scope_or_default(), WebAppScope::All);
    assert!(!absent.scanner_locked_or_default());
    let present: WebApp =
        from_str("<WebApp><scope>DOMAINS</scope><scannerLocked>1</scannerLocked></WebApp>")
            .unwrap();
    assert_eq!(present.scope_or_default(), WebAppScope::Domains);
    assert!(present.scanner_locked_or_default());
}

#[test]
fn empty_criteria_text_is_the_empty_string() {
    use qualys_qps::common::CriteriaOperator;
    use qualys_qps::was::webapp::ServiceRequest;
    let xml = r#"<ServiceRequest><filters><Criteria field="tags" operator="NONE"/></filters></ServiceRequest>"#;
    let request: ServiceRequest = from_str(xml).unwrap();
    let criteria = &request.filters.as_ref().unwrap().criteria[0];
    assert_eq!(criteria.operator, Some(CriteriaOperator::None));
    assert_eq!(criteria.value, "");
    let read: ServiceRequest = qualys_qps::runtime::xml::read_document(xml.as_bytes()).unwrap();
    assert_eq!(read, request);
}
