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

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

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
// Randomness

/// SplitMix64: tiny, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for record `index` of the document with `seed`.
    pub fn for_record(seed: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
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
        Kind::Findings => finding(&mut w, id),
        Kind::WebApps => web_app(&mut w, id),
    }
}

/// Pretty-printing writer with the record's random generator.
struct Writer<'a> {
    out: &'a mut String,
    rng: Rng,
    depth: usize,
}

impl Writer<'_> {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    /// `<name>text</name>`, `text` escaped.
    fn leaf(&mut self, name: &str, text: impl std::fmt::Display) {
        self.indent();
        let _ = write!(self.out, "<{name}>");
        let start = self.out.len();
        let _ = write!(self.out, "{text}");
        if self.out[start..].contains(['&', '<', '>']) {
            let escaped = escape(&self.out[start..]);
            self.out.truncate(start);
            self.out.push_str(&escaped);
        }
        let _ = writeln!(self.out, "</{name}>");
    }

    /// A `Cdata` element as Qualys writes it: the CDATA section on its own line.
    fn cdata(&mut self, name: &str, text: &str) {
        self.open(name);
        self.indent();
        let _ = writeln!(self.out, "<![CDATA[{text}]]>");
        self.close(name);
    }

    /// `<name attrs><![CDATA[text]]></name>` on one line (list items with attributes).
    fn cdata_inline(&mut self, name: &str, attributes: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}{attributes}><![CDATA[{text}]]></{name}>");
    }

    /// `<name>` with a number in `lo..=hi`.
    fn num(&mut self, name: &str, lo: u64, hi: u64) {
        let value = self.rng.range(lo, hi);
        self.leaf(name, value);
    }

    fn date(&mut self, name: &str) {
        let text = date(&mut self.rng);
        self.leaf(name, text);
    }

    fn bool(&mut self, name: &str, percent_true: u64) {
        let value = self.rng.chance(percent_true);
        self.leaf(name, value);
    }

    /// A `<count/><list>...</list>` collection (the list is left out when empty, as Qualys does).
    fn collection(
        &mut self,
        name: &str,
        wrapper: &str,
        n: u64,
        mut item: impl FnMut(&mut Self, u64),
    ) {
        self.open(name);
        self.leaf("count", n);
        if n > 0 {
            self.open(wrapper);
            for i in 0..n {
                item(self, i);
            }
            self.close(wrapper);
        }
        self.close(name);
    }

    fn user(&mut self, name: &str) {
        let (first, last) = (*self.rng.pick(FIRST_NAMES), *self.rng.pick(LAST_NAMES));
        self.open(name);
        self.num("id", 1_000_000, 1_100_000);
        let login = format!(
            "{}_{}{}",
            ascii_lower(first),
            ascii_lower(last),
            self.rng.range(1, 99)
        );
        self.leaf("username", login);
        self.cdata("firstName", first);
        self.cdata("lastName", last);
        self.close(name);
    }

    fn tags(&mut self, name: &str, n: u64) {
        self.collection(name, "list", n, |w, _| {
            w.open("Tag");
            w.num("id", 9_000_000, 9_100_000);
            let tag = *w.rng.pick(TAGS);
            w.cdata("name", tag);
            w.close("Tag");
        });
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn date(rng: &mut Rng) -> String {
    format!(
        "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        rng.range(17, 24),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59)
    )
}

/// Four dates in order (ISO 8601 text sorts as time does).
fn dates(rng: &mut Rng) -> [String; 4] {
    let mut dates = [date(rng), date(rng), date(rng), date(rng)];
    dates.sort();
    dates
}

fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

fn host(rng: &mut Rng) -> String {
    format!(
        "{}{}.{}",
        rng.pick(HOSTS),
        rng.range(1, 40),
        rng.pick(DOMAINS)
    )
}

fn path(rng: &mut Rng) -> String {
    let mut path = String::new();
    for _ in 0..rng.range(1, 4) {
        path.push('/');
        path.push_str(rng.pick::<&str>(PATH_PARTS));
    }
    path
}

fn url(rng: &mut Rng, host: &str) -> String {
    let mut url = format!("https://{host}{}", path(rng));
    if rng.chance(60) {
        let _ = write!(
            url,
            "?{}={}&{}={}",
            rng.pick(PARAMS),
            rng.range(1, 9999),
            rng.pick(PARAMS),
            rng.pick(PATH_PARTS)
        );
    }
    url
}

/// Base64 of `len` bytes or so of text built from `parts` (HTTP headers, HTML).
fn base64_of(rng: &mut Rng, parts: &[&str], len: u64) -> String {
    let mut text = String::new();
    while (text.len() as u64) < len {
        text.push_str(rng.pick::<&str>(parts));
        let _ = write!(text, "{}\r\n", rng.range(0, 99_999));
    }
    BASE64.encode(text)
}

// -------------------------------------------------------------------------------------------------------------
// Findings

fn finding(w: &mut Writer<'_>, id: u64) {
    w.open("Finding");
    w.leaf("id", id);
    let unique = uuid(&mut w.rng);
    w.leaf("uniqueId", unique);
    let (qid, title, group, kind) = *w.rng.pick(QIDS);
    w.leaf("qid", qid);
    w.num("detectionScore", 10, 100);
    w.cdata("name", title);
    w.leaf("type", kind);
    w.bool("potential", 10);
    w.leaf("findingType", "QUALYS");
    w.leaf("group", group);
    let vulnerability = kind == "VULNERABILITY";
    if vulnerability {
        let cwes = w.rng.range(1, 3);
        w.collection("cwe", "list", cwes, |w, _| {
            let cwe = *w
                .rng
                .pick(&[79u32, 89, 20, 200, 352, 601, 693, 1004, 16, 22]);
            w.leaf("long", cwe);
        });
        w.collection("owasp", "list", 1, |w, _| {
            let (code, name) = *w.rng.pick(OWASP);
            w.open("OWASP");
            w.cdata("name", name);
            w.leaf("code", code);
            let url = format!(
                "https://owasp.org/Top10/A{code:02}_2021-{}/",
                name.replace(' ', "_")
            );
            w.cdata("url", &url);
            w.close("OWASP");
        });
        let wascs = w.rng.range(1, 2);
        w.collection("wasc", "list", wascs, |w, _| {
            let (code, name) = *w.rng.pick(WASC);
            w.open("WASC");
            w.cdata("name", name);
            w.leaf("code", code);
            let url = format!(
                "http://projects.webappsec.org/w/page/{code}/{}",
                name.replace(' ', "%20")
            );
            w.cdata("url", &url);
            w.close("WASC");
        });
    }
    let site = host(&mut w.rng);
    let results = if vulnerability {
        w.rng.range(1, 3)
    } else {
        w.rng.range(0, 1)
    };
    w.collection("resultList", "list", results, |w, _| {
        result(w, &site, vulnerability)
    });
    w.num("severity", 1, 5);
    if vulnerability {
        w.open("cvssV3");
        let base = w.rng.range(31, 98);
        w.leaf("base", format!("{}.{}", base / 10, base % 10));
        let temporal = base - w.rng.range(0, 6);
        w.leaf("temporal", format!("{}.{}", temporal / 10, temporal % 10));
        w.leaf("attackVector", "Network");
        w.close("cvssV3");
    }
    let finding_url = url(&mut w.rng, &site);
    w.cdata("url", &finding_url);
    let status = *w
        .rng
        .pick(&["NEW", "ACTIVE", "ACTIVE", "REOPENED", "FIXED", "PROTECTED"]);
    w.leaf("status", status);
    // First detected, last detected, last tested (and fixed), updated: in that order.
    let [first, last, tested, updated] = dates(&mut w.rng);
    w.leaf("firstDetectedDate", first);
    w.leaf("lastDetectedDate", last);
    w.leaf("lastTestedDate", &tested);
    if status == "FIXED" {
        w.leaf("fixedDate", tested);
    }
    w.num("timesDetected", 1, 60);
    w.open("webApp");
    w.num("id", 6_000_000, 7_000_000);
    let app = format!("{} {}", w.rng.pick(APP_WORDS), w.rng.pick(APP_WORDS));
    w.cdata("name", &app);
    let home = format!("https://{site}/");
    w.cdata("url", &home);
    let tags = w.rng.range(0, 3);
    w.tags("tags", tags);
    w.close("webApp");
    if vulnerability && w.rng.chance(50) {
        let param = *w.rng.pick(PARAMS);
        w.cdata("param", param);
    }
    let ignored = w.rng.chance(8);
    w.leaf("isIgnored", ignored);
    if ignored {
        let reason = *w
            .rng
            .pick(&["FALSE_POSITIVE", "RISK_ACCEPTED", "NOT_APPLICABLE"]);
        w.leaf("ignoredReason", reason);
        w.user("ignoredBy");
        w.date("ignoredDate");
        w.cdata(
            "ignoredComment",
            "Compensating control: the WAF blocks this pattern & logs it",
        );
    }
    if kind == "INFORMATION_GATHERED" && w.rng.chance(15) {
        ssl_data(w, &site);
    }
    if w.rng.chance(40) {
        let entries = w.rng.range(1, 3);
        w.collection("history", "set", entries, |w, _| {
            w.open("WebAppFindingHistory");
            w.open("scanData");
            w.num("id", 4_000_000, 5_000_000);
            let reference = format!(
                "was/{}.{}",
                w.rng.range(1_500_000_000, 1_700_000_000),
                w.rng.range(10_000, 99_999)
            );
            w.leaf("reference", reference);
            w.date("launchedDate");
            w.close("scanData");
            w.close("WebAppFindingHistory");
        });
    }
    if vulnerability && w.rng.chance(10) {
        w.open("retest");
        w.leaf("retestStatus", "RETESTED");
        w.date("retestedDate");
        w.user("retestedUser");
        w.cdata("findingStatus", "Finding has been detected");
        w.close("retest");
    }
    w.leaf("updatedDate", updated);
    w.close("Finding");
}

fn result(w: &mut Writer<'_>, site: &str, vulnerability: bool) {
    w.open("Result");
    let authenticated = w.rng.chance(30);
    w.leaf("authentication", authenticated);
    let ajax = w.rng.chance(10);
    w.leaf("ajax", ajax);
    if ajax {
        w.num("ajaxRequestId", 1, 400);
    }
    if w.rng.chance(40) {
        let form = url(&mut w.rng, site);
        w.cdata("formLocation", &form);
    }
    let hops = w.rng.range(1, 3);
    w.collection("accessPath", "list", hops, |w, _| {
        let hop = url(&mut w.rng, site);
        w.cdata_inline("Url", "", &hop);
    });
    let payloads = if vulnerability { w.rng.range(1, 2) } else { 1 };
    w.collection("payloads", "list", payloads, |w, _| {
        w.open("PayloadInstance");
        let payload = *w.rng.pick(PAYLOADS);
        w.cdata("payload", payload);
        w.open("request");
        let method = *w.rng.pick(&["GET", "GET", "POST"]);
        w.leaf("method", method);
        let link = url(&mut w.rng, site);
        w.cdata("link", &link);
        let len = w.rng.range(250, 600);
        let headers = base64_of(&mut w.rng, REQUEST_HEADERS, len);
        w.cdata("headers", &headers);
        let body = if method == "POST" {
            let len = w.rng.range(40, 300);
            base64_of(
                &mut w.rng,
                &["username=admin&password=", "q=%3Cscript%3E&page="],
                len,
            )
        } else {
            String::new()
        };
        w.cdata("body", &body);
        w.close("request");
        let len = w.rng.range(600, 2400);
        let response = base64_of(&mut w.rng, RESPONSE_LINES, len);
        w.cdata("response", &response);
        w.open("payloadResponce");
        w.num("offset", 0, 2000);
        w.num("length", 5, 120);
        w.close("payloadResponce");
        w.close("PayloadInstance");
    });
    w.close("Result");
}

fn ssl_data(w: &mut Writer<'_>, site: &str) {
    w.open("sslData");
    w.leaf("protocol", "tcp");
    w.leaf("virtualhost", site);
    let ip = format!(
        "10.{}.{}.{}",
        w.rng.range(0, 255),
        w.rng.range(0, 255),
        w.rng.range(1, 254)
    );
    w.leaf("ip", ip);
    w.leaf("port", 443);
    w.cdata(
        "result",
        "TLSv1.2 and TLSv1.3 offered; weak ciphers accepted on TLSv1.2",
    );
    w.leaf("flags", "");
    w.collection("sslDataInfoList", "list", 1, |w, _| {
        w.open("SSLDataInfo");
        let ciphers = w.rng.range(2, 5);
        w.collection("sslDataCipherList", "list", ciphers, |w, _| {
            let (name, kex, mac, encryption, grade) = *w.rng.pick(CIPHERS);
            w.open("SSLDataCipher");
            w.leaf("protocol", "TLSv1.2");
            w.leaf("name", name);
            w.leaf("keyExchange", kex);
            w.leaf("auth", "RSA");
            w.leaf("mac", mac);
            w.leaf("encryption", encryption);
            w.leaf("grade", grade);
            w.close("SSLDataCipher");
        });
        w.collection("sslDataKexList", "list", 1, |w, _| {
            w.open("SSLDataKex");
            w.leaf("protocol", "TLSv1.2");
            w.leaf("kex", "ECDHE");
            w.leaf("keysize", 256);
            w.leaf("fwdsec", "yes");
            w.leaf("classical", 128);
            w.leaf("quantum", "low");
            w.close("SSLDataKex");
        });
        w.collection("sslDataPropList", "list", 2, |w, i| {
            w.open("SSLDataProp");
            w.leaf("protocol", "TLSv1.2");
            w.leaf(
                "name",
                if i == 0 {
                    "Secure Renegotiation"
                } else {
                    "Compression"
                },
            );
            w.leaf("value", if i == 0 { "yes" } else { "no" });
            w.close("SSLDataProp");
        });
        let fingerprint: String = (0..32)
            .map(|_| format!("{:02X}", w.rng.range(0, 255)))
            .collect();
        w.leaf("certificateFingerprint", fingerprint);
        w.close("SSLDataInfo");
    });
    w.close("sslData");
}

// -------------------------------------------------------------------------------------------------------------
// Web applications

fn web_app(w: &mut Writer<'_>, id: u64) {
    w.open("WebApp");
    w.leaf("id", id);
    let site = host(&mut w.rng);
    let name = format!(
        "{} {} ({})",
        w.rng.pick(APP_WORDS),
        w.rng.pick(APP_WORDS),
        w.rng.pick(CITIES)
    );
    w.cdata("name", &name);
    let home = format!("https://{site}/");
    w.cdata("url", &home);
    let os = *w.rng.pick(&[
        "Linux 3.x",
        "Linux 5.x",
        "Windows Server 2019",
        "FreeBSD 13",
    ]);
    w.leaf("os", os);
    w.user("owner");
    let scope = *w.rng.pick(&["ALL", "LIMIT", "SUBDOMAIN", "DOMAINS"]);
    w.leaf("scope", scope);
    if scope == "SUBDOMAIN" {
        let sub = format!("*.{site}");
        w.cdata("subDomain", &sub);
    }
    let domains = if scope == "DOMAINS" {
        w.rng.range(1, 4)
    } else {
        0
    };
    w.collection("domains", "list", domains, |w, _| {
        let domain = host(&mut w.rng);
        w.cdata_inline("Domain", "", &domain);
    });
    let uris = w.rng.range(0, 3);
    w.collection("uris", "list", uris, |w, _| {
        let uri = url(&mut w.rng, &site);
        w.cdata_inline("Url", "", &uri);
    });
    let attributes = w.rng.range(0, 3);
    w.collection("attributes", "list", attributes, |w, _| {
        let (name, value) = *w.rng.pick(ATTRIBUTES);
        w.open("Attribute");
        w.cdata("name", name);
        w.cdata("value", value);
        w.close("Attribute");
    });
    w.open("defaultProfile");
    w.num("id", 1_000_000, 1_100_000);
    let profile = *w.rng.pick(&[
        "Initial WAS Options",
        "Full scan - all tests",
        "OWASP Top 10 & auth",
    ]);
    w.cdata("name", profile);
    w.close("defaultProfile");
    w.open("defaultScanner");
    let scanner = *w.rng.pick(&["EXTERNAL", "INTERNAL", "scannerTags"]);
    w.leaf("type", scanner);
    if scanner == "INTERNAL" {
        let appliance = format!(
            "scanner-{}-{}",
            ascii_lower(w.rng.pick::<&str>(CITIES)),
            w.rng.range(1, 9)
        );
        w.cdata("friendlyName", &appliance);
    }
    w.close("defaultScanner");
    let scanner_tags = if scanner == "scannerTags" {
        w.rng.range(1, 2)
    } else {
        0
    };
    w.tags("defaultScannerTags", scanner_tags);
    w.bool("scannerLocked", 20);
    w.bool("progressiveScanning", 50);
    w.num("redundancyLinks", 0, 10);
    w.num("maxRedundancyLinks", 0, 30);
    for list in [
        "urlExcludelist",
        "urlAllowlist",
        "postDataExcludelist",
        "logoutRegexList",
    ] {
        let n = w.rng.range(0, 3);
        w.collection(list, "list", n, |w, i| {
            let regex = i % 2 == 0;
            let entry = if regex {
                format!(
                    "https://{}{}.*\\.(pdf|zip)$",
                    site.replace('.', "\\."),
                    path(&mut w.rng)
                )
            } else {
                url(&mut w.rng, &site)
            };
            w.cdata_inline("UrlEntry", &format!(" regex=\"{regex}\""), &entry);
        });
    }
    let auth = w.rng.range(0, 2);
    w.collection("authRecords", "list", auth, |w, _| {
        w.open("WebAppAuthRecord");
        w.num("id", 400_000, 500_000);
        let record = format!("Form login - {}", w.rng.pick(APP_WORDS));
        w.cdata("name", &record);
        w.close("WebAppAuthRecord");
    });
    let dns = w.rng.range(0, 1);
    w.collection("dnsOverrides", "list", dns, |w, _| {
        w.open("DnsOverride");
        w.num("id", 10_000, 20_000);
        w.cdata("name", "staging resolver");
        w.close("DnsOverride");
    });
    let robots = *w.rng.pick(&["IGNORE", "ADD_PATHS", "BLACKLIST"]);
    w.leaf("useRobots", robots);
    w.bool("useSitemap", 40);
    let headers = w.rng.range(0, 3);
    w.collection("headers", "list", headers, |w, _| {
        let header = *w.rng.pick(CUSTOM_HEADERS);
        w.cdata_inline("WebAppHeader", "", header);
    });
    let malware = w.rng.chance(30);
    w.leaf("malwareMonitoring", malware);
    if malware {
        w.bool("malwareNotification", 50);
        w.num("malwareTaskId", 100_000, 200_000);
        schedule(w, "malwareScheduling");
    }
    let tags = w.rng.range(0, 6);
    w.tags("tags", tags);
    let comments = w.rng.range(0, 2);
    w.collection("comments", "list", comments, |w, _| {
        w.open("Comment");
        let text = *w.rng.pick(COMMENTS);
        w.cdata("contents", text);
        w.user("author");
        w.date("createdDate");
        w.close("Comment");
    });
    w.bool("isScheduled", 60);
    if w.rng.chance(85) {
        w.open("lastScan");
        w.num("id", 4_000_000, 5_000_000);
        let scan = format!("Web Application Vulnerability Scan - {}", date(&mut w.rng));
        w.cdata("name", &scan);
        w.date("launchedDate");
        let status = *w.rng.pick(&[
            "FINISHED",
            "FINISHED",
            "FINISHED",
            "ERROR",
            "CANCELED",
            "TIME_LIMIT_EXCEEDED",
        ]);
        w.leaf("status", status);
        w.open("summary");
        w.num("crawlDuration", 10, 40_000);
        w.num("testDuration", 10, 90_000);
        w.num("linksCrawled", 1, 3000);
        w.num("nbRequests", 100, 300_000);
        let results = *w.rng.pick(&[
            "SUCCESSFUL",
            "SUCCESSFUL",
            "NO_HOST_ALIVE",
            "TIME_LIMIT_REACHED",
            "SERVICE_ERROR",
        ]);
        w.leaf("resultsStatus", results);
        let auth = *w.rng.pick(&["NONE", "SUCCESSFUL", "FAILED", "PARTIAL"]);
        w.leaf("authStatus", auth);
        w.cdata("os", os);
        w.close("summary");
        w.close("lastScan");
    }
    w.num("riskScore", 0, 1000);
    let [created, _, _, updated] = dates(&mut w.rng);
    w.user("createdBy");
    w.leaf("createdDate", created);
    w.user("updatedBy");
    w.leaf("updatedDate", updated);
    if w.rng.chance(5) {
        let len = w.rng.range(4000, 12_000);
        let png = base64_of(
            &mut w.rng,
            &[
                "\u{89}PNG IHDR IDAT x\u{9c}\u{ed}\u{dd}",
                "IDAT\u{1}\u{2}\u{3}",
            ],
            len,
        );
        w.cdata("screenshot", &png);
    }
    if w.rng.chance(20) {
        w.open("proxy");
        w.num("id", 1000, 2000);
        w.cdata("name", "corporate egress proxy");
        w.cdata("url", "http://proxy.corp.example:3128/");
        w.close("proxy");
    }
    w.open("config");
    match w.rng.range(0, 2) {
        0 => w.num("cancelScansAfterNHours", 1, 24),
        1 => {
            let at = format!("{:02}:00", w.rng.range(0, 23));
            w.leaf("cancelScansAt", at);
        }
        _ => {
            w.open("defaultAuthRecord");
            w.num("id", 400_000, 500_000);
            w.cdata("name", "Default form login");
            w.close("defaultAuthRecord");
        }
    }
    w.close("config");
    let scripts = if w.rng.chance(15) { 1 } else { 0 };
    w.collection("crawlingScripts", "list", scripts, |w, _| {
        w.open("SeleniumScript");
        w.num("id", 100, 999);
        w.cdata("name", "Login and open the account page");
        let script = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><html><head><title>login</title></head><body><table>\
             <tr><td>open</td><td>https://{site}/login</td><td></td></tr>\
             <tr><td>type</td><td>id=username</td><td>qualys_scan</td></tr>\
             <tr><td>clickAndWait</td><td>css=button[type=\"submit\"]</td><td></td></tr></table></body></html>"
        );
        w.cdata("data", &script);
        w.cdata("regex", ".*account.*");
        w.bool("requiresAuthentication", 50);
        let start = format!("https://{site}/login");
        w.cdata("startingUrl", &start);
        w.leaf("startingUrlRegex", false);
        w.close("SeleniumScript");
    });
    w.close("WebApp");
}

fn schedule(w: &mut Writer<'_>, name: &str) {
    w.open(name);
    w.date("startDate");
    w.open("timeZone");
    let (code, offset) = *w.rng.pick(&[
        ("America/New_York", "-05:00"),
        ("Europe/Paris", "+01:00"),
        ("Asia/Kolkata", "+05:30"),
    ]);
    w.leaf("code", code);
    w.leaf("offset", offset);
    w.close("timeZone");
    let occurrence = *w.rng.pick(&["DAILY", "WEEKLY", "MONTHLY"]);
    w.leaf("occurrenceType", occurrence);
    w.open("occurrence");
    match occurrence {
        "DAILY" => {
            w.open("dailyOccurrence");
            w.num("everyNDays", 1, 7);
            w.num("occurrenceCount", 1, 100);
            w.close("dailyOccurrence");
        }
        "WEEKLY" => {
            w.open("weeklyOccurrence");
            w.num("everyNWeeks", 1, 4);
            w.open("onDays");
            for day in ["MONDAY", "THURSDAY"] {
                w.leaf("WeekDay", day);
            }
            w.close("onDays");
            w.close("weeklyOccurrence");
        }
        _ => {
            w.open("monthlyOccurrence");
            w.open("monthlyType");
            w.open("occurDayOrderInMonth");
            w.leaf("dayOrder", "FIRST");
            w.leaf("dayOfMonth", "SUNDAY");
            w.leaf("everyNMonths", 1);
            w.close("occurDayOrderInMonth");
            w.close("monthlyType");
            w.close("monthlyOccurrence");
        }
    }
    w.close("occurrence");
    w.num("cancelAfterNHours", 1, 12);
    w.close(name);
}

// -------------------------------------------------------------------------------------------------------------
// Word lists

const QIDS: &[(u32, &str, &str, &str)] = &[
    (
        150001,
        "Reflected Cross-Site Scripting (XSS) Vulnerabilities",
        "XSS",
        "VULNERABILITY",
    ),
    (150003, "SQL Injection", "SQL", "VULNERABILITY"),
    (150012, "Blind SQL Injection", "SQL", "VULNERABILITY"),
    (
        150046,
        "Reflected Cross-Site Scripting In HTTP Headers",
        "XSS",
        "VULNERABILITY",
    ),
    (150084, "Unencoded characters", "XSS", "VULNERABILITY"),
    (
        150071,
        "Path Disclosure & Directory Listing",
        "PATH",
        "VULNERABILITY",
    ),
    (
        150124,
        "Clickjacking - Framable Page",
        "INFO",
        "VULNERABILITY",
    ),
    (150263, "Insecure Transport", "INFO", "VULNERABILITY"),
    (150009, "Links Crawled", "IG_DIAG", "INFORMATION_GATHERED"),
    (
        150010,
        "External Links Discovered",
        "IG_DIAG",
        "INFORMATION_GATHERED",
    ),
    (
        150014,
        "External Form Actions Discovered",
        "IG_DIAG",
        "INFORMATION_GATHERED",
    ),
    (
        150021,
        "Scan Diagnostics",
        "IG_DIAG",
        "INFORMATION_GATHERED",
    ),
    (
        38116,
        "SSL Server Information Retrieval",
        "IG_WEAK",
        "INFORMATION_GATHERED",
    ),
    (150028, "Cookies Collected", "INFO", "INFORMATION_GATHERED"),
    (
        150102,
        "Credit Card Number Disclosure",
        "CC",
        "SENSITIVE_CONTENT",
    ),
    (
        150103,
        "Social Security Number Disclosure",
        "SSN",
        "SENSITIVE_CONTENT",
    ),
];

const OWASP: &[(u32, &str)] = &[
    (1, "BROKEN ACCESS CONTROL"),
    (2, "CRYPTOGRAPHIC FAILURES"),
    (3, "INJECTION"),
    (5, "SECURITY MISCONFIGURATION"),
    (7, "IDENTIFICATION AND AUTHENTICATION FAILURES"),
];

const WASC: &[(u32, &str)] = &[
    (8, "CROSS-SITE SCRIPTING"),
    (19, "SQL INJECTION"),
    (13, "INFORMATION LEAKAGE"),
    (14, "SERVER MISCONFIGURATION"),
    (15, "APPLICATION MISCONFIGURATION"),
];

const PAYLOADS: &[&str] = &[
    "<script>alert(document.domain)</script>",
    "\"'><qss a=X158043734Y1_1Z>",
    "' OR '1'='1' -- ",
    "1 AND SLEEP(5)",
    "<img src=x onerror=prompt(1)>",
    "../../../../etc/passwd",
    "\"><svg/onload=confirm`1`>",
    "admin'/*",
];

const REQUEST_HEADERS: &[&str] = &[
    "Host: shop.example.com\r\n",
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Qualys WAS\r\n",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n",
    "Referer: https://shop.example.com/catalog?page=",
    "Cookie: JSESSIONID=4F2A9C81D0B7E3A6; qualys_scan=",
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ",
];

const RESPONSE_LINES: &[&str] = &[
    "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\nContent-Type: text/html; charset=UTF-8\r\n",
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Search results</title>",
    "<div class=\"result\"><a href=\"/item?id=",
    "<p>No results for <b>\"'><qss a=X158043734Y1_1Z></b></p>",
    "<script src=\"/static/js/app.min.js?v=",
    "</div></body></html>",
];

const HOSTS: &[&str] = &[
    "www", "shop", "api", "portal", "intranet", "pay", "auth", "cdn", "app",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "acme-corp.example",
    "bücher.example",
    "test.example.net",
];
const PATH_PARTS: &[&str] = &[
    "catalog", "search", "account", "login", "cart", "checkout", "api", "v2", "items", "orders",
    "static", "admin", "report", "profile", "help",
];
const PARAMS: &[&str] = &[
    "q", "id", "page", "sort", "lang", "redirect", "token", "category", "ref",
];
const TAGS: &[&str] = &[
    "Production",
    "PCI",
    "Internet Facing",
    "Business Unit: Payments",
    "Owner: AppSec",
    "Tier 1",
    "GDPR",
    "Région Île-de-France",
    "Cloud Agent",
    "Critical & Exposed",
];
const FIRST_NAMES: &[&str] = &[
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "José", "Søren", "Zoë",
];
const LAST_NAMES: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Müller", "O'Brien",
];
const APP_WORDS: &[&str] = &[
    "Customer", "Portal", "Payments", "Gateway", "Catalog", "Booking", "Partner", "HR", "Intranet",
    "Support", "Checkout", "Admin", "Mobile", "API", "Legacy",
];
const CITIES: &[&str] = &[
    "Paris",
    "Austin",
    "Pune",
    "München",
    "São Paulo",
    "Dublin",
    "Foster City",
];
const ATTRIBUTES: &[(&str, &str)] = &[
    ("Business unit", "Payments"),
    ("Cost center", "CC-4711"),
    ("Data classification", "Confidential & regulated"),
    ("Owner team", "Platform Engineering"),
];
const CUSTOM_HEADERS: &[&str] = &[
    "X-Scanner: Qualys",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxdWFseXMifQ",
    "X-Forwarded-For: 10.0.0.1",
];
const COMMENTS: &[&str] = &[
    "Scan window agreed with the application owner: weekends only.",
    "Excluded /admin after the incident <INC-2231> & re-included it in March.",
    "Authentification échouée : mot de passe expiré.",
];
const CIPHERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDH",
        "AEAD",
        "AESGCM(128)",
        "A",
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDH",
        "AEAD",
        "AESGCM(256)",
        "A",
    ),
    ("AES128-SHA", "RSA", "SHA1", "AES(128)", "C"),
    ("DES-CBC3-SHA", "RSA", "SHA1", "3DES(168)", "C"),
];

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
