"""EDGE041 query-parameter-without-default: a query-string parameter read with ``.get()`` and no
default, handed straight to ``int()``/``float()`` or a parser that raises ``TypeError`` on None
(``date.fromisoformat``, ``datetime.strptime``, ``Decimal``, ``uuid.UUID``, ``json.loads``), or whose
method is called at once (``request.GET.get("tags").split(",")``, service 21).

EDGE009's certain half, on by default: the URL is the client's, a link or a bookmark without
``?page=`` is a normal request, and ``int(request.args.get("page"))`` answers it with a 500
(services 23, 25, 26, 27, 28, 35: ``page``/``days``; 29, 30: a report's ``from``/``until``/``start``
date; 33: ``lat``/``lng``).

Spec: flagged where the ``.get(key)`` (one argument) of a request's query string (Flask's
``request.args``, Django's ``request.GET``, DRF/Starlette ``query_params``, aiohttp ``query``,
Pyramid ``params``) is the argument of the conversion itself or the receiver of a method call. Not flagged: a default given
(``.get("page", 1)``, ``type=int``, ``or "1"``); a test of the key first (``if request.args.get("page"):``,
``if "page" in request.args:``); a ``try`` catching ``TypeError``; a form field, header or cookie
(``request.form``, ``request.POST``, ``headers``: the application's own form sends them; a missing one
is a tampered request, EDGE009's); a parameter first bound to a name (EDGE009's, opt-in); ``request.args["page"]``
(a KeyError Flask answers with 400); a module that is no web module.
"""

from __future__ import annotations

import textwrap

from vetpy.codes import default_codes
from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare()

FLASK = """\
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/expenses")
def expenses():
    page = int(request.args.get("page"))  # !
    return {"page": page}


@app.get("/report")
def report():
    until = date.fromisoformat(request.args.get("until"))  # !
    since = datetime.strptime(request.args.get("since"), "%Y-%m-%d")  # !
    return {"until": str(until), "since": str(since)}


@app.get("/near")
def near():
    lat, lng = float(request.args.get("lat")), float(request.args.get("lng"))  # !
    return {"lat": lat, "lng": lng}


@app.get("/item")
def item():
    return {"id": str(uuid.UUID(request.args.get("id"))), "f": json.loads(request.args.get("f")),  # !
            "amount": str(Decimal(request.args.get("amount")))}  # !


@app.get("/tags")
def tags():
    chosen = request.args.get("tags").split(",")  # !
    every = request.args.get("all", "").split(",")
    proxy = request.headers.get("X-Forwarded-For").split(",")
    return {"tags": chosen, "all": every, "proxy": proxy}


@app.get("/defaulted")
def defaulted():
    page = int(request.args.get("page", 1))
    size = request.args.get("size", 20, type=int)
    day = date.fromisoformat(request.args.get("day") or "2026-01-01")
    return {"page": page, "size": size, "day": str(day)}


@app.get("/tested")
def tested():
    if request.args.get("page"):
        return {"page": int(request.args.get("page"))}
    if "day" in request.args:
        return {"day": date.fromisoformat(request.args.get("day")).isoformat()}
    return {}


@app.get("/caught")
def caught():
    try:
        page = int(request.args.get("page"))
    except (TypeError, ValueError):
        abort(400)
    return {"page": page}


@app.get("/indexed")
def indexed():
    return {"page": int(request.args["page"])}


@app.post("/form")
def form():
    qty = int(request.form.get("qty"))
    limit = int(request.headers.get("X-Limit"))
    return {"qty": qty, "limit": limit}


@app.get("/named")
def named():
    page = request.args.get("page")
    return {"page": int(page)}


def not_a_handler(params):
    return int(params.get("page"))
"""

DJANGO = """\
from datetime import date

from django.http import JsonResponse
from django.views import View


def bookings(request):
    page = int(request.GET.get("page"))  # !
    mine = int(request.POST.get("mine"))
    return JsonResponse({"page": page, "mine": mine})


class Report(View):
    def get(self, request):
        until = date.fromisoformat(self.request.GET.get("until"))  # !
        return JsonResponse({"until": str(until)})
"""

STARLETTE = """\
from starlette.requests import Request
from starlette.responses import JSONResponse


async def invoices(request: Request):
    page = int(request.query_params.get("page"))  # !
    size = int(request.query_params.get("size", "20"))
    return JSONResponse({"page": page, "size": size})
"""

AIOHTTP = """\
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/term")
async def term(request: web.Request) -> web.Response:
    weeks = int(request.query.get("weeks"))  # !
    return web.json_response({"weeks": weeks})
"""

NOT_WEB = """\
def parse(request):
    return int(request.GET.get("page"))
"""


def _lines(src: str, code: str = "EDGE041", ctx: AnalysisContext = CTX) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path="views.py", ctx=ctx) if f.code == code})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_on_by_default() -> None:
    assert "EDGE041" in default_codes() and "EDGE009" not in default_codes()


def test_flask_query_parameters_converted_without_default() -> None:
    assert _lines(FLASK) == _marked(FLASK)


def test_django_query_parameters_converted_without_default() -> None:
    assert _lines(DJANGO) == _marked(DJANGO)


def test_starlette_and_aiohttp() -> None:
    assert _lines(STARLETTE) == _marked(STARLETTE)
    assert _lines(AIOHTTP) == _marked(AIOHTTP)


def test_not_a_web_module() -> None:
    assert _lines(NOT_WEB) == []


def test_edge009_keeps_the_rest_and_does_not_repeat_these() -> None:
    """Selected together, a finding is EDGE041's or EDGE009's, never both; the form field, the
    header and the parameter bound to a name stay EDGE009's."""
    both = AnalysisContext.bare(select=["EDGE009", "EDGE041"])
    assert _lines(FLASK, "EDGE041", both) == _marked(FLASK)
    src = textwrap.dedent(FLASK).splitlines()
    assert [src[n - 1].strip() for n in _lines(FLASK, "EDGE009", both)] == [
        'proxy = request.headers.get("X-Forwarded-For").split(",")',
        'qty = int(request.form.get("qty"))',
        'limit = int(request.headers.get("X-Limit"))',
        'return {"page": int(page)}',
    ]
