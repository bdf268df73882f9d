#!/usr/bin/env bash
# Measures the generator on the big schema set of scripts/big-schema.py (see BENCHMARKS.md, "Big schema sets"):
# generation time of the release `qps-codegen generate --plain` (best of 3), the generated line count, and the
# time `cargo check` takes on the output in a crate of its own (dependencies built first, untimed). Everything
# goes under target/ (ignored by git). Builds the release binary if it is missing or stale: one build at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=target/big-schema
crate=target/big-schema-crate

python3 scripts/big-schema.py "$out"
cargo build -q --release --locked -p qps-codegen --bin qps-codegen

best=
for _ in 1 2 3; do
  start=$EPOCHREALTIME
  ./target/release/qps-codegen generate "$out" --plain -o "$crate/src/generated" >/dev/null
  took=$(awk "BEGIN { print $EPOCHREALTIME - $start }")
  if [ -z "$best" ] || awk "BEGIN { exit !($took < $best) }"; then best=$took; fi
done
lines=$(find "$crate/src/generated" -name "*.rs" -exec cat {} + | wc -l)
printf 'generate: %.2f s (best of 3), %s lines of Rust\n' "$best" "$lines"

mkdir -p "$crate/src"
cat >"$crate/Cargo.toml" <<TOML
[package]
name = "big-schema-check"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
qps-runtime = { path = "$root/runtime", default-features = false }
TOML
cp Cargo.lock "$crate/Cargo.lock"
cat >"$crate/src/lib.rs" <<'RS'
#![allow(missing_docs, clippy::all)]
include!("generated/mod.rs");
RS
# Dependencies first (not timed), then the generated code alone.
(cd "$crate" && cargo check -q --offline 2>&1 | tail -3) || true
touch "$crate/src/lib.rs"
start=$EPOCHREALTIME
(cd "$crate" && cargo check -q --offline)
took=$(awk "BEGIN { print $EPOCHREALTIME - $start }")
printf 'cargo check of the output: %.1f s\n' "$took"
