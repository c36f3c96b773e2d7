"""SEC014 (services 30 and 32, and 26's ``mark_safe(f"...")``): a ``str`` parameter formatted into
HTML that ``Markup``/``mark_safe`` marks safe as it is, in any module (a rendering helper is not a
request handler: its callers pass text, and none of them can know that it trusts the text to be
HTML).  Look-alikes a careful reviewer accepts: ``Markup(...).format(...)`` and Django's
``format_html`` (they escape their arguments), an escaped value, a parameter rebound in the
function (``note = escape(note)``), one of another type (``int``, ``Decimal``) or unannotated, one
named for HTML (``body_html``, ``markup``, ``svg``), a constant, a value passed whole."""

from __future__ import annotations

from tests.test_security import findings, lines

MARKUPSAFE = """\
from decimal import Decimal
from typing import Optional

from markupsafe import Markup, escape


def render_note(note: str) -> Markup:
    return Markup(f"<p class='note'>{note}</p>")


def render_percent(note: str) -> Markup:
    return Markup("<p>%s</p>" % note)


def render_plus(note: Optional[str]) -> Markup:
    return Markup("<p>" + note + "</p>")


def render_str_format(title: str, priority: str | None) -> Markup:
    return Markup("<b>{}</b> {}".format(title, priority))


def render_str_call(title: str) -> Markup:
    return Markup(f"<b>{str(title)}</b>")


def ok_markup_format(title: str, body: str) -> Markup:
    return Markup("<h2>{}</h2><div>{}</div>").format(title, body)


def ok_escaped(note: str) -> Markup:
    return Markup(f"<p>{escape(note)}</p>")


def ok_rebound(note: str) -> Markup:
    note = escape(note)
    return Markup(f"<p>{note}</p>")


def ok_other_types(count: int, rent: Decimal) -> Markup:
    return Markup(f"<p>{count} units at {rent}</p>")


def ok_named_html(body_html: str, inner_markup: str, icon_svg: str) -> Markup:
    return Markup(f"<div>{icon_svg}{body_html}{inner_markup}</div>")


def ok_unannotated(note) -> Markup:
    return Markup(f"<p>{note}</p>")


def ok_constant() -> Markup:
    return Markup("<p>hello</p>")


def ok_whole(note: str) -> Markup:
    return Markup(note)


def ok_made_plain(note: str) -> str:
    return Markup(f"<p>{note}</p>").striptags()
"""

DJANGO = """\
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def badge(label: str):
    return mark_safe(f"<span class='badge'>{label}</span>")


def badge_escaped(label: str):
    return format_html("<span class='badge'>{}</span>", label)
"""


def test_text_parameter_marked_safe_html() -> None:
    assert lines(MARKUPSAFE, "SEC014", "rendering.py") == [8, 12, 16, 20, 24]


def test_text_parameter_marked_safe_by_django() -> None:
    assert lines(DJANGO, "SEC014", "widgets.py") == [6]
    (found,) = findings(DJANGO, "SEC014", "widgets.py")
    assert "`label`" in found.message and "format_html" in found.message


def test_not_reported_without_the_markup_import() -> None:
    # a project's own `Markup` class is not markupsafe's
    src = 'class Markup(str):\n    pass\n\n\ndef render(note: str):\n    return Markup(f"<p>{note}</p>")\n'
    assert lines(src, "SEC014", "rendering.py") == []
