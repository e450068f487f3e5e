#!/usr/bin/env python3
"""Write a synthetic but realistic HAR 1.2 file of N exchanges, the same bytes for the same N and seed.

    scripts/make-har.py [N] OUT [--seed S]        N defaults to 100000; OUT "-" writes to stdout

The traffic is a shop API (https://api.shop.example) seen from many clients: users with Bearer
tokens, service accounts with Basic, anonymous callers, browsers with a session cookie, and
callers with bad credentials (expired or unknown tokens, "Bearer" alone, wrong passwords).
Paths carry numeric ids and UUIDs; requests and responses carry JSON bodies; product images and
invoice PDFs come back as base64 content; every message has 8 to 15 headers.

About one exchange in eight carries a deliberate status-code mistake. Each entry's "comment"
names its scenario ("ok ..." or "mistake: ..."), and the counts per scenario are printed to
stderr at the end, so a judge's findings can be checked against them:
  mistake: 403 to anonymous            a caller with no credentials gets 403 instead of 401
  mistake: 401 without WWW-Authenticate
  mistake: login redirect for JSON     302 to /login for a client that sent Accept: application/json
  mistake: 405 without Allow
  mistake: redirect without Location   a 301/302/303/307 with no Location header
  mistake: 200 with error body         200 whose JSON body is {"error": ...}

Entries are written one at a time as they are made, so memory stays flat whatever N is.
"""
import base64
import datetime
import json
import random
import sys
import uuid
from collections import Counter

HOST = "api.shop.example"
ORIGIN = f"https://{HOST}"
BASE_TIME = datetime.datetime(2025, 3, 4, 8, 0, 0, tzinfo=datetime.timezone.utc)
REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 422: "Unprocessable Content", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}
AGENTS = ["python-httpx/0.28.1", "okhttp/4.12.0", "axios/1.7.9", "curl/8.11.1", "Go-http-client/1.1",
          "ShopApp/5.2.0 (iPhone; iOS 18.2)", "ShopApp/5.1.3 (Android 14; Pixel 8)"]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0"
SERVERS = ["nginx", "envoy", "uvicorn"]
STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"]
WORDS = ["kettle", "lamp", "mug", "chair", "notebook", "backpack", "headphones", "scarf", "plant", "clock"]



def pad_headers(h, optional, rng):
    """Adds optional headers, in random order, until there are 8 to 15 in all."""
    want = rng.randint(8, 15)
    for name, value in rng.sample(optional, len(optional)):
        if len(h) >= want:
            break
        h.setdefault(name, value)

def token(rng, n):
    return base64.urlsafe_b64encode(rng.randbytes(n)).decode("ascii").rstrip("=")


def jwt_like(rng):
    return f"eyJhbGciOiJSUzI1NiJ9.{token(rng, 48)}.{token(rng, 64)}"


def a_uuid(rng):
    return str(uuid.UUID(bytes=rng.randbytes(16), version=4))


def http_date(moment):
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def pairs(d):
    return [{"name": k, "value": v} for k, v in d.items()]


class World:
    """The fixed cast: users with tokens, service accounts, and their orders."""

    def __init__(self, rng):
        self.users = [{"id": a_uuid(rng), "token": jwt_like(rng), "admin": i < 3} for i in range(200)]
        self.services = [(name, token(rng, 18)) for name in ("billing", "warehouse", "reports", "search")]
        self.sessions = [token(rng, 24) for _ in range(100)]


class Exchange:
    """One request/response pair under construction; `entry` turns it into a HAR entry."""

    def __init__(self, method, path, req_headers, req_body=None, req_mime=None):
        self.method, self.path, self.req_headers = method, path, req_headers
        self.req_body, self.req_mime = req_body, req_mime
        self.status, self.resp_headers, self.body, self.mime, self.binary = 200, {}, b"", "", False
        self.scenario = "ok"

    def respond(self, status, body=None, mime="application/json", binary=False, **headers):
        self.status, self.binary = status, binary
        if body is None:
            self.body, self.mime = b"", ""
        elif isinstance(body, bytes):
            self.body, self.mime = body, mime
        else:
            self.body, self.mime = json.dumps(body, separators=(",", ":")).encode(), mime
        self.resp_headers.update({k.replace("_", "-"): v for k, v in headers.items()})
        return self


def request_headers(rng, accept, auth=None, cookie=None, agent=None, extra=()):
    h = {"Host": HOST, "User-Agent": agent or rng.choice(AGENTS), "Accept": accept,
         "Accept-Encoding": "gzip, deflate, br", "Accept-Language": rng.choice(["en-US,en;q=0.9", "de-DE,de;q=0.8", "fr-FR"]),
         "Connection": "keep-alive"}
    if auth:
        h["Authorization"] = auth
    if cookie:
        h["Cookie"] = cookie
    for name, value in extra:
        h[name] = value
    optional = [("X-Request-ID", a_uuid(rng)), ("traceparent", f"00-{rng.randbytes(16).hex()}-{rng.randbytes(8).hex()}-01"),
                ("Cache-Control", "no-cache"), ("X-Client-Version", f"{rng.randint(3, 6)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"),
                ("Origin", "https://shop.example"), ("Referer", "https://shop.example/account"),
                ("X-Forwarded-For", f"198.51.100.{rng.randint(1, 254)}"), ("X-Forwarded-Proto", "https"),
                ("DNT", "1"), ("Sec-Fetch-Mode", "cors")]
    pad_headers(h, optional, rng)
    return h


def order(rng, order_id, owner):
    items = [{"sku": f"SKU-{rng.randint(10000, 99999)}", "name": rng.choice(WORDS), "qty": rng.randint(1, 4),
              "price": round(rng.uniform(2, 180), 2)} for _ in range(rng.randint(1, 5))]
    return {"id": order_id, "customer": owner, "status": rng.choice(STATUSES), "items": items,
            "total": round(sum(i["qty"] * i["price"] for i in items), 2), "currency": "EUR"}


def problem(status, title, detail):
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


def challenge(error=None):
    value = 'Bearer realm="shop"'
    if error:
        value += f', error="{error}"'
    return value


def api_exchange(rng, world, who):
    """A call to the JSON API by `who`: ('user', u) ('service', name) ('anonymous',) ('bad', kind)."""
    kind = who[0]
    auth = None
    if kind == "user":
        auth = f"Bearer {who[1]['token']}"
    elif kind == "service":
        name, secret = who[1]
        auth = "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()
    elif kind == "bad":
        auth = {"expired": f"Bearer {jwt_like(rng)}", "unknown": f"Bearer {token(rng, 32)}", "bare": "Bearer",
                "wrong-password": "Basic " + base64.b64encode(b"billing:hunter2").decode()}[who[1]]

    route = rng.random()
    oid = rng.randint(100000, 999999)
    extra = []
    if route < 0.35:
        method, path = "GET", f"/api/v1/orders/{oid}"
    elif route < 0.50:
        method, path = "GET", f"/api/v1/orders?page={rng.randint(1, 40)}&limit={rng.choice([10, 20, 50])}"
    elif route < 0.60:
        method, path = "POST", "/api/v1/orders"
    elif route < 0.66:
        method, path = rng.choice(["PATCH", "DELETE"]), f"/api/v1/orders/{oid}"
    elif route < 0.76:
        method, path = "GET", f"/api/v1/users/{a_uuid(rng) if rng.random() < 0.5 else 'me'}"
    elif route < 0.84:
        method, path = "GET", f"/api/v1/products/{rng.randint(1000, 9999)}/image"
    elif route < 0.88:
        method, path = "GET", f"/api/v1/invoices/{a_uuid(rng)}.pdf"
    elif route < 0.93:
        method, path = "GET", f"/api/v1/products/{rng.randint(1000, 9999)}"
        if rng.random() < 0.5:
            extra.append(("If-None-Match", f'"{rng.randbytes(8).hex()}"'))
    elif route < 0.97:
        method, path = rng.choice(["PUT", "DELETE", "POST"]), f"/api/v1/products/{rng.randint(1000, 9999)}"
    else:
        method, path = "GET", "/api/v1/admin/reports"

    body = None
    if method in ("POST", "PATCH", "PUT"):
        body = {"items": [{"sku": f"SKU-{rng.randint(10000, 99999)}", "qty": rng.randint(1, 3)}],
                "note": rng.choice(["", "leave at the door", "gift wrap"])} if method != "PATCH" else {"status": "cancelled"}
        body = json.dumps(body, separators=(",", ":")).encode()
        mime = "application/merge-patch+json" if method == "PATCH" else "application/json"
        extra += [("Content-Type", mime), ("Content-Length", str(len(body)))]
    x = Exchange(method, path, request_headers(rng, "application/json", auth, extra=extra), body,
                 extra[-2][1] if body else None)

    # Who gets in: no credentials, unreadable ones, wrong ones.
    if kind == "anonymous":
        return x.respond(401, problem(401, "Unauthorized", "authentication required"), "application/problem+json",
                         WWW_Authenticate=challenge())
    if kind == "bad":
        if who[1] == "bare":
            return x.respond(400, problem(400, "Bad Request", "malformed Authorization header"), "application/problem+json",
                             WWW_Authenticate=challenge("invalid_request"))
        if who[1] == "wrong-password":
            return x.respond(401, problem(401, "Unauthorized", "bad credentials"), "application/problem+json",
                             WWW_Authenticate='Basic realm="shop", charset="UTF-8"')
        return x.respond(401, problem(401, "Unauthorized", "token expired" if who[1] == "expired" else "unknown token"),
                         "application/problem+json", WWW_Authenticate=challenge("invalid_token"))

    # Identified callers.
    admin = kind == "service" or who[1]["admin"]
    owner = who[1]["id"] if kind == "user" else who[1][0]
    roll = rng.random()
    if path.startswith("/api/v1/admin"):
        if not admin:
            return x.respond(403, problem(403, "Forbidden", "admin role required"), "application/problem+json",
                             WWW_Authenticate=challenge("insufficient_scope") + ', scope="admin"')
        return x.respond(200, {"reports": [{"id": a_uuid(rng), "rows": rng.randint(10, 5000)} for _ in range(3)]})
    if path.startswith("/api/v1/products/") and method != "GET":
        return x.respond(405, problem(405, "Method Not Allowed", f"{method} is not allowed here"),
                         "application/problem+json", Allow="GET, HEAD")
    if roll < 0.01:
        return x.respond(500, problem(500, "Internal Server Error", "upstream timed out"), "application/problem+json")
    if roll < 0.03:
        return x.respond(429, problem(429, "Too Many Requests", "slow down"), "application/problem+json",
                         Retry_After=str(rng.randint(1, 60)))
    if path.endswith("/image"):
        if roll < 0.10:
            return x.respond(404, problem(404, "Not Found", "no such product"), "application/problem+json")
        png = b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(600, 6000))
        return x.respond(200, png, "image/png", binary=True, Cache_Control="public, max-age=86400",
                         ETag=f'"{rng.randbytes(8).hex()}"')
    if path.endswith(".pdf"):
        if roll < 0.15:  # someone else's invoice, hidden as missing: right
            return x.respond(404, problem(404, "Not Found", "no such invoice"), "application/problem+json")
        pdf = b"%PDF-1.7\n" + rng.randbytes(rng.randint(2000, 9000)) + b"\n%%EOF\n"
        return x.respond(200, pdf, "application/pdf", binary=True,
                         Content_Disposition=f'attachment; filename="invoice-{rng.randint(1, 99999)}.pdf"')
    if path.startswith("/api/v1/products/"):
        if any(k == "If-None-Match" for k in x.req_headers):
            return x.respond(304, None, ETag=x.req_headers["If-None-Match"], Cache_Control="max-age=60")
        return x.respond(200, {"id": int(path.rsplit("/", 1)[1]), "name": rng.choice(WORDS),
                               "price": round(rng.uniform(2, 180), 2), "stock": rng.randint(0, 500)},
                         ETag=f'"{rng.randbytes(8).hex()}"')
    if path.startswith("/api/v1/users/"):
        if path.endswith("/me") or roll < 0.4:
            return x.respond(200, {"id": owner, "email": f"user{rng.randint(1, 99999)}@mail.example",
                                   "roles": ["admin"] if admin else ["customer"]})
        return x.respond(404, problem(404, "Not Found", "no such user"), "application/problem+json")
    if method == "POST":
        if roll < 0.08:
            return x.respond(422, problem(422, "Unprocessable Content", "items[0].qty must be at least 1"),
                             "application/problem+json")
        new = rng.randint(100000, 999999)
        return x.respond(201, order(rng, new, owner), Location=f"/api/v1/orders/{new}")
    if method == "DELETE":
        return x.respond(204, None) if roll < 0.7 else x.respond(404, problem(404, "Not Found", "no such order"),
                                                                   "application/problem+json")
    if method == "PATCH":
        if roll < 0.15:
            return x.respond(409, problem(409, "Conflict", "order already shipped"), "application/problem+json")
        return x.respond(200, order(rng, oid, owner))
    if "?" in path:
        return x.respond(200, {"page": 1, "orders": [order(rng, rng.randint(100000, 999999), owner)
                                                     for _ in range(rng.randint(0, 6))]})
    if roll < 0.12:  # missing, or someone else's: both 404 (right)
        return x.respond(404, problem(404, "Not Found", "no such order"), "application/problem+json")
    return x.respond(200, order(rng, oid, owner))


def browser_exchange(rng, world):
    logged_in = rng.random() < 0.6
    cookie = f"session={rng.choice(world.sessions)}" if logged_in else None
    path = rng.choice(["/account", "/account/orders", "/checkout", "/"])
    x = Exchange("GET", path, request_headers(rng, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                                              cookie=cookie, agent=BROWSER))
    if not logged_in and path != "/":  # a person in a browser: 303 to the login page is right
        return x.respond(303, None, Location=f"/login?next={path}")
    page = f"<!doctype html><html><head><title>Shop</title></head><body><h1>{path}</h1>" + \
        "".join(f"<p>{rng.choice(WORDS)}</p>" for _ in range(rng.randint(5, 40))) + "</body></html>"
    return x.respond(200, page.encode(), "text/html; charset=utf-8")


def public_exchange(rng):
    path = rng.choice(["/health", "/health", "/metrics", "/api/v1/status"])
    method = "GET" if rng.random() < 0.9 else rng.choice(["POST", "DELETE"])
    x = Exchange(method, path, request_headers(rng, "*/*", agent=rng.choice(["kube-probe/1.31", "Prometheus/2.55.1", "curl/8.11.1"])))
    if method != "GET":
        return x.respond(405, {"detail": "Method Not Allowed"}, Allow="GET, HEAD")
    if path == "/metrics":
        text = "".join(f'http_requests_total{{code="{c}"}} {rng.randint(0, 10**6)}\n' for c in (200, 401, 403, 404, 500))
        return x.respond(200, text.encode(), "text/plain; version=0.0.4")
    return x.respond(200, {"status": "ok", "version": "2025.03.1"})


def inject_mistake(rng, x, who):
    """Turn a right answer into one of the classic wrong ones, when the exchange allows it."""
    if x.status == 401 and who[0] == "anonymous":
        if rng.random() < 0.5:
            x.resp_headers.pop("WWW-Authenticate")
            x.status, x.body = 403, json.dumps(problem(403, "Forbidden", "not allowed"), separators=(",", ":")).encode()
            x.scenario = "mistake: 403 to anonymous"
        else:
            x.resp_headers.pop("WWW-Authenticate")
            x.status, x.body, x.mime = 302, b"", ""
            x.resp_headers["Location"] = "/login"
            x.scenario = "mistake: login redirect for JSON"
    elif x.status == 401:
        x.resp_headers.pop("WWW-Authenticate")
        x.scenario = "mistake: 401 without WWW-Authenticate"
    elif x.status == 405:
        x.resp_headers.pop("Allow")
        x.scenario = "mistake: 405 without Allow"
    elif x.status in (200, 201) and not x.binary and x.mime == "application/json":
        if rng.random() < 0.5:
            x.resp_headers.pop("Location", None)
            x.resp_headers.pop("ETag", None)
            x.status, x.body = 200, json.dumps({"error": rng.choice(["order not found", "not authorized", "invalid input"]),
                                                "code": rng.choice([404, 403, 400])}, separators=(",", ":")).encode()
            x.scenario = "mistake: 200 with error body"
        else:
            x.status, x.body, x.mime = rng.choice([301, 302, 303, 307]), b"", ""
            x.resp_headers.pop("Location", None)
            x.resp_headers.pop("ETag", None)
            x.scenario = "mistake: redirect without Location"
    return x


def entry(rng, x, started, seq):
    server = SERVERS[seq % 3]
    h = {"Date": http_date(started), "Server": server}
    if x.mime:
        h["Content-Type"] = x.mime
    if x.status != 304 and not (x.status == 204):
        h["Content-Length"] = str(len(x.body))
    h.update(x.resp_headers)
    optional = [("X-Request-ID", a_uuid(rng)), ("Cache-Control", "no-store"), ("Vary", "Accept, Authorization"),
                ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
                ("X-Content-Type-Options", "nosniff"), ("X-RateLimit-Limit", "1000"),
                ("X-RateLimit-Remaining", str(rng.randint(0, 999))), ("X-RateLimit-Reset", str(rng.randint(1, 3600))),
                ("Access-Control-Allow-Origin", "https://shop.example"), ("Connection", "keep-alive"),
                ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]
    pad_headers(h, optional, rng)

    url = ORIGIN + x.path
    query = x.path.partition("?")[2]
    req = {
        "method": x.method, "url": url, "httpVersion": "HTTP/1.1",
        "headers": pairs(x.req_headers),
        "queryString": [{"name": k, "value": v} for k, _, v in (p.partition("=") for p in query.split("&") if p)],
        "cookies": [{"name": "session", "value": x.req_headers["Cookie"][8:]}] if "Cookie" in x.req_headers else [],
        "headersSize": len(x.method) + len(x.path) + 12 + sum(len(k) + len(v) + 4 for k, v in x.req_headers.items()) + 2,
        "bodySize": len(x.req_body) if x.req_body else 0,
    }
    if x.req_body:
        req["postData"] = {"mimeType": x.req_mime, "text": x.req_body.decode()}
    content = {"size": len(x.body), "mimeType": x.mime or "x-unknown"}
    if x.body:
        if x.binary:
            content["text"], content["encoding"] = base64.b64encode(x.body).decode("ascii"), "base64"
        else:
            content["text"] = x.body.decode()
    reason = REASONS[x.status]
    resp = {
        "status": x.status, "statusText": reason, "httpVersion": "HTTP/1.1",
        "headers": pairs(h), "cookies": [], "content": content,
        "redirectURL": h.get("Location", ""),
        "headersSize": 15 + len(reason) + sum(len(k) + len(v) + 4 for k, v in h.items()) + 2,
        "bodySize": len(x.body),
    }
    send, wait, receive = round(rng.uniform(0.05, 0.4), 3), round(rng.expovariate(1 / 35), 3), round(rng.uniform(0.1, 3), 3)
    return {
        "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": round(send + wait + receive, 3),
        "request": req, "response": resp, "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": send, "wait": wait, "receive": receive},
        "serverIPAddress": "203.0.113.10",
        "comment": x.scenario,
    }


def one(rng, world):
    r = rng.random()
    if r < 0.55:
        who = ("user", rng.choice(world.users))
    elif r < 0.65:
        who = ("service", rng.choice(world.services))
    elif r < 0.77:
        who = ("anonymous",)
    elif r < 0.85:
        who = ("bad", rng.choice(["expired", "expired", "unknown", "bare", "wrong-password"]))
    elif r < 0.95:
        return browser_exchange(rng, world)
    else:
        return public_exchange(rng)
    x = api_exchange(rng, world, who)
    if x.scenario == "ok":
        chance = 0.5 if x.status in (401, 405) else 0.05  # about 9% of all exchanges end up wrong
        if rng.random() < chance:
            inject_mistake(rng, x, who)
    return x


def main(argv):
    args, seed = [], 1
    it = iter(argv[1:])
    for a in it:
        if a == "--seed":
            seed = int(next(it))
        elif a in ("-h", "--help"):
            sys.exit(print(__doc__) or 0)
        else:
            args.append(a)
    if len(args) == 1:
        args.insert(0, "100000")
    if len(args) != 2 or not args[0].isdigit():
        sys.exit("usage: make-har.py [N] OUT [--seed S]")
    count, out = int(args[0]), args[1]

    rng = random.Random(seed)
    world = World(rng)
    moment = BASE_TIME
    scenarios = Counter()
    f = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", buffering=1 << 20)
    written = 0

    def put(s):
        nonlocal written
        f.write(s)
        written += len(s.encode()) if not s.isascii() else len(s)

    put('{"log":{"version":"1.2","creator":{"name":"statuslab make-har.py","version":"1",'
        f'"comment":"seed {seed}, {count} exchanges"}},"pages":[],"entries":[\n')
    for i in range(count):
        x = one(rng, world)
        scenarios["ok" if x.scenario.startswith("ok") else x.scenario] += 1
        moment += datetime.timedelta(microseconds=rng.randint(1000, 120000))
        put(("," if i else "") + json.dumps(entry(rng, x, moment, i), separators=(",", ":"), ensure_ascii=False) + "\n")
    put("]}}\n")
    if f is not sys.stdout:
        f.close()
    mistakes = sum(n for s, n in scenarios.items() if s != "ok")
    print(f"{out}: {count} exchanges, {written} bytes ({written / 2**20:.1f} MiB), seed {seed}, "
          f"{mistakes} with a deliberate mistake:", file=sys.stderr)
    for s, n in sorted(scenarios.items()):
        print(f"  {n:8}  {s}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
