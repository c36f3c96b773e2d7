"""Per-statement parts of whole-document facts, kept across versions in the document's memo, must
equal the facts computed from scratch (the editor path: after an edit only the edited statement
is looked at again).

Specification: for every version of a randomly edited file and for views of any subset of its
top-level statements (what the incremental analysis runs the checkers on),

* the import map of the semantic model (``semantic(doc).imports``) equals
  ``ImportMap.from_nodes(doc.nodes)``: the same names in the same order, the same ambiguous names
  (a name imported from two modules, at any depth, in any statement, maps to nothing);
* the data-flow summaries' index of a module (the helpers, and every call of a bare name with its
  function and enclosing blocks, in walk order) equals that of a model built without the document;
  ``Summaries.helper(name)`` asked first (before the index, which it skips for a name that no
  undecorated module-level ``def`` has) gives the index's answer.
"""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental_reuse import edit_sequences

from vetpy.astutil import ImportMap
from vetpy.dataflow import ModuleFlow
from vetpy.dataflow.summaries import HandedCall, handed_over
from vetpy.document import Document, Parses
from vetpy.scopes import BLOCKS
from vetpy.semantic.model import semantic

pytestmark = pytest.mark.slow  # many examples


def _imports(imap: ImportMap) -> tuple[list[tuple[str, str]], set[str]]:
    return list(imap.names.items()), set(imap.ambiguous)


Sites = list[tuple[str, list[tuple[int, int, tuple[int, ...]]]]]


def _call_key(call: ast.Call) -> object:
    """A call site's identity: its node, or for a hand-over (``loop.run_in_executor(ex, f)``, the
    index's ``f()``, a node built afresh by each walk) the position of the handing call."""
    return ("handed", call.lineno, call.col_offset) if isinstance(call, HandedCall) else id(call)


def _summaries_index(flow: ModuleFlow) -> Sites:
    summaries = flow.summaries
    summaries._index()
    return [(name, [(_call_key(call), id(func), tuple(map(id, blocks))) for call, func, blocks in sites])
            for name, sites in sorted(summaries._calls.items())]


def _one_walk(tree: ast.Module) -> Sites:
    """The index as one walk of the whole module found it before it was kept per statement."""
    calls: dict[str, list[tuple[int, int, tuple[int, ...]]]] = {}
    stack: list[tuple[ast.AST, ast.AST | None, tuple[ast.AST, ...]]] = [(tree, None, ())]
    while stack:
        node, func, blocks = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, []).append((id(node), id(func), tuple(map(id, blocks))))
        if isinstance(node, ast.Call) and (handed := handed_over(node)) is not None:  # f of run_in_executor(ex, f)
            calls.setdefault(handed.func.id, []).append((_call_key(handed), id(func), tuple(map(id, blocks))))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner, inner_blocks = node, ()
        elif isinstance(node, ast.Lambda):
            continue
        elif isinstance(node, ast.ClassDef):
            inner, inner_blocks = None, ()
        else:
            inner, inner_blocks = func, blocks + (node,) if isinstance(node, BLOCKS) else blocks
        stack.extend((child, inner, inner_blocks) for child in ast.iter_child_nodes(node))
    return sorted(calls.items())


def _check(doc: Document) -> None:
    model = semantic(doc)
    assert _imports(model.imports) == _imports(ImportMap.from_nodes(doc.nodes))
    assert _imports(model.imports) == _imports(ImportMap.from_nodes(ast.walk(doc.tree)))
    assert _summaries_index(model.flow) == _one_walk(doc.tree)
    scratch = ModuleFlow(doc.tree, ImportMap.from_tree(doc.tree))  # no document: no memo
    assert _summaries_index(scratch) == _one_walk(doc.tree)
    assert model.flow.summaries._helpers == scratch.summaries._helpers
    # a fresh model answers helper(name) without the index for names no undecorated def has:
    # the same answer as the index's, for every def and every bare name called
    names = {name for name, _ in _one_walk(doc.tree)} | {n.name for n in ast.walk(doc.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    fresh = ModuleFlow(doc.tree, ImportMap.from_tree(doc.tree))
    assert {name: fresh.summaries.helper(name) for name in names} == {name: scratch.summaries._helpers.get(name) for name in names}


IMPORTS_EVERYWHERE = '''\
def early(flag):
    if flag:
        import csv
        import zlib as table
        return csv, table
    return helper(flag)


import json
import os.path as osp
import re as table


def load(raw):
    import yaml
    return yaml.safe_load(raw)


def fetch(url):
    import requests as json
    return json.get(url)


class Store:
    from collections import OrderedDict

    def keep(self):
        from os import path
        if path:
            helper(path)
        return self.OrderedDict()


def helper(value):
    global CACHE
    return json.dumps(value)


CACHE = helper(1)
'''


def test_imports_and_calls_at_every_depth_of_a_view() -> None:
    doc = Document("x.py", IMPORTS_EVERYWHERE)
    body = doc.tree.body
    for subset in ([*body], body[1:], body[::2], body[2:4], [body[-1]], []):
        view = doc.view(subset)
        _check(view)
    whole = semantic(doc.view([*body])).imports
    assert "json" in whole.ambiguous and "json" not in whole.names  # imported from two modules
    assert list(whole.names)[:2] == ["osp", "yaml"]  # walk order: the module's own imports first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_sequences(), data=st.data())
def test_statement_parts_equal_the_whole_over_random_edits(case, data) -> None:
    path, text, steps = case
    parses = Parses()
    lines = text.split("\n")
    for line, new in [(None, None), *steps]:
        if line is not None:
            lines[line - 1] = new
        doc = Document(str(path), "\n".join(lines), parses=parses)
        if doc.tree is None:
            continue
        _check(doc)
        body = doc.tree.body
        keep = data.draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
        _check(doc.view([stmt for stmt, kept in zip(body, keep) if kept]))


def test_an_edit_looks_again_only_at_the_edited_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the parts: the second version's view walks the edited statement alone."""
    from vetpy.dataflow import summaries

    parses = Parses()
    first = Document("x.py", IMPORTS_EVERYWHERE, parses=parses)
    semantic(first.view(first.tree.body)).flow.summaries._index()
    seen: list[ast.AST] = []
    original = summaries._statement_calls
    monkeypatch.setattr(summaries, "_statement_calls", lambda stmt: (seen.append(stmt), original(stmt))[1])
    second = Document("x.py", IMPORTS_EVERYWHERE.replace("return yaml.safe_load(raw)", "return yaml.load(raw)"), parses=parses)
    view = second.view(second.tree.body)
    semantic(view).flow.summaries._index()
    assert [getattr(stmt, "name", None) for stmt in seen] == ["load"]
    _check(view)


ROUTES_ONLY = '''\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/a")
def a():
    return jsonify(value=str(len(request.args)))


def search(text):
    return text
'''


def test_a_name_no_undecorated_def_has_is_no_helper_without_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """A route's data flow asks ``helper`` of every bare-name call it makes (``str``, ``len``,
    ``jsonify``) and of itself (decorated: never a helper): answered without walking the module
    for the index; a real helper still is one (the index is walked then)."""
    from vetpy.dataflow import summaries

    walked: list[ast.AST] = []
    original = summaries._statement_calls
    monkeypatch.setattr(summaries, "_statement_calls", lambda stmt: (walked.append(stmt), original(stmt))[1])
    doc = Document("x.py", ROUTES_ONLY)
    found = semantic(doc).flow.summaries
    assert [found.helper(name) for name in ("str", "len", "jsonify", "a")] == [None] * 4
    assert walked == []
    helper = found.helper("search")
    assert isinstance(helper, ast.FunctionDef) and helper.name == "search"
    assert walked
