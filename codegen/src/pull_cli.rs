//! The `pull` command line: where to pull from, the account, and what it prints.

use std::path::PathBuf;

use qps_codegen::pull::Pull;
use qps_runtime::client::{BaseUrl, Credentials, Platform};

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("server").required(true))]
pub(crate) struct PullArgs {
    /// The Qualys platform (US1, US2, EU1, ...), whose API server is pulled from.
    #[arg(long, group = "server")]
    platform: Option<String>,
    /// An API server URL instead of a platform (e.g. a proxy, or a local test server).
    #[arg(long, group = "server")]
    base_url: Option<String>,
    /// The endpoint catalog naming the entities.
    #[arg(long, default_value = "schemas/endpoints.toml")]
    catalog: PathBuf,
    /// The schema folder the catalog's `schema` paths are relative to.
    #[arg(long, short, default_value = "schemas")]
    out: PathBuf,
    /// The bounds on every schema downloaded and on the sets read for the diff.
    #[command(flatten)]
    limits: crate::limits_cli::LimitArgs,
    /// Send no credentials (a server that needs none).
    #[arg(long)]
    anonymous: bool,
}

/// Runs `pull`: `Ok(false)` when a download failed.
pub(crate) fn run(args: &PullArgs) -> qps_codegen::Result<bool> {
    let config = |e: qps_runtime::Error| qps_codegen::Error::Config(e.to_string());
    let base = match (&args.platform, &args.base_url) {
        (Some(platform), _) => platform.parse::<Platform>().map_err(config)?.base_url(),
        (None, Some(url)) => BaseUrl::parse(url).map_err(config)?,
        (None, None) => unreachable!("clap requires --platform or --base-url"),
    };
    // The environment first, then the `.netrc` entry of the server's host.
    let credentials = if args.anonymous {
        None
    } else {
        Some(Credentials::discover(base.host()).map_err(config)?)
    };
    let pull = Pull {
        base,
        credentials,
        catalog: args.catalog.clone(),
        out: args.out.clone(),
        limits: args.limits.limits(),
    };
    let pulled = pull.run()?;
    for schema in &pulled.replaced {
        println!("replaced {schema}");
    }
    for schema in &pulled.unchanged {
        println!("unchanged {schema}");
    }
    for (schema, reason) in &pulled.failed {
        eprintln!("error: {schema} kept: {reason}");
    }
    match &pulled.diff {
        Ok(report) => print!("{}", report.render_table()),
        Err(error) => eprintln!("error: no diff of the old set against the new: {error}"),
    }
    Ok(pulled.failed.is_empty() && pulled.diff.is_ok())
}
