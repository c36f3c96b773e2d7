"""Request input passed to a function of another module of the project that takes it to a sink
(vetpy.rules.sec.cross_module, vetpy.rules.sec.sink_summaries).

Specification (issue #20, the interprocedural misses of service21: ``db.search_tickets(...)``,
``clients.fetch_url(url)``; the kinds of call seen there: ``db.``, ``uploads.``, ``clients.``,
``task.delay(...)``):

- a view passes request input to a module-level function of another module of the project
  (``from . import db``, ``from app.clients import fetch``, a Celery task called with
  ``.delay``) whose parameter reaches a SEC sink there unsanitised: reported once, at the
  argument in the view, under the sink rule's code, naming the callee, its file and the sink's
  line; nothing in the callee's file (alone, its parameter is of unknown origin);
- the callee's file is a read of the view's analysis: editing it re-checks the view (result cache).

Look-alikes, never reported at the call: the callee allow-lists or converts the parameter; the
callee's query is parameterised; the parameter never reaches a sink; the tainted argument goes to
another parameter; the caller sanitised it for that sink (``secure_filename``); a same-named
function of a module that is not the project's; a local name shadowing the import; a callee
with a decorator that is not a Celery task's; ``*args`` at the call; a sink the callee's file
reports anyway (``yaml.load`` with ``Loader=yaml.Loader``): once is enough; a caller outside a
web module.
"""

from __future__ import annotations

from pathlib import Path

from conftest import check_file, context_for, write

VIEWS_HEAD = """\
from flask import Flask, request
from werkzeug.utils import secure_filename

from app import clients, db, tasks, uploads
from app.clients import fetch

app = Flask(__name__)
"""

DB = """\
import sqlite3

SORTS = {"name", "created"}


def conn():
    return sqlite3.connect("app.db")


def search(text, sort):
    sql = "SELECT * FROM items WHERE title LIKE ? ORDER BY " + sort
    return conn().execute(sql, (f"%{text}%",)).fetchall()


def search_sorted(text, sort):
    if sort not in SORTS:
        sort = "created"
    return conn().execute(f"SELECT * FROM items WHERE title LIKE ? ORDER BY {sort}", (text,)).fetchall()


def by_name(name):
    return conn().execute("SELECT * FROM items WHERE name = ?", (name,)).fetchall()


def by_id(item_id):
    return conn().execute("SELECT * FROM items WHERE id = %d" % int(item_id)).fetchall()


def size(text):
    return len(text)


def logged(func):
    return func


@logged
def decorated(sort):
    return conn().execute("SELECT * FROM items ORDER BY " + sort).fetchall()
"""

UPLOADS = """\
import os

ROOT = "/srv/uploads"


def read(name):
    with open(os.path.join(ROOT, name), "rb") as fh:
        return fh.read()
"""

CLIENTS = """\
import requests


def fetch(url):
    return requests.get(url, timeout=10).content
"""

TASKS = """\
import subprocess

import yaml
from celery import Celery

app = Celery("app")


@app.task(bind=True, max_retries=3)
def convert(self, path, fmt):
    subprocess.run(f"soffice --convert-to {fmt} {path}", shell=True, check=True)


@app.task
def macros(text):
    return yaml.load(text, Loader=yaml.Loader)
"""


def _project(root: Path, views: str, extra: dict[str, str] | None = None) -> Path:
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/uploads.py": UPLOADS,
        "app/clients.py": CLIENTS,
        "app/tasks.py": TASKS,
        "app/views.py": VIEWS_HEAD + views,
    }
    files.update(extra or {})
    return write(root, files)


def sec(root: Path, rel: str = "app/views.py") -> list:
    return [f for f in check_file(root, rel, context_for(root)) if f.code.startswith("SEC")]


def lines(found: list) -> list[tuple[int, str]]:
    return sorted((f.line, f.code) for f in found)


VIEW_LINE = VIEWS_HEAD.count("\n") + 5  # the call's line in each one-view snippet below


def one_view(call: str) -> str:
    return f"""

@app.get("/v")
def view():
    {call}
    return "ok"
"""


# -- positives ------------------------------------------------------------------------------


def test_sql_in_another_module_is_reported_at_the_call(tmp_path):
    root = _project(tmp_path, one_view('rows = db.search(request.args["q"], request.args["sort"])'))
    found = sec(root)
    assert lines(found) == [(VIEW_LINE, "SEC001")]
    message = found[0].message
    assert "`db.search`" in message and "db.py, line 12" in message and "`sort`" in message
    assert found[0].column == len('    rows = db.search(request.args["q"], ') + 1  # at the argument
    assert sec(root, "app/db.py") == []  # nothing in the callee: alone its parameter is of unknown origin


def test_path_and_ssrf_and_imported_function(tmp_path):
    root = _project(tmp_path, """

@app.get("/a")
def attachment():
    return uploads.read(request.args["name"])


@app.post("/avatar")
def avatar():
    return fetch(request.form["url"])


@app.post("/avatar2")
def avatar2():
    return clients.fetch(url=request.form["url"])
""")
    base = VIEWS_HEAD.count("\n")
    assert lines(sec(root)) == [(base + 5, "SEC015"), (base + 10, "SEC016"), (base + 15, "SEC016")]


def test_celery_task_sent_with_delay_binds_after_self(tmp_path):
    """A task's arguments are untrusted in the task itself (vetpy.dataflow.tasks): its shell
    command is reported there, once, and not again at the ``.delay`` that sends request input."""
    root = _project(tmp_path, one_view('tasks.convert.delay("/tmp/x.doc", request.args["fmt"])'))
    assert lines(sec(root)) == []
    in_task = sec(root, "app/tasks.py")
    assert lines(in_task) == [(11, "SEC002"), (16, "SEC005")]  # yaml.load(Loader=yaml.Loader): reported before too
    assert "Celery task's argument" in in_task[0].message


def test_function_handed_to_a_runner_with_its_arguments(tmp_path):
    root = _project(tmp_path, """

@app.post("/a")
async def a(background):
    background.add_task(fetch, request.form["url"])
    background.add_task(fetch, "https://example.com/ping")
    await asyncio.to_thread(db.search, "", request.form["sort"])
    await asyncio.to_thread(db.search, request.form["q"], "name")
    return "ok"
""".replace("\n\n@app", "\nimport asyncio\n\n@app", 1))
    base = VIEWS_HEAD.count("\n") + 1
    found = sec(root)
    assert lines(found) == [(base + 5, "SEC016"), (base + 7, "SEC001")]
    assert "`clients.fetch`" in found[0].message


def test_relative_import(tmp_path):
    views = VIEWS_HEAD.replace("from app import clients, db, tasks, uploads", "from . import db") + one_view(
        'rows = db.search("", request.args["sort"])')
    root = _project(tmp_path, "", {"app/views.py": views})
    assert lines(sec(root)) == [(VIEW_LINE, "SEC001")]


# -- look-alikes ----------------------------------------------------------------------------


def test_callee_that_validates_parameterises_or_never_reaches_a_sink(tmp_path):
    root = _project(tmp_path, """

@app.get("/a")
def a():
    rows = db.search_sorted(request.args["q"], request.args["sort"])
    rows += db.by_name(request.args["name"])
    rows += db.by_id(request.args["id"])
    return str(db.size(request.args["q"]))


@app.get("/b")
def b():
    return str(db.search(request.args["q"], "name"))
""")
    assert sec(root) == []


def test_sanitised_by_the_caller_for_that_sink(tmp_path):
    root = _project(tmp_path, one_view('uploads.read(secure_filename(request.args["name"]))'))
    assert sec(root) == []


def test_library_function_of_the_same_name_and_shadowing_local(tmp_path):
    views = VIEWS_HEAD.replace("from app import clients, db, tasks, uploads", "from records import db\nfrom app import clients, uploads") + """

@app.get("/a")
def a():
    return str(db.search("", request.args["sort"]))


@app.get("/b")
def b():
    uploads = Storage()
    return uploads.read(request.args["name"])


def c(uploads):
    return uploads.read(request.args["name"])


@app.get("/d")
def d():
    return clients.fetch(request.args["url"])


clients = Registry()
"""
    root = _project(tmp_path, "", {"app/views.py": views})
    assert sec(root) == []


def test_decorated_callee_and_star_args_and_reported_in_callee_anyway(tmp_path):
    root = _project(tmp_path, """

@app.get("/a")
def a():
    args = ["", request.args["sort"]]
    rows = db.decorated(request.args["sort"])
    rows += db.search(*args)
    return str(tasks.macros.delay(request.get_data(as_text=True)))
""")
    assert sec(root) == []


def test_callee_finding_reported_anyway_is_not_repeated_at_the_call(tmp_path):
    root = _project(tmp_path, one_view('tasks.macros.delay(request.get_data(as_text=True))'))
    assert sec(root) == []
    assert "SEC005" in {f.code for f in sec(root, "app/tasks.py")}


def test_not_a_web_module(tmp_path):
    root = _project(tmp_path, "", {"app/cli.py": "import sys\n\nfrom app import db\n\ndb.search('', sys.argv[1])\n"})
    assert sec(root, "app/cli.py") == []


# -- the callee is a dependency of the caller ------------------------------------------------


def test_editing_the_callee_rechecks_the_caller(tmp_path, monkeypatch):
    from test_result_cache import check, shown

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = _project(tmp_path / "p", one_view('rows = db.search(request.args["q"], request.args["sort"])'))
    (root / "pyproject.toml").write_text("[tool.vetpy]\nselect = ['SEC']\n")
    first = [s for s in shown(check(root)) if s[0] == "views.py"]
    assert [s[3] for s in first] == ["SEC001"]
    db = root / "app" / "db.py"
    db.write_text(DB.replace("    sql = \"SELECT", "    if sort not in SORTS:\n        sort = 'name'\n    sql = \"SELECT", 1))
    assert [s for s in shown(check(root)) if s[0] == "views.py"] == []
    db.write_text("\n\n" + DB)  # the sink moves two lines down: the caller's message says so
    again = [s for s in shown(check(root)) if s[0] == "views.py"]
    assert len(again) == 1 and "line 14" in again[0][4]
