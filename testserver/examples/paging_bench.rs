//! Pipelined against sequential paging, side by side in one run, against the local QPS server on 127.0.0.1.
//!
//! Walks `--records` web apps (default 100,000) in pages of `--page` (default 1,000) by id, with `--latency-ms`
//! (default 200) from each request to its response's first byte, once per body bandwidth of `--bandwidth-kib`
//! (KiB/s, a comma-separated list; 0 for unlimited; default `0,4096,2048,1024`). Each setting walks with a
//! concurrency cap of 1 (sequential) and without one (pipelined: the next page is requested at the current
//! page's header), one after the other on the same server, each checking that every record came once and in
//! order.
//!
//! Besides the times and their ratio it prints what a page costs: `T`, a sequential page's time beyond the
//! latency (serve, send and read it), and the ratio a one-page-ahead overlap allows over one shared link,
//! `max(L, T) / (L + T)`: sequential takes `N (L + T)`; pipelined, the next request leaving at the header,
//! about `N max(L, T)` (this server paces each response on its own, so with `T > L` it does better).
//!
//! Run with `cargo run --release -p qps-testserver --example paging_bench`.

use std::time::{Duration, Instant};

use qps_testserver::{Config, TestServer, bench};
use qualys_qps::prelude::*;
use qualys_qps::runtime::{BaseUrl, Credentials};
use qualys_qps::was::webapp;

struct Args {
    records: usize,
    page: u32,
    latency: Duration,
    /// Bytes per second; `None` for unlimited.
    bandwidths: Vec<Option<u64>>,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        records: 100_000,
        page: 1_000,
        latency: Duration::from_millis(200),
        bandwidths: vec![
            None,
            Some(4096 * 1024),
            Some(2048 * 1024),
            Some(1024 * 1024),
        ],
    };
    for pair in bench::flag_values(std::env::args().skip(1)) {
        let (flag, value) = pair?;
        let number = |text: &str| bench::whole_number::<u64>(&flag, text);
        match flag.as_str() {
            "--records" => args.records = bench::whole_number(&flag, &value)?,
            "--page" => args.page = number(&value)?.clamp(1, 1000) as u32,
            "--latency-ms" => args.latency = Duration::from_millis(number(&value)?),
            "--bandwidth-kib" => {
                args.bandwidths = value
                    .split(',')
                    .map(|part| number(part).map(|kib| (kib > 0).then_some(kib * 1024)))
                    .collect::<Result<_, _>>()?;
            }
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
        "{} web apps in pages of {}, L = {} ms from each request to its response",
        args.records,
        args.page,
        args.latency.as_millis()
    );
    println!(
        "{:<16} {:>11} {:>11} {:>6} {:>11} {:>18} {:>12}",
        "body", "sequential", "pipelined", "ratio", "T per page", "max(L,T)/(L+T)", "connections"
    );
    let mut shape = String::new();
    for &bandwidth in &args.bandwidths {
        let server = TestServer::start(Config {
            latency: Some(args.latency),
            bandwidth,
            ..Config::default()
        })
        .await;
        server.generate::<webapp::WebApp>(args.records);
        let sequential = walk(&server, &args, Some(1)).await?;
        let pages = server.requests().len();
        let sequential_connections = server.connections();
        let page_bytes = server
            .requests()
            .first()
            .map_or(0, |r| r.response_body.len());
        let pipelined = walk(&server, &args, None).await?;
        let pipelined_connections = server.connections() - sequential_connections;
        let setting = match bandwidth {
            None => "unlimited".to_owned(),
            Some(b) => format!("{} KiB/s", b / 1024),
        };
        let latency = args.latency.as_secs_f64();
        let per_page = (sequential.as_secs_f64() / pages.max(1) as f64 - latency).max(0.0);
        println!(
            "{setting:<16} {:>9.2} s {:>9.2} s {:>6.2} {:>8.0} ms {:>18.2} {:>5} / {:<5}",
            sequential.as_secs_f64(),
            pipelined.as_secs_f64(),
            pipelined.as_secs_f64() / sequential.as_secs_f64(),
            per_page * 1000.0,
            latency.max(per_page) / (latency + per_page),
            sequential_connections,
            pipelined_connections,
        );
        shape = format!("{pages} pages of about {} KB", page_bytes / 1000);
    }
    println!("{shape}; connections: TCP connections the server accepted, sequential / pipelined");
    Ok(())
}
