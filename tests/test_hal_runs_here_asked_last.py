"""HAL003/HAL004 ask whether an attribute or a call runs on the target (a platform or version
branch, the fallback of a ``hasattr`` probe, a type-test branch) only of what they would report
(issue #17: asked of every attribute and call, each walking up the tree, it was a tenth of a
cold whole-project check).

Spec: an attribute the target has and a call it accepts are never asked about; a missing
attribute under ``if sys.platform == "win32":`` is asked about and stays silent; a missing one
elsewhere is asked about and reported."""

from __future__ import annotations

import sys
from pathlib import Path

from test_hal_support import hal_context
from vetpy.engine import check_source
from vetpy.rules.hal import attributes

CODE = """\
import os
import sys

print(os.getcwd(), os.path.join("a", "b"))
if sys.platform == "win32":
    os.startfile("x")
os.no_such_thing
"""


def test_whether_code_runs_here_is_asked_only_of_what_would_be_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    root.mkdir()
    ctx = hal_context(root, Path(sys.executable))
    asked: list[int] = []
    real = attributes.runs_only_elsewhere

    def counted(node, *args):  # noqa: ANN001, ANN202
        asked.append(node.lineno)
        return real(node, *args)

    monkeypatch.setattr(attributes, "runs_only_elsewhere", counted)
    try:
        found = [f for f in check_source(CODE, str(root / "m.py"), ctx) if f.code.startswith("HAL")]
    finally:
        ctx.members.close()
    assert [(f.code, f.line) for f in found] == [("HAL003", 7)]
    assert sorted(asked) == [6, 7]
