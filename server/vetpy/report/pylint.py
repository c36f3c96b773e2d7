"""pylint's parseable format, ``path:line: [CODE(rule)] message``, for tools that read it."""

from __future__ import annotations

from typing import Sequence

from vetpy.findings import Finding
from vetpy.terminal import printable


def render_pylint(findings: Sequence[Finding]) -> str:
    return "".join(f"{printable(f.path)}:{f.line}: [{f.code}({f.rule})] {printable(f.message)}\n" for f in findings)
