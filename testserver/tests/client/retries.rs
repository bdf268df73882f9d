//! Writes are never sent twice once they may have run: a connection lost after sending is reported, not
//! retried. Rejections that come before the call runs (409, 429) are retried, and the write runs once.

use qps_testserver::{Fault, FaultRule};
use qualys_qps::prelude::*;
use qualys_qps::was::webapp;

use crate::support::{Qps, ids, only};

const CREATE: &str = "/qps/rest/3.0/create/was/webapp";
const UPDATE: &str = "/qps/rest/3.0/update/was/webapp";

fn app(name: &str) -> webapp::WebApp {
    webapp::WebApp {
        name: Some(name.into()),
        url: Some(format!("https://{}.example.com", name.to_lowercase())),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_create_cut_off_after_sending_is_an_error_and_not_repeated() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::DropMidBody).on_path(CREATE));
    let error = qps
        .client
        .was()
        .webapp()
        .create(app("Shop"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    let creates = qps.requests_to(CREATE);
    assert_eq!(creates.len(), 1, "not sent again");
    assert!(creates[0].executed);
    assert_eq!(creates[0].fault, Some("drop-mid-body"));
    // The server did create it: only the caller can tell whether to try again.
    assert_eq!(qps.server.ids::<webapp::WebApp>(), [1]);
    qps.validate_bodies();
}

#[tokio::test]
async fn an_update_cut_off_after_sending_is_an_error_and_not_repeated() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(3);
    qps.server
        .inject(FaultRule::new(Fault::DropMidBody).on_path(UPDATE));
    let error = qps
        .client
        .was()
        .webapp()
        .update(2, app("Renamed"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    let updates = qps.requests_to(UPDATE);
    assert_eq!(updates.len(), 1, "not sent again");
    assert!(updates[0].executed);
    assert_eq!(updates[0].path, format!("{UPDATE}/2"));
    let stored: webapp::WebApp = qps.server.get(2).unwrap();
    assert_eq!(stored.name.as_deref(), Some("Renamed"));
    qps.validate_bodies();
}

#[tokio::test]
async fn a_rate_limited_create_is_retried_and_runs_once() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::rate_limited(0)).on_path(CREATE));
    let created = qps.client.was().webapp().create(app("Shop")).await.unwrap();
    assert_eq!(only(created).name.as_deref(), Some("Shop"));

    let creates = qps.requests_to(CREATE);
    assert_eq!(creates.len(), 2, "refused, then sent again");
    assert_eq!(creates[0].status, 409);
    assert_eq!(creates[0].fault, Some("rate-limited"));
    assert!(!creates[0].executed);
    assert!(creates[1].executed && creates[1].fault.is_none());
    assert_eq!(creates[0].body, creates[1].body, "the same request");
    assert_eq!(creates.iter().filter(|r| r.executed).count(), 1);
    assert_eq!(qps.server.ids::<webapp::WebApp>(), [1]);
    qps.validate_bodies();
}

#[tokio::test]
async fn a_write_refused_with_429_is_retried_and_runs_once() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(1);
    qps.server.inject(
        FaultRule::new(Fault::TooManyRequests {
            retry_after_secs: 0,
        })
        .on_path(UPDATE)
        .times(2),
    );
    let updated = qps
        .client
        .was()
        .webapp()
        .update(1, app("Renamed"))
        .await
        .unwrap();
    assert_eq!(ids(updated), [1]);
    let updates = qps.requests_to(UPDATE);
    assert_eq!(
        updates.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 429, 200]
    );
    assert_eq!(updates.iter().filter(|r| r.executed).count(), 1);
}

#[tokio::test]
async fn a_5xx_is_retried_for_reads_but_not_for_writes() {
    let qps = Qps::start().await;
    qps.server.generate::<webapp::WebApp>(1);

    // The gateway may have passed the create on: an error, sent once.
    qps.server
        .inject(FaultRule::new(Fault::ServiceUnavailable).on_path(CREATE));
    let error = qps
        .client
        .was()
        .webapp()
        .create(app("Shop"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(qps.requests_to(CREATE).len(), 1);

    // A read is sent again.
    qps.server.inject(
        FaultRule::new(Fault::ServiceUnavailable)
            .on_path("/get/was/webapp")
            .times(2),
    );
    let got = qps.client.was().webapp().get(1).await.unwrap();
    assert_eq!(ids(got), [1]);
    let gets = qps.requests_to("/get/was/webapp");
    assert_eq!(
        gets.iter().map(|r| r.status).collect::<Vec<_>>(),
        [503, 503, 200]
    );
}

#[tokio::test]
async fn retries_stop_when_the_policy_runs_out() {
    let qps = Qps::start().await;
    qps.server
        .inject(FaultRule::new(Fault::rate_limited(0)).always());
    let error = qps.client.was().webapp().count([]).await.unwrap_err();
    match error {
        Error::RetriesExhausted {
            last_status,
            attempts,
            ..
        } => assert_eq!((last_status, attempts), (409, 5)),
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(qps.server.requests().len(), 5);
    assert!(qps.server.requests().iter().all(|r| !r.executed));
}
