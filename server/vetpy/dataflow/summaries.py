"""Function summaries inside one module: request data that crosses a call to a helper of the same module.

The local model (:mod:`vetpy.dataflow.flow`) gives a call to a user function the value UNKNOWN,
and a helper's parameters the value UNKNOWN, so a handler that passes ``request.args["sort"]`` to
``search(sort)`` whose ``execute("... ORDER BY " + sort)`` is the injection is silent, and so is a
handler that formats what ``current_sort()`` returns.  Two summaries close that, computed once
per document, on first use, and read by every SEC taint rule through :class:`Scope` values (no
rule knows them):

* **arguments** (:meth:`Summaries.passed`): a parameter of a helper takes the untrusted values
  that calls in the same module pass to it; the finding is then at the sink, in the helper, and
  its source names the caller (``request.args passed to `search` by `items` (line 40)``).
  Only in modules that use a web framework: those are analysed whole after every edit, so a
  helper's findings never outlive a change of its callers (:mod:`vetpy.incremental`).
* **returns** (:meth:`Summaries.returned`): a call of a helper has the value of the helper's
  ``return`` expressions, evaluated with its parameters bound to the call's arguments (what the
  helper does on the way counts: ``int(raw)`` is a number, ``shlex.quote(name)`` is clean for a
  shell, ``"ORDER BY " + col`` is formatted).

A helper is a module-level ``def``, undecorated (a decorator may validate or change the
arguments), bound once (never rebound or declared ``global``), called by its bare name with
arguments that map to its parameters (no ``*args``/``**kwargs`` at the call).  One level deep:
the callers' values and the helpers' returns are evaluated by the local model without summaries
(a base scope), so the result is bounded and does not depend on the order of questions.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from vetpy.astutil import child_nodes
from vetpy.dataflow.path_patterns import segment_checked
from vetpy.dataflow.values import CONSTANT, UNKNOWN, FunctionNode, Trust, Value, join_all
from vetpy.scopes import BLOCKS

# The model (vetpy.dataflow.flow) makes its summaries and hands them its scope maker, so that this
# module need not import it: a ModuleFlow and a Scope here are those of that module.
ModuleFlow = Any
Scope = Any
ScopeMaker = Callable[["FunctionNode | None", "dict[str, Value] | None"], Any]  # a scope without summaries

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
CallSite = tuple[ast.Call, "FunctionNode | None", tuple[ast.AST, ...]]  # the call, its function, its enclosing blocks


class Summaries:
    """The summaries of one module's helpers (see the module docstring)."""

    def __init__(self, flow: ModuleFlow, base_scope: ScopeMaker) -> None:
        self.flow = flow
        self._make = base_scope
        self._helpers: dict[str, FunctionNode] | None = None
        self._candidates: frozenset[str] | None = None
        self._calls: dict[str, list[CallSite]] = {}
        self._base: dict[FunctionNode | None, Scope] = {}
        self._passed: dict[FunctionNode, dict[str, Value]] = {}
        self._returned: dict[tuple[int, tuple[tuple[str, Value], ...]], Value] = {}
        self._returns: dict[FunctionNode, list[tuple[ast.Return, tuple[ast.AST, ...]]]] = {}

    # -- which functions are helpers -----------------------------------------------------------
    def helper(self, name: str) -> FunctionNode | None:
        """The module-level function ``name`` if calls of it can be summarised."""
        if self._helpers is None:
            if self._candidates is None:
                self._candidates = frozenset(stmt.name for stmt in self.flow.tree.body
                                             if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.decorator_list)
            if name not in self._candidates:
                return None  # no undecorated module-level `def name`: the walk of :meth:`_index` can't find one
            self._index()
        assert self._helpers is not None
        return self._helpers.get(name)

    def _index(self) -> None:
        """One walk of the module: the helpers, and every call of a bare name with where it is.
        Each top-level statement's part depends on its subtree alone: kept in the document's memo
        (:meth:`ScopeIndex.memo`) while the statement is, so after an edit only the edited
        statement is walked.  The parts are put together in the order of one walk of the module
        (a stack: the last statement first, each statement's subtree at once)."""
        tree = self.flow.tree
        module_sites = self.flow.scopes.table(tree).sites
        declared_global: set[str] = set()
        calls: dict[str, list[CallSite]] = {}
        memo = self.flow.scopes.memo
        body = list(reversed(tree.body))
        parts = memo.each(body, "dataflow.summaries.calls", _statement_calls) if memo is not None else map(_statement_calls, body)
        for names, sites in parts:
            declared_global |= names
            for name, found in sites.items():
                calls.setdefault(name, []).extend(found)
        helpers: dict[str, FunctionNode] = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.decorator_list:
                sites = module_sites.get(stmt.name, [])
                if len(sites) == 1 and sites[0].node is stmt and stmt.name not in declared_global:
                    helpers[stmt.name] = stmt
        self._helpers = helpers
        self._calls = calls

    def _base_scope(self, func: FunctionNode | None) -> Scope:
        """The local model of ``func`` without summaries (one level deep)."""
        found = self._base.get(func)
        if found is None:
            found = self._base[func] = self._make(func, None)
        return found

    # -- arguments: what callers pass to a helper's parameters --------------------------------
    def passed(self, func: FunctionNode) -> dict[str, Value]:
        """The untrusted values calls in this module pass to ``func``'s parameters, by name."""
        found = self._passed.get(func)
        if found is not None:
            return found
        found = self._passed[func] = {}
        if not self.flow.web or self.helper(func.name) is not func or self.flow.handler(func):
            return found
        for call, caller, blocks in self._calls.get(func.name, []):
            bound = bind_arguments(func, call)
            if bound is None or (caller is not None and caller is func):
                continue
            scope = self._base_scope(caller)
            if caller is not None and func.name in scope.bindings:
                continue  # a local of the caller shadows the helper
            for name, arg in bound.items():
                value = scope.value(arg, at=call, ancestors=blocks)
                if value.trust is not Trust.UNTRUSTED:
                    continue
                value = segment_checked(value, arg, caller, self.flow.tree)
                where = f"`{caller.name}`" if caller is not None else "module code"
                value = replace(value, source=f"{value.source or 'request input'} passed to `{func.name}` by {where} (line {call.lineno})")
                found[name] = found[name].join(value) if name in found else value
        return found

    def handed_only(self, func: FunctionNode) -> bool:
        """Is every call of ``func`` in this module a hand-over (``asyncio.to_thread(func, ...)``)?"""
        if self.helper(func.name) is not func:
            return False
        sites = self._calls.get(func.name, [])
        return bool(sites) and all(isinstance(call, HandedCall) for call, _, _ in sites)

    # -- returns: the value of a call of a helper -----------------------------------------------
    def returned(self, call: ast.Call, scope: Scope, depth: int) -> Value | None:
        """The value of ``call`` (a bare-name call in ``scope``) if it calls a helper, else None."""
        assert isinstance(call.func, ast.Name)
        func = self.helper(call.func.id)
        if func is None:
            return None
        bound = bind_arguments(func, call)
        if bound is None:
            return None
        params: dict[str, Value] = {}
        every = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        defaults = parameter_defaults(func)
        for param in every:
            if param.arg in bound:
                params[param.arg] = scope._value(bound[param.arg], depth)
            else:
                default = defaults.get(param.arg)
                params[param.arg] = CONSTANT if isinstance(default, ast.Constant) else UNKNOWN
        for extra in (func.args.vararg, func.args.kwarg):
            if extra is not None:
                params[extra.arg] = UNKNOWN
        key = (id(func), tuple(sorted(params.items(), key=lambda item: item[0])))
        found = self._returned.get(key)
        if found is not None:
            return found
        # without summaries: a helper's own calls of helpers (itself too) are not followed
        probe = self._make(func, params)
        found = self._returned[key] = self._return_value(func, probe)
        return found

    def _return_value(self, func: FunctionNode, probe: Scope) -> Value:
        returns = self._returns.get(func)
        if returns is None:
            returns = self._returns[func] = own_returns(func)
        if returns is None:
            return UNKNOWN  # a generator
        values = [CONSTANT if ret.value is None else probe.value(ret.value, at=ret, ancestors=blocks) for ret, blocks in returns]
        return join_all(values)


def _statement_calls(stmt: ast.AST) -> tuple[frozenset[str], dict[str, list[CallSite]]]:
    """What one top-level statement holds for :meth:`Summaries._index`: the names it declares
    ``global`` and its calls of bare names (each with its function and enclosing blocks), in the
    order of a depth-first walk that visits the last child first."""
    declared_global: set[str] = set()
    calls: dict[str, list[CallSite]] = {}
    stack: list[tuple[ast.AST, FunctionNode | None, tuple[ast.AST, ...]]] = [(stmt, None, ())]
    while stack:
        node, func, blocks = stack.pop()
        if isinstance(node, ast.Global):
            declared_global.update(node.names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, []).append((node, func, blocks))
        if isinstance(node, ast.Call) and (handed := handed_over(node)) is not None:
            calls.setdefault(handed.func.id, []).append((handed, func, blocks))  # type: ignore[attr-defined]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner_func: FunctionNode | None = node
            inner_blocks: tuple[ast.AST, ...] = ()
        elif isinstance(node, ast.Lambda):
            continue  # a lambda's body is another scope: its calls are not followed
        elif isinstance(node, ast.ClassDef):
            inner_func, inner_blocks = None, ()
        else:
            inner_func = func
            inner_blocks = blocks + (node,) if isinstance(node, BLOCKS) else blocks
        for child in child_nodes(node):
            stack.append((child, inner_func, inner_blocks))
    if not declared_global and not calls:
        return _NOTHING  # most statements of module code: one shared part (kept for every statement)
    return frozenset(declared_global), calls


_NOTHING: tuple[frozenset[str], dict[str, list[CallSite]]] = (frozenset(), {})  # never modified

# methods that call the function they are given with the arguments that follow it: Starlette's and
# FastAPI's BackgroundTasks, concurrent.futures executors
RUNNERS = frozenset({"add_task", "submit"})


class HandedCall(ast.Call):
    """The call a hand-over makes later (``asyncio.to_thread(f, x)`` is ``f(x)``), at its position."""


def handed_parts(call: ast.Call, to_thread: bool) -> tuple[ast.expr, list[ast.expr], list[ast.keyword]] | None:
    """The function a hand-over calls later and the arguments it gets (``background.add_task(f, *args)``,
    ``executor.submit(f, *args)``, ``loop.run_in_executor(executor, f, *args)``, and, when
    ``to_thread`` says the call is ``asyncio.to_thread``, ``to_thread(f, *args)``), or None."""
    attr = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if call.args and (to_thread or attr in RUNNERS):
        return call.args[0], call.args[1:], call.keywords
    if attr == "run_in_executor" and len(call.args) >= 2 and not call.keywords:
        return call.args[1], call.args[2:], []
    return None


def handed_over(call: ast.Call) -> ast.Call | None:
    """``asyncio.to_thread(_download, url)``, ``background.add_task(f, x)``, ``executor.submit(f, x)``,
    ``loop.run_in_executor(None, f, x)``: the call of the bare name handed over (``_download(url)``),
    which runs later with those arguments."""
    func = call.func
    to_thread = isinstance(func, ast.Attribute) and func.attr == "to_thread" and isinstance(func.value, ast.Name) \
        and func.value.id == "asyncio"
    parts = handed_parts(call, to_thread) if isinstance(func, ast.Attribute) else None
    if parts is None or not isinstance(parts[0], ast.Name):
        return None
    target, args, keywords = parts
    return ast.copy_location(HandedCall(func=target, args=list(args), keywords=list(keywords)), call)


def bind_arguments(func: FunctionNode, call: ast.Call) -> dict[str, ast.expr] | None:
    """The argument ``call`` passes to each parameter of ``func`` it names, or None when that
    cannot be told (``*args``/``**kwargs`` at the call, too many arguments, an unknown keyword)."""
    args = func.args
    positional = args.posonlyargs + args.args
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(positional):
        return None
    bound = {p.arg: a for p, a in zip(positional, call.args)}
    by_keyword = {p.arg for p in args.args + args.kwonlyargs}
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in by_keyword or kw.arg in bound:
            return None
        bound[kw.arg] = kw.value
    return bound


def parameter_defaults(func: FunctionNode) -> dict[str, ast.expr]:
    """Each parameter's default expression, by name (positional and keyword-only)."""
    args = func.args
    positional = args.posonlyargs + args.args
    found = dict(zip([a.arg for a in positional][::-1], args.defaults[::-1]))
    found.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return found


def own_returns(func: FunctionNode) -> list[tuple[ast.Return, tuple[ast.AST, ...]]] | None:
    """Every ``return`` of ``func``'s own body with its enclosing blocks; None for a generator."""
    found: list[tuple[ast.Return, tuple[ast.AST, ...]]] = []
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(stmt, ()) for stmt in func.body]
    while stack:
        node, blocks = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(node, ast.Return):
            found.append((node, blocks))
        if isinstance(node, _NESTED):
            continue
        inner = blocks + (node,) if isinstance(node, BLOCKS) else blocks
        stack.extend((child, inner) for child in child_nodes(node))
    return found
