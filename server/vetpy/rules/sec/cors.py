"""SEC028 cors-any-origin-with-credentials: CORS lets every origin make credentialed requests."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CORS_CREDENTIALS = rule(
    code="SEC028",
    name="cors-any-origin-with-credentials",
    family="SEC",
    severity=Severity.ERROR,
    summary="CORS allows any origin together with credentials (cookies, Authorization).",
    rationale="""With credentials allowed, the CORS middlewares do not answer `*`: they echo the
    caller's `Origin` (Starlette/FastAPI's `CORSMiddleware`, flask-cors, django-cors-headers all
    do). Any web site a logged-in user visits can then send requests with the user's cookies and
    read the answers: the same-origin policy is switched off for the whole API. List the origins
    that may call it; `*` without credentials (a public, cookie-less API) is fine. flask-cors's
    `resources=` are read too: a resource's own `origins` (default `*`) and
    `supports_credentials` override the call's. Falcon's `CORSMiddleware(allow_credentials="*")`
    with its default `allow_origins="*"` echoes every origin with credentials too. A middleware or view that echoes the request's
    `Origin` into `Access-Control-Allow-Origin` itself, with `Access-Control-Allow-Credentials:
    true` in the same or an enclosing block, is reported too unless the origin is compared or
    checked first (an enclosing `if origin in ALLOWED`, an earlier `if origin not in ALLOWED:
    return`; `if not origin` is no check).""",
    bad="""
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        app = FastAPI()
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    """,
    good="""
        app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    """,
    cwe=(942, 346),
)

_STARLETTE = frozenset({"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"})
_FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS", "flask_cors.decorator.cross_origin"})
# django-cors-headers: the old and the new name of "every origin"
# Falcon 4's middleware (also what `App(cors_enable=True)` installs, without credentials)
_FALCON = frozenset({"falcon.CORSMiddleware", "falcon.middleware.CORSMiddleware"})
_DJANGO_ALL = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
_MESSAGE = ("CORS allows every origin with credentials: the middleware echoes any `Origin`, so any web site can send "
            "requests with the user's cookies and read the answers; list the allowed origins")


def _wildcard(node: ast.expr | None) -> bool:
    """``"*"`` or a list/tuple/set holding ``"*"``."""
    if node is None:
        return False
    if is_constant(node, "*"):
        return True
    return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and any(is_constant(e, "*") for e in node.elts)


def _true(call: ast.Call, name: str) -> bool:
    kw = keyword(call, name)
    return kw is not None and is_constant(kw.value, True)


def _starlette_call(sec: SecurityPass, call: ast.Call) -> bool:
    """``Middleware(CORSMiddleware, ...)``, ``app.add_middleware(CORSMiddleware, ...)``,
    ``CORSMiddleware(app, ...)``."""
    if sec.qualified(call.func) in _STARLETTE:
        return True
    return bool(call.args) and sec.qualified(call.args[0]) in _STARLETTE


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if any(kw.arg is None for kw in call.keywords):
        return  # **options: the values are elsewhere
    if _starlette_call(sec, call):
        origins = keyword(call, "allow_origins")
        if origins is not None and _wildcard(origins.value) and _true(call, "allow_credentials"):
            yield CORS_CREDENTIALS.finding(sec.doc, call, _MESSAGE)
        return
    if site.name in _FLASK_CORS and _flask_cors_any_origin(call):
        yield CORS_CREDENTIALS.finding(sec.doc, call, _MESSAGE)
    elif site.name in _FALCON and _falcon_any_origin(call):
        yield CORS_CREDENTIALS.finding(sec.doc, call, _MESSAGE)


def _falcon_any_origin(call: ast.Call) -> bool:
    """``falcon.CORSMiddleware(allow_credentials="*")`` with the default (or an explicit ``"*"``)
    ``allow_origins``: falcon 4.4 then echoes every ``Origin`` with ``Access-Control-Allow-
    Credentials: true``. Credentials for listed origins only, or none (the default, and
    ``App(cors_enable=True)``), are fine."""
    origins = keyword(call, "allow_origins") or (ast.keyword("allow_origins", call.args[0]) if call.args else None)
    credentials = keyword(call, "allow_credentials") or (ast.keyword("allow_credentials", call.args[2]) if len(call.args) > 2 else None)
    return (origins is None or is_constant(origins.value, "*")) and credentials is not None and is_constant(credentials.value, "*")


def _flask_cors_any_origin(call: ast.Call) -> bool:
    """flask-cors with credentials and every origin, for the whole application or one of the
    resources: a resource's own ``origins`` and ``supports_credentials`` override the call's,
    and the default origins are ``"*"``."""
    origins_kw = keyword(call, "origins")
    origins = origins_kw.value if origins_kw is not None else ast.Constant("*")
    credentials = _true(call, "supports_credentials")
    resources_kw = keyword(call, "resources")
    resources = resources_kw.value if resources_kw is not None else None
    if resources is None or (isinstance(resources, ast.Constant) and isinstance(resources.value, str)) or (
            isinstance(resources, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in resources.elts)):
        return credentials and _wildcard(origins)  # the paths only: the call's options apply to each
    if not isinstance(resources, ast.Dict):
        return False  # the resources are elsewhere
    for options in resources.values:
        if not isinstance(options, ast.Dict) or None in options.keys:
            continue
        own = {k.value: v for k, v in zip(options.keys, options.values) if isinstance(k, ast.Constant)}
        allowed = own.get("origins", origins)
        with_credentials = is_constant(own["supports_credentials"], True) if "supports_credentials" in own else credentials
        if with_credentials and _wildcard(allowed):
            return True
    return False


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """django-cors-headers settings: ``CORS_ALLOW_ALL_ORIGINS = True`` in a module that also sets
    ``CORS_ALLOW_CREDENTIALS = True``."""
    node: ast.Assign = site.node  # type: ignore[assignment]
    if site.func is not None or not is_constant(node.value, True):
        return
    if not any(isinstance(t, ast.Name) and t.id in _DJANGO_ALL for t in node.targets):
        return
    for stmt in sec.tree.body:
        if isinstance(stmt, ast.Assign) and is_constant(stmt.value, True) and any(
                isinstance(t, ast.Name) and t.id == "CORS_ALLOW_CREDENTIALS" for t in stmt.targets):
            yield CORS_CREDENTIALS.finding(sec.doc, node, _MESSAGE)
            return


MODULE = RuleModule(
    rules=(CORS_CREDENTIALS,),
    handlers={ast.Call: check_call, ast.Assign: check_assign},
    triggers=Triggers(words=("allow_credentials", "supports_credentials", "cors_allow_all_origins", "cors_origin_allow_all")),
)
