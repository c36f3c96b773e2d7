"""Is a node inside a branch that never runs on the target: a platform/version/implementation
check false there or unevaluable, ``if TYPE_CHECKING:``, a skip mark (issue #17: answered once per
node of a document, not once per question).

The answer for a node is whether any step from it up to the module, a (child, parent) pair, says
so: the child is in a branch of an ``if`` (or conditional expression) whose test is not taken, it
follows an operand of an ``and``/``or`` that is, or the parent carries a skip mark.  What a step
says depends only on that pair and on what is above the parent (the functions around it and
their check flags), never on the node asked about: so each node's answer is its own step's and
its parent's, and is kept for the rest of the document (``HAL003`` and ``HAL004`` ask it of nearly
every attribute and call, whose ancestors are mostly the same few branches).
"""

from __future__ import annotations

import ast
import threading
from typing import TYPE_CHECKING

from vetpy.astutil import is_type_checking_test
from vetpy.semantic.flag_aliases import scope_check_flags
from vetpy.semantic.import_guards import skip_conditions
from vetpy.semantic.imports import mentions_sys_checks, not_taken, runs_only_after_elsewhere_exit
from vetpy.semantic.none_factories import holds_only_none, tested_for_none

if TYPE_CHECKING:
    from vetpy.environment.model import TargetEnvironment

Parents = dict[ast.AST, ast.AST]
Scopes = tuple[ast.AST, ...]  # the functions around a node whose own scope it is in, innermost first
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def runs_only_elsewhere(node: ast.AST, parents: Parents, env: TargetEnvironment | None,
                        _within: frozenset[tuple[str, int]] = frozenset()) -> bool:
    """Is ``node`` inside a branch of a platform/version/implementation check that is false for the
    target (``if sys.platform == "win32": os.startfile(p)``), of one that cannot be evaluated, or
    of ``if TYPE_CHECKING:``?  (``_within``: the names already being followed through a function
    that gives None, :func:`_step`; asked so, nothing is kept.)"""
    if _within:
        return _walked(node, parents, env, _within)
    memo = getattr(_SLOT, "memo", None)
    if memo is None or memo.parents is not parents or memo.env is not env:
        memo = _SLOT.memo = _Memo(parents, env)  # one document at a time per thread
    return memo.answer(node)


_SLOT = threading.local()


def forget() -> None:
    """Drop this thread's memo (the engine, when an analysis ends): it holds the document's parent
    map, so its whole tree, which must go with the analysis (a language server's analysis thread
    kept the last version it saw of a document, even after the document closed)."""
    _SLOT.memo = None


def _opens(child: ast.AST, cur: ast.AST) -> bool:
    """Is ``child`` in the own scope of the function ``cur`` (not its parameters or decorators)?"""
    return isinstance(cur, _FUNCTIONS) and child is not cur.args and child not in getattr(cur, "decorator_list", ())


class _Memo:
    """The answers for the nodes of one document (one parent map) and one target."""

    def __init__(self, parents: Parents, env: TargetEnvironment | None) -> None:
        self.parents, self.env = parents, env
        self.answers: dict[ast.AST, bool] = {}
        self.above: dict[ast.AST, Scopes] = {}  # the functions around each node answered
        self.flags: dict[Scopes, dict[str, ast.expr]] = {}
        self.module: ast.Module | None = None

    def answer(self, node: ast.AST) -> bool:
        answers, parents = self.answers, self.parents
        path = []
        cur = node
        while cur not in answers:
            parent = parents.get(cur)
            if parent is None:  # the top: only a module's nodes are ever answered
                if not isinstance(cur, ast.Module):
                    return False
                self.module, answers[cur], self.above[cur] = cur, False, ()
                break
            path.append(cur)
            cur = parent
        assert self.module is not None
        above = self.above
        for child in reversed(path):  # from the top down: each answer is its parent's and its own step's
            cur = parents[child]
            scopes = above[cur]
            above[child] = (cur, *scopes) if _opens(child, cur) else scopes
            answers[child] = answers[cur] or _step(child, cur, scopes, self.module, self.parents, self.env,
                                                   frozenset(), self._flags)
        return answers[node]

    def _flags(self, scopes: Scopes) -> dict[str, ast.expr]:
        found = self.flags.get(scopes)
        if found is None:
            assert self.module is not None
            found = self.flags[scopes] = scope_check_flags(self.module, list(scopes), mentions_sys_checks)
        return found


def _walked(node: ast.AST, parents: Parents, env: TargetEnvironment | None, within: frozenset[tuple[str, int]]) -> bool:
    """:func:`runs_only_elsewhere` worked out for ``node`` alone, keeping nothing."""
    path = [node]
    while (parent := parents.get(path[-1])) is not None:
        path.append(parent)
    module = path[-1]
    if not isinstance(module, ast.Module):
        return False
    scopes: list[Scopes] = [()] * len(path)  # of each node of the path
    for i in range(len(path) - 2, -1, -1):
        scopes[i] = (path[i + 1], *scopes[i + 1]) if _opens(path[i], path[i + 1]) else scopes[i + 1]
    seen: dict[Scopes, dict[str, ast.expr]] = {}

    def flags(around: Scopes) -> dict[str, ast.expr]:
        if around not in seen:
            seen[around] = scope_check_flags(module, list(around), mentions_sys_checks)
        return seen[around]
    return any(_step(path[i], path[i + 1], scopes[i + 1], module, parents, env, within, flags) for i in range(len(path) - 1))


def _step(child: ast.AST, cur: ast.AST, scopes: Scopes, module: ast.Module, parents: Parents,
          env: TargetEnvironment | None, within: frozenset[tuple[str, int]], flags) -> bool:  # noqa: ANN001 - Scopes -> flags
    """Does the step from ``child`` up to its parent ``cur`` (inside the functions ``scopes``) say
    that ``child`` never runs on the target?"""
    if isinstance(cur, ast.If) and (child in cur.body or child in cur.orelse) or \
            isinstance(cur, ast.IfExp) and child is not cur.test:  # `signal.CTRL_C_EVENT if ON_WINDOWS else n`
        in_body = child in cur.body if isinstance(cur, ast.If) else child is cur.body
        if in_body and is_type_checking_test(cur.test):
            return True  # `if TYPE_CHECKING:` never runs (flask-admin's tests: `flask_sqlalchemy.Session`)
        if not_taken(cur.test, in_body, _checks(cur.test, scopes, flags), env):
            return True
        name = tested_for_none(cur.test, in_body)
        if name and scopes and (name, id(scopes[0])) not in within and holds_only_none(
                name, scopes[0], module, lambda ret: runs_only_elsewhere(
                    ret, parents, env, within | {(name, id(scopes[0]))}) or runs_only_after_elsewhere_exit(ret, parents, env)):
            return True  # `if loop_factory is not None:`, bound to a call that gives None here
    elif isinstance(cur, ast.BoolOp) and child in cur.values:
        # `sys.version_info >= (3, 13) and not sys._is_gil_enabled()` (dask): the operands before child
        needed = isinstance(cur.op, ast.And)
        if any(not_taken(v, needed, _checks(v, scopes, flags), env) for v in cur.values[:cur.values.index(child)]):
            return True
    # `@pytest.mark.skipif(not is_windows())`: as an `if not ...:` around it (read outside the function)
    return any(not_taken(test, needed, _checks(test, scopes, flags), env) for test, needed in skip_conditions(cur))


def _checks(test: ast.expr, scopes: Scopes, flags) -> dict[str, ast.expr]:  # noqa: ANN001 - Scopes -> flags
    """The check flags :func:`not_taken` needs for ``test``: those of ``scopes`` when the test is a
    name or ``not`` a name (the only tests a flag stands for), else none (worked out only then)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    return flags(scopes) if isinstance(test, ast.Name) else {}
