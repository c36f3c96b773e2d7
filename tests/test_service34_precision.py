"""Look-alikes of service34 (coursehub) that vetpy took for defects (its blind false positives)."""

from __future__ import annotations

from test_security import lines


def test_an_environment_named_for_plain_text_renders_no_page() -> None:
    """`mail_text = Environment(loader=..., autoescape=False)` beside an autoescaping page
    environment: text mails; the same environment named for HTML (or for nothing) is reported."""
    src = """
        from jinja2 import Environment, FileSystemLoader, select_autoescape
        pages = Environment(loader=FileSystemLoader("t"), autoescape=select_autoescape(["html"]))
        mail_text = Environment(loader=FileSystemLoader("t"), autoescape=False)
        sms_templates = Environment(loader=FileSystemLoader("t"), autoescape=False)
        mail_html = Environment(loader=FileSystemLoader("t"), autoescape=False)
        context = Environment(loader=FileSystemLoader("t"), autoescape=False)
        textual = Environment(loader=FileSystemLoader("t"), autoescape=False)
    """
    assert lines(src, "SEC014") == [6, 7, 8]
