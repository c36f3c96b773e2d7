"""Jinja2 environments for pages, e-mails, SMS and invoices."""
from __future__ import annotations

from jinja2 import DictLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .config import TEMPLATE_DIR

pages = Environment(  # SAFE: xss
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html", "xml"]),
    enable_async=True,
    undefined=StrictUndefined,
)

emails = Environment(  # SEEDED: SEC xss
    loader=FileSystemLoader(TEMPLATE_DIR / "email"),
    autoescape=False,
    enable_async=True,
)

sms = Environment(  # SAFE: xss
    loader=DictLoader({
        "unlock.txt": "WheelShare: your unlock code for {{ plate }} is {{ code }}. Valid 10 min.",
        "reminder.txt": "WheelShare: your {{ model }} is ready at {{ street }} from {{ start }}.",
        "fine.txt": "WheelShare: a fine of {{ amount }} EUR was charged for trip {{ trip }}.",
        "digest.txt": "WheelShare: {{ text }}",
    }),
    autoescape=False,
)

_sandbox = SandboxedEnvironment(autoescape=True)


async def render_page(name: str, **context) -> str:
    return await pages.get_template(name).render_async(**context)


async def render_email(name: str, **context) -> str:
    return await emails.get_template(name).render_async(**context)


def render_sms(name: str, **context) -> str:
    return sms.get_template(name).render(**context)


def render_account_footer(footer_template: str, account: dict) -> str:
    return Environment().from_string(footer_template).render(account=account)  # SEEDED: SEC ssti


def render_partner_snippet(snippet: str, **context) -> str:
    return _sandbox.from_string(snippet).render(**context)  # SAFE: ssti


def vehicle_badge(model: str, plate: str) -> Markup:
    return Markup(f"<span class='badge'>{model} · {plate}</span>")  # SEEDED: SEC xss


def zone_badge(name: str) -> Markup:
    return Markup("<span class='zone'>{}</span>").format(name)  # SAFE: xss


def damage_note(text: str) -> Markup:
    return Markup("<p class='note'>") + escape(text) + Markup("</p>")  # SAFE: xss


def search_echo(term: str) -> str:
    return f"<p>No vehicles found for <b>{term}</b>.</p>"  # SEEDED: SEC xss


def subject_line(pattern: str, reservation: dict) -> str:
    return pattern.format(r=reservation)  # SEEDED: SEC format-string-injection


def invoice_subject(number: str) -> str:
    return "Your WheelShare invoice {}".format(number)  # SAFE: format-string-injection
