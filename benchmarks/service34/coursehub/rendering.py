"""Certificates (HTML and PDF), forum markdown, e-mail bodies."""
from __future__ import annotations

import logging
import shlex
import subprocess
from datetime import datetime
from pathlib import Path

import bleach
import markdown
import tornado.template
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .config import settings

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"

pages = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),  # SAFE: autoescape-on
                    undefined=StrictUndefined)
mail_text = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False)  # SAFE: plain-text-mail
mail_html = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False)  # SEEDED: SEC xss
sandbox = SandboxedEnvironment(autoescape=True)
digest_loader = tornado.template.Loader(str(TEMPLATES), autoescape=None)  # SEEDED: SEC xss

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRS = {"a": ["href", "title"]}


def render_post(body_md: str) -> Markup:
    html = markdown.markdown(body_md, extensions=["fenced_code"])
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, protocols={"http", "https", "mailto"},  # SAFE: bleach-sanitised
                         strip=True)
    return Markup(clean)


def render_announcement(body_md: str) -> Markup:
    """Announcements are written by instructors, so they may embed HTML."""
    return Markup(markdown.markdown(body_md))  # SEEDED: SEC xss


def render_course_summary(summary: str) -> str:
    return markdown.markdown(escape(summary))  # SAFE: escaped-before-markdown


def certificate_html(student: str, course: str, grade: str, serial: str, issued: datetime) -> str:
    template = pages.get_template("certificate.html")
    return template.render(student=student, course=course, grade=grade, serial=serial,  # SAFE: autoescaped-template
                           issued=issued.strftime("%d %B %Y"), verify_url=f"{settings.public_url}/certificates/{serial}")


def certificate_footer(footer_template: str, **context: str) -> str:
    """Instructors may customise the footer line, e.g. "Issued by {{ org }}"."""
    return Environment().from_string(footer_template).render(**context)  # SEEDED: SEC ssti


def certificate_footer_safe(footer_template: str, **context: str) -> str:
    return sandbox.from_string(footer_template).render(**context)  # SAFE: sandboxed-template


def badge(course_title: str, level: str) -> Markup:
    return Markup("<span class=\"badge badge-{}\">{}</span>").format(level, course_title)  # SAFE: markup-format


def highlight(term: str) -> Markup:
    return Markup(f"<mark>{term}</mark>")  # SEEDED: SEC xss


def search_summary(term: str, count: int) -> Markup:
    return Markup("{} results for <q>{}</q>").format(count, term)  # SAFE: markup-format


def render_pdf(html: str, out: Path, title: str) -> None:
    src = out.with_suffix(".html")
    src.write_text(html, encoding="utf-8")
    subprocess.run(["wkhtmltopdf", "--quiet", "--disable-local-file-access", "--title", title, str(src), str(out)],  # SAFE: argv-list
                   check=True, timeout=60)


def render_pdf_legacy(html_path: Path, out: Path, student_name: str) -> None:
    cmd = f"wkhtmltopdf --title 'Certificate for {student_name}' {html_path} {out}"
    subprocess.run(cmd, shell=True, check=True, timeout=60)  # SEEDED: SEC shell-injection


def stamp_pdf(pdf: Path, stamp: Path, out: Path) -> None:
    subprocess.run(f"pdftk {shlex.quote(str(pdf))} stamp {shlex.quote(str(stamp))} output {shlex.quote(str(out))}",  # SAFE: shlex-quoted
                   shell=True, check=True, timeout=60)


def compress_pdf(pdf: Path, out: Path) -> None:
    subprocess.run(["qpdf", "--linearize", str(pdf), str(out)], check=True)  # SEEDED: EDGE missing-timeout


def grade_line(pattern: str, student: dict) -> str:
    """Instructor-defined report line, e.g. "{name}: {grade}"."""
    return pattern.format(s=student)  # SEEDED: SEC format-string-injection


def digest_html(threads: list[dict]) -> str:
    """Weekly forum digest e-mail: thread titles and first lines."""
    return digest_loader.load("digest.html").generate(threads=threads).decode("utf-8")


def email_subject(course: str, kind: str) -> str:
    return "[{}] {}".format(course, kind)  # SAFE: constant-format
