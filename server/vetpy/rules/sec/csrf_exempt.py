"""SEC032 csrf-exempt-session-view: a Django view that acts on the session cookie is exempt from
CSRF protection."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CSRF_EXEMPT = rule(
    code="SEC032",
    name="csrf-exempt-session-view",
    family="SEC",
    severity=Severity.WARNING,
    summary="@csrf_exempt on a Django view whose authority is the session cookie (it writes the session, logs in, or is @login_required).",
    rationale="""The browser sends the session cookie with a form that any other site posts to
    your view. Django's CSRF check is what tells those requests from the user's own; a view
    that is exempt and then trusts the session (writes `request.session`, calls `login()`, or
    requires a logged-in user) performs the action for whichever site asked. Remove the
    exemption and send the CSRF token. An exempt view that authenticates otherwise (a webhook
    that verifies a signature, an API that takes a bearer token) and never touches the session
    is not reported.""",
    bad="""
        from django.contrib.auth.decorators import login_required
        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        @login_required
        def change_email(request):
            request.user.email = request.POST["email"]
            request.user.save()
            return JsonResponse({"ok": True})
    """,
    good="""
        @login_required
        def change_email(request):
            request.user.email = request.POST["email"]
            request.user.save()
            return JsonResponse({"ok": True})
    """,
    cwe=(352,),
)

_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
_LOGIN_REQUIRED = frozenset({"django.contrib.auth.decorators.login_required", "django.contrib.auth.decorators.permission_required",
                             "django.contrib.admin.views.decorators.staff_member_required",
                             "django.contrib.auth.decorators.user_passes_test"})
# only safe methods reach the view: the exemption changes nothing
_SAFE_ONLY = frozenset({"django.views.decorators.http.require_GET", "django.views.decorators.http.require_safe"})
_LOGIN = frozenset({"django.contrib.auth.login"})
# a view named for a server-to-server call: the provider posts without the user's cookies (pretix's
# PayPal webhook stores the order id in `request.session` for the code it shares with the browser flow)
_SERVER_CALLS = frozenset({"webhook", "webhooks", "hook", "ipn", "notify", "notification"})


def _decorator_name(sec: SecurityPass, node: ast.expr) -> str | None:
    return sec.qualified(node.func if isinstance(node, ast.Call) else node)


def _session_use(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """How the view acts on the session: writes ``request.session[...]``, calls ``login()``."""
    request = func.args.args[0].arg if func.args.args else None
    for node in ast.walk(func):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Attribute) and t.value.attr == "session" \
                    and isinstance(t.value.value, ast.Name) and t.value.value.id == request:
                return "writes the session"
        if isinstance(node, ast.Call) and sec.qualified(node.func) in _LOGIN:
            return "logs the user in"
    return None


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: ast.FunctionDef | ast.AsyncFunctionDef = site.node  # type: ignore[assignment]
    exempt = None
    names = []
    for dec in func.decorator_list:
        name = _decorator_name(sec, dec)
        names.append(name)
        if name == _EXEMPT:
            exempt = dec
    if exempt is None or any(n in _SAFE_ONLY for n in names) or _SERVER_CALLS & set(name_words(func.name)):
        return
    how = _session_use(sec, func)
    if how is None and any(n in _LOGIN_REQUIRED for n in names):
        how = "requires a logged-in user (the session cookie)"
    if how is None:
        return
    yield CSRF_EXEMPT.finding(
        sec.doc, exempt, f"`{func.name}` is exempt from CSRF checks but {how}: any web site can post to it with the user's "
        "cookie; remove @csrf_exempt and send the CSRF token")


MODULE = RuleModule(
    rules=(CSRF_EXEMPT,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=("csrf_exempt",)),
)
