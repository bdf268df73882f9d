//! The library of the `qps` command line: argument parsing, the catalog lookups, the `--where` parser, the
//! calls and the output formats. The `qps` binary (`main.rs`) dispatches to it; the fuzz targets reach the
//! `--where` parser ([`filter::parse`]) through it.

pub mod args;
pub mod catalog;
pub mod connect;
pub mod data;
pub mod decode;
pub mod drift;
pub mod error;
pub mod filter;
pub mod flatten;
pub mod http;
pub mod json_path;
pub mod output;
pub mod progress;
pub mod record;
pub mod run;
pub mod whoami;
