"""SEC014's jinja2 part (:mod:`vetpy.rules.sec.web` reports through it): an ``Environment`` that
does not autoescape, and the quick-fix that turns ``select_autoescape()`` on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import has_star_kwargs, is_constant, keyword, last_name
from vetpy.findings import Finding, Fix, Severity, TextEdit
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.registry import Rule
from vetpy.rules.sec.common import import_edit
from vetpy.rules.sec.walk import SecurityPass

# Tornado's template loaders and its application, whose `autoescape=None` turns escaping off
# (tornado 6.6 `template.py`: `_DEFAULT_AUTOESCAPE = "xhtml_escape"`; `web.py` passes the setting on)
TORNADO_TEMPLATES = frozenset({"tornado.template.Loader", "tornado.template.DictLoader", "tornado.template.Template", "tornado.web.Application"})
# index of `autoescape` among jinja2.Environment's positional parameters
_AUTOESCAPE_POSITION = 16


def autoescape_off(sec: SecurityPass, call: ast.Call, name: str, XSS: Rule) -> Iterator[Finding]:  # noqa: N803
    """``jinja2.Environment(autoescape=False)``: every ``{{ value }}`` lands in HTML unescaped.

    Without the keyword autoescaping is off too (jinja2's default); that is reported for an
    ``Environment`` that loads template files (``loader=``) or lives in a web module, where
    templates are pages.  A bare ``Environment()`` in other code usually renders text.  Tornado's
    ``Loader(path, autoescape=None)`` (and ``Template``, ``Application``) likewise, unless bound to
    a name meant for text."""
    kw = keyword(call, "autoescape")
    if name in TORNADO_TEMPLATES:
        if kw is not None and is_constant(kw.value, None) and not _named_for_text(sec, call):
            yield XSS.finding(sec.doc, call, "Tornado autoescaping is off (`autoescape=None`): values rendered into HTML templates are not "
                              "escaped; leave the default (`xhtml_escape`)")
        return
    if kw is None:
        if (
            name == "jinja2.Environment"
            and len(call.args) <= _AUTOESCAPE_POSITION
            and not has_star_kwargs(call)
            and (keyword(call, "loader") is not None or sec.flow.web)
        ):
            finding = XSS.finding(
                sec.doc, call, "jinja2 does not autoescape unless told to: values rendered into HTML templates are not escaped; pass `autoescape=select_autoescape()`",
                fixes=_autoescape_fix(sec, call),
            )
            yield finding.with_severity(Severity.WARNING)
        return
    value = kw.value
    if isinstance(value, ast.Name) and value.id in sec.flow.constants:
        bound = sec.flow.single_assignment(None, value.id)
        value = bound if bound is not None else value
    if (isinstance(value, ast.Constant) and not value.value and not isinstance(value.value, (int, float))
            or is_constant(value, False)) and not _text_templates(sec, keyword(call, "loader")) and not _named_for_text(sec, call):
        yield XSS.finding(sec.doc, call, "jinja2 autoescaping is off: values rendered into HTML templates are not escaped; use `autoescape=select_autoescape()`")


_TEXT_SUFFIXES = (".txt", ".text", ".sms", ".md", ".csv", ".json", ".yaml", ".yml", ".ini", ".cfg", ".toml")


def _text_templates(sec: SecurityPass, loader: ast.keyword | None) -> bool:
    """``loader=DictLoader({...})`` (or a module constant bound to that dict) whose template names
    are all literal text names (``"reminder.txt"``, ``"receipt.sms"``): no page is rendered."""
    if loader is None or not (isinstance(loader.value, ast.Call) and last_name(loader.value.func) == "DictLoader"
                              and len(loader.value.args) == 1):
        return False
    templates = loader.value.args[0]
    if isinstance(templates, ast.Name):
        templates = sec.flow.single_assignment(None, templates.id) if templates.id in sec.flow.constants else None
    return isinstance(templates, ast.Dict) and bool(templates.keys) and all(
        isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.lower().endswith(_TEXT_SUFFIXES)
        for k in templates.keys)


# the words of a name given to an environment meant for plain text (`mail_text`, `text_env`, `sms_templates`)
_TEXT_WORDS = frozenset({"text", "txt", "plain", "plaintext", "sms"})


def _named_for_text(sec: SecurityPass, call: ast.Call) -> bool:
    """``mail_text = Environment(..., autoescape=False)`` at module level: an environment named for
    plain text (its templates are text mails or SMS; a page environment beside it is named otherwise)."""
    for stmt in sec.tree.body:
        if isinstance(stmt, ast.Assign) and stmt.value is call and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            return bool(_TEXT_WORDS & set(stmt.targets[0].id.lower().split("_")))
    return False


def _autoescape_fix(sec: SecurityPass, call: ast.Call) -> list[Fix]:
    """Add ``autoescape=select_autoescape()``: on for .html/.htm/.xml templates and
    ``from_string`` templates, unchanged for other file names."""
    local = next((n for n, target in sec.imports.names.items() if target == "jinja2.select_autoescape"), None)
    module = next((n for n, target in sec.imports.names.items() if target == "jinja2"), None)
    edits: list[TextEdit] = []
    if local is None and module is not None:
        local = f"{module}.select_autoescape"
    elif local is None:
        local = "select_autoescape"
        edits.append(import_edit(sec.doc, sec.tree, "from jinja2 import select_autoescape"))
    added = insert_keyword(sec.doc, call, f"autoescape={local}()")
    if added is None:
        return []  # the call's `)` is not where its node ends
    edits.insert(0, added)
    return [Fix("Autoescape HTML and XML templates (select_autoescape)", tuple(edits), preferred=True)]
