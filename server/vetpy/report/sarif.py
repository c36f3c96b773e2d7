"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Sequence

from vetpy import __version__
from vetpy.findings import Finding, Severity
from vetpy.rules import REGISTRY, load_all

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


def _uri(path: str, root: Path | None) -> str:
    p = Path(path)
    if root is not None:
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return p.as_posix()


def sarif_rules() -> list[dict[str, Any]]:
    load_all()
    rules = []
    for r in REGISTRY.sorted_rules():
        entry: dict[str, Any] = {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": " ".join(r.rationale.split())},
            "helpUri": r.help_uri,
            "help": {"text": r.documentation()},
            "defaultConfiguration": {"level": _LEVELS[r.severity]},
            "properties": {"tags": [r.family] + [f"external/cwe/cwe-{c}" for c in r.cwe]},
        }
        if r.family == "SEC":
            entry["properties"]["tags"].append("security")
        rules.append(entry)
    return rules


def fingerprint(f: Finding, snippet: str = "") -> str:
    basis = f"{f.code}|{Path(f.path).as_posix()}|{' '.join(snippet.split())}|{f.message}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def render_sarif(findings: Sequence[Finding], root: Path | None = None, snippets: dict[int, str] | None = None) -> str:
    rules = sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for n, f in enumerate(findings):
        uri = _uri(f.path, root)
        region = {
            "startLine": f.line,
            "startColumn": f.column,
            "endLine": f.end_line,
            "endColumn": max(f.end_column, 1),
        }
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
            "partialFingerprints": {"vetpyFingerprint/v1": fingerprint(f, (snippets or {}).get(n, ""))},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.fixes:
            result["fixes"] = [
                {
                    "description": {"text": fx.title},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": uri},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": e.line,
                                        "startColumn": e.column,
                                        "endLine": e.end_line,
                                        "endColumn": e.end_column,
                                    },
                                    "insertedContent": {"text": e.new_text},
                                }
                                for e in fx.edits
                            ],
                        }
                    ],
                }
                for fx in f.fixes
            ]
        if f.cwe:
            result["properties"] = {"cwe": [f"CWE-{c}" for c in f.cwe]}
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vetpy",
                        "version": __version__,
                        "informationUri": "https://github.com/vetpy/vetpy",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
