"""The reports for people: ``concise`` (``text``), one ``path:line:col: CODE message`` line per
finding, and ``full``, which adds the source lines with the finding underlined and the fixes on
offer.  A header naming the environment comes first and a summary last (not with ``--quiet``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

from vetpy.findings import Finding
from vetpy.terminal import printable

# ANSI styles (only when the caller asks for colour: a terminal, FORCE_COLOR or --color always)
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY_STYLE = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m", "hint": "\x1b[1;36m"}
_FIXABLE = "\x1b[32m"
CONTEXT_LINES = 1  # source lines shown around a finding by ``full``


def render_text(
    findings: Sequence[Finding],
    header: Sequence[str] = (),
    files_checked: int = 0,
    color: bool = False,
    fixed: int = 0,
    quiet: bool = False,
    full: bool = False,
) -> str:
    lines = [] if quiet else [_style(f"# {printable(h)}", _DIM, color) for h in header]
    sources: dict[str, list[str] | None] = {}
    for f in findings:
        lines.append(_line(f, color))
        if full:
            lines.extend(_frame(f, sources, color))
    if not quiet:
        lines.append(summary(findings, files_checked, fixed))
    return "\n".join(lines) + "\n" if lines else ""


def _style(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _line(f: Finding, color: bool) -> str:
    code = _style(f.code, _SEVERITY_STYLE.get(f.severity.value, _BOLD), color)
    fixable = " " + _style("[*]", _FIXABLE, color) if any(fx.safe for fx in f.fixes) else ""
    where = _style(f"{printable(f.path)}:{f.line}:{f.column}:", _BOLD, color)
    return f"{where} {code}{fixable} {printable(f.message)}"


def _frame(f: Finding, sources: dict[str, list[str] | None], color: bool) -> list[str]:
    """The finding's lines (and one around them) with the range underlined, then its fixes."""
    if f.path not in sources:
        try:
            sources[f.path] = Path(f.path).read_text(encoding="utf-8", errors="replace").splitlines()
        except (OSError, ValueError):
            sources[f.path] = None
    text = sources[f.path]
    out: list[str] = []
    if text and 1 <= f.line <= len(text):
        first, last = max(1, f.line - CONTEXT_LINES), min(len(text), max(f.end_line, f.line) + CONTEXT_LINES)
        width = len(str(last))
        gutter = " " * width + " |"
        out.append(_style(gutter, _DIM, color))
        for number in range(first, last + 1):
            source = printable(text[number - 1].expandtabs(4))
            out.append(_style(f"{number:>{width}} |", _DIM, color) + (f" {source}" if source else ""))
            if f.line <= number <= max(f.end_line, f.line):
                start = f.column if number == f.line else 1
                end = f.end_column if number == f.end_line else len(text[number - 1]) + 1
                marks = "^" * max(1, end - start)
                out.append(_style(gutter, _DIM, color) + " " + " " * (start - 1)
                           + _style(marks, _SEVERITY_STYLE.get(f.severity.value, _BOLD), color))
        out.append(_style(gutter, _DIM, color))
    for fix in f.fixes:
        kind = "safe fix" if fix.safe else "unsafe fix"
        out.append(f"{' ' * 2}= help: {printable(fix.title)} ({kind})")
    if out:
        out.append("")
    return out


def summary(findings: Sequence[Finding], files_checked: int, fixed: int = 0) -> str:
    files = f"{files_checked} file{'s' if files_checked != 1 else ''} checked"
    if fixed:
        total = fixed + len(findings)
        return f"Found {total} finding{'s' if total != 1 else ''} ({fixed} fixed, {len(findings)} remaining) in {files}."
    if not findings:
        # "passed" only when something was checked: an empty run is no success to report
        return f"All checks passed ({files})." if files_checked else "No Python files checked."
    by_sev = Counter(f.severity.value for f in findings)
    parts = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(by_sev.items()))
    fixable = sum(1 for f in findings if any(fx.safe for fx in f.fixes))
    text = f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts}) in {files}."
    unsafe = sum(1 for f in findings if f.fixes and not any(fx.safe for fx in f.fixes))
    if fixable:
        text += f" {fixable} with a safe fix [*] (vetpy check --fix applies them)."
    if unsafe:
        text += f" {unsafe} with an unsafe fix (review vetpy check --diff --unsafe-fixes)."
    return text
