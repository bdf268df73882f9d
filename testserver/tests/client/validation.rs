//! Requests are checked against their schema before they are sent: a value the XSD does not allow is an
//! `Error::Validation`, and the server receives nothing.

use qualys_qps::am::awsassetdataconnector as am;
use qualys_qps::prelude::*;
use qualys_qps::runtime::{Collection, Endpoint};
use qualys_qps::was::{wasscanschedule as schedule, webapp};

use crate::support::{Qps, date};

fn assert_validation(result: Result<impl std::fmt::Debug, Error>, mentions: &[&str]) {
    match result {
        Err(Error::Validation(message)) => {
            for part in mentions {
                assert!(message.contains(part), "{message:?} should name {part:?}");
            }
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

#[tokio::test]
async fn an_enum_value_the_schema_does_not_list_is_refused_before_sending() {
    let qps = Qps::start().await;
    let app = webapp::WebApp {
        name: Some("Shop".into()),
        url: Some("https://shop.example.com".into()),
        scope: Some(webapp::WebAppScope::Other("NOPE".into())),
        ..Default::default()
    };
    assert_validation(
        webapp::endpoints::Create::new(app.clone()).body(),
        &["scope", "NOPE"],
    );
    assert_validation(
        qps.client.was().webapp().create(app.clone()).await,
        &["WebApp", "scope", "NOPE"],
    );
    assert_validation(qps.client.was().webapp().update(1, app).await, &["NOPE"]);

    // Inside a collection update, too.
    let connector = am::AwsAssetDataConnector {
        name: Some("Cloud".into()),
        activation: Some(Collection::set([
            am::ActivationModule::Vm,
            am::ActivationModule::Other("NOPE".into()),
        ])),
        ..Default::default()
    };
    assert_validation(
        qps.client
            .am()
            .awsassetdataconnector()
            .create(connector)
            .await,
        &["activation", "NOPE"],
    );

    assert!(qps.server.requests().is_empty(), "nothing was sent");
    assert!(qps.server.ids::<webapp::WebApp>().is_empty());
}

fn weekly(days: Vec<schedule::WeekDay>) -> schedule::WasScanSchedule {
    schedule::WasScanSchedule {
        name: Some("Nightly".into()),
        scheduling: Some(schedule::SchedulePlanification {
            start_date: Some(date("2030-01-07T02:00:00Z")),
            occurrence_type: Some(schedule::SchedulePlanificationOccurrenceType::Weekly),
            occurrence: Some(schedule::SchedulePlanificationOccurrence {
                choice: schedule::SchedulePlanificationOccurrenceChoice::WeeklyOccurrence(
                    schedule::WeeklyOccurrence {
                        every_n_weeks: Some(1),
                        on_days: Some(schedule::WeeklyOccurrenceOnDays { week_day: days }),
                        ..Default::default()
                    },
                ),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_facet_violation_is_refused_before_sending() {
    use schedule::WeekDay::*;
    let qps = Qps::start().await;
    let api = qps.client.was().wasscanschedule();
    // `onDays` holds one to seven `WeekDay`s.
    let eight = vec![
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, Monday,
    ];
    assert_validation(api.create(weekly(eight)).await, &["WeekDay", "maxOccurs"]);
    assert_validation(
        api.create(weekly(Vec::new())).await,
        &["WeekDay", "minOccurs"],
    );
    assert_validation(
        api.create(weekly(vec![Monday, Other("FUNDAY".into())]))
            .await,
        &["FUNDAY"],
    );
    assert!(qps.server.requests().is_empty(), "nothing was sent");

    // The same schedule within the bounds goes through.
    let created = api.create(weekly(vec![Monday, Sunday])).await.unwrap();
    assert_eq!(created.count(), Some(1));
    assert_eq!(qps.server.requests().len(), 1);
    qps.validate_bodies();
}
