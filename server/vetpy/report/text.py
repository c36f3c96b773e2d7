"""``path:line:col: CODE message`` lines and a summary."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from vetpy.findings import Finding
from vetpy.terminal import printable


def render_text(
    findings: Sequence[Finding], header: Sequence[str] = (), files_checked: int = 0, color: bool = False, fixed: int = 0
) -> str:
    lines = [f"# {h}" for h in header]
    for f in findings:
        code = f"\x1b[1;31m{f.code}\x1b[0m" if color and f.severity.value == "error" else f.code
        fixable = " [*]" if any(fx.safe for fx in f.fixes) else ""
        lines.append(f"{printable(f.path)}:{f.line}:{f.column}: {code}{fixable} {printable(f.message)}")
    lines.append(summary(findings, files_checked, fixed))
    return "\n".join(lines) + "\n"


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
    if fixable:
        text += f" {fixable} with a safe fix [*] (vetpy check --fix applies them)."
    return text
