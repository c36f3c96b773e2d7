"""EDGE014 mutable-default-argument (a default the function grows) and EDGE021
mutable-default-written (opt-in: one it writes into or lets escape)."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.edge.facts import Module, is_optional_annotation, name_words
from vetpy.rules.edge.fixes import indentation_of
from vetpy.rules.edge.kept_defaults import KEPT_MESSAGES, keeps_call_data
from vetpy.rules.registry import REGISTRY, rule


MUTABLE_DEFAULT = rule(
    code="EDGE014",
    name="mutable-default-argument",
    family="EDGE",
    severity=Severity.WARNING,
    question="What does the second call see?",
    summary="A list/set default argument that the function grows (`append`, `extend`, `add`, `+=`) keeps every call's items.",
    rationale="""Defaults are evaluated once, when the function is defined. A default the
    function grows remembers every previous call: the second call sees the first one's items
    (`def notify(ids, cc=[]): cc.extend(ids)`). Use `None` and create the object inside the
    function. Reported when the function appends, extends, inserts or adds to the default, or
    `+=` it (a set's `update` too), and when a dict default keeps one call's data for the next:
    `setdefault` of a constant key with a per-call value (`filters.setdefault("owner",
    user.id)`: only the first call's value is ever stored) or `update` with a mapping whose keys
    change per call (`last.update(row)`: an earlier row's keys stay); a default that is written by
    key, emptied, returned or stored
    is EDGE021 (opt-in): on eight real applications those were mostly shared `criterions={}`
    defaults that every call overwrites with the same keys (worth a comment, harmless today).
    Defaults only read are reported by neither, nor `_cache={}` / `memo={}` stores and
    `counter=[0]`.""",
    bad="""
        def add(item, items=[]):
            items.append(item)
            return items
    """,
    good="""
        def add(item, items=None):
            if items is None:
                items = []
            items.append(item)
            return items
    """,
    fix_safety=FixSafety.UNSAFE,
)

WRITTEN_DEFAULT = rule(
    code="EDGE021",
    name="mutable-default-written",
    family="EDGE",
    severity=Severity.WARNING,
    question="What does the second call see?",
    summary="A list/dict/set default argument that the function writes into or lets escape is shared between calls (opt-in).",
    rationale="""EDGE014's uncertain half: a default written by key (`criterions["type"] =
    ...`), emptied, popped or sorted, or returned or stored where callers may change it. Every
    call shares the object, but whether that is a bug depends on what the writes are: on eight
    real applications 1 of 15 such findings was a bug, 12 shared defaults that every call
    overwrites with the same keys and 2 defaults only returned or stored. Opt-in: the rule runs
    only when selected by its code, `EDGE` or `ALL` (`--extend-select EDGE021`). Defaults stored
    on `self` that the class only reads (copies, looks up, iterates) are not reported.""",
    bad="""
        def find(filters={}):
            filters["active"] = True
            return query(filters)
    """,
    good="""
        def find(filters=None):
            filters = {**(filters or {}), "active": True}
            return query(filters)
    """,
    fix_safety=FixSafety.UNSAFE,
)

# what only ever adds items: a default grown this way holds every earlier call's items
GROWERS = frozenset({"append", "extend", "insert", "add", "appendleft", "extendleft"})


def _grows(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str, default: ast.expr) -> str | None:
    """How ``func`` keeps one call's data in the default ``name`` for the next calls: it adds items
    (``.append``/``.add``..., ``+=``, a set's ``.update``: "grows"), or keeps a call's keys or
    values (see :func:`keeps_call_data`); None when it does neither."""
    is_set = isinstance(default, (ast.Set, ast.SetComp)) or (
        isinstance(default, ast.Call) and isinstance(default.func, ast.Name) and default.func.id == "set")
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            if isinstance(target, ast.Name) and target.id == name and (
                    node.func.attr in GROWERS or (is_set and node.func.attr == "update")):
                return "grows"
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.BitOr)):
            if isinstance(node.target, ast.Name) and node.target.id == name:
                return "grows"
    return next((how for node in ast.walk(func) if (how := keeps_call_data(node, name))), None)


MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "popitem",
        "appendleft",
        "extendleft",
        "__setitem__",
    }
)
MUTABLE_FACTORIES = frozenset(
    {
        "list",
        "dict",
        "set",
        "bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    }
)


def _is_mutable_default(mod: Module, node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("list", "dict", "set", "bytearray"):
            return mod.is_builtin(node.func, node.func.id)
        return (mod.qname(node.func) or "") in MUTABLE_FACTORIES
    return False


def _rebinds(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Is ``name`` assigned a new object in ``func`` (``x += [...]`` mutates in place and does not count)?"""
    in_place = {id(n.target) for n in ast.walk(func) if isinstance(n, ast.AugAssign)}
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) and id(n) not in in_place
        for n in ast.walk(func)
    )


def _is_storage_name(name: str) -> bool:
    return name.startswith("_") or any(w in ("cache", "memo", "memory") for w in name_words(name))


def _mutated_or_escapes(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str, owner: ast.ClassDef | None = None) -> bool:
    """Mutated in ``func``, or escaping it: returned, or stored somewhere. Stored on ``self`` only
    counts when the class's methods may mutate that attribute or let it escape in turn
    (``self.init = init`` read only as ``copy.copy(self.init)`` is safe)."""
    def is_param(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    stored: set[str] = set()
    for node in ast.walk(func):
        if node is func:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MUTATORS and is_param(node.func.value):
                return True
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and is_param(target.value):
                    return True
                if isinstance(node, ast.AugAssign) and is_param(target):
                    return True
            if isinstance(node, ast.Assign) and is_param(node.value):
                on_self = [t.attr for t in node.targets if isinstance(t, ast.Attribute) and is_self(t.value)]
                if owner is not None and len(on_self) == len(node.targets):
                    stored.update(on_self)
                elif any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets):
                    return True
        elif isinstance(node, (ast.Return, ast.Yield)) and is_param(node.value):
            return True
    return bool(stored) and owner is not None and not all(_read_only_attribute(owner, attr) for attr in stored)


def is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


# what reading an attribute may do without changing or sharing the object
_COPIES = frozenset({"copy.copy", "copy.deepcopy", "copy", "deepcopy", "dict", "list", "set", "tuple", "frozenset", "len", "sorted", "bool", "str", "repr"})
_READERS = frozenset({"get", "keys", "values", "items", "copy", "count", "index"})


def _read_only_attribute(owner: ast.ClassDef, attr: str) -> bool:
    """The class reads ``self.<attr>`` and every such use only reads it: copied (``copy.copy``,
    ``dict(...)``), looked up (``self.a[k]``, ``.get()``, ``in``), iterated or assigned anew. An
    attribute the class never reads is there for other code, which may well mutate it."""
    parents = {child: node for node in ast.walk(owner) for child in ast.iter_child_nodes(node)}
    reads = 0
    for node in ast.walk(owner):
        if not (isinstance(node, ast.Attribute) and node.attr == attr and is_self(node.value)):
            continue
        if isinstance(node.ctx, ast.Store):
            continue  # the assignment itself, or a rebinding to another object
        reads += 1
        parent = parents.get(node)
        if isinstance(parent, ast.Call) and node in parent.args and (dotted_name(parent.func) or "") in _COPIES:
            continue
        if isinstance(parent, ast.Attribute) and parent.attr in _READERS and isinstance(parents.get(parent), ast.Call):
            continue
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Load):
            continue
        if isinstance(parent, ast.Compare) and node in parent.comparators:
            continue  # `k in self.a`
        if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
            continue
        return False
    return reads > 0


@REGISTRY.checker("EDGE014", "EDGE021")
def check_mutable_defaults(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    owners = {item: cls for cls in mod.of_type(ast.ClassDef) if isinstance(cls, ast.ClassDef) for item in cls.body}
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        args = func.args
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
        for arg, default in pairs:
            if _is_storage_name(arg.arg) or (isinstance(default, ast.List) and default.elts):
                continue  # `_cache={}`, `counter=[0]`: deliberate per-function stores, not accidents
            if not _is_mutable_default(mod, default) or _rebinds(func, arg.arg):
                continue  # rebound (`cnf = merge(cnf, kw)`): the mutation may well hit a copy
            if _mutated_or_escapes(func, arg.arg, owners.get(func)):
                fix = _none_default_fix(doc, func, arg, default)
                grown = _grows(func, arg.arg, default)
                yield (MUTABLE_DEFAULT if grown else WRITTEN_DEFAULT).finding(
                    doc,
                    default,
                    f"the default of `{arg.arg}` is created once and shared by every call that mutates it" if grown is None
                    else KEPT_MESSAGES[grown].format(arg.arg),
                    fixes=[fix] if fix else [],
                )


def _none_default_fix(
    doc: Document, func: ast.FunctionDef | ast.AsyncFunctionDef, arg: ast.arg, default: ast.expr
) -> Fix | None:
    body = func.body
    first = body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    indent = indentation_of(doc, first)
    if indent is None or (doc.node_range(first)[0] == doc.node_range(func)[0]):
        return None
    unit = "\t" if indent.startswith("\t") else "    "
    guard = f"{indent}if {arg.arg} is None:\n{indent}{unit}{arg.arg} = {doc.segment(default)}\n"
    if has_doc:
        end_line = doc.node_range(first)[2]
        if len(body) > 1:
            nxt = body[1]
            if doc.node_range(nxt)[0] == end_line or indentation_of(doc, nxt) is None:
                return None
            where = doc.node_range(nxt)[0]
        elif end_line < doc.line_count:
            where = end_line + 1
        else:
            return None
    else:
        where = doc.node_range(first)[0]
    if where <= doc.node_range(default)[2]:
        return None
    edits = [doc.replace_node(default, "None"), TextEdit(where, 1, where, 1, guard)]
    if arg.annotation is not None and not is_optional_annotation(arg.annotation):
        _, _, line, col = doc.node_range(arg.annotation)
        edits.append(TextEdit(line, col, line, col, " | None"))
    return Fix("Default to None and create the value inside the function", tuple(edits), preferred=True)
