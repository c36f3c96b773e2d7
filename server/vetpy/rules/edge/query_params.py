"""EDGE041 query-parameter-without-default: EDGE009's certain half for request parameters.

``int(request.args.get("page"))`` raises ``TypeError`` for every request whose URL leaves ``page``
out: a link, a bookmark, the first page of a listing. The query string is the client's to write,
so its absence is a normal request, not a tampered one (a form field the application's own form
always sends, a header, a cookie stay EDGE009's, opt-in: on real applications a missing one was at
best a 500 where a 400 was due). Reported only where the ``.get()`` is the conversion's own argument
(``int()``, ``float()``, a parser of :data:`vetpy.libraries.NONE_PARSERS`), with the flow analysis
of :mod:`.none_empty` (a test of the key, a ``try`` catching ``TypeError``, a default) deciding as
for EDGE009; a parameter first bound to a name stays EDGE009's.

Also home of :func:`none_rule`, which picks the code of an unchecked None by its source and use.
"""

from __future__ import annotations

import ast

from vetpy.findings import Severity
from vetpy.rules.edge.lookups import UNCHECKED_LOOKUP, is_lookup
from vetpy.rules.edge.sql_rows import UNCHECKED_ROW
from vetpy.rules.registry import Rule, rule

# a request attribute holding the URL's query string (Flask/Quart ``args``, Django ``GET``,
# DRF/Starlette ``query_params``, aiohttp ``query``, Pyramid/WebOb ``params``/``GET``)
QUERY_MAPPINGS = frozenset({"args", "GET", "query_params", "query", "params"})
# the reason :mod:`.none_empty` gives a request parameter read without a default
REQUEST_PARAMETER = "a request parameter read with `.get()` and no default is None when the client leaves it out"

MISSING_QUERY_PARAMETER = rule(
    code="EDGE041",
    name="query-parameter-without-default",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the URL leaves this parameter out?",
    summary="A query-string parameter read with `.get()` and no default is converted or used at once (`int(request.args.get(\"page\"))`, `request.GET.get(\"tags\").split(\",\")`): a request without it is a 500.",
    rationale="""`request.args.get("page")` is None when the URL has no `page`, and
    `int(None)` raises `TypeError` (so do `float()`, `date.fromisoformat()`, `datetime.strptime()`,
    `Decimal()`, `uuid.UUID()`, `json.loads()`; a method called on it raises `AttributeError`,
    `request.GET.get("tags").split(",")`): the first page of a listing, a link or a
    bookmark without the parameter answers with a 500. The query string is the client's to write;
    give the read a default (`request.args.get("page", 1, type=int)` in Flask, `.get("page", "1")`)
    or answer 400 when it is missing. Reported for the query string of a handler's request (Flask
    and Quart `request.args`, Django `request.GET`, DRF and Starlette `query_params`, aiohttp
    `query`, Pyramid `params`) read with one argument and handed straight to the conversion (or
    its method called at once); not
    after a test of the key (`if request.args.get("page"):`, `"page" in request.args`), inside a
    `try` that catches `TypeError`, nor for a form field, a header or a cookie, or a value first
    bound to a name (EDGE009's, opt-in).""",
    bad="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/expenses")
        def expenses():
            page = int(request.args.get("page"))
            return list_page(page)
    """,
    good="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/expenses")
        def expenses():
            page = request.args.get("page", 1, type=int)
            return list_page(page)
    """,
    cwe=(476,),
)


def converted_query_parameter(source: object, where: object) -> bool:
    """Is ``source`` a ``<request>.<query>.get(key)`` (one argument) that is the first argument of
    the conversion ``where`` itself, or the receiver of the attribute ``where``
    (``request.GET.get("tags").split(",")``)? The caller has already judged ``source`` a request
    parameter read without a default."""
    used = (isinstance(where, ast.Call) and bool(where.args) and where.args[0] is source
            or isinstance(where, ast.Attribute) and where.value is source)
    return (used and isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and source.func.attr == "get"
            and len(source.args) == 1 and not source.keywords
            and isinstance(source.func.value, ast.Attribute) and source.func.value.attr in QUERY_MAPPINGS)


def none_rule(source: object, unchecked_none: Rule, where: object = None, request_parameter: bool = False) -> Rule:
    """EDGE020 for the row of ``fetchone()``, EDGE031 for a lookup by key (``session.get(Model,
    key)``, ``..._or_none()``), EDGE041 for a query-string parameter converted at once
    (``request_parameter``: the source is a request parameter read without a default), all default
    rules; ``unchecked_none`` (EDGE009) for every other None source."""
    call = source.value if isinstance(source, ast.Await) else source  # asyncpg's `await conn.fetchrow(...)`
    fetch = isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in ("fetchone", "fetchrow")
    if fetch:
        return UNCHECKED_ROW
    if request_parameter and converted_query_parameter(source, where):
        return MISSING_QUERY_PARAMETER
    return UNCHECKED_LOOKUP if is_lookup(source) else unchecked_none


def query_message(source: ast.Call, where: ast.expr) -> str:
    """``request.args.get("page")`` is None when the URL leaves `page` out: ``int()`` raises ..."""
    key = source.args[0]
    name = f"`{key.value}`" if isinstance(key, ast.Constant) else "the parameter"
    if isinstance(where, ast.Attribute):
        use, error = f"`.{where.attr}`", "AttributeError"
    else:
        use, error = f"`{ast.unparse(where.func)}()`" if isinstance(where, ast.Call) else "its use", "TypeError"
    return (f"`{ast.unparse(source)}` is None when the URL leaves {name} out, and {use} then raises "
            f"`{error}`: a 500 for that request; give `.get()` a default or answer 400 when it is missing")
