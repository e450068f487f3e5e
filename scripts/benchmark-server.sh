#!/usr/bin/env bash
# Benchmarks the mock server's 401 paths (/api/profile, and /basic-auth/{user}/{passwd}, whose
# route has parameters) against an nginx that sends the same 401s as static answers, side by
# side in one run, and writes the results into docs/BENCHMARKS.md.
# Loopback only, bounded in time. Needs wrk and nginx (apt-get install wrk nginx-light).
#
#   scripts/benchmark-server.sh [seconds per run, default 10] [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
rounds="${2:-5}"
threads=2
connections=50
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { echo "benchmark: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 1; }
done

binary="$(scripts/build-release.sh)"
work="$(mktemp -d)"
nginx_pid=""
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The mock server twice on free ports: quiet (no request lines, like nginx's access_log off)
# and as `serve` runs by default, printing request lines (to /dev/null here).
start_server() {  # variable to set to its port, output file, extra arguments
    "$binary" serve --port 0 "${@:3}" >"$2" 2>/dev/null &
    server_pids+=("$!")
    for _ in $(seq 100); do grep -q "mock server on" "$2" 2>/dev/null && break; sleep 0.1; done
    printf -v "$1" '%s' "$(grep -o '127.0.0.1:[0-9]*' "$2" | head -1 | cut -d: -f2)"
}
start_server quiet_port "$work/quiet.out" --quiet
start_server logging_port "$work/logging.out"

# nginx answering the same bytes: for each measured path, the mock server's 401 (body,
# challenge and decision header) copied from a real response into a location of its own, so
# both sides put the same response on the wire.
paths=(/api/profile /basic-auth/alice/wonderland)
nginx_string() {  # text ending in a newline -> an nginx quoted string (nginx reads \\ \' \n in quotes)
    printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" | awk '{printf "%s\\n", $0}')"
}
nginx_port=$((logging_port + 1))
while curl -s -o /dev/null "http://127.0.0.1:$nginx_port/"; do nginx_port=$((nginx_port + 1)); done
locations=""
for path in "${paths[@]}"; do
    sample="http://127.0.0.1:$quiet_port$path"
    body="$(curl -s "$sample"; echo x)"; body="${body%x}"
    header() { curl -s -o /dev/null -D - "$sample" | tr -d '\r' | sed -n "s/^$1: //Ip"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$sample")" = 401 ] || { echo "benchmark: $path is not a 401" >&2; exit 1; }
    case "$body$(header WWW-Authenticate)$(header StatusLab-Decision)" in
        *'$'*) echo "benchmark: the sample response of $path has a \$, which nginx would read as a variable" >&2; exit 1 ;;
    esac
    case "$(header WWW-Authenticate)$(header StatusLab-Decision)" in
        *"'"* | *'\'*) echo "benchmark: a sample header of $path has a quote or a backslash" >&2; exit 1 ;;
    esac
    printf '%s' "$body" >"$work/body$(echo "$path" | tr / _)"
    locations+="
        location = $path {
            add_header WWW-Authenticate '$(header WWW-Authenticate)' always;
            add_header StatusLab-Decision '$(header StatusLab-Decision)' always;
            default_type application/problem+json;
            return 401 $(nginx_string "$body");
        }"
done
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $work/error.log;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server_tokens off;
    server {
        listen 127.0.0.1:$nginx_port;$locations
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done
for path in "${paths[@]}"; do
    [ "$(curl -s "http://127.0.0.1:$nginx_port$path"; echo x)" = "$(cat "$work/body$(echo "$path" | tr / _)"; echo x)" ] \
        || { echo "benchmark: nginx's body for $path differs from the mock server's" >&2; exit 1; }
done

run() {  # url -> "requests/s p50 p90 p99" (latencies in ms) of one wrk run
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1" >"$work/wrk.out"
    local rps p50 p90 p99
    rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")"
    ms() { awk -v q="$1" '$1 == q {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$work/wrk.out"; }
    p50="$(ms 50%)"; p90="$(ms 90%)"; p99="$(ms 99%)"
    echo "$rps $p50 $p90 $p99"
}

# Rounds of every target, interleaved so that a noisy moment hits all of them, and each round
# starting with the next one, as the place in a round alone moved results by several percent.
# Each row of the table is the round with the median requests/s.
targets=("quiet-profile http://127.0.0.1:$quiet_port/api/profile"
         "quiet-basic http://127.0.0.1:$quiet_port/basic-auth/alice/wonderland"
         "logging-profile http://127.0.0.1:$logging_port/api/profile"
         "logging-basic http://127.0.0.1:$logging_port/basic-auth/alice/wonderland"
         "nginx-profile http://127.0.0.1:$nginx_port/api/profile"
         "nginx-basic http://127.0.0.1:$nginx_port/basic-auth/alice/wonderland")
count=${#targets[@]}
for target in "${targets[@]}"; do : >"$work/${target%% *}"; done
for round in $(seq 0 $((rounds - 1))); do
    for i in $(seq 0 $((count - 1))); do
        read -r name url <<<"${targets[$(( (round + i) % count ))]}"
        run "$url" >>"$work/$name"
    done
done
median() { sort -n -k1,1 "$work/$1" | sed -n "$(( (rounds + 1) / 2 ))p"; }
rounds_of() { awk '{printf "%s%.0f", (NR > 1 ? ", " : ""), $1}' "$work/$1"; }
row() {  # name, server label, path label
    local rps p50 p90 p99
    read -r rps p50 p90 p99 < <(median "$1")
    echo "| $2 | $3 | $rps | $p50 | $p90 | $p99 |"
}
ratio() { awk -v a="$(median "$1" | cut -d' ' -f1)" -v b="$(median "$2" | cut -d' ' -f1)" 'BEGIN {printf "%.3f", a / b}'; }

# The results replace what is between the markers in docs/BENCHMARKS.md; the notes around
# them are written by hand.
nginx_name="nginx $(nginx -v 2>&1 | sed 's|.*/||') (one worker, access_log off)"
cat >"$work/results.md" <<DOC
<!-- results: written by scripts/benchmark-server.sh -->
Run on $(date -u +%Y-%m-%d): the release \`statuslab serve\` and an nginx sending the same 401s, side
by side on loopback; wrk with $threads threads and $connections connections for ${duration}s per run,
$rounds rounds of all six interleaved, each row the round with the median requests/s.

| server | path | requests/s | p50 ms | p90 ms | p99 ms |
|---|---|---|---|---|---|
$(row quiet-profile "statuslab serve --quiet" "GET /api/profile (401)")
$(row quiet-basic "statuslab serve --quiet" "GET /basic-auth/alice/wonderland (401)")
$(row logging-profile "statuslab serve (request lines on stderr)" "GET /api/profile (401)")
$(row logging-basic "statuslab serve (request lines on stderr)" "GET /basic-auth/alice/wonderland (401)")
$(row nginx-profile "$nginx_name" "the same 401 as /api/profile, static")
$(row nginx-basic "$nginx_name" "the same 401 as /basic-auth, static")

Ratio to nginx, requests/s, on the same path:

| | /api/profile | /basic-auth/alice/wonderland |
|---|---|---|
| \`serve --quiet\` | **$(ratio quiet-profile nginx-profile)** | **$(ratio quiet-basic nginx-basic)** |
| \`serve\` (request lines) | **$(ratio logging-profile nginx-profile)** | **$(ratio logging-basic nginx-basic)** |

Every round's requests/s, in the order run: $(for t in "${targets[@]}"; do n="${t%% *}"; printf '%s %s; ' "$n" "$(rounds_of "$n")"; done)
<!-- /results -->
DOC
awk -v results="$work/results.md" '
    /^<!-- results/ { while ((getline line < results) > 0) print line; skipping = 1; next }
    /^<!-- \/results -->/ { skipping = 0; next }
    !skipping { print }
' docs/BENCHMARKS.md >"$work/BENCHMARKS.md"
mv "$work/BENCHMARKS.md" docs/BENCHMARKS.md
sed -n '/^<!-- results/,/^<!-- \/results -->/p' docs/BENCHMARKS.md
