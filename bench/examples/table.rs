//! Prints the results of the last `cargo bench -p qps-bench` as the Markdown table BENCHMARKS.md shows: per
//! document and path, the median time, the throughput in MB/s (10^6 bytes) and the ratio to the bare tokenizer.
//! Reads criterion's `target/criterion/<document>/<path>/new/*.json`, or a saved baseline's
//! (`cargo bench -p qps-bench -- --save-baseline NAME`, then `--example table -- NAME`).

use std::path::{Path, PathBuf};

use serde_json::Value;

fn main() {
    let baseline = std::env::args().nth(1).unwrap_or_else(|| "new".to_owned());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run `cargo bench -p qps-bench` first)",
                root.display()
            )
        })
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.join("tokenizer")
                .join(&baseline)
                .join("estimates.json")
                .exists()
        })
        .collect();
    // findings before webapps, small before large.
    groups.sort_by_key(|path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (kind, size) = name.split_once('_').unwrap_or((&name, ""));
        let megabytes: u64 = size.trim_end_matches("MB").parse().unwrap_or(u64::MAX);
        (kind.to_owned(), megabytes)
    });
    let paths = [
        "tokenizer",
        "tokenizer_bufread",
        "reader_collect",
        "reader_collect_bufread",
        "reader_stream",
        "reader_stream_bufread",
        "serde_from_str",
        "serde_from_reader",
    ];
    println!("| document | path | median | MB/s | x tokenizer |");
    println!("|---|---|---:|---:|---:|");
    for group in groups {
        let name = group.file_name().unwrap().to_string_lossy().into_owned();
        let floor = median_ns(&group.join("tokenizer").join(&baseline));
        for path in paths {
            let dir = group.join(path).join(&baseline);
            if !dir.join("estimates.json").exists() {
                continue;
            }
            let median = median_ns(&dir);
            let bytes = read_json(&dir.join("benchmark.json"))["throughput"]["Bytes"]
                .as_f64()
                .expect("a throughput in bytes");
            println!(
                "| {name} | {path} | {} | {:.0} | {:.2}x |",
                duration(median),
                bytes / 1e6 / (median / 1e9),
                median / floor
            );
        }
    }
}

fn median_ns(dir: &Path) -> f64 {
    read_json(&dir.join("estimates.json"))["median"]["point_estimate"]
        .as_f64()
        .expect("a median")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn duration(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else {
        format!("{:.0} µs", ns / 1e3)
    }
}
