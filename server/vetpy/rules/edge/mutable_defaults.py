"""EDGE014 mutable-default-argument."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.edge.facts import Module, is_optional_annotation, name_words
from vetpy.rules.edge.fixes import indentation_of
from vetpy.rules.registry import REGISTRY, rule


MUTABLE_DEFAULT = rule(
    code="EDGE014",
    name="mutable-default-argument",
    family="EDGE",
    severity=Severity.WARNING,
    question="What does the second call see?",
    summary="A list/dict/set default argument that the function mutates or lets escape is shared between calls.",
    rationale="""Defaults are evaluated once, when the function is defined. A mutated default
    remembers every previous call. Use `None` and create the object inside the function.
    Defaults that are only read are not reported, nor one stored on `self` that the class only
    reads (copies, looks up, iterates). Opt-in: the rule runs only when selected by its code,
    `EDGE` or `ALL` (`--extend-select EDGE014`): on eight real applications 1 of its 15 findings
    was a bug, 12 were shared defaults that every call overwrites with the same keys (worth a
    comment, harmless today) and 2 defaults only returned or stored.""",
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


@REGISTRY.checker("EDGE014")
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
                yield MUTABLE_DEFAULT.finding(
                    doc,
                    default,
                    f"the default of `{arg.arg}` is created once and shared by every call that mutates it",
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
