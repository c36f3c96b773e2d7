"""Every fix of every rule, applied and checked again (issue 23 item 6, issue 14 item 3).

Specification: for every finding with fixes over ``fixtures/`` (the engine as ``vetpy check``
runs it, against the test environment), each fix applied to the file gives text that parses,
no longer carries that finding, and carries no finding the file did not have before (a fix that
would introduce one, or name something the target environment lacks, is not offered: e.g. no
`from xml import etree` for a missing `lxml`, no `dump(obj)` for `json.dumsp(obj)`, no
`except Exception: pass` for a bare `except: pass`).
"""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

from test_golden import REPO, context_for, python_files
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.files import read_source
from vetpy.findings import apply_edits

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

FILES = [p for tree in ("fixtures",) for p in python_files(tree)]


def key(finding) -> tuple[str, str]:  # noqa: ANN001 - Finding
    return finding.code, finding.message


def fix_problems(path: Path, ctx, text: str, before: list, finding, fix) -> list[str]:  # noqa: ANN001
    """What is wrong with ``fix`` of ``finding`` (one of ``before``, the findings of ``text``),
    applied alone to ``text``: it does not parse, leaves the finding, or introduces another."""
    counts = collections.Counter(key(f) for f in before)
    fixed = apply_edits(text, list(fix.edits))
    try:
        ast.parse(fixed)
    except SyntaxError as exc:
        return [f"{finding.code} line {finding.line} {fix.title!r}: does not parse ({exc.msg})"]
    problems = []
    after = collections.Counter(key(f) for f in analyze(Document(path=str(path), text=fixed), ctx))
    if after[key(finding)] >= counts[key(finding)]:
        problems.append(f"{finding.code} line {finding.line} {fix.title!r}: the finding is still there")
    for code, message in after - counts:
        problems.append(f"{finding.code} line {finding.line} {fix.title!r}: introduces {code} {message}")
    return problems


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(REPO)) for p in FILES])
def test_every_fix_parses_removes_its_finding_and_adds_none(path: Path) -> None:
    ctx = context_for(path)
    try:
        text = read_source(path, ctx.config.max_file_size)
    except ValueError:  # unreadable (fixtures/rules/SYN002): reported by SYN002, which has no fix
        pytest.skip("not readable as source: nothing to fix")
    before = analyze(Document(path=str(path), text=text), ctx)
    problems = []
    for finding in before:
        for fix in finding.fixes:
            problems += fix_problems(path, ctx, text, before, finding, fix)
    assert problems == []
