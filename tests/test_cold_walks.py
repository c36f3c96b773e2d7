"""Less walking in a cold check (issue 17), with the same answers: the names of a module's
``global`` statements come from its statement lists alone (``resolve/static.py``), and the
security pass's statements at the trigger lines bisect each statement list's first lines once
(``rules/sec/walk.py``)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import vetpy
from vetpy.resolve.static import _global_names
from vetpy.rules.sec.walk import _child_statement_at, _first_line, _statements_at

REPO = Path(__file__).resolve().parent.parent

NESTED = textwrap.dedent('''\
    def a():
        global A
        try:
            global B
        except ValueError:
            global C
        else:
            global D
        finally:
            global E
        while x:
            global F
        else:
            global G

    class K:
        def m(self):
            match y:
                case 1:
                    global H
            with z:
                if w:
                    global I
                elif v:
                    global J
            lam = lambda: None
    async def b():
        async for i in it:
            global L
        async with c:
            global M
    ''')


def _walked(tree: ast.AST) -> set[str]:
    return {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}


def test_global_names_from_statement_lists_are_those_of_a_whole_walk():
    tree = ast.parse(NESTED)
    assert set(_global_names(tree.body)) == _walked(tree) == set("ABCDEFGHIJLM")
    try_star = ast.parse("try:\n    pass\nexcept* ValueError:\n    global N\n")
    assert set(_global_names(try_star.body)) == {"N"}
    sources = [*Path(vetpy.__file__).parent.rglob("*.py"), *Path(ast.__file__).parent.glob("*.py")]
    for path in sorted(sources)[:400]:
        tree = ast.parse(path.read_bytes())
        assert set(_global_names(tree.body)) == _walked(tree), path


def _child_by_scan(node: ast.AST, line: int) -> ast.AST | None:
    """The statement of ``node``'s lists that holds ``line``, found by reading every statement
    (the oracle of the bisection)."""
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        started = [stmt for stmt in getattr(node, name, None) or () if _first_line(stmt) <= line]
        if started:
            end = started[-1].body[-1] if isinstance(started[-1], ast.match_case) else started[-1]
            if line <= (end.end_lineno or 0):
                return started[-1]
    return None


def test_statements_at_lines_are_found_as_before():
    for path in sorted(Path(vetpy.__file__).parent.rglob("*.py"))[:120]:
        tree = ast.parse(path.read_bytes())
        firsts: dict[int, list[int]] = {}
        for line in range(1, len(path.read_text(encoding="utf-8").splitlines()) + 1, 3):
            node: ast.AST = tree
            while True:
                kept, fresh = _child_statement_at(node, line, firsts), _child_by_scan(node, line)
                assert kept is fresh, (path, line)
                if kept is None:
                    break
                node = kept
        assert _statements_at(tree, range(1, 400, 7))  # and the whole question still answers
