"""GitLab Code Quality report (a JSON list; ``artifacts: reports: codequality``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from vetpy.baseline import fingerprints, relative_path
from vetpy.findings import Finding, Severity

# GitLab's severities: info, minor, major, critical, blocker
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info", Severity.HINT: "info"}


def render_gitlab(findings: Sequence[Finding], root: Path) -> str:
    prints = fingerprints(findings, root)
    items = [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.rule}",
            "fingerprint": prints[i],
            "severity": _SEVERITY[f.severity],
            "location": {
                "path": relative_path(f.path, root),
                "positions": {
                    "begin": {"line": f.line, "column": f.column},
                    "end": {"line": max(f.end_line, f.line), "column": f.end_column},
                },
            },
        }
        for i, f in enumerate(findings)
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
