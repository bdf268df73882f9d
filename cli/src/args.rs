//! The command line, as clap reads it. The catalog commands (`qps <module> <entity> <action>`) are checked against
//! the catalog after parsing, so that a new catalog entry is a new command without a line here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// Every Qualys QPS endpoint of the bundled catalog on the command line.
///
/// Exit codes: 0 success, 2 usage error, 3 Qualys error (responseCode, message and resolution printed),
/// 4 transport failure or timeout.
#[derive(Debug, Parser)]
#[command(name = "qps", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "Examples:\n  qps commands\n  qps was webapp search --where 'name CONTAINS shop' --format table\n  qps was finding search --where 'severity GREATER 3' --all --format jsonl\n  qps was webapp get 42 --format json\n  qps decode was/webapp saved.xml --format csv\n\nExit codes: 0 success, 2 usage error, 3 Qualys error, 4 transport failure or timeout.";

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lists every `module entity action` of the catalog, with its method and path.
    Commands,
    /// Checks the credentials against the platform (`GET /qps/rest/portal/version`).
    Whoami {
        /// Where and as whom.
        #[command(flatten)]
        connection: Connection,
    },
    /// Converts saved responses (a ServiceResponse or a bare entity document) to the output formats.
    Decode {
        /// The entity the files hold, `module/entity` (e.g. `was/webapp`).
        entity: String,
        /// The saved response bodies.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format [default: table on a terminal, else jsonl].
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// A catalog call: `qps <module> <entity> <action> [ID] [options]` (see `qps commands`).
    #[command(external_subcommand)]
    Call(Vec<String>),
}

/// `qps <module> <entity> <action> [ID] [options]`.
#[derive(Debug, Parser)]
#[command(name = "qps", no_binary_name = true, after_help = AFTER_HELP)]
pub struct CallArgs {
    /// The module: `was`, `am`, `saq` (see `qps commands`).
    pub module: String,
    /// The entity, e.g. `webapp`.
    pub entity: String,
    /// The action, e.g. `search`, `get`, `create`.
    pub action: String,
    /// The entity id, for the actions that take one in the path.
    pub id: Option<String>,
    /// A search criterion `FIELD OP VALUE`, checked against the entity's filters; repeat to AND several.
    /// `IN` takes a comma-separated list; quote values with spaces: `--where "name EQUALS 'My shop'"`.
    #[arg(long = "where", value_name = "'FIELD OP VALUE'")]
    pub filters: Vec<String>,
    /// The request's data: a file or `-` for stdin, as XML (a ServiceRequest or the bare entity) or JSON.
    #[arg(long, value_name = "FILE|-")]
    pub data: Option<String>,
    /// Asks for verbose records (`preferences/verbose`, where the schema has it).
    #[arg(long)]
    pub verbose: bool,
    /// At most N records; also the page size (at most 1000) of a search.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Follows every page of a search (`hasMoreRecords`/`lastId`).
    #[arg(long)]
    pub all: bool,
    /// Output format [default: table on a terminal, else jsonl].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where and as whom.
    #[command(flatten)]
    pub connection: Connection,
}

/// The platform and the credentials.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The Qualys platform by name (US1, US2, EU1, ...) [default: US1].
    #[arg(long, env = "QUALYS_PLATFORM", conflicts_with = "base_url")]
    pub platform: Option<String>,
    /// The API base URL, instead of a platform (e.g. a proxy).
    #[arg(long, env = "QUALYS_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The login; the password then comes from QUALYS_PASSWORD, a prompt on a terminal, or the first line of
    /// stdin. Without it: QUALYS_USERNAME and QUALYS_PASSWORD, then ~/.netrc.
    #[arg(long)]
    pub username: Option<String>,
    /// Seconds before a request is abandoned.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
}
