"""Output formats of ``vetpy check``: one module per format, one line per format in ``RENDERERS``.

Every renderer takes the findings and a :class:`ReportContext` and returns the whole report as
text.  Adding a format: write ``report/<name>.py`` with a ``render_<name>(findings, context)``,
add it to ``RENDERERS``; ``--format`` offers it, and ``tests/test_reports.py`` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from vetpy.findings import Finding
from vetpy.report.json_report import render_json
from vetpy.report.sarif import render_sarif
from vetpy.report.text import render_text


@dataclass(frozen=True)
class ReportContext:
    headers: Sequence[str] = ()  # lines about the run (environment, problems) for human readers
    files_checked: int = 0
    root: Path = field(default_factory=Path.cwd)  # paths in the report are relative to this
    fixed: int = 0  # findings fixed by --fix before this report (the findings are what remains)


RENDERERS: dict[str, Callable[[Sequence[Finding], ReportContext], str]] = {
    "text": lambda findings, context: render_text(findings, header=context.headers, files_checked=context.files_checked, fixed=context.fixed),
    "json": lambda findings, context: render_json(findings),
    "sarif": lambda findings, context: render_sarif(findings, root=context.root),
}
FORMATS = tuple(RENDERERS)


def render(fmt: str, findings: Sequence[Finding], context: ReportContext) -> str:
    return RENDERERS[fmt](findings, context)


__all__ = ["FORMATS", "RENDERERS", "ReportContext", "render", "render_json", "render_sarif", "render_text"]
