#!/usr/bin/env bash
# `statuslab judge` against HTTPolice on one synthetic HAR, side by side in one run: wall time,
# exchanges per second and peak RSS (GNU time's maximum resident set size) of each, and the ratios.
# Builds nothing: pass the binary (default .build/release/statuslab if it exists). Without a
# binary, HTTPolice is still timed.
#
#   scripts/benchmark-judge.sh [STATUSLAB_BINARY] [--count N] [--httpolice-count M] [--seed S]
#
#   --count N            exchanges in the HAR (default 100000); made once by scripts/make-har.py
#                        as /tmp/statuslab-judge-N-sS.har and kept for later runs
#   --httpolice-count M  give HTTPolice a HAR of M exchanges instead (default N). HTTPolice checks
#                        about 65 exchanges a second on a free core here (linear in N), and loads
#                        the whole HAR first: 100000 would take about 25 minutes and 1.3 GiB. Use
#                        e.g. --httpolice-count 10000, and compare exchanges per second
#
# HTTPolice is looked for in $STATUSLAB_VENV/bin (default /tmp/statuslab-venv), then on PATH;
# see scripts/judge-fixtures/README.md for that venv. Needs /usr/bin/time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=""
count=100000
hp_count=""
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="$2"; shift 2 ;;
        --httpolice-count) hp_count="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "benchmark-judge: unknown option $1" >&2; exit 2 ;;
        *) binary="$1"; shift ;;
    esac
done
hp_count="${hp_count:-$count}"
[ -z "$binary" ] && [ -x .build/release/statuslab ] && binary=.build/release/statuslab

if [ ! -x /usr/bin/time ]; then
    echo "benchmark-judge: installing GNU time (/usr/bin/time is missing)" >&2
    (apt-get update -qq && apt-get install -y -qq time) >/dev/null || { echo "benchmark-judge: apt-get install time failed" >&2; exit 1; }
fi
venv="${STATUSLAB_VENV:-/tmp/statuslab-venv}"
httpolice="$venv/bin/httpolice"
[ -x "$httpolice" ] || httpolice="$(command -v httpolice || true)"
python="$venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"

har_for() {  # har_for N: path of the HAR of N exchanges, made if absent
    local file="/tmp/statuslab-judge-$1-s$seed.har"
    if [ ! -s "$file" ]; then
        "$python" scripts/make-har.py "$1" "$file.part" --seed "$seed"   # its summary goes to stderr
        mv "$file.part" "$file"
    fi
    echo "$file"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure NAME EXCHANGES FILE COMMAND...: runs COMMAND under GNU time, output to /dev/null,
# and appends "NAME wall_seconds peak_kib exit_status exchanges file" to $work/results.
measure() {
    local name="$1" n="$2" file="$3"; shift 3
    echo "benchmark-judge: $name on $n exchanges ($(du -h "$file" | cut -f1)): $*" >&2
    /usr/bin/time -v -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.stderr" || true
    local wall rss status cpu
    wall="$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$work/$name.time" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
    rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")"
    cpu="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { print s }' "$work/$name.time")"
    status="$(sed -n 's/.*Command exited with non-zero status //p' "$work/$name.time")"
    if grep -q "Command terminated by signal" "$work/$name.time"; then status="signal"; fi
    echo "$name $wall $rss ${status:-0} $n $file $cpu" >> "$work/results"
    if [ "${status:-0}" != 0 ] && [ -s "$work/$name.stderr" ]; then
        echo "benchmark-judge: $name exited with $status; its last lines on stderr:" >&2
        tail -5 "$work/$name.stderr" | sed 's/^/    /' >&2
    fi
}

file="$(har_for "$count")"
if [ -n "$binary" ] && [ -x "$binary" ]; then
    measure statuslab "$count" "$file" "$binary" judge "$file" --format json
else
    echo "benchmark-judge: no statuslab binary${binary:+ at $binary} (pass one; this script builds nothing), so only HTTPolice is timed" >&2
fi
if [ -n "$httpolice" ]; then
    hp_file="$file"
    [ "$hp_count" != "$count" ] && hp_file="$(har_for "$hp_count")"
    measure httpolice "$hp_count" "$hp_file" "$httpolice" -i har "$hp_file"
else
    echo "benchmark-judge: httpolice not found (see scripts/judge-fixtures/README.md)" >&2
fi
[ -s "$work/results" ] || exit 1

echo
printf '%-10s %10s %10s %9s %14s %13s %6s\n' tool exchanges "wall (s)" "CPU (s)" "exchanges/s" "peak RSS MiB" exit
awk '{ printf "%-10s %10d %10.2f %9.2f %14.0f %13.1f %6s\n", $1, $5, $2, $7, ($2 > 0 ? $5 / $2 : 0), $3 / 1024, $4 }' "$work/results"
echo "(exchanges/s is by wall time; CPU is user + system. Both are single runs: on a busy machine, CPU well"
echo " below wall means the tool waited for a core)"
if [ "$(wc -l < "$work/results")" = 2 ]; then
    awk 'NR == 1 { r1 = $5 / ($2 > 0 ? $2 : 0.001); m1 = $3 }
         NR == 2 { r2 = $5 / ($2 > 0 ? $2 : 0.001); m2 = $3 }
         END { printf "\nstatuslab judge: %.1fx the exchanges per second of HTTPolice, %.2fx its peak RSS\n", r1 / r2, m1 / m2 }' "$work/results"
fi
