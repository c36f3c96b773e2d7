"""Do the project's callers of a function pass it only values the program chose?

SEC025 reports a shell command built from a parameter of the running function (the caller
decides what it holds).  When the project calls that function, the callers can be read: if every
call passes, for each parameter that reaches the command, a value the program chose (a constant,
a module constant, a value built from the project's own functions called with such values, the
object's own state), no caller's text reaches the shell and nothing is reported.  dstack's
``remove_host_info_if_exists(client, get_dstack_working_dir())`` is the case: the helper runs
``f"sudo rm {file_path}"``, and every caller passes the working directory the program computes.

Conservative in both directions of doubt: a function the project never calls (a library's API),
a call with ``*args``/``**kwargs``, a value from a parameter of the caller, a loop or with target,
a call of a third-party function or method (``request.args.get("x")``) or anything else not listed
above leaves the finding as it was.  Callers are found by name (``name(...)``, ``<x>.name(...)``)
in the module itself and the project modules that import it; a call of another function of the same
name only adds call sites, which can only keep a finding.

The importers' files are reads of the analysis (result cache; the editor re-checks on save).
"""

from __future__ import annotations

import ast
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from vetpy import reads
from vetpy.astutil import NodeMemo, child_nodes, dotted_name, walk
from vetpy.rules.sec.sink_summaries import caller_text, note_dependent
from vetpy.scopes import parameter_names
from vetpy.trees import parse_file

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

MAX_IMPORTERS = 40  # files read for one question: beyond that, the finding stays
# calls that build a value from their arguments without adding outside text
_PURE_BUILTINS = frozenset({"str", "int", "float", "len", "bool", "Path", "PurePath", "PurePosixPath", "os.path.join",
                            "posixpath.join", "shlex.quote", "shlex.join", "sorted", "tuple", "list", "repr", "format"})


def chosen_by_program(sec: object, func: FunctionNode, params: frozenset[str]) -> bool:
    """Does every call of ``func`` in the project pass, for each of ``params``, a value the
    program chose (and is there at least one call)?"""
    ctx = getattr(sec, "ctx", None)
    tree = getattr(sec, "tree", None)
    doc = getattr(sec, "doc", None)
    if ctx is None or tree is None or doc is None or getattr(ctx, "first_party", None) is None \
            or getattr(ctx, "resolver", None) is None:
        return False
    owner = _owner(tree, func)
    if owner is None:
        return False
    from vetpy.semantic.document import own_module_name  # noqa: PLC0415 - the semantic layer imports the rules
    own = own_module_name(doc, ctx)  # type: ignore[arg-type]
    if not own:
        return False
    shift = 1 if isinstance(owner, ast.ClassDef) and not _is_static(func) else 0
    memo = getattr(doc, "memo", None) if getattr(doc, "tree", None) is tree else None
    own_calls = _own_calls(tree, memo if isinstance(memo, NodeMemo) else None)
    trees: list[tuple[ast.Module, _Project, CallIndex]] = [(tree, _Project(ctx, doc.path), own_calls)]
    here = os.path.realpath(doc.path)
    importers = sorted({m for m, _ in ctx.first_party.import_conditions(own) if m and m != own})
    if len(importers) > MAX_IMPORTERS:
        return False
    for importer in importers:
        found = ctx.resolver.find(importer, doc.path)
        path = found.path
        if found.kind != "first-party" or path is None or path.suffix != ".py" or os.path.realpath(path) == here:
            continue
        reads.note_file(path)  # an edit of a caller re-checks this file (result cache)
        note_dependent(path, doc.path)  # ... and, in the editor, when it is saved
        text = caller_text(path)
        if text is None:
            return False
        if func.name not in text:
            continue
        parsed = _importer(path, text)
        if parsed is None:
            return False
        trees.append((parsed[0], _Project(ctx, str(path)), parsed[1]))
    calls = 0
    for module, project, index in trees:
        for caller, call in index.get(func.name, ()):
            if call.func is func or caller is func:
                return False  # a recursive call passes the function's own parameters
            argument_of = _arguments(call, func, shift if isinstance(call.func, ast.Attribute) else 0)
            if argument_of is None:
                return False
            for param in params:
                value = argument_of(param)
                if value is not None and not _chosen(value, caller, (module, project)):
                    return False
            calls += 1
    return calls > 0


class _Project:
    """Is a module (by the name an import statement gives, and its level) first-party, as seen
    from the file at ``path``?"""

    def __init__(self, ctx: object, path: str) -> None:
        self.ctx, self.path, self.answers = ctx, path, {}

    def owns(self, node: ast.ImportFrom) -> bool:
        if node.level > 0:
            return True
        name = node.module or ""
        if name not in self.answers:
            try:
                found = self.ctx.resolver.find(name, self.path)  # type: ignore[attr-defined]
                self.answers[name] = found.kind == "first-party"
            except Exception:  # noqa: BLE001 - an unanswerable question keeps the finding
                self.answers[name] = False
        return self.answers[name]


Where = tuple  # (module tree, _Project)


def _owner(tree: ast.Module, func: FunctionNode) -> ast.Module | ast.ClassDef | None:
    """The module or (module-level) class whose body defines ``func``; None for a nested function."""
    if func in tree.body:
        return tree
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and func in node.body:
            return node
    return None


def _is_static(func: FunctionNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


# the calls of a module by the name they call: ``name(...)`` and ``<x>.name(...)`` under ``name``,
# each with its enclosing function (None at module level), in the order of a depth-first walk
CallIndex = dict[str, list[tuple["FunctionNode | None", ast.Call]]]


def _call_index(statements: Iterable[ast.stmt]) -> CallIndex:
    """One walk of the statements (of a module, at its level) for every question about them: the
    editor asks on every edit of a function whose command is built from a parameter, and each
    question walked the module and every importer again."""
    index: CallIndex = {}
    todo: list[tuple[ast.AST, FunctionNode | None]] = [(stmt, None) for stmt in reversed(list(statements))]
    while todo:
        node, enclosing = todo.pop()
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else callee.attr if isinstance(callee, ast.Attribute) else None
            if name is not None:
                index.setdefault(name, []).append((enclosing, node))
        inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else enclosing
        todo += [(child, inner) for child in reversed(child_nodes(node))]
    return index


def _own_calls(tree: ast.Module, memo: NodeMemo | None) -> CallIndex:
    """The call index of the analysed module, from its top-level statements' own (memoised with each
    statement: an edit changes one)."""
    index: CallIndex = {}
    for stmt in tree.body:
        part = memo.get(stmt, "sec.calls-by-name", lambda stmt=stmt: _call_index([stmt])) if memo is not None \
            else _call_index([stmt])  # type: ignore[misc]
        for name, calls in part.items():
            index.setdefault(name, []).extend(calls)
    return index


# An importer's tree and call index, once per version of its text (the language server parses no
# module through :mod:`vetpy.trees`); the last few, by count and size, like the shared trees.
_IMPORTERS: OrderedDict[str, tuple[str, ast.Module, CallIndex]] = OrderedDict()
_IMPORTERS_LOCK = threading.Lock()
MAX_KEPT, MAX_KEPT_CHARS = 64, 1_000_000


def _importer(path: os.PathLike[str] | str, text: str) -> tuple[ast.Module, CallIndex] | None:
    """The parsed tree and call index of an importer's ``text`` (None when it does not parse)."""
    key = os.path.realpath(path)
    with _IMPORTERS_LOCK:
        hit = _IMPORTERS.get(key)
        if hit is not None and hit[0] == text:
            _IMPORTERS.move_to_end(key)
            return hit[1], hit[2]
    try:
        tree = parse_file(str(path), text)
    except (SyntaxError, ValueError):
        return None
    index = _call_index(tree.body)
    with _IMPORTERS_LOCK:
        _IMPORTERS.pop(key, None)
        if len(text) <= MAX_KEPT_CHARS // 4:
            _IMPORTERS[key] = (text, tree, index)
        while len(_IMPORTERS) > MAX_KEPT or sum(len(kept[0]) for kept in _IMPORTERS.values()) > MAX_KEPT_CHARS:
            _IMPORTERS.popitem(last=False)
    return tree, index


def _arguments(call: ast.Call, func: FunctionNode, shift: int):
    """``param -> the argument expression`` (None when the default is used), or None when the call
    spreads ``*args``/``**kwargs`` (unknown)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    positional = [a.arg for a in (*func.args.posonlyargs, *func.args.args)][shift:]
    by_name: dict[str, ast.expr] = {k.arg: k.value for k in call.keywords if k.arg}
    for name, value in zip(positional, call.args):
        by_name[name] = value
    if len(call.args) > len(positional):
        if func.args.vararg is None:
            return None
        extra = call.args[len(positional):]
        by_name[func.args.vararg.arg] = ast.Tuple(elts=list(extra), ctx=ast.Load())
    return by_name.get


def _chosen(expr: ast.expr, caller: FunctionNode | None, where: Where, depth: int = 0) -> bool:
    """Is ``expr`` (in ``caller``, or at module level) a value the program chose?"""
    if depth > 6:
        return False
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, (ast.JoinedStr, ast.Tuple, ast.List, ast.Set, ast.BinOp, ast.FormattedValue)):
        return all(_chosen(c, caller, where, depth + 1) for c in ast.iter_child_nodes(expr)
                   if isinstance(c, ast.expr))
    if isinstance(expr, ast.Attribute):
        base = expr.value
        if isinstance(base, ast.Name) and base.id == "self" and caller is not None:
            return True  # the object's own state
        return _chosen(base, caller, where, depth + 1)
    if isinstance(expr, ast.Call):
        if not _own_callable(expr.func, where):
            return False
        return all(_chosen(a, caller, where, depth + 1) for a in expr.args) and \
            all(k.arg is not None and _chosen(k.value, caller, where, depth + 1) for k in expr.keywords)
    if isinstance(expr, ast.Name):
        if caller is not None:
            if expr.id in parameter_names(caller):
                return False  # the caller's caller decides
            local = list(_assigned(caller.body, expr.id))
            if local:
                return all(v is not None and _chosen(v, caller, where, depth + 1) for v in local)
        return _module_constant(expr.id, where, depth)
    return False


def _own_callable(callee: ast.expr, where: Where) -> bool:
    """A builtin that only converts, or a function the project defines (in this module or imported
    from a first-party module by a relative or same-package import)."""
    dotted = dotted_name(callee)
    if dotted in _PURE_BUILTINS:
        return True
    if not isinstance(callee, ast.Name):
        return False
    module, project = where
    for node in module.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == callee.id:
            return True
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == callee.id for a in node.names):
            return project.owns(node)
    return False


def _module_constant(name: str, where: Where, depth: int) -> bool:
    """A module-level name bound only to values the program chose (or imported from the project)."""
    module, project = where
    values: list[ast.expr | None] = []
    for node in module.body:
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return project.owns(node)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                values.append(node.value)
    return bool(values) and all(v is not None and _chosen(v, None, where, depth + 1) for v in values)


def _assigned(body: Iterable[ast.stmt], name: str) -> Iterator[ast.expr | None]:
    """The values bound to ``name`` in a function body (None for a binding whose value is unknown:
    a loop, with or except target, an augmented assignment, an unpacking, an import)."""
    for stmt in body:
        for node in walk(stmt):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        yield node.value
                    elif any(isinstance(t, ast.Name) and t.id == name for t in walk(target)):
                        yield None
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                yield node.value
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.withitem, ast.comprehension, ast.NamedExpr)):
                target = node.optional_vars if isinstance(node, ast.withitem) else node.target
                if target is not None and any(isinstance(t, ast.Name) and t.id == name for t in walk(target)):
                    yield None
            elif isinstance(node, ast.ExceptHandler) and node.name == name:
                yield None
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name) == name for a in node.names):
                yield None

