"""Text-edit helpers for the EDGE quick-fixes, and the imports those fixes may add.

A fix that adds an import declares it at module level with :func:`fix_import` and adds it only
through :func:`ensure_import` / :func:`add_import`.  Before adding one, a fix checks that the
name is not already used anywhere in the file (:attr:`Module.bound_names`), a whole-file fact:
the declared names are what the incremental analysis must watch (see :func:`_whole_file_contribution`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from vetpy.astutil import NodeMemo
from vetpy.document import Document
from vetpy.findings import Fix, TextEdit
from vetpy.rules.edge.facts import Module
from vetpy.semantic.statements import statement_facts
from vetpy.rules.registry import REGISTRY


@dataclass(frozen=True)
class FixImport:
    """An import a quick-fix may add: ``import <module>`` when ``name`` is ``module``, else
    ``from <module> import <name>``."""

    module: str
    name: str

    @property
    def statement(self) -> str:
        return f"import {self.module}" if self.name == self.module else f"from {self.module} import {self.name}"


_IMPORTED_NAMES: set[str] = set()  # the names of every declared FixImport


def fix_import(module: str, name: str | None = None) -> FixImport:
    """Declare an import a fix may add (``fix_import("logging")``,
    ``fix_import("datetime", "timezone")``); call it at module level."""
    declared = FixImport(module, name or module)
    _IMPORTED_NAMES.add(declared.name)
    return declared


@REGISTRY.whole_file_fact
def _whole_file_contribution(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """The names a declared fix import would bind that ``stmt`` binds or reads: a fix adds the
    import only when the file does not use the name (``bound_names``, a whole-file fact)."""
    return frozenset(f"uses:{n}" for n in statement_facts(stmt, memo).names & _IMPORTED_NAMES)


def add_import(mod: Module, declared: FixImport) -> TextEdit | None:
    """An edit adding ``declared`` to the file, None when its name is already used there."""
    if declared.name in mod.bound_names:
        return None
    return import_insertion(mod.doc, mod.tree, declared.statement)


def ensure_import(mod: Module, declared: FixImport) -> tuple[str, list[TextEdit]] | None:
    """(local name, edits) to refer to the module ``declared`` imports: an existing alias, or a
    new ``import``."""
    assert declared.name == declared.module, "ensure_import is for `import <module>`"
    alias = mod.module_alias(declared.module)
    if alias is not None:
        return alias, []
    edit = add_import(mod, declared)
    return (declared.name, [edit]) if edit is not None else None


def import_insertion(doc: Document, tree: ast.Module, statement: str) -> TextEdit | None:
    """An edit adding ``statement`` after the module docstring and ``__future__`` imports."""
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            index = 1
    while (
        index < len(body) and isinstance(body[index], ast.ImportFrom) and body[index].module == "__future__"
    ):
        index += 1
    if index == 0:
        if not body:
            return None
        first = body[0]
        # a decorated definition starts at its first decorator: the import goes above it
        line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        return TextEdit(line, 1, line, 1, statement + "\n")
    previous = body[index - 1]
    line, _, end_line, end_col = doc.node_range(previous)
    rest = doc.line_text(end_line)[end_col - 1 :].strip()
    if rest and not rest.startswith("#"):
        return None  # another statement follows on the same line
    if end_line < doc.line_count:
        return TextEdit(end_line + 1, 1, end_line + 1, 1, statement + "\n")
    end = len(doc.line_text(end_line)) + 1
    return TextEdit(end_line, end, end_line, end, "\n" + statement + "\n")


def indentation_of(doc: Document, node: ast.stmt) -> str | None:
    """The whitespace before ``node`` on its line, or None when something else precedes it."""
    line, col, _, _ = doc.node_range(node)
    prefix = doc.line_text(line)[: col - 1]
    return prefix if prefix.strip() == "" else None


GUARDABLE = (ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.If)


def emptiness_guard_fix(doc: Document, statement: ast.stmt | None, subject: str) -> Fix | None:
    """Insert ``if not <subject>: raise ValueError(...)`` before the statement that divides."""
    if not isinstance(statement, GUARDABLE):
        return None
    indent = indentation_of(doc, statement)
    if indent is None:
        return None  # shares its line with something else (`if x: return a / len(b)`)
    line = doc.node_range(statement)[0]
    if doc.line_text(line)[len(indent) :].startswith("elif"):
        return None  # a guard cannot go between the branches of an if/elif chain
    unit = "\t" if indent.startswith("\t") else "    "
    # `subject` is a dotted name (identifiers and dots), safe inside a string literal
    guard = f'{indent}if not {subject}:\n{indent}{unit}raise ValueError("{subject} must not be empty")\n'
    return Fix(f"Raise ValueError when {subject} is empty", (TextEdit(line, 1, line, 1, guard),))
