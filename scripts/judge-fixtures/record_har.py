#!/usr/bin/env python3
"""Send a fixed sequence of requests to a running notes_app and write the traffic as HAR 1.2.

    python record_har.py BASE_URL OUT.har      e.g. python record_har.py http://127.0.0.1:8765 notes.har

Starts no server. Redirects are recorded, never followed. Needs httpx.
Each entry's "comment" says who sent it: anonymous, malformed, wrong-token, basic, alice, bob or public.
"""
import base64
import datetime
import json
import sys
import time
from urllib.parse import parse_qsl, urlsplit

import httpx

IDENTITIES = [
    ("anonymous", None),
    ("malformed", "Bearer"),             # the scheme with no token at all
    ("wrong-token", "Bearer mallory-token"),
    ("basic", "Basic YWxpY2U6d29uZGVybGFuZA=="),  # alice:wonderland, a scheme HTTPBearer does not take
    ("alice", "Bearer alice-token"),
    ("bob", "Bearer bob-token"),
]
PATHS = ["/notes", "/notes/1", "/notes/2", "/notes/999", "/admin", "/dashboard", "/search"]
PUBLIC = [("GET", "/health"), ("DELETE", "/health"), ("GET", "/login")]
TEXTUAL = ("text/", "application/json", "application/problem+json", "application/xml", "+json", "+xml")


def plan():
    """The (who, method, path, authorization) rows, in the order they are sent."""
    for who, auth in IDENTITIES:
        for path in PATHS:
            yield who, "GET", path, auth
    yield "alice", "GET", "/search?q=milk", "Bearer alice-token"
    for method, path in PUBLIC:
        yield "public", method, path, None


def header_list(raw):
    return [{"name": k.decode("latin-1"), "value": v.decode("latin-1")} for k, v in raw]


def head_size(first_line, raw):
    """Bytes from the start of the message through the blank line that ends its head."""
    return len(first_line) + 2 + sum(len(k) + 2 + len(v) + 2 for k, v in raw) + 2


def cookies_from(headers, name):
    found = []
    for value in headers.get_list(name):
        if name == "cookie":
            pairs = [p.strip().partition("=") for p in value.split(";") if p.strip()]
            found += [{"name": k, "value": v} for k, _, v in pairs]
        else:  # Set-Cookie: only the first name=value; attributes are left out
            k, _, v = value.split(";")[0].strip().partition("=")
            found.append({"name": k, "value": v})
    return found


def content_of(response):
    mime = response.headers.get("content-type", "")
    body = response.content
    content = {"size": len(body), "mimeType": mime or "x-unknown"}
    if body and any(t in mime for t in TEXTUAL):
        content["text"] = body.decode(response.encoding or "utf-8", errors="replace")
    elif body:
        content["text"], content["encoding"] = base64.b64encode(body).decode("ascii"), "base64"
    return content


def ms(events, start, end):
    if start in events and end in events:
        return round((events[end] - events[start]) * 1000, 3)
    return -1


def record(client, who, method, path, auth):
    headers = {"Accept": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    events = {}
    started = datetime.datetime.now(datetime.timezone.utc)
    response = client.request(method, path, headers=headers,
                              extensions={"trace": lambda name, info: events.setdefault(name, time.perf_counter())})
    request = response.request
    url = str(request.url)
    target = request.url.raw_path.decode("ascii")
    version = response.http_version
    timings = {
        "blocked": -1, "dns": -1, "ssl": -1,
        "connect": ms(events, "connection.connect_tcp.started", "connection.connect_tcp.complete"),
        "send": max(ms(events, "http11.send_request_headers.started", "http11.send_request_body.complete"), 0),
        "wait": max(ms(events, "http11.send_request_body.complete", "http11.receive_response_headers.complete"), 0),
        "receive": max(ms(events, "http11.receive_response_headers.complete", "http11.receive_response_body.complete"), 0),
    }
    # HAR 1.2: "time" is the sum of the timings that are not -1; what httpx spent around the
    # exchange itself (building the request, the trace hooks) is left out of both.
    total = round(sum(v for v in timings.values() if v >= 0), 3)
    status_line = f"{version} {response.status_code} {response.reason_phrase}"
    return {
        "startedDateTime": started.isoformat(timespec="milliseconds"),
        "time": total,
        "request": {
            "method": method, "url": url, "httpVersion": version,
            "headers": header_list(request.headers.raw),
            "queryString": [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)],
            "cookies": cookies_from(request.headers, "cookie"),
            "headersSize": head_size(f"{method} {target} {version}", request.headers.raw),
            "bodySize": len(request.content),
        },
        "response": {
            "status": response.status_code, "statusText": response.reason_phrase, "httpVersion": version,
            "headers": header_list(response.headers.raw),
            "cookies": cookies_from(response.headers, "set-cookie"),
            "content": content_of(response),
            "redirectURL": response.headers.get("location", ""),
            "headersSize": head_size(status_line, response.headers.raw),
            "bodySize": len(response.content),  # no Content-Encoding here, so wire bytes == content bytes
        },
        "cache": {},
        "timings": timings,
        "serverIPAddress": request.url.host,
        "comment": who,
    }


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    base, out = argv[1].rstrip("/"), argv[2]
    with httpx.Client(base_url=base, follow_redirects=False, timeout=10) as client:
        entries = [record(client, *row) for row in plan()]
    har = {"log": {
        "version": "1.2",
        "creator": {"name": "statuslab record_har.py", "version": "1",
                    "comment": f"httpx {httpx.__version__}"},
        "pages": [],
        "entries": entries,
    }}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(har, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{out}: {len(entries)} entries")


if __name__ == "__main__":
    main(sys.argv)
