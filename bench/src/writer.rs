//! The pretty-printing XML writer records are written with, and the text helpers (escaping, dates, ids, hosts,
//! URLs, base64) and word lists both kinds of record share.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::rng::Rng;

/// Pretty-printing writer with the record's random generator.
pub(crate) struct Writer<'a> {
    pub(crate) out: &'a mut String,
    pub(crate) rng: Rng,
    pub(crate) depth: usize,
}

impl Writer<'_> {
    pub(crate) fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    /// `<name>text</name>`, `text` escaped.
    pub(crate) fn leaf(&mut self, name: &str, text: impl std::fmt::Display) {
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
    pub(crate) fn cdata(&mut self, name: &str, text: &str) {
        self.open(name);
        self.indent();
        let _ = writeln!(self.out, "<![CDATA[{text}]]>");
        self.close(name);
    }

    /// `<name attrs><![CDATA[text]]></name>` on one line (list items with attributes).
    pub(crate) fn cdata_inline(&mut self, name: &str, attributes: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}{attributes}><![CDATA[{text}]]></{name}>");
    }

    /// `<name>` with a number in `lo..=hi`.
    pub(crate) fn num(&mut self, name: &str, lo: u64, hi: u64) {
        let value = self.rng.range(lo, hi);
        self.leaf(name, value);
    }

    pub(crate) fn date(&mut self, name: &str) {
        let text = date(&mut self.rng);
        self.leaf(name, text);
    }

    pub(crate) fn bool(&mut self, name: &str, percent_true: u64) {
        let value = self.rng.chance(percent_true);
        self.leaf(name, value);
    }

    /// A `<count/><list>...</list>` collection (the list is left out when empty, as Qualys does).
    pub(crate) fn collection(
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

    pub(crate) fn user(&mut self, name: &str) {
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

    pub(crate) fn tags(&mut self, name: &str, n: u64) {
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

pub(crate) fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub(crate) fn date(rng: &mut Rng) -> String {
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
pub(crate) fn dates(rng: &mut Rng) -> [String; 4] {
    let mut dates = [date(rng), date(rng), date(rng), date(rng)];
    dates.sort();
    dates
}

pub(crate) fn uuid(rng: &mut Rng) -> String {
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

pub(crate) fn host(rng: &mut Rng) -> String {
    format!(
        "{}{}.{}",
        rng.pick(HOSTS),
        rng.range(1, 40),
        rng.pick(DOMAINS)
    )
}

pub(crate) fn path(rng: &mut Rng) -> String {
    let mut path = String::new();
    for _ in 0..rng.range(1, 4) {
        path.push('/');
        path.push_str(rng.pick::<&str>(PATH_PARTS));
    }
    path
}

pub(crate) fn url(rng: &mut Rng, host: &str) -> String {
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
pub(crate) fn base64_of(rng: &mut Rng, parts: &[&str], len: u64) -> String {
    let mut text = String::new();
    while (text.len() as u64) < len {
        text.push_str(rng.pick::<&str>(parts));
        let _ = write!(text, "{}\r\n", rng.range(0, 99_999));
    }
    BASE64.encode(text)
}

pub(crate) const HOSTS: &[&str] = &[
    "www", "shop", "api", "portal", "intranet", "pay", "auth", "cdn", "app",
];
pub(crate) const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "acme-corp.example",
    "bücher.example",
    "test.example.net",
];
pub(crate) const PATH_PARTS: &[&str] = &[
    "catalog", "search", "account", "login", "cart", "checkout", "api", "v2", "items", "orders",
    "static", "admin", "report", "profile", "help",
];
pub(crate) const PARAMS: &[&str] = &[
    "q", "id", "page", "sort", "lang", "redirect", "token", "category", "ref",
];
pub(crate) const TAGS: &[&str] = &[
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
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "José", "Søren", "Zoë",
];
pub(crate) const LAST_NAMES: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Müller", "O'Brien",
];
pub(crate) const APP_WORDS: &[&str] = &[
    "Customer", "Portal", "Payments", "Gateway", "Catalog", "Booking", "Partner", "HR", "Intranet",
    "Support", "Checkout", "Admin", "Mobile", "API", "Legacy",
];
