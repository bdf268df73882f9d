//! `qps` end to end: the binary against the local QPS server over real HTTP on 127.0.0.1.

mod support;
mod typed;

use support::*;

#[test]
fn commands_match_the_catalog() {
    let server = server();
    let listed = ok(qps(&server).arg("commands"));
    let listed: Vec<String> = listed
        .lines()
        .map(|l| {
            l.split('\t')
                .next()
                .unwrap()
                .replace(" [ID]", "")
                .replace(" ID", "")
        })
        .collect();
    let mut expected = Vec::new();
    for entity in catalog().entity {
        for action in entity.action {
            expected.push(format!("{} {} {}", entity.module, entity.name, action.name));
        }
    }
    assert_eq!(
        listed, expected,
        "`qps commands` and schemas/endpoints.toml disagree"
    );
}

#[test]
fn every_entity_search_get_and_a_write_action() {
    let server = server();
    let mut writes = 0;
    for entity in catalog().entity {
        let (m, e) = (entity.module.as_str(), entity.name.as_str());
        let ids = server.generate_named(m, e, 3).expect("records generated");
        let found = lines(&ok(qps(&server).args([m, e, "search", "--format", "jsonl"])));
        let found_ids: Vec<i64> = found
            .iter()
            .map(|r| r["id"].as_i64().expect("an id"))
            .collect();
        assert_eq!(found_ids, ids, "{m}/{e} search");

        let got = ok(qps(&server).args([m, e, "get", &ids[1].to_string(), "--format", "json"]));
        let got: serde_json::Value = serde_json::from_str(&got).expect("pretty JSON");
        assert_eq!(got[0]["id"].as_i64(), Some(ids[1]), "{m}/{e} get");

        let count = lines(&ok(qps(&server).args([m, e, "count", "--format", "jsonl"])));
        assert_eq!(count[0]["count"].as_i64(), Some(3), "{m}/{e} count");

        // A write action that takes just an id: the first that changes something.
        let write = entity.action.iter().find(|a| {
            !matches!(
                a.name.as_str(),
                "search" | "count" | "get" | "status" | "summary" | "download"
            ) && a.id != "none"
                && matches!(a.body.as_str(), "none" | "filters-or-id" | "data-optional")
        });
        let Some(write) = write else {
            assert!(
                entity
                    .action
                    .iter()
                    .all(|a| matches!(a.name.as_str(), "search" | "count" | "get")),
                "{m}/{e} has write actions but none that takes only an id"
            );
            continue;
        };
        let id = ids[0].to_string();
        let (code, _, stderr) = run(qps(&server).args([m, e, &write.name, &id]));
        assert_eq!(code, 0, "{m}/{e} {}: {stderr}", write.name);
        let path = format!("/{}/{m}/{e}/{id}", write.name);
        assert!(
            server
                .requests()
                .iter()
                .any(|r| r.path.ends_with(&path) && r.executed),
            "{m}/{e} {}: the server did not run {path}",
            write.name
        );
        writes += 1;
    }
    assert!(
        writes >= 6,
        "only {writes} entities had a write action tested"
    );
}

#[test]
fn create_from_json_and_xml_data() {
    let server = server();
    let json = std::env::temp_dir().join(format!("qps-cli-webapp-{}.json", std::process::id()));
    std::fs::write(
        &json,
        r#"{"name": "Shop & Co", "url": "https://shop.example/"}"#,
    )
    .unwrap();
    let created = lines(&ok(qps(&server)
        .args(["was", "webapp", "create", "--data"])
        .arg(&json)));
    assert_eq!(created[0]["name"], "Shop & Co");
    let xml = "<WebApp><name>From XML</name><url>https://x.example/</url></WebApp>";
    let created = lines(&ok(qps(&server)
        .args(["was", "webapp", "create", "--data", "-"])
        .write_stdin(xml)));
    assert_eq!(created[0]["name"], "From XML");
    let (code, _, stderr) = run(qps(&server).args(["was", "webapp", "create"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("needs --data"), "{stderr}");
    std::fs::remove_file(json).ok();
}

#[test]
fn bulk_pull_of_10000_records_as_jsonl_and_csv() {
    let server = server();
    let ids = server
        .generate_named("was", "webapp", 10_000)
        .expect("records generated");
    let out = ok(qps(&server).args(["was", "webapp", "search", "--all", "--format", "jsonl"]));
    let records = lines(&out);
    assert_eq!(records.len(), 10_000);
    let got: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(got, ids, "every record once, in id order");
    let pages = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/search/was/webapp"))
        .count();
    assert_eq!(pages, 10, "pages of 1000");

    let out = ok(qps(&server).args(["was", "webapp", "search", "--all", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "id");
    assert!(header.iter().any(|h| h == "name"), "{header:?}");
    assert!(
        header.iter().any(|h| h.contains('.')),
        "nested fields as dotted columns: {header:?}"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 10_000);
    assert_eq!(rows[9_999][0], ids[9_999].to_string());

    let limited =
        lines(&ok(qps(&server).args([
            "was", "webapp", "search", "--all", "--limit", "2500",
        ])));
    assert_eq!(limited.len(), 2500);
}

#[test]
fn where_filters_are_sent_as_criteria() {
    let server = server();
    let ids = server.generate_named("was", "webapp", 5).unwrap();
    let list = format!("id IN {}, {}", ids[1], ids[3]);
    let found = lines(&ok(
        qps(&server).args(["was", "webapp", "search", "--where", &list])
    ));
    let found: Vec<i64> = found.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(found, vec![ids[1], ids[3]]);
    ok(qps(&server).args([
        "was",
        "webapp",
        "search",
        "--where",
        "name NOT EQUALS 'no such shop'",
    ]));
    let bodies: Vec<String> = server.requests().into_iter().map(|r| r.body).collect();
    let in_list = format!(
        r#"<Criteria field="id" operator="IN">{},{}</Criteria>"#,
        ids[1], ids[3]
    );
    assert!(bodies.iter().any(|b| b.contains(&in_list)), "{bodies:?}");
    assert!(
        bodies.iter().any(|b| b
            .contains(r#"<Criteria field="name" operator="NOT EQUALS">no such shop</Criteria>"#)),
        "{bodies:?}"
    );
}

#[test]
fn every_kind_of_where_error_says_what_is_expected() {
    let server = server();
    let cases = [
        (
            "nmae CONTAINS shop",
            "unknown field `nmae`",
            "the fields are: ",
        ),
        (
            "id CONTAINS 4",
            "operator CONTAINS does not apply to `id`",
            "it allows: EQUALS, NOT EQUALS, GREATER, LESSER, IN",
        ),
        ("id EQUALS four", "`id` takes a whole number", "four"),
        (
            "createdDate GREATER yesterday",
            "`createdDate` takes a date-time",
            "2024-01-31T00:00:00Z",
        ),
        (
            "lastScan.status EQUALS DONE",
            "`lastScan.status` takes one of",
            "SUBMITTED",
        ),
        (
            "isScanned EQUALS maybe",
            "`isScanned` takes true or false",
            "maybe",
        ),
        (
            "id IN 1,,2",
            "IN takes a comma-separated list",
            "no empty item",
        ),
        (
            "name LIKE shop",
            "unknown operator `LIKE`",
            "the operators are: ",
        ),
        ("name CONTAINS 'open", "has no closing '", ""),
        ("name CONTAINS", "missing value", ""),
        ("attributes EQUALS Jane", "needs a name in brackets", ""),
    ];
    for (text, first, second) in cases {
        let (code, stdout, stderr) =
            run(qps(&server).args(["was", "webapp", "search", "--where", text]));
        assert_eq!(code, 2, "{text}: {stderr}");
        assert!(stdout.is_empty(), "{text}: {stdout}");
        assert!(
            stderr.contains(first) && stderr.contains(second),
            "{text}: {stderr}"
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing is sent when --where is wrong"
    );
}

#[test]
fn exit_codes() {
    let server = server();
    // 2: usage.
    let (code, _, stderr) = run(qps(&server).args(["was", "nosuch", "search"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("its entities are: ") && stderr.contains("webapp"),
        "{stderr}"
    );
    let (code, _, stderr) = run(qps(&server).args(["was", "webapp", "frobnicate"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("its actions are: search"), "{stderr}");
    let (code, _, _) = run(qps(&server).args(["was", "webapp", "get"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(qps(&server).args(["was", "webapp", "search", "--format", "yaml"]));
    assert_eq!(code, 2);
    let (code, _, stderr) =
        run(bare().args(["was", "webapp", "search", "--base-url", server.base_url()]));
    assert_eq!(code, 2, "no credentials: {stderr}");
    assert!(stderr.contains("no Qualys credentials found"), "{stderr}");
    // 3: Qualys refused.
    let (code, _, stderr) = run(qps(&server).args(["was", "webapp", "get", "987654321"]));
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("NOT_FOUND")
            && stderr.contains("message:")
            && stderr.contains("resolution:"),
        "{stderr}"
    );
    let (code, _, stderr) = run(qps(&server)
        .env("QUALYS_PASSWORD", "wrong")
        .args(["was", "webapp", "search"]));
    assert_eq!(code, 3, "{stderr}");
    // 4: nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (code, _, stderr) = run(qps(&server).env("QUALYS_BASE_URL", &url).args([
        "was",
        "webapp",
        "search",
        "--timeout",
        "5",
    ]));
    assert_eq!(code, 4, "{stderr}");
}

#[test]
fn username_with_the_password_from_stdin_or_the_environment() {
    let server = server();
    server.generate_named("was", "webapp", 2).unwrap();
    let mut command = bare();
    command
        .args([
            "was",
            "webapp",
            "search",
            "--base-url",
            server.base_url(),
            "--username",
            USERNAME,
        ])
        .write_stdin(format!("{PASSWORD}\n"));
    assert_eq!(lines(&ok(&mut command)).len(), 2);
    let mut command = bare();
    command.env("QUALYS_PASSWORD", PASSWORD).args([
        "was",
        "webapp",
        "count",
        "--base-url",
        server.base_url(),
        "--username",
        USERNAME,
    ]);
    assert_eq!(lines(&ok(&mut command))[0]["count"], 2);
    let (code, stdout, _) = run(qps(&server).arg("whoami"));
    assert_eq!(code, 0);
    assert!(stdout.contains("credentials accepted"), "{stdout}");
    let (code, _, _) = run(qps(&server).env("QUALYS_PASSWORD", "wrong").arg("whoami"));
    assert_eq!(code, 3);
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let server = server();
    server.generate_named("was", "webapp", 2500).unwrap();
    let (code, stdout, stderr) =
        run(qps(&server).args(["was", "webapp", "search", "--all", "--format", "jsonl"]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 2500);
    assert_eq!(
        stderr, "",
        "stderr must stay empty when it is not a terminal"
    );
}

#[test]
fn a_progress_bar_under_a_pseudo_terminal() {
    let script = std::path::Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "/usr/bin/script (util-linux) is needed to run qps under a pseudo-terminal: apt-get install util-linux"
    );
    let server = server();
    server.generate_named("was", "webapp", 2500).unwrap();
    let qps = assert_cmd::cargo::cargo_bin("qps");
    let inner = format!(
        "QUALYS_BASE_URL={} QUALYS_USERNAME={USERNAME} QUALYS_PASSWORD={PASSWORD} {} was webapp search --all --format jsonl > /dev/null",
        server.base_url(),
        qps.display()
    );
    let output = std::process::Command::new(script)
        .args(["-qec", &inner, "/dev/null"])
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("2500/2500 records") && shown.contains("3 pages"),
        "no bar drawn: {shown:?}"
    );
}

#[test]
fn decode_saved_responses() {
    let server = server();
    let ids = server.generate_named("was", "webapp", 2).unwrap();
    let saved = ok(qps(&server).args(["was", "webapp", "search", "--format", "xml"]));
    let dir = std::env::temp_dir().join(format!("qps-cli-decode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.xml");
    std::fs::write(&page, &saved).unwrap();
    let bare = dir.join("bare.xml");
    std::fs::write(
        &bare,
        format!("<WebApp><id>{}</id><name>Bare</name></WebApp>", ids[0]),
    )
    .unwrap();
    let out = lines(&ok(support::bare()
        .args(["decode", "was/webapp"])
        .arg(&page)
        .arg(&bare)
        .args(["--format", "jsonl"])));
    assert_eq!(out.len(), 3);
    assert_eq!(out[2]["name"], "Bare");
    let csv = ok(support::bare()
        .args(["decode", "was/webapp"])
        .arg(&bare)
        .args(["--format", "csv"]));
    assert_eq!(csv, format!("id,name\n{},Bare\n", ids[0]));
    let (code, _, stderr) = run(support::bare().args(["decode", "was/finding"]).arg(&bare));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("expected <ServiceResponse> or <Finding>"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}
