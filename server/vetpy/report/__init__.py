"""Output formats: text, json, sarif."""

from __future__ import annotations

from vetpy.report.json_report import render_json
from vetpy.report.sarif import render_sarif
from vetpy.report.text import render_text

FORMATS = ("text", "json", "sarif")

__all__ = ["FORMATS", "render_json", "render_sarif", "render_text"]
