//! Reading large `ServiceResponse` documents, every path side by side on the same bytes (`cargo bench -p
//! qps-bench`; BENCHMARKS.md has the results and how to read them).
//!
//! Per document (findings and web applications, 1 MB and 20 MB; `QPS_BENCH_LARGE=1` adds 200 MB):
//! - `tokenizer`: quick-xml's `Reader::from_reader` over the bytes, every event read to EOF, nothing decoded. The
//!   floor any reader built on quick-xml pays.
//! - `tokenizer_bufread`: the same through a `BufReader` (events copied into a buffer): the floor of the
//!   `BufRead` paths.
//! - `reader_collect` / `reader_collect_bufread`: the generated event reader, the whole document into one value
//!   (`read_document`, `from_reader`).
//! - `reader_stream` / `reader_stream_bufread`: `ItemStream`, one record at a time, each dropped.
//! - `serde_from_str` / `serde_from_reader`: quick-xml's serde mapping.

use std::hint::black_box;
use std::io::BufReader;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use qps_bench::{Kind, MB};
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{FromXml, ReadError, RootElement, from_reader, read_document};
use quick_xml::events::Event;
use serde::de::DeserializeOwned;

fn sizes() -> Vec<u64> {
    let mut sizes = vec![MB, 20 * MB];
    if std::env::var_os("QPS_BENCH_LARGE").is_some() {
        sizes.push(200 * MB);
    }
    sizes
}

fn tokenizer(xml: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut events = 0;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => return events,
            _ => events += 1,
        }
    }
}

fn tokenizer_bufread(xml: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    let mut events = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).expect("well-formed") {
            Event::Eof => return events,
            _ => events += 1,
        }
    }
}

/// Reads every record, dropping each before the next.
fn drain<T>(records: impl Iterator<Item = Result<T, ReadError>>) -> usize {
    let mut count = 0;
    for record in records {
        black_box(record.expect("reads"));
        count += 1;
    }
    count
}

/// Every path over one document; `R` is the response type, `T` its record type.
fn paths<R, T>(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    kind: Kind,
    xml: &[u8],
) where
    R: FromXml + RootElement + DeserializeOwned,
    T: FromXml,
{
    let text = std::str::from_utf8(xml).expect("the corpus is UTF-8");
    let items: &'static [&'static str] = match kind {
        Kind::Findings => &["Finding"],
        Kind::WebApps => &["WebApp"],
    };
    group.bench_function("tokenizer", |b| b.iter(|| tokenizer(black_box(xml))));
    group.bench_function("tokenizer_bufread", |b| {
        b.iter(|| tokenizer_bufread(black_box(xml)))
    });
    group.bench_function("reader_collect", |b| {
        b.iter(|| read_document::<R>(black_box(xml)).expect("reads"))
    });
    group.bench_function("reader_collect_bufread", |b| {
        b.iter(|| from_reader::<R, _>(BufReader::new(black_box(xml))).expect("reads"))
    });
    group.bench_function("reader_stream", |b| {
        b.iter(|| drain(ItemStream::<_, T>::from_bytes(black_box(xml), items).expect("opens")))
    });
    group.bench_function("reader_stream_bufread", |b| {
        b.iter(|| {
            drain(
                ItemStream::<_, T>::from_reader(BufReader::new(black_box(xml)), items)
                    .expect("opens"),
            )
        })
    });
    group.bench_function("serde_from_str", |b| {
        b.iter(|| qualys_qps::runtime::xml::from_str::<R>(black_box(text)).expect("reads"))
    });
    group.bench_function("serde_from_reader", |b| {
        b.iter(|| {
            quick_xml::de::from_reader::<_, R>(BufReader::new(black_box(xml))).expect("reads")
        })
    });
}

fn read(c: &mut Criterion) {
    for size in sizes() {
        for kind in [Kind::Findings, Kind::WebApps] {
            let xml = qps_bench::document(kind, size);
            let mut group =
                c.benchmark_group(format!("{}_{}", kind.name(), qps_bench::size_label(size)));
            group.throughput(Throughput::Bytes(xml.len() as u64));
            if size >= 20 * MB {
                // A handful of long iterations: flat sampling, the minimum sample count.
                group
                    .sampling_mode(SamplingMode::Flat)
                    .sample_size(10)
                    .warm_up_time(Duration::from_millis(500))
                    .measurement_time(Duration::from_secs(2));
            } else {
                group
                    .sample_size(20)
                    .warm_up_time(Duration::from_millis(500))
                    .measurement_time(Duration::from_secs(2));
            }
            match kind {
                Kind::Findings => paths::<
                    qualys_qps::was::finding::ServiceResponse,
                    qualys_qps::was::finding::Finding,
                >(&mut group, kind, &xml),
                Kind::WebApps => paths::<
                    qualys_qps::was::webapp::ServiceResponse,
                    qualys_qps::was::webapp::WebApp,
                >(&mut group, kind, &xml),
            }
            group.finish();
        }
    }
}

criterion_group!(benches, read);
criterion_main!(benches);
