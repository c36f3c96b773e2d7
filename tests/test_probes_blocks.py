"""``runs_only_without_probed`` works out each enclosing block once (issue 17) and answers exactly
as the scan it replaced: the same answer for every node, after the same questions to ``has`` and
``importable`` in the same order, on generated code with imports, ``hasattr`` probes that return
or raise, ``except AttributeError`` fallbacks and nesting."""

from __future__ import annotations

import ast
import textwrap
from typing import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from vetpy.rules.hal.probes import _all_present, _catches_attribute_error, _ends, _missing_import, _probe, \
    runs_only_without_probed


def _reference(node: ast.AST, parents: dict[ast.AST, ast.AST], has: Callable[[ast.expr, str], bool],
               importable: Callable[[str], bool] | None = None) -> bool:
    """The algorithm before issue 17: every enclosing block's earlier statements rescanned per node."""
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, ast.If) and child is not cur.test:
            found = _probe(cur.test)
            if found is not None:
                in_body = child in cur.body
                if in_body != found[2] and has(found[0], found[1]):
                    return True
        if isinstance(cur, ast.ExceptHandler) and _catches_attribute_error(cur) and isinstance(parents.get(cur), ast.Try) \
                and _all_present(parents[cur].body, has):  # type: ignore[attr-defined]
            return True
        body = getattr(cur, "body", None)
        for block in (body, getattr(cur, "orelse", None), getattr(cur, "finalbody", None)):
            if not isinstance(block, list) or child not in block:
                continue
            for stmt in block[: block.index(child)]:
                if importable is not None and not isinstance(cur, ast.Module) and _missing_import(stmt, importable):
                    return True
                if isinstance(stmt, ast.If) and not stmt.orelse and _ends(stmt.body):
                    found = _probe(stmt.test)
                    if found is not None and found[2] and has(found[0], found[1]):
                        return True
        child, cur = cur, parents.get(cur)
    return False


_NAMES = ("a", "b", "c")
_MODULES = ("np", "os", "jna", "pkg.sub")

_simple = st.one_of(
    st.sampled_from(_MODULES).map(lambda m: f"import {m}"),
    st.sampled_from(_MODULES).map(lambda m: f"from {m} import thing"),
    st.just("from . import rel"),
    st.tuples(st.sampled_from(_MODULES[:3]), st.sampled_from(_NAMES)).map(lambda t: f"{t[0]}.{t[1]}(x)"),
    st.tuples(st.sampled_from(_MODULES[:3]), st.sampled_from(_NAMES)).map(lambda t: f"y = {t[0]}.{t[1]}"),
    st.tuples(st.sampled_from(("", "not ")), st.sampled_from(_MODULES[:3]), st.sampled_from(_NAMES),
              st.sampled_from(("return 1", "raise E", "pass"))).map(
        lambda t: f'if {t[0]}hasattr({t[1]}, "{t[2]}"):\n    {t[3]}'),
    st.just("return 0"),
)


def _indent(lines: list[str]) -> str:
    return textwrap.indent("\n".join(lines) or "pass", "    ")


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    body = st.lists(inner, min_size=1, max_size=4)
    probe = st.tuples(st.sampled_from(("", "not ")), st.sampled_from(_MODULES[:3]), st.sampled_from(_NAMES))
    return st.one_of(
        body.map(lambda b: "def f():\n" + _indent(b)),
        st.tuples(probe, body, st.none() | body).map(
            lambda t: f'if {t[0][0]}hasattr({t[0][1]}, "{t[0][2]}"):\n' + _indent(t[1])
            + ("" if t[2] is None else "\nelse:\n" + _indent(t[2]))),
        st.tuples(body, st.sampled_from(("AttributeError", "(KeyError, AttributeError)", "E")), body, st.none() | body).map(
            lambda t: "try:\n" + _indent(t[0]) + f"\nexcept {t[1]}:\n" + _indent(t[2])
            + ("" if t[3] is None else "\nfinally:\n" + _indent(t[3]))),
        st.tuples(body, st.none() | body).map(
            lambda t: "for i in x:\n" + _indent(t[0]) + ("" if t[1] is None else "\nelse:\n" + _indent(t[1]))),
    )


_statement = st.recursive(_simple, _compound, max_leaves=24)


@settings(max_examples=300, deadline=None)
@given(st.lists(_statement, min_size=1, max_size=8), st.sets(st.sampled_from(_NAMES)),
       st.sets(st.sampled_from(_MODULES)), st.booleans())
def test_same_answers_and_questions_as_the_rescan(statements: list[str], present: set[str], missing: set[str],
                                                  with_imports: bool) -> None:
    source = "\n".join(statements)
    try:
        tree = ast.parse(source)
    except SyntaxError:  # `return` outside a function is fine for ast.parse; anything else is skipped
        return
    parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    asked: list[tuple[str, str]] = []

    def has(expr: ast.expr, name: str) -> bool:
        asked.append((ast.unparse(expr), name))
        return name in present

    def importable(module: str) -> bool:
        asked.append(("import", module))
        return module not in missing

    blocks: dict = {}  # one per tree, shared by every question as the checker shares it
    for node in ast.walk(tree):
        asked.clear()
        expected = _reference(node, parents, has, importable if with_imports else None)
        expected_questions = list(asked)
        asked.clear()
        got = runs_only_without_probed(node, parents, has, importable if with_imports else None, blocks)
        assert (got, asked) == (expected, expected_questions), (source, ast.dump(node))


def test_the_cases_it_stands_for() -> None:
    """A table the generated code must cover: the probe fallback after `if hasattr(...): return`, the
    import the target cannot make (not at module level), the `else` of a probe; and look-alikes."""
    source = textwrap.dedent('''
        import jna
        jna.after_module_level_missing_import
        def f():
            if hasattr(np, "b"):
                return np.b
            np.after_function_probe
        def g():
            from jna import x
            np.after_missing_import
        def h():
            if hasattr(np, "c"):
                pass
            np.after_probe_that_falls_through
        if hasattr(np, "a"):
            return 1
        np.after_module_probe
    ''')
    tree = ast.parse(source)
    parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    blocks: dict = {}
    answers = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("after"):
            answers[node.attr] = runs_only_without_probed(
                node, parents, lambda expr, name: name in ("a", "b", "c"), lambda m: m != "jna", blocks)
            assert answers[node.attr] == _reference(
                node, parents, lambda expr, name: name in ("a", "b", "c"), lambda m: m != "jna")
    assert answers == {"after_module_probe": True, "after_function_probe": True, "after_missing_import": True,
                       "after_probe_that_falls_through": False, "after_module_level_missing_import": False}
    assert blocks, "the blocks were worked out and kept in the dict given"
