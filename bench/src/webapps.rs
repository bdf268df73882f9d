//! `<WebApp>` records (`was/webapp` search results), their schedules, and the word lists only they use.

use crate::writer::{APP_WORDS, Writer, ascii_lower, base64_of, date, dates, host, path, url};

pub(crate) fn web_app(w: &mut Writer<'_>, id: u64) {
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
