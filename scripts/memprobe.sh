#!/usr/bin/env bash
# Peak RSS of reading a WAS findings response of 1, 20 and 200 MB from a file: record by record (ItemStream over a
# BufReader<File>) and whole (from_reader), in UTF-8 and re-encoded as UTF-16LE (with a byte order mark; decoded
# as it is read). The documents are generated once, streaming, into target/bench-corpus/ (override with
# QPS_BENCH_CORPUS; sizes with SIZES="1MB 20MB"). Needs GNU time (/usr/bin/time) and iconv.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"1MB 20MB 200MB"}
cargo build --release --quiet -p qps-bench --example memprobe
bin=target/release/examples/memprobe
report=$(mktemp)
trap 'rm -f "$report"' EXIT

# Runs the probe under GNU time; prints peak RSS (MB), wall time (s) and the probe's own line.
measure() {
    local out
    out=$(/usr/bin/time -v -o "$report" "$bin" "$@")
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$report")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
    printf '%10s MB %10s   %s\n' "$rss" "$wall" "$out"
}

printf '%-7s %-10s %13s %10s   %s\n' size mode "peak RSS" wall result
printf '%-7s %-10s ' - baseline
measure baseline
for size in $sizes; do
    file=$("$bin" generate "$size")
    bytes=$(stat -c %s "$file")
    utf16=${file%.xml}.utf16.xml
    [ -s "$utf16" ] || { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$file"; } > "$utf16"
    for mode in stream collect; do
        printf '%-7s %-10s ' "$size" "$mode"
        measure "$mode" "$file"
        printf '%-7s %-10s ' "$size" "$mode-16"
        measure "$mode" "$utf16"
    done
    echo "        ($file: $bytes bytes; UTF-16: $(stat -c %s "$utf16") bytes)"
done
