//! Runs one read path over a corpus document in a loop, for profilers:
//! `cargo run --release -p qps-bench --example profile -- reader_collect webapps 20MB 5`.
//!
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='profile::run*' ...` counts the reading
//! alone, without the corpus generation.

use std::io::BufReader;

use qps_bench::Kind;
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{from_reader, from_str, read_document, read_document_with_drift};
use qualys_qps::was::{finding, webapp};
use quick_xml::events::Event;

const USAGE: &str = "usage: profile PATH findings|webapps SIZE [ITERATIONS]; PATH is tokenizer, tokenizer_bufread, \
                     reader_collect, reader_collect_bufread, reader_stream, reader_stream_bufread, serde_from_str or \
                     serde_from_reader";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().expect(USAGE).as_str();
    let kind = Kind::from_name(args.get(1).expect(USAGE)).expect(USAGE);
    let size = qps_bench::parse_size(args.get(2).expect(USAGE)).expect(USAGE);
    let iterations: usize = args.get(3).map_or(1, |n| n.parse().expect(USAGE));
    let xml = qps_bench::document(kind, size);
    let mut total = 0;
    let mut best = std::time::Duration::MAX;
    for _ in 0..iterations {
        let started = std::time::Instant::now();
        total += run(path, kind, &xml);
        best = best.min(started.elapsed());
    }
    println!(
        "{path} {} {}: {total} (best of {iterations}: {:.2} ms, {:.0} MB/s)",
        kind.name(),
        qps_bench::size_label(size),
        best.as_secs_f64() * 1e3,
        xml.len() as f64 / 1e6 / best.as_secs_f64()
    );
}

/// One pass of `path` over `xml`: the number of events or records.
#[inline(never)]
fn run(path: &str, kind: Kind, xml: &[u8]) -> usize {
    match (path, kind) {
        ("tokenizer", _) => {
            let mut reader = quick_xml::Reader::from_reader(xml);
            let mut events = 0;
            while !matches!(reader.read_event().unwrap(), Event::Eof) {
                events += 1;
            }
            events
        }
        ("tokenizer_bufread", _) => {
            let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
            let mut buf = Vec::new();
            let mut events = 0;
            loop {
                buf.clear();
                if matches!(reader.read_event_into(&mut buf).unwrap(), Event::Eof) {
                    break events;
                }
                events += 1;
            }
        }
        ("reader_collect", Kind::Findings) => read_document::<finding::ServiceResponse>(xml)
            .unwrap()
            .data
            .unwrap()
            .finding
            .len(),
        ("reader_collect", Kind::WebApps) => read_document::<webapp::ServiceResponse>(xml)
            .unwrap()
            .data
            .unwrap()
            .web_app
            .len(),
        // The same with drift recorded (the element path kept, every unknown thing counted).
        ("reader_collect_drift", Kind::Findings) => {
            read_document_with_drift::<finding::ServiceResponse>(xml)
                .unwrap()
                .0
                .data
                .unwrap()
                .finding
                .len()
        }
        ("reader_collect_drift", Kind::WebApps) => {
            read_document_with_drift::<webapp::ServiceResponse>(xml)
                .unwrap()
                .0
                .data
                .unwrap()
                .web_app
                .len()
        }
        ("reader_collect_bufread", Kind::Findings) => {
            from_reader::<finding::ServiceResponse, _>(BufReader::new(xml))
                .unwrap()
                .data
                .unwrap()
                .finding
                .len()
        }
        ("reader_collect_bufread", Kind::WebApps) => {
            from_reader::<webapp::ServiceResponse, _>(BufReader::new(xml))
                .unwrap()
                .data
                .unwrap()
                .web_app
                .len()
        }
        ("reader_stream", Kind::Findings) => {
            ItemStream::<_, finding::Finding>::from_bytes(xml, &["Finding"])
                .unwrap()
                .map(Result::unwrap)
                .count()
        }
        ("reader_stream", Kind::WebApps) => {
            ItemStream::<_, webapp::WebApp>::from_bytes(xml, &["WebApp"])
                .unwrap()
                .map(Result::unwrap)
                .count()
        }
        ("reader_stream_bufread", Kind::Findings) => {
            ItemStream::<_, finding::Finding>::from_reader(BufReader::new(xml), &["Finding"])
                .unwrap()
                .map(Result::unwrap)
                .count()
        }
        ("reader_stream_bufread", Kind::WebApps) => {
            ItemStream::<_, webapp::WebApp>::from_reader(BufReader::new(xml), &["WebApp"])
                .unwrap()
                .map(Result::unwrap)
                .count()
        }
        ("serde_from_str", Kind::Findings) => {
            from_str::<finding::ServiceResponse>(std::str::from_utf8(xml).unwrap())
                .unwrap()
                .data
                .unwrap()
                .finding
                .len()
        }
        ("serde_from_str", Kind::WebApps) => {
            from_str::<webapp::ServiceResponse>(std::str::from_utf8(xml).unwrap())
                .unwrap()
                .data
                .unwrap()
                .web_app
                .len()
        }
        ("serde_from_reader", Kind::Findings) => {
            quick_xml::de::from_reader::<_, finding::ServiceResponse>(BufReader::new(xml))
                .unwrap()
                .data
                .unwrap()
                .finding
                .len()
        }
        ("serde_from_reader", Kind::WebApps) => {
            quick_xml::de::from_reader::<_, webapp::ServiceResponse>(BufReader::new(xml))
                .unwrap()
                .data
                .unwrap()
                .web_app
                .len()
        }
        _ => panic!("{USAGE}"),
    }
}
