"""A tiny notes API with deliberate status-code mistakes, for recording `statuslab judge` fixtures.

Run: uvicorn notes_app:app --host 127.0.0.1 --port 8765   (from scripts/judge-fixtures/)
Tokens: "alice-token" owns note 1, "bob-token" owns note 2. Nobody is an admin.
Every deliberate mistake is marked MISTAKE; everything else is meant to be right.
"""
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

app = FastAPI(title="StatusLab judge fixture: notes")

USERS = {"alice-token": "alice", "bob-token": "bob"}
NOTES = {1: {"id": 1, "owner": "alice", "text": "buy milk"},
         2: {"id": 2, "owner": "bob", "text": "call mum"}}

bearer = HTTPBearer()  # a missing token: 401 in FastAPI >= 0.122, 403 before (the framework's mistake)
optional_bearer = HTTPBearer(auto_error=False)


def user_of(token: str | None) -> str | None:
    return USERS.get(token) if token else None


def current_user(creds: HTTPAuthorizationCredentials = Depends(bearer)) -> str:
    user = user_of(creds.credentials)
    if user is None:  # right: an unknown token is 401 with a challenge naming the problem
        raise HTTPException(401, "invalid token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return user


@app.get("/health")
def health():
    return {"status": "ok"}  # public; DELETE /health gets FastAPI's own 405 with Allow: GET (right)


@app.get("/notes")
def list_notes(user: str = Depends(current_user)):
    return [n for n in NOTES.values() if n["owner"] == user]


@app.get("/notes/{note_id}")
def get_note(note_id: int, user: str = Depends(current_user)):
    note = NOTES.get(note_id)
    if note is None:
        raise HTTPException(404, "no such note")  # right
    if note["owner"] != user:
        # MISTAKE: 403 tells a stranger that note exists; hiding it would answer 404 as above.
        raise HTTPException(403, "not your note")
    return note


@app.get("/admin")
def admin(creds: HTTPAuthorizationCredentials | None = Depends(optional_bearer)):
    # MISTAKE: 401 with no WWW-Authenticate challenge (RFC 9110 requires one), and the same 401
    # for alice and bob, who are known but not allowed: that is a 403.
    raise HTTPException(401, "admins only")


@app.get("/dashboard")
def dashboard(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(optional_bearer)):
    user = user_of(creds.credentials if creds else None)
    if user is None:
        # MISTAKE: a browser-style 302 to the login page, even for a client that sent
        # Accept: application/json and cannot follow it to a login form; that client wants a 401.
        return RedirectResponse("/login", status_code=302)
    return {"user": user, "notes": sum(n["owner"] == user for n in NOTES.values())}


@app.get("/login", response_class=HTMLResponse)
def login_page():
    return "<!doctype html><title>Log in</title><form method=post><input name=user></form>"


@app.get("/search")
def search(q: str | None = None, user: str = Depends(current_user)):
    if not q:
        # MISTAKE: a 200 whose body is an error; a missing parameter is a 400 (or FastAPI's 422).
        return {"error": "query parameter q is required"}
    return [n for n in NOTES.values() if n["owner"] == user and q in n["text"]]
