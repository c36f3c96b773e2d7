"""Helpers the SEC rule modules share: messages about values, argument access and fix edits."""

from __future__ import annotations

import ast

from vetpy.astutil import keyword
from vetpy.dataflow import Trust, Value
from vetpy.document import Document, Range
from vetpy.findings import TextEdit


def describe(value: Value) -> str:
    """Where a value comes from, for a message."""
    if value.trust is Trust.UNTRUSTED:
        return value.source or "request input"
    if value.formatted:
        return "formatted non-constant values"
    return "a non-constant value"


def short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def callee_text(doc: Document, call: ast.Call) -> str:
    return short(doc.segment(call.func), 40)


def module_function(tree: ast.Module, call: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function defined at the top level of ``tree`` (its first definition) that ``call``
    (``maker(...)``) calls by name, or None."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return None
    name = call.func.id
    return next((s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name), None)


def header_read(node: ast.AST, maps: frozenset[str], names: frozenset[str]) -> bool:
    """``<x>.<map>.get("Name")`` or ``<x>.<map>["Name"]`` with ``map`` one of ``maps``
    (``headers``, ``META``) and the key, lower-cased, one of ``names``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        owner, key = node.func.value, node.args[0]
    elif isinstance(node, ast.Subscript):
        owner, key = node.value, node.slice
    else:
        return False
    return (isinstance(owner, ast.Attribute) and owner.attr in maps
            and isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.lower() in names)


def target_name(target: ast.expr) -> str | None:
    """The name an assignment target binds (``x``, ``obj.x``, ``d["x"]``)."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def assignment_targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def named_targets(node: ast.Assign | ast.AnnAssign) -> list[tuple[ast.expr, str]]:
    """The targets of an assignment with a value that have a name (see :func:`target_name`)."""
    if node.value is None:
        return []
    return [(t, name) for t in assignment_targets(node) if (name := target_name(t)) is not None]


def sink_argument(call: ast.Call) -> ast.expr | None:
    """The value a web sink receives: the first argument, or ``url=``/``path=``/``content=``/``location=`` (Falcon's redirects)."""
    arg = call.args[0] if call.args else None
    if arg is None:
        url_kw = keyword(call, "url") or keyword(call, "path") or keyword(call, "content") or keyword(call, "location")
        arg = url_kw.value if url_kw is not None else None
    if arg is None or isinstance(arg, ast.Starred):
        return None
    return arg


# -- fix edits ----------------------------------------------------------------------------------


def end_of(doc: Document, node: ast.AST) -> Range:
    """An empty range just after ``node``."""
    _, _, line, col = doc.node_range(node)
    return line, col, line, col


def remove_keyword(doc: Document, call: ast.Call, kw: ast.keyword) -> TextEdit:
    items = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    idx = items.index(kw)
    start = doc.node_range(kw)
    if idx > 0:
        prev = doc.node_range(items[idx - 1])
        return TextEdit(prev[2], prev[3], start[2], start[3], "")
    if len(items) > 1:
        nxt = doc.node_range(items[1])
        return TextEdit(start[0], start[1], nxt[0], nxt[1], "")
    return TextEdit(*start, "")


def import_edit(doc: Document, tree: ast.Module, statement: str) -> TextEdit:
    """Insert ``statement`` after the docstring and ``from __future__`` imports."""
    line = 1
    for stmt in tree.body:
        if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str) and stmt is tree.body[0]) or (
            isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        ):
            line = (stmt.end_lineno or stmt.lineno) + 1
            continue
        break
    if line > doc.line_count:
        return TextEdit(doc.line_count, len(doc.line_text(doc.line_count)) + 1, doc.line_count, len(doc.line_text(doc.line_count)) + 1, "\n" + statement)
    return TextEdit(line, 1, line, 1, statement + "\n")


def once_bound_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Module-level functions defined once (a name bound twice is not followed)."""
    seen: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            seen.setdefault(stmt.name, []).append(stmt)
    return {name: defs[0] for name, defs in seen.items() if len(defs) == 1}
