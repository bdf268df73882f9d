//! `qps-codegen`: generate Rust bindings from XSD schemas, or check that checked-in bindings are current.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
}

fn builder(input: &Input) -> Builder {
    let mut builder = Builder::new()
        .runtime_crate(input.runtime.clone())
        .emit_rerun_if_changed(false);
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
