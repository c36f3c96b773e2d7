"""SEC014 across modules, the helper's share: HTML a helper formats from its parameter and
returns, which a view of another module sends as HTML (services 32, 33).

``def search_echo(term): return f"<p>No units match <b>{term}</b>.</p>"`` in a rendering module;
``return html(rendering.search_echo(request.args["q"]))`` in a view.  The markup is made in the
helper, so the escape belongs there: reported at the helper's return, naming the view
(:mod:`vetpy.rules.sec.callers_into`), only when the view sends what it gets back as HTML
(:func:`sent_as_html`).  Not an escaped value (``escape(term)``), a string with no tag in its
text (``f"Results for {term}"``), nor a result the view sends as JSON or text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from vetpy.dataflow import Trust, string_parts
from vetpy.findings import Finding
from vetpy.rules.registry import Rule
from vetpy.rules.sec.common import describe
import vetpy.rules.sec.falcon_responses as falcon
from vetpy.rules.sec.walk import FunctionNode, SecurityPass

RETURNED_HTML = "is formatted into HTML and returned"
_TAG = re.compile(r"<[a-zA-Z/]")


def returned_html(sec: SecurityPass, value: ast.expr, ret: ast.Return, func: FunctionNode, ancestors: list[ast.AST],
                  rule: Rule) -> Iterator[Finding]:
    """In a probe of ``func`` (its parameter untrusted): ``return f"<p>{term}</p>"``."""
    parts = string_parts(value)
    if parts is None or not any(isinstance(p, str) and _TAG.search(p) for p in parts) or all(isinstance(p, str) for p in parts):
        return
    found = sec.flow.scope(func).value(value, ret, ancestors)
    if found.risk("html") is Trust.UNTRUSTED:
        yield rule.finding(sec.doc, value, f"{describe(found)} {RETURNED_HTML} without escaping; escape it here "
                           "(`markupsafe.escape`), where the markup is made")


def sent_as_html(call: ast.Call, ancestors: list[ast.AST], func: FunctionNode, qualified: Callable[[ast.AST], str | None],
                 sinks: frozenset[str]) -> bool:
    """Does the view send what ``call`` returns as HTML: the body of an HTML response
    (``html(...)``, ``HTMLResponse(...)``, ``HttpResponse(...)``, qualified in ``sinks``, with no
    other constant content type), or Falcon's ``resp.text = ...`` in a responder that declares HTML?"""
    node: ast.AST = call
    parents = list(reversed(ancestors))
    while parents and isinstance(parents[0], ast.Await):
        node, parents = parents[0], parents[1:]
    parent = parents[0] if parents else None
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node and qualified(parent.func) in sinks:
        for k in parent.keywords:
            if k.arg in ("content_type", "mimetype", "media_type") and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                return "html" in k.value.value.lower()
        return True
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        return falcon.response_field(parent.targets[0], func) in falcon.BODY_ATTRS and falcon.sets_html(func, qualified)
    return False
