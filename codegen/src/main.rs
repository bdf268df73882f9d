//! `qps-codegen`: generate Rust bindings from XSD schemas, or check that checked-in bindings are current.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qps_codegen::diff::{Axis, DiffInput};
use qps_codegen::{Builder, ModuleLayout};

// Most of the generator's time is spent allocating and freeing tokens (see BENCHMARKS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "qps-codegen",
    version,
    about = "Generate serde-annotated Rust from XSD schemas"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Input {
    /// Schema files or directories (directories are searched for *.xsd; modules follow the folders).
    #[arg(required = true)]
    schemas: Vec<PathBuf>,
    /// The endpoint catalog to check.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Plain XSD mapping, without the Qualys QPS conventions.
    #[arg(long)]
    plain: bool,
    /// One top-level module per schema file, named after its stem, instead of modules that follow the folders.
    #[arg(long)]
    flat: bool,
    /// The runtime crate path used by generated code.
    #[arg(long, default_value = "::qps_runtime")]
    runtime: String,
    /// Generated structs and enums are `#[non_exhaustive]`.
    #[arg(long)]
    non_exhaustive: bool,
    /// Generated structs keep the child elements and attributes the schema does not declare (`unknown` field).
    #[arg(long)]
    keep_unknown: bool,
    /// The most threads a stage of the generator runs on at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    limits: limits_cli::LimitArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated files into a directory.
    Generate {
        #[command(flatten)]
        input: Input,
        /// Output directory.
        #[arg(long, short, default_value = "generated")]
        out: PathBuf,
    },
    /// Exit non-zero when the files in a directory differ from what would be generated.
    Check {
        #[command(flatten)]
        input: Input,
        /// Directory holding the checked-in files.
        #[arg(long, short, default_value = "generated")]
        out: PathBuf,
    },
    /// Compare two schema sets (and their catalogs): every change, with its reading, writing and api verdicts.
    /// Exits 1 when a change breaks an axis named by --fail-on, 2 on bad input.
    Diff(DiffArgs),
    /// Download the schema of every catalog entity from a Qualys platform, replace the files that changed (only
    /// with schemas the loader accepts), and print the diff of the old set against the new one. Exits 1 when a
    /// download failed (its file is kept), 2 on bad input.
    #[cfg(feature = "pull")]
    Pull(pull_cli::PullArgs),
}

mod limits_cli;
#[cfg(feature = "pull")]
mod pull_cli;

#[derive(clap::Args)]
struct DiffArgs {
    /// The old schema file or directory.
    old: PathBuf,
    /// The new schema file or directory.
    new: PathBuf,
    /// OLD's endpoint catalog; NEW's is at the same path relative to NEW when it lies inside OLD (or is
    /// relative to it), else the same file, unless --catalog-new names it.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// NEW's endpoint catalog, where it is not where --catalog implies.
    #[arg(long)]
    catalog_new: Option<PathBuf>,
    /// Plain XSD mapping, without the Qualys QPS conventions.
    #[arg(long)]
    plain: bool,
    /// One top-level module per schema file, as `generate --flat`.
    #[arg(long)]
    flat: bool,
    /// The bindings are generated with `--non-exhaustive`: a new field or variant is then a minor api change.
    #[arg(long)]
    non_exhaustive: bool,
    /// `table` (readable) or `json`.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    format: String,
    /// Exit 1 when any change breaks this axis: reading, writing or api (may be repeated).
    #[arg(long, value_parser = clap::value_parser!(Axis))]
    fail_on: Vec<Axis>,
    #[command(flatten)]
    limits: limits_cli::LimitArgs,
}

/// The two sides of `diff`, with NEW's catalog found as `--catalog-new` says, or at OLD's relative path.
fn diff_inputs(args: &DiffArgs) -> (DiffInput, DiffInput) {
    let layout = if args.flat {
        ModuleLayout::Flat
    } else {
        ModuleLayout::Nested
    };
    let side = |path: &PathBuf| {
        DiffInput::new([path])
            .plain(args.plain)
            .layout(layout)
            .non_exhaustive(args.non_exhaustive)
            .limits(args.limits.limits())
    };
    let (mut old, mut new) = (side(&args.old), side(&args.new));
    if let Some(catalog) = &args.catalog {
        let inside = catalog.strip_prefix(&args.old).ok().map(PathBuf::from);
        let relative = (catalog.is_relative() && !catalog.exists() && args.old.is_dir())
            .then(|| catalog.clone());
        let (old_catalog, new_catalog) = match inside.or(relative) {
            Some(rel) if args.old.is_dir() && args.new.is_dir() => {
                (args.old.join(&rel), args.new.join(&rel))
            }
            _ => (catalog.clone(), catalog.clone()),
        };
        old = old.catalog(old_catalog);
        new = new.catalog(args.catalog_new.clone().unwrap_or(new_catalog));
    } else if let Some(catalog) = &args.catalog_new {
        new = new.catalog(catalog);
    }
    (old, new)
}

fn run_diff(args: &DiffArgs) -> qps_codegen::Result<bool> {
    let (old, new) = diff_inputs(args);
    let report = qps_codegen::diff::diff(&old, &new)?;
    if args.format == "json" {
        print!("{}", report.render_json());
    } else {
        print!("{}", report.render_table());
    }
    let broken: Vec<&str> = args
        .fail_on
        .iter()
        .filter(|axis| report.breaks(**axis))
        .map(|axis| axis.as_str())
        .collect();
    if !broken.is_empty() {
        eprintln!("breaking changes on: {}", broken.join(", "));
    }
    Ok(broken.is_empty())
}

fn builder(input: &Input) -> Builder {
    let mut builder = Builder::new()
        .runtime_crate(input.runtime.clone())
        .emit_rerun_if_changed(false)
        .limits(input.limits.limits());
    for path in &input.schemas {
        builder = if path.is_dir() {
            builder.schema_dir(path)
        } else {
            builder.schema(path)
        };
    }
    if let Some(catalog) = &input.catalog {
        builder = builder.catalog(catalog);
    }
    if input.plain {
        builder = builder.plain_xsd();
    }
    if input.flat {
        builder = builder.module_layout(ModuleLayout::Flat);
    }
    if input.non_exhaustive {
        builder = builder.non_exhaustive(true);
    }
    if input.keep_unknown {
        builder = builder.keep_unknown(true);
    }
    if let Some(jobs) = input.jobs {
        builder = builder.threads(usize::from(jobs));
    }
    builder
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate { input, out } => builder(input).generate().and_then(|generated| {
            generated.write_to(out)?;
            for stale in generated.diff(out) {
                eprintln!(
                    "note: {} is not generated any more; remove it",
                    out.join(stale).display()
                );
            }
            println!(
                "generated {} items, {} lines, in {} files under {}",
                generated.items,
                generated.lines(),
                generated.files.len(),
                out.display()
            );
            Ok(true)
        }),
        Command::Check { input, out } => builder(input).generate().map(|generated| {
            let report = generated.drift_report(out);
            if !report.is_empty() {
                eprint!("{report}");
                eprintln!("run `qps-codegen generate` to update {}", out.display());
            }
            report.is_empty()
        }),
        Command::Diff(args) => run_diff(args),
        #[cfg(feature = "pull")]
        Command::Pull(args) => pull_cli::run(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
