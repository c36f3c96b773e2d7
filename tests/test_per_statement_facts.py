"""Facts an edit used to recompute from every node of the file, now kept per top-level statement
(issue 17 point 4): each must equal the walk of every node it replaced, on the repository's
sources and on generated modules that put the construct in every kind of block."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vetpy.document import Document, statement_start
from vetpy.findings import _line_starts
from vetpy.resolve.narrowing import _SCOPES, _asserted
from vetpy.semantic.imports import edits_import_path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("server/vetpy/**/*.py"), *ROOT.glob("tests/*.py")])


def own_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes below ``node`` outside the scopes nested in it (recursively, for a second opinion)."""
    out: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _SCOPES):
            out += [child, *own_nodes(child)]
    return out


def asserted_by_one_walk(scope: ast.AST) -> dict[str, set[tuple[int, int]]]:
    """The definition before the per-statement parts: the assertions of the scope's own code."""
    found: dict[str, set[tuple[int, int]]] = {}
    for node in own_nodes(scope):
        if isinstance(node, ast.Assert):
            calls = [c for c in ast.walk(node.test) if isinstance(c, ast.Call)]
            for name in [a.id for c in calls for a in [*c.args, *(k.value for k in c.keywords)] if isinstance(a, ast.Name)]:
                found.setdefault(name, set()).add((node.lineno, node.col_offset))
    return found


def edits_path_by_one_walk(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("insert", "append", "extend") and isinstance(node.func.value, ast.Attribute) \
                    and node.func.value.attr == "path":
                return True
            if node.func.attr in ("addsitedir", "syspath_prepend"):
                return True
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                t = t.value if isinstance(t, ast.Subscript) else t
                if isinstance(t, ast.Attribute) and t.attr == "path" and isinstance(t.value, ast.Name) and t.value.id == "sys":
                    return True
    return False


def as_sets(found: dict[str, list[tuple[int, int]]]) -> dict[str, set[tuple[int, int]]]:
    return {name: set(positions) for name, positions in found.items()}


BLOCKS = (
    ([], []),
    (["if x:"], []),
    (["if x:", "    pass", "else:"], []),
    (["try:"], ["except E:", "    pass"]),
    (["try:", "    pass", "finally:"], []),
    (["with a as b:"], []),
    (["for i in y:"], []),
    (["while z:"], []),
    (["match v:", "    case [_]:"], []),
    (["def f():"], []),
    (["class C:"], []),
)
CONSTRUCTS = (
    ["assert isinstance(app, Application)"],
    ["assert check(value=app), 'msg'"],
    ["assert (lambda: guard(app))()"],
    ["sys.path.insert(0, here)"],
    ["sys.path = [here]"],
    ["sys.path[:0] = [here]"],
    ["sys.path += [here]"],
    ["site.addsitedir(here)"],
    ["x = [t for t in sys.path]"],
)


def generated() -> list[str]:
    out = []
    for opening, closing in BLOCKS:
        for construct in CONSTRUCTS:
            indent = "    " * sum(1 for line in opening if line.endswith(":"))
            body = [indent + line for line in construct]
            out.append("\n".join(["import sys", "app = make()", *opening, *body, *closing, "y = app"]) + "\n")
    return out


def check(text: str) -> None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    assert as_sets(_asserted(tree)) == asserted_by_one_walk(tree)
    doc = Document("m.py", text)
    assert doc.tree is not None
    body = doc.tree.body
    assert edits_import_path(doc) == edits_path_by_one_walk(doc.tree)
    for part in (body, body[::2], body[1::2], body[-3:]):
        view = doc.view(part)
        assert edits_import_path(view) == edits_path_by_one_walk(ast.Module(body=part, type_ignores=[]))
        again = doc.view(part)  # from the memo this time
        assert edits_import_path(again) == edits_import_path(view)
        module = ast.Module(body=part, type_ignores=[])  # a view's module is new on every edit
        assert as_sets(_asserted(module)) == asserted_by_one_walk(module)
    for stmt in body:
        decorators = getattr(stmt, "decorator_list", None) or []
        assert statement_start(stmt) == min([stmt.lineno, *(d.lineno for d in decorators)])


@pytest.mark.parametrize("text", generated())
def test_generated_modules(text: str) -> None:
    check(text)


def test_generated_modules_exercise_both_answers() -> None:
    """The generated modules must hold cases of each answer, or the comparison tests nothing."""
    answers = {edits_path_by_one_walk(ast.parse(t)) for t in generated()}
    assert answers == {True, False}
    assert any(asserted_by_one_walk(ast.parse(t)) for t in generated())
    assert any(not asserted_by_one_walk(ast.parse(t)) for t in generated())


@pytest.mark.slow
def test_repository_sources() -> None:
    assert len(SOURCES) > 100
    for path in SOURCES:
        check(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb\n\nc", "\n\n", "é\nx\n", "a\r\nb", "a\rb\nc"])
def test_line_starts(text: str) -> None:
    assert _line_starts(text) == [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


def test_the_facts_of_every_statement_at_once_are_each_ones() -> None:
    """``each_statement_facts`` (the planner's and the whole-file facts' loop over every top-level
    statement) gives what ``statement_facts`` gives statement by statement, and keeps it."""
    from vetpy.astutil import NodeMemo
    from vetpy.semantic.statements import _statement_facts, each_statement_facts, statement_facts

    for path in SOURCES[::7]:
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        if doc.tree is None:
            continue
        body = doc.tree.body
        together = each_statement_facts(body, doc.memo)
        assert together == [_statement_facts(s) for s in body], path
        assert all(a is statement_facts(s, doc.memo) for a, s in zip(together, body))  # kept in the memo
        fresh = NodeMemo()  # statements it does not hold: computed, not kept
        assert each_statement_facts(body, fresh) == together and len(fresh) == 0
