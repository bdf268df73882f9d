//! `qps-codegen pull` against the local QPS test server on 127.0.0.1, which serves the bundled schemas at
//! `/qps/xsd/<version>/<module>/<entity>.xsd` (or a changed or broken one where a test says so).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qps_testserver::{Config, TestServer};

const WEBAPP: &str = "was/3.0/webapp.xsd";

/// A copy of the bundled schema folder, catalog included.
fn schema_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qps-codegen-pull-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"),
        &dir,
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Runs `qps-codegen pull` from `server` into `dir`, with `password`.
fn pull(server: &TestServer, dir: &Path, password: &str) -> Output {
    pull_with(server, dir, password, &[])
}

/// [`pull`] with more options.
fn pull_with(server: &TestServer, dir: &Path, password: &str, options: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qps-codegen"))
        .args(["pull", "--base-url", server.base_url(), "--catalog"])
        .arg(dir.join("endpoints.toml"))
        .arg("-o")
        .arg(dir)
        .args(options)
        .env("QUALYS_USERNAME", &server.config().username)
        .env("QUALYS_PASSWORD", password)
        .env("NETRC", dir.join("no-netrc"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn bundled(schema: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schemas")
            .join(schema),
    )
    .unwrap()
}

#[test]
fn an_unchanged_pull_reports_no_changes() {
    let server = TestServer::start_blocking(Config::default());
    let dir = schema_copy("unchanged");
    let out = pull(&server, &dir, &server.config().password);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("unchanged {WEBAPP}")), "{stdout}");
    assert!(!stdout.contains("replaced"), "{stdout}");
    assert!(stdout.ends_with("no changes\n"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.join(WEBAPP)).unwrap(),
        bundled(WEBAPP)
    );
    // Every catalog entity was asked for, with its version and module.
    let asked: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        asked.contains(&"/qps/xsd/3.0/was/webapp.xsd".to_owned()),
        "{asked:?}"
    );
    assert_eq!(asked.len(), server.catalog().entities.len(), "{asked:?}");
}

#[test]
fn a_changed_schema_replaces_the_file_and_the_diff_names_the_change() {
    let server = TestServer::start_blocking(Config::default());
    let changed = bundled(WEBAPP).replacen(
        r#"<xs:complexType name="WebApp">
        <xs:all>"#,
        r#"<xs:complexType name="WebApp">
        <xs:all>
            <xs:element name="pulledField" type="xs:string" minOccurs="0"/>"#,
        1,
    );
    assert_ne!(changed, bundled(WEBAPP));
    server.serve_xsd("was", "webapp", changed.clone());
    let dir = schema_copy("changed");
    let out = pull(&server, &dir, &server.config().password);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("replaced {WEBAPP}")), "{stdout}");
    assert!(stdout.contains("pulledField"), "{stdout}");
    assert!(!stdout.contains("no changes"), "{stdout}");
    assert_eq!(std::fs::read_to_string(dir.join(WEBAPP)).unwrap(), changed);
    // No temporary file is left next to it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("was/3.0"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_broken_download_keeps_the_old_file_and_fails() {
    let server = TestServer::start_blocking(Config::default());
    let broken = bundled(WEBAPP)[..400].to_owned();
    server.serve_xsd("was", "webapp", broken);
    // Well-formed, but not a schema the loader accepts.
    server.serve_xsd(
        "was",
        "finding",
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a b"/></xs:schema>"#,
    );
    let dir = schema_copy("broken");
    let out = pull(&server, &dir, &server.config().password);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("error: {WEBAPP} kept: "))
            && stderr.contains("not well-formed XML"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: was/3.0/finding.xsd kept: ") && stderr.contains("not an NCName"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(WEBAPP)).unwrap(),
        bundled(WEBAPP)
    );
    assert!(stdout.contains("unchanged was/3.0/wasscan.xsd"), "{stdout}");
    assert!(stdout.ends_with("no changes\n"), "{stdout}");
}

#[test]
fn the_schema_limits_apply_to_a_download() {
    let server = TestServer::start_blocking(Config::default());
    // A new field whose anonymous types nest element declarations four deep around a leaf (the bundled schemas
    // nest three).
    let changed = bundled(WEBAPP).replacen(
        r#"<xs:complexType name="WebApp">
        <xs:all>"#,
        r#"<xs:complexType name="WebApp">
        <xs:all>
            <xs:element name="pulledField" minOccurs="0"><xs:complexType><xs:sequence>
                <xs:element name="inner"><xs:complexType><xs:sequence>
                    <xs:element name="deeper"><xs:complexType><xs:sequence>
                        <xs:element name="innermost"><xs:complexType><xs:sequence>
                            <xs:element name="leaf" type="xs:string"/>
                        </xs:sequence></xs:complexType></xs:element>
                    </xs:sequence></xs:complexType></xs:element>
                </xs:sequence></xs:complexType></xs:element>
            </xs:sequence></xs:complexType></xs:element>"#,
        1,
    );
    assert_ne!(changed, bundled(WEBAPP));
    server.serve_xsd("was", "webapp", changed.clone());
    let dir = schema_copy("limits");
    let out = pull_with(
        &server,
        &dir,
        &server.config().password,
        &["--max-schema-depth", "3"],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("error: {WEBAPP} kept: "))
            && stderr.contains("deeper than 3 levels (max_schema_depth)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(WEBAPP)).unwrap(),
        bundled(WEBAPP)
    );
    // The new set is read within the same limits for the diff.
    let out = pull_with(
        &server,
        &dir,
        &server.config().password,
        &["--max-schema-depth", "4", "--allow-outside-schema-root"],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("replaced {WEBAPP}")), "{stdout}");
    assert!(stdout.contains("pulledField"), "{stdout}");
    assert_eq!(std::fs::read_to_string(dir.join(WEBAPP)).unwrap(), changed);
}

#[test]
fn an_auth_failure_keeps_every_file_and_fails() {
    for gateway_401 in [false, true] {
        let server = TestServer::start_blocking(Config {
            gateway_401,
            ..Config::default()
        });
        let dir = schema_copy(&format!("auth-{gateway_401}"));
        let out = pull(&server, &dir, "wrong");
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        let expected = if gateway_401 {
            "HTTP 401 Unauthorized: authentication failed"
        } else {
            "INVALID_CREDENTIALS"
        };
        assert!(
            stderr.contains(&format!("error: {WEBAPP} kept: ")) && stderr.contains(expected),
            "{stderr}"
        );
        assert!(!stdout.contains("unchanged"), "{stdout}");
        assert_eq!(
            std::fs::read_to_string(dir.join(WEBAPP)).unwrap(),
            bundled(WEBAPP)
        );
    }
}

#[test]
fn missing_credentials_are_a_clear_error() {
    let server = TestServer::start_blocking(Config::default());
    let dir = schema_copy("no-credentials");
    let out = Command::new(env!("CARGO_BIN_EXE_qps-codegen"))
        .args(["pull", "--base-url", server.base_url(), "--catalog"])
        .arg(dir.join("endpoints.toml"))
        .arg("-o")
        .arg(&dir)
        .env_remove("QUALYS_USERNAME")
        .env_remove("QUALYS_PASSWORD")
        .env("NETRC", dir.join("no-netrc"))
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("QUALYS_USERNAME"), "{stderr}");
    assert!(server.requests().is_empty());
}

#[test]
fn a_first_pull_into_an_empty_folder_lists_every_module_as_added() {
    let server = TestServer::start_blocking(Config::default());
    let dir = std::env::temp_dir().join(format!("qps-codegen-pull-first-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/endpoints.toml"),
        dir.join("endpoints.toml"),
    )
    .unwrap();
    let out = pull(&server, &dir, &server.config().password);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("replaced {WEBAPP}")), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.join(WEBAPP)).unwrap(),
        bundled(WEBAPP)
    );
    for module in [
        "was::webapp",
        "was::finding",
        "saq::questionnaire",
        "am::awsassetdataconnector",
    ] {
        assert!(
            stdout.contains(&format!("{module}\n")) && stdout.contains("module-added"),
            "{module} missing from {stdout}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
