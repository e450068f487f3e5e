#!/usr/bin/env bash
# `check --openapi` on a generated spec: how long planning takes (--dry-run, nothing sent), and
# how many probes a second it sends to the built-in server on loopback, with its peak memory.
# Builds nothing: pass the binary (default .build/release/statuslab).
#
#   scripts/benchmark-check.sh [STATUSLAB_BINARY] [--count N] [--concurrency C]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/release/statuslab
count=1000
concurrency=32
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --concurrency) concurrency="$2"; shift 2 ;;
        *) binary="$1"; shift ;;
    esac
done
[ -x "$binary" ] || { echo "benchmark-check: no binary at $binary (scripts/build-release.sh prints it)" >&2; exit 1; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

spec="$work/spec.json"
python3 scripts/make-spec.py "$count" "$spec" >/dev/null
cat > "$work/plan.yaml" <<'PLAN'
credentials:
  alice: { bearer: alice-read-token, scheme: oauth, scopes: ["notes:read"] }
PLAN

# Planning: the spec read with OpenAPIKit, every probe worked out, nothing sent.
/usr/bin/time -f "%e %M" -o "$work/plan.time" "$binary" check "$work/plan.yaml" --openapi "$spec" \
    --base http://127.0.0.1:1 --unsafe --dry-run > "$work/probes.txt"
probes=$(grep -c ' → ' "$work/probes.txt")
heads=$(grep -c '^GET .* (none) → ' "$work/probes.txt")
read -r plan_seconds plan_kib < "$work/plan.time"

# Probing the built-in server, which runs as its own process (as `statuslab serve` does).
"$binary" serve --port 0 --quiet > "$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "http://" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)
/usr/bin/time -f "%e %M" -o "$work/run.time" "$binary" check "$work/plan.yaml" --openapi "$spec" \
    --base "$base" --unsafe --concurrency "$concurrency" > "$work/report.txt" || true
read -r run_seconds run_kib < "$work/run.time"
sent=$((probes + heads))

echo "check --openapi on a spec of $count operations ($(wc -c < "$spec") bytes)"
printf "  planning (--dry-run):  %6.2f s  %6.1f MB peak RSS  %d probes planned\n" "$plan_seconds" "$(echo "$plan_kib / 1024" | bc -l)" "$probes"
printf "  probing (--concurrency %d): %6.2f s  %6.1f MB peak RSS  %d requests  %.0f requests/s\n" "$concurrency" "$run_seconds" \
    "$(echo "$run_kib / 1024" | bc -l)" "$sent" "$(echo "$sent / $run_seconds" | bc -l)"
