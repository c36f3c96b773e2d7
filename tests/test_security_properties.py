"""Invariants of the SEC checkers: never raise on any text, fixes always parse, partial code is harmless."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vetpy.context import AnalysisContext
from vetpy.document import Document, statement_start
from vetpy.findings import Finding, apply_edits
from vetpy.rules.sec import WALK, check_security, scan
from vetpy.rules.sec.walk import SecurityPass

CTX = AnalysisContext.bare()

# fragments that reach every checker path when combined
FRAGMENTS = [
    "import sqlite3, os, subprocess, yaml, pickle, jwt, random, hashlib, tempfile, requests, ssl\n",
    "from flask import Flask, request, redirect, send_file, render_template_string\n",
    "from sqlalchemy import text\n",
    "app = Flask(__name__)\n",
    '@app.route("/x/<name>")\n',
    "def f(name, cur, conn):\n",
    '    q = f"SELECT * FROM t WHERE a = \'{name}\' ORDER BY {request.args[\'s\']}"\n',
    "    cur.execute(q)\n",
    '    cur.execute("SELECT * FROM t WHERE id = %s" % name)\n',
    '    conn.execute(text(f"SELECT * FROM t WHERE id = {name}"))\n',
    '    subprocess.run(f"ls {name}", shell=True)\n',
    "    os.system(name)\n",
    "    eval(request.args['e'])\n",
    "    yaml.load(name)\n",
    "    requests.get(request.args['u'], verify=False)\n",
    "    jwt.decode(name, 'k')\n",
    "    token = random.choice(name)\n",
    "    h = hashlib.md5(password.encode())\n",
    "    p = tempfile.mktemp()\n",
    "    os.chmod(p, 0o777)\n",
    "    return redirect(request.args['next'])\n",
    '    return f"<p>{name}</p>"\n',
    "    try:\n        pass\n    except Exception as e:\n        return str(e)\n",
    'API_KEY = "AKIAZ7QX4LMN2PRT5VWY"\n',
    'password = "Tr0ub4dor&3"\n',
    "app.run(host='0.0.0.0', debug=True)\n",
    "DEBUG = True\n",
    "x = (",
    "    ",
    "\n",
    "é = 'ü'  # non-ASCII columns\n",
]


def keys(doc: Document, full: bool) -> set[tuple]:
    assert doc.tree is not None
    return {(f.line, f.column, f.code, f.message) for f in scan(doc, full=full)}


def run(text: str) -> None:
    doc = Document("settings.py", text)
    if doc.tree is None:  # the engine never runs checkers on unparsed text
        return
    assert keys(doc, full=False) == keys(doc, full=True)  # walking only trigger lines loses nothing
    for finding in check_security(doc, CTX):
        assert finding.code.startswith("SEC")
        assert 1 <= finding.line <= finding.end_line
        for fix in finding.fixes:
            ast.parse(apply_edits(text, fix.edits))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_combined_fragments_never_crash_and_fixes_parse(parts: list[str]) -> None:
    run("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    run(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10), st.integers(min_value=0, max_value=400))
def test_partial_code_mid_typing(parts: list[str], cut: int) -> None:
    """Text cut at any point: either it does not parse (skipped) or it is analysed without error."""
    text = "".join(parts)
    run(text[: cut % (len(text) + 1)])


def test_every_fix_in_the_fragments_parses() -> None:
    text = "".join(FRAGMENTS[:-4])
    doc = Document("app.py", text)
    assert doc.tree is not None
    found = list(check_security(doc, CTX))
    assert sum(1 for f in found if f.fixes) >= 8
    for finding in found:
        for fix in finding.fixes:
            ast.parse(apply_edits(text, fix.edits))


def test_trigger_lines_find_everything_the_full_walk_finds_in_the_fixtures() -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures" / "security"
    for path in sorted(root.glob("*.py")):
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        assert keys(doc, full=False) == keys(doc, full=True), path.name


def test_a_trigger_in_a_decorator_is_walked_in_a_module_without_a_web_framework() -> None:
    """The gated walk starts a decorated definition at its first decorator: a key written in a
    decorator's arguments (test parametrisations) is found as the full walk finds it (it was
    missed: the decorator lines counted as 'between statements')."""
    text = (
        "import pytest\n\n\n"
        "@pytest.mark.parametrize(\"line\", ['AWS_ACCESS_KEY_ID = \"AKIAZ7QX4LMN2PRT5VWY\"'])\n"
        "def test_keys(line):\n"
        "    assert line\n"
    )
    gated = sorted((f.line, f.code) for f in scan(Document("t.py", text), full=False))
    full = sorted((f.line, f.code) for f in scan(Document("t.py", text), full=True))
    assert full == [(4, "SEC010")]
    assert gated == full


_FIXTURE_DOCS = [
    Document(str(path), path.read_text(encoding="utf-8"))
    for path in sorted((Path(__file__).resolve().parent.parent / "fixtures" / "security").rglob("*.py"))
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(sorted(WALK.codes)), min_size=1))
def test_walking_only_the_selected_rules_modules_finds_what_the_whole_walk_finds(selection: set[str]) -> None:
    """The engine's selection narrows the walk to the rule modules with a selected rule: for any
    selection, what it finds of the selected codes is what the walk of every module finds."""
    codes = frozenset(selection)
    for doc in _FIXTURE_DOCS:
        whole = {(f.line, f.column, f.code, f.message) for f in scan(doc) if f.code in codes}
        narrowed = {(f.line, f.column, f.code, f.message) for f in scan(doc, codes=codes) if f.code in codes}
        assert narrowed == whole, (doc.path, sorted(codes))


def test_an_unselected_rule_module_is_not_walked() -> None:
    """A rule module none of whose codes is selected (SEC023's, with every other SEC code) adds
    no handler to the walk."""
    from vetpy.rules.sec import authorization, walk_for

    others = frozenset(WALK.codes - {"SEC023"})
    handlers = {h for hs in walk_for(others).table.values() for h in hs}
    assert not handlers & set(authorization.MODULE.handlers.values())
    assert set(authorization.MODULE.handlers.values()) <= {h for hs in walk_for(None).table.values() for h in hs}


# -- incremental views: the statements whose findings are kept from an earlier analysis are not walked

_ALL_FIXTURE_DOCS = [
    Document(str(path), path.read_text(encoding="utf-8"))
    for path in sorted((Path(__file__).resolve().parent.parent / "fixtures").rglob("*.py"))
]


def _top_level_spans(doc: Document) -> list[tuple[int, int]]:
    assert doc.tree is not None
    return [(statement_start(s), s.end_lineno or s.lineno) for s in doc.tree.body]


def test_every_finding_lies_in_the_top_level_statement_of_the_node_reported_on() -> None:
    """What lets an incremental view skip the statements whose findings it does not take: a
    handler called for a node reports inside that node's top-level statement (a finding
    elsewhere would be lost when its statement changes and the node's does not)."""
    checked = 0
    for doc in _ALL_FIXTURE_DOCS:
        if doc.tree is None:
            continue
        spans = _top_level_spans(doc)
        sec = SecurityPass(doc, doc.tree, WALK, full=True)
        for node, finding in sec.found():
            line = getattr(node, "lineno")
            low, high = next(span for span in spans if span[0] <= line <= span[1])
            assert low <= finding.line <= high, (doc.path, finding.line, finding.code, line)
            checked += 1
    assert checked >= 150  # the fixtures' SEC findings, vulnerable and safe files


def _keys_in(findings: list[Finding], spans: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    return sorted((f.line, f.column, f.code, f.message) for f in findings if any(lo <= f.line <= hi for lo, hi in spans))


def test_a_view_reporting_some_statements_finds_there_what_the_whole_walk_finds() -> None:
    """A view of the whole module that takes the findings of every third top-level statement (the
    others' come from an earlier analysis) walks only those, and finds there exactly what the
    walk of the whole document finds (gated and full walks)."""
    compared = 0
    for doc in _ALL_FIXTURE_DOCS:
        if doc.tree is None:
            continue
        spans = _top_level_spans(doc)
        for full in (False, True):
            whole = scan(doc, full=full)
            for start in range(3):
                taken = spans[start::3]
                view = doc.view(list(doc.tree.body), taken)
                assert _keys_in(scan(view, full=full), taken) == _keys_in(whole, taken), (doc.path, full, start)
                assert all(any(lo <= f.line <= hi for lo, hi in taken) for f in scan(view, full=full))
                compared += len(_keys_in(whole, taken))
    assert compared >= 300


def test_a_view_does_not_walk_the_statements_it_does_not_report() -> None:
    text = (
        "import pickle\n\n\n"
        "def load(blob):\n"
        "    return pickle.loads(blob)\n\n\n"
        "def other(blob):\n"
        "    return pickle.loads(blob)\n"
    )
    doc = Document("t.py", text)
    assert doc.tree is not None
    assert sorted(f.line for f in scan(doc)) == [5, 9]
    view = doc.view(list(doc.tree.body), [(8, 9)])
    walked = {getattr(node, "lineno", None) for node, _func in SecurityPass(view, view.tree, WALK).nodes}
    assert 5 not in walked and 9 in walked
    assert [f.line for f in scan(view)] == [9]
