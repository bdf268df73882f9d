//! Memory probe: reads a findings response from a file, record by record or whole, for `/usr/bin/time -v` to
//! report the peak RSS of (`scripts/memprobe.sh` runs it at 1, 20 and 200 MB).
//!
//! ```text
//! memprobe generate SIZE        writes the findings document of about SIZE (e.g. 200MB) to the corpus cache,
//!                               streaming, and prints its path
//! memprobe stream FILE          ItemStream over a BufReader<File>: one Finding in memory at a time
//! memprobe collect FILE         from_reader over a BufReader<File>: the whole ServiceResponse in memory
//! memprobe baseline             nothing: the process's own footprint
//! ```

use std::fs::File;
use std::io::BufReader;

use qps_bench::Kind;
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::from_reader;
use qualys_qps::was::finding::{Finding, ServiceResponse};

const USAGE: &str = "usage: memprobe generate SIZE | stream FILE | collect FILE | baseline";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).expect(USAGE);
    match arg(0) {
        "generate" => {
            let size = qps_bench::parse_size(arg(1)).expect(USAGE);
            let path = qps_bench::cached(Kind::Findings, size).expect("write the corpus");
            println!("{}", path.display());
        }
        "stream" => {
            let file = BufReader::new(File::open(arg(1)).expect("open the document"));
            let mut stream =
                ItemStream::<_, Finding>::from_reader(file, &["Finding"]).expect("a response");
            let count = stream.header().count.unwrap_or_default();
            let (mut records, mut payloads) = (0usize, 0usize);
            for finding in &mut stream {
                let finding = finding.expect("a finding");
                records += 1;
                payloads += payload_count(&finding);
            }
            println!("stream: {records} findings (count {count}), {payloads} payloads");
        }
        "collect" => {
            let file = BufReader::new(File::open(arg(1)).expect("open the document"));
            let response: ServiceResponse = from_reader(file).expect("a response");
            let findings = response.data.map(|d| d.finding).unwrap_or_default();
            let payloads: usize = findings.iter().map(payload_count).sum();
            println!("collect: {} findings, {payloads} payloads", findings.len());
        }
        "baseline" => println!("baseline"),
        _ => panic!("{USAGE}"),
    }
}

/// Something to do with each record, so that reading it is not optimized away.
fn payload_count(finding: &Finding) -> usize {
    finding
        .result_list
        .iter()
        .flat_map(|results| results.list.iter().flatten())
        .filter_map(|result| result.payloads.as_ref()?.list.as_ref())
        .map(Vec::len)
        .sum()
}
