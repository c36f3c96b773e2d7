"""EDGE009 (opt-in): a request parameter, header or cookie read with ``.get()`` and no default is
None when the client leaves it out (issue #20's "what happens with null input"; service21's
``request.GET.get("tags").split(",")`` and ``request.headers.get("X-Forwarded-For").split(",")``).

Spec: flagged where the ``.get()`` of a request mapping (``GET``, ``POST``, ``headers``, ``COOKIES``,
``META``, ``FILES``, ``query_params``, ``query``; Flask's ``args``/``form``...) of a handler's
``request`` (Django, DRF, Starlette, aiohttp) or of ``self.request`` is used as a value without a
check. Not flagged: a default given; a check first (``if q:``, ``if q is None: return``); the
session (server-side state, not client input); a ``request`` that is not a handler's parameter
(a local object of another kind); a module that is no web module.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE009", "EDGE041"])  # EDGE041: a query parameter converted at once (on by default)

DJANGO = """\
from django.http import JsonResponse
from django.views import View


def tag_cloud(request):
    tags = request.GET.get("tags").split(",")  # !
    return JsonResponse({"tags": tags})


def client_ip(request) -> str:
    return request.headers.get("X-Forwarded-For").split(",")[0]  # !


def search(request):
    q = request.GET.get("q")
    return JsonResponse({"q": q.strip()})  # !


def tag_cloud_safe(request):
    tags = request.GET.get("tags", "").split(",")
    return JsonResponse({"tags": tags})


def search_checked(request):
    q = request.GET.get("q")
    if not q:
        return JsonResponse({"q": None})
    return JsonResponse({"q": q.strip()})


def theme(request):
    return JsonResponse({"t": request.session.get("theme").lower()})


class Geo(View):
    def get(self, request):
        q = self.request.GET.get("q")
        return JsonResponse({"h": q.encode()})  # !


def build(config):
    request = config.make_request()
    return request.GET.get("x").lower()
"""

NOT_WEB = """\
def parse(request):
    return request.GET.get("x").lower()
"""


def _lines(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path="views.py", ctx=CTX) if f.code in ("EDGE009", "EDGE041")})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_request_parameters_read_without_default() -> None:
    assert _lines(DJANGO) == _marked(DJANGO)


def test_not_a_web_module() -> None:
    assert _lines(NOT_WEB) == []


# A parser that raises TypeError on None (`date.fromisoformat(None)`: "argument must be str";
# `datetime.strptime`, `Decimal`, `uuid.UUID`, `json.loads` likewise) given such a parameter: a 500
# where a 400 was due (services 29, 30, 31: a report's `from`/`until`/`start` date).
PARSED = """\
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/expenses")
def expenses():
    since = date.fromisoformat(request.args.get("since", "2026-01-01"))
    until = date.fromisoformat(request.args.get("until"))  # !
    return {"since": str(since), "until": str(until)}


@app.get("/week")
def week():
    start = request.args.get("start")
    return {"start": datetime.strptime(start, "%Y-%m-%d").isoformat()}  # !


@app.get("/convert")
def convert():
    return {"amount": str(Decimal(request.args.get("amount")))}  # !


@app.get("/item")
def item():
    key = uuid.UUID(request.args.get("id"))  # !
    filters = json.loads(request.args.get("filters"))  # !
    return {"id": str(key), "n": len(filters)}


@app.get("/checked")
def checked():
    start = request.args.get("start")
    if start is None:
        abort(400)
    return {"start": date.fromisoformat(start).isoformat()}


@app.get("/defaulted")
def defaulted():
    amount = Decimal(request.args.get("amount", "0"))
    when = datetime.fromisoformat(request.args.get("at") or datetime.now().isoformat())
    return {"amount": str(amount), "at": when.isoformat()}


@app.get("/caught")
def caught():
    try:
        day = date.fromisoformat(request.args.get("day"))
    except TypeError:
        abort(400)
    return {"day": day.isoformat()}


@app.get("/indexed")
def indexed():
    return {"day": date.fromisoformat(request.args["day"]).isoformat()}


@app.post("/token")
def token():  # pretix's WebAuthn login: the key read with a default and tested first
    token = request.form.get("token", "").strip()
    if token.startswith("{"):
        return json.loads(request.form.get("token"))
    return {}
"""

AIOHTTP_PARSED = """\
from datetime import date

from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/term")
async def term(request: web.Request) -> web.Response:
    start = request.query.get("start")
    end = request.query.get("end", "2026-12-31")
    return web.json_response({"days": (date.fromisoformat(end) - date.fromisoformat(start)).days})  # !
"""


def test_request_parameter_parsed_without_default() -> None:
    assert _lines(PARSED) == _marked(PARSED)


def test_aiohttp_query_parameter_parsed_without_default() -> None:
    assert _lines(AIOHTTP_PARSED) == _marked(AIOHTTP_PARSED)


DJANGO_VIEW_PARSED = """\
import json

from django.http import JsonResponse
from django.views import View


class Login(View):
    def post(self, request):
        token = request.POST.get("token", "").strip()
        if token.startswith("{"):
            return JsonResponse(json.loads(self.request.POST.get("token")))
        return JsonResponse({"day": json.loads(self.request.POST.get("day"))})  # !
"""


def test_key_read_with_a_default_first() -> None:
    assert _lines(DJANGO_VIEW_PARSED) == _marked(DJANGO_VIEW_PARSED)
