"""GitHub Actions workflow commands: ``::error file=...,line=...::message``, one per finding, which
the Actions log turns into annotations on the pull request's diff."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from vetpy.baseline import relative_path
from vetpy.findings import Finding, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}


def _data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], root: Path) -> str:
    lines = []
    for f in findings:
        path = relative_path(f.path, root)
        props = (
            f"file={_property(path)},line={f.line},col={f.column},"
            f"endLine={max(f.end_line, f.line)},endColumn={f.end_column},title={_property(f'vetpy ({f.code})')}"
        )
        lines.append(f"::{_LEVEL[f.severity]} {props}::{_data(f'{path}:{f.line}:{f.column}: {f.code} {f.message}')}")
    return "".join(line + "\n" for line in lines)
