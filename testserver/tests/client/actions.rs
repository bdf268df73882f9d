//! Every action of the endpoint catalog, called through the generated client (`client.was().webapp()...`) and
//! checked by what it answers and what it changed. The set of actions that succeeded is read back from the
//! server's request log and must equal the catalog's, so an action added to the catalog without a test here
//! fails; every request body sent is validated against its XSD.

use std::collections::BTreeSet;

use qps_testserver::Config;
use qualys_qps::am::awsassetdataconnector as am;
use qualys_qps::prelude::*;
use qualys_qps::runtime::Collection;
use qualys_qps::saq::{questionnaire, questionnairecampaign as campaign};
use qualys_qps::was::{finding, optionprofile, wasscan, wasscanschedule, webapp};

use crate::support::{Qps, api_code, date, ids, only};

#[tokio::test]
async fn every_catalog_action_through_the_typed_client() {
    let qps = Qps::with(Config {
        fixed_time: Some("2024-03-01T10:00:00Z".parse().unwrap()),
        ..Config::default()
    })
    .await;

    webapps(&qps).await;
    scans(&qps).await;
    schedules(&qps).await;
    option_profiles(&qps).await;
    findings(&qps).await;
    connectors(&qps).await;
    campaigns(&qps).await;
    questionnaires(&qps).await;

    // The actions that succeeded, from the server's log, against the catalog.
    let catalog = qps.server.catalog().clone();
    let log = qps.server.requests();
    let mut exercised = BTreeSet::new();
    for request in &log {
        let succeeded = request.executed
            && request.status == 200
            && matches!(request.response_code.as_deref(), None | Some("SUCCESS"));
        if !succeeded {
            continue;
        }
        let (entity, action) = (request.entity().unwrap(), request.action().unwrap());
        let (module, name) = entity.split_once('/').unwrap();
        let catalog_action = catalog
            .entity(module, name)
            .and_then(|e| e.action(action))
            .unwrap_or_else(|| panic!("{} {} is not in the catalog", request.method, request.path));
        assert_eq!(
            request.method,
            catalog_action.method().as_str(),
            "{}: the client uses the catalog's first method",
            request.path
        );
        exercised.insert(format!("{entity}/{action}"));
    }
    let all: BTreeSet<String> = catalog
        .entities
        .iter()
        .flat_map(|e| {
            e.actions
                .iter()
                .map(move |a| format!("{}/{}/{}", e.module, e.name, a.name))
        })
        .collect();
    let missing: Vec<_> = all.difference(&exercised).collect();
    assert!(
        missing.is_empty(),
        "catalog actions without a test: {missing:?}"
    );
    assert_eq!(exercised, all);
    assert!(log.iter().all(|r| r.fault.is_none()));

    let bodies = qps.validate_bodies();
    eprintln!(
        "catalog actions exercised: {} of {}; requests: {}; distinct bodies validated: {bodies}",
        exercised.len(),
        all.len(),
        log.len()
    );
}

fn tag(id: i64) -> webapp::Tag {
    webapp::Tag {
        id: Some(id),
        ..Default::default()
    }
}

fn tag_ids(app: &webapp::WebApp) -> Vec<i64> {
    app.tags
        .as_ref()
        .map(|t| t.items().iter().map(|t| t.id.unwrap()).collect())
        .unwrap_or_default()
}

async fn webapps(qps: &Qps) {
    use webapp::filter::{Id, Name, TagsId};
    qps.server.clear();
    let api = qps.client.was().webapp();

    let created = api
        .create(webapp::WebApp {
            name: Some("Shop & Co".into()),
            url: Some("https://shop.example.com".into()),
            tags: Some(Collection::set([tag(7), tag(8)])),
            attributes: Some(Collection::set([webapp::Attribute {
                name: Some("Business Owner".into()),
                value: Some("Jane".into()),
            }])),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.count(), Some(1));
    let shop = only(created);
    let id = shop.id.expect("a new id");
    assert_eq!(shop.name.as_deref(), Some("Shop & Co"));
    assert_eq!(shop.tags.as_ref().unwrap().count, Some(2));
    assert_eq!(shop.owner.as_ref().unwrap().id, Some(1000));
    assert_eq!(shop.created_date, Some(date("2024-03-01T10:00:00Z")));
    let blog = only(
        api.create(webapp::WebApp {
            name: Some("Blog".into()),
            url: Some("https://blog.example.com".into()),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let blog_id = blog.id.unwrap();
    assert_ne!(blog_id, id);

    assert_eq!(only(api.get(id).await.unwrap()), shop);

    let updated = api
        .update(
            id,
            webapp::WebApp {
                name: Some("Shop".into()),
                tags: Some(Collection::add([tag(9)]).and_remove([tag(7)])),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(updated), [id]);
    let shop = only(api.get(id).await.unwrap());
    assert_eq!(shop.name.as_deref(), Some("Shop"));
    assert_eq!(tag_ids(&shop), [8, 9]);
    assert_eq!(shop.url.as_deref(), Some("https://shop.example.com"));

    let found = api.search([Name.contains("shop")]).await.unwrap();
    assert_eq!(found.has_more_records(), Some(false));
    assert_eq!(ids(found), [id]);
    let by_attribute = api
        .search([webapp::filter::Attributes.equals("Business Owner", "Jane")])
        .await
        .unwrap();
    assert_eq!(ids(by_attribute), [id]);
    let verbose = qps
        .client
        .execute(
            &webapp::endpoints::Search::new()
                .filter(Id.in_list([id, blog_id]))
                .preferences(webapp::ServiceRequestPreferences {
                    verbose: Some(true),
                    limit_results: Some(1),
                    ..Default::default()
                }),
        )
        .await
        .unwrap();
    assert_eq!(verbose.has_more_records(), Some(true));
    assert_eq!(verbose.last_id(), Some(id));
    assert_eq!(tag_ids(&only(verbose)), [8, 9], "verbose lists the tags");
    let all = api
        .search_all([Id.in_list([id, blog_id])], PagingMode::Id { page_size: 1 })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|a| a.id.unwrap()).collect::<Vec<_>>(),
        [id, blog_id]
    );
    assert_eq!(api.count([]).await.unwrap(), 2);
    assert_eq!(api.count([TagsId.equals(9)]).await.unwrap(), 1);

    // Purge drops the findings of past scans, and keeps the web application.
    qps.server.generate::<finding::Finding>(20);
    let findings = qps.client.was().finding();
    let of_shop = || [finding::filter::WebAppId.equals(id)];
    assert_eq!(findings.count(of_shop()).await.unwrap(), 2);
    assert_eq!(ids(api.purge(id).await.unwrap()), [id]);
    assert_eq!(findings.count(of_shop()).await.unwrap(), 0);
    assert_eq!(findings.count([]).await.unwrap(), 18);
    assert_eq!(
        ids(api.purge_where([Name.equals("Blog")]).await.unwrap()),
        [blog_id]
    );
    assert_eq!(findings.count([]).await.unwrap(), 16);
    assert_eq!(api.count([]).await.unwrap(), 2);

    assert_eq!(ids(api.delete(id).await.unwrap()), [id]);
    assert_eq!(api_code(api.get(id).await), "NOT_FOUND");
    assert_eq!(
        ids(api.delete_where([Name.contains("blog")]).await.unwrap()),
        [blog_id]
    );
    assert_eq!(api.count([]).await.unwrap(), 0);
}

async fn scans(qps: &Qps) {
    use wasscan::filter::{Name, Status, StatusValue, WebAppId};
    qps.server.clear();
    qps.server.generate::<webapp::WebApp>(2);
    let api = qps.client.was().wasscan();

    let launched = api
        .launch(wasscan::WasScan {
            name: Some("API scan".into()),
            r#type: Some(wasscan::WasScanType::Vulnerability),
            target: Some(wasscan::WasScanTarget {
                web_app: Some(wasscan::WebApp {
                    id: Some(2),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            profile: Some(wasscan::WasScanOptionProfile {
                id: Some(5),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    let [id] = ids(launched)[..] else {
        panic!("one scan launched")
    };
    let scan = only(api.get(id).await.unwrap());
    assert_eq!(scan.name.as_deref(), Some("API scan"));
    assert_eq!(scan.status, Some(wasscan::WasScanStatus::Submitted));
    assert_eq!(scan.mode, Some(wasscan::WasScanMode::Api));
    let target = scan.target.unwrap().web_app.unwrap();
    assert_eq!(target.name.as_deref(), Some("Web App 2"));

    let status = only(api.status(id).await.unwrap());
    assert_eq!(status.status, Some(wasscan::WasScanStatus::Submitted));
    assert_eq!(ids(api.search([WebAppId.equals(2)]).await.unwrap()), [id]);
    assert_eq!(
        api.count([Status.equals(StatusValue::Submitted)])
            .await
            .unwrap(),
        1
    );

    qps.client
        .execute(&wasscan::endpoints::Cancel::new(id).data(wasscan::WasScan {
            cancel_with_results: Some(true),
            ..Default::default()
        }))
        .await
        .unwrap();
    let status = only(api.status(id).await.unwrap());
    assert_eq!(status.status, Some(wasscan::WasScanStatus::Canceled));
    assert_eq!(
        status.summary.unwrap().results_status,
        Some(wasscan::WasScanResultsStatus::CanceledWithResults)
    );

    let again = qps
        .client
        .execute(
            &wasscan::endpoints::Scanagain::new(id).data(wasscan::WasScan {
                name: Some("Rescan".into()),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    let [rescan] = ids(again)[..] else {
        panic!("one scan launched again")
    };
    assert_ne!(rescan, id);
    let scan = only(api.get(rescan).await.unwrap());
    assert_eq!(scan.name.as_deref(), Some("Rescan"));
    assert_eq!(scan.status, Some(wasscan::WasScanStatus::Submitted));
    // Cancel without data: no results kept.
    api.cancel(rescan).await.unwrap();
    let status = only(api.status(rescan).await.unwrap());
    assert_eq!(
        status.summary.unwrap().results_status,
        Some(wasscan::WasScanResultsStatus::Canceled)
    );
    // A third scan by the plain call, without a new name.
    let third = ids(api.scanagain(id).await.unwrap());
    assert_eq!(
        only(api.get(third[0]).await.unwrap()).name.as_deref(),
        Some("API scan")
    );

    let downloaded = api.download(id).await.unwrap();
    assert_eq!(downloaded.id, Some(id));
    assert_eq!(downloaded.name.as_deref(), Some("API scan"));
    assert_eq!(downloaded.status, Some(wasscan::WasScanStatus::Canceled));

    assert_eq!(ids(api.delete(rescan).await.unwrap()), [rescan]);
    // Both are named "API scan"; the third is still running, so only the first is deleted.
    assert_eq!(
        ids(api.delete_where([Name.equals("API scan")]).await.unwrap()),
        [id]
    );
    assert_eq!(ids(api.search([]).await.unwrap()), third);
}

async fn schedules(qps: &Qps) {
    use wasscanschedule::filter::{Active, Id, Name};
    qps.server.clear();
    qps.server.generate::<webapp::WebApp>(1);
    let api = qps.client.was().wasscanschedule();

    let weekly = wasscanschedule::SchedulePlanification {
        start_date: Some(date("2030-01-07T02:00:00Z")),
        time_zone: Some(wasscanschedule::TimeZone {
            code: Some("Europe/Paris".into()),
            ..Default::default()
        }),
        occurrence_type: Some(wasscanschedule::SchedulePlanificationOccurrenceType::Weekly),
        occurrence: Some(wasscanschedule::SchedulePlanificationOccurrence {
            choice: wasscanschedule::SchedulePlanificationOccurrenceChoice::WeeklyOccurrence(
                wasscanschedule::WeeklyOccurrence {
                    every_n_weeks: Some(1),
                    on_days: Some(wasscanschedule::WeeklyOccurrenceOnDays {
                        week_day: vec![
                            wasscanschedule::WeekDay::Monday,
                            wasscanschedule::WeekDay::Friday,
                        ],
                    }),
                    ..Default::default()
                },
            ),
        }),
        ..Default::default()
    };
    let nightly = only(
        api.create(wasscanschedule::WasScanSchedule {
            name: Some("Nightly".into()),
            r#type: Some(wasscanschedule::WasScanScheduleType::Vulnerability),
            target: Some(wasscanschedule::WasScanTarget {
                web_app: Some(wasscanschedule::WebApp {
                    id: Some(1),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            scheduling: Some(weekly.clone()),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let id = nightly.id.unwrap();
    assert_eq!(nightly.active, Some(true));
    assert_eq!(nightly.scheduling.as_ref(), Some(&weekly));
    let report = only(
        api.create(wasscanschedule::WasScanSchedule {
            name: Some("Weekly report".into()),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let report_id = report.id.unwrap();
    assert_eq!(only(api.get(id).await.unwrap()), nightly);

    let updated = api
        .update(
            id,
            wasscanschedule::WasScanSchedule {
                name: Some("Nightly scan".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(updated), [id]);
    let stored = only(api.get(id).await.unwrap());
    assert_eq!(stored.name.as_deref(), Some("Nightly scan"));
    assert_eq!(stored.scheduling, Some(weekly));

    assert_eq!(ids(api.deactivate(id).await.unwrap()), [id]);
    assert_eq!(only(api.get(id).await.unwrap()).active, Some(false));
    assert_eq!(
        ids(api
            .deactivate_where([Name.contains("report")])
            .await
            .unwrap()),
        [report_id]
    );
    assert_eq!(api.count([Active.equals(true)]).await.unwrap(), 0);
    assert_eq!(ids(api.activate(id).await.unwrap()), [id]);
    assert_eq!(only(api.get(id).await.unwrap()).active, Some(true));
    assert_eq!(
        ids(api.activate_where([Active.equals(false)]).await.unwrap()),
        [report_id]
    );
    assert_eq!(api.count([Active.equals(true)]).await.unwrap(), 2);

    let calendar = api.download(id).await.unwrap();
    assert!(calendar.starts_with("BEGIN:VCALENDAR"), "{calendar}");
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 1);
    assert!(calendar.contains("SUMMARY:Nightly scan"), "{calendar}");
    let both = api
        .download_where([Id.in_list([id, report_id])])
        .await
        .unwrap();
    assert_eq!(both.matches("BEGIN:VEVENT").count(), 2);

    assert_eq!(
        ids(api.search([Name.contains("nightly")]).await.unwrap()),
        [id]
    );
    assert_eq!(ids(api.delete(report_id).await.unwrap()), [report_id]);
    assert_eq!(
        ids(api
            .delete_where([Name.equals("Nightly scan")])
            .await
            .unwrap()),
        [id]
    );
    assert_eq!(api.count([]).await.unwrap(), 0);
}

async fn option_profiles(qps: &Qps) {
    use optionprofile::filter::Name;
    qps.server.clear();
    let api = qps.client.was().optionprofile();

    let detection = |xss: bool| optionprofile::OptionProfileDetection {
        detection_scope: Some(optionprofile::OptionProfileDetectionDetectionScope::Core),
        enable_xss_payloads: Some(xss),
        ..Default::default()
    };
    let fast = only(
        api.create(optionprofile::OptionProfile {
            name: Some("Fast".into()),
            detection: Some(detection(true)),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let id = fast.id.unwrap();
    assert_eq!(fast.is_default, Some(false));
    assert_eq!(fast.owner.as_ref().unwrap().id, Some(1000));
    assert_eq!(fast.detection, Some(detection(true)));
    assert_eq!(only(api.get(id).await.unwrap()), fast);

    let updated = api
        .update(
            id,
            optionprofile::OptionProfile {
                name: Some("Faster".into()),
                detection: Some(optionprofile::OptionProfileDetection {
                    enable_xss_payloads: Some(false),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(updated), [id]);
    let stored = only(api.get(id).await.unwrap());
    assert_eq!(stored.name.as_deref(), Some("Faster"));
    // A partial update keeps what it does not name.
    assert_eq!(stored.detection, Some(detection(false)));

    let other = only(
        api.create(optionprofile::OptionProfile {
            name: Some("Thorough".into()),
            ..Default::default()
        })
        .await
        .unwrap(),
    )
    .id
    .unwrap();
    assert_eq!(
        ids(api.search([Name.contains("fast")]).await.unwrap()),
        [id]
    );
    assert_eq!(api.count([]).await.unwrap(), 2);
    assert_eq!(ids(api.delete(id).await.unwrap()), [id]);
    assert_eq!(
        ids(api.delete_where([Name.equals("Thorough")]).await.unwrap()),
        [other]
    );
    assert_eq!(api.count([]).await.unwrap(), 0);
}

async fn findings(qps: &Qps) {
    use finding::filter::{Id, IgnoredReason, IgnoredReasonValue, Severity};
    qps.server.clear();
    qps.server.generate::<finding::Finding>(10);
    let api = qps.client.was().finding();

    // Severity of finding i is i % 5 + 1.
    assert_eq!(
        ids(api.search([Severity.greater(3)]).await.unwrap()),
        [3, 4, 8, 9]
    );
    assert_eq!(api.count([Severity.lesser(2)]).await.unwrap(), 2);
    let three = only(api.get(3).await.unwrap());
    assert_eq!(three.severity, Some(4));
    assert_eq!(three.is_ignored, Some(false));

    let ignored = api
        .ignore(
            2,
            finding::Finding {
                ignored_reason: Some(finding::IgnoredReason::FalsePositive),
                ignored_comment: Some("scanner noise".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(ignored), [2]);
    let two = only(api.get(2).await.unwrap());
    assert_eq!(two.is_ignored, Some(true));
    assert_eq!(
        two.ignored_reason,
        Some(finding::IgnoredReason::FalsePositive)
    );
    assert_eq!(two.ignored_comment.as_deref(), Some("scanner noise"));
    assert_eq!(two.ignored_by.unwrap().id, Some(1000));
    let bulk = api
        .ignore_where(
            [Id.in_list([4, 6])],
            finding::Finding {
                ignored_reason: Some(finding::IgnoredReason::RiskAccepted),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(bulk), [4, 6]);
    assert_eq!(
        api.count([IgnoredReason.equals(IgnoredReasonValue::RiskAccepted)])
            .await
            .unwrap(),
        2
    );

    assert_eq!(ids(api.activate(4).await.unwrap()), [4]);
    let four = only(api.get(4).await.unwrap());
    assert_eq!(four.is_ignored, Some(false));
    assert_eq!(four.ignored_reason, None);
    assert_eq!(
        ids(api.activate_where([Id.in_list([2, 6])]).await.unwrap()),
        [2, 6]
    );
    assert_eq!(
        api.count([finding::filter::IgnoredReason.in_list([
            IgnoredReasonValue::FalsePositive,
            IgnoredReasonValue::RiskAccepted
        ])])
        .await
        .unwrap(),
        0
    );

    let edited = api
        .edit_severity(
            3,
            finding::Finding {
                severity: Some(1),
                severity_comment: Some("internal only".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(edited), [3]);
    let three = only(api.get(3).await.unwrap());
    assert_eq!(three.severity, Some(1));
    assert_eq!(three.severity_comment.as_deref(), Some("internal only"));
    let edited = api
        .edit_severity_where(
            [Id.equals(8)],
            finding::Finding {
                severity: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(edited), [8]);
    assert_eq!(only(api.get(8).await.unwrap()).severity, Some(2));
    let restored = api.restore_severity([Id.in_list([3, 8])]).await.unwrap();
    assert_eq!(ids(restored), [3, 8]);
    let three = only(api.get(3).await.unwrap());
    assert_eq!(three.severity, Some(4));
    assert_eq!(three.severity_comment, None);
    assert_eq!(only(api.get(8).await.unwrap()).severity, Some(4));
}

async fn connectors(qps: &Qps) {
    use am::filter::{Disabled, Id, Name};
    qps.server.clear();
    let api = qps.client.am().awsassetdataconnector();

    let created = only(
        api.create(am::AwsAssetDataConnector {
            name: Some("gov-cloud".into()),
            activation: Some(Collection::set([
                am::ActivationModule::Vm,
                am::ActivationModule::Pc,
            ])),
            is_gov_cloud_configured: Some(true),
            auth_record: Some(am::AwsAuthRecordSimple {
                id: Some(134601),
                ..Default::default()
            }),
            all_regions: Some(false),
            ..Default::default()
        })
        .await
        .unwrap(),
    );
    let id = created.id.unwrap();
    assert_eq!(
        created.connector_state,
        Some(am::AssetDataConnectorState::Pending)
    );
    assert_eq!(created.r#type, Some(am::AssetDataConnectorType::Aws));
    assert_eq!(
        created.activation.as_ref().unwrap().items(),
        [am::ActivationModule::Vm, am::ActivationModule::Pc]
    );
    assert_eq!(only(api.get(id).await.unwrap()), created);

    let region = |code: &str| am::AwsEndpointSimple {
        region_code: vec![code.to_owned()],
    };
    let updated = api
        .update(
            id,
            am::AwsAssetDataConnector {
                name: Some("Updated Name".into()),
                default_tags: Some(Collection::add([am::TagSimple {
                    id: Some(1),
                    ..Default::default()
                }])),
                endpoints: Some(Collection::add([region("us-east-1"), region("me-south-1")])),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // AM answers an update with `AssetDataConnector` records.
    let answered = updated.data.unwrap().asset_data_connector;
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].id, Some(id));
    assert_eq!(answered[0].name.as_deref(), Some("Updated Name"));
    let stored = only(api.get(id).await.unwrap());
    assert_eq!(stored.default_tags.unwrap().count, Some(1));
    assert_eq!(
        stored.endpoints.unwrap().items(),
        [region("us-east-1"), region("me-south-1")]
    );

    let generated = qps.server.generate::<am::AwsAssetDataConnector>(3);
    let disabled = generated[1];
    qps.server
        .patch::<am::AwsAssetDataConnector>(
            disabled,
            "<AwsAssetDataConnector><disabled>true</disabled></AwsAssetDataConnector>",
        )
        .unwrap();
    let bulk = api
        .update_where(
            [Name.contains("connector")],
            am::AwsAssetDataConnector {
                description: Some("bulk".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let bulk_ids: Vec<i64> = bulk
        .data
        .unwrap()
        .asset_data_connector
        .iter()
        .map(|c| c.id.unwrap())
        .collect();
    assert_eq!(bulk_ids, generated);
    assert_eq!(
        only(api.get(generated[2]).await.unwrap())
            .description
            .as_deref(),
        Some("bulk")
    );

    assert_eq!(ids(api.run(generated[0]).await.unwrap()), [generated[0]]);
    assert_eq!(
        only(api.get(generated[0]).await.unwrap()).connector_state,
        Some(am::AssetDataConnectorState::Queued)
    );
    assert_eq!(api_code(api.run(disabled).await), "INVALID_REQUEST");
    assert_eq!(
        ids(api.run_where([Name.contains("connector")]).await.unwrap()),
        [generated[0], generated[2]],
        "a disabled connector does not run"
    );
    assert_eq!(
        ids(api.search([Disabled.equals(true)]).await.unwrap()),
        [disabled]
    );
    assert_eq!(api.count([]).await.unwrap(), 4);
    assert_eq!(ids(api.delete(disabled).await.unwrap()), [disabled]);
    assert_eq!(
        ids(api
            .delete_where([Id.in_list([generated[0], generated[2]])])
            .await
            .unwrap()),
        [generated[0], generated[2]]
    );
    assert_eq!(api.count([]).await.unwrap(), 1);
}

async fn campaigns(qps: &Qps) {
    use campaign::filter::{Name, Status, StatusValue};
    qps.server.clear();
    // Questionnaire i belongs to campaign i % 10 + 1: questionnaire 10 (state REVIEW) to campaign 1.
    qps.server.generate::<questionnaire::Questionnaire>(10);
    let api = qps.client.saq().questionnairecampaign();

    let new_campaign = |name: &str| campaign::QuestionnaireCampaign {
        name: Some(name.into()),
        template: Some(campaign::QuestionnaireTemplate {
            id: Some(122601),
            ..Default::default()
        }),
        workflow_type: Some(campaign::QuestionnaireCampaignWorkflowType::Reviewable),
        due_date: Some(date("2030-09-28T17:08:00Z")),
        reviewer: Some(campaign::User {
            id: Some(352088),
            ..Default::default()
        }),
        campaign_notification: Some(campaign::CampaignNotification {
            reminder_notification: Some(campaign::Notification {
                enabled: Some(true),
                interval: Some(2),
                no_of_days: Some(2),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = only(api.create(new_campaign("Q3")).await.unwrap());
    let id = created.id.unwrap();
    assert_eq!(
        created.status,
        Some(campaign::QuestionnaireCampaignStatus::Inactive)
    );
    let notifications = created.campaign_notification.as_ref().unwrap();
    assert_eq!(
        notifications
            .reminder_notification
            .as_ref()
            .unwrap()
            .interval,
        Some(2)
    );
    assert_eq!(
        notifications
            .overdue_notification
            .as_ref()
            .unwrap()
            .no_of_days,
        Some(1),
        "the server fills every notification"
    );
    assert_eq!(only(api.get(id).await.unwrap()), created);
    assert_eq!(
        only(api.status(id).await.unwrap()).status,
        Some(campaign::QuestionnaireCampaignStatus::Inactive)
    );

    // By id in the path, then by id in the data (as the seed sample does).
    let renamed = only(
        api.update(
            Some(id),
            campaign::QuestionnaireCampaign {
                name: Some("Q3 review".into()),
                recipients: Some(Collection::add([
                    campaign::User {
                        id: Some(11),
                        ..Default::default()
                    },
                    campaign::User {
                        id: Some(12),
                        ..Default::default()
                    },
                ])),
                ..Default::default()
            },
        )
        .await
        .unwrap(),
    );
    assert_eq!(renamed.name.as_deref(), Some("Q3 review"));
    let full = only(
        api.update(
            None,
            campaign::QuestionnaireCampaign {
                id: Some(id),
                workflow_type: Some(campaign::QuestionnaireCampaignWorkflowType::Full),
                approver: Some(campaign::User {
                    id: Some(5),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        full.workflow_type,
        Some(campaign::QuestionnaireCampaignWorkflowType::Full)
    );
    assert_eq!(full.name.as_deref(), Some("Q3 review"));
    assert_eq!(full.approver.unwrap().id, Some(5));

    let launched = only(api.launch(id).await.unwrap());
    assert_eq!(
        launched.status,
        Some(campaign::QuestionnaireCampaignStatus::Active)
    );
    assert_eq!(launched.launch_date, Some(date("2024-03-01T10:00:00Z")));
    assert_eq!(api_code(api.launch(id).await), "INVALID_REQUEST");

    let summary = only(api.summary(id).await.unwrap());
    assert_eq!(summary.id, Some(id));
    let per_state: Vec<(String, i32)> = summary
        .summary
        .unwrap()
        .items()
        .iter()
        .map(|s| (s.state.clone().unwrap(), s.value.unwrap()))
        .collect();
    assert_eq!(per_state, [("REVIEW".to_owned(), 1)]);

    let completed = only(api.complete(id).await.unwrap());
    assert_eq!(
        completed.status,
        Some(campaign::QuestionnaireCampaignStatus::Complete)
    );

    let second = only(api.create(new_campaign("Q4")).await.unwrap())
        .id
        .unwrap();
    api.launch(second).await.unwrap();
    let canceled = only(
        api.cancel(
            second,
            campaign::QuestionnaireCampaign {
                comments: Some("no longer needed".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        canceled.status,
        Some(campaign::QuestionnaireCampaignStatus::Canceled)
    );
    assert_eq!(
        only(api.get(second).await.unwrap()).comments.as_deref(),
        Some("no longer needed")
    );

    let third = only(api.create(new_campaign("Q1")).await.unwrap())
        .id
        .unwrap();
    assert_eq!(
        ids(api
            .search([Status.equals(StatusValue::Complete)])
            .await
            .unwrap()),
        [id]
    );
    assert_eq!(
        ids(api.search([Name.contains("q")]).await.unwrap()),
        [id, second, third]
    );
    assert_eq!(
        api.count([Status.in_list([StatusValue::Complete, StatusValue::Canceled])])
            .await
            .unwrap(),
        2
    );
    assert_eq!(ids(api.delete(third).await.unwrap()), [third]);
    assert_eq!(api_code(api.get(third).await), "NOT_FOUND");
    assert_eq!(api.count([]).await.unwrap(), 2);
}

async fn questionnaires(qps: &Qps) {
    use questionnaire::filter::{CampaignId, Risk, RiskValue, State, StateValue};
    qps.server.clear();
    qps.server.generate::<questionnaire::Questionnaire>(12);
    let api = qps.client.saq().questionnaire();

    // State of questionnaire i: INFORMATION_GATHERING, APPROVAL, REVIEW, CLOSED by i % 4.
    assert_eq!(
        ids(api
            .search([State.equals(StateValue::Review)])
            .await
            .unwrap()),
        [2, 6, 10]
    );
    assert_eq!(
        api.count([
            State.equals(StateValue::Review),
            Risk.equals(RiskValue::High)
        ])
        .await
        .unwrap(),
        3
    );
    assert_eq!(api.count([CampaignId.in_list([1, 2])]).await.unwrap(), 3);
    let six = only(api.get(6).await.unwrap());
    assert_eq!(six.state, Some(questionnaire::QuestionnaireState::Review));
    assert_eq!(six.risk, Some(questionnaire::QuestionnaireRisk::High));
    assert_eq!(six.campaign.unwrap().id, Some(7));
    assert_eq!(api_code(api.get(99).await), "NOT_FOUND");
}
