//! A local QPS server and the `qps` binary pointed at it, with credentials from the environment only.

#![allow(dead_code)]

use std::process::Output;

use assert_cmd::Command;
use qps_testserver::{Config, TestServer};

/// A password no output may contain.
pub const PASSWORD: &str = "pw-Zq81-never-printed";
pub const USERNAME: &str = "cli_user";

/// A server with a known login.
pub fn server() -> TestServer {
    let config = Config {
        username: USERNAME.into(),
        password: PASSWORD.into(),
        ..Config::default()
    };
    TestServer::start_blocking(config)
}

/// `qps` with a clean environment: the server's URL and the login from QUALYS_* variables, and a HOME without
/// a `.netrc`.
pub fn qps(server: &TestServer) -> Command {
    let mut command = bare();
    command
        .env("QUALYS_BASE_URL", server.base_url())
        .env("QUALYS_USERNAME", USERNAME)
        .env("QUALYS_PASSWORD", PASSWORD);
    command
}

/// `qps` with no QUALYS_* variable at all and an empty HOME.
pub fn bare() -> Command {
    let mut command = Command::cargo_bin("qps").expect("the qps binary");
    for (name, _) in std::env::vars() {
        if name.starts_with("QUALYS_") {
            command.env_remove(name);
        }
    }
    command.env("HOME", std::env::temp_dir().join("qps-cli-tests-no-home"));
    command
}

/// [`bare`], under a name that does not clash with a local variable.
pub fn bare_cmd() -> Command {
    bare()
}

/// Runs and returns (exit code, stdout, stderr), asserting the password appears in neither stream.
pub fn run(command: &mut Command) -> (i32, String, String) {
    let output: Output = command.output().expect("qps runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "the password leaked"
    );
    let basic = basic_auth();
    assert!(
        !stdout.contains(&basic) && !stderr.contains(&basic),
        "the Authorization value leaked"
    );
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// Runs, expecting success; returns stdout.
pub fn ok(command: &mut Command) -> String {
    let (code, stdout, stderr) = run(command);
    assert_eq!(code, 0, "qps failed: {stderr}");
    stdout
}

/// The JSON Lines of stdout, parsed.
pub fn lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

fn basic_auth() -> String {
    // base64 of "user:password", computed here without the runtime's code.
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{USERNAME}:{PASSWORD}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The catalog, read straight from the TOML (not through the code under test).
#[derive(serde::Deserialize)]
pub struct Catalog {
    pub entity: Vec<Entity>,
}

#[derive(serde::Deserialize)]
pub struct Entity {
    pub module: String,
    pub name: String,
    pub element: String,
    pub action: Vec<Action>,
    #[serde(default)]
    pub filter: Vec<toml::Value>,
}

#[derive(serde::Deserialize)]
pub struct Action {
    pub name: String,
    pub id: String,
    pub body: String,
    pub response: String,
    #[serde(default)]
    pub paginated: bool,
}

pub fn catalog() -> Catalog {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schemas/endpoints.toml"
    ))
    .expect("the catalog");
    toml::from_str(&text).expect("the catalog parses")
}
