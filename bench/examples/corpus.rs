//! Writes a benchmark document to stdout: `cargo run -p qps-bench --example corpus -- findings 1MB`.

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args
        .next()
        .and_then(|k| qps_bench::Kind::from_name(&k))
        .expect("usage: corpus findings|webapps SIZE");
    let size = args
        .next()
        .and_then(|s| qps_bench::parse_size(&s))
        .expect("usage: corpus findings|webapps SIZE (e.g. 20MB)");
    let plan = qps_bench::Plan::new(kind, size, qps_bench::SEED);
    let stdout = std::io::stdout().lock();
    plan.write_to(std::io::BufWriter::new(stdout))
        .expect("write the document");
    eprintln!("{} records, {} bytes", plan.records, plan.bytes);
    let _ = std::io::stderr().flush();
}
