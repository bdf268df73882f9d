//! Seeding the store: the seed samples, typed records, XML, and the bulk generator.

use qualys_qps::saq::questionnairecampaign::QuestionnaireCampaign;
use qualys_qps::was::wasscanschedule::WasScanSchedule;
use qualys_qps::was::webapp::WebApp;

use crate::support::{Qps, assert_valid, request};

#[tokio::test]
async fn the_seed_samples_load_and_serve() {
    let qps = Qps::start().await;
    let stored = qps.server.seed_samples().unwrap();
    assert!(stored >= 15, "{stored}");

    let app = qps.get("/qps/rest/3.0/get/was/webapp/6620298").await;
    app.assert_success();
    assert_eq!(
        app.text_at("data/WebApp/name").as_deref(),
        Some("My Web Application")
    );
    assert_valid("was/webapp", &app.text);
    // The sample search replayed against the sample data.
    let search = qps
        .post(
            "/qps/rest/3.0/search/was/webapp",
            &std::fs::read_to_string(
                qps_testserver::seed_dir().join("was-webapp-search-1.request.xml"),
            )
            .unwrap(),
        )
        .await;
    assert_eq!(search.ids(), [6620298]);
    assert_eq!(
        search.text_at("data/WebApp/tags/list/Tag/id").as_deref(),
        Some("9029017")
    );

    // The deactivate sample's schedules, by its filter.
    let deactivate = qps
        .post(
            "/qps/rest/3.0/deactivate/was/wasscanschedule",
            &std::fs::read_to_string(
                qps_testserver::seed_dir().join("was-wasscanschedule-deactivate-2.request.xml"),
            )
            .unwrap(),
        )
        .await;
    deactivate.assert_success();

    // Campaign 640002 appears in the get and launch samples: merged into one record.
    let campaign: QuestionnaireCampaign = qps.server.get(640002).unwrap();
    assert_eq!(campaign.name.as_deref(), Some("Test-Campaign-KT"));
    assert!(campaign.approver.is_some());
    let completed = qps
        .post(
            "/qps/rest/1.0/count/saq/questionnairecampaign",
            &request(&[("status", "EQUALS", "COMPLETE")], &[]),
        )
        .await;
    assert!(completed.count().unwrap() >= 1);
    let connector = qps
        .get("/qps/rest/2.0/get/am/awsassetdataconnector/12345")
        .await;
    connector.assert_success();
    assert_valid("am/awsassetdataconnector", &connector.text);
}

#[tokio::test]
async fn typed_and_xml_seeds() {
    let qps = Qps::start().await;
    let ids = qps.server.seed([
        WebApp {
            id: Some(40),
            name: Some("Forty".into()),
            url: Some("https://forty.example.com".into()),
            ..WebApp::default()
        },
        WebApp {
            name: Some("Next".into()),
            ..WebApp::default()
        },
    ]);
    assert_eq!(ids, [40, 41]);
    let got = qps.get("/qps/rest/3.0/get/was/webapp/41").await;
    assert_eq!(got.text_at("data/WebApp/name").as_deref(), Some("Next"));
    // The next create continues after the highest id.
    let created = qps
        .post(
            "/qps/rest/3.0/create/was/webapp",
            &crate::support::data(
                "<WebApp><name>N</name><url>https://n.example.com</url></WebApp>",
            ),
        )
        .await;
    assert_eq!(created.ids(), [42]);

    let ids = qps
        .server
        .seed_xml(
            "was",
            "wasscanschedule",
            "<ServiceResponse><responseCode>SUCCESS</responseCode><data><WasScanSchedule><id>5</id>\
             <name>Nightly</name><active>true</active></WasScanSchedule></data></ServiceResponse>",
        )
        .unwrap();
    assert_eq!(ids, [5]);
    let schedule: WasScanSchedule = qps.server.get(5).unwrap();
    assert_eq!(schedule.active, Some(true));
    let bare = qps
        .server
        .seed_xml(
            "was",
            "wasscanschedule",
            "<WasScanSchedule><name>Bare</name></WasScanSchedule>",
        )
        .unwrap();
    assert_eq!(bare, [6]);
    assert!(
        qps.server
            .seed_xml(
                "was",
                "webapp",
                "<WebApp><isScheduled>maybe</isScheduled></WebApp>"
            )
            .is_err()
    );
    assert!(qps.server.seed_xml("was", "nothing", "<X/>").is_err());
}

#[tokio::test]
async fn the_generator_is_deterministic() {
    let a = Qps::start().await;
    let b = Qps::start().await;
    assert_eq!(
        a.server.generate::<WebApp>(30),
        (1..=30).collect::<Vec<_>>()
    );
    b.server.generate::<WebApp>(30);
    for id in [1, 17, 30] {
        assert_eq!(
            a.server.get_xml("was", "webapp", id),
            b.server.get_xml("was", "webapp", id)
        );
    }
    assert_eq!(a.server.generate::<WebApp>(2), [31, 32]);
}
