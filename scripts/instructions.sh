#!/usr/bin/env bash
# Instructions executed by each read path over the benchmark documents (valgrind's callgrind, counting only the
# reading: `profile::run`, not the corpus generation), and their ratio to the bare tokenizer: repeatable where wall
# times are not. SIZE=1MB for a quick run; PATHS to choose the paths. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

size=${SIZE:-20MB}
paths=${PATHS:-"tokenizer tokenizer_bufread reader_collect reader_collect_bufread reader_stream reader_stream_bufread serde_from_str serde_from_reader"}
cargo build --release --quiet -p qps-bench --example profile
bin=target/release/examples/profile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count() {
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='profile::run*' \
        --callgrind-out-file="$work/callgrind.out" "$bin" "$1" "$2" "$size" 1 >/dev/null 2>"$work/log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/log"
}

printf '%-9s %-23s %15s %12s %20s\n' document path instructions "x tokenizer" "x tokenizer_bufread"
for kind in findings webapps; do
    floor=$(count tokenizer "$kind")
    floor_bufread=$(count tokenizer_bufread "$kind")
    for path in $paths; do
        case $path in
            tokenizer) n=$floor ;;
            tokenizer_bufread) n=$floor_bufread ;;
            *) n=$(count "$path" "$kind") ;;
        esac
        awk -v k="$kind" -v p="$path" -v n="$n" -v f="$floor" -v b="$floor_bufread" \
            'BEGIN { printf "%-9s %-23s %15.0f %11.2fx %19.2fx\n", k, p, n, n / f, n / b }'
    done
done
