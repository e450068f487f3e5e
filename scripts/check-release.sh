#!/usr/bin/env bash
# Builds the binary users install (scripts/build-release.sh) and checks it as a user would:
# `statuslab codes` runs, `statuslab serve` answers a request, and `ldd` lists only the system
# libraries the README names (glibc's, the C++ runtime, ncurses and tinfo).
#
#   scripts/check-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$(scripts/build-release.sh)"
echo "release: $binary ($(du -h "$binary" | cut -f1))"

codes="$("$binary" codes)"
grep -qx "401 Unauthorized" <<<"$codes" || { echo "release: \`statuslab codes\` does not list 401" >&2; exit 1; }
echo "release: codes lists $(wc -l <<<"$codes") codes"

out="$(mktemp)"
"$binary" serve --port 0 >"$out" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q "mock server on" "$out" && break; sleep 0.1; done
port="$(grep -o '127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)"
[ -n "$port" ] || { echo "release: serve did not start" >&2; exit 1; }
status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/profile")"
[ "$status" = 401 ] || { echo "release: serve answered $status to /api/profile, not 401" >&2; exit 1; }
echo "release: serve answered /api/profile with $status"

# What the README promises: the Swift runtime and Foundation are inside; from the system only
# the C library family, the C++ runtime and ncurses.
allowed='^(linux-vdso\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|ld-linux-x86-64\.so|/lib64/ld-linux-x86-64\.so|libstdc\+\+\.so|libgcc_s\.so|libncursesw\.so|libtinfo\.so)'
libraries="$(ldd "$binary" | awk '{print $1}')"
unexpected="$(grep -Ev "$allowed" <<<"$libraries" || true)"
[ -z "$unexpected" ] || { echo "release: ldd shows libraries the README does not name:" >&2; echo "$unexpected" >&2; exit 1; }
echo "release: ldd shows $(wc -l <<<"$libraries") libraries, all named in the README"
