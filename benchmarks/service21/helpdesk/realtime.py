"""Live ticket feed for the agent console (aiohttp)."""
import asyncio
import json
import logging
import time

import aiohttp
import requests
from aiohttp import web

from helpdesk import auth, config, db

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()
_viewers: dict[str, int] = {}
_room_cache: dict[str, list] = {}
_room_locks: dict[str, asyncio.Lock] = {}


def _claims(request: web.Request) -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise web.HTTPUnauthorized()
    return auth.decode_token(header[7:])


@routes.get("/rooms/{room}/join")
async def join_room(request: web.Request) -> web.Response:
    room = request.match_info["room"]
    _claims(request)
    count = _viewers.get(room, 0)
    await asyncio.sleep(0)  # yield to the feed loop before we publish
    _viewers[room] = count + 1  # SEEDED: EDGE read-modify-write-across-await
    return web.json_response({"viewers": _viewers[room]})


@routes.get("/rooms/{room}/tickets")
async def room_tickets(request: web.Request) -> web.Response:
    room = request.match_info["room"]
    _claims(request)
    if room not in _room_cache:  # SEEDED: EDGE check-then-act
        rows = await asyncio.to_thread(db.search_tickets_sorted, room, "created")
        _room_cache[room] = [dict(r) for r in rows]
    return web.json_response(_room_cache[room])


@routes.get("/rooms/{room}/tickets/locked")
async def room_tickets_locked(request: web.Request) -> web.Response:
    room = request.match_info["room"]
    _claims(request)
    lock = _room_locks.setdefault(room, asyncio.Lock())
    async with lock:
        if room not in _room_cache:  # SAFE: checked and filled under the lock
            rows = await asyncio.to_thread(db.search_tickets_sorted, room, "created")
            _room_cache[room] = [dict(r) for r in rows]
    return web.json_response(_room_cache[room])


@routes.get("/rooms/{room}/history")
async def room_history(request: web.Request) -> web.Response:
    room = request.match_info["room"]
    _claims(request)
    with open(config.HISTORY_ROOT / f"{room}.log") as fh:  # SEEDED: SEC path-traversal
        lines = fh.read().splitlines()[-100:]  # SEEDED: EDGE whole-file-read
    return web.json_response({"lines": lines})


@routes.post("/rooms/{room}/broadcast")
async def broadcast(request: web.Request) -> web.Response:
    claims = _claims(request)  # SEEDED: SEC token-presence-as-permission
    body = await request.json()
    await asyncio.to_thread(db.add_comment, int(body["ticket_id"]), claims["sub"], body["text"])
    return web.json_response({"sent": True})


@routes.post("/rooms/{room}/pin")
async def pin_message(request: web.Request) -> web.Response:
    claims = _claims(request)
    if "agent" not in claims.get("roles", []):  # SAFE: role value checked
        raise web.HTTPForbidden()
    body = await request.json()
    await asyncio.to_thread(db.add_comment, int(body["ticket_id"]), claims["sub"], "pinned")
    return web.json_response({"pinned": True})


@routes.post("/preview")
async def link_preview(request: web.Request) -> web.Response:
    _claims(request)
    body = await request.json()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        async with session.get(body["url"]) as resp:  # SEEDED: SEC ssrf
            text = await resp.text()
    return web.json_response({"title": text[:200]})


@routes.get("/crm/{user}")
async def crm_card(request: web.Request) -> web.Response:
    _claims(request)
    resp = requests.get(f"{config.CRM_URL}/cards/{request.match_info['user']}", timeout=5)  # SEEDED: EDGE blocking-call-in-async
    return web.json_response(resp.json())


@routes.get("/slow")
async def slow_poll(request: web.Request) -> web.Response:
    _claims(request)
    time.sleep(1)  # SEEDED: EDGE blocking-sleep-in-async
    await asyncio.sleep(1)  # SAFE: non-blocking sleep
    return web.json_response({"ok": True})


@routes.get("/rooms")
async def list_rooms(request: web.Request) -> web.Response:
    _claims(request)
    try:
        limit = int(request.query.get("limit", "20"))  # SAFE: ValueError handled
    except ValueError:
        raise web.HTTPBadRequest(text="limit must be an integer")
    return web.json_response(sorted(_viewers)[: max(1, min(limit, 100))])


@routes.post("/rooms/{room}/replay")
async def replay(request: web.Request) -> web.Response:
    _claims(request)
    try:
        events = json.loads(await request.text())
        return web.json_response({"replayed": len(events)})
    except Exception as exc:
        logger.exception("replay failed")
        return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)  # SAFE: no traceback


def make_app() -> web.Application:
    app = web.Application(client_max_size=1024**2)
    app.add_routes(routes)
    return app
