"""The semantic model of one document: the facts every rule family reads, computed once.

``semantic(doc)`` is made on first use in an analysis and kept in ``doc.shared``, which the engine
empties when the analysis ends; so every checker of an analysis reads the same import map, the
same qualified names and the same data-flow model, and nothing outlives the analysis.  What the
model offers, beside the document's own nodes and parents (:attr:`Document.nodes`,
:attr:`Document.parents`):

- ``imports``: the module's import map (every import statement, also inside functions);
- ``qualified(node)``: the dotted name an expression refers to through the imports;
- ``flow``: the data-flow model of the module (:class:`vetpy.dataflow.ModuleFlow`), on first use;
- ``web``: whether the module imports a web framework; routes: :mod:`vetpy.semantic.routes`;
- the attribute inference: :func:`vetpy.semantic.document.document_inference`.
"""

from __future__ import annotations

import ast
from functools import cached_property

from vetpy.astutil import ImportMap, NodeMemo, import_binds, qualified_name
from vetpy.dataflow import ModuleFlow
from vetpy.document import Document, statement_levels
from vetpy.libraries import WEB_FRAMEWORKS
from vetpy.scopes import scope_index


class SemanticModel:
    def __init__(self, doc: Document) -> None:
        self.doc = doc

    @cached_property
    def imports(self) -> ImportMap:
        doc = self.doc
        if doc.is_view and doc.tree is not None:
            return _view_imports(doc.tree, doc.memo)
        return ImportMap.from_nodes(doc.nodes)

    def qualified(self, node: ast.AST) -> str | None:
        return qualified_name(node, self.imports)

    @cached_property
    def web(self) -> bool:
        return any(target.split(".")[0] in WEB_FRAMEWORKS for target in self.imports.names.values())

    @cached_property
    def flow(self) -> ModuleFlow:
        assert self.doc.tree is not None
        return ModuleFlow(self.doc.tree, self.imports, source=self.doc.text, scopes=scope_index(self.doc))


def _view_imports(tree: ast.Module, memo: NodeMemo) -> ImportMap:
    """``ImportMap.from_nodes(view.nodes)`` from each statement's bindings level by level, kept in
    the memo while the statement is (after an edit only the edited statement is looked at): the
    view's nodes in ``ast.walk`` order are, level by level, each statement's nodes of that level."""
    parts = memo.each(tree.body, "semantic.import-binds", lambda stmt: _import_levels(stmt, memo))
    binds: list[tuple[str, str]] = []
    depth = 0
    while True:
        deeper = False
        for levels in parts:
            if depth < len(levels):
                binds += levels[depth]
                deeper = True
        if not deeper:
            return ImportMap.from_binds(binds)
        depth += 1


def _import_levels(stmt: ast.AST, memo: NodeMemo) -> list[list[tuple[str, str]]]:
    """The import bindings of each level of ``stmt`` (up to its last import)."""
    levels = [[bind for node in level if isinstance(node, (ast.Import, ast.ImportFrom)) for bind in import_binds(node)]
              for level in statement_levels(stmt, memo)]  # type: ignore[arg-type]
    while levels and not levels[-1]:
        levels.pop()
    return levels or _NO_IMPORTS  # one shared part for the statements that import nothing


_NO_IMPORTS: list[list[tuple[str, str]]] = []  # never modified


def semantic(doc: Document) -> SemanticModel:
    """The semantic model of ``doc`` for the running analysis (made once, then shared)."""
    model = doc.shared.get("semantic")
    if model is None:
        model = doc.shared["semantic"] = SemanticModel(doc)
    return model  # type: ignore[no-any-return]
