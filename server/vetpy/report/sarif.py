"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others).

What GitHub code scanning reads: ``tool.driver.rules`` (id, name, short and full description,
help URI and markdown help, default level, tags with ``security`` and ``external/cwe/cwe-N``,
``security-severity`` for security rules), results with a level, a message, one physical
location whose URI is relative to ``%SRCROOT%`` (the repository root), ``partialFingerprints``
(stable across line moves: see :mod:`vetpy.baseline`) and fixes.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from vetpy import __version__
from vetpy.baseline import fingerprints, relative_path
from vetpy.findings import Finding, Severity
from vetpy.rules import REGISTRY, load_all
from vetpy.rules.registry import Rule

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "vetpyFingerprint/v1"
INFORMATION_URI = "https://github.com/vetpy/vetpy"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
# GitHub ranks security alerts by ``security-severity`` (CVSS-like 0.0-10.0): derived from the
# rule's default severity (high, medium, low).
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "3.0", Severity.HINT: "2.0"}
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation", Severity.HINT: "recommendation"}


def _uri(path: str, root: Path | None) -> str:
    posix = relative_path(path, root, allow_parent=False) if root is not None else Path(path).as_posix()
    # percent-encode the file name's own bytes: a name that is not valid UTF-8 (a lone surrogate
    # after the file system decoding) keeps its bytes instead of failing
    if Path(posix).is_absolute():
        return "file://" + quote(os.fsencode(posix), safe="/")
    return quote(os.fsencode(posix), safe="/")


def _markdown_help(r: Rule) -> str:
    parts = [f"**{r.code} {r.name}**: {r.summary}", "", " ".join(r.rationale.split())]
    if r.question:
        parts += ["", f"*Question:* {r.question}"]
    if r.cwe:
        parts += ["", "CWE: " + ", ".join(f"[CWE-{c}](https://cwe.mitre.org/data/definitions/{c}.html)" for c in r.cwe)]
    if r.needs:
        parts += ["", f"Examples need: {r.needs}"]
    for title, code in (("Bad", r.bad), ("Good", r.good)):
        parts += ["", f"{title}:", "", "```python", textwrap.dedent(code).strip("\n"), "```"]
    parts += ["", f"Fix: {r.fix_safety.value}. Documentation: {r.help_uri}"]
    return "\n".join(parts)


def sarif_rule(r: Rule) -> dict[str, Any]:
    tags = [r.family] + [f"external/cwe/cwe-{c}" for c in r.cwe]
    properties: dict[str, Any] = {"tags": tags, "problem.severity": _PROBLEM_SEVERITY[r.severity]}
    if r.family == "SEC":
        tags.insert(0, "security")
        properties["security-severity"] = _SECURITY_SEVERITY[r.severity]
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": " ".join(r.rationale.split())},
        "helpUri": r.help_uri,
        "help": {"text": r.documentation(), "markdown": _markdown_help(r)},
        "defaultConfiguration": {"level": _LEVELS[r.severity]},
        "properties": properties,
    }


def sarif_rules() -> list[dict[str, Any]]:
    load_all()
    return [sarif_rule(r) for r in REGISTRY.sorted_rules()]


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": max(end_line, line), "endColumn": max(end_column, 1)}


def _fix(fx: Any, location: dict[str, str]) -> dict[str, Any]:
    return {
        "description": {"text": fx.title},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [
                    {
                        "deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
                        "insertedContent": {"text": e.new_text},
                    }
                    for e in fx.edits
                ],
            }
        ],
    }


def render_sarif(findings: Sequence[Finding], root: Path | None = None, not_analysed: Sequence[tuple[str, str]] = ()) -> str:
    """The SARIF log for ``findings``; URIs are relative to ``root`` (the repository root).
    ``not_analysed``: (path, why) of files whose analysis was stopped: the invocation did not
    succeed, and says which files in its notifications."""
    rules = sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    prints = fingerprints(findings, root or Path.cwd())
    results = []
    for f, fp in zip(findings, prints):
        location = _artifact(f.path, root)
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": location, "region": _region(f.line, f.column, f.end_line, f.end_column)}}
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        fixes = [fx for fx in f.fixes if fx.edits]
        if fixes:
            result["fixes"] = [_fix(fx, location) for fx in fixes]
        if f.cwe:
            result["properties"] = {"cwe": [f"CWE-{c}" for c in f.cwe]}
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "vetpy",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [_invocation(not_analysed, root)],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(root).resolve().as_uri().rstrip("/") + "/"}}
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _artifact(path: str, root: Path | None) -> dict[str, str]:
    """A SARIF artifactLocation: relative to the source root when it can be."""
    location = {"uri": _uri(path, root)}
    if root is not None and not location["uri"].startswith("file:"):
        location["uriBaseId"] = SRCROOT
    return location


def _invocation(not_analysed: Sequence[tuple[str, str]], root: Path | None) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not not_analysed}
    if not_analysed:
        notes = []
        for path, why in not_analysed:
            notes.append({"level": "error", "message": {"text": f"{path} not analysed: {why}"},
                          "locations": [{"physicalLocation": {"artifactLocation": _artifact(path, root)}}]})
        invocation["toolExecutionNotifications"] = notes
    return invocation
