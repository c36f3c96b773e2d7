"""SEC014's text parameters: ``Markup(f"<p>{note}</p>")`` in ``def render_note(note: str)``.

A ``str`` parameter formatted into what ``Markup``/``mark_safe`` marks safe HTML, in any module:
its callers pass text (a ``str``, not a ``Markup``), and none of them can know that the function
trusts it to be HTML, so whatever a user typed reaches the page as markup. Not a parameter named
for HTML (``body_html``, ``markup``, ``svg``), one rebound in the function (``note =
escape(note)``), one of another type (``count: int``) or unannotated."""

from __future__ import annotations

import ast
import re

from vetpy.rules.sec.stored_values import text_pieces
from vetpy.rules.sec.walk import FunctionNode

# the calls that mark a string as safe HTML as it is (not `format_html`, which escapes its arguments)
MARKUP = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe", "django.utils.html.mark_safe"})
# a parameter named so holds HTML by contract (`inner_html`, `markup`, `svg`): the caller made it
_HTML_NAMED = re.compile(r"html|markup|svg", re.IGNORECASE)
_STR = frozenset({"str", "str|None", "None|str", "Optional[str]", "typing.Optional[str]"})


def text_parameter(func: FunctionNode, text: ast.expr) -> str | None:
    """The first ``str`` parameter of ``func`` formatted as it is into ``text``, else None."""
    if isinstance(func, ast.Lambda):
        return None
    params = {a.arg: a for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    candidates = [p.id for p in text_pieces(text) if isinstance(p, ast.Name) and p.id in params
                  and _str_annotation(params[p.id].annotation) and not _HTML_NAMED.search(p.id)]
    if not candidates:
        return None
    rebound = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return next((c for c in candidates if c not in rebound), None)


def _str_annotation(annotation: ast.expr | None) -> bool:
    """``str``, ``str | None``, ``Optional[str]``."""
    return annotation is not None and ast.unparse(annotation).replace(" ", "") in _STR
