#!/usr/bin/env bash
# A/B of release binaries of statuslab on the load of scripts/benchmark-server.sh: the two 401
# paths (/api/profile, and /basic-auth/{user}/{passwd}, whose route has parameters), each
# binary as `serve` runs by default (request lines on stderr, to /dev/null here). Rounds are
# interleaved and rotate, so that a noisy moment hits every binary alike; each figure is the
# median round. Loopback only. Needs wrk (apt-get install wrk).
#
#   scripts/benchmark-server-ab.sh [-d seconds] [-r rounds] NAME=BINARY NAME=BINARY …
#
# Prints a Markdown table: requests/s per binary and path, and the ratio to the first binary.
set -euo pipefail
duration=5 rounds=5
while getopts d:r: option; do
    case "$option" in d) duration="$OPTARG" ;; r) rounds="$OPTARG" ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
(($# >= 2)) || { echo "usage: $0 [-d seconds] [-r rounds] NAME=BINARY NAME=BINARY …" >&2; exit 2; }
command -v wrk >/dev/null || { echo "benchmark: wrk is missing (apt-get install wrk)" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

names=() ports=()
for pair in "$@"; do
    name="${pair%%=*}" binary="${pair#*=}"
    [ -x "$binary" ] || { echo "benchmark: $binary is not an executable" >&2; exit 1; }
    "$binary" serve --port 0 >"$work/$name.out" 2>/dev/null &
    pids+=("$!")
    for _ in $(seq 100); do grep -q "mock server on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
    port="$(grep -o '127.0.0.1:[0-9]*' "$work/$name.out" | head -1 | cut -d: -f2)"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/profile")" = 401 ] || { echo "benchmark: $name does not answer 401" >&2; exit 1; }
    names+=("$name") ports+=("$port")
done

paths=(/api/profile /basic-auth/alice/wonderland)
targets=()
for i in "${!names[@]}"; do
    for p in "${!paths[@]}"; do targets+=("${names[$i]}-$p http://127.0.0.1:${ports[$i]}${paths[$p]}"); : >"$work/${names[$i]}-$p"; done
done
count=${#targets[@]}
for round in $(seq 0 $((rounds - 1))); do
    for i in $(seq 0 $((count - 1))); do
        read -r name url <<<"${targets[$(( (round + i) % count ))]}"
        wrk -t2 -c50 -d"${duration}s" "$url" | awk '/Requests\/sec/ {print $2}' >>"$work/$name"
    done
done
median() { sort -n "$work/$1" | sed -n "$(( (rounds + 1) / 2 ))p"; }
echo "| binary | /api/profile req/s | vs ${names[0]} | /basic-auth req/s | vs ${names[0]} |"
echo "|---|---|---|---|---|"
for name in "${names[@]}"; do
    a="$(median "$name-0")" b="$(median "$name-1")" a0="$(median "${names[0]}-0")" b0="$(median "${names[0]}-1")"
    printf '| %s | %.0f | %+.1f%% | %.0f | %+.1f%% |\n' "$name" "$a" "$(awk -v x="$a" -v y="$a0" 'BEGIN {print (x / y - 1) * 100}')" \
        "$b" "$(awk -v x="$b" -v y="$b0" 'BEGIN {print (x / y - 1) * 100}')"
done
echo
echo "wrk -t2 -c50 -d${duration}s, $rounds rounds interleaved, $(date -u +%Y-%m-%d); every round: $(for t in "${targets[@]}"; do n="${t%% *}"; printf '%s %s; ' "$n" "$(paste -sd, "$work/$n")"; done)"
