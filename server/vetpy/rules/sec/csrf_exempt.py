"""SEC032 csrf-exempt-session-view: a Django view that acts on the session cookie is exempt from
CSRF protection."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import NodeMemo, dotted_name, last_name, statement_nodes
from vetpy.findings import Finding, Severity
import vetpy.rules.sec.authorization as authorization
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.sec.names import name_words
import vetpy.rules.sec.pyramid_csrf as pyramid
from vetpy.rules.sec.tornado_xsrf import cookie_user_exempt
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CSRF_EXEMPT = rule(
    code="SEC032",
    name="csrf-exempt-session-view",
    family="SEC",
    severity=Severity.WARNING,
    summary="@csrf_exempt on a Django view whose authority is the session cookie (it writes the session, logs in, or is @login_required), or a write route behind a login left without the CSRF decorator its siblings carry.",
    rationale="""The browser sends the session cookie with a form that any other site posts to
    your view. Django's CSRF check is what tells those requests from the user's own; a view
    that is exempt and then trusts the session (writes `request.session`, calls `login()`, or
    requires a logged-in user) performs the action for whichever site asked. Remove the
    exemption and send the CSRF token. An exempt view that authenticates otherwise (a webhook
    that verifies a signature, an API that takes a bearer token) and never touches the session
    is not reported. Also reported: in a module whose write routes behind a login decorator carry
    the project's CSRF decorator (`@csrf_protect`: at least three, two thirds of them), the write
    route behind a login left without it, unless the application checks CSRF as a whole
    (`CSRFProtect(app)`). And a Tornado handler class whose `check_xsrf_cookie` does nothing
    (`pass`) while the `get_current_user` it uses (its own or a base class's) reads a cookie and
    its verbs act as the signed-in user (`@authenticated`, `self.current_user`; or it has none: a
    base class); not an API whose user comes from a header, nor a signature-checked webhook. And a
    Pyramid `@view_config(..., require_csrf=False)` view that logs the user in (`remember`) or
    writes `request.session`.""",
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


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _csrf_decorated(func: ast.AST) -> bool:
    """A decorator of the project's that checks a CSRF token (``@csrf_protect``, ``@check_csrf``)."""
    return any("csrf" in (last_name(d.func if isinstance(d, ast.Call) else d) or "").lower()
               and "exempt" not in (last_name(d.func if isinstance(d, ast.Call) else d) or "").lower()
               for d in getattr(func, "decorator_list", []))


def _cookie_login(route: authorization.Route) -> bool:
    return any("login" in n.lower() for n in route.guard_names)


def _left_out(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """A write route behind a login decorator (the session cookie) without the CSRF decorator
    that its sibling write routes behind a login carry (at least three, two thirds of them), in a
    module that protects nothing as a whole (``CSRFProtect(app)``, ``csrf.init_app(app)``)."""
    if _csrf_decorated(func) or not _module_csrf(sec)[0]:
        return None
    routes = authorization.module_routes(sec.doc)
    route = next((r for r in routes if r.node is func), None)
    if route is None or route.group == authorization.MODULE_VIEWS or not (route.methods & _WRITES) or not _cookie_login(route) \
            or authorization.public(route):
        # Django's views: CsrfViewMiddleware (in the settings) checks them all, decorated or not
        return None
    if _SERVER_CALLS & set(name_words(func.name)) or _module_csrf(sec)[1]:
        return None
    siblings = [r for r in routes if r is not route and r.group == route.group and r.methods & _WRITES and _cookie_login(r)
                and not authorization.public(r)]
    checked = sum(_csrf_decorated(r.node) for r in siblings)
    if checked >= 3 and 3 * checked >= 2 * len(siblings):
        return f"{checked} of its {len(siblings)} sibling routes that write behind a login check a CSRF token"
    return None


def _module_csrf(sec: SecurityPass) -> tuple[bool, bool]:
    """(a top-level definition carries a CSRF decorator, the application checks CSRF as a whole:
    ``CSRFProtect(app)``, ``csrf.init_app(app)``, ``SeaSurf(app)``), once per analysis."""
    cached = sec.doc.shared.get("sec.module-csrf")
    if cached is None:
        body = sec.doc.module_body  # the whole file's, also in the editor's view (which holds some statements)
        memo = sec.doc.memo  # each statement read once while it is unchanged, not the module per analysis
        decorated = any(memo.each(body, "sec.csrf-decorated", _csrf_decorated))
        whole = decorated and any(memo.each(body, "sec.csrf-whole", lambda stmt: _protects_whole(stmt, memo)))
        cached = sec.doc.shared["sec.module-csrf"] = (decorated, whole)
    return cached  # type: ignore[no-any-return]


def _protects_whole(stmt: ast.AST, memo: NodeMemo) -> bool:
    """Does ``stmt`` protect the application as a whole (``CSRFProtect(app)``, ``csrf.init_app(app)``, ``SeaSurf(app)``)?"""
    return any(
        isinstance(n, ast.Call) and (last_name(n.func) in {"CSRFProtect", "CsrfProtect", "SeaSurf"}
                                     or last_name(n.func) == "init_app" and "csrf" in (dotted_name(n.func) or "").lower())
        for n in statement_nodes(stmt, memo))


@REGISTRY.whole_file_fact
def _csrf_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What SEC032 reads of a statement for the findings of others: whether it carries a CSRF decorator or
    protects the application as a whole, and each write route behind a login with its decorator (its
    siblings' findings count them).  An edit that changes one is analysed whole."""
    facts = {f"csrf-route:{i}:{r.group}:{_csrf_decorated(r.node)}:{authorization.public(r)}"
             for i, r in enumerate(authorization.statement_routes(stmt, memo)) if r.methods & _WRITES and _cookie_login(r)}
    if memo.get(stmt, "sec.csrf-decorated", lambda: _csrf_decorated(stmt)):
        facts.add("csrf-decorated")
    if memo.get(stmt, "sec.csrf-whole", lambda: _protects_whole(stmt, memo)):
        facts.add("csrf-whole")
    return frozenset(facts)


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: ast.FunctionDef | ast.AsyncFunctionDef = site.node  # type: ignore[assignment]
    if (cookie := cookie_user_exempt(sec, func, site.ancestors)) is not None:
        yield CSRF_EXEMPT.finding(
            sec.doc, authorization.name_range(sec.doc, func),
            f"`check_xsrf_cookie` does nothing here, but the handler's user comes from a cookie ({cookie} in `get_current_user`): "
            "any web site can post a form to it with the user's cookie; keep Tornado's XSRF check")
        return
    if (off := pyramid.exempt_keyword(sec, func)) is not None and (how := pyramid.session_use(sec, func)) is not None:
        yield CSRF_EXEMPT.finding(sec.doc, off, f"`{func.name}` turns Pyramid's CSRF check off (`require_csrf=False`) but {how}: any web site "
                                  "can post to it with the user's cookie; keep the check and send the CSRF token")
        return
    if site.func is None and (why := _left_out(sec, func)) is not None:
        yield CSRF_EXEMPT.finding(
            sec.doc, authorization.name_range(sec.doc, func),
            f"`{func.name}` writes behind a login (the session cookie) without the CSRF check, while {why}: any web site "
            "can post to it with the user's cookie; add the same check")
        return
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
    triggers=Triggers(words=("csrf", "check_xsrf_cookie")),  # `require_csrf` contains "csrf"
)
