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

CTX = AnalysisContext.bare(select=["EDGE009"])

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
    return sorted({f.line for f in check_source(textwrap.dedent(src), path="views.py", ctx=CTX) if f.code == "EDGE009"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_request_parameters_read_without_default() -> None:
    assert _lines(DJANGO) == _marked(DJANGO)


def test_not_a_web_module() -> None:
    assert _lines(NOT_WEB) == []
