"""Re-checking a module after an edit of another module it reads, in a process that keeps what it
worked out (the language server's project services, with their process-wide memos), gives what a
fresh whole check gives.

Specification (property, hypothesis): a project of modules that read other modules of the project
-- a callee whose findings depend on a view's base class in a third module (``callers_into``, with
``self.sort_key()`` of ``base.py``), a helper that blocks through ``deps.py``'s session factory
(EDGE013 at an async view), a module star-importing ``b.py`` whose names another module imports
(HAL002) -- takes any sequence of edits of the modules read (each written to disk and saved as the
editor saves it: the project's facts read again, its module names forgotten); after each, every
reading module's findings under the long-lived context equal those of a new context.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import context_for, write

from vetpy.document import Document
from vetpy.engine import analyze
from test_kept_reads import ASYNC_VIEWS, DB, DEPS, HELPERS, OTHER_DEPS, SAFE_BASE, TAINTED_BASE, VIEWS

READERS = ("app/db.py", "app/views.py", "app/aviews.py", "app/helpers.py", "app/c.py", "app/a.py")
START = {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/db.py": DB, "app/base.py": SAFE_BASE,
         "app/views.py": VIEWS, "app/deps.py": DEPS, "app/helpers.py": HELPERS, "app/aviews.py": ASYNC_VIEWS,
         "app/a.py": "from app.b import *\n", "app/b.py": "def foo():\n    pass\n", "app/c.py": "from app.a import foo, bar\n"}
EDITS = st.sampled_from([
    ("app/base.py", SAFE_BASE),
    ("app/base.py", TAINTED_BASE),
    ("app/base.py", TAINTED_BASE.replace("request.args", "int(request.args").replace('["sort"]', '["sort"])')),
    ("app/deps.py", DEPS),
    ("app/deps.py", OTHER_DEPS),
    ("app/b.py", "def foo():\n    pass\n"),
    ("app/b.py", "def bar():\n    pass\n"),
    ("app/b.py", "def foo():\n    pass\n\n\ndef bar():\n    pass\n"),
])


def _findings(root: Path, ctx) -> dict[str, list[tuple]]:
    out = {}
    for rel in READERS:
        path = root / rel
        found = analyze(Document(path=str(path), text=path.read_text(encoding="utf-8")), replace(ctx))
        out[rel] = sorted((f.line, f.column, f.code, f.message) for f in found)
    return out


def _save(root: Path, ctx, rel: str, text: str) -> None:
    """Write ``text`` (a new stamp each time) and do what the language server does on a save."""
    path = root / rel
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    if ctx.first_party is not None:
        ctx.first_party = ctx.first_party.read_again([path])  # vetpy.lsp.projects.Projects.read_own_code_again
    if ctx.resolver is not None:
        ctx.resolver.forget_project_files()


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, min_size=1, max_size=3))
def test_a_recheck_after_edits_of_other_modules_equals_a_fresh_check(tmp_path_factory, edits):
    root = write(tmp_path_factory.mktemp("proj"), START)
    ctx = context_for(root)
    _findings(root, ctx)  # warm: what the process keeps
    for rel, text in edits:
        _save(root, ctx, rel, text)
        assert _findings(root, ctx) == _findings(root, context_for(root)), (rel, text)


def test_the_edits_change_the_readers_findings(tmp_path):
    """The edits above are not idle: a fresh check tells five projects apart (the start; the base
    returning request input; the session factory that is none; ``b.py`` without ``foo``; with
    both names) -- ``int(request.args[...])`` and the start's own texts give the start's."""
    seen = set()
    for i, (rel, text) in enumerate(EDITS.wrapped_strategy.elements if hasattr(EDITS, "wrapped_strategy") else EDITS.elements):
        root = write(tmp_path / str(i), {**START, rel: text})
        seen.add(repr(_findings(root, context_for(root))))
    assert len(seen) == 5
