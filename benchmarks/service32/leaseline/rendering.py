"""HTML and text rendering: Jinja2 for pages and e-mails, Mako for letters and notices."""
from __future__ import annotations

import string
from decimal import Decimal

from jinja2 import DictLoader, Environment, select_autoescape
from mako.lookup import TemplateLookup
from mako.template import Template
from markupsafe import Markup, escape

PAGES = {
    "receipt.html": "<h1>Receipt</h1><p>{{ tenant }} paid {{ amount }} for {{ period }}.</p>",
    "ticket.html": "<h1>{{ ticket.title }}</h1><div>{{ ticket.description }}</div>",
    "statement.html": "<h1>Statement {{ period }}</h1><p>Net {{ net }}</p>",
}

EMAILS = {
    "late_notice.html": "<p>Dear {{ name }},</p><p>Your rent of {{ amount }} for {{ period }} is late.</p>",
    "welcome.html": "<p>Welcome {{ name }}! Your unit is {{ unit }}.</p>",
}

SMS = {
    "reminder.txt": "Hi {{ name }}, rent of {{ amount }} is due {{ due }}. Reply STOP to opt out.",
}

pages = Environment(loader=DictLoader(PAGES), autoescape=select_autoescape(["html"]))  # SAFE: xss
emails = Environment(loader=DictLoader(EMAILS), autoescape=False)  # SEEDED: SEC xss
texts = Environment(loader=DictLoader(SMS), autoescape=False)  # SAFE: xss

letters = TemplateLookup(directories=[], default_filters=["h"], strict_undefined=True)  # SAFE: xss

NOTICE_MAKO = """<html><body>
<h2>${title}</h2>
<p>To: ${tenant_name}, unit ${unit}</p>
<p>${body}</p>
</body></html>"""

_notice = Template(NOTICE_MAKO, default_filters=["h"])  # SAFE: xss
_notice_legacy = Template(NOTICE_MAKO)  # SEEDED: SEC xss


def render_page(name: str, **ctx) -> str:
    return pages.get_template(name).render(**ctx)


def render_email(name: str, **ctx) -> str:
    return emails.get_template(name).render(**ctx)


def render_sms(name: str, **ctx) -> str:
    return texts.get_template(name).render(**ctx)


def notice_html(title: str, tenant_name: str, unit: str, body: str) -> str:
    return _notice.render(title=title, tenant_name=tenant_name, unit=unit, body=body)


def notice_html_legacy(title: str, tenant_name: str, unit: str, body: str) -> str:
    return _notice_legacy.render(title=title, tenant_name=tenant_name, unit=unit, body=body)


def letterhead(company_template: str, **ctx) -> str:
    """Companies design their own letterhead in the admin console."""
    return Template(company_template).render(**ctx)  # SEEDED: SEC ssti


def letterhead_v2(company_template: str, **ctx) -> str:
    return string.Template(company_template).safe_substitute(**{k: escape(v) for k, v in ctx.items()})  # SAFE: ssti


def ticket_summary(title: str, priority: str) -> Markup:
    return Markup(f"<strong>{title}</strong> <em>{priority}</em>")  # SEEDED: SEC xss


def ticket_summary_v2(title: str, priority: str) -> Markup:
    return Markup("<strong>{}</strong> <em>{}</em>").format(title, priority)  # SAFE: xss


def vacancy_card(unit_label: str, rent: Decimal, blurb: str) -> str:
    return f"<div class='unit'><h3>{escape(unit_label)}</h3><p>{rent}</p><p>{escape(blurb)}</p></div>"  # SAFE: xss


def search_echo(term: str) -> str:
    return f"<p>No units match <b>{term}</b>.</p>"  # SEEDED: SEC xss


def subject_line(pattern: str, lease) -> str:
    """Managers set the subject pattern of reminder e-mails, e.g. ``Rent for {lease.unit_id}``."""
    return pattern.format(lease=lease)  # SEEDED: SEC format-string-injection


def subject_line_v2(pattern: str, **values) -> str:
    return string.Template(pattern).safe_substitute(values)  # SAFE: format-string-injection
