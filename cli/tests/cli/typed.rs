//! Records and `--data` through the generated types, and the drift report, end to end.

use qps_testserver::{Fault, FaultRule, UnknownContent};
use qualys_qps::runtime::{CatalogEntity, EntityVisitor};

use crate::support::*;

struct Names;

impl EntityVisitor for Names {
    type Output = (&'static str, &'static str, &'static str);

    fn visit<E: CatalogEntity>(self) -> Self::Output {
        (E::MODULE, E::NAME, E::ELEMENT)
    }
}

#[test]
fn the_generated_dispatch_matches_the_catalog() {
    let mut listed: Vec<(String, String)> = Vec::new();
    for entity in catalog().entity {
        let found = qualys_qps::visit_entity(&entity.module, &entity.name, Names);
        assert_eq!(
            found,
            Some((
                entity.module.as_str(),
                entity.name.as_str(),
                entity.element.as_str()
            )),
            "{}/{}",
            entity.module,
            entity.name
        );
        listed.push((entity.module, entity.name));
    }
    let mut generated: Vec<(String, String)> = qualys_qps::ENTITIES
        .iter()
        .map(|(m, e)| (m.to_string(), e.to_string()))
        .collect();
    listed.sort();
    generated.sort();
    assert_eq!(
        generated, listed,
        "ENTITIES and schemas/endpoints.toml disagree"
    );
    assert_eq!(qualys_qps::visit_entity("was", "nosuch", Names), None);
}

#[test]
fn fields_keep_their_schema_type_in_every_record() {
    let server = server();
    server.generate_named("was", "webapp", 3).unwrap();
    // A name that looks like a number stays a string.
    let ids = server.generate_named("was", "webapp", 1).unwrap();
    server
        .patch_xml("was", "webapp", ids[0], "<WebApp><name>42</name></WebApp>")
        .unwrap();
    let records = lines(&ok(qps(&server).args(["was", "webapp", "search"])));
    assert_eq!(records.len(), 4);
    for record in &records {
        assert!(record["id"].is_i64(), "{record}");
        assert!(record["name"].is_string(), "{record}");
        assert!(record["createdDate"].is_string(), "{record}");
        if let Some(scheduled) = record.get("isScheduled") {
            assert!(scheduled.is_boolean(), "{record}");
        }
    }
    assert_eq!(records[3]["name"], "42");
}

/// For one entity of each module: the record `get --format json` prints, sent back with `update --data`, goes out
/// as XML that decodes to the same record.
#[test]
fn a_printed_record_is_valid_data_for_every_module() {
    let server = server();
    let dir = std::env::temp_dir().join(format!("qps-cli-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut modules: Vec<String> = Vec::new();
    for entity in catalog().entity {
        if modules.contains(&entity.module) {
            continue;
        }
        let takes_data =
            |a: &&Action| a.name == "update" && a.body.starts_with("data") && a.id != "none";
        let Some(update) = entity.action.iter().find(takes_data) else {
            continue;
        };
        let (m, e) = (entity.module.as_str(), entity.name.as_str());
        let ids = server.generate_named(m, e, 1).unwrap();
        let id = ids[0].to_string();
        let printed = ok(qps(&server).args([m, e, "get", &id, "--format", "json"]));
        let printed: serde_json::Value = serde_json::from_str(&printed).unwrap();
        let record = &printed[0];
        let file = dir.join(format!("{m}-{e}.json"));
        std::fs::write(&file, record.to_string()).unwrap();
        server.clear_requests();
        let (code, stdout, stderr) = run(qps(&server)
            .args([m, e, &update.name, &id, "--data"])
            .arg(&file));
        assert_eq!(code, 0, "{m}/{e} {}: {stderr}", update.name);
        // Whatever element the answer names its record with (am's is `AssetDataConnector`).
        let answered = lines(&stdout);
        assert_eq!(answered.len(), 1, "{m}/{e} {}: {stdout}", update.name);
        assert_eq!(
            answered[0]["id"], ids[0],
            "{m}/{e} {}: {stdout}",
            update.name
        );
        let sent = server.requests().remove(0).body;
        let open = format!("<{}>", entity.element);
        let close = format!("</{}>", entity.element);
        let (start, end) = (sent.find(&open).unwrap(), sent.rfind(&close).unwrap());
        let bare = dir.join(format!("{m}-{e}.xml"));
        std::fs::write(&bare, &sent[start..end + close.len()]).unwrap();
        let decoded = ok(bare_cmd()
            .args(["decode", &format!("{m}/{e}")])
            .arg(&bare)
            .args(["--format", "json"]));
        let decoded: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(
            &decoded[0], record,
            "{m}/{e}: the record sent is not the record printed"
        );
        modules.push(entity.module.clone());
    }
    modules.sort();
    assert_eq!(modules, ["am", "saq", "was"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_data_is_a_usage_error_naming_the_field_and_the_rule() {
    let server = server();
    let cases = [
        (
            r#"{"name": "x", "scope": "EVERYWHERE"}"#,
            "scope",
            "enumeration",
        ),
        (r#"{"name": "x", "nmae": "y"}"#, "nmae", "no such field"),
        (r#"{"id": "seven"}"#, "id", "xs:long"),
        (r#"{"owner": {"id": {"x": 1}}}"#, "owner.id", "invalid type"),
        (
            "<WebApp><name>x</name><nmae>y</nmae></WebApp>",
            "WebApp/nmae",
            "schema does not have it",
        ),
    ];
    for (data, path, rule) in cases {
        let (code, stdout, stderr) = run(qps(&server)
            .args(["was", "webapp", "create", "--data", "-"])
            .write_stdin(data));
        assert_eq!(code, 2, "{data}: {stderr}");
        assert!(stdout.is_empty(), "{data}: {stdout}");
        assert!(
            stderr.contains(path) && stderr.contains(rule),
            "{data}: {stderr}"
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing is sent when --data is wrong"
    );
}

#[test]
fn unknown_content_gets_a_drift_report_on_stderr() {
    let server = server();
    let ids = server.generate_named("was", "webapp", 2).unwrap();
    let (code, stdout, stderr) = run(qps(&server).args(["was", "webapp", "search"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "no report without drift");
    assert_eq!(lines(&stdout).len(), 2);

    server.inject(FaultRule::new(Fault::UnknownContent(
        UnknownContent::inside("WebApp")
            .element("aiVerdict", "7")
            .attribute("flavour", "next"),
    )));
    let (code, stdout, stderr) = run(qps(&server).args(["was", "webapp", "search"]));
    assert_eq!(code, 0, "{stderr}");
    let records = lines(&stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], ids[0]);
    assert!(records[0].get("aiVerdict").is_none(), "{}", records[0]);
    for expected in [
        "unknown element at ServiceResponse/data/WebApp/aiVerdict (2x)",
        "unknown attribute at ServiceResponse/data/WebApp/@flavour (2x)",
        "regenerate",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }

    // A call that is not a search reports too.
    server.inject(FaultRule::new(Fault::UnknownContent(
        UnknownContent::inside("WebApp").element("aiVerdict", "7"),
    )));
    let (code, _, stderr) = run(qps(&server).args(["was", "webapp", "get", &ids[1].to_string()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("aiVerdict (1x)"), "{stderr}");
}
