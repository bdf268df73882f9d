//! Every catalog action over HTTP, and what each one does to the store.

use qps_testserver::Config;
use qualys_qps::am::awsassetdataconnector as am;
use qualys_qps::saq::questionnairecampaign as campaign;
use qualys_qps::was::{finding, wasscan, wasscanschedule, webapp};

use crate::support::{Qps, assert_valid, data, request};

/// A request body that makes `action` of `entity` succeed on the generated records (id 1 included).
fn body_for(entity: &str, action: &str) -> Option<String> {
    let body = match (entity, action) {
        ("was/webapp", "create") => {
            "<WebApp><name>New</name><url>https://new.example.com</url></WebApp>"
        }
        ("was/webapp", "update") => "<WebApp><name>Renamed</name></WebApp>",
        ("was/wasscan", "launch") => {
            "<WasScan><name>Launched</name><type>VULNERABILITY</type><target><webApp><id>1</id></webApp>\
             </target><profile><id>1</id></profile></WasScan>"
        }
        ("was/wasscan", "cancel") => {
            "<WasScan><cancelWithResults>true</cancelWithResults></WasScan>"
        }
        ("was/wasscan", "scanagain") => "<WasScan><name>Again</name></WasScan>",
        ("was/wasscanschedule", "create") => {
            "<WasScanSchedule><name>Nightly</name></WasScanSchedule>"
        }
        ("was/wasscanschedule", "update") => {
            "<WasScanSchedule><name>Weekly</name></WasScanSchedule>"
        }
        ("was/optionprofile", "create") => "<OptionProfile><name>Fast</name></OptionProfile>",
        ("was/optionprofile", "update") => "<OptionProfile><name>Faster</name></OptionProfile>",
        ("was/finding", "ignore") => {
            "<Finding><ignoredReason>FALSE_POSITIVE</ignoredReason><ignoredComment>ok</ignoredComment></Finding>"
        }
        ("was/finding", "editSeverity") => {
            "<Finding><severity>1</severity><severityComment>minor</severityComment></Finding>"
        }
        ("am/awsassetdataconnector", "create") => {
            "<AwsAssetDataConnector><name>Cloud</name><activation><set><ActivationModule>VM</ActivationModule>\
             </set></activation></AwsAssetDataConnector>"
        }
        ("am/awsassetdataconnector", "update") => {
            "<AwsAssetDataConnector><name>Renamed</name></AwsAssetDataConnector>"
        }
        ("saq/questionnairecampaign", "create") => {
            "<QuestionnaireCampaign><name>Q3</name><workflowType>SIMPLE</workflowType>\
             <dueDate>2030-01-01T00:00:00Z</dueDate><template><id>7</id></template></QuestionnaireCampaign>"
        }
        ("saq/questionnairecampaign", "update") => {
            "<QuestionnaireCampaign><name>Q4</name></QuestionnaireCampaign>"
        }
        ("saq/questionnairecampaign", "cancel") => {
            "<QuestionnaireCampaign><comments>not needed</comments></QuestionnaireCampaign>"
        }
        _ => return None,
    };
    Some(data(body))
}

/// Every action of every catalog entity answers SUCCESS with its catalog method, and each XML answer is
/// valid against the entity's XSD.
#[tokio::test]
async fn every_catalog_action_succeeds_and_answers_valid_xml() {
    let qps = Qps::start().await;
    let catalog = qps.server.catalog().clone();
    let mut served = 0;
    for entity in &catalog.entities {
        let label = format!("{}/{}", entity.module, entity.name);
        for action in &entity.actions {
            qps.server.clear();
            for other in &catalog.entities {
                qps.server
                    .generate_named(&other.module, &other.name, 4)
                    .unwrap();
            }
            // Records in the state the action needs: scan 1 is RUNNING (2 is not), campaign 1 ACTIVE for
            // complete and cancel.
            if label == "saq/questionnairecampaign"
                && matches!(action.name.as_str(), "complete" | "cancel")
            {
                qps.server
                    .patch_xml(
                        "saq",
                        "questionnairecampaign",
                        1,
                        "<QuestionnaireCampaign><status>ACTIVE</status></QuestionnaireCampaign>",
                    )
                    .unwrap();
            }
            let id = if label == "was/wasscan" && action.name != "cancel" {
                2
            } else {
                1
            };
            use qps_codegen::qps::catalog::{BodyKind, IdRule, Operator};
            let with_id = action.id != IdRule::None;
            let path = format!(
                "/qps/rest/{}/{}/{}/{}{}",
                entity.version,
                action.name,
                entity.module,
                entity.name,
                if with_id {
                    format!("/{id}")
                } else {
                    String::new()
                }
            );
            let body = match action.body {
                BodyKind::None | BodyKind::FiltersOrId => None,
                BodyKind::Filters | BodyKind::PreferencesFilters => {
                    let any_id = match entity
                        .filter("id")
                        .unwrap()
                        .operators
                        .contains(&Operator::Greater)
                    {
                        true => ("id", "GREATER", "0"),
                        false => ("id", "IN", "1,2,3,4"),
                    };
                    Some(request(&[any_id], &[]))
                }
                BodyKind::Data | BodyKind::DataOptional | BodyKind::DataFiltersOrId => {
                    body_for(&label, &action.name)
                }
            };
            let method = action.methods[0].as_str();
            let reply = qps.send(method, &path, body.as_deref()).await;
            assert_eq!(reply.status, 200, "{method} {path}: {}", reply.text);
            match action.response {
                qps_codegen::qps::catalog::ResponseKind::Icalendar => {
                    assert!(
                        reply.text.starts_with("BEGIN:VCALENDAR"),
                        "{path}: {}",
                        reply.text
                    );
                }
                qps_codegen::qps::catalog::ResponseKind::Bare => {
                    assert_eq!(reply.top_level()[0], "id", "{path}: {}", reply.text);
                    assert_valid(&label, &reply.text);
                }
                _ => {
                    assert_eq!(reply.code(), "SUCCESS", "{method} {path}: {}", reply.text);
                    assert_valid(&label, &reply.text);
                }
            }
            served += 1;
        }
    }
    let total: usize = catalog.entities.iter().map(|e| e.actions.len()).sum();
    assert_eq!(served, total);
    assert!(qps.server.requests().iter().all(|r| r.executed));
}

#[tokio::test]
async fn create_get_update_delete_a_web_app() {
    let qps = Qps::with(Config {
        fixed_time: Some("2024-03-01T10:00:00Z".parse().unwrap()),
        ..Config::default()
    })
    .await;
    let created = qps
        .post(
            "/qps/rest/3.0/create/was/webapp",
            &data(
                "<WebApp><name><![CDATA[Shop & Co]]></name><url>https://shop.example.com</url>\
                 <tags><set><Tag><id>7</id></Tag><Tag><id>8</id></Tag></set></tags></WebApp>",
            ),
        )
        .await;
    created.assert_success();
    assert_valid("was/webapp", &created.text);
    let response: webapp::ServiceResponse = created.parse();
    let app = &response.data.as_ref().unwrap().web_app[0];
    assert_eq!(app.id, Some(1));
    assert_eq!(app.name.as_deref(), Some("Shop & Co"));
    assert_eq!(app.tags.as_ref().unwrap().count, Some(2));
    assert_eq!(
        app.created_date.unwrap().to_rfc3339(),
        "2024-03-01T10:00:00+00:00"
    );
    assert_eq!(app.owner.as_ref().unwrap().id, Some(1000));

    let second = qps
        .post(
            "/qps/rest/3.0/create/was/webapp",
            &data("<WebApp><name>Blog</name><url>https://blog.example.com</url></WebApp>"),
        )
        .await;
    assert_eq!(second.ids(), [2]);

    let updated = qps
        .post(
            "/qps/rest/3.0/update/was/webapp/1",
            &data(
                "<WebApp><name>Shop</name><tags><remove><Tag><id>7</id></Tag></remove><add><Tag><id>9</id>\
                 </Tag></add></tags><attributes><add><Attribute><name>Owner</name><value>Ops</value>\
                 </Attribute></add></attributes></WebApp>",
            ),
        )
        .await;
    updated.assert_success();
    // WAS answers an update with the id only.
    assert_eq!(updated.ids(), [1]);
    assert_eq!(updated.count(), Some(1));
    let stored: webapp::WebApp = qps.server.get(1).unwrap();
    assert_eq!(stored.name.as_deref(), Some("Shop"));
    let tags: Vec<i64> = stored
        .tags
        .unwrap()
        .list
        .unwrap()
        .iter()
        .map(|t| t.id.unwrap())
        .collect();
    assert_eq!(tags, [8, 9]);
    assert_eq!(stored.attributes.unwrap().count, Some(1));

    let got = qps.get("/qps/rest/3.0/get/was/webapp/1").await;
    got.assert_success();
    assert_eq!(got.count(), Some(1));
    assert_eq!(got.text_at("data/WebApp/tags/count").as_deref(), Some("2"));
    assert_valid("was/webapp", &got.text);

    let replaced = qps
        .post(
            "/qps/rest/3.0/update/was/webapp/1",
            &data("<WebApp><tags><set><Tag><id>1</id></Tag></set></tags></WebApp>"),
        )
        .await;
    replaced.assert_success();
    let stored: webapp::WebApp = qps.server.get(1).unwrap();
    assert_eq!(stored.tags.unwrap().count, Some(1));

    qps.get("/qps/rest/3.0/get/was/webapp/99")
        .await
        .assert_error("NOT_FOUND");
    qps.post(
        "/qps/rest/3.0/update/was/webapp/99",
        &data("<WebApp><name>x</name></WebApp>"),
    )
    .await
    .assert_error("NOT_FOUND");

    let deleted = qps.post_empty("/qps/rest/3.0/delete/was/webapp/1").await;
    deleted.assert_success();
    assert_eq!(deleted.ids(), [1]);
    qps.post_empty("/qps/rest/3.0/delete/was/webapp/1")
        .await
        .assert_error("NOT_FOUND");
    let by_filter = qps
        .post(
            "/qps/rest/3.0/delete/was/webapp",
            &request(&[("name", "CONTAINS", "blog")], &[]),
        )
        .await;
    assert_eq!(by_filter.ids(), [2]);
    let nothing = qps
        .post(
            "/qps/rest/3.0/delete/was/webapp",
            &request(&[("name", "CONTAINS", "blog")], &[]),
        )
        .await;
    assert_eq!(nothing.top_level(), ["responseCode", "count"]);
    assert_eq!(nothing.count(), Some(0));
    // A bulk action without filters is refused rather than applied to everything.
    qps.post_empty("/qps/rest/3.0/delete/was/webapp")
        .await
        .assert_error("INVALID_REQUEST");
    assert!(qps.server.ids::<webapp::WebApp>().is_empty());

    let creates: Vec<_> = qps
        .server
        .requests()
        .into_iter()
        .filter(|r| r.is("create", "was/webapp"))
        .collect();
    assert_eq!(creates.len(), 2);
    assert!(creates[0].body.contains("Shop & Co"));
}

#[tokio::test]
async fn create_checks_required_elements() {
    let qps = Qps::start().await;
    let message = qps
        .post(
            "/qps/rest/3.0/create/was/webapp",
            &data("<WebApp><name>No URL</name></WebApp>"),
        )
        .await
        .assert_error("CANNOT_BE_NULL");
    assert!(message.contains("url"), "{message}");
    qps.post(
        "/qps/rest/1.0/create/saq/questionnairecampaign",
        &data(
            "<QuestionnaireCampaign><name>R</name><workflowType>REVIEWABLE</workflowType>\
             <dueDate>2030-01-01T00:00:00Z</dueDate><template><id>1</id></template></QuestionnaireCampaign>",
        ),
    )
    .await
    .assert_error("CANNOT_BE_NULL");
    assert!(qps.server.ids::<webapp::WebApp>().is_empty());
}

#[tokio::test]
async fn search_lists_tags_only_when_verbose() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(3);
    let short = qps
        .search("/qps/rest/3.0/search/was/webapp", &[], &[])
        .await;
    assert_eq!(
        short.text_at("data/WebApp/tags/count").as_deref(),
        Some("1")
    );
    assert!(
        short.text_at("data/WebApp/tags/list").is_none(),
        "{}",
        short.text
    );
    let verbose = qps
        .search(
            "/qps/rest/3.0/search/was/webapp",
            &[],
            &[("verbose", "true")],
        )
        .await;
    assert_eq!(
        verbose.text_at("data/WebApp/tags/list/Tag/name").as_deref(),
        Some("Tag 2")
    );
    assert_valid("was/webapp", &short.text);
    assert_valid("was/webapp", &verbose.text);
}

#[tokio::test]
async fn count_answers_only_the_count() {
    let qps = Qps::start().await;
    qps.server.generate::<finding::Finding>(50);
    let all = qps.get("/qps/rest/3.0/count/was/finding").await;
    assert_eq!(all.top_level(), ["responseCode", "count"]);
    assert_eq!(all.count(), Some(50));
    let severe = qps
        .post(
            "/qps/rest/3.0/count/was/finding",
            &request(&[("severity", "GREATER", "3")], &[]),
        )
        .await;
    assert_eq!(severe.count(), Some(20));
}

#[tokio::test]
async fn purge_removes_the_findings_of_the_web_app() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(10);
    qps.server.generate::<finding::Finding>(100);
    let purged = qps.post_empty("/qps/rest/3.0/purge/was/webapp/3").await;
    assert_eq!(purged.ids(), [3]);
    assert_eq!(qps.server.ids::<finding::Finding>().len(), 90);
    assert_eq!(qps.server.ids::<webapp::WebApp>().len(), 10);
}

#[tokio::test]
async fn schedules_activate_deactivate_and_download() {
    let qps = Qps::start().await;
    qps.server.generate::<wasscanschedule::WasScanSchedule>(4);
    // As the seed sample: by filter, every match, each id listed.
    let off = qps
        .post(
            "/qps/rest/3.0/deactivate/was/wasscanschedule",
            &request(&[("name", "CONTAINS", "schedule")], &[]),
        )
        .await;
    off.assert_success();
    assert_eq!(off.count(), Some(4));
    assert_eq!(off.ids(), [1, 2, 3, 4]);
    assert_valid("was/wasscanschedule", &off.text);
    let stored: wasscanschedule::WasScanSchedule = qps.server.get(3).unwrap();
    assert_eq!(stored.active, Some(false));
    let on = qps
        .post_empty("/qps/rest/3.0/activate/was/wasscanschedule/3")
        .await;
    assert_eq!(on.ids(), [3]);
    let stored: wasscanschedule::WasScanSchedule = qps.server.get(3).unwrap();
    assert_eq!(stored.active, Some(true));
    let active = qps
        .post(
            "/qps/rest/3.0/count/was/wasscanschedule",
            &request(&[("active", "EQUALS", "true")], &[]),
        )
        .await;
    assert_eq!(active.count(), Some(1));

    let one = qps
        .get("/qps/rest/3.0/download/was/wasscanschedule/3")
        .await;
    assert_eq!(one.status, 200);
    assert!(
        one.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(one.text.matches("BEGIN:VEVENT").count(), 1);
    assert!(one.text.contains("SUMMARY:Schedule 3\r\n"), "{}", one.text);
    let filtered = qps
        .post(
            "/qps/rest/3.0/download/was/wasscanschedule",
            &request(&[("id", "IN", "1,2,4")], &[]),
        )
        .await;
    assert_eq!(filtered.text.matches("BEGIN:VEVENT").count(), 3);
    qps.get("/qps/rest/3.0/download/was/wasscanschedule/77")
        .await
        .assert_error("NOT_FOUND");
}

#[tokio::test]
async fn scans_launch_status_cancel_again_and_download() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(2);
    let launched = qps
        .post(
            "/qps/rest/3.0/launch/was/wasscan",
            &data(
                "<WasScan><name>API scan</name><type>VULNERABILITY</type><target><webApp><id>2</id></webApp>\
                 </target><profile><id>5</id></profile></WasScan>",
            ),
        )
        .await;
    launched.assert_success();
    assert_eq!(launched.ids(), [1]);
    assert_eq!(
        launched.text_at("data/WasScan/name"),
        None,
        "launch answers the id only"
    );
    let scan: wasscan::WasScan = qps.server.get(1).unwrap();
    assert_eq!(
        scan.target.unwrap().web_app.unwrap().name.as_deref(),
        Some("Web App 2")
    );

    let status = qps.get("/qps/rest/3.0/status/was/wasscan/1").await;
    status.assert_success();
    assert_eq!(
        status.text_at("data/WasScan/status").as_deref(),
        Some("SUBMITTED")
    );
    assert_valid("was/wasscan", &status.text);

    qps.post(
        "/qps/rest/3.0/launch/was/wasscan",
        &data("<WasScan><name>x</name><target><webApp><id>404</id></webApp></target></WasScan>"),
    )
    .await
    .assert_error("NOT_FOUND");

    let canceled = qps
        .post(
            "/qps/rest/3.0/cancel/was/wasscan/1",
            &data("<WasScan><cancelWithResults>true</cancelWithResults></WasScan>"),
        )
        .await;
    canceled.assert_success();
    // As printed by Qualys: the id, no count.
    assert_eq!(canceled.top_level(), ["responseCode", "data"]);
    let status = qps.get("/qps/rest/3.0/status/was/wasscan/1").await;
    assert_eq!(
        status.text_at("data/WasScan/status").as_deref(),
        Some("CANCELED")
    );
    assert_eq!(
        status
            .text_at("data/WasScan/summary/resultsStatus")
            .as_deref(),
        Some("CANCELED_WITH_RESULTS")
    );

    let again = qps
        .post(
            "/qps/rest/3.0/scanagain/was/wasscan/1",
            &data("<WasScan><name>Rescan</name></WasScan>"),
        )
        .await;
    again.assert_success();
    assert_eq!(again.ids(), [2]);
    let rescan: wasscan::WasScan = qps.server.get(2).unwrap();
    assert_eq!(rescan.name.as_deref(), Some("Rescan"));
    assert_eq!(
        rescan.status.map(|s| s.to_string()).as_deref(),
        Some("SUBMITTED")
    );
    assert!(rescan.summary.is_none());

    let download = qps.get("/qps/rest/3.0/download/was/wasscan/1").await;
    assert_eq!(download.status, 200);
    assert!(download.text.contains("<WasScan>"), "{}", download.text);
    assert!(!download.text.contains("ServiceResponse"));
    let bare: wasscan::WasScan = download.parse();
    assert_eq!(bare.name.as_deref(), Some("API scan"));
}

#[tokio::test]
async fn connectors_create_update_and_run() {
    let qps = Qps::start().await;
    let created = qps
        .post(
            "/qps/rest/2.0/create/am/awsassetdataconnector/",
            &data(
                "<AwsAssetDataConnector><name>Gov</name><activation><set><ActivationModule>VM</ActivationModule>\
                 <ActivationModule>PC</ActivationModule></set></activation><isGovCloudConfigured>true\
                 </isGovCloudConfigured></AwsAssetDataConnector>",
            ),
        )
        .await;
    created.assert_success();
    assert_valid("am/awsassetdataconnector", &created.text);
    assert_eq!(
        created
            .text_at("data/AwsAssetDataConnector/connectorState")
            .as_deref(),
        Some("PENDING")
    );
    assert_eq!(
        created
            .text_at("data/AwsAssetDataConnector/activation/count")
            .as_deref(),
        Some("2")
    );

    let updated = qps
        .post(
            "/qps/rest/2.0/update/am/awsassetdataconnector/1",
            &data(
                "<AwsAssetDataConnector><name>Updated</name><defaultTags><add><TagSimple><id>1</id></TagSimple>\
                 </add></defaultTags><endpoints><add><AwsEndpointSimple><regionCode>us-east-1</regionCode>\
                 </AwsEndpointSimple></add></endpoints></AwsAssetDataConnector>",
            ),
        )
        .await;
    updated.assert_success();
    // As the seed sample: the element is AssetDataConnector, with hasMoreRecords.
    assert_eq!(
        updated.text_at("data/AssetDataConnector/name").as_deref(),
        Some("Updated")
    );
    assert_eq!(updated.has_more(), Some(false));
    let parsed: am::ServiceResponse = updated.parse();
    assert_eq!(parsed.data.unwrap().asset_data_connector.len(), 1);
    let stored: am::AwsAssetDataConnector = qps.server.get(1).unwrap();
    assert_eq!(stored.endpoints.unwrap().count, Some(1));

    qps.server.generate::<am::AwsAssetDataConnector>(3);
    qps.server
        .patch::<am::AwsAssetDataConnector>(
            3,
            "<AwsAssetDataConnector><disabled>true</disabled></AwsAssetDataConnector>",
        )
        .unwrap();
    qps.post_empty("/qps/rest/2.0/run/am/awsassetdataconnector/3")
        .await
        .assert_error("INVALID_REQUEST");
    let run = qps
        .post(
            "/qps/rest/2.0/run/am/awsassetdataconnector",
            &request(&[("name", "CONTAINS", "connector")], &[]),
        )
        .await;
    assert_eq!(run.ids(), [2, 4]);
    let stored: am::AwsAssetDataConnector = qps.server.get(2).unwrap();
    assert_eq!(
        stored.connector_state.map(|s| s.to_string()).as_deref(),
        Some("QUEUED")
    );
}

#[tokio::test]
async fn findings_ignore_activate_and_severity() {
    let qps = Qps::start().await;
    qps.server.generate::<finding::Finding>(10);
    let ignored = qps
        .post(
            "/qps/rest/3.0/ignore/was/finding",
            "<ServiceRequest><filters><Criteria field=\"id\" operator=\"IN\">2,4</Criteria></filters>\
             <data><Finding><ignoredReason>RISK_ACCEPTED</ignoredReason></Finding></data></ServiceRequest>",
        )
        .await;
    assert_eq!(ignored.ids(), [2, 4]);
    let stored: finding::Finding = qps.server.get(4).unwrap();
    assert_eq!(stored.is_ignored, Some(true));
    assert_eq!(
        stored.ignored_reason.map(|r| r.to_string()).as_deref(),
        Some("RISK_ACCEPTED")
    );
    qps.post("/qps/rest/3.0/ignore/was/finding/1", &data("<Finding/>"))
        .await
        .assert_error("CANNOT_BE_NULL");

    qps.post_empty("/qps/rest/3.0/activate/was/finding/4")
        .await
        .assert_success();
    let stored: finding::Finding = qps.server.get(4).unwrap();
    assert_eq!(stored.is_ignored, Some(false));
    assert!(stored.ignored_reason.is_none());

    // Finding 3 has severity 4 (3 % 5 + 1).
    let edited = qps
        .post(
            "/qps/rest/3.0/editSeverity/was/finding",
            &data("<Finding><id>3</id><severity>1</severity><severityComment>noise</severityComment></Finding>"),
        )
        .await;
    assert_eq!(edited.ids(), [3]);
    assert_eq!(
        qps.server.get::<finding::Finding>(3).unwrap().severity,
        Some(1)
    );
    qps.post(
        "/qps/rest/3.0/editSeverity/was/finding/3",
        &data("<Finding><severity>9</severity></Finding>"),
    )
    .await
    .assert_error("INVALID_REQUEST");
    let restored = qps
        .post(
            "/qps/rest/3.0/restoreSeverity/was/finding",
            &request(&[("id", "EQUALS", "3")], &[]),
        )
        .await;
    assert_eq!(restored.ids(), [3]);
    let stored: finding::Finding = qps.server.get(3).unwrap();
    assert_eq!(stored.severity, Some(4));
    assert!(stored.severity_comment.is_none());
}

#[tokio::test]
async fn campaigns_create_and_update_as_qualys_answers() {
    let qps = Qps::start().await;
    let created = qps
        .post(
            "/qps/rest/1.0/create/saq/questionnairecampaign/",
            &data(
                "<QuestionnaireCampaign><name>Test API demo 1</name><template><id>122601</id></template>\
                 <workflowType>REVIEWABLE</workflowType><dueDate>2019-09-28T17:08:00Z</dueDate>\
                 <reviewer><id>352088</id></reviewer><campaignNotification><reminderNotification>\
                 <enabled>true</enabled><interval>2</interval><noOfDays>2</noOfDays></reminderNotification>\
                 <overdueNotification><enabled>false</enabled></overdueNotification></campaignNotification>\
                 </QuestionnaireCampaign>",
            ),
        )
        .await;
    created.assert_success();
    assert_valid("saq/questionnairecampaign", &created.text);
    let parsed: campaign::ServiceResponse = created.parse();
    let new = &parsed.data.unwrap().questionnaire_campaign[0];
    assert_eq!(
        new.status.as_ref().map(|s| s.to_string()).as_deref(),
        Some("INACTIVE")
    );
    let notifications = new.campaign_notification.as_ref().unwrap();
    assert_eq!(
        notifications
            .overdue_notification
            .as_ref()
            .unwrap()
            .interval,
        Some(1)
    );
    assert!(notifications.due_date_notification.is_some());

    // The id in the data, as the seed sample sends it; SAQ answers the whole campaign.
    let updated = qps
        .post(
            "/qps/rest/1.0/update/saq/questionnairecampaign/",
            &data(
                "<QuestionnaireCampaign><id>1</id><workflowType>FULL</workflowType><approver><id>5</id></approver>\
                 <recipients><add><User><id>11</id></User><User><id>12</id></User></add></recipients>\
                 </QuestionnaireCampaign>",
            ),
        )
        .await;
    updated.assert_success();
    assert_eq!(
        updated
            .text_at("data/QuestionnaireCampaign/workflowType")
            .as_deref(),
        Some("FULL")
    );
    assert_eq!(
        updated
            .text_at("data/QuestionnaireCampaign/name")
            .as_deref(),
        Some("Test API demo 1")
    );
    // Recipients are write-only in the XSD: kept, but not shown.
    assert!(
        updated
            .text_at("data/QuestionnaireCampaign/recipients")
            .is_none()
    );
    assert_valid("saq/questionnairecampaign", &updated.text);
    let removed = qps
        .post(
            "/qps/rest/1.0/update/saq/questionnairecampaign/1",
            &data(
                "<QuestionnaireCampaign><recipients><remove><User><id>11</id></User></remove></recipients>\
                 </QuestionnaireCampaign>",
            ),
        )
        .await;
    removed.assert_success();
}
