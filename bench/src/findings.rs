//! `<Finding>` records (`was/finding` search results) and the word lists only they use.

use crate::writer::{APP_WORDS, PARAMS, Writer, base64_of, dates, host, url, uuid};

pub(crate) fn finding(w: &mut Writer<'_>, id: u64) {
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
