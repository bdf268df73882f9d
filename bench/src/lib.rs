//! A deterministic benchmark corpus: large WAS `ServiceResponse` documents shaped like real Qualys output.
//!
//! - [`Kind::Findings`]: verbose finding search results: result lists with access paths and payloads (base64
//!   request headers, bodies and responses, `payloadResponce`), CWE lists (items named `long`), OWASP and WASC
//!   lists, cvssV3, web application tags, histories, some SSL data and ignored findings.
//! - [`Kind::WebApps`]: verbose web application search results: every field of `WebApp`, lists with
//!   `regex` attributes, schedules, comments, last scans, crawling scripts, now and then a base64 screenshot.
//!
//! Text follows Qualys's habits: CDATA on its own line for `Cdata` elements, pretty-printed with two-space
//! indentation, entity references (`&amp;`) in plain text, some non-ASCII text. Every document is valid against
//! `schemas/was/3.0/finding.xsd` or `webapp.xsd` (a test checks a 1 MB sample with xmllint).
//!
//! Record `i` depends only on the seed and `i`, so a document of any size is written in two streaming passes
//! (the first counts the records that reach the size, for `<count>`) without ever being held in memory.
//! Documents are generated at bench time and never committed; [`cached`] keeps them under
//! `target/bench-corpus/`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

mod findings;
mod rng;
mod webapps;
mod writer;

pub use rng::Rng;
use writer::Writer;

/// The seed of every benchmark document.
pub const SEED: u64 = 0x0005_EED0_F9A5_2024;

/// Bumped whenever the generator changes what it writes, so cached documents are not reused.
pub const CORPUS_VERSION: u32 = 1;

/// One megabyte, as throughput figures count it (10^6 bytes).
pub const MB: u64 = 1_000_000;

/// What the document's records are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `was/finding` search results (`<Finding>` records).
    Findings,
    /// `was/webapp` search results (`<WebApp>` records).
    WebApps,
}

impl Kind {
    /// A short name for file and benchmark names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Findings => "findings",
            Kind::WebApps => "webapps",
        }
    }

    /// The record element.
    pub fn item(self) -> &'static str {
        match self {
            Kind::Findings => "Finding",
            Kind::WebApps => "WebApp",
        }
    }

    /// The schema the documents are valid against, relative to the repository root.
    pub fn schema(self) -> &'static str {
        match self {
            Kind::Findings => "schemas/was/3.0/finding.xsd",
            Kind::WebApps => "schemas/was/3.0/webapp.xsd",
        }
    }

    /// Parses [`Kind::name`].
    pub fn from_name(name: &str) -> Option<Kind> {
        match name {
            "findings" => Some(Kind::Findings),
            "webapps" => Some(Kind::WebApps),
            _ => None,
        }
    }
}

/// The records a document of a given size holds, and its exact length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// The kind of records.
    pub kind: Kind,
    /// The seed.
    pub seed: u64,
    /// How many records.
    pub records: usize,
    /// The document's length in bytes.
    pub bytes: u64,
}

impl Plan {
    /// The smallest number of records whose document reaches `target_bytes` (at least one record).
    pub fn new(kind: Kind, target_bytes: u64, seed: u64) -> Plan {
        let mut record = String::new();
        let mut records = 0;
        let mut body = 0u64;
        loop {
            record.clear();
            write_record(kind, seed, records, &mut record);
            body += record.len() as u64;
            records += 1;
            let bytes = body + (header(kind, seed, records).len() + FOOTER.len()) as u64;
            if bytes >= target_bytes {
                return Plan {
                    kind,
                    seed,
                    records,
                    bytes,
                };
            }
        }
    }

    /// Writes the document to `out` record by record (wrap a file in a `BufWriter`).
    pub fn write_to(&self, mut out: impl Write) -> io::Result<()> {
        out.write_all(header(self.kind, self.seed, self.records).as_bytes())?;
        let mut record = String::new();
        for i in 0..self.records {
            record.clear();
            write_record(self.kind, self.seed, i, &mut record);
            out.write_all(record.as_bytes())?;
        }
        out.write_all(FOOTER.as_bytes())?;
        out.flush()
    }

    /// The document, in memory.
    pub fn document(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes as usize);
        self.write_to(&mut out)
            .expect("writing to memory cannot fail");
        debug_assert_eq!(out.len() as u64, self.bytes);
        out
    }
}

/// A document of about `target_bytes` (a little more: whole records) with the default seed.
pub fn document(kind: Kind, target_bytes: u64) -> Vec<u8> {
    Plan::new(kind, target_bytes, SEED).document()
}

/// Where [`cached`] keeps documents: `$QPS_BENCH_CORPUS` if set, else `target/bench-corpus` in the workspace.
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("QPS_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the bench crate is in the workspace")
            .join("target/bench-corpus"),
    }
}

/// The path of a document of about `target_bytes` with the default seed, written (streaming) on first use.
pub fn cached(kind: Kind, target_bytes: u64) -> io::Result<PathBuf> {
    let dir = cache_dir();
    let path = dir.join(format!(
        "{}-{}-{:x}-v{CORPUS_VERSION}.xml",
        kind.name(),
        size_label(target_bytes),
        SEED
    ));
    if path.exists() {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)?;
    let partial = path.with_extension(format!("partial.{}", std::process::id()));
    let plan = Plan::new(kind, target_bytes, SEED);
    plan.write_to(io::BufWriter::new(std::fs::File::create(&partial)?))?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// `1MB`, `20MB`, `200MB`, or the byte count when it is not whole megabytes.
pub fn size_label(bytes: u64) -> String {
    if bytes % MB == 0 {
        format!("{}MB", bytes / MB)
    } else {
        format!("{bytes}B")
    }
}

/// Parses `1MB`, `20mb`, `200` (megabytes) or `12345B`.
pub fn parse_size(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    if let Some(bytes) = lower.strip_suffix('b').filter(|s| !s.ends_with('m')) {
        return bytes.parse().ok();
    }
    let mb = lower.strip_suffix("mb").unwrap_or(&lower);
    mb.parse::<u64>().ok().map(|n| n * MB)
}

// -------------------------------------------------------------------------------------------------------------
// Documents

const FOOTER: &str = "  </data>\n</ServiceResponse>\n";

fn header(kind: Kind, seed: u64, records: usize) -> String {
    let schema = kind.schema().rsplit('/').next().unwrap_or_default();
    let last_id = record_id(kind, seed, records.saturating_sub(1));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ServiceResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"https://qualysapi.qualys.com/qps/xsd/3.0/was/{schema}\">\n\
         \x20 <responseCode>SUCCESS</responseCode>\n\
         \x20 <count>{records}</count>\n\
         \x20 <hasMoreRecords>true</hasMoreRecords>\n\
         \x20 <lastId>{last_id}</lastId>\n\
         \x20 <data>\n"
    )
}

/// Ids grow with the record index, as in a search sorted by id.
fn record_id(kind: Kind, seed: u64, index: usize) -> u64 {
    let base = match kind {
        Kind::Findings => 7_132_230,
        Kind::WebApps => 6_620_298,
    };
    base + (seed % 1000) + index as u64 * 3
}

/// Appends record `index` of the document (indented, one `<Finding>` or `<WebApp>` element).
pub fn write_record(kind: Kind, seed: u64, index: usize, out: &mut String) {
    let mut w = Writer {
        out,
        rng: Rng::for_record(seed, index),
        depth: 2,
    };
    let id = record_id(kind, seed, index);
    match kind {
        Kind::Findings => findings::finding(&mut w, id),
        Kind::WebApps => webapps::web_app(&mut w, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_deterministic_and_reach_their_size() {
        let plan = Plan::new(Kind::Findings, 200_000, SEED);
        let a = plan.document();
        assert_eq!(a.len() as u64, plan.bytes);
        assert!(plan.bytes >= 200_000 && plan.records > 10, "{plan:?}");
        assert_eq!(a, Plan::new(Kind::Findings, 200_000, SEED).document());
        assert_ne!(a, Plan::new(Kind::Findings, 200_000, SEED + 1).document());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("20MB"), Some(20 * MB));
        assert_eq!(parse_size("200"), Some(200 * MB));
        assert_eq!(parse_size("1234b"), Some(1234));
        assert_eq!(size_label(20 * MB), "20MB");
    }
}
