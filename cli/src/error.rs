//! What can go wrong on the command line, and the exit code each kind maps to.

use std::fmt;

use qualys_qps::runtime::Error as ApiError;

/// Exit code of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit code of a usage error: unknown command, bad `--where`, unreadable `--data`, missing credentials.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an error reported by Qualys (a `responseCode` other than `SUCCESS`, HTTP 401/403, ...).
pub const EXIT_QUALYS: u8 = 3;
/// Exit code of a transport failure or a timeout.
pub const EXIT_TRANSPORT: u8 = 4;

/// A failed run: a message for stderr and the exit code.
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong; the message says what and how to fix it.
    Usage(String),
    /// The call reached Qualys and Qualys refused it, or answered with something unreadable.
    Qualys(String),
    /// The call did not complete: connection, TLS, timeout.
    Transport(String),
    /// Writing the output failed (a closed pipe is not reported).
    Output(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Qualys(_) | CliError::Output(_) => EXIT_QUALYS,
            CliError::Transport(_) => EXIT_TRANSPORT,
        }
    }

    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m)
            | CliError::Qualys(m)
            | CliError::Transport(m)
            | CliError::Output(m) => f.write_str(m),
        }
    }
}

impl From<ApiError> for CliError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Api {
                code,
                message,
                resolution,
                http_status,
                ..
            } => {
                let mut text = format!("Qualys error {code} (HTTP {http_status})");
                text.push_str(&format!(
                    "\n  message: {}",
                    message.as_deref().unwrap_or("(none given)")
                ));
                text.push_str(&format!(
                    "\n  resolution: {}",
                    resolution.as_deref().unwrap_or("(none given)")
                ));
                CliError::Qualys(text)
            }
            ApiError::Transport(e) => CliError::Transport(format!("transport error: {e}")),
            ApiError::RetriesExhausted { .. } | ApiError::Timeout { .. } => {
                CliError::Transport(error.to_string())
            }
            ApiError::Validation(_) | ApiError::Config(_) => CliError::Usage(error.to_string()),
            other => CliError::Qualys(other.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::Output(format!("writing the output: {error}"))
    }
}
