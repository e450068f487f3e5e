#!/usr/bin/env bash
# Records the notes_app fixtures under two FastAPI versions: for each venv, starts uvicorn on a
# free loopback port in the background, records a HAR with record_har.py, saves the app's own
# /openapi.json, stops the server, then runs HTTPolice on the HAR (with the current venv).
# Writes into this folder; copy the .har and .openapi.json files to Tests/Fixtures/traffic/ by hand
# (or pass --copy).
#
#   scripts/judge-fixtures/record-all.sh [--copy]
#
# Venvs (outside the repo; see README.md for how to make them):
#   STATUSLAB_VENV      default /tmp/statuslab-venv       fastapi current, uvicorn, httpx, httpolice
#   STATUSLAB_VENV_OLD  default /tmp/statuslab-venv-old   fastapi 0.121.x, uvicorn, httpx
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${STATUSLAB_VENV:-/tmp/statuslab-venv}"
venv_old="${STATUSLAB_VENV_OLD:-/tmp/statuslab-venv-old}"
copy=no
[ "${1:-}" = "--copy" ] && copy=yes

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

record() {  # record NAME VENV
    local name="$1" env="$2" port
    port="$("$env/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    (cd "$here" && exec "$env/bin/uvicorn" notes_app:app --host 127.0.0.1 --port "$port" --log-level warning) &
    server_pid=$!
    for _ in $(seq 50); do
        "$env/bin/python" -c "import httpx; httpx.get('http://127.0.0.1:$port/health', timeout=1)" 2>/dev/null && break
        sleep 0.2
    done
    "$env/bin/python" "$here/record_har.py" "http://127.0.0.1:$port" "$here/$name.har"
    "$env/bin/python" -c "import httpx, json, sys; print(json.dumps(httpx.get('http://127.0.0.1:$port/openapi.json').json(), indent=2))" \
        > "$here/$name.openapi.json"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    # HTTPolice exits 1 when it has notices to report; that is expected here.
    "$venv/bin/httpolice" -i har "$here/$name.har" > "$here/$name.httpolice.txt" || true
    echo "$name: fastapi $("$env/bin/python" -c 'import fastapi; print(fastapi.__version__)'), $(grep -c '^[ECD] [0-9]' "$here/$name.httpolice.txt" || true) HTTPolice notices"
}

record fastapi-current "$venv"
record fastapi-0.121 "$venv_old"

if [ "$copy" = yes ]; then
    mkdir -p "$here/../../Tests/Fixtures/traffic"
    cp "$here"/fastapi-current.har "$here"/fastapi-0.121.har \
       "$here"/fastapi-current.openapi.json "$here"/fastapi-0.121.openapi.json \
       "$here/../../Tests/Fixtures/traffic/"
fi
