//! The client for a run: the platform or base URL, and the credentials (`--username` with the password from
//! `QUALYS_PASSWORD`, a prompt or stdin; else the environment, then `~/.netrc`). The password is never printed:
//! errors name where it was looked for, not what was found.

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use qualys_qps::runtime::{BaseUrl, Client, Credentials, Platform};

use crate::args::Connection;
use crate::error::CliError;

/// The environment variable the password of `--username` is read from first.
pub const PASSWORD_VAR: &str = "QUALYS_PASSWORD";

/// Builds the client. `stdin_taken` is true when `--data -` reads stdin, which then cannot hold the password.
pub fn client(connection: &Connection, stdin_taken: bool) -> Result<Client, CliError> {
    let base = base_url(connection)?;
    let credentials = match &connection.username {
        Some(username) => Credentials::new(username, password(username, stdin_taken)?),
        None => Credentials::discover(base.host()).map_err(CliError::from)?,
    };
    Client::builder()
        .base_url(base)
        .credentials(credentials)
        .timeout(Duration::from_secs(connection.timeout.max(1)))
        .build()
        .map_err(CliError::from)
}

fn base_url(connection: &Connection) -> Result<BaseUrl, CliError> {
    if let Some(url) = &connection.base_url {
        return BaseUrl::parse(url).map_err(|e| CliError::usage(format!("--base-url: {e}")));
    }
    let platform = match &connection.platform {
        Some(name) => name
            .parse::<Platform>()
            .map_err(|e| CliError::usage(format!("--platform: {e}")))?,
        None => Platform::Us1,
    };
    Ok(platform.base_url())
}

fn password(username: &str, stdin_taken: bool) -> Result<String, CliError> {
    if let Ok(password) = std::env::var(PASSWORD_VAR) {
        if !password.is_empty() {
            return Ok(password);
        }
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return prompt(username);
    }
    if stdin_taken {
        return Err(CliError::usage(format!(
            "--username {username}: no password: {PASSWORD_VAR} is not set and stdin holds the --data"
        )));
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("reading the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(CliError::usage(format!(
            "--username {username}: no password: {PASSWORD_VAR} is not set and stdin is empty"
        )));
    }
    Ok(password)
}

fn prompt(username: &str) -> Result<String, CliError> {
    rpassword::prompt_password(format!("Qualys password for {username}: "))
        .map_err(|e| CliError::usage(format!("reading the password: {e}")))
}
