//! A server that answers in ISO-8859-1 rather than UTF-8: the client's streamed search (`search_all`, records
//! decoded as they arrive) and its whole-body calls read the same records as from the UTF-8 answers.

use qps_testserver::{Fault, FaultRule};
use qualys_qps::prelude::*;
use qualys_qps::was::webapp;

use crate::support::Qps;

/// Names with Latin-1 letters, and one character beyond Latin-1 (sent as a character reference).
fn name(i: usize) -> String {
    match i % 3 {
        0 => format!("caf\u{e9} cr\u{e8}me {i}"),
        1 => format!("Z\u{fc}rich \u{f1} \u{a9} {i}"),
        _ => format!("\u{20ac} {i} \u{df}"),
    }
}

async fn search_all(qps: &Qps, mode: PagingMode) -> Vec<webapp::WebApp> {
    qps.client
        .was()
        .webapp()
        .search_all([], mode)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn search_all_reads_a_latin1_response_as_the_utf8_one() {
    let qps = Qps::start().await;
    let apps = (0..45).map(|i| webapp::WebApp {
        name: Some(name(i)),
        url: Some(format!("https://latin{i}.example.com")),
        ..webapp::WebApp::default()
    });
    let ids = qps.server.seed(apps);

    for mode in [
        PagingMode::Offset { page_size: 10 },
        PagingMode::Id { page_size: 10 },
    ] {
        let utf8 = search_all(&qps, mode).await;
        assert_eq!(utf8.len(), 45, "{mode:?}");
        let names: Vec<String> = utf8.iter().map(|app| app.name.clone().unwrap()).collect();
        assert_eq!(names, (0..45).map(name).collect::<Vec<_>>(), "{mode:?}");

        // Every page in ISO-8859-1, in pieces of 7 bytes: declarations and characters split across them.
        qps.server.clear_requests();
        qps.server.inject(
            FaultRule::new(Fault::Latin1 { chunk: 7 })
                .on_path("/search/was/webapp")
                .always(),
        );
        let latin1 = search_all(&qps, mode).await;
        qps.server.clear_faults();
        assert_eq!(latin1, utf8, "{mode:?}");
        let log = qps.requests_to("/search/was/webapp");
        assert_eq!(log.len(), 5, "five pages, each read once: {mode:?}");
        assert!(log.iter().all(|r| r.fault == Some("latin1")), "{mode:?}");
    }

    // A call read whole decodes the same answer.
    let get = webapp::endpoints::Get::new(ids[1]);
    let utf8 = qps.client.execute(&get).await.unwrap();
    qps.server
        .inject(FaultRule::new(Fault::Latin1 { chunk: 3 }));
    let latin1 = qps.client.execute(&get).await.unwrap();
    assert_eq!(qps.server.requests().last().unwrap().fault, Some("latin1"));
    let app = crate::support::only(latin1);
    assert_eq!(app.name.as_deref(), Some(name(1).as_str()));
    assert_eq!(app, crate::support::only(utf8));
}
