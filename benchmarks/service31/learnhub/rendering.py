"""HTML for certificates and e-mails; PDF conversion with wkhtmltopdf."""
from __future__ import annotations

import logging
import shlex
import string
import subprocess
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

log = logging.getLogger(__name__)

env = Environment(autoescape=select_autoescape(default=True))  # SAFE: autoescape-on
raw_env = Environment(autoescape=False)  # SEEDED: SEC xss

CERTIFICATE_HTML = """<html><body><h1>Certificate of completion</h1>
<p>{{ student }} completed <em>{{ course }}</em> on {{ date }} with grade {{ grade }}.</p>
<p class="fp">{{ fingerprint }}</p></body></html>"""

EMAIL_HTML = "<p>Hello {{ name }},</p><p>{{ message }}</p>"


def certificate_html(student: str, course: str, date: str, grade: str, fingerprint: str) -> str:
    return env.from_string(CERTIFICATE_HTML).render(  # SAFE: constant-template
        student=student, course=course, date=date, grade=grade, fingerprint=fingerprint
    )


def custom_certificate_html(template_text: str, **values) -> str:
    """Schools upload their own certificate layout."""
    return raw_env.from_string(template_text).render(**values)  # SEEDED: SEC ssti


def email_html(name: str, message: str) -> str:
    return env.from_string(EMAIL_HTML).render(name=name, message=message)  # SAFE: autoescaped-env


def announcement_html(title: str, body: str) -> Markup:
    return Markup(f"<h2>{title}</h2><div>{body}</div>")  # SEEDED: SEC xss


def announcement_html_safe(title: str, body: str) -> Markup:
    return Markup("<h2>{}</h2><div>{}</div>").format(title, body)  # SAFE: markup-format


def feedback_snippet(comment: str) -> str:
    return f"<blockquote>{escape(comment)}</blockquote>"  # SAFE: escaped


def subject_line(pattern: str, course) -> str:
    """Instructors customise reminder subjects: 'Reminder: {course.title}'."""
    return pattern.format(course=course)  # SEEDED: SEC format-string-injection


def subject_line_safe(pattern: str, course) -> str:
    return string.Template(pattern).safe_substitute(title=course.title)  # SAFE: string-template


def html_to_pdf(html: str, out: Path, title: str) -> None:
    src = out.with_suffix(".html")
    src.write_text(html, encoding="utf-8")
    subprocess.run(f"wkhtmltopdf --title '{title}' {src} {out}", shell=True, check=True, timeout=60)  # SEEDED: SEC shell-injection


def html_to_pdf_safe(html: str, out: Path, title: str) -> None:
    src = out.with_suffix(".html")
    src.write_text(html, encoding="utf-8")
    subprocess.run(["wkhtmltopdf", "--title", title, str(src), str(out)], check=True, timeout=60)  # SAFE: argv-list


def pdf_page_count(path: Path) -> int:
    result = subprocess.run(f"pdfinfo {shlex.quote(str(path))}", shell=True, capture_output=True, text=True,  # SAFE: shlex-quoted
                            timeout=20, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def compress_pdf(path: Path) -> None:
    subprocess.run(["qpdf", "--linearize", "--replace-input", str(path)], check=True)  # SEEDED: EDGE missing-timeout
