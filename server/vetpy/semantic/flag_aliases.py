"""A module-level check flag read through another flag (bottle's ``py = sys.version_info``, then
``py3k = py.major > 2``): the value with each earlier flag's name replaced by that flag's check, so
that ``py3k`` is ``sys.version_info.major > 2`` and is evaluated for the target like one."""

from __future__ import annotations

import ast
import copy
import re
from typing import Callable, Iterable, Iterator

from vetpy.astutil import child_nodes, walk


class _Through(ast.NodeTransformer):
    def __init__(self, flags: dict[str, ast.expr]) -> None:
        self.flags = flags

    def visit_Name(self, node: ast.Name) -> ast.expr:
        found = self.flags.get(node.id) if isinstance(node.ctx, ast.Load) else None
        return copy.deepcopy(found) if found is not None else node


def through_flags(value: ast.expr, flags: dict[str, ast.expr]) -> ast.expr:
    """``value`` with the names of ``flags`` (module-level names bound earlier to a version or
    platform check) replaced by their checks; ``value`` itself when it reads none of them.  The
    tree is never changed: the substitution is made on a copy."""
    if not flags or not any(isinstance(n, ast.Name) and n.id in flags for n in walk(value)):
        return value
    return _Through(flags).visit(copy.deepcopy(value))


def named_module_flag(test: ast.expr, imported: Iterable[str], known: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``known`` (what the test is already known to need) when not None; else the module an ``if``
    needs when its test is a flag named for a module its body imports: openpyxl's ``if LXML is
    True: from lxml.etree import Element`` (``LXML`` is bound to whether lxml imports), ``if
    HAS_LXML:``.  The body runs only where that module is present, like the ``else:`` of a ``try``
    that imports it; None for any other test (``if DEBUG: import lxml`` is still checked)."""
    if known is not None:
        return known
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is True:
        test = test.left  # `if LXML is True:`
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
    key = _FLAG_PREFIX.sub("", name.lower())
    # a flag that says it is one (`HAS_`, `_AVAILABLE`) may name a part of the module: botocore's
    # `HAS_CRT` is whether `awscrt` imports (boto3: `if HAS_CRT: import awscrt.s3`)
    partial = key != name.lower() and len(key) >= 3
    for module in imported:
        top = module.split(".")[0].lower()
        if top and (key == top or partial and (top.startswith(key) or top.endswith(key))):
            return (module.split(".")[0],)
    return None


# `HAS_LXML`, `HAVE_LXML`, `USE_LXML`, `WITH_LXML`, `LXML_AVAILABLE`, `LXML_INSTALLED`: the module's name
_FLAG_PREFIX = re.compile(r"^(?:has|have|use|with)_?|_?(?:available|installed|importable)$")


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def own_bindings(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> tuple[tuple[str, ast.AST], ...]:
    """(name, binding node) for every name ``fn`` binds in its own scope: parameters, assignment
    and loop targets, imports, handlers, nested definitions, ``global``/``nonlocal`` (a name
    declared so is never a local flag).  Comprehension targets are counted too: that can only
    make a flag look rebound (silencing less), never more.  Kept on ``fn`` (a parsed tree is
    never changed): every test under a function asks it again."""
    kept = getattr(fn, "_vetpy_own_bindings", None)
    if kept is None:
        kept = tuple(_own_bindings(fn))
        try:
            fn._vetpy_own_bindings = kept  # type: ignore[union-attr]
        except AttributeError:
            pass
    return kept


def _own_bindings(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[tuple[str, ast.AST]]:
    for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs, fn.args.vararg, fn.args.kwarg):
        if a is not None:
            yield a.arg, a
    for node in own_nodes(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id, node
        elif isinstance(node, ast.alias):
            yield (node.asname or node.name.split(".")[0]), node
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:  # twice: a declared name is never "bound exactly once" here
                yield name, node
                yield name, node
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name, node
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest, node
        elif isinstance(node, _SCOPES) and not isinstance(node, ast.Lambda):
            yield node.name, node


def own_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[ast.AST]:
    """The nodes of ``fn``'s own scope: those of its body, where a nested function, class or
    lambda counts with its decorators (read in ``fn``'s scope) but not with its own body."""
    todo = list(fn.body) if isinstance(fn.body, list) else [fn.body]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, _SCOPES):
            todo.extend(getattr(node, "decorator_list", ()))
        else:
            todo.extend(child_nodes(node))


def function_check_flags(fn: ast.AST, outer: dict[str, ast.expr],
                         is_check: Callable[[ast.expr], bool]) -> dict[str, ast.expr]:
    """The check flags seen inside the function ``fn``: those of ``outer`` (the module's, an
    enclosing function's) that ``fn`` does not rebind, and the names ``fn`` binds exactly once,
    by ``name = <a version or platform check>`` (marimo's ``tokenizes_fstring = sys.version_info
    >= (3, 12)``, then ``tokenize.FSTRING_START if tokenizes_fstring else ...``).  A name bound
    in ``fn`` in any other way, or more than once, or declared ``global``, is no flag there."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return outer
    # kept on ``fn`` for this ``outer`` (the same object while the scopes around are: each is
    # kept in turn, from the module's own on the tree) and ``is_check``
    kept = getattr(fn, "_vetpy_check_flags", None)
    if kept is not None and kept[0] is outer and kept[1] is is_check:
        return kept[2]
    found = _function_check_flags(fn, outer, is_check)
    try:
        fn._vetpy_check_flags = (outer, is_check, found)  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return found


def _function_check_flags(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, outer: dict[str, ast.expr],
                          is_check: Callable[[ast.expr], bool]) -> dict[str, ast.expr]:
    bindings = own_bindings(fn)
    count: dict[str, int] = {}
    for name, _node in bindings:
        count[name] = count.get(name, 0) + 1
    found = {name: value for name, value in outer.items() if name not in count}
    own = {id(node) for _name, node in bindings}
    # an assignment to one of fn's own bindings is in fn's own scope (its target is a child of it)
    assigned = [node for node in own_nodes(fn) if isinstance(node, ast.Assign) and len(node.targets) == 1
                and id(node.targets[0]) in own and count[node.targets[0].id] == 1]  # type: ignore[attr-defined]
    for node in sorted(assigned, key=lambda n: (n.lineno, n.col_offset)):
        value = through_flags(node.value, found)
        if is_check(value):
            found[node.targets[0].id] = value
    return found


def check_flags(tree: ast.Module, is_check: Callable[[ast.expr], bool]) -> dict[str, ast.expr]:
    """Module-level names bound once to a version or platform check (django-debug-toolbar's
    ``django_has_tasks_support = django.VERSION >= (6, 0)``, then ``if django_has_tasks_support:
    from django.tasks import task``): a test of such a name is a test of its expression.  Kept on
    the tree while its top-level statements are the same objects."""
    key = tuple(map(id, tree.body))  # an edited document's tree may be a new view of kept statements
    known = getattr(tree, "_vetpy_check_flags", None)
    if known is not None and known[0] == key:
        return known[1]
    bound: dict[str, int] = {}
    found: dict[str, ast.expr] = {}
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(
            stmt, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Name):
                bound[target.id] = bound.get(target.id, 0) + 1
                value = through_flags(stmt.value, found) if isinstance(stmt, ast.Assign) and len(targets) == 1 else None
                if value is not None and is_check(value):  # bottle's `py3k = py.major > 2`: through `py`
                    found[target.id] = value
    found = {name: value for name, value in found.items() if bound[name] == 1}
    try:
        tree._vetpy_check_flags = (key, found)  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return found


def scope_check_flags(module: ast.Module, scopes: list[ast.AST], is_check: Callable[[ast.expr], bool]) -> dict[str, ast.expr]:
    """The check flags seen where the innermost of ``scopes`` (functions, innermost first) is: the
    module's, then each enclosing function's own (:func:`function_check_flags`), outermost first."""
    checks = check_flags(module, is_check)
    for scope in reversed(scopes):
        checks = function_check_flags(scope, checks, is_check)
    return checks
