"""The commit gate and a finding a change causes in a file it did not touch.

SQL a helper builds from its parameter is reported at the helper's query, naming the view that
passes request input to it (vetpy.rules.sec.callers_into).  A commit that changes only the view
makes the unchanged helper's query an injection: ``--staged`` and ``--changed-since`` must
report it, and only what the change causes there (not the helper's other findings, nor a
crossing from another, unchanged view)."""

from __future__ import annotations

import pytest

from test_git_support import Repo, codes_at, vetpy

pytestmark = pytest.mark.slow  # real git repositories and processes

pytest_plugins = ["test_git_support"]  # the `repo` fixture

DB = """\
import sqlite3


def search(term):
    conn = sqlite3.connect("app.db")
    sql = f"SELECT name FROM items WHERE name = '{term}'"
    return conn.execute(sql).fetchall()


def by_owner(owner):
    conn = sqlite3.connect("app.db")
    sql = f"SELECT name FROM items WHERE owner = '{owner}'"
    return conn.execute(sql).fetchall()
"""

VIEWS = """\
from flask import Flask, request

from app import db

app = Flask(__name__)


@app.get("/search")
def search_view():
    return str(db.search("fixed"))
"""

OTHER_VIEWS = """\
from flask import Flask, request

from app import db

admin = Flask(__name__)


@admin.get("/owned")
def owned_view():
    return str(db.by_owner(request.args["owner"]))
"""


def _project(repo: Repo) -> str:
    repo.write("app/__init__.py", "")
    repo.write("app/db.py", DB)
    repo.write("app/views.py", VIEWS)
    repo.write("app/admin.py", OTHER_VIEWS)
    return repo.commit("init")


def _sql_lines(out: str) -> list[str]:
    return [c for c in codes_at(out) if c.endswith("SEC001")]


def test_staged_view_change_reports_the_unchanged_helpers_query(repo: Repo) -> None:
    _project(repo)
    repo.write("app/views.py", VIEWS.replace('db.search("fixed")', 'db.search(request.args["q"])'))
    repo.git("add", "app/views.py")

    code, out, _ = vetpy("check", "--staged")
    assert code == 1, out
    # the query of `search` (line 6), not `by_owner`'s (line 12), whose caller did not change
    assert _sql_lines(out) == ["app/db.py:6:SEC001"]
    assert "search_view" in out
    code, again, _ = vetpy("check", "--staged")  # the helper's result now comes from the result cache
    assert _sql_lines(again) == ["app/db.py:6:SEC001"], again


def test_changed_since_reports_the_query_a_changed_line_reaches(repo: Repo) -> None:
    base = _project(repo)
    repo.write("app/views.py", VIEWS.replace('db.search("fixed")', 'db.search(request.args["q"])'))

    code, out, _ = vetpy("check", "--changed-since", base)
    assert code == 1, out
    assert _sql_lines(out) == ["app/db.py:6:SEC001"]


def test_a_change_that_passes_no_input_reports_nothing_in_the_helper(repo: Repo) -> None:
    _project(repo)
    repo.write("app/views.py", VIEWS + "\n# a comment\n")
    repo.git("add", "app/views.py")

    code, out, _ = vetpy("check", "--staged")
    assert _sql_lines(out) == [], out  # the admin view's crossing is not this change's
    code, out, _ = vetpy("check", "--changed-since", "HEAD")
    assert _sql_lines(out) == [], out


SAFE_DB = DB.replace(
    """    sql = f"SELECT name FROM items WHERE name = '{term}'"
    return conn.execute(sql).fetchall()""",
    """    return conn.execute("SELECT name FROM items WHERE name = ?", (term,)).fetchall()""",
)


def test_staged_reads_an_imported_module_at_its_index_version(repo: Repo) -> None:
    """What is committed is the index: a helper's unstaged edit in the work tree neither hides the
    query the commit makes an injection nor invents one the commit does not have."""
    _project(repo)
    repo.write("app/views.py", VIEWS.replace('db.search("fixed")', 'db.search(request.args["q"])'))
    repo.git("add", "app/views.py")
    repo.write("app/db.py", SAFE_DB)  # fixed in the work tree, not staged: the commit still has the f-string

    code, out, _ = vetpy("check", "--staged")
    assert code == 1, out
    assert _sql_lines(out) == ["app/db.py:6:SEC001"], out
    code, out, _ = vetpy("check", "app")  # the work tree, after that run's results were kept
    assert _sql_lines(out) == ["app/db.py:11:SEC001"], out  # by_owner's (admin view); search is fixed here
    assert "search_view" not in out

    repo.git("add", "app/db.py")  # now the fix is staged ...
    repo.write("app/db.py", DB)  # ... and the work tree is unsafe again, unstaged
    code, out, _ = vetpy("check", "--staged")
    # the staged db.py is checked whole: its `by_owner` (line 11 now) is still an injection, `search` is not
    assert _sql_lines(out) == ["app/db.py:11:SEC001"], out
    assert "search_view" not in out
