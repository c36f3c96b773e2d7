"""SEC021: a decoded token's presence taken as permission for an operation that a sibling handler
guards with an authority check (issue #20 item 1; service21's ``QueuePurgeView`` and aiohttp
``broadcast``).

Specification. Reported, at the decode, in a handler that writes (POST/PUT/PATCH/DELETE: a route
decorator's method, ``methods=[...]``, ``@api_view(["POST"])``, or a view class's ``post``/
``put``/``patch``/``delete`` method) when all of these hold:

- the handler decodes a token: ``jwt.decode(...)`` (PyJWT, python-jose) or a function of the
  project that returns such a decode (same module or another first-party module, two levels);
- the decoded claims are read only for identity (``claims["sub"]``, logged, stored as the author):
  no authority claim (``roles``, ``scope``, ``permissions``...), not passed whole to a call other
  than a log call, not returned;
- the handler makes no authority check of its own: no call named like one (``require_scope``,
  ``is_agent``, ``has_perm``, ``check_...``), no ``is_staff``/``is_superuser`` read, no permission
  class stronger than ``AllowAny``/``IsAuthenticated``, no decorator other than the route's;
- a sibling function of the same module that does make an authority check calls the same function
  of the project that this handler calls (``db.purge_queue``, ``db.add_comment``, also handed to
  ``asyncio.to_thread``).

Look-alikes, not reported: the sibling calls the function without a check too (the app's rule is
that any token may); the handler reads a role or calls a predicate with the claims; the handler
passes the claims on whole; a GET handler; a different function than the guarded sibling's; no
token decoded here (``request.user``: missing authorization, SEC023's); a helper that is not a
decode (``json.loads``); a view class with ``IsAdminUser``.
"""

from __future__ import annotations

from pathlib import Path

from conftest import check_file, context_for, write

AUTH = """\
import jwt

SECRET = "x" * 32


def decode_token(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="helpdesk")


def parse_json(token: str) -> dict:
    import json
    return json.loads(token)


def require_scope(request, scope):
    return None


def is_agent(claims) -> bool:
    return "agent" in claims.get("roles", [])
"""

DB = """\
def add_comment(ticket_id, author, body):
    return None


def purge_queue(queue):
    return 0


def archive(queue):
    return 0
"""

AIOHTTP = """\
import asyncio

from aiohttp import web

from helpdesk import auth, db

routes = web.RouteTableDef()


def _claims(request: web.Request) -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise web.HTTPUnauthorized()
    return auth.decode_token(header[7:])


def _parsed(request: web.Request) -> dict:
    return auth.parse_json(request.headers.get("X-Data", "{}"))


@routes.post("/rooms/{room}/pin")
async def pin_message(request: web.Request) -> web.Response:
    claims = _claims(request)
    if "agent" not in claims.get("roles", []):
        raise web.HTTPForbidden()
    body = await request.json()
    await asyncio.to_thread(db.add_comment, int(body["ticket_id"]), claims["sub"], "pinned")
    return web.json_response({"pinned": True})


@routes.post("/rooms/{room}/broadcast")
async def broadcast(request: web.Request) -> web.Response:
    claims = _claims(request)  # !
    body = await request.json()
    await asyncio.to_thread(db.add_comment, int(body["ticket_id"]), claims["sub"], body["text"])
    return web.json_response({"sent": True})


@routes.post("/rooms/{room}/note")
async def note(request: web.Request) -> web.Response:
    claims = _claims(request)
    if not auth.is_agent(claims):
        raise web.HTTPForbidden()
    db.add_comment(1, claims["sub"], "note")
    return web.json_response({"sent": True})


@routes.post("/rooms/{room}/relay")
async def relay(request: web.Request) -> web.Response:
    claims = _claims(request)
    db.add_comment(1, claims, "relayed")
    return web.json_response({"sent": True})


@routes.get("/rooms/{room}/peek")
async def peek(request: web.Request) -> web.Response:
    claims = _claims(request)
    db.add_comment(1, claims["sub"], "peeked")
    return web.json_response({"ok": True})


@routes.post("/rooms/{room}/archive")
async def archive(request: web.Request) -> web.Response:
    claims = _claims(request)
    db.archive(claims["sub"])
    return web.json_response({"ok": True})


@routes.post("/rooms/{room}/data")
async def data(request: web.Request) -> web.Response:
    claims = _parsed(request)
    db.add_comment(1, claims["sub"], "data")
    return web.json_response({"ok": True})
"""

DRF = """\
import logging

from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import auth, db

logger = logging.getLogger(__name__)


class TicketDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def delete(self, request, ticket_id: int):
        auth.require_scope(request, "tickets:delete")
        db.purge_queue(str(ticket_id))
        return Response(status=204)


class QueuePurgeView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, queue: str):
        token = request.headers["Authorization"].removeprefix("Bearer ")
        claims = auth.decode_token(token)  # !
        logger.warning("queue %s purged by %s", queue, claims["sub"])
        return Response({"purged": db.purge_queue(queue)})


class AdminPurgeView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request, queue: str):
        claims = auth.decode_token(request.headers["Authorization"][7:])
        logger.warning("queue %s purged by %s", queue, claims["sub"])
        return Response({"purged": db.purge_queue(queue)})


class ArchiveView(APIView):
    permission_classes = [AllowAny]

    def post(self, request, queue: str):
        claims = auth.decode_token(request.headers["Authorization"][7:])
        logger.info("archived by %s", claims["sub"])
        return Response({"archived": db.archive(queue)})


class OtherArchiveView(APIView):
    permission_classes = [AllowAny]

    def post(self, request, queue: str):
        claims = auth.decode_token(request.headers["Authorization"][7:])
        return Response({"archived": db.archive(claims["sub"])})
"""

FLASK = """\
import jwt
from flask import Flask, abort, request

from helpdesk import db

app = Flask(__name__)
KEY = "k" * 32


@app.route("/queues/<name>", methods=["DELETE"])
def drop_queue(name):
    claims = jwt.decode(request.headers["Authorization"][7:], KEY, algorithms=["HS256"], audience="a")
    if "admin" not in claims.get("roles", []):
        abort(403)
    return {"purged": db.purge_queue(name)}


@app.route("/queues/<name>/purge", methods=["POST"])
def purge(name):
    claims = jwt.decode(request.headers["Authorization"][7:], KEY, algorithms=["HS256"], audience="a")  # !
    app.logger.info("purge by %s", claims["sub"])
    return {"purged": db.purge_queue(name)}


@app.post("/queues/<name>/whoami")
def whoami(name):
    user = request.headers.get("X-User")
    return {"purged": db.purge_queue(name), "user": user}
"""


def _project(root: Path) -> Path:
    return write(root, {
        "helpdesk/__init__.py": "",
        "helpdesk/auth.py": AUTH,
        "helpdesk/db.py": DB,
        "helpdesk/realtime.py": AIOHTTP,
        "helpdesk/api.py": DRF,
        "helpdesk/web.py": FLASK,
    })


def _expected(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# !")]


def _sec021(root: Path, rel: str) -> list[int]:
    found = check_file(root, rel, context_for(root))
    return sorted(f.line for f in found if f.code == "SEC021")


def test_aiohttp_broadcast_beside_a_role_checked_sibling(tmp_path):
    root = _project(tmp_path)
    assert _sec021(root, "helpdesk/realtime.py") == _expected(AIOHTTP)


def test_drf_view_that_skips_the_siblings_scope_check(tmp_path):
    root = _project(tmp_path)
    assert _sec021(root, "helpdesk/api.py") == _expected(DRF)


def test_flask_direct_decode(tmp_path):
    root = _project(tmp_path)
    assert _sec021(root, "helpdesk/web.py") == _expected(FLASK)


def test_message_names_the_guarded_sibling(tmp_path):
    root = _project(tmp_path)
    found = [f for f in check_file(root, "helpdesk/api.py", context_for(root)) if f.code == "SEC021"]
    assert len(found) == 1
    assert "db.purge_queue" in found[0].message and "TicketDetailView.delete" in found[0].message


def test_a_role_read_alone_makes_the_sibling_guarded(tmp_path):
    """``claims.get("roles")`` in pin_message is the check (without note's ``is_agent`` call)."""
    text = AIOHTTP.replace("    if not auth.is_agent(claims):\n        raise web.HTTPForbidden()\n", "")
    root = _project(tmp_path)
    (root / "helpdesk/realtime.py").write_text(text, encoding="utf-8")
    assert _sec021(root, "helpdesk/realtime.py") == [33, 41]  # note, unguarded now, too


def test_no_guarded_sibling_no_finding(tmp_path):
    """Every caller of the function takes any valid token: the app's own rule, not a slip."""
    text = AIOHTTP.replace('    if "agent" not in claims.get("roles", []):\n        raise web.HTTPForbidden()\n', "")
    text = text.replace("    if not auth.is_agent(claims):\n        raise web.HTTPForbidden()\n", "")
    root = _project(tmp_path)
    (root / "helpdesk/realtime.py").write_text(text, encoding="utf-8")
    assert _sec021(root, "helpdesk/realtime.py") == []
