"""HAL003 on an attribute read of a ``with`` target whose context manager's ``__enter__``
certainly returns None (issue 15): ``with np.errstate(divide="ignore") as state`` binds ``state``
to None (numpy's ``errstate.__enter__`` only sets the error state), so ``state.divide`` raises
AttributeError every time it runs.

Certain only when all of these hold:

- the manager is a call of an installed class itself (``np.errstate(...)``), which the inference
  knows as an instance of exactly that class (not an annotated value nor a factory's result: a
  subclass may return ``self``);
- the ``__enter__`` the runtime finds on that class (the worker names the class of its MRO that
  defines it) is a plain function, and the package's own source gives exactly one ``def`` of it
  there: not ``async``, no decorator, no ``yield``, no ``return`` with a value (a bare ``return``
  or none at all);
- the target is a plain name of a ``with`` (not ``async with``) statement, and the read is in
  the statement's body, with no statement before it there that binds, deletes or tests the name,
  nor leaves the block; not inside a nested function or lambda, a conditional expression, another
  ``with`` or a ``try`` that catches AttributeError (as for :mod:`none_results`).

Dunder names exist on None and are never reported.
"""

from __future__ import annotations

import ast
from typing import Any, Iterable, Iterator

from vetpy.astutil import node_memo, walk, walk_statements
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.resolve.source_overloads import _source_index
from vetpy.resolve.static import resolve_relative
from vetpy.resolve.stub_names import _flat_of, _named
from vetpy.resolve.value import ANNOTATED, INSTANCE, OBJECT
from vetpy.rules.hal.none_results import _binds, _declared, none_read_finding, reads_before_rebinding
from vetpy.rules.registry import REGISTRY
from vetpy.semantic.document import document_inference

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _gives_nothing(fn: ast.AST) -> bool:
    """Does the source ``def`` ``fn`` certainly return None: a plain, undecorated function whose
    own body (nested definitions aside) has no ``yield``/``await`` and no ``return`` of a value?"""
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list:
        return False
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, _NESTED):
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)) or isinstance(node, ast.Return) and node.value is not None:
            return False
        todo.extend(ast.iter_child_nodes(node))
    return True


def entered_none(inference: Any, manager: ast.expr) -> str | None:
    """The class name when ``with manager as x`` certainly binds ``x`` to None; else None."""
    if not isinstance(manager, ast.Call) or inference.stubs is None:
        return None
    func = inference.infer(manager.func)
    made = inference.infer(manager)
    if func is None or made is None or func.kind != OBJECT or made.kind != INSTANCE or made.name == ANNOTATED:
        return None
    info = inference.members.describe(func.path)
    if not info or info.get("kind") != "class" or made.path not in (func.path, info.get("canonical")):
        return None  # `make()` or a class whose construction gives another object: not followed
    found = inference.members.method(made.path, "__enter__")
    owner = (found or {}).get("owner")
    if not found or not found.get("found") or found.get("kind") != "function" or not owner or "." not in owner:
        return None
    module, _, cls = owner.rpartition(".")
    source = _source_index(inference.stubs)
    defs = source.definitions(module, f"{cls}.__enter__")
    if defs is None:  # re-exported through `from .x import *` (numpy._core): the module that defines it
        defining = _defining_module(source, module, cls)
        defs = source.definitions(defining, f"{cls}.__enter__") if defining else None
    if defs is None or defs[0] is None or defs[0].name != cls or len(defs[1]) != 1:
        return None
    if _enter_bindings(defs[0]) != 1:
        return None  # bound again in the class body (`__enter__ = other`)
    tree = source.tree(defs[2])
    if tree is None or _replaced(tree, cls):
        return None  # `Cls.__enter__ = other` after the class: the runtime's may not be this one
    return cls if _gives_nothing(defs[1][0]) else None


@node_memo
def _enter_bindings(cls: ast.ClassDef) -> int:
    """How many times the class ``cls`` (its whole subtree) names ``__enter__`` as a bare name or
    defines it.  Kept per class node (an installed module's tree, read on every edit)."""
    return sum(isinstance(n, ast.Name) and n.id == "__enter__" or isinstance(n, ast.FunctionDef) and n.name == "__enter__"
               for n in walk(cls))


def _replaced(tree: ast.Module, cls: str) -> bool:
    """Does a node of ``tree`` (the module defining ``cls``) set ``cls.__enter__`` or name it as a
    string (``setattr(klass, "__enter__", f)``)?"""
    named, stored, other = _enter_stores(tree)
    return named or other or cls in stored


@node_memo
def _enter_stores(tree: ast.Module) -> tuple[bool, frozenset[str], bool]:
    """(a string ``"__enter__"`` is in ``tree``, the names ``X`` of every ``X.__enter__ = ...``
    (or ``del``), some ``<not a name>.__enter__`` is set): one walk of an installed module per
    module, not per class and edit."""
    named = other = False
    stored: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Constant):
            named = named or node.value == "__enter__"
        elif isinstance(node, ast.Attribute) and node.attr == "__enter__" and not isinstance(node.ctx, ast.Load):
            if isinstance(node.value, ast.Name):
                stored.add(node.value.id)
            else:
                other = True
    return named, frozenset(stored), other


def _defining_module(source: Any, module: str, name: str, depth: int = 0) -> str | None:
    """The module of the package's source that defines the class ``name`` that ``module`` gives,
    following ``from x import name`` and ``from x import *`` (version branches included); else None."""
    tree = source.tree(module)
    if tree is None or depth > 4:
        return None
    if any(isinstance(d, ast.ClassDef) for d in _named(tree).get(name, ())):
        return module
    package = module in source._packages
    for st in _flat_of(tree):
        if not isinstance(st, ast.ImportFrom):
            continue
        for alias in st.names:
            if alias.name == "*" and not name.startswith("_") or (alias.asname or alias.name) == name:
                base = resolve_relative(module, package, st.level or 0, st.module)
                found = _defining_module(source, base, name if alias.name == "*" else alias.name, depth + 1) if base else None
                if found is not None:
                    return found
    return None


def none_entered_findings(doc: Document, inference: Any) -> Iterator[Finding]:
    tree, parents = doc.tree, inference.parents
    assert isinstance(tree, ast.Module)
    declared: tuple[set[str], bool] | None = None
    for stmt in walk_statements(tree):  # ast.walk's order, statements only
        if not isinstance(stmt, ast.With):
            continue
        for item in stmt.items:
            if not isinstance(item.optional_vars, ast.Name):
                continue
            name = item.optional_vars.id
            if any(_binds(other.context_expr, name) or other.optional_vars is not None and other is not item
                   and _binds(other.optional_vars, name) for other in stmt.items):
                continue
            label = entered_none(inference, item.context_expr)
            if label is None:
                continue
            if declared is None:
                declared = _declared(tree)
            if name in declared[0] or isinstance(inference.scope_of(stmt), ast.Module) and declared[1]:
                continue
            for read in reads_before_rebinding(doc, stmt.body, name, parents):
                yield _finding(doc, read, name, label, stmt.lineno)


def _finding(doc: Document, read: ast.Attribute, name: str, label: str, line: int) -> Finding:
    return none_read_finding(doc, read, (
        f"`{name}` is None here: the `with` on line {line} binds it to what `{label}.__enter__` returns, "
        f"and it returns nothing, so `{name}.{read.attr}` raises AttributeError (use the manager "
        f"itself, or drop `as {name}`)"))


@REGISTRY.checker("HAL003", introspection=True, local=True)
def check_none_entered(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    if ctx.members is None or ctx.resolver is None or ctx.environment is None or doc.tree is None:
        return
    yield from none_entered_findings(doc, document_inference(doc, ctx, ctx.members))
