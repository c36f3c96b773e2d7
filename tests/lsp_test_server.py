"""`vetpy serve` with two test-only checkers, for behaviours no shipped rule exercises yet:

EDGE990 flags the name `old_name` and offers a SAFE fix to `new_name` (source.fixAll);
EDGE991's checker always raises (an error in one rule must be logged, never shown as a pop-up,
and must not hide the other rules' findings).
"""

from __future__ import annotations

import ast
import sys
from typing import Iterable

from vetpy import codes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules import load_all
from vetpy.rules.registry import REGISTRY, rule

load_all()

# every rule code is in the static code table; these two exist only in this test server
codes.CODES.update({"EDGE990": "test-safe-fix", "EDGE991": "test-broken-checker"})

SAFE_FIX = rule(
    code="EDGE990", name="test-safe-fix", family="EDGE", severity=Severity.WARNING,
    summary="test rule", rationale="test rule", bad="old_name = 1", good="new_name = 1",
    fix_safety=FixSafety.SAFE,
)
BROKEN = rule(
    code="EDGE991", name="test-broken-checker", family="EDGE", severity=Severity.WARNING,
    summary="test rule", rationale="test rule", bad="", good="",
)


@REGISTRY.checker("EDGE990")
def flag_old_name(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    for node in doc.walk():
        if isinstance(node, ast.Name) and node.id == "old_name":
            fix = Fix("Replace with `new_name`", (doc.replace_node(node, "new_name"),), safe=True, preferred=True)
            yield SAFE_FIX.finding(doc, node, "`old_name` is deprecated", [fix])


@REGISTRY.checker("EDGE991")
def always_fails(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    raise RuntimeError("boom from the test checker")


if __name__ == "__main__":
    from vetpy.lsp.server import run_server

    sys.exit(run_server())
