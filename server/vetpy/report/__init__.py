"""Output formats of ``vetpy check``: one module per format, one line per format in ``RENDERERS``.

Every renderer takes the findings and a :class:`ReportContext` and returns the whole report as
text.  Adding a format: write ``report/<name>.py`` with a ``render_<name>(findings, ...)``,
add it to ``RENDERERS``; ``--output-format`` offers it, and ``tests/test_cli.py`` runs it.
Each renderer imports its module when it runs: a check imports only the format it prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from vetpy.findings import Finding


@dataclass(frozen=True)
class ReportContext:
    headers: Sequence[str] = ()  # lines about the run (environment, problems) for human readers
    files_checked: int = 0
    root: Path = field(default_factory=Path.cwd)  # paths in the report are relative to this
    fixed: int = 0  # findings fixed by --fix before this report (the findings are what remains)
    color: bool = False  # ANSI colours (the human formats only)
    quiet: bool = False  # --quiet: the findings only, no header and no summary
    not_analysed: Sequence[tuple[str, str]] = ()  # (path, why): files whose analysis was stopped (SARIF says so)


def _text(full: bool) -> Callable[[Sequence[Finding], ReportContext], str]:
    def render(findings: Sequence[Finding], context: ReportContext) -> str:
        from vetpy.report.text import render_text

        return render_text(
            findings, header=context.headers, files_checked=context.files_checked, fixed=context.fixed,
            color=context.color, quiet=context.quiet, full=full,
        )

    return render


def _json(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.json_report import render_json

    return render_json(findings)


def _json_lines(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.json_report import render_json_lines

    return render_json_lines(findings)


def _sarif(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.sarif import render_sarif

    return render_sarif(findings, root=context.root, not_analysed=context.not_analysed)


def _github(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.github import render_github

    return render_github(findings, root=context.root)


def _gitlab(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.gitlab import render_gitlab

    return render_gitlab(findings, root=context.root)


def _junit(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.junit import render_junit

    return render_junit(findings, root=context.root, files_checked=context.files_checked)


def _pylint(findings: Sequence[Finding], context: ReportContext) -> str:
    from vetpy.report.pylint import render_pylint

    return render_pylint(findings)


RENDERERS: dict[str, Callable[[Sequence[Finding], ReportContext], str]] = {
    "text": _text(full=False),  # the name of concise before --output-format had full
    "concise": _text(full=False),
    "full": _text(full=True),
    "json": _json,
    "json-lines": _json_lines,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
    "junit": _junit,
    "pylint": _pylint,
}
FORMATS = tuple(RENDERERS)
HUMAN_FORMATS = frozenset({"text", "concise", "full"})  # colour, headers and --quiet apply to these


def render(fmt: str, findings: Sequence[Finding], context: ReportContext) -> str:
    return RENDERERS[fmt](findings, context)


_RENDER_FUNCTIONS = {"render_json": "json_report", "render_sarif": "sarif", "render_text": "text"}


def __getattr__(name: str) -> object:
    """``from vetpy.report import render_json`` (and sarif, text): the format modules are imported on use."""
    if name in _RENDER_FUNCTIONS:
        import importlib

        return getattr(importlib.import_module(f"vetpy.report.{_RENDER_FUNCTIONS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FORMATS", "HUMAN_FORMATS", "RENDERERS", "ReportContext", "render", "render_json", "render_sarif", "render_text"]
