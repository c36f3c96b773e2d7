"""SEC014 for a Tornado template file: ``{% raw term %}`` of a value the handler passes from the request.

Verified against tornado 6.6.1 (``tornado/template.py``, ``tornado/web.py``): ``{{ expr }}`` is
escaped with ``xhtml_escape`` under the default ``autoescape``; ``{% raw expr %}`` inserts the
expression as it is.  ``self.render(name, **kwargs)`` loads ``name`` from the application's
``template_path`` or, without one, from the directory of the file that called ``render``.

Reported at ``self.render("search.html", term=term)`` in a handler of a module that imports tornado
when the template (``templates/<name>`` beside the handler's module, or ``<name>`` there; exactly one
of the two exists) has ``{% raw term %}`` (also ``term["x"]``, ``term.x``) and ``term`` is request
input.  Silent: an expression that calls something (``{% raw linkify(term) %}``, an escaper or a
sanitiser), a name the template binds itself (``{% set %}``, ``{% for %}``), a value the program made
(a sanitiser's result, a constant), a template that cannot be found or is ambiguous."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from vetpy import reads
from vetpy.astutil import parse
from vetpy.dataflow import Trust
from vetpy.findings import Finding
from vetpy.rules.registry import Rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.walk import FunctionNode, SecurityPass

_RAW = re.compile(r"\{%\s*raw\s+(.+?)\s*%\}", re.S)
_BINDS = re.compile(r"\{%\s*(?:set\s+([A-Za-z_]\w*)|for\s+([^%]+?)\s+in\s)")


def bound_names(text: str) -> set[str]:
    """The names a template binds itself (``{% set x = ... %}``, ``{% for a, b in ... %}``): not the handler's."""
    return {n for m in _BINDS.finditer(text) for n in re.findall(r"[A-Za-z_]\w*", m.group(1) or m.group(2))}


def raw_fields(sec: SecurityPass, call: ast.Call, func: FunctionNode, ancestors: list[ast.AST], rule: Rule) -> Iterator[Finding]:
    f = call.func
    if not (isinstance(f, ast.Attribute) and f.attr == "render" and isinstance(f.value, ast.Name) and f.value.id == "self"
            and "tornado" in sec.modules and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        return
    passed = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    if not passed:
        return
    text = _template(sec, call.args[0].value)
    if text is None or "raw" not in text:
        return
    bound = bound_names(text)
    scope = sec.flow.scope(func)
    for match in _RAW.finditer(text):
        root = _root(match.group(1))
        if root is None or root in bound or root not in passed:
            continue
        value = scope.value(passed[root], call, ancestors)
        if value.risk("html") is Trust.UNTRUSTED:
            yield rule.finding(sec.doc, call, f"`{{% raw {match.group(1)} %}}` in `{call.args[0].value}` inserts {describe(value)} without "
                                              "escaping: what a user typed runs as script in the page; use `{{ ... }}` (escaped)")
            return


def _root(expr: str) -> str | None:
    """The name an expression of only names, attributes and constant subscripts reads."""
    try:
        node = parse(expr.strip(), mode="eval").body
    except SyntaxError:
        return None
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Constant):
            return None
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _template(sec: SecurityPass, name: str) -> str | None:
    """The text of the template ``name`` beside the analysed module, when exactly one candidate exists."""
    if name.startswith("/") or ".." in name:
        return None
    here = Path(sec.doc.path).parent
    found = [p for p in (here / "templates" / name, here / name) if p.is_file()]
    if len(found) != 1:
        return None
    reads.note_file(found[0])  # the template's text decides: an edit of it re-checks this file
    try:
        return found[0].read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


# the pieces a template of another framework reads the same way (:mod:`vetpy.rules.sec.pyramid_templates`)
template_text = _template
template_root = _root
