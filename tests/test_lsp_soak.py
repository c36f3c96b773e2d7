"""A short soak (the CI version of benchmarks/lsp_soak.py): 1,000 edits across 10 files.

Asserts memory and resources, never time: the number of subprocesses and of the server's open
file descriptors does not grow, and resident memory grows by less than a generous bound.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RealFile, fmt, real_workload, soak  # noqa: E402

import pytest

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

RSS_GROWTH_BOUND_MB = 40.0


def test_short_soak(tmp_path: Path) -> None:
    root = S.new_project(tmp_path)
    rows = soak(edits=1000, files=10, every=100, root=root, cache=tmp_path / "vetpy-cache")
    print("\n" + "\n".join(fmt(r) for r in rows))
    warm = rows[1]  # after the first 100 edits: caches and the worker are up
    assert rows[-1].edits == 1000
    assert max(r.workers for r in rows[1:]) <= warm.workers
    assert max(r.fds for r in rows[1:]) <= warm.fds + 2  # a pipe being set up may be caught mid-flight
    assert rows[-1].server_mb - warm.server_mb < RSS_GROWTH_BOUND_MB


def test_real_file_edits_change_line_counts_and_stay_valid(tmp_path: Path) -> None:
    """The --real workload's edits: four in five change the number of lines, the others put a
    hallucinated attribute into a call or take it out; every version of every file parses."""
    for name in real_workload(tmp_path):
        f = RealFile((tmp_path / name).read_text(encoding="utf-8"))
        counts, hallucinated = [len(f.lines)], 0
        for step in range(1, 101):
            f.edit(step)
            ast.parse(f.text())
            counts.append(len(f.lines))
            hallucinated += f.hallucinated is not None
        changed = sum(a != b for a, b in zip(counts, counts[1:]))
        assert changed == 80, name
        assert hallucinated > 0, name
