"""SEC037 state-change-on-get: a route that answers only GET changes stored data, behind a login
that travels in the session cookie.

Cross-site request forgery protection (Django's ``CsrfViewMiddleware``, Flask-WTF's
``CSRFProtect``, Quart's and Litestar's equivalents) checks unsafe methods only: a GET is trusted
to change nothing.  A GET route that approves, archives or deletes runs whenever the signed-in
user's browser loads the URL: an ``<img src=".../reports/7/approve">`` on any page does it.

Reported, at the handler's name, for a route of the module that answers only GET (``@bp.get``,
``@app.route`` without ``methods``, a class-based view's ``get``) and changes data the way SEC023
reads it (a commit, a row deleted, a row's column set, an ORM query's ``update``, an ``execute`` of
``UPDATE``/``DELETE``/``INSERT`` text), whose guard is
a login decorator or mixin (``@login_required``, ``LoginRequiredMixin``: the browser's cookie is
the credential).  Not reported: a route that also answers POST, a route authenticated by a token
dependency or a Litestar guard (no cookie rides along on a forged request), a route public by
name (an e-mail's confirmation, unsubscribe or password-reset link is a GET by nature).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
import vetpy.rules.sec.authorization as authorization
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site

STATE_CHANGE_ON_GET = rule(
    code="SEC037",
    name="state-change-on-get",
    family="SEC",
    severity=Severity.WARNING,
    summary="A GET route changes stored data behind a cookie login: CSRF protection does not check GET, so any page can trigger it.",
    rationale="""CSRF protection checks POST, PUT, PATCH and DELETE only; GET is trusted to be safe.
    A route that approves, archives or deletes on GET runs whenever the signed-in user's browser
    loads the URL, and any page can make it do so (`<img src="/reports/7/approve">`), with the
    user's session cookie. Answer the change on POST (a form or a button), keep GET for reading.
    Reported for routes that answer only GET, change data (a commit, a row deleted or changed, an
    ORM `update`, SQL that updates, deletes or inserts run by `execute`) and are guarded by a login decorator or mixin; not for token-authenticated APIs
    nor for e-mail links public by name (confirm, unsubscribe, reset).""",
    bad="""
        from flask import Blueprint, redirect
        from flask_login import login_required

        bp = Blueprint("reports", __name__)

        @bp.get("/reports/<int:report_id>/approve")
        @login_required
        def approve(report_id):
            report = db.session.get(Report, report_id)
            report.status = "approved"
            db.session.commit()
            return redirect("/reports")
    """,
    good="""
        @bp.post("/reports/<int:report_id>/approve")  # a form's button posts it, with its CSRF token
        @login_required
        def approve(report_id): ...
    """,
    cwe=(352,),
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_GET_ONLY = frozenset({"GET", "GET-WRITES", "HEAD"})


# guards that read a token from a header (no cookie rides along on a forged request)
_TOKEN_GUARD = re.compile(r"jwt|token|api_?key|bearer|basic|signature|hmac", re.IGNORECASE)


def _reported(route: authorization.Route) -> bool:
    return ("GET-WRITES" in route.methods and route.methods <= _GET_ONLY and not route.litestar and not route.unknown
            and any(not _TOKEN_GUARD.search(n) for n in route.guard_names) and not authorization.public(route))


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None:
        return
    for route in authorization.module_routes(sec.doc):
        if route.node is func and _reported(route):
            guard = route.guard_names[0].rsplit(".", 1)[-1]
            yield STATE_CHANGE_ON_GET.finding(
                sec.doc, authorization.name_range(sec.doc, func),
                f"GET route `{func.name}` changes stored data behind `{guard}` (the session cookie): CSRF protection does not "
                "check GET, so any page the user visits can trigger it; answer the change on POST")
            return


MODULE = RuleModule(
    rules=(STATE_CHANGE_ON_GET,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=authorization.MODULE.triggers,
)
