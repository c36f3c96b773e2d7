"""The check flags of a function and the names a module binds are kept on the tree (issue #17:
at 10k lines, recomputing them for every test under a function was 40% of a cold check's CPU).
Kept answers must equal fresh ones, and a function node kept in a new tree (an edited document
reuses unchanged statements) must answer for the module flags around it now."""

from __future__ import annotations

import ast
import copy
import textwrap

from hypothesis import given, strategies as st

from vetpy.semantic import flag_aliases
from vetpy.semantic.flag_aliases import check_flags, function_check_flags, own_bindings, scope_check_flags
from vetpy.semantic.imports import mentions_sys_checks
from vetpy.semantic.none_factories import holds_only_none

_VALUES = ("sys.version_info >= (3, 12)", "sys.platform == 'win32'", "FLAG", "LOCAL", "1", "other()", "v.major > 2")
_NAMES = ("FLAG", "LOCAL", "v", "x")


def _program(module_lines: list[tuple[str, str]], body: list[tuple[str, str]], inner: list[tuple[str, str]]) -> str:
    out = ["import sys"]
    out += [f"{name} = {value}" for name, value in module_lines]
    out.append("def f(a):")
    out += [f"    {name} = {value}" for name, value in body] or ["    pass"]
    out.append("    def g():")
    out += [f"        {name} = {value}" for name, value in inner] or ["        pass"]
    return "\n".join(out) + "\n"


_lines = st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VALUES)), max_size=4)


def _fresh(tree: ast.Module) -> dict[str, str]:
    """scope_check_flags of the innermost function computed on a copy (nothing kept yet)."""
    tree = copy.deepcopy(tree)
    f = tree.body[-1]
    g = f.body[-1]
    return {k: ast.dump(v) for k, v in scope_check_flags(tree, [g, f], mentions_sys_checks).items()}


@given(_lines, _lines, _lines)
def test_kept_flags_equal_fresh_ones(module_lines, body, inner):
    tree = ast.parse(_program(module_lines, body, inner))
    f = tree.body[-1]
    g = f.body[-1]
    first = scope_check_flags(tree, [g, f], mentions_sys_checks)
    again = scope_check_flags(tree, [g, f], mentions_sys_checks)
    assert {k: ast.dump(v) for k, v in again.items()} == {k: ast.dump(v) for k, v in first.items()} == _fresh(tree)
    assert list(own_bindings(f)) == list(flag_aliases._own_bindings(f))


def test_a_function_asked_twice_is_walked_once(monkeypatch):
    tree = ast.parse(_program([], [("new", "sys.version_info >= (3, 12)")], []))
    f = tree.body[-1]
    outer = check_flags(tree, mentions_sys_checks)
    first = function_check_flags(f, outer, mentions_sys_checks)
    assert "new" in first
    monkeypatch.setattr(flag_aliases, "_own_bindings", lambda fn: (_ for _ in ()).throw(AssertionError("walked again")))
    assert function_check_flags(f, outer, mentions_sys_checks) is first


def test_a_kept_function_in_a_new_tree_answers_for_its_new_module():
    # an edited document: the function's node is kept, the module-level flag is gone
    source = textwrap.dedent("""\
        import sys
        PY312 = sys.version_info >= (3, 12)
        def f():
            if PY312:
                pass
    """)
    tree = ast.parse(source)
    f = tree.body[-1]
    assert "PY312" in scope_check_flags(tree, [f], mentions_sys_checks)
    edited = ast.Module(body=[tree.body[0], ast.parse("PY312 = compute()").body[0], f], type_ignores=[])
    assert "PY312" not in scope_check_flags(edited, [f], mentions_sys_checks)
    assert "PY312" in scope_check_flags(tree, [f], mentions_sys_checks)


def test_a_factory_is_found_by_its_one_definition_and_not_when_bound_twice():
    source = textwrap.dedent("""\
        import sys
        def _boot():
            if sys.platform == "win32":
                return object()
            return None
        def launch():
            factory = _boot()
            if factory is not None:
                pass
    """)
    tree = ast.parse(source)
    launch = tree.body[-1]
    assert holds_only_none("factory", launch, tree, lambda ret: True)
    assert not holds_only_none("factory", launch, tree, lambda ret: False)
    # the same statements with `_boot` bound a second time (in a new tree of kept statements)
    twice = ast.Module(body=[*tree.body, ast.parse("_boot = None").body[0]], type_ignores=[])
    assert not holds_only_none("factory", launch, twice, lambda ret: True)
