"""SEC014 for a Pyramid view rendered by a jinja2 template file: ``{{ key|safe }}`` of a value the view
returns from the request (or from a stored row).

Verified against pyramid 2.1 (``pyramid/view.py``: ``@view_config(renderer="templates/x.jinja2")``
renders the dict the view returns; a relative path is resolved against the view's package) and
pyramid_jinja2 2.10 (``autoescape`` on by default: ``{{ key }}`` is escaped, ``|safe`` turns that
off).  Reported at the returned dict's value when the template (``<renderer>`` beside the view's
module; exactly one file) has ``{{ key|safe }}`` (also ``key.x``, ``key["x"]``) and the value is
request input or a column read from the database.  Silent: a name the template binds itself
(``{% set %}``, ``{% for %}``), an asset spec of another package (``pkg:templates/x.jinja2``), a
template that cannot be found, a value the program made."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import keyword, last_name
from vetpy.dataflow import Trust
from vetpy.findings import Finding
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.stored_values import Rows, stored_column
from vetpy.rules.sec.tornado_templates import bound_names, template_root, template_text
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers
from vetpy.rules.sec.web import XSS

_SAFE = re.compile(r"\{\{\s*([^{}|]+?)\s*\|\s*safe\s*\}\}")
_JINJA_SUFFIXES = (".jinja2", ".jinja", ".j2")


def _renderer(sec: SecurityPass, func: ast.AST) -> str | None:
    """The jinja2 template path of a ``@view_config(renderer=...)`` of ``func``."""
    for dec in getattr(func, "decorator_list", []):
        if isinstance(dec, ast.Call) and last_name(dec.func) == "view_config" and sec.qualified(dec.func) == "pyramid.view.view_config":
            kw = keyword(dec, "renderer")
            if kw is not None and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str) \
                    and kw.value.value.endswith(_JINJA_SUFFIXES) and ":" not in kw.value.value:
                return kw.value.value
    return None


def check_return(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    ret: ast.Return = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or "pyramid" not in sec.modules or not isinstance(ret.value, ast.Dict) or (name := _renderer(sec, func)) is None:
        return
    passed = {k.value: v for k, v in zip(ret.value.keys, ret.value.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    text = template_text(sec, name.removeprefix("templates/"))
    if not passed or text is None or "safe" not in text:
        return
    bound = bound_names(text)
    scope = sec.flow.scope(func)
    reported: set[str] = set()
    for match in _SAFE.finditer(text):
        root = template_root(match.group(1))
        if root is None or root in bound or root not in passed or root in reported:
            continue
        value_node = passed[root]
        value = scope.value(value_node, ret, site.ancestors)
        field = f"`{{{{ {match.group(1)}|safe }}}}` in `{name}`"
        if value.risk("html") is Trust.UNTRUSTED:
            reported.add(root)
            yield XSS.finding(sec.doc, value_node, f"{field} inserts {describe(value)} without escaping: what a user typed runs as "
                                                   "script in the page; drop `|safe` (pyramid_jinja2 escapes `{{ ... }}`)")
        elif (column := _stored(sec, func, scope, value_node)) is not None:
            reported.add(root)
            yield XSS.finding(sec.doc, value_node, f"{field} inserts `{column}`, a value stored in the database, without escaping "
                                                   "(stored XSS): drop `|safe`, or sanitise the HTML (bleach, nh3) before marking it safe")


def _stored(sec: SecurityPass, func: ast.AST, scope, node: ast.expr) -> str | None:  # type: ignore[no-untyped-def]
    """A stored column read (``notice["body"]``; also the value side of ``notice["body"] if notice else ""``)."""
    if isinstance(node, ast.IfExp):
        node = node.body
    if not isinstance(node, (ast.Subscript, ast.Attribute)):
        return None
    return stored_column(Rows(sec.tree, sec.qualified, func, scope), node)  # type: ignore[arg-type]


MODULE = RuleModule(
    rules=(XSS,),
    handlers={ast.Return: check_return},
    triggers=Triggers(words=("return {",)),
)
