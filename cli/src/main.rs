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
use qualys_qps::runtime::xml::Drift;

use qps_cli::args::{CallArgs, Cli, Command};
use qps_cli::error::{CliError, EXIT_OK, EXIT_USAGE};
use qps_cli::output::{Format, Output};
use qps_cli::{catalog, connect, decode, drift, run, whoami};

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
            runtime()?.block_on(whoami::run(&client, stdout))
        }
        Command::Decode {
            entity,
            files,
            format,
        } => {
            let stdout = std::io::BufWriter::new(stdout);
            let mut out = Output::new(format.unwrap_or_else(default_format), stdout);
            let mut found = Drift::new();
            let result = decode::run(&entity, &files, &mut out, &mut found);
            report_drift(&found);
            result
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
            // Buffered: each page is flushed once it is written (`Output::end_page`).
            let stdout = std::io::BufWriter::new(stdout);
            let mut out = Output::new(args.format.unwrap_or_else(default_format), stdout);
            let mut found = Drift::new();
            let result = runtime()?.block_on(plan.execute(&client, &mut out, &mut found));
            found.merge(&client.drift());
            report_drift(&found);
            result
        }
    }
}

/// The drift report on stderr, if the run met unknown content; the exit code is left as it is.
fn report_drift(found: &Drift) {
    if let Some(text) = drift::report(found) {
        eprint!("{text}");
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
