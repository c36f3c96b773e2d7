"""A value that one handler stores in the session from request input is request input where another
handler reads it back (issue #20; service21's SSO ``return_to``: stored at login, redirected to
at the callback).

Specification. A read of a session key (``session["k"]``, ``session.get("k", d)``,
``session.pop("k", d)`` on Flask's/Quart's ``session`` or a handler's ``request.session``) carries
what the module stores under that key (``session["k"] = <value>``, in any function): request input
stored there reaches a sink where it is read, with what was done to it before it was stored.

Not request input: a key the module never stores (set by a library or another module: unknown, as
before); a key stored only from constants or allow-listed values; another key than the one stored
from request input; a stored value sanitised for the sink (an allow-list before the store).
"""

from __future__ import annotations

from tests.test_security import lines

FLASK = """\
from flask import Flask, redirect, request, session

app = Flask(__name__)
SAFE = {"/", "/tickets"}


@app.get("/login")
def login():
    session["next"] = request.args.get("next", "/")
    session["q"] = request.args.get("q", "")
    session["page"] = "/home"
    nxt = request.args.get("after", "/")
    if nxt in SAFE:
        session["after"] = nxt
    return redirect("/sso")


@app.get("/callback")
def callback():
    return redirect(session.pop("next", "/"))  # !


@app.get("/callback2")
def callback2():
    return redirect(session["next"])  # !


@app.get("/home")
def home():
    return redirect(session.get("page", "/"))


@app.get("/after")
def after():
    return redirect(session.get("after", "/"))


@app.get("/unset")
def unset():
    return redirect(session.get("elsewhere", "/"))
"""

STARLETTE = """\
from starlette.requests import Request
from starlette.responses import RedirectResponse


async def sso_login(request: Request):
    request.session["return_to"] = request.query_params.get("return_to", "/")
    return RedirectResponse("/sso")


async def sso_callback(request: Request):
    request.session["user"] = "someone"
    return RedirectResponse(request.session.pop("return_to", "/"))  # !


async def profile(request: Request):
    return RedirectResponse(request.session.get("user", "/"))
"""

DJANGO = """\
from django.shortcuts import redirect


def start(request):
    request.session["next"] = request.GET["next"]
    return redirect("/auth")


def done(request):
    return redirect(request.session.get("next", "/"))  # !
"""


def _expected(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_flask_session_key_stored_from_request_args() -> None:
    assert lines(FLASK, "SEC017") == _expected(FLASK)


def test_starlette_request_session() -> None:
    assert lines(STARLETTE, "SEC017") == _expected(STARLETTE)


def test_django_request_session() -> None:
    assert lines(DJANGO, "SEC017") == _expected(DJANGO)


def test_only_the_stored_key_counts() -> None:
    src = FLASK.replace('session["next"] = request.args.get("next", "/")', 'session["next"] = "/"')
    assert lines(src, "SEC017") == []


def test_a_store_that_reads_the_session_back_does_not_loop() -> None:
    src = FLASK + '''

@app.get("/again")
def again():
    session["next"] = session.get("next", "/")
    session["loop"] = session.get("loop")
    return redirect(session["loop"])
'''
    assert lines(src, "SEC017") == _expected(FLASK)  # the loop key has no request input behind it
