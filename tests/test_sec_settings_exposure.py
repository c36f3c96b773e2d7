"""SEC044 settings-in-response (issue #20; services 30, 31, 32 each seeded it): a request handler
sends the application's whole configuration to the client.

Spec: flagged where a request handler returns (or sets as ``resp.media``/``resp.body``) a dict
comprehension over every item of the app's settings: Flask's ``app.config`` /
``current_app.config``, ``vars(settings)``, ``settings.__dict__``,
``dataclasses.asdict(get_settings())``, ``settings.model_dump()``, ``os.environ``. Not flagged: a
comprehension with a filter (``if k in PUBLIC``), values passed through a masking function
(``mask(v)``, ``redact(v)``), settings named one by one, another object's items
(``user.preferences.items()``, ``widget.config.items()``), a function that is not a request
handler (a helper building a snapshot for a log).
"""

from __future__ import annotations

from test_sec_client_ip import flagged_where_marked
from test_security import gated_walk_loses_nothing

FLASK = '''
import os

from flask import Flask, current_app, jsonify

app = Flask(__name__)
PUBLIC = {"DEBUG"}


@app.get("/debug/config")
def debug_config():
    return jsonify({k: str(v) for k, v in current_app.config.items()})  # flag


@app.get("/debug/app-config")
def app_config():
    return {k: repr(v) for k, v in app.config.items()}  # flag


@app.get("/debug/env")
def env():
    return jsonify({k: v for k, v in os.environ.items()})  # flag


@app.get("/config/public")
def public_config():
    return jsonify({k: v for k, v in current_app.config.items() if k in PUBLIC})


@app.get("/config/redacted")
def redacted():
    return jsonify({k: redact(v) for k, v in current_app.config.items()})


@app.get("/config/named")
def named():
    return jsonify({"debug": current_app.debug, "tz": current_app.config["TIMEZONE"]})


@app.get("/me/preferences")
def preferences():
    user = current_user()
    return jsonify({k: str(v) for k, v in user.preferences.items()})


@app.get("/widgets/<int:wid>")
def widget(wid):
    w = load_widget(wid)
    return jsonify({k: v for k, v in w.config.items()})


def snapshot() -> dict:
    return {k: str(v) for k, v in current_app.config.items()}


def redact(v):
    return "***"


def current_user(): ...
def load_widget(wid): ...
'''

AIOHTTP = '''
import dataclasses

from aiohttp import web

from .config import get_settings, settings

routes = web.RouteTableDef()


@routes.get("/admin/settings")
async def show_settings(request: web.Request) -> web.Response:
    return web.json_response({k: str(v) for k, v in vars(settings).items()})  # flag


@routes.get("/admin/settings2")
async def show_settings2(request: web.Request) -> web.Response:
    return web.json_response({k: str(v) for k, v in dataclasses.asdict(get_settings()).items()})  # flag


@routes.get("/admin/settings3")
async def show_settings3(request: web.Request) -> web.Response:
    return web.json_response({k: str(v) for k, v in settings.model_dump().items()})  # flag


@routes.get("/admin/settings/public")
async def public(request: web.Request) -> web.Response:
    return web.json_response({"debug": settings.debug, "bucket": settings.s3_bucket})
'''

FALCON = '''
import dataclasses

import falcon

from .config import get_settings


class SystemResource:
    async def on_get(self, req, resp):
        resp.media = {k: str(v) for k, v in dataclasses.asdict(get_settings()).items()}  # flag

    async def on_get_public(self, req, resp):
        resp.media = get_settings().public_dict()


app = falcon.asgi.App()
app.add_route("/system", SystemResource())
'''


def test_flask():
    flagged_where_marked(FLASK, "SEC044")


def test_aiohttp():
    flagged_where_marked(AIOHTTP, "SEC044")


def test_falcon():
    flagged_where_marked(FALCON, "SEC044")


def test_gated_walk():
    for src in (FLASK, AIOHTTP, FALCON):
        gated_walk_loses_nothing(src, "app/web.py")
