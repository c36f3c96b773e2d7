"""HAL003 on an attribute read of a name rebound to the result of a call that always returns None
(issue 15): ``items = items.sort()`` then ``items.copy()``, ``shuffled = random.shuffle(cards)``
then ``shuffled.pop()``, ``heap = heapq.heapify(nums)`` then ``heap.pop()``.  ``None`` has no such
attribute, so the read raises AttributeError every time it runs.

Certain only when all of these hold:

- the callee is known exactly: a method of a builtin container (``list``, ``dict``, ``set``,
  ``bytearray``, ``collections.deque``) that mutates in place and returns None, on a receiver made
  right there or bound only to a literal, a comprehension or a call of that very class (not an
  annotated parameter nor an installed function's result: a subclass may return ``self``), or a
  standard-library function listed here that returns None on every path (``random.shuffle``,
  ``heapq.heapify``, ``bisect.insort``), or a method of an installed class called with
  ``inplace=True`` on an instance known exactly (not from an annotation) whose package's own
  source declares, in the first of its ``@overload`` declarations that takes it, ``inplace:
  Literal[True]`` returning ``None`` (pandas' ``DataFrame.drop``; ``inplace=flag`` stays open);
- the name is bound by that statement (``x = <call>``, one target) in a function or module body;
- the read follows in the same block, with no statement between them that binds, deletes or
  tests the name, nor leaves the block (``return``, ``raise``, ``break``, ``continue``); the read
  is not inside a ``lambda`` or nested ``def`` (it runs later), a conditional expression or boolean
  operation, a ``with`` body or a ``try`` whose handler catches AttributeError; the file declares
  the name neither ``global`` nor ``nonlocal`` anywhere, and a module-level name is read in a file
  that never calls ``globals()``, ``exec`` or ``vars``.

Dunder names (``__class__``, ``__eq__``) exist on None and are never reported.
"""

from __future__ import annotations

import ast
from typing import Any, Iterable, Iterator

from vetpy.astutil import walk
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.resolve.source_overloads import _source_index
from vetpy.resolve.stubs import _is_overload
from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD, OBJECT
from vetpy.rules.hal.attributes import UNKNOWN_ATTRIBUTE
from vetpy.rules.registry import REGISTRY
from vetpy.semantic.document import document_inference

# Methods that mutate the receiver and return None, on every Python vetpy targets (3.8+).
NONE_METHODS: dict[str, frozenset[str]] = {
    "builtins.list": frozenset({"append", "extend", "insert", "remove", "sort", "reverse", "clear"}),
    "builtins.dict": frozenset({"update", "clear"}),
    "builtins.set": frozenset({"add", "discard", "remove", "update", "clear", "difference_update",
                               "intersection_update", "symmetric_difference_update"}),
    "builtins.bytearray": frozenset({"append", "extend", "insert", "remove", "reverse", "clear"}),
    "collections.deque": frozenset({"append", "appendleft", "extend", "extendleft", "rotate", "clear",
                                    "remove", "reverse", "insert"}),
}

# Standard-library functions (as the inference names them: ``random.shuffle`` is the method of the
# module's hidden ``Random`` instance, ``heapq.heapify`` the C function of ``_heapq``) whose every
# return is None.
NONE_FUNCTIONS: dict[str, str] = {
    "random.Random.shuffle": "random.shuffle",
    "_heapq.heapify": "heapq.heapify",
    "heapq.heapify": "heapq.heapify",
    "_heapq.heappush": "heapq.heappush",
    "heapq.heappush": "heapq.heappush",
    "_bisect.insort_right": "bisect.insort",
    "bisect.insort_right": "bisect.insort",
    "_bisect.insort_left": "bisect.insort_left",
    "bisect.insort_left": "bisect.insort_left",
}

_MADE = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_LATER = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_OPEN = (ast.IfExp, ast.BoolOp, ast.With, ast.AsyncWith)
_LEAVES = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_CATCHES = {"AttributeError", "Exception", "BaseException"}
_BLOCKS = ("body", "orelse", "finalbody", "handlers")


def _made_as(inference: Any, expr: ast.expr, path: str) -> bool:
    """Is ``expr`` certainly a new object of exactly the builtin ``path`` (a literal, a
    comprehension, a call of the class itself)?"""
    if isinstance(expr, _MADE):
        return {ast.List: "builtins.list", ast.ListComp: "builtins.list", ast.Dict: "builtins.dict",
                ast.DictComp: "builtins.dict", ast.Set: "builtins.set", ast.SetComp: "builtins.set"}[type(expr)] == path
    if isinstance(expr, ast.Call):
        func = inference.infer(expr.func)
        return func is not None and func.kind == OBJECT and func.path == path
    return False


def _exact_receiver(inference: Any, expr: ast.expr, path: str) -> bool:
    """Is the receiver ``expr`` exactly of the builtin class ``path``: made right there, or a name
    whose every binding that reaches it makes one?"""
    if _made_as(inference, expr, path):
        return True
    if not isinstance(expr, ast.Name):
        return False
    bindings = inference.lookup(expr.id, expr)
    return bool(bindings) and all(b.kind == "value" and not b.index and b.stmt is not None
                                  and isinstance(b.node, ast.expr) and _made_as(inference, b.node, path)
                                  for b in bindings)


def _literal(node: ast.expr | None, value: bool) -> bool:
    """Is ``node`` the annotation ``Literal[value]`` (``typing.Literal``, ``Literal``)?"""
    return isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Literal" \
        and isinstance(node.slice, ast.Constant) and node.slice.value is value


def _declared_none_in_place(inference: Any, func: Any, call: ast.Call) -> bool:
    """Is ``call`` (``df.drop(..., inplace=True)``, a method of an installed class on an instance
    known exactly) given None by the package's own source: the first of the method's
    ``@overload`` declarations that takes ``inplace=True`` annotates it ``Literal[True]`` and
    returns ``None``?  Read statically from the installed source (pandas declares each)."""
    if inference.stubs is None or any(k.arg is None for k in call.keywords) or not any(
            k.arg == "inplace" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords):
        return False
    module, _, cls = func.path.rpartition(".")
    found = _source_index(inference.stubs).definitions(module, f"{cls}.{func.name}") if module else None
    if found is None or found[0] is None:
        return False
    for d in (d for d in found[1] if _is_overload(d)):
        params = {a.arg: a for a in (*d.args.posonlyargs, *d.args.args, *d.args.kwonlyargs)}
        if "inplace" not in params:
            if d.args.kwarg is not None:
                return False
            continue  # takes no `inplace`
        annotation = params["inplace"].annotation
        if _literal(annotation, False):
            continue
        return _literal(annotation, True) and isinstance(d.returns, ast.Constant) and d.returns.value is None
    return False


def none_call(inference: Any, call: ast.Call) -> str | None:
    """``list.sort()``, ``random.shuffle()``, ``DataFrame.drop(inplace=True)``: the label of
    ``call`` when it certainly returns None."""
    func = inference.infer(call.func)
    if func is None:
        return None
    if func.kind == METHOD and func.path not in NONE_METHODS and isinstance(call.func, ast.Attribute):
        receiver = inference.infer(call.func.value)
        if receiver is not None and receiver.kind == INSTANCE and receiver.name != ANNOTATED \
                and receiver.path == func.path and _declared_none_in_place(inference, func, call):
            return f"{func.path.rsplit('.', 1)[-1]}.{func.name}(inplace=True)"
        return None
    if func.kind == METHOD and isinstance(call.func, ast.Attribute) and func.name in NONE_METHODS.get(func.path, ()):
        receiver = inference.infer(call.func.value)
        if receiver is None or receiver.kind != INSTANCE or receiver.name == ANNOTATED or receiver.path != func.path:
            return None
        if not _exact_receiver(inference, call.func.value, func.path):
            return None
        return f"{func.path.rsplit('.', 1)[-1]}.{func.name}()"
    if func.kind == OBJECT and func.path in NONE_FUNCTIONS:
        return f"{NONE_FUNCTIONS[func.path]}()"
    return None


def _binds(tree: ast.AST, name: str) -> bool:
    """Does anything in ``tree`` bind, delete, test-assign or declare ``name``?"""
    for node in walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
        if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name == name:
            return True
        if isinstance(node, ast.MatchMapping) and node.rest == name:
            return True
    return False


def _tests(tree: ast.AST, name: str) -> bool:
    """Is ``name`` read anywhere in ``tree`` other than as the receiver of an attribute (a test,
    an argument, ``x = lst.sort() or lst``'s operand)?  Only attribute reads keep it None."""
    parents = {child: node for node in walk(tree) for child in ast.iter_child_nodes(node)}
    return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
               and not isinstance(parents.get(node), ast.Attribute) for node in walk(tree))


def _caught(node: ast.AST, stop: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Is ``node`` inside a lambda/def, a conditional, a ``with`` or a ``try`` that catches
    AttributeError, between it and the statement ``stop`` (included)?"""
    child, cur = node, parents.get(node)
    if node is stop:
        return False
    while cur is not None:
        if isinstance(cur, _LATER + _OPEN):
            return True
        if isinstance(cur, ast.Try) and child in cur.body and any(
                h.type is None or any(isinstance(n, ast.Name) and n.id in _CATCHES for n in walk(h.type))
                for h in cur.handlers):
            return True
        if cur is stop:
            return False
        child, cur = cur, parents.get(cur)
    return True


def _uses(stmt: ast.stmt, within: ast.AST, name: str, parents: dict[ast.AST, ast.AST]) -> Iterator[ast.Attribute]:
    """The reads ``name.attr`` in the part ``within`` of ``stmt`` that certainly see the value
    bound before ``stmt``."""
    reads = [n for n in walk(within) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load)
             and isinstance(n.value, ast.Name) and n.value.id == name
             and not (n.attr.startswith("__") and n.attr.endswith("__"))]
    for read in reads:
        if not _caught(read, stmt, parents):
            yield read


def _block_of(stmt: ast.stmt, parents: dict[ast.AST, ast.AST]) -> list[ast.stmt] | None:
    parent = parents.get(stmt)
    for field in _BLOCKS:
        block = getattr(parent, field, None)
        if isinstance(block, list) and stmt in block:
            return block
    return None


def _declared(tree: ast.Module) -> tuple[set[str], bool]:
    """The names the file declares ``global``/``nonlocal``; whether it calls globals/exec/vars."""
    names: set[str] = set()
    dynamic = False
    for node in walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.Name) and node.id in ("globals", "exec", "vars"):
            dynamic = True
    return names, dynamic


def none_result_findings(doc: Document, inference: Any) -> Iterator[Finding]:
    tree, parents = doc.tree, inference.parents
    assert isinstance(tree, ast.Module)
    declared: tuple[set[str], bool] | None = None
    for stmt in doc.nodes:  # the document's shared node list: ``walk(tree)``'s nodes and order, walked once per document
        if not (stmt.__class__ is ast.Assign and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call)):
            continue
        name = stmt.targets[0].id
        block = _block_of(stmt, parents)
        scope = inference.scope_of(stmt)
        if block is None or not isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        label = none_call(inference, stmt.value)
        if label is None:
            continue
        if declared is None:  # a walk of the whole file, only once a call that returns None is found
            declared = _declared(tree)
        if name in declared[0] or isinstance(scope, ast.Module) and declared[1]:
            continue
        for read in reads_before_rebinding(doc, block[block.index(stmt) + 1:], name, parents):
            yield _finding(doc, read, name, label, stmt.lineno)


def reads_before_rebinding(doc: Document, stmts: list[ast.stmt], name: str,
                           parents: dict[ast.AST, ast.AST]) -> Iterator[ast.Attribute]:
    """The reads ``name.attr`` in ``stmts`` (a block's statements, in order) that certainly see the
    value ``name`` held before them: up to a statement that binds, tests or leaves (see the module)."""
    for later in stmts:
        if not doc.reports_local(later):
            return
        rebinds = _binds(later, name)
        if rebinds and not (isinstance(later, ast.Assign) and not any(_binds(t, name) for t in later.targets[1:])
                            and not _binds(later.value, name)):
            return  # bound inside it, or before the read runs
        if _tests(later, name):
            return
        yield from _uses(later, later.value if rebinds else later, name, parents)  # type: ignore[attr-defined]
        if rebinds or isinstance(later, _LEAVES):
            return


def _finding(doc: Document, read: ast.Attribute, name: str, label: str, line: int) -> Finding:
    message = (f"`{name}` is None here: it holds what `{label}` returned on line {line}, and `{label}` "
               f"returns None (it works in place), so `{name}.{read.attr}` raises AttributeError")
    return none_read_finding(doc, read, message)


def none_read_finding(doc: Document, read: ast.Attribute, message: str) -> Finding:
    """HAL003 at the attribute name of ``read``, whose receiver is None."""
    _l, _c, end_line, end_col = doc.node_range(read)
    rng = (end_line, end_col - len(read.attr), end_line, end_col)
    return UNKNOWN_ATTRIBUTE.finding(doc, rng, message, receiver="builtins.NoneType", name=read.attr)


@REGISTRY.checker("HAL003", introspection=True, local=True)
def check_none_results(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    if ctx.members is None or ctx.resolver is None or ctx.environment is None or doc.tree is None:
        return
    yield from none_result_findings(doc, document_inference(doc, ctx, ctx.members))
