"""The import sites an incremental view reports (issue 17 point 4): HAL001/002 and DEP001-003 read
only the sites in the view's reported statements, and a view whose reported statements hold no
import statement skips working out the module's sites at all.  Both must give what filtering
every site gave."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import context_for

from vetpy.document import Document
from vetpy.semantic import imports as imports_module
from vetpy.semantic.imports import _may_hold_import, iter_import_sites, reported_import_sites

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("server/vetpy/**/*.py"), *ROOT.glob("tests/*.py")])

MODULE = '''\
import json
import os

try:
    import yaml
except ImportError:
    yaml = None


def plain(value):
    data = json.dumps({"k": value})
    return os.path.join(data, "x")


def lazy(value):
    import csv
    from collections import OrderedDict
    return csv, OrderedDict(value)
'''


def _view(doc: Document, name: str) -> Document:
    tree = doc.tree
    assert tree is not None
    stmt = next(s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == name)
    return doc.view(list(tree.body), [(stmt.lineno, stmt.end_lineno or stmt.lineno)])


def _filtered(doc: Document, ctx) -> list[tuple[int, str]]:
    return [(s.node.lineno, s.module) for s in iter_import_sites(doc, ctx) if doc.reports(s.node)]


def test_a_view_of_a_function_without_imports_reports_no_site_and_works_none_out(tmp_path, monkeypatch):
    ctx = context_for(tmp_path)
    view = _view(Document(str(tmp_path / "m.py"), MODULE), "plain")
    assert _filtered(view, ctx) == []  # the specification: no site lies in `plain`

    def unexpected(doc, ctx):  # noqa: ANN001, ANN202
        raise AssertionError("the module's import sites were worked out")

    monkeypatch.setattr(imports_module, "_import_sites", unexpected)
    assert reported_import_sites(_view(Document(str(tmp_path / "m.py"), MODULE), "plain"), ctx) == []


def test_a_view_of_a_function_with_imports_reports_exactly_its_sites(tmp_path):
    ctx = context_for(tmp_path)
    view = _view(Document(str(tmp_path / "m.py"), MODULE), "lazy")
    got = [(s.node.lineno, s.module) for s in reported_import_sites(view, ctx)]
    assert got == [(16, "csv"), (17, "collections")]
    assert got == _filtered(view, ctx)


def test_a_whole_document_reports_every_site(tmp_path):
    ctx = context_for(tmp_path)
    doc = Document(str(tmp_path / "m.py"), MODULE)
    got = [(s.node.lineno, s.module) for s in reported_import_sites(doc, ctx)]
    assert got == [(s.node.lineno, s.module) for s in iter_import_sites(doc, ctx)]
    assert {m for _, m in got} == {"json", "os", "csv", "collections"}  # `yaml`: tried under except ImportError


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_may_hold_import_is_never_false_for_a_statement_with_an_import(newline):
    """On every source of the repository, with each kind of line ending: a top-level statement
    the text test clears holds no import node (the test may say True for the word in a string)."""
    checked = cleared = 0
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if newline != "\n":
            text = text.replace("\n", newline)
        doc = Document(str(path), text)
        tree = doc.tree
        if tree is None:
            continue
        for stmt in tree.body:
            holds = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(stmt))
            may = _may_hold_import(doc, stmt)
            assert may or not holds, (path, stmt.lineno)
            checked += holds
            cleared += not may
    assert checked > 500 and cleared > 1000  # the sample has both kinds

