#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.1 document of N operations, for benchmarking `check --openapi`.

    scripts/make-spec.py N OUT.json

Paths are /api/r{i}/{id} on the built-in server's private area (every one answered by the
auth diagram), half GET and half DELETE, with a Bearer scheme and an oauth2 scheme with scopes,
a path parameter with an example, and the usual documented responses."""
import json
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/statuslab-spec-%d.json" % count
responses = {
    "200": {"description": "ok"},
    "401": {"description": "who are you", "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}},
    "403": {"description": "not for you"},
    "404": {"description": "nothing there"},
}
paths = {}
for i in range((count + 1) // 2):
    paths["/api/r%d/{id}" % i] = {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "example": i}}],
        "get": {"operationId": "get%d" % i, "security": [{"oauth": ["notes:read"]}, {"bearer": []}], "responses": responses},
        "delete": {"operationId": "delete%d" % i, "security": [{"oauth": ["notes:write"]}], "responses": responses},
    }
document = {
    "openapi": "3.1.0",
    "info": {"title": "synthetic, %d operations" % count, "version": "1"},
    "servers": [{"url": "http://127.0.0.1:8401"}],
    "components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/oauth/token",
                  "scopes": {"notes:read": "read", "notes:write": "write"}}}},
    }},
    "paths": paths,
}
with open(out, "w") as f:
    json.dump(document, f)
print(out)
