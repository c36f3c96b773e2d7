"""SEC043 spoofable-client-ip (issue #20; services 29, 30, 31, 32 each wrote it, service 21 too):
the client's IP address taken from the first X-Forwarded-For entry.

Spec: flagged where the first element (``[0]``) of an ``X-Forwarded-For`` value split on commas is
taken (the header read by name from ``request.headers``, Django's ``META["HTTP_X_FORWARDED_FOR"]``,
the WSGI environ or Falcon's ``get_header``, directly, through string methods or through a local
name), and werkzeug's / Falcon's ``access_route[0]``. Not flagged: the last entry (``[-1]``: the
hop the proxy added), the peer address (``remote_addr``, ``REMOTE_ADDR``, ``request.client.host``),
a function that names trusted proxies or a trust setting (``TRUSTED_PROXIES``,
``settings.TRUST_X_FORWARDED_FOR``), another header split the same way (``Accept-Language``), test
files.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

FLASK = '''
from flask import Flask, request

app = Flask(__name__)
TRUSTED_PROXIES = {"10.0.0.1"}


def client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[0].strip() or request.remote_addr  # flag


def inline_ip() -> str:
    return request.headers.get("X-Forwarded-For").split(",")[0].strip()  # flag


def environ_ip() -> str:
    return request.environ.get("HTTP_X_FORWARDED_FOR", "").strip().split(", ")[0]  # flag


def route_ip() -> str:
    return request.access_route[0] if request.access_route else request.remote_addr  # flag


def last_hop() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[-1].strip() or request.remote_addr


def route_last() -> str:
    return request.access_route[-1]


def peer() -> str:
    return request.remote_addr or "unknown"


def proxied_ip() -> str:
    if request.remote_addr in TRUSTED_PROXIES:
        return request.headers.get("X-Forwarded-For", "").split(",")[0]
    return request.remote_addr


def language() -> str:
    return request.headers.get("Accept-Language", "en").split(",")[0]


def first_tag() -> str:
    return request.args.get("tags", "").split(",")[0]
'''

DJANGO = '''
from django.conf import settings


def client_ip(request) -> str:
    xff = request.META.get("HTTP_X_FORWARDED_FOR")
    if xff:
        return xff.split(",")[0].strip()  # flag
    return request.META.get("REMOTE_ADDR", "")


def audit_ip(request) -> str:
    return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0]  # flag


def pretix_style(request) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        return request.headers.get("x-forwarded-for", "").split(",")[0]
    return request.META["REMOTE_ADDR"]
'''

AIOHTTP_FALCON = '''
from aiohttp import web


def client_ip(request: web.Request) -> str:
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded:
        return forwarded.split(",")[0].strip()  # flag
    return request.remote or "unknown"


def falcon_ip(req) -> str:
    return req.get_header("X-Forwarded-For", default="").split(",")[0]  # flag


def falcon_route(req) -> str:
    return req.access_route[0]  # flag


def peer(request: web.Request) -> str:
    return request.remote or "unknown"
'''


def flagged_where_marked(src: str, code: str, path: str = "app/web.py") -> None:
    """``code`` is reported on exactly the lines of ``src`` that end with ``# flag``."""
    src = textwrap.dedent(src)
    flagged = sorted(f.line for f in check_source(src, path=path, ctx=CTX) if f.code == code)
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# flag")]
    assert flagged == marked


def _check(src: str, path: str = "app/web.py") -> None:
    flagged_where_marked(src, "SEC043", path)


def test_flask():
    _check(FLASK)


def test_django():
    _check(DJANGO, "shop/views.py")


def test_aiohttp_and_falcon():
    _check(AIOHTTP_FALCON)


def test_outside_web_modules():
    _check(DJANGO.replace("from django.conf import settings", "SETTINGS = None"), "shop/net.py")


def test_test_files_not_reported():
    src = textwrap.dedent(FLASK)
    assert not [f for f in check_source(src, path="tests/test_ip.py", ctx=CTX) if f.code == "SEC043"]


def test_gated_walk():
    for src in (FLASK, DJANGO, AIOHTTP_FALCON):
        gated_walk_loses_nothing(src, "app/web.py")
        gated_walk_loses_nothing(src, "app/net.py")
