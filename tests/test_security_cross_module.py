"""Request input passed to a function of another module of the project that takes it to a sink
(vetpy.rules.sec.callers_into, vetpy.rules.sec.cross_module, vetpy.rules.sec.sink_summaries).

Specification (issue #20: the interprocedural misses of service21, ``db.search_tickets(...)``,
``clients.fetch_url(url)``; the placement of service23, where the defect is seeded at the
helper's query and the call is not a defect of its own):

- a view passes request input to a module-level function of another module of the project
  (``from . import db``, ``from app.clients import fetch``, a Celery task called with
  ``.delay``, a function handed to a runner with its arguments) whose parameter reaches a SEC
  sink there unsanitised: reported once, at the sink in the callee's file, under the sink rule's
  code, naming the view's function, its file and the call's line; nothing at the call;
- a URL requested or redirected to (SEC016, SEC017) likewise at the callee's request when the
  helper is named for what the URL is for (``fetch_avatar``, ``send_partner_callback``: services
  26 and 27 seed it there, beside the checked variant of the same helper); but when the helper is
  generic, named only for what it does with a URL (``fetch``, ``fetch_url``, ``http_get``,
  ``post_json``), it cannot know which hosts are allowed and the view passing the request's URL is
  the defect: reported at the argument in the view, naming the callee and the sink's line; nothing
  in the callee;
- two views passing input to the same sink: one finding (the first caller named);
- the callers' files are reads of the callee's analysis: editing a caller re-checks the callee
  (result cache).

Look-alikes, never reported: the callee allow-lists or converts the parameter; the callee's query
is parameterised; the parameter never reaches a sink; the tainted argument goes to another
parameter; the caller sanitised it for that sink (``secure_filename``); a purpose-named helper that
allow-lists the host before requesting it (``fetch_avatar_checked``); a same-named function of a
module that is not the project's; a local name shadowing the import; a callee with a decorator
that is not a Celery task's; ``*args`` at the call; a sink the callee's file reports anyway
(``yaml.load`` with ``Loader=yaml.Loader``): once is enough; a caller outside a web module.
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


def test_sql_in_another_module_is_reported_at_the_callees_query(tmp_path):
    root = _project(tmp_path, one_view('rows = db.search(request.args["q"], request.args["sort"])'))
    assert sec(root) == []  # nothing at the call
    found = sec(root, "app/db.py")
    assert lines(found) == [(11, "SEC001")]
    message = found[0].message
    assert "`search` by `view` (views.py, line %d)" % VIEW_LINE in message and "`sort`" in message
    assert found[0].column == len("    sql = ") + 1  # where the query text is built, not its execute on the next line
    assert found[0].extra["caller"] == (str(root / "app" / "views.py"), VIEW_LINE)


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
    assert lines(sec(root, "app/uploads.py")) == [(7, "SEC015")]
    assert "by `attachment` (views.py, line %d)" % (base + 5) in sec(root, "app/uploads.py")[0].message
    # a URL: the helper that requests what it is given is generic; the view passing the request's URL is the defect
    found = sec(root)
    assert lines(found) == [(base + 10, "SEC016"), (base + 15, "SEC016")]
    assert "`clients.fetch` (clients.py, line 5)" in found[0].message
    assert sec(root, "app/clients.py") == []


STORAGE = """\
import os
import uuid
from pathlib import Path

from werkzeug.utils import secure_filename

ROOT = Path("/srv/uploads")


def save(folder, filename, data):
    \"\"\"Keeps the client's file name.\"\"\"
    target = ROOT / folder / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def save_joined(filename, data):
    dest = os.path.join(ROOT, filename)
    with open(dest, "wb") as fh:
        fh.write(data)


def save_named(filename, data):
    target = ROOT / secure_filename(filename)
    target.write_bytes(data)


def save_uuid(filename, data):
    target = ROOT / f"{uuid.uuid4().hex}{Path(filename).suffix[:8]}"
    with open(target, "xb") as fh:
        fh.write(data)


def save_contained(filename, data):
    target = (ROOT / filename).resolve()
    if not target.is_relative_to(ROOT.resolve()):
        raise PermissionError(filename)
    target.write_bytes(data)


def save_basename(filename, data):
    target = ROOT / Path(filename).name
    target.write_bytes(data)
"""


def test_path_joined_in_a_helper_is_reported_where_it_is_joined(tmp_path):
    """Services 29, 30, 31: ``target = folder / filename`` then ``open(target, "wb")`` in a storage
    helper a view passes the upload's name to: the finding is at the join, where the containment
    check belongs (as a query is reported where its text is built); the helpers that make the name
    safe (``secure_filename``, a uuid name, ``resolve`` + ``is_relative_to``, ``Path(name).name``)
    are silent."""
    views = """

from app import storage


@app.post("/u")
def upload():
    f = request.files["file"]
    storage.save("docs", f.filename, f.read())
    storage.save_joined(f.filename, f.read())
    storage.save_named(f.filename, f.read())
    storage.save_uuid(f.filename, f.read())
    storage.save_contained(f.filename, f.read())
    storage.save_basename(f.filename, f.read())
    return "ok"
"""
    root = _project(tmp_path, views, {"app/storage.py": STORAGE})
    found = sec(root, "app/storage.py")
    assert lines(found) == [(12, "SEC015"), (19, "SEC015")]
    assert found[0].column == len("    target = ") + 1 and found[1].column == len("    dest = ") + 1
    assert "`save` by `upload`" in found[0].message and "`save_joined` by `upload`" in found[1].message
    assert sec(root) == []  # nothing at the call


PATHS = """\
import os
import secrets
from pathlib import Path

from werkzeug.utils import secure_filename

EXPORTS = Path("/srv/exports")


def export_path(name):
    return EXPORTS / name


def report_path(user_id, name):
    folder = EXPORTS / str(user_id)
    return os.path.join(folder, name)


def shown_path(name):
    return EXPORTS / name


def export_path_checked(name):
    path = (EXPORTS / name).resolve()
    if not path.is_relative_to(EXPORTS.resolve()):
        raise PermissionError(name)
    return path


def export_path_named(name):
    return EXPORTS / secure_filename(name)


def export_path_last(name):
    return EXPORTS / Path(name).name


def export_path_random(name):
    return EXPORTS / f"{secrets.token_hex(8)}.csv"


def export_path_numbered(run_id):
    return EXPORTS / str(int(run_id)) / "out.csv"
"""


def test_path_joined_and_returned_by_a_helper_the_view_opens(tmp_path):
    """Services 28, 31, 32: ``def export_path(name): return EXPORTS / name`` and a view opening,
    sending or writing what it returns for request input: reported at the helper's join (where the
    check belongs).  Not when the view drops the result or only shows it (``str(...)``); not for a
    helper that contains, sanitises or replaces the name."""
    views = """

import asyncio
from flask import send_file
from app import paths


@app.get("/e")
def export():
    return send_file(paths.export_path(request.args["name"]))


@app.get("/r")
async def report():
    path = await asyncio.to_thread(paths.report_path, 1, request.args["name"])
    await asyncio.to_thread(path.read_bytes)
    return "ok"


@app.get("/s")
def shown():
    where = paths.shown_path(request.args["name"])
    paths.shown_path(request.args["name"])
    return str(where)


@app.get("/safe")
def safe():
    n = request.args["name"]
    for p in (paths.export_path_checked(n), paths.export_path_named(n), paths.export_path_last(n),
              paths.export_path_random(n), paths.export_path_numbered(n)):
        p.read_bytes()
    send_file(paths.export_path_checked(n))
    send_file(paths.export_path_named(n))
    send_file(paths.export_path_last(n))
    send_file(paths.export_path_random(n))
    return send_file(paths.export_path_numbered(n))
"""
    root = _project(tmp_path, views, {"app/paths.py": PATHS})
    found = sec(root, "app/paths.py")
    assert lines(found) == [(11, "SEC015"), (16, "SEC015")]
    assert "`export_path` by `export`" in found[0].message and "returned without a containment check" in found[0].message
    assert "`report_path` by `report`" in found[1].message
    assert sec(root) == []  # nothing at the call


def test_celery_task_sent_with_delay_binds_after_self(tmp_path):
    """A task's arguments are untrusted in the task itself (vetpy.dataflow.tasks): its shell
    command is reported there, once, and not again for the ``.delay`` that sends request input."""
    root = _project(tmp_path, one_view('tasks.convert.delay("/tmp/x.doc", request.args["fmt"])'))
    assert lines(sec(root)) == []
    in_task = sec(root, "app/tasks.py")
    assert lines(in_task) == [(11, "SEC002"), (16, "SEC005")]  # yaml.load(Loader=yaml.Loader): reported before too
    assert "Celery task's argument" in in_task[0].message


def test_function_handed_to_a_runner_with_its_arguments(tmp_path):
    root = _project(tmp_path, """

@app.post("/a")
async def a(background):
    background.add_task(fetch, "https://example.com/ping")
    await asyncio.to_thread(db.search, request.form["q"], "name")
    await asyncio.to_thread(db.search, "", request.form["sort"])
    background.add_task(fetch, request.form["url"])
    return "ok"
""".replace("\n\n@app", "\nimport asyncio\n\n@app", 1))
    base = VIEWS_HEAD.count("\n") + 1
    assert lines(sec(root)) == [(base + 8, "SEC016")]
    searched = sec(root, "app/db.py")
    assert lines(searched) == [(11, "SEC001")] and "line %d" % (base + 7) in searched[0].message
    assert sec(root, "app/clients.py") == []


def test_relative_import(tmp_path):
    views = VIEWS_HEAD.replace("from app import clients, db, tasks, uploads", "from . import db") + one_view(
        'rows = db.search("", request.args["sort"])')
    root = _project(tmp_path, "", {"app/views.py": views})
    assert lines(sec(root, "app/db.py")) == [(11, "SEC001")]


def test_fastapi_router_root_route_binds_query_parameters(tmp_path):
    """``@router.get("")``: the root of a router mounted under a prefix is a route; its plain
    parameters are query parameters (request input)."""
    views = """\
from fastapi import APIRouter

from app import db

router = APIRouter(prefix="/items")


@router.get("")
def listing(q: str = "", sort: str = "name"):
    return db.search(q, sort)


@router.get("/safe")
def safe(q: str = ""):
    return db.search(q, "name")
"""
    root = _project(tmp_path, "", {"app/views.py": views})
    found = sec(root, "app/db.py")
    assert lines(found) == [(11, "SEC001")] and "request parameter 'sort'" in found[0].message


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
    assert sec(root) == [] and sec(root, "app/db.py") == []


def test_sanitised_by_the_caller_for_that_sink(tmp_path):
    root = _project(tmp_path, one_view('uploads.read(secure_filename(request.args["name"]))'))
    assert sec(root) == [] and sec(root, "app/uploads.py") == []


def test_checked_as_one_path_segment_by_the_caller(tmp_path):
    # the caller allow-lists the name with a pattern that admits no separator, then passes it: the
    # helper's open() of it names a file in its folder (as the same test clears an inline open);
    # the other view passes the raw name: the one finding names that view, not the checked one
    views = VIEWS_HEAD.replace("from flask import", "import re\n\nfrom flask import") + """
SAFE = re.compile(r"[A-Za-z0-9_-]{1,40}\\.pdf")


@app.post("/checked")
def checked():
    name = request.form["name"]
    if not SAFE.fullmatch(name):
        return "bad", 400
    return uploads.read(name)


@app.post("/raw")
def raw():
    name = request.form["name"]
    return uploads.read(name)
"""
    root = _project(tmp_path, "")
    write(root, {"app/views.py": views})
    [found] = sec(root, "app/uploads.py")
    assert found.code == "SEC015" and "`raw`" in found.message and "`checked`" not in found.message
    write(root, {"app/views.py": views[: views.index('@app.post("/raw")')]})
    assert sec(root, "app/uploads.py") == []


def test_checked_with_a_pattern_that_admits_a_separator_is_still_reported(tmp_path):
    # look-alike: `[\w/.-]+` lets `../../etc/passwd` through; an untested match decides nothing
    views = VIEWS_HEAD.replace("from flask import", "import re\n\nfrom flask import") + """

@app.post("/slash")
def slash():
    name = request.form["name"]
    if not re.fullmatch(r"[\\w/.-]+", name):
        return "bad", 400
    return uploads.read(name)


@app.post("/untested")
def untested():
    name = request.form["name"]
    re.fullmatch(r"[a-z]+", name)
    return uploads.read(name)
"""
    root = _project(tmp_path, "")
    write(root, {"app/views.py": views})
    [found] = sec(root, "app/uploads.py")
    assert found.code == "SEC015" and "`slash`" in found.message
    write(root, {"app/views.py": views[: views.index('@app.post("/slash")')] + views[views.index('@app.post("/untested")'):]})
    [found] = sec(root, "app/uploads.py")
    assert "`untested`" in found.message


def test_checked_as_letters_and_digits_by_the_caller(tmp_path):
    # `name.isalnum()` (isdigit, isidentifier, ...) refused when false leaves no `/`, `\\` or `.`:
    # the helper's open() names a file in its folder, as the same test clears an open in the view;
    # look-alikes still reported: `isascii()` (admits `../`), a test of another name
    views = VIEWS_HEAD + """

@app.post("/checked")
def checked():
    name = request.form["name"]
    if not name.isalnum():
        return "bad", 400
    return uploads.read(name)


@app.post("/inline")
def inline():
    name = request.form["name"]
    if not name.isdigit():
        return "bad", 400
    return open("/srv/reports/" + name).read()


@app.post("/ascii")
def ascii_only():
    name = request.form["name"]
    if not name.isascii():
        return "bad", 400
    return uploads.read(name)
"""
    root = _project(tmp_path, "")
    write(root, {"app/views.py": views})
    assert sec(root) == []
    [found] = sec(root, "app/uploads.py")
    assert found.code == "SEC015" and "`ascii_only`" in found.message and "`checked`" not in found.message
    other = views.replace('if not name.isdigit():', 'if not request.form["kind"].isdigit():')
    write(root, {"app/views.py": other})
    assert [f.code for f in sec(root)] == ["SEC015"]


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
    assert sec(root, "app/db.py") == sec(root, "app/uploads.py") == sec(root, "app/clients.py") == []


def test_decorated_callee_and_star_args_and_reported_in_callee_anyway(tmp_path):
    root = _project(tmp_path, """

@app.get("/a")
def a():
    args = ["", request.args["sort"]]
    rows = db.decorated(request.args["sort"])
    rows += db.search(*args)
    return str(tasks.macros.delay(request.get_data(as_text=True)))
""")
    assert sec(root) == [] and sec(root, "app/db.py") == []


def test_callee_finding_reported_anyway_is_not_repeated_at_the_call(tmp_path):
    root = _project(tmp_path, one_view('tasks.macros.delay(request.get_data(as_text=True))'))
    assert sec(root) == []
    assert "SEC005" in {f.code for f in sec(root, "app/tasks.py")}


def test_not_a_web_module(tmp_path):
    root = _project(tmp_path, "", {"app/cli.py": "import sys\n\nfrom app import db\n\ndb.search('', sys.argv[1])\n"})
    assert sec(root, "app/cli.py") == [] and sec(root, "app/db.py") == []


# -- the callee is a dependency of the caller ------------------------------------------------


def test_editing_the_callee_or_the_caller_rechecks_the_callee(tmp_path, monkeypatch):
    from test_result_cache import check, shown

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = _project(tmp_path / "p", one_view('rows = db.search(request.args["q"], request.args["sort"])'))
    (root / "pyproject.toml").write_text("[tool.vetpy]\nselect = ['SEC001']\n")

    def in_db() -> list:
        return [s for s in shown(check(root)) if s[0] == "db.py"]

    assert [s[3] for s in in_db()] == ["SEC001"]
    db = root / "app" / "db.py"
    db.write_text(DB.replace("    sql = \"SELECT", "    if sort not in SORTS:\n        sort = 'name'\n    sql = \"SELECT", 1))
    assert in_db() == []
    db.write_text("\n\n" + DB)  # the sink moves two lines down
    again = in_db()
    assert len(again) == 1 and again[0][1] == 13
    views = root / "app" / "views.py"
    views.write_text(views.read_text().replace('request.args["sort"]', '"name"'))  # the caller alone changes
    assert in_db() == []
    views.write_text(views.read_text().replace("def view():", "def view():\n    pass"))
    assert in_db() == []
    views.write_text(views.read_text().replace('"name")', 'request.args["sort"])'))
    assert [s[3] for s in in_db()] == ["SEC001"]


def test_editing_a_caller_rechecks_no_module_whose_functions_reach_no_sink(tmp_path, monkeypatch):
    """A module none of whose functions reports anything with its parameters untrusted cannot be
    made to report by any caller: its callers' files are no reads of its analysis (the 350k scale
    input re-analysed 15 files instead of 1 after editing sqlalchemy's elements.py); one with a
    sink is re-checked."""
    from test_result_cache import check, reused

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "p", {
        "app/__init__.py": "",
        "app/helpers.py": "def total(rows):\n    return sum(r.amount for r in rows)\n",
        "app/views.py": VIEWS_HEAD.replace("from app import clients, db, tasks, uploads", "from app import helpers")
                        + one_view('n = helpers.total(request.args.getlist("a"))'),
    })
    views = root / "app" / "views.py"
    check(root)
    views.write_text(views.read_text() + "\n# edited\n")
    assert reused(check(root)) == 2  # __init__ and helpers: the view alone is analysed again
    (root / "app" / "helpers.py").write_text(DB)  # now a module with a query built from a parameter
    check(root)
    views.write_text(views.read_text() + "\n# edited again\n")
    assert reused(check(root)) == 1  # the view and the module whose sink its input may reach


def test_the_certain_finding_replaces_the_uncertain_one_at_the_same_sink(tmp_path):
    """With SEC024 selected, the helper's query is SQL formatted with a value of unknown origin;
    a view's request input reaching it makes it SEC001, reported once."""
    root = _project(tmp_path, one_view('rows = db.search(request.args["q"], request.args["sort"])'))
    (root / "pyproject.toml").write_text("[tool.vetpy]\nselect = ['SEC']\n")
    found = lines(sec(root, "app/db.py"))
    assert (11, "SEC001") in found and (12, "SEC024") not in found and (11, "SEC024") not in found
    assert (39, "SEC024") in found  # decorated(): no caller's input reaches it


AVATARS = """\
from urllib.parse import urlparse

import httpx
import requests

AVATAR_HOSTS = {"cdn.example.com"}


def fetch_avatar(url):
    return requests.get(url, timeout=5).content


def fetch_avatar_checked(url):
    if urlparse(url).hostname not in AVATAR_HOSTS:
        raise ValueError("host not allowed")
    return requests.get(url, timeout=5).content


def http_get(url):
    return httpx.get(url, timeout=5).content
"""


def test_url_of_a_purpose_named_helper_is_reported_at_its_request(tmp_path):
    """``fetch_avatar(url)`` knows what the URL is for (its checked variant sits beside it): the
    request is the defect, reported there with the view's call named (and as related information
    in the editor); the generic ``http_get`` leaves it to the view."""
    views = VIEWS_HEAD.replace("from app import clients, db, tasks, uploads", "from app import avatars") + """

@app.post("/a")
def a():
    return avatars.fetch_avatar(request.form["url"])


@app.post("/b")
def b():
    return avatars.fetch_avatar_checked(request.form["url"])


@app.post("/c")
def c():
    return avatars.http_get(request.form["url"])
"""
    root = _project(tmp_path, "", {"app/views.py": views, "app/avatars.py": AVATARS})
    base = VIEWS_HEAD.count("\n")
    assert lines(sec(root)) == [(base + 15, "SEC016")]  # the generic helper: at the view
    found = sec(root, "app/avatars.py")
    assert lines(found) == [(10, "SEC016")]  # fetch_avatar's request; not the checked one, not http_get's
    assert "`fetch_avatar` by `a` (views.py, line %d)" % (base + 5) in found[0].message
    assert found[0].extra["caller"] == (str(root / "app" / "views.py"), base + 5)


def test_generic_helper_names():
    from vetpy.rules.sec.cross_module import generic

    for name in ("fetch", "fetch_url", "http_get", "post_json", "download", "get_url_content", "redirect_to"):
        assert generic(name), name
    for name in ("fetch_avatar", "send_partner_callback", "ping_callback", "notify_webhook", "fetch_logo",
                 "fetch_tracking_page", "import_calendar"):
        assert not generic(name), name
