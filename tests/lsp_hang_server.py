"""`vetpy serve` with a test-only checker that hangs (for tests/test_lsp_budget.py).

EDGE992's checker loops for ever in Python code on a document that contains ``HANG_FOREVER``: an
engine bug, as far as the server can tell.  Before it loops it waits, inside a region the budget
does not interrupt (:func:`vetpy.deadline.protected`, what a question to the introspection worker
is), until the file named by ``VETPY_TEST_RELEASE`` exists, having created the file named by
``VETPY_TEST_SPINNING``: the test knows the analysis is under way and can show that other
documents are analysed meanwhile.  Only such a version's budget is shortened (to
``VETPY_TEST_ALLOWED`` seconds); every other analysis keeps the project's ``analysis-timeout``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Iterable

from vetpy import codes, deadline
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.lsp import analysis
from vetpy.rules import load_all
from vetpy.rules.registry import REGISTRY, rule

load_all()
codes.CODES.update({"EDGE992": "test-hanging-checker"})
HANGING = rule(
    code="EDGE992", name="test-hanging-checker", family="EDGE", severity=Severity.WARNING,
    summary="test rule", rationale="test rule", bad="", good="",
)
MARK = "HANG_FOREVER"
SPINNING = Path(os.environ["VETPY_TEST_SPINNING"])
RELEASE = Path(os.environ["VETPY_TEST_RELEASE"])
ALLOWED = float(os.environ["VETPY_TEST_ALLOWED"])
LIMIT = 600.0  # seconds: only ends the loop of a server without a budget (the test fails then)


def _spin() -> None:
    end = time.monotonic() + LIMIT
    with deadline.protected():
        SPINNING.write_text(str(int(SPINNING.read_text() or 0) + 1) if SPINNING.exists() else "1")
        while not RELEASE.exists() and time.monotonic() < end:
            time.sleep(0.01)
    while time.monotonic() < end:  # stopped here by the budget, long past
        pass


@REGISTRY.checker("EDGE992")
def hang(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    if MARK in doc.text:
        _spin()
    return ()


_budget = analysis.budget
analysis.budget = lambda snap, seconds: ALLOWED if MARK in snap.text else _budget(snap, seconds)

if __name__ == "__main__":
    from vetpy.lsp.server import run_server

    sys.exit(run_server())
