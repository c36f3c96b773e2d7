"""What each top-level statement binds, reads and holds: one walk per statement, kept in the
document's memo, read by the incremental analysis (which statements an edit affects) and by the
rules' whole-file facts (names a file rebinds, whether it has web routes)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, statement_nodes, walk
from vetpy.libraries import WEB_FRAMEWORKS
from vetpy.resolve.infer import attribute_probe
from vetpy.semantic.routes import is_route

_DEFINITION = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class StatementFacts:
    """What one top-level statement binds and what it reads, as bare names (module scope) and
    as attribute names (``obj.attr``: which object is not known, so any ``.attr`` counts), for the
    incremental analysis; and what the whole-file facts of the rules read from it."""

    binds: frozenset[str]
    attrs: frozenset[str]
    mentions: frozenset[str]
    attr_mentions: frozenset[str]
    web_import: bool  # imports a web framework inside a definition (the whole file becomes web code)
    # names it defines, assigns or takes as parameters anywhere inside (EDGE's ``shadowed``)
    defined: frozenset[str] = frozenset()
    # names bound or read anywhere inside, imports included (what a new import must not clash with)
    names: frozenset[str] = frozenset()
    route: bool = False  # holds a web route

    def reads(self, names: set[str], attrs: set[str]) -> bool:
        return not (self.mentions.isdisjoint(names) and self.attr_mentions.isdisjoint(attrs))

    def binds_any(self, names: set[str], attrs: set[str]) -> bool:
        return not (self.binds.isdisjoint(names) and self.attrs.isdisjoint(attrs))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def statement_facts(stmt: ast.stmt, memo: NodeMemo) -> StatementFacts:
    """The facts of ``stmt``: they depend on nothing but its subtree, so ``memo`` keeps them as
    long as a version of the file holds the statement (after an edit only the edited
    statements are walked)."""
    return memo.get(stmt, "semantic.statement", lambda: _statement_facts(stmt, statement_nodes(stmt, memo)))


def each_statement_facts(body: list[ast.stmt], memo: NodeMemo) -> list[StatementFacts]:
    """``[statement_facts(stmt, memo) for stmt in body]``, without a call per statement kept."""
    return memo.each(body, "semantic.statement", lambda stmt: _statement_facts(stmt, statement_nodes(stmt, memo)))  # type: ignore[arg-type]


def _statement_facts(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> StatementFacts:
    """``nodes``: every node of ``stmt`` (``walk(stmt)``), when the caller has them."""
    definition = isinstance(stmt, _DEFINITION)
    binds: set[str] = set()
    attrs: set[str] = set()
    mentions: set[str] = set()
    attr_mentions: set[str] = set()
    web_import = False
    if definition:
        binds.add(stmt.name)  # type: ignore[attr-defined]
        attrs.add(stmt.name)  # type: ignore[attr-defined]
    # Names bound in the statement's own scope: module code's (module names) and a class body's
    # (attributes of the class); a function's locals stay inside it.
    own = attrs if isinstance(stmt, ast.ClassDef) else binds
    pending = [] if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) else [stmt]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                own.add(child.id)
            elif isinstance(child, ast.alias):
                own.add(child.asname or child.name.split(".")[0])
            elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
                own.add(child.name)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(child.name)
            if not isinstance(child, _SCOPES):
                pending.append(child)
    defined: set[str] = set()
    names: set[str] = set()
    route = False
    for node in walk(stmt) if nodes is None else nodes:
        kind = type(node)
        if kind in _DEFINITION:
            defined.add(node.name)  # type: ignore[attr-defined]
            names.add(node.name)  # type: ignore[attr-defined]
            route = route or (kind is not ast.ClassDef and is_route(node))  # type: ignore[arg-type]
        elif kind is ast.Name:
            names.add(node.id)  # type: ignore[attr-defined]
            if isinstance(node.ctx, ast.Store):  # type: ignore[attr-defined]
                defined.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.arg:
            defined.add(node.arg)  # type: ignore[attr-defined]
            names.add(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.alias:
            names.add((node.asname or node.name).split(".")[0])  # type: ignore[attr-defined]
        if isinstance(node, ast.Name):
            mentions.add(node.id)
        elif isinstance(node, ast.Attribute):
            attr_mentions.add(node.attr)
            if not isinstance(node.ctx, ast.Load):
                attrs.add(node.attr)  # `obj.attr = ...` changes what readers of `.attr` infer
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            binds.update(node.names)
        elif isinstance(node, ast.ClassDef):
            # a subclass anywhere in the file makes the attribute checks lenient on its bases
            for base in node.bases:
                if isinstance(base, ast.Name):
                    binds.add(base.id)
                elif isinstance(base, ast.Attribute):
                    attrs.add(base.attr)
        elif isinstance(node, ast.Call) and (probe := attribute_probe(node)) is not None:
            # `hasattr(x, "name")` anywhere in a file silences the attribute checks on `.name`
            attrs.add(probe[1])
        elif isinstance(node, ast.alias):
            # an import inside a function counts as the module's: the security checks read one
            # import map for the whole file
            binds.add(node.asname or node.name.split(".")[0])
            web_import = web_import or (definition and node.name.split(".")[0] in WEB_FRAMEWORKS)
        elif isinstance(node, ast.ImportFrom) and node.module:
            web_import = web_import or (definition and node.module.split(".")[0] in WEB_FRAMEWORKS)
        elif definition and isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 400:
            words = _WORDS.findall(node.value)  # string annotations, `getattr(x, "name")`
            mentions.update(words)
            attr_mentions.update(words)
    return StatementFacts(
        frozenset(binds), frozenset(attrs), frozenset(mentions), frozenset(attr_mentions), web_import,
        frozenset(defined), frozenset(names), route,
    )
