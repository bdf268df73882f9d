//! The benchmark corpus is what it claims to be: valid against the WAS schemas (checked by xmllint), and read to
//! equal values by the event reader (whole and record by record) and the serde mapping.

use std::path::Path;

use qps_bench::{Kind, MB, Plan, SEED};
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{from_str, read_document};

fn xmllint_validate(kind: Kind, xml: &[u8]) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(kind.schema());
    if let Err(e) = qps_xmllint::validate(&schema, xml) {
        let lines: Vec<&str> = e.lines().take(20).collect();
        panic!("{} sample is not valid:\n{}", kind.name(), lines.join("\n"));
    }
}

#[test]
fn one_megabyte_findings_are_valid_and_read_alike() {
    use qualys_qps::was::finding::{Finding, ServiceResponse};
    let plan = Plan::new(Kind::Findings, MB, SEED);
    let xml = plan.document();
    xmllint_validate(Kind::Findings, &xml);

    let direct: ServiceResponse = read_document(&xml).unwrap();
    let serde: ServiceResponse = from_str(std::str::from_utf8(&xml).unwrap()).unwrap();
    assert_eq!(direct, serde);
    assert_eq!(direct.count, Some(plan.records as i32));
    let findings = direct.data.unwrap().finding;
    assert_eq!(findings.len(), plan.records);

    // The corpus exercises what it is meant to.
    let payload = findings
        .iter()
        .filter_map(|f| f.result_list.as_ref()?.list.as_ref()?.first())
        .filter_map(|r| r.payloads.as_ref()?.list.as_ref()?.first())
        .find(|p| p.payload_responce.is_some())
        .expect("payloads with payloadResponce");
    assert!(payload.response.as_ref().unwrap().len() > 500);
    assert!(
        findings
            .iter()
            .any(|f| f.cwe.as_ref().is_some_and(|c| c.list.is_some()))
    );
    assert!(findings.iter().any(|f| f.cvss_v3.is_some()));
    assert!(findings.iter().any(|f| f.ssl_data.is_some()));

    let streamed: Vec<Finding> = ItemStream::from_reader(&xml[..], &["Finding"])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(streamed, findings);
}

#[test]
fn one_megabyte_web_apps_are_valid_and_read_alike() {
    use qualys_qps::was::webapp::ServiceResponse;
    let plan = Plan::new(Kind::WebApps, MB, SEED);
    let xml = plan.document();
    xmllint_validate(Kind::WebApps, &xml);

    let direct: ServiceResponse = read_document(&xml).unwrap();
    let serde: ServiceResponse = from_str(std::str::from_utf8(&xml).unwrap()).unwrap();
    assert_eq!(direct, serde);
    let apps = direct.data.unwrap().web_app;
    assert_eq!(apps.len(), plan.records);
    assert!(apps.iter().any(|a| a.screenshot.is_some()));
    assert!(apps.iter().any(|a| a.malware_scheduling.is_some()));
    assert!(apps.iter().any(|a| {
        a.crawling_scripts
            .as_ref()
            .is_some_and(|c| c.list.is_some())
    }));
}
