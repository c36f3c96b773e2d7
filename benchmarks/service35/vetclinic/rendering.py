"""Jinja2 environments for mail and documents, PDF rendering through wkhtmltopdf, image thumbnails."""
from __future__ import annotations

import logging
import shlex
import subprocess
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .storage import temp_pdf_path, temp_workdir

log = logging.getLogger(__name__)
TEMPLATE_DIR = Path(__file__).parent / "templates"

documents = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html", "jinja2"]),  # SAFE: autoescape-on
                        undefined=StrictUndefined)
mail_html = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=False)  # SEEDED: SEC xss-autoescape-off
sms_text = Environment(autoescape=False)  # SAFE: plain-text-env
_sandbox = SandboxedEnvironment(autoescape=True)


def render_document(name: str, **context) -> str:
    return documents.get_template(name).render(**context)


def render_reminder_mail(context: dict) -> str:
    return mail_html.get_template("reminder_mail.jinja2").render(**context)


def render_sms(template: str, **context) -> str:
    return sms_text.from_string(template).render(**context)


def render_clinic_signature(signature_template: str, clinic: dict) -> str:
    return Template(signature_template).render(clinic=clinic)  # SEEDED: SEC ssti


def render_owner_letter(body_template: str, **context) -> str:
    return _sandbox.from_string(body_template).render(**context)  # SAFE: sandboxed-template


def highlight(text: str, term: str) -> Markup:
    return Markup(str(escape(text)).replace(str(escape(term)), f"<mark>{escape(term)}</mark>"))  # SAFE: escaped-markup


def pet_badge(name: str, species: str) -> Markup:
    return Markup(f"<span class='pet {species}'>{name}</span>")  # SEEDED: SEC xss-markup


def pet_badge_safe(name: str, species: str) -> Markup:
    return Markup("<span class='pet {}'>{}</span>").format(species, name)  # SAFE: markup-format


def html_to_pdf(html: str, title: str) -> Path:
    workdir = Path(temp_workdir())
    src = workdir / "doc.html"
    src.write_text(html, encoding="utf-8")
    out = workdir / "doc.pdf"
    subprocess.run(["wkhtmltopdf", "--quiet", "--title", title, str(src), str(out)],  # SAFE: argv-list
                   check=True, timeout=60, capture_output=True)
    return out


def invoice_pdf(html: str, owner_name: str) -> str:
    path = temp_pdf_path()
    Path(path + ".html").write_text(html, encoding="utf-8")
    subprocess.run(f"wkhtmltopdf --title '{owner_name}' {path}.html {path}", shell=True, check=True, timeout=60)  # SEEDED: SEC command-injection
    return path


def stamp_pdf(path: str, stamp: str) -> None:
    subprocess.run(f"pdftk {shlex.quote(path)} stamp {shlex.quote(stamp)} output {shlex.quote(path)}.stamped",  # SAFE: shlex-quoted
                   shell=True, check=True, timeout=60)


def thumbnail(src: Path, size: str) -> Path:
    out = src.with_suffix(".thumb.png")
    subprocess.run(["convert", str(src), "-resize", size, str(out)], check=True)  # SEEDED: EDGE missing-timeout
    return out


def merge_pdfs(paths: list[str], out: str) -> None:
    subprocess.run(["qpdf", "--empty", "--pages", *paths, "--", out], check=True, timeout=120)  # SAFE: argv-list


def dicom_preview(path: str, options: str) -> bytes:
    return subprocess.check_output(["dcmj2pnm", *options.split(), path], timeout=30)  # SEEDED: SEC argument-injection


def label_text(pet: dict, fmt: str) -> str:
    return fmt.format(pet=pet)  # SEEDED: SEC format-string-injection


def label_text_safe(pet: dict) -> str:
    return "{name} ({species})".format(name=pet.get("name", ""), species=pet.get("species", ""))  # SAFE: constant-format
