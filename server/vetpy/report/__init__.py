"""Output formats of ``vetpy check``: one module per format, one line per format in ``RENDERERS``.

Every renderer takes the findings and a :class:`ReportContext` and returns the whole report as
text.  Adding a format: write ``report/<name>.py`` with a ``render_<name>(findings, ...)``,
add it to ``RENDERERS``; ``--output-format`` offers it, and ``tests/test_cli.py`` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from vetpy.findings import Finding
from vetpy.report.github import render_github
from vetpy.report.gitlab import render_gitlab
from vetpy.report.json_report import render_json, render_json_lines
from vetpy.report.junit import render_junit
from vetpy.report.pylint import render_pylint
from vetpy.report.sarif import render_sarif
from vetpy.report.text import render_text


@dataclass(frozen=True)
class ReportContext:
    headers: Sequence[str] = ()  # lines about the run (environment, problems) for human readers
    files_checked: int = 0
    root: Path = field(default_factory=Path.cwd)  # paths in the report are relative to this
    fixed: int = 0  # findings fixed by --fix before this report (the findings are what remains)
    color: bool = False  # ANSI colours (the human formats only)
    quiet: bool = False  # --quiet: the findings only, no header and no summary


def _text(full: bool) -> Callable[[Sequence[Finding], ReportContext], str]:
    def render(findings: Sequence[Finding], context: ReportContext) -> str:
        return render_text(
            findings, header=context.headers, files_checked=context.files_checked, fixed=context.fixed,
            color=context.color, quiet=context.quiet, full=full,
        )

    return render


RENDERERS: dict[str, Callable[[Sequence[Finding], ReportContext], str]] = {
    "text": _text(full=False),  # the name of concise before --output-format had full
    "concise": _text(full=False),
    "full": _text(full=True),
    "json": lambda findings, context: render_json(findings),
    "json-lines": lambda findings, context: render_json_lines(findings),
    "sarif": lambda findings, context: render_sarif(findings, root=context.root),
    "github": lambda findings, context: render_github(findings, root=context.root),
    "gitlab": lambda findings, context: render_gitlab(findings, root=context.root),
    "junit": lambda findings, context: render_junit(findings, root=context.root, files_checked=context.files_checked),
    "pylint": lambda findings, context: render_pylint(findings),
}
FORMATS = tuple(RENDERERS)
HUMAN_FORMATS = frozenset({"text", "concise", "full"})  # colour, headers and --quiet apply to these


def render(fmt: str, findings: Sequence[Finding], context: ReportContext) -> str:
    return RENDERERS[fmt](findings, context)


__all__ = ["FORMATS", "HUMAN_FORMATS", "RENDERERS", "ReportContext", "render", "render_json", "render_sarif", "render_text"]
