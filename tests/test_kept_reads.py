"""What a rule works out from another module of the project and keeps across analyses in the
process is kept per version of everything it read, not per version of that module's file alone
(vetpy.reads.Kept): the calls a view module makes into other modules (vetpy.rules.sec.callers_into),
and whether a project helper blocks (vetpy.rules.edge.blocking_calls, EDGE013).

Specification (session 37, issue: a result computed before an edit of a base class's module was
served after it):

- a view's ``self.sort_key()`` is request input when its base class (in a third module of the
  project) returns request input there; editing that base module -- the view's file untouched --
  changes the callee's findings on the next analysis in the same process (same context: the CLI's
  ``--watch`` and the editor's project services);
- the other way round too (the base stops returning request input: the finding goes);
- an analysis that reuses the kept calls notes the same reads as the one that computed them
  (the result cache re-checks the callee when the base module changes);
- a helper of ``helpers.py`` blocks through ``SessionLocal`` of ``deps.py``: editing ``deps.py`` so
  that it is no synchronous ``sessionmaker`` any more silences EDGE013 at the coroutine's call on
  the next analysis, and an analysis that reuses the helper's summary notes ``deps.py`` as a read.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import check_file, context_for, write

from vetpy import reads
from vetpy.document import Document
from vetpy.engine import analyze

DB = """\
import sqlite3


def search(sort):
    return sqlite3.connect("x").execute("SELECT * FROM t ORDER BY " + sort)
"""

SAFE_BASE = """\
from flask import request
from flask.views import MethodView


class BaseView(MethodView):
    def sort_key(self):
        return "name"
"""

TAINTED_BASE = SAFE_BASE.replace('return "name"', 'return request.args["sort"]')

VIEWS = """\
from flask import Flask

from app import db
from app.base import BaseView

app = Flask(__name__)


class Items(BaseView):
    def get(self):
        return str(db.search(self.sort_key()))


app.add_url_rule("/items", view_func=Items.as_view("items"))
"""


def _project(root: Path, base: str) -> Path:
    return write(root, {"app/__init__.py": "", "app/db.py": DB, "app/base.py": base, "app/views.py": VIEWS})


def _rewrite(path: Path, text: str) -> None:
    """Write ``text`` with a modification time no earlier write had (the stamp changes)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def _sql(root: Path, ctx) -> list[int]:
    return [f.line for f in check_file(root, "app/db.py", ctx) if f.code == "SEC001"]


def test_the_base_module_is_what_makes_the_view_pass_request_input(tmp_path):
    assert _sql(_project(tmp_path / "a", TAINTED_BASE), None) == [5]
    assert _sql(_project(tmp_path / "b", SAFE_BASE), None) == []


def test_editing_the_base_module_changes_the_callees_findings(tmp_path):
    root = _project(tmp_path, SAFE_BASE)
    ctx = context_for(root)
    assert _sql(root, ctx) == []
    _rewrite(root / "app" / "base.py", TAINTED_BASE)
    assert _sql(root, ctx) == [5]  # the view's file did not change; what it calls with did
    _rewrite(root / "app" / "base.py", SAFE_BASE)
    assert _sql(root, ctx) == []


def test_a_reused_reading_notes_the_base_module_as_a_read(tmp_path):
    root = _project(tmp_path, TAINTED_BASE)
    ctx = context_for(root)
    base = str(root / "app" / "base.py")
    for _ in range(2):  # the second analysis finds the view's calls kept
        path = root / "app" / "db.py"
        with reads.recording() as used:
            found = analyze(Document(path=str(path), text=path.read_text(encoding="utf-8")), ctx)
        assert [f.line for f in found if f.code == "SEC001"] == [5]
        assert base in used.flat().files


DEPS = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite://"))
"""

OTHER_DEPS = DEPS.replace("sessionmaker(bind=", "make_factory(")

HELPERS = """\
from sqlalchemy import text

from app.deps import SessionLocal


def mark_paid(number):
    with SessionLocal() as session:
        session.execute(text("UPDATE invoices SET paid = 1 WHERE number = :n"), {"n": number})
"""

ASYNC_VIEWS = """\
from fastapi import FastAPI

from app import helpers

app = FastAPI()


@app.post("/paid/{number}")
async def paid(number: str):
    helpers.mark_paid(number)
"""


def _blocking(root: Path, ctx, rel: str = "app/views.py") -> list[int]:
    return [f.line for f in check_file(root, rel, ctx) if f.code == "EDGE013"]


def _helpers_project(root: Path, deps: str) -> Path:
    files = {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/deps.py": deps,
             "app/helpers.py": HELPERS, "app/views.py": ASYNC_VIEWS, "app/views2.py": ASYNC_VIEWS}
    return write(root, files)


def test_the_deps_module_is_what_makes_the_helper_block(tmp_path):
    assert _blocking(_helpers_project(tmp_path / "a", DEPS), None) == [10]
    assert _blocking(_helpers_project(tmp_path / "b", OTHER_DEPS), None) == []


def test_editing_the_deps_module_changes_whether_the_helper_blocks(tmp_path):
    root = _helpers_project(tmp_path, DEPS)
    ctx = context_for(root)
    assert _blocking(root, ctx) == [10]
    _rewrite(root / "app" / "deps.py", OTHER_DEPS)
    assert _blocking(root, ctx) == []  # neither the view's file nor the helper's changed
    _rewrite(root / "app" / "deps.py", DEPS)
    assert _blocking(root, ctx) == [10]


def test_a_reused_helper_summary_notes_the_deps_module_as_a_read(tmp_path):
    root = _helpers_project(tmp_path, DEPS)
    ctx = context_for(root)
    deps = str(root / "app" / "deps.py")
    for rel in ("app/views.py", "app/views2.py"):  # the second finds the helper's summary kept
        path = root / rel
        with reads.recording() as used:
            found = analyze(Document(path=str(path), text=path.read_text(encoding="utf-8")), ctx)
        assert [f.line for f in found if f.code == "EDGE013"] == [10]
        assert deps in used.flat().files, rel


def test_editing_a_star_imported_module_changes_the_importers_namespace(tmp_path):
    """The names a module binds (vetpy.resolve.static.module_namespace) include those of a module
    it star-imports: an edit of that module is seen by the next analysis in the process."""
    root = write(tmp_path, {"app/__init__.py": "", "app/a.py": "from app.b import *\n",
                            "app/b.py": "def foo():\n    pass\n", "app/c.py": "from app.a import foo, bar\n"})
    ctx = context_for(root)

    def missing() -> list[str]:
        return [f.message for f in check_file(root, "app/c.py", ctx) if f.code == "HAL002"]

    assert missing() == ["`app.a` in first-party code has no name `bar`"]
    _rewrite(root / "app" / "b.py", "def bar():\n    pass\n")
    assert missing() == ["`app.a` in first-party code has no name `foo`"]


def test_a_package_init_edited_to_extend_its_path_is_read_again(tmp_path):
    """A submodule missing from a plain package is HAL001; once the package's ``__init__.py``
    extends its ``__path__`` (pkgutil), the submodule may come from elsewhere: not reported, in
    this process too (vetpy.environment.modules keeps its reading of the ``__init__.py`` per version)."""
    root = write(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "",
                            "app/c.py": "import app.nothing\n"})
    assert [f.code for f in check_file(root, "app/c.py", context_for(root))] == ["HAL001"]
    _rewrite(root / "app" / "__init__.py", "import pkgutil\n__path__ = pkgutil.extend_path(__path__, __name__)\n")
    assert [f.code for f in check_file(root, "app/c.py", context_for(root))] == []
