#!/usr/bin/env bash
# `qps <module> <entity> search --all --format jsonl` against the local QPS server, for 10,000 and 100,000
# records (override with COUNTS="10000"): wall time and peak RSS of qps (GNU time), next to reading the same
# pages alone (curl, page after page by `id GREATER lastId`, bodies discarded), side by side in one run.
# Needs curl and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

counts=${COUNTS:-"10000 100000"}
# PROFILE=debug measures the debug build (for a quick look only: the figures are for release).
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
    cargo build --release --quiet --locked -p qps-cli -p qps-testserver
else
    cargo build --quiet --locked -p qps-cli -p qps-testserver
fi
qps=target/$profile/qps
server_bin=target/$profile/qps-testserver
user=bench
pass=bench-secret
report=$(mktemp)
log=$(mktemp)
page=$(mktemp)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -f "$report" "$log" "$page"
}
trap cleanup EXIT

# Pages of 1000 by `id GREATER lastId` with curl: the cost of the HTTP exchanges alone.
pages_alone() {
    local base=$1 last="" pages=0 filters body
    while :; do
        filters=""
        if [ -n "$last" ]; then
            filters="<filters><Criteria field=\"id\" operator=\"GREATER\">$last</Criteria></filters>"
        fi
        body="<ServiceRequest>$filters<preferences><limitResults>1000</limitResults></preferences></ServiceRequest>"
        curl -sS -o "$page" -u "$user:$pass" -H 'Content-Type: text/xml' --data-binary "$body" \
            "$base/qps/rest/3.0/search/was/webapp"
        pages=$((pages + 1))
        last=$(grep -o '<lastId>[0-9]*' "$page" | tail -1 | cut -c9-)
        if [ -z "$last" ]; then break; fi
    done
    echo "$pages"
}

printf '%-8s %-22s %10s %12s %s\n' records what wall "peak RSS" note
for n in $counts; do
    port=$((20000 + RANDOM % 20000))
    "$server_bin" --port "$port" --user "$user" --password "$pass" --generate "was/webapp=$n" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do grep -q serving "$log" && break; sleep 0.1; done
    base="http://127.0.0.1:$port"

    start=$(date +%s.%N)
    pages=$(pages_alone "$base")
    end=$(date +%s.%N)
    printf '%-8s %-22s %9.2fs %12s %s\n' "$n" "pages alone (curl)" "$(echo "$end - $start" | bc)" "-" "$pages pages"

    lines=$(QUALYS_BASE_URL=$base QUALYS_USERNAME=$user QUALYS_PASSWORD=$pass \
        /usr/bin/time -v -o "$report" "$qps" was webapp search --all --format jsonl | wc -l)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2fs", s}' "$report")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2 / 1024}' "$report")
    printf '%-8s %-22s %10s %12s %s\n' "$n" "qps --all jsonl" "$wall" "$rss" "$lines lines"

    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
