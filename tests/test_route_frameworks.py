"""Which handler parameters carry request input, framework by framework (vetpy.dataflow.handler_params,
issue #20: service26's django-ninja API).

Specification: django-ninja's and Litestar's operations take every parameter that is not the
request, a framework object or a dependency from the request by name (query, path, body schema,
upload); Sanic's URL placeholders (``<name>``, ``<name:str>``), Falcon responders' URI fields (after
``req``, ``resp``) and ``req.get_param(...)`` are request input; Quart, aiohttp's ``match_info`` and
Starlette's ``path_params`` already were. Look-alikes: a parameter typed as a number (annotation,
``{int:x}``, ``<x:int>``, ``{x:int}``); Litestar's ``state``; a ``get`` decorator imported from
another module; a responder-shaped method outside a Falcon module; a route-shaped decorator in a
module that imports no web framework.
"""

from __future__ import annotations

import ast

import pytest
from vetpy.dataflow import ModuleFlow, Trust


def value_in_last_function(src: str):
    tree = ast.parse(src)
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return ModuleFlow(tree).scope(funcs[-1]).value(ast.parse("result", mode="eval").body)


UNTRUSTED = {
    "ninja query": 'from ninja import Router\nr = Router()\n@r.get("/x")\ndef f(request, q: str):\n    result = q\n',
    "ninja body": 'from ninja import NinjaAPI, Schema\napi = NinjaAPI()\nclass B(Schema):\n    url: str\n'
                  '@api.post("/x")\ndef f(request, body: B):\n    result = body.url\n',
    "ninja Query[...]": 'from ninja import Query, Router\nr = Router()\n@r.get("/x")\ndef f(request, p: Query[P]):\n    result = p.q\n',
    "ninja upload": 'from ninja import Router, File, UploadedFile\nr = Router()\n@r.post("/x")\n'
                    'def f(request, file: UploadedFile = File(...)):\n    result = file.name\n',
    "ninja api_operation": 'from ninja import Router\nr = Router()\n@r.api_operation(["POST"], "/x")\ndef f(request, q: str):\n    result = q\n',
    "litestar": 'from litestar import get\n@get("/x")\nasync def f(q: str) -> str:\n    result = q\n',
    "litestar no path": 'from litestar import get\n@get()\nasync def f(q: str) -> str:\n    result = q\n',
    "litestar controller": 'from litestar import Controller, post\nclass C(Controller):\n    path = "/c"\n'
                           '    @post(["/a", "/b"])\n    async def f(self, data: dict) -> None:\n        result = data\n',
    "sanic": 'from sanic import Sanic\napp = Sanic("a")\n@app.get("/u/<name>")\nasync def f(request, name):\n    result = name\n',
    "sanic typed str": 'from sanic import Sanic\napp = Sanic("a")\n@app.get("/u/<name:str>")\nasync def f(request, name):\n    result = name\n',
    "falcon field": 'import falcon\nclass R:\n    def on_get(self, req, resp, name):\n        result = name\n',
    "falcon suffixed": 'import falcon\nclass R:\n    def on_post_items(self, req, resp, name):\n        result = name\n',
    "falcon get_param": 'import falcon\nclass R:\n    def on_get(self, req, resp):\n        result = req.get_param("q")\n',
    "falcon media": 'import falcon\nclass R:\n    def on_post(self, req, resp):\n        result = req.media["q"]\n',
    "quart": 'from quart import Quart\napp = Quart(__name__)\n@app.route("/u/<name>")\nasync def f(name):\n    result = name\n',
    "aiohttp": 'from aiohttp import web\nroutes = web.RouteTableDef()\n@routes.get("/u/{name}")\n'
               'async def f(request):\n    result = request.match_info["name"]\n',
    "starlette": 'from starlette.routing import Route\nasync def f(request):\n    result = request.path_params["name"]\n',
}

NOT_UNTRUSTED = {
    "ninja int annotation": 'from ninja import Router\nr = Router()\n@r.get("/x/{bid}")\ndef f(request, bid: int):\n    result = bid\n',
    "ninja int converter": 'from ninja import Router\nr = Router()\n@r.get("/x/{int:bid}")\ndef f(request, bid):\n    result = bid\n',
    "litestar int": 'from litestar import get\n@get("/x/{uid:int}")\nasync def f(uid: int) -> str:\n    result = uid\n',
    "litestar state": 'from litestar import get\n@get("/x")\nasync def f(state) -> str:\n    result = state\n',
    "litestar Dependency": 'from litestar import get\nfrom litestar.params import Dependency\n@get("/x")\n'
                           'async def f(db=Dependency(skip_validation=True)) -> str:\n    result = db\n',
    "get from elsewhere": 'import litestar\nfrom mylib import get\n@get("/x")\nasync def f(q: str) -> str:\n    result = q\n',
    "sanic int": 'from sanic import Sanic\napp = Sanic("a")\n@app.get("/u/<uid:int>")\nasync def f(request, uid):\n    result = uid\n',
    "responder without falcon": 'class R:\n    def on_get(self, req, resp, name):\n        result = name\n',
    "falcon non-responder": 'import falcon\nclass R:\n    def render(self, req, resp, name):\n        result = name\n',
    "no web framework": 'from mylib import registry\n@registry.get("/x")\ndef f(q: str):\n    result = q\n',
}


@pytest.mark.parametrize("src", UNTRUSTED.values(), ids=UNTRUSTED.keys())
def test_request_input(src: str) -> None:
    assert value_in_last_function(src).trust is Trust.UNTRUSTED


@pytest.mark.parametrize("src", NOT_UNTRUSTED.values(), ids=NOT_UNTRUSTED.keys())
def test_not_request_input(src: str) -> None:
    assert value_in_last_function(src).trust is not Trust.UNTRUSTED
