"""One walk of an edited statement shared by the per-statement facts (issue 17 point 4):
``statement_nodes`` must be ``ast.walk``'s nodes in ``ast.walk``'s order, kept only for the
document's top-level statements, and the facts computed from it equal those of their own walks."""

from __future__ import annotations

import ast
from pathlib import Path

from vetpy.astutil import statement_nodes
from vetpy.document import Document
from vetpy.rules.sec.authorization import _routes_and_guards
from vetpy.semantic.statements import _statement_facts

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("server/vetpy/**/*.py")])


def test_statement_nodes_are_ast_walk_in_order_on_every_source():
    statements = 0
    for path in SOURCES:
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        if doc.tree is None:
            continue
        memo = doc.memo
        for stmt in doc.tree.body:
            nodes = statement_nodes(stmt, memo)
            assert nodes == list(ast.walk(stmt)), (path, stmt.lineno)  # the same objects, in order
            assert statement_nodes(stmt, memo) is nodes  # kept while the statement is
            statements += 1
    assert statements > 5000


def test_a_node_that_is_not_a_top_level_statement_is_walked_each_time():
    doc = Document("m.py", "def f():\n    def g():\n        return 1\n    return g\n")
    assert doc.tree is not None
    inner = doc.tree.body[0].body[0]  # type: ignore[attr-defined]
    first = statement_nodes(inner, doc.memo)
    assert first == list(ast.walk(inner))
    assert statement_nodes(inner, doc.memo) is not first  # not kept: the memo holds top-level statements only


def test_facts_from_the_shared_nodes_equal_those_of_their_own_walk():
    compared = 0
    for path in SOURCES[::7]:
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        if doc.tree is None:
            continue
        for stmt in doc.tree.body:
            nodes = statement_nodes(stmt, doc.memo)
            assert _statement_facts(stmt, nodes) == _statement_facts(stmt), (path, stmt.lineno)
            shared_routes, shared_guards = _routes_and_guards(stmt, nodes)
            own_routes, own_guards = _routes_and_guards(stmt)
            assert shared_guards == own_guards
            assert [(r.group, r.methods, r.path, r.guarded, r.unknown, r.writes) for r in shared_routes] == \
                [(r.group, r.methods, r.path, r.guarded, r.unknown, r.writes) for r in own_routes]
            compared += 1
    assert compared > 500
