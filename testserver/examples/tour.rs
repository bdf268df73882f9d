//! The bindings at work, end to end: start the local QPS server on 127.0.0.1, load the seed samples into it,
//! and talk to it with the typed client over real HTTP.
//!
//! Run with `cargo run -p qps-testserver --example tour`.

use std::time::Duration;

use qps_testserver::{Config, TestServer};
use qualys_qps::prelude::*;
use qualys_qps::runtime::{BaseUrl, Collection, Credentials};
use qualys_qps::was::{finding, wasscan, webapp};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = TestServer::start(Config::default()).await;
    let samples = server.seed_samples()?;
    let findings = server.generate::<finding::Finding>(6_000);
    println!(
        "local QPS server at {}: {samples} seed records, {} generated findings",
        server.base_url(),
        findings.len()
    );

    let config = server.config();
    let client = Client::builder()
        .base_url(BaseUrl::parse(server.base_url())?)
        .credentials(Credentials::new(
            config.username.clone(),
            config.password.clone(),
        ))
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()?;

    // A typed search: the field, the operator and the value type are checked by the compiler.
    let found = client
        .was()
        .webapp()
        .search([webapp::filter::Name.contains("web application")])
        .await?;
    for app in found.into_items() {
        println!("web app {:?} {:?} at {:?}", app.id, app.name, app.url);
    }

    // A create, then an update that adds a tag through Qualys's <add> wrapper.
    let created = client
        .was()
        .webapp()
        .create(webapp::WebApp {
            name: Some("Shop".into()),
            url: Some("https://shop.example.com".into()),
            ..Default::default()
        })
        .await?;
    let id = created
        .into_items()
        .first()
        .and_then(|app| app.id)
        .ok_or("no id in the create response")?;
    let tag = webapp::Tag {
        id: Some(9_029_017),
        ..Default::default()
    };
    client
        .was()
        .webapp()
        .update(
            id,
            webapp::WebApp {
                tags: Some(Collection::add([tag])),
                ..Default::default()
            },
        )
        .await?;
    let app = client.was().webapp().get(id).await?.into_items().remove(0);
    println!(
        "web app {id} now has {:?} tag(s); scope defaults to {}",
        app.tags.as_ref().and_then(|t| t.count),
        app.scope_or_default()
    );

    // Launch a scan of it, read its status, and download the bare <WasScan> document.
    let scan = wasscan::WasScan {
        name: Some("Tour scan".into()),
        r#type: Some(wasscan::WasScanType::Vulnerability),
        target: Some(wasscan::WasScanTarget {
            web_app: Some(wasscan::WebApp {
                id: Some(id),
                ..Default::default()
            }),
            ..Default::default()
        }),
        profile: Some(wasscan::WasScanOptionProfile {
            id: Some(1),
            ..Default::default()
        }),
        ..Default::default()
    };
    let launched = client.was().wasscan().launch(scan).await?.into_items();
    let scan_id = launched.first().and_then(|s| s.id).ok_or("no scan id")?;
    let status = client
        .was()
        .wasscan()
        .status(scan_id)
        .await?
        .into_items()
        .remove(0);
    let download = client.was().wasscan().download(scan_id).await?;
    println!(
        "scan {scan_id}: {:?}; download names {:?}",
        status.status, download.name
    );

    // Page through every high-severity finding (pages of 1,000, `id GREATER lastId`).
    let mut pages = client.was().finding().search_all(
        [finding::filter::Severity.greater(3)],
        PagingMode::default(),
    );
    let mut count = 0;
    while let Some(finding) = pages.try_next().await? {
        if count < 3 {
            println!(
                "finding {:?} qid {:?} severity {:?}",
                finding.id, finding.qid, finding.severity
            );
        }
        count += 1;
    }
    let expected = client
        .was()
        .finding()
        .count([finding::filter::Severity.greater(3)])
        .await?;
    println!(
        "{count} findings of severity 4 or 5 (count says {expected}), in {} pages",
        pages.pages_fetched()
    );

    // Errors arrive typed: the server answers an unknown id with NOT_FOUND in an HTTP 200.
    match client.was().webapp().get(424_242).await {
        Err(error) => println!("get 424242: {error} (code {:?})", error.api_code()),
        Ok(_) => println!("get 424242: unexpectedly found"),
    }
    Ok(())
}
