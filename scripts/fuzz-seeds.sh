#!/bin/sh
# Seeds the cargo-fuzz corpora fuzz/corpus/<target>/ from the repository: the XSDs of schemas/, fixtures/ and
# tests/fixtures/ (schema), the XML documents of tests/fixtures/ and fixtures/ (response_readers), and one
# `--where` text per catalog filter and operator (where_filter). The stable driver reads the same seeds itself;
# `fuzz-stable <target> --corpus fuzz/corpus` runs it on these folders (and on what cargo-fuzz added to them).
set -eu
cd "$(dirname "$0")/.."
out=${1:-fuzz/corpus}
cargo run -q --release -p qps-fuzz-targets --bin fuzz-stable -- all --write-seeds "$out"
