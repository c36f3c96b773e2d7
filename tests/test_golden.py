"""Golden findings: every finding of the engine over ``fixtures/`` and the project's own sources.

Each finding (path, code, range, message, and every fix's title, safety and edits) is recorded,
one JSON object per line, in ``tests/golden/<tree>.jsonl`` and compared on every run.  The engine
runs as ``vetpy check`` does: each file with the context of its project root (its
``pyproject.toml``; the interpreter found by discovery, the test environment), all rules, every
suppression and per-file ignore honoured, and also (``*-unsuppressed``) with no suppression at
all, so that the project's own code, which is kept free of findings, still pins what every rule
says about 17k lines of real code (for ``server`` and ``tests`` without lines and columns, which
every edit of those files would move).

Machine-dependent text is normalised: the repository's path, the interpreter's path and the
versions of installed distributions named in a message.

Regenerate only on purpose, and review the diff: ``VETPY_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py``.  A refactoring must leave these files unchanged.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from vetpy.config import project_root
from vetpy.document import Document
from vetpy.engine import analyze, enabled_codes, run_checkers
from vetpy.files import read_source
from vetpy.findings import Finding
from vetpy.project import build_context

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("VETPY_UPDATE_GOLDEN") == "1"
TREES = ["fixtures", "server", "tests"]
_SKIP_PARTS = {"golden", "__pycache__"}


def python_files(tree: str) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(REPO / tree):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_PARTS and not d.startswith("."))
        out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    return out


class Normaliser:
    def __init__(self) -> None:
        self.replacements: list[tuple[str, str]] = []
        for path, name in [(sys.prefix, "<venv>"), (sys.base_prefix, "<python-home>"), (str(REPO), "<repo>")]:
            real = os.path.realpath(path)
            self.replacements += [(real, name), (path, name)]
        self.replacements.sort(key=lambda kv: -len(kv[0]))

        # installed versions drift with the day's releases: keep the name, not the number
        from importlib.metadata import distributions

        names = sorted({d.metadata["Name"] for d in distributions() if d.metadata["Name"]}, key=len, reverse=True)
        self.versioned = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")`? (\d[\w.+!-]*\w)")

    def text(self, value: str) -> str:
        for old, new in self.replacements:
            value = value.replace(old, new)
        return self.versioned.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + "<version>", value)


def record(finding: Finding, norm: Normaliser, positions: bool = True) -> dict:
    """One finding as recorded; without ``positions`` (the project's own sources, which change
    all the time) the lines and columns are left out, so that only what is found is pinned."""
    if not positions:
        return {"path": os.path.relpath(finding.path, REPO), "code": finding.code, "message": norm.text(finding.message),
                "fixes": [norm.text(fix.title) for fix in finding.fixes]}
    return {
        "path": os.path.relpath(finding.path, REPO),
        "code": finding.code,
        "range": [finding.line, finding.column, finding.end_line, finding.end_column],
        "message": norm.text(finding.message),
        "fixes": [
            {
                "title": norm.text(fix.title),
                "safe": fix.safe,
                "preferred": fix.preferred,
                "edits": [[e.line, e.column, e.end_line, e.end_column, e.new_text] for e in fix.edits],
            }
            for fix in finding.fixes
        ],
    }


_CONTEXTS: dict[Path, object] = {}


def context_for(path: Path):  # noqa: ANN201 - AnalysisContext
    root = project_root(path.parent)
    if root not in _CONTEXTS:
        _CONTEXTS[root] = build_context(root).ctx
    return _CONTEXTS[root]


def findings_of(tree: str, suppressed: bool) -> list[str]:
    norm = Normaliser()
    lines = []
    for path in python_files(tree):
        ctx = context_for(path)
        try:
            text = read_source(path, ctx.config.max_file_size)
        except ValueError:
            continue
        doc = Document(path=str(path), text=text)
        if suppressed:
            found = analyze(doc, ctx)
        else:
            bare = replace(ctx, config=replace(ctx.config, per_file_ignores={}, ignore=[]))
            codes = enabled_codes(bare, str(path))
            raw, _ = run_checkers(doc, bare, codes)
            found = list(raw)
        positions = tree == "fixtures"
        lines += [json.dumps(record(f, norm, positions), sort_keys=True) for f in sorted(found, key=lambda f: f.sort_key)]
    return lines


@pytest.mark.parametrize("suppressed", [True, False], ids=["as-configured", "unsuppressed"])
@pytest.mark.parametrize("tree", TREES)
def test_golden_findings(tree: str, suppressed: bool) -> None:
    name = f"{tree}.jsonl" if suppressed else f"{tree}-unsuppressed.jsonl"
    golden = GOLDEN / name
    lines = findings_of(tree, suppressed)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text("".join(line + "\n" for line in lines))
    expected = golden.read_text().splitlines()
    if lines != expected:
        added = sorted(set(lines) - set(expected))[:10]
        removed = sorted(set(expected) - set(lines))[:10]
        pytest.fail(
            f"{name}: the findings changed ({len(expected)} recorded, {len(lines)} now).\n"
            "new:\n  " + "\n  ".join(added) + "\ngone:\n  " + "\n  ".join(removed)
            + "\nIf this is on purpose: VETPY_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, and review the diff."
        )
