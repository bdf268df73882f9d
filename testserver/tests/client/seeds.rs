//! The seed samples (`tests/fixtures/seed`), both ways:
//! - each request sample is built with the typed API (endpoint structs, typed criteria, entity structs,
//!   `Collection::{set, add}`), and the body the endpoint writes is canonically equal to the sample;
//! - each response sample, stored in the server, comes back through the client as the typed value parsed
//!   straight from the sample.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use qualys_qps::am::awsassetdataconnector as am;
use qualys_qps::prelude::*;
use qualys_qps::runtime::{Collection, Endpoint};
use qualys_qps::saq::{questionnaire, questionnairecampaign as campaign};
use qualys_qps::was::{finding, optionprofile, wasscan, wasscanschedule, webapp};

use crate::support::{HasId, Qps, assert_canonical_eq, date, only};

/// A seed sample file.
struct Sample {
    /// `was-webapp-search-1`.
    stem: String,
    module: String,
    entity: String,
    action: String,
    text: String,
}

fn samples(suffix: &str) -> Vec<Sample> {
    let dir = qps_testserver::seed_dir();
    let mut found: Vec<Sample> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_owned();
            let stem = name.strip_suffix(suffix)?.to_owned();
            let parts: Vec<&str> = stem.split('-').collect();
            let [module, entity, action, _] = parts[..] else {
                panic!("{name}: not <module>-<entity>-<action>-<n>{suffix}");
            };
            Some(Sample {
                module: module.to_owned(),
                entity: entity.to_owned(),
                action: action.to_owned(),
                text: std::fs::read_to_string(&path).unwrap(),
                stem,
            })
        })
        .collect();
    found.sort_by(|a, b| a.stem.cmp(&b.stem));
    found
}

// ----- the seed requests, built with the typed API ---------------------------------------------------------

fn webapp_search_1() -> webapp::endpoints::Search {
    webapp::endpoints::Search::new()
        .preferences(webapp::ServiceRequestPreferences {
            verbose: Some(true),
            ..Default::default()
        })
        .filter(webapp::filter::Name.contains("My Web Application"))
}

fn campaign_search_1() -> campaign::endpoints::Search {
    campaign::endpoints::Search::new().filter(
        campaign::filter::Name.equals("NCSC Basic Cyber Security Controls (BCSC) Version 1.0"),
    )
}

fn campaign_count_1() -> campaign::endpoints::Count {
    campaign::endpoints::Count::new()
        .filter(campaign::filter::Status.equals(campaign::filter::StatusValue::Complete))
}

fn questionnaire_search_1() -> questionnaire::endpoints::Search {
    questionnaire::endpoints::Search::new()
        .filter(questionnaire::filter::State.equals(questionnaire::filter::StateValue::Approval))
}

fn option_profile() -> optionprofile::OptionProfile {
    optionprofile::OptionProfile {
        name: Some("Sample Option Profile With XSS Payloads".into()),
        detection: Some(optionprofile::OptionProfileDetection {
            detection_scope: Some(optionprofile::OptionProfileDetectionDetectionScope::Core),
            enable_xss_payloads: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn auth_record(id: i64) -> Option<am::AwsAuthRecordSimple> {
    Some(am::AwsAuthRecordSimple {
        id: Some(id),
        ..Default::default()
    })
}

fn region(code: &str) -> am::AwsEndpointSimple {
    am::AwsEndpointSimple {
        region_code: vec![code.to_owned()],
    }
}

fn user(id: i64) -> Option<campaign::User> {
    Some(campaign::User {
        id: Some(id),
        ..Default::default()
    })
}

fn notification(
    enabled: bool,
    interval: Option<i32>,
    no_of_days: Option<i32>,
) -> Option<campaign::Notification> {
    Some(campaign::Notification {
        enabled: Some(enabled),
        interval,
        no_of_days,
    })
}

/// The path and body an endpoint produces.
fn wire<E: Endpoint>(endpoint: &E) -> (String, String) {
    let body = endpoint
        .body()
        .unwrap_or_else(|e| panic!("{}: {e}", endpoint.path()))
        .expect("a body");
    (endpoint.path(), body)
}

/// The typed call that sends the request sample `stem`: its path and body.
fn typed_request(stem: &str) -> (String, String) {
    match stem {
        "am-awsassetdataconnector-create-1" => {
            wire(&am::endpoints::Create::new(am::AwsAssetDataConnector {
                name: Some("gov-cloud".into()),
                activation: Some(Collection::set([
                    am::ActivationModule::Vm,
                    am::ActivationModule::Pc,
                ])),
                is_gov_cloud_configured: Some(true),
                auth_record: auth_record(134601),
                all_regions: Some(false),
                disabled: Some(false),
                ..Default::default()
            }))
        }
        "am-awsassetdataconnector-create-2" => {
            wire(&am::endpoints::Create::new(am::AwsAssetDataConnector {
                name: Some("cn-connl".into()),
                auth_record: auth_record(132601),
                endpoints: Some(Collection::add([
                    region("cn-north-1"),
                    region("cn-northwest-1"),
                ])),
                is_china_configured: Some(true),
                disabled: Some(false),
                ..Default::default()
            }))
        }
        "am-awsassetdataconnector-create-3" => {
            wire(&am::endpoints::Create::new(am::AwsAssetDataConnector {
                name: Some("ARN_Global".into()),
                arn: Some("arn:aws:iam::705355653965:role/Demo-PODs".into()),
                external_id: Some(String::new()),
                all_regions: Some(true),
                activation: Some(Collection::set([
                    am::ActivationModule::Vm,
                    am::ActivationModule::Certview,
                ])),
                ..Default::default()
            }))
        }
        "am-awsassetdataconnector-update-1" => wire(
            &am::endpoints::Update::new(am::AwsAssetDataConnector {
                name: Some("Updated Name".into()),
                default_tags: Some(Collection::add([am::TagSimple {
                    id: Some(1),
                    ..Default::default()
                }])),
                endpoints: Some(Collection::add([region("us-east-1"), region("me-south-1")])),
                ..Default::default()
            })
            .id(12345),
        ),
        "saq-questionnaire-search-1" => wire(&questionnaire_search_1()),
        "saq-questionnairecampaign-count-1" => wire(&campaign_count_1()),
        "saq-questionnairecampaign-create-1" => wire(&campaign::endpoints::Create::new(
            campaign::QuestionnaireCampaign {
                name: Some("Test API demo 1".into()),
                template: Some(campaign::QuestionnaireTemplate {
                    id: Some(122601),
                    ..Default::default()
                }),
                workflow_type: Some(campaign::QuestionnaireCampaignWorkflowType::Reviewable),
                due_date: Some(date("2019-09-28T17:08:00Z")),
                reviewer: user(352088),
                campaign_notification: Some(campaign::CampaignNotification {
                    reminder_notification: notification(true, Some(2), Some(2)),
                    overdue_notification: notification(false, None, None),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )),
        "saq-questionnairecampaign-search-1" => wire(&campaign_search_1()),
        "saq-questionnairecampaign-update-1" => {
            let recipient = |id: i64| campaign::User {
                assigned: Some("New ".into()),
                ..user(id).unwrap()
            };
            wire(&campaign::endpoints::Update::new(
                campaign::QuestionnaireCampaign {
                    id: Some(120802),
                    workflow_type: Some(campaign::QuestionnaireCampaignWorkflowType::Full),
                    approver: user(352088),
                    reviewer: user(352088),
                    recipients: Some(Collection::add([recipient(339590), recipient(339591)])),
                    campaign_notification: Some(campaign::CampaignNotification {
                        overdue_notification: notification(true, Some(1), Some(5)),
                        due_date_notification: notification(false, None, None),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ))
        }
        "was-optionprofile-create-1" => {
            wire(&optionprofile::endpoints::Create::new(option_profile()))
        }
        "was-optionprofile-update-1" => wire(&optionprofile::endpoints::Update::new(
            16003,
            option_profile(),
        )),
        "was-wasscan-cancel-1" => wire(&wasscan::endpoints::Cancel::new(6620298).data(
            wasscan::WasScan {
                cancel_with_results: Some(true),
                ..Default::default()
            },
        )),
        "was-wasscan-scanagain-1" => wire(&wasscan::endpoints::Scanagain::new(4626354).data(
            wasscan::WasScan {
                name: Some("Sample Scan Name for Rescan".into()),
                ..Default::default()
            },
        )),
        "was-wasscanschedule-deactivate-2" => wire(
            &wasscanschedule::endpoints::Deactivate::new()
                .filter(wasscanschedule::filter::Name.contains("Schedule")),
        ),
        "was-webapp-search-1" => wire(&webapp_search_1()),
        other => panic!("no typed request for the seed sample {other}: add one"),
    }
}

/// The documented URL paths of the request samples (tests/fixtures/seed/INDEX.md).
fn documented_path(stem: &str) -> &'static str {
    match stem {
        "am-awsassetdataconnector-create-1"
        | "am-awsassetdataconnector-create-2"
        | "am-awsassetdataconnector-create-3" => "/qps/rest/2.0/create/am/awsassetdataconnector",
        "am-awsassetdataconnector-update-1" => {
            "/qps/rest/2.0/update/am/awsassetdataconnector/12345"
        }
        "saq-questionnaire-search-1" => "/qps/rest/1.0/search/saq/questionnaire",
        "saq-questionnairecampaign-count-1" => "/qps/rest/1.0/count/saq/questionnairecampaign",
        "saq-questionnairecampaign-create-1" => "/qps/rest/1.0/create/saq/questionnairecampaign",
        "saq-questionnairecampaign-search-1" => "/qps/rest/1.0/search/saq/questionnairecampaign",
        "saq-questionnairecampaign-update-1" => "/qps/rest/1.0/update/saq/questionnairecampaign",
        "was-optionprofile-create-1" => "/qps/rest/3.0/create/was/optionprofile",
        "was-optionprofile-update-1" => "/qps/rest/3.0/update/was/optionprofile/16003",
        "was-wasscan-cancel-1" => "/qps/rest/3.0/cancel/was/wasscan/6620298",
        "was-wasscan-scanagain-1" => "/qps/rest/3.0/scanagain/was/wasscan/4626354",
        "was-wasscanschedule-deactivate-2" => "/qps/rest/3.0/deactivate/was/wasscanschedule",
        "was-webapp-search-1" => "/qps/rest/3.0/search/was/webapp",
        other => panic!("no documented path for {other}"),
    }
}

#[test]
fn every_request_sample_is_what_the_typed_api_writes() {
    let requests = samples(".request.xml");
    assert_eq!(requests.len(), 15, "the seed has 15 request samples");
    for sample in &requests {
        let (path, body) = typed_request(&sample.stem);
        assert_eq!(path, documented_path(&sample.stem), "{}", sample.stem);
        assert_canonical_eq(&sample.text, &body, &sample.stem);
        // The sample and the typed body are both valid, so the check above is not between two wrong texts.
        let schema = crate::support::schema(&format!("{}/{}", sample.module, sample.entity));
        crate::support::xmllint(&schema, &body).unwrap_or_else(|e| panic!("{e}"));
    }
}

// ----- the seed responses, served back ---------------------------------------------------------------------

/// Stores the records of `sample` alone, then gets each through the client: each must come back as the
/// record parsed from the sample (a record without an id gets the server's new id). Returns the ids.
async fn served_back<R, G>(qps: &Qps, sample: &Sample, get: impl Fn(i64) -> G) -> Vec<i64>
where
    // Expected through serde, served through the generated readers: two independent paths.
    R: ResponseEnvelope + serde::de::DeserializeOwned,
    R::Item: HasId + PartialEq + Debug,
    G: Endpoint<Output = R>,
{
    let expected: R = qualys_qps::runtime::xml::from_str(&sample.text)
        .unwrap_or_else(|e| panic!("{}: {e}", sample.stem));
    assert!(expected.is_success(), "{}", sample.stem);
    qps.server.clear();
    let stored = qps
        .server
        .seed_xml(&sample.module, &sample.entity, &sample.text)
        .unwrap_or_else(|e| panic!("{}: {e}", sample.stem));
    let records = expected.into_items();
    assert_eq!(stored.len(), records.len(), "{}", sample.stem);
    for (mut record, id) in records.into_iter().zip(&stored) {
        assert!(record.id().is_none_or(|own| own == *id), "{}", sample.stem);
        record.set_id(*id);
        let served = only(qps.client.execute(&get(*id)).await.unwrap());
        assert_eq!(served, record, "{}: record {id}", sample.stem);
    }
    stored
}

/// The AM update answers `AssetDataConnector` records, which the server stores as `AwsAssetDataConnector`:
/// the fields both types share come back as sent. (`activation`, a bare list in the former and a
/// count/list collection in the latter, is not shared.)
async fn connector_update_served_back(qps: &Qps, sample: &Sample) {
    let expected: am::ServiceResponse = qualys_qps::runtime::xml::from_str(&sample.text).unwrap();
    let records = expected.data.unwrap().asset_data_connector;
    assert_eq!(records.len(), 1);
    qps.server.clear();
    let stored = qps
        .server
        .seed_xml("am", "awsassetdataconnector", &sample.text)
        .unwrap();
    assert_eq!(stored, [12345]);
    let sent = &records[0];
    let served = only(
        qps.client
            .am()
            .awsassetdataconnector()
            .get(12345)
            .await
            .unwrap(),
    );
    let shared = |c: &am::AwsAssetDataConnector| {
        (
            (
                c.id,
                c.name.clone(),
                c.description.clone(),
                c.aws_account_id.clone(),
            ),
            (
                c.last_sync,
                c.last_error.clone(),
                c.connector_state.clone(),
                c.r#type.clone(),
            ),
            (
                c.default_tags.clone(),
                c.disabled,
                c.is_gov_cloud_configured,
            ),
            (
                c.is_china_configured,
                c.is_deleted,
                c.run_frequency,
                c.next_sync,
            ),
            c.is_remediation_enabled,
        )
    };
    let as_sent = am::AwsAssetDataConnector {
        id: sent.id,
        name: sent.name.clone(),
        description: sent.description.clone(),
        aws_account_id: sent.aws_account_id.clone(),
        last_sync: sent.last_sync,
        last_error: sent.last_error.clone(),
        connector_state: sent.connector_state.clone(),
        r#type: sent.r#type.clone(),
        default_tags: sent.default_tags.clone(),
        disabled: sent.disabled,
        is_gov_cloud_configured: sent.is_gov_cloud_configured,
        is_china_configured: sent.is_china_configured,
        is_deleted: sent.is_deleted,
        run_frequency: sent.run_frequency,
        next_sync: sent.next_sync,
        is_remediation_enabled: sent.is_remediation_enabled,
        ..Default::default()
    };
    assert_eq!(shared(&served), shared(&as_sent), "{}", sample.stem);
    assert_eq!(served.name.as_deref(), Some("External VPC"));
}

#[tokio::test]
async fn every_response_sample_comes_back_as_its_typed_value() {
    let qps = Qps::start().await;
    let responses = samples(".response.xml");
    assert_eq!(responses.len(), 24, "the seed has 24 response samples");
    let mut ids: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for sample in &responses {
        let label = format!("{}/{}", sample.module, sample.entity);
        let stored = match (label.as_str(), sample.stem.as_str()) {
            (_, "am-awsassetdataconnector-update-1") => {
                connector_update_served_back(&qps, sample).await;
                vec![12345]
            }
            // A count answers no records; it is checked with its request below.
            (_, "saq-questionnairecampaign-count-1") => Vec::new(),
            ("was/webapp", _) => served_back(&qps, sample, webapp::endpoints::Get::new).await,
            ("was/wasscan", _) => served_back(&qps, sample, wasscan::endpoints::Get::new).await,
            ("was/wasscanschedule", _) => {
                served_back(&qps, sample, wasscanschedule::endpoints::Get::new).await
            }
            ("was/optionprofile", _) => {
                served_back(&qps, sample, optionprofile::endpoints::Get::new).await
            }
            ("was/finding", _) => served_back(&qps, sample, finding::endpoints::Get::new).await,
            ("am/awsassetdataconnector", _) => {
                served_back(&qps, sample, am::endpoints::Get::new).await
            }
            ("saq/questionnairecampaign", _) => {
                served_back(&qps, sample, campaign::endpoints::Get::new).await
            }
            ("saq/questionnaire", _) => {
                served_back(&qps, sample, questionnaire::endpoints::Get::new).await
            }
            _ => panic!("{}: no check for {label}", sample.stem),
        };
        // Records without an id (the summary sample) are numbered by the server: not comparable across
        // samples.
        if sample.action != "summary" {
            ids.entry(label).or_default().extend(stored);
        }
        assert!(
            !sample.action.is_empty(),
            "{}: the action is part of the name",
            sample.stem
        );
    }

    // All samples at once (records met in several samples merged): every id is there.
    qps.server.clear();
    assert!(qps.server.seed_samples().unwrap() > 0);
    let was = qps.client.was();
    let saq = qps.client.saq();
    for (label, expected) in &ids {
        let served: BTreeSet<i64> = match label.as_str() {
            "was/webapp" => ids_of(was.webapp().search_all([], PagingMode::default())).await,
            "was/wasscan" => ids_of(was.wasscan().search_all([], PagingMode::default())).await,
            "was/wasscanschedule" => {
                ids_of(was.wasscanschedule().search_all([], PagingMode::default())).await
            }
            "was/optionprofile" => {
                ids_of(was.optionprofile().search_all([], PagingMode::default())).await
            }
            "was/finding" => ids_of(was.finding().search_all([], PagingMode::default())).await,
            "am/awsassetdataconnector" => {
                ids_of(
                    qps.client
                        .am()
                        .awsassetdataconnector()
                        .search_all([], PagingMode::default()),
                )
                .await
            }
            "saq/questionnairecampaign" => {
                ids_of(
                    saq.questionnairecampaign()
                        .search_all([], PagingMode::Offset { page_size: 100 }),
                )
                .await
            }
            "saq/questionnaire" => {
                ids_of(
                    saq.questionnaire()
                        .search_all([], PagingMode::Offset { page_size: 100 }),
                )
                .await
            }
            other => panic!("{other}"),
        };
        assert!(
            expected.is_subset(&served),
            "{label}: {expected:?} not all in {served:?}"
        );
    }
    qps.validate_bodies();
}

async fn ids_of<T: HasId>(paginator: qualys_qps::runtime::Paginator<'_, T>) -> BTreeSet<i64> {
    paginator
        .try_collect()
        .await
        .unwrap()
        .iter()
        .map(|r| r.id().unwrap())
        .collect()
}

/// The sample requests that search or count, sent to a server holding what the sample responses show,
/// answer those responses.
#[tokio::test]
async fn search_and_count_samples_answer_their_responses() {
    let qps = Qps::start().await;
    let sample = |stem: &str| {
        samples(".response.xml")
            .into_iter()
            .find(|s| s.stem == stem)
            .unwrap()
    };

    let response = sample("was-webapp-search-1");
    qps.server
        .seed_xml("was", "webapp", &response.text)
        .unwrap();
    // A second web application that the criteria leave out.
    qps.server.generate::<webapp::WebApp>(1);
    let expected: webapp::ServiceResponse =
        qualys_qps::runtime::xml::from_str(&response.text).unwrap();
    let served = qps.client.execute(&webapp_search_1()).await.unwrap();
    assert_eq!(served, expected);

    let response = sample("saq-questionnairecampaign-search-1");
    qps.server
        .seed_xml("saq", "questionnairecampaign", &response.text)
        .unwrap();
    qps.server.generate::<campaign::QuestionnaireCampaign>(3);
    let expected: campaign::ServiceResponse =
        qualys_qps::runtime::xml::from_str(&response.text).unwrap();
    assert_eq!(
        qps.client.execute(&campaign_search_1()).await.unwrap(),
        expected
    );

    // The count sample says 35 COMPLETE campaigns: make it so, among others.
    qps.server.clear();
    let campaigns = qps.server.generate::<campaign::QuestionnaireCampaign>(40);
    for id in &campaigns[..35] {
        qps.server
            .patch::<campaign::QuestionnaireCampaign>(
                *id,
                "<QuestionnaireCampaign><status>COMPLETE</status></QuestionnaireCampaign>",
            )
            .unwrap();
    }
    let expected: campaign::ServiceResponse =
        qualys_qps::runtime::xml::from_str(&sample("saq-questionnairecampaign-count-1").text)
            .unwrap();
    assert_eq!(
        qps.client.execute(&campaign_count_1()).await.unwrap(),
        expected
    );
    assert_eq!(
        qps.client
            .saq()
            .questionnairecampaign()
            .count(campaign_count_1().filters)
            .await
            .unwrap(),
        35
    );

    // Questionnaires in other states, which the criteria leave out (generated states cycle through four,
    // APPROVAL among them: that one is closed first).
    qps.server.clear();
    for id in qps.server.generate::<questionnaire::Questionnaire>(4) {
        qps.server
            .patch::<questionnaire::Questionnaire>(
                id,
                "<Questionnaire><state>CLOSED</state></Questionnaire>",
            )
            .unwrap();
    }
    let response = sample("saq-questionnaire-search-1");
    qps.server
        .seed_xml("saq", "questionnaire", &response.text)
        .unwrap();
    let mut expected: questionnaire::ServiceResponse =
        qualys_qps::runtime::xml::from_str(&response.text).unwrap();
    // The sample prints count 2 but only one record (the seed cut the second): a server counts what it sends.
    assert_eq!(expected.count, Some(2));
    expected.count = Some(1);
    assert_eq!(
        qps.client.execute(&questionnaire_search_1()).await.unwrap(),
        expected
    );

    qps.validate_bodies();
}
