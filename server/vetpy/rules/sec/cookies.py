"""SEC030 insecure-session-cookie: a session or authentication cookie is set readable by
JavaScript (no ``httponly``) or with ``secure=False``; the framework's own session cookie
configured so (``SESSION_COOKIE_HTTPONLY = False``, ``SESSION_COOKIE_SECURE = False``).

``SESSION_COOKIE_SECURE`` is false by default in Flask, Quart and Django (so that the development
server works over HTTP): only an explicit ``False`` is reported, a decision written down for
production, and not where it is a development setting (under ``if DEBUG:``/``if app.debug:``, in
a settings module or configuration class named for development, local use or tests)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword, last_name
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.registry import rule
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

INSECURE_COOKIE = rule(
    code="SEC030",
    name="insecure-session-cookie",
    family="SEC",
    severity=Severity.WARNING,
    summary="A session or auth cookie is set without httponly=True (readable by JavaScript) or with secure=False.",
    rationale="""`set_cookie` in Django, Flask/Werkzeug, Starlette/FastAPI and aiohttp defaults
    to `httponly=False` and `secure=False`. A session id, token or JWT in such a cookie is
    readable by any script on the page, so one XSS hands the session to the attacker, and with
    `secure=False` it also travels over plain HTTP. Set `httponly=True` and `secure=True` (and a
    `samesite`) on every cookie that carries authority; a preference cookie (theme, language) or
    the CSRF cookie that the page's script must read is not reported. Falcon's `set_cookie` is
    secure and HttpOnly by default: there only an explicit `secure=False`/`http_only=False` is. Sanic's
    `add_cookie` (on the response or its `cookies`, sanic 25.12) is secure by default but not HttpOnly
    (`secure=True`, `httponly=False`): a session cookie without `httponly=True` or with an explicit
    `secure=False` is reported. Also reported: a cookie
    whose value is named for a credential (`device_token`, `access_token`) whatever the cookie's
    name, and `SESSION_COOKIE_HTTPONLY = False` or `REMEMBER_COOKIE_HTTPONLY = False` in the
    settings or an application's configuration (Flask, Flask-Login and Django default them to
    true, and the framework's own session cookie then loses HttpOnly), and an explicit
    `SESSION_COOKIE_SECURE = False` (or `REMEMBER_COOKIE_SECURE`) outside a development setting
    (`if DEBUG:`, a `dev`/`local`/`test` settings module or configuration class).""",
    bad="""
        from django.http import JsonResponse

        def sso_done(request):
            response = JsonResponse({"ok": True})
            response.set_cookie("agent_session", request.session.session_key)
            return response
    """,
    good="""
        response.set_cookie("agent_session", request.session.session_key, httponly=True, secure=True, samesite="Lax")
    """,
    cwe=(1004, 614),
    fix_safety=FixSafety.UNSAFE,
)

# frameworks whose set_cookie defaults to httponly=False, secure=False (Falcon's defaults are secure;
# tornado 6.6 `RequestHandler.set_cookie(..., *, httponly=False, secure=False)`;
# webob 1.8 `Response.set_cookie(..., secure=False, httponly=False)`, Pyramid's response)
_FRAMEWORKS = frozenset({"django", "flask", "werkzeug", "starlette", "fastapi", "aiohttp", "quart", "tornado", "pyramid", "webob"})
# Tornado's signed cookies: `set_signed_cookie` (and its old name) pass their keywords on to `set_cookie`
_TORNADO_SIGNED = frozenset({"set_secure_cookie", "set_signed_cookie"})
# words of a cookie's name (`agent_session`, `remember_token`, `jwt`), not `last_login`, `last_access`
_AUTH_WORDS = frozenset({"session", "sessionid", "sessid", "sess", "sid", "token", "jwt", "auth", "authtoken", "remember", "rememberme",
                         "bearer", "credential", "credentials", "apikey", "impersonate", "impersonation", "impersonating"})
_NOT_AUTH = frozenset({"csrf", "xsrf", "csrftoken", "xsrftoken"})
# what a `<kind>_token` holds that carries authority
_TOKEN_KINDS = frozenset({"access", "refresh", "auth", "session", "device", "remember", "login", "api", "jwt", "id", "bearer"})
_AUTH_VALUES = frozenset({"session_key", "sessionid", "session_id", "access_token", "refresh_token", "auth_token", "jwt", "token", "id_token"})


def _authority(call: ast.Call) -> str | None:
    """What says the cookie carries authority: its name (``"agent_session"``) or its value
    (``request.session.session_key``, ``access_token``)."""
    name_node = call.args[0] if call.args else (kw.value if (kw := keyword(call, "key") or keyword(call, "name")) else None)
    if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
        words = name_words(name_node.value)
        if any(w in _NOT_AUTH for w in words):
            return None
        if any(w in _AUTH_WORDS for w in words):
            return f"the cookie `{name_node.value}`"
        # a named cookie that says nothing of a session (a preference, a flag) unless its value does
    value = call.args[1] if len(call.args) > 1 else (kw.value if (kw := keyword(call, "value")) else None)
    value_name = last_name(value.func if isinstance(value, ast.Call) else value) if value is not None else None  # `device_token`, `new_api_key()`
    if value_name and _credential_value(value_name):
        return f"the cookie holding `{value_name}`"
    return None


def _credential_value(name: str) -> bool:
    """``session_key``, ``access_token``, ``device_token`` (a remembered device skips the second
    factor), ``new_api_key()``; not ``csrf_token`` nor a bare ``token``'s look-alikes (``cart_id``, ``theme``)."""
    words = name_words(name)
    return name.lower() in _AUTH_VALUES or (len(words) >= 2 and words[-1] == "token" and words[-2] in _TOKEN_KINDS) or words[-2:] == ["api", "key"]


# the framework settings that make its own session or remember-me cookie readable by JavaScript when
# false (Flask, Flask-Login and Django default them to true); not CSRF_COOKIE_HTTPONLY, which the
# page's script must read
_HTTPONLY_SETTINGS = frozenset({"SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"})
# false: the session (or remember-me) cookie also travels over plain HTTP
_SECURE_SETTINGS = frozenset({"SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"})
_SETTINGS_PACKAGES = frozenset({"settings", "config", "conf", "configs", "configuration"})
_SHARED_SETTINGS = frozenset({"base", "common", "default", "defaults", "shared", "global", "__init__"})
_DEV_WORDS = frozenset({"dev", "develop", "development", "local", "test", "tests", "testing", "debug", "ci", "conftest"})


def check_setting(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``SESSION_COOKIE_HTTPONLY = False`` (settings, a config class), ``app.config[...] = False``."""
    node: ast.Assign = site.node  # type: ignore[assignment]
    if not is_constant(node.value, False):
        return
    for target in node.targets:
        name = target.id if isinstance(target, ast.Name) else (
            target.slice.value if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) else None)
        if name in _HTTPONLY_SETTINGS | _SECURE_SETTINGS and (isinstance(target, ast.Subscript) or site.func is None):
            if not (name in _SECURE_SETTINGS and _development(sec, site)):
                yield _setting_finding(sec, node, name)  # type: ignore[arg-type]


def _check_update(sec: SecurityPass, call: ast.Call, site: Site) -> Iterator[Finding]:
    """``app.config.update(SESSION_COOKIE_HTTPONLY=False)``."""
    for kw in call.keywords:
        if kw.arg in _HTTPONLY_SETTINGS | _SECURE_SETTINGS and is_constant(kw.value, False):
            if not (kw.arg in _SECURE_SETTINGS and _development(sec, site)):
                yield _setting_finding(sec, kw, kw.arg)


def _development(sec: SecurityPass, site: Site) -> bool:
    """A development setting: under ``if DEBUG:`` (``settings.DEBUG``, ``app.debug``), in a
    configuration class or function named for development or tests, or in such a module
    (``settings/dev.py``, ``local_settings.py``, ``test_settings.py``)."""
    parts = [p.removesuffix(".py") for p in sec.doc.path.replace("\\", "/").lower().split("/")[-2:]]
    if any(w in _DEV_WORDS for part in parts for w in name_words(part)):
        return True
    if len(parts) == 2 and parts[0] in _SETTINGS_PACKAGES and parts[1] in _SHARED_SETTINGS:
        return True  # `settings/base.py`: the environment's own module (`settings/production.py`) may override it
    for parent in site.ancestors:
        if isinstance(parent, ast.If) and any(isinstance(n, (ast.Name, ast.Attribute)) and (last_name(n) or "").lower() in {"debug", "development", "testing"}
                                              for n in ast.walk(parent.test)):
            return True
        if isinstance(parent, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and any(w in _DEV_WORDS for w in name_words(parent.name)):
            return True
    return False


def _setting_finding(sec: SecurityPass, node: ast.AST, name: str) -> Finding:
    if name in _SECURE_SETTINGS:
        return INSECURE_COOKIE.finding(sec.doc, node, f"`{name} = False` sends the session cookie over plain HTTP too (anyone on the "
                                       "network reads it); set it True in production, keep False for development settings only")
    return INSECURE_COOKIE.finding(sec.doc, node, f"`{name} = False` makes the session cookie readable by JavaScript (an XSS "
                                   "steals it); leave it True, the framework's default")


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.attr == "update" and last_name(call.func.value) == "config":  # type: ignore[attr-defined]
        yield from _check_update(sec, call, site)
        return
    if site.attr == "set_cookie" and "falcon" in sec.modules and not sec.modules & _FRAMEWORKS:
        yield from _falcon_cookie(sec, call)
        return
    if not (site.attr == "set_cookie" and sec.modules & _FRAMEWORKS or site.attr == "add_cookie" and "sanic" in sec.modules
            or site.attr in _TORNADO_SIGNED and "tornado" in sec.modules):
        return
    if any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return
    if len(call.args) > 6:
        return  # secure/httponly passed by position
    what = _authority(call)
    if what is None:
        return
    httponly, secure = keyword(call, "httponly"), keyword(call, "secure")
    problems = []
    if httponly is None or is_constant(httponly.value, False):
        problems.append("readable by JavaScript (an XSS steals it)")
    if secure is not None and is_constant(secure.value, False):
        problems.append("sent over plain HTTP (secure=False)")
    if not problems:
        return
    edits: list[TextEdit | None] = []
    parts = []
    if httponly is not None and is_constant(httponly.value, False):
        edits.append(sec.doc.replace_node(httponly.value, "True"))
        parts.append("httponly=True")
    elif httponly is None:
        added = insert_keyword(sec.doc, call, "httponly=True")
        edits.append(added)
        parts.append("httponly=True")
    if secure is not None and is_constant(secure.value, False):
        edits.append(sec.doc.replace_node(secure.value, "True"))
        parts.append("secure=True")
    made = [e for e in edits if e is not None]
    fixes = [Fix("Set " + " and ".join(parts), tuple(made))] if len(made) == len(edits) else []  # no `)` found: no fix
    yield INSECURE_COOKIE.finding(sec.doc, call, f"{what} carries a session or credential and is {' and '.join(problems)}; "
                                  "set httponly=True and secure=True", fixes=fixes)


def _falcon_cookie(sec: SecurityPass, call: ast.Call) -> Iterator[Finding]:
    """Falcon 4's ``resp.set_cookie(name, value, ..., secure=None, http_only=True)``: secure (its
    ``secure_cookies_by_default``) and HttpOnly unless told otherwise, so only an explicit
    ``secure=False`` or ``http_only=False`` on a session cookie is reported."""
    if len(call.args) > 6 or any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return
    what = _authority(call)
    off = [kw for kw in call.keywords if kw.arg in ("secure", "http_only") and is_constant(kw.value, False)]
    if what is None or not off:
        return
    problems = ["readable by JavaScript (http_only=False; an XSS steals it)" if kw.arg == "http_only" else "sent over plain HTTP (secure=False)"
                for kw in off]
    edits = [sec.doc.replace_node(kw.value, "True") for kw in off]
    fixes = [Fix("Set " + " and ".join(f"{kw.arg}=True" for kw in off), tuple(edits))]
    yield INSECURE_COOKIE.finding(sec.doc, call, f"{what} carries a session or credential and is {' and '.join(problems)}; "
                                  "drop the override (Falcon's defaults are secure)", fixes=fixes)


MODULE = RuleModule(
    rules=(INSECURE_COOKIE,),
    handlers={ast.Call: check_call, ast.Assign: check_setting},
    triggers=Triggers(words=("set_cookie", "add_cookie", "cookie_httponly", "cookie_secure", "set_secure_cookie", "set_signed_cookie")),
)
