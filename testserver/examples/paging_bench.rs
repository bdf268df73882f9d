//! Pipelined against sequential paging, side by side in one run, against the local QPS server on 127.0.0.1.
//!
//! Walks `--records` web apps (default 100,000) in pages of `--page` (default 1,000) by id, with `--latency-ms`
//! (default 200) of latency before each response's first byte, in two settings: latency only, and latency
//! plus a body limited to `--bandwidth-kib` KiB/s (default 2048, 2 MiB/s). Each walk runs with a concurrency
//! cap of 1 (sequential) and without one (pipelined: the next page is requested at the current page's
//! header), and the walks alternate.
//!
//! Run with `cargo run --release -p qps-testserver --example paging_bench`.

use std::time::{Duration, Instant};

use qps_testserver::{Config, TestServer};
use qualys_qps::prelude::*;
use qualys_qps::runtime::{BaseUrl, Credentials};
use qualys_qps::was::webapp;

struct Args {
    records: usize,
    page: u32,
    latency: Duration,
    bandwidth: u64,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        records: 100_000,
        page: 1_000,
        latency: Duration::from_millis(200),
        bandwidth: 2048 * 1024,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag}: {value:?} is not a whole number"))?;
        match flag.as_str() {
            "--records" => args.records = number as usize,
            "--page" => args.page = number.clamp(1, 1000) as u32,
            "--latency-ms" => args.latency = Duration::from_millis(number),
            "--bandwidth-kib" => args.bandwidth = number.max(1) * 1024,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

/// Walks every record once; returns the time taken and checks that each record came once, in order.
async fn walk(server: &TestServer, args: &Args, cap: Option<usize>) -> Result<Duration, String> {
    let config = server.config();
    let mut builder = Client::builder()
        .base_url(BaseUrl::parse(server.base_url()).map_err(|e| e.to_string())?)
        .credentials(Credentials::new(
            config.username.clone(),
            config.password.clone(),
        ))
        .no_proxy();
    if let Some(cap) = cap {
        builder = builder.concurrency_limit(cap);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut stream = client.was().webapp().search_all(
        [],
        PagingMode::Id {
            page_size: args.page,
        },
    );
    let mut expected = 1;
    while let Some(app) = stream.try_next().await.map_err(|e| e.to_string())? {
        if app.id != Some(expected) {
            return Err(format!("expected id {expected}, got {:?}", app.id));
        }
        expected += 1;
    }
    let elapsed = started.elapsed();
    if expected - 1 != args.records as i64 {
        return Err(format!("{} records, not {}", expected - 1, args.records));
    }
    Ok(elapsed)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let args = args()?;
    println!(
        "{} web apps in pages of {}, {} ms before each response",
        args.records,
        args.page,
        args.latency.as_millis()
    );
    for bandwidth in [None, Some(args.bandwidth)] {
        let server = TestServer::start(Config {
            latency: Some(args.latency),
            bandwidth,
            ..Config::default()
        })
        .await;
        server.generate::<webapp::WebApp>(args.records);
        let sequential = walk(&server, &args, Some(1)).await?;
        let page_bytes = server
            .requests()
            .first()
            .map_or(0, |r| r.response_body.len());
        let pipelined = walk(&server, &args, None).await?;
        let setting = match bandwidth {
            None => "latency only".to_owned(),
            Some(b) => format!("latency + {} KiB/s", b / 1024),
        };
        println!(
            "{setting:<24} sequential {:>7.2} s   pipelined {:>7.2} s   ratio {:.2}   ({} pages of ~{} KB)",
            sequential.as_secs_f64(),
            pipelined.as_secs_f64(),
            pipelined.as_secs_f64() / sequential.as_secs_f64(),
            server.requests().len() / 2,
            page_bytes / 1000,
        );
    }
    Ok(())
}
