#!/usr/bin/env bash
# Peak RSS of streaming a findings response whose one record holds a text node of SIZE (default 200MB) twice: in an
# element the reader does not know (skipped) and in `uniqueId` (read). `skip` streams under a node limit of 1 MiB
# (the unknown element is skipped without buffering, `uniqueId` is refused), `raised` with no limit (both read).
# Also times one element with N attributes (default 40000) on each read path. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

size=${SIZE:-200MB}
attributes=${ATTRIBUTES:-40000}
cargo build --release --quiet -p qps-bench --example hostile
bin=target/release/examples/hostile
report=$(mktemp)
trap 'rm -f "$report"' EXIT

"$bin" attributes "$attributes"
echo
file=$("$bin" generate "$size")
printf '%-7s %13s %10s   %s\n' mode "peak RSS" wall result
for mode in skip raised; do
    out=$(/usr/bin/time -v -o "$report" "$bin" "$mode" "$file" | tr '\n' ' ')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$report")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
    printf '%-7s %10s MB %10s   %s\n' "$mode" "$rss" "$wall" "$out"
done
echo "($file: $(stat -c %s "$file") bytes)"
