//! Drift recorded while reading: the elements and attributes the generated readers skip and the enumeration
//! values they keep as `Other`, each under its exact path, with counts, first values and the cap.

use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{
    Drift, DriftKind, XmlReader, read_document, read_document_with_drift,
};
use qualys_qps::was::wasscan::{ServiceResponse, WasScanStatus, WasScanType};

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="x.xsd">
  <responseCode>SUCCESS</responseCode>
  <count>2</count>
  <data>
    <WasScan flavour="new">
      <id>1</id>
      <type>NEW_KIND</type>
      <status>FINISHED</status>
      <futureField><nested>ignored</nested></futureField>
      <igs>
        <count>1</count>
        <list>
          <WasScanIg>
            <qid>6</qid>
            <aiSummary>text</aiSummary>
          </WasScanIg>
          <Unexpected/>
        </list>
        <pageToken>x</pageToken>
      </igs>
    </WasScan>
    <WasScan>
      <id>2</id>
      <type>LATER_KIND</type>
      <status>SOMETHING_ELSE</status>
      <futureField/>
    </WasScan>
  </data>
</ServiceResponse>"#;

fn entry(drift: &Drift, kind: DriftKind, path: &str) -> (u64, Option<String>) {
    let entry = drift
        .get(kind, path)
        .unwrap_or_else(|| panic!("no {kind} at {path} in\n{drift}"));
    (entry.count, entry.first_value.clone())
}

#[test]
fn unknown_elements_attributes_and_enum_values_are_recorded_at_their_paths() {
    let (value, drift) = read_document_with_drift::<ServiceResponse>(DOC.as_bytes()).unwrap();
    // Recording changes nothing about the value.
    let plain: ServiceResponse = read_document(DOC.as_bytes()).unwrap();
    assert_eq!(value, plain);
    let scans = &value.data.as_ref().unwrap().was_scan;
    assert_eq!(scans[0].r#type, Some(WasScanType::Other("NEW_KIND".into())));
    assert_eq!(
        scans[1].status,
        Some(WasScanStatus::Other("SOMETHING_ELSE".into()))
    );

    let scan = "ServiceResponse/data/WasScan";
    assert_eq!(
        entry(&drift, DriftKind::Element, &format!("{scan}/futureField")),
        (2, None)
    );
    assert_eq!(
        entry(&drift, DriftKind::Attribute, &format!("{scan}/@flavour")),
        (1, None)
    );
    assert_eq!(
        entry(&drift, DriftKind::EnumValue, &format!("{scan}/type")),
        (2, Some("NEW_KIND".into()))
    );
    assert_eq!(
        entry(&drift, DriftKind::EnumValue, &format!("{scan}/status")),
        (1, Some("SOMETHING_ELSE".into()))
    );
    assert_eq!(
        entry(
            &drift,
            DriftKind::Element,
            &format!("{scan}/igs/list/WasScanIg/aiSummary")
        ),
        (1, None)
    );
    assert_eq!(
        entry(
            &drift,
            DriftKind::Element,
            &format!("{scan}/igs/list/Unexpected")
        ),
        (1, None)
    );
    assert_eq!(
        entry(&drift, DriftKind::Element, &format!("{scan}/igs/pageToken")),
        (1, None)
    );
    // Nothing else: not the content of skipped elements, not the namespace declaration or `xsi:` attribute.
    assert_eq!(drift.entries().len(), 7, "{drift}");
    assert_eq!(drift.dropped(), 0);
    // In the order first met.
    assert_eq!(drift.entries()[0].path, format!("{scan}/@flavour"));
    assert_eq!(drift.entries()[1].path, format!("{scan}/type"));
}

#[test]
fn a_document_the_schema_fully_describes_has_no_drift() {
    let known = r#"<ServiceResponse><responseCode>SUCCESS</responseCode><data>
        <WasScan><id>1</id><type>VULNERABILITY</type><status>FINISHED</status></WasScan></data></ServiceResponse>"#;
    let (_, drift) = read_document_with_drift::<ServiceResponse>(known.as_bytes()).unwrap();
    assert!(drift.is_empty(), "{drift}");
}

#[test]
fn distinct_paths_are_capped_and_the_rest_counted() {
    let mut xml =
        String::from("<ServiceResponse><responseCode>SUCCESS</responseCode><data><WasScan>");
    for i in 0..300 {
        xml.push_str(&format!("<extra{i}/>"));
    }
    // A path already recorded is still counted after the cap is reached.
    xml.push_str("<extra0/><extra299/></WasScan></data></ServiceResponse>");
    let (_, drift) = read_document_with_drift::<ServiceResponse>(xml.as_bytes()).unwrap();
    assert_eq!(drift.entries().len(), Drift::CAP);
    assert_eq!(drift.dropped(), 300 - Drift::CAP as u64 + 1);
    assert_eq!(
        entry(
            &drift,
            DriftKind::Element,
            "ServiceResponse/data/WasScan/extra0"
        ),
        (2, None)
    );
    assert!(
        drift
            .get(DriftKind::Element, "ServiceResponse/data/WasScan/extra299")
            .is_none()
    );
}

#[test]
fn a_stream_reports_the_drift_of_its_records() {
    let mut reader = XmlReader::from_reader(std::io::BufReader::with_capacity(16, DOC.as_bytes()));
    reader.record_drift();
    let mut stream =
        ItemStream::<_, qualys_qps::was::wasscan::WasScan>::new(reader, &["WasScan"]).unwrap();
    let first = stream.next().unwrap().unwrap();
    assert_eq!(first.id, Some(1));
    let drift = stream.take_drift();
    let scan = "ServiceResponse/data/WasScan";
    assert_eq!(
        entry(&drift, DriftKind::EnumValue, &format!("{scan}/type")),
        (1, Some("NEW_KIND".into()))
    );
    assert!(
        drift
            .get(DriftKind::EnumValue, &format!("{scan}/status"))
            .is_none()
    );
    assert!(stream.next().unwrap().is_ok());
    assert!(stream.next().is_none());
    let rest = stream.take_drift();
    assert_eq!(
        entry(&rest, DriftKind::EnumValue, &format!("{scan}/status")),
        (1, Some("SOMETHING_ELSE".into()))
    );
    assert_eq!(
        entry(&rest, DriftKind::Element, &format!("{scan}/futureField")),
        (1, None)
    );
}

#[test]
fn without_recording_nothing_is_kept() {
    let mut reader = XmlReader::from_bytes(DOC.as_bytes());
    let _: ServiceResponse = reader.read_root().unwrap();
    assert!(!reader.records_drift());
    assert!(reader.take_drift().is_empty());
}
