//! `qps`: every endpoint of the Qualys QPS catalog on the command line.
//!
//! ```text
//! qps <module> <entity> <action> [ID] [--where 'FIELD OP VALUE']... [--data FILE|-] [--verbose] [--limit N]
//!     [--all] [--format json|jsonl|csv|xml|table]
//! qps commands | qps whoami | qps decode <module>/<entity> FILE...
//! ```
//!
//! Exit codes: 0 success, 2 usage error, 3 Qualys error, 4 transport failure or timeout.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use qualys_qps::runtime::Method;

use qps_cli::args::{CallArgs, Cli, Command};
use qps_cli::error::{CliError, EXIT_OK, EXIT_USAGE};
use qps_cli::output::{Format, Output};
use qps_cli::{catalog, connect, decode, record, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(CliError::Output(m)) if m.contains("Broken pipe") => ExitCode::from(EXIT_OK),
        Err(error) => {
            eprintln!("qps: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// clap's help and version go to stdout with code 0; its usage errors to stderr with code 2.
fn clap_exit(error: clap::Error) -> ExitCode {
    let _ = error.print();
    if error.use_stderr() {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::from(EXIT_OK)
    }
}

fn dispatch(cli: Cli) -> Result<(), CliError> {
    let stdout = std::io::stdout().lock();
    match cli.command {
        Command::Commands => {
            let mut out = std::io::BufWriter::new(stdout);
            for line in catalog::command_lines(catalog::catalog()) {
                writeln!(out, "{line}")?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Whoami { connection } => {
            let client = connect::client(&connection, false)?;
            let response =
                runtime()?.block_on(client.raw(Method::Get, "/qps/rest/portal/version", None))?;
            let body = String::from_utf8_lossy(&response.body);
            if response.status == 401 || response.status == 403 {
                return Err(CliError::Qualys(format!(
                    "the credentials were refused (HTTP {}) by {}",
                    response.status,
                    client.base_url().as_str()
                )));
            }
            if let Some(status) = qualys_qps::runtime::envelope::read_status(&response.body) {
                if !status.is_success() {
                    return Err(status.into_error(response.status).into());
                }
            }
            if !(200..300).contains(&response.status) {
                return Err(CliError::Qualys(format!(
                    "HTTP {} from {}",
                    response.status,
                    client.base_url().as_str()
                )));
            }
            let mut out = stdout;
            writeln!(
                out,
                "credentials accepted by {}",
                client.base_url().as_str()
            )?;
            let page = record::read_page(&body, "portal version")?;
            for version in page.records {
                writeln!(out, "{version}")?;
            }
            Ok(())
        }
        Command::Decode {
            entity,
            files,
            format,
        } => {
            let mut out = Output::new(format.unwrap_or_else(default_format), stdout);
            decode::run(&entity, &files, &mut out)
        }
        Command::Call(words) => {
            let args = match CallArgs::try_parse_from(words) {
                Ok(args) => args,
                Err(e) => {
                    let _ = e.print();
                    return if e.use_stderr() {
                        Err(CliError::usage("invalid arguments (see above)"))
                    } else {
                        Ok(())
                    };
                }
            };
            let plan = run::plan(&args)?;
            let client = connect::client(&args.connection, args.data.as_deref() == Some("-"))?;
            let mut out = Output::new(args.format.unwrap_or_else(default_format), stdout);
            runtime()?.block_on(plan.execute(&client, &mut out))
        }
    }
}

/// `table` on a terminal, `jsonl` otherwise.
fn default_format() -> Format {
    if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Transport(format!("cannot start the I/O runtime: {e}")))
}
