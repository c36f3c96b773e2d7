"""Function summaries inside one module (vetpy.dataflow.summaries): request data that reaches a
sink through a helper function of the same module.

Specification (issue #20, the interprocedural misses):

- a web handler passes request data to a module-level helper whose parameter reaches a sink
  there: the finding is at the sink, in the helper, and names the caller;
- a handler uses what a module-level helper returns: the helper's own request reads and the
  arguments it passes through (formatted, sanitised or converted on the way, as the helper does)
  are the call's value.

Look-alikes a careful reviewer accepts (or that vetpy cannot tell for certain), never reported:
the helper validates the parameter before the sink (allow-list, int()); the helper is called only
with constants; the tainted argument goes to a parameter that does not reach the sink; the helper
is decorated (a decorator may validate or change the arguments), rebound, or called with ``*args``;
the helper sanitises what it returns.  One level only: a helper's own calls to helpers are not
followed (bounded, deterministic).
"""

from __future__ import annotations

import textwrap

from test_security import findings

HEAD = """\
import os
import shlex
import sqlite3

from flask import Flask, redirect, request

app = Flask(__name__)
SORTS = {"name", "created"}
"""


def sec001(body: str) -> list:
    return findings(HEAD + textwrap.dedent(body), "SEC001")


def line_of(body: str, text: str) -> int:
    src = HEAD + textwrap.dedent(body)
    return next(i for i, line in enumerate(src.splitlines(), 1) if text in line)


SINK_IN_HELPER = """
def search(text, sort):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT * FROM t WHERE a LIKE ? ORDER BY " + sort, (text,))  # sink
    return cur.fetchall()
"""


def test_request_value_passed_to_a_helper_is_reported_at_the_sink_naming_the_caller() -> None:
    body = SINK_IN_HELPER + """
@app.get("/items")
def items():
    return search(request.args.get("q", ""), request.args.get("sort", "name"))
"""
    found = sec001(body)
    assert [f.line for f in found] == [line_of(body, "# sink")]
    assert "items" in found[0].message and "search" in found[0].message


def test_keyword_argument_reaches_the_parameter() -> None:
    body = SINK_IN_HELPER + """
@app.get("/items")
def items():
    sort = request.args["sort"]
    return search(text="x", sort=sort)
"""
    assert [f.line for f in sec001(body)] == [line_of(body, "# sink")]


def test_helper_return_of_its_own_request_read_is_untrusted_at_the_caller() -> None:
    body = """
def current_sort():
    return request.args.get("sort", "name")

@app.get("/items")
def items():
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM t ORDER BY {current_sort()}")  # sink
    return cur.fetchall()
"""
    assert [f.line for f in sec001(body)] == [line_of(body, "# sink")]


def test_helper_passes_its_argument_through_formatted() -> None:
    body = """
def order_clause(column):
    return "ORDER BY " + column.strip()

@app.get("/items")
def items():
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT * FROM t " + order_clause(request.args["sort"]))  # sink
    return cur.fetchall()
"""
    assert [f.line for f in sec001(body)] == [line_of(body, "# sink")]


def test_other_rules_use_the_summaries_too() -> None:
    body = """
def archive(name):
    os.system("tar czf /tmp/out.tgz " + name)  # shell

def back_to(target):
    return redirect(target)  # redirect

@app.post("/archive")
def archive_view():
    archive(request.form["name"])
    return back_to(request.args.get("next", "/"))
"""
    src = HEAD + textwrap.dedent(body)
    found = {(f.code, f.line) for f in findings(src)}
    assert ("SEC002", line_of(body, "# shell")) in found
    assert ("SEC017", line_of(body, "# redirect")) in found


# -- look-alikes -------------------------------------------------------------------------------


def test_helper_that_allow_lists_the_parameter_is_not_reported() -> None:
    body = """
def search(sort):
    if sort not in SORTS:
        sort = "created"
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT * FROM t ORDER BY " + sort)
    return cur.fetchall()

@app.get("/items")
def items():
    return search(request.args.get("sort", "name"))
"""
    assert sec001(body) == []


def test_helper_called_only_with_constants_is_not_reported() -> None:
    body = SINK_IN_HELPER + """
@app.get("/items")
def items():
    return search(request.args.get("q", ""), "created")
"""
    assert sec001(body) == []


def test_tainted_argument_to_a_parameter_that_does_not_reach_the_sink() -> None:
    body = SINK_IN_HELPER + """
@app.get("/items")
def items():
    return search(request.args["q"], sort="name")
"""
    assert sec001(body) == []


def test_decorated_rebound_or_star_called_helpers_are_not_followed() -> None:
    body = """
import functools

@functools.cache
def cached_search(sort):
    return sqlite3.connect("app.db").execute("SELECT * FROM t ORDER BY " + sort).fetchall()

def twice(sort):
    return sqlite3.connect("app.db").execute("SELECT * FROM t ORDER BY " + sort).fetchall()

twice = functools.partial(twice, "name")

def spread(sort):
    return sqlite3.connect("app.db").execute("SELECT * FROM t ORDER BY " + sort).fetchall()

@app.get("/items")
def items():
    args = [request.args["sort"]]
    return [cached_search(request.args["sort"]), twice(request.args["sort"]), spread(*args)]
"""
    assert sec001(body) == []


def test_helper_that_sanitises_or_converts_what_it_returns() -> None:
    body = """
def page_size(raw):
    return int(raw)

def quoted(name):
    return shlex.quote(name)

@app.get("/items")
def items():
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM t LIMIT {page_size(request.args['n'])}")
    os.system("ls " + quoted(request.args["dir"]))
    return cur.fetchall()
"""
    src = HEAD + textwrap.dedent(body)
    assert [f for f in findings(src) if f.code in {"SEC001", "SEC002"}] == []


def test_one_level_only_and_recursion_is_safe() -> None:
    body = """
def inner(sort):
    return sqlite3.connect("app.db").execute("SELECT * FROM t ORDER BY " + sort).fetchall()

def outer(sort):
    return inner(sort)

def loop(sort):
    return loop(sort)

@app.get("/items")
def items():
    return outer(request.args["sort"]), loop(request.args["sort"])
"""
    assert sec001(body) == []


SAVE_HELPER = """
import re

SAFE = re.compile(r"[A-Za-z0-9_-]{1,40}\\.pdf")


def save(name, data):
    with open(os.path.join("/srv/reports", name), "wb") as fh:  # sink
        fh.write(data)
"""


def test_an_argument_the_caller_checked_as_one_path_segment_is_clean_for_the_helpers_open() -> None:
    checked = """
@app.post("/checked")
def checked():
    name = request.form["name"]
    if not SAFE.fullmatch(name):
        return "bad", 400
    save(name, request.get_data())
    return "ok"
"""
    raw = """
@app.post("/raw")
def raw():
    save(request.form["name"], request.get_data())
    return "ok"
"""
    assert findings(HEAD + textwrap.dedent(SAVE_HELPER + checked), "SEC015") == []
    # with an unchecked caller too, the one finding names it, whichever comes first
    for body in (SAVE_HELPER + checked + raw, SAVE_HELPER + raw + checked):
        [found] = findings(HEAD + textwrap.dedent(body), "SEC015")
        assert found.line == line_of(body, "# sink") and "`raw`" in found.message and "`checked`" not in found.message
