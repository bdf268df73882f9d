#!/usr/bin/env bash
# `qps ... --format jsonl` against reading alone, on the same responses, for 10,000 and 100,000 web apps
# (override with COUNTS="10000"): wall time and peak RSS (GNU time) of each, side by side in one run. The
# measuring is `cli/examples/jsonl_bench.rs` (see there); this builds it and `qps` first. Needs GNU time
# (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

counts=${COUNTS:-"10000,100000"}
runs=${RUNS:-3}
# PROFILE=debug measures the debug build (for a quick look only: the figures are for release).
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
    cargo build --release --quiet --locked -p qps-cli --bin qps --example jsonl_bench
else
    cargo build --quiet --locked -p qps-cli --bin qps --example jsonl_bench
fi
exec "target/$profile/examples/jsonl_bench" --counts "${counts// /,}" --runs "$runs" --qps "target/$profile/qps"
