"""Facts about one document shared by the EDGE checkers, and the syntax helpers they share."""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable, Iterator

from vetpy.astutil import ImportMap, NodeMemo, child_nodes, dotted_name, name_words, node_memo, qualified_name
from vetpy.document import Document
from vetpy.libraries import LOGGER_METHODS, SESSION_FACTORIES
from vetpy.scopes import parameter_names, plain_values, scope_index
from vetpy.semantic.model import semantic
from vetpy.semantic.statements import each_statement_facts, statement_facts
from vetpy.rules.registry import REGISTRY


@dataclass
class Module:
    """Facts about one document shared by the checkers (built once per checker run)."""

    doc: Document
    tree: ast.Module
    imports: ImportMap = field(init=False)

    def __post_init__(self) -> None:
        self.nodes: list[ast.AST] = self.doc.nodes  # shared by every rule family: do not modify
        self.imports = semantic(self.doc).imports  # the document's one import map

    @classmethod
    def of(cls, doc: Document) -> "Module":
        """The facts for ``doc``, computed once and shared by the checkers of one analysis (kept
        in ``doc.shared``, which the engine empties when the analysis ends)."""
        cached = doc.shared.get("edge.module")
        if cached is None:
            assert doc.tree is not None
            cached = doc.shared["edge.module"] = cls(doc, doc.tree)
        return cached  # type: ignore[no-any-return]

    def of_type(self, *types: type) -> Iterator[ast.AST]:
        """The nodes that are instances of ``types``, in ``nodes`` order."""
        if all(t in self._positions for t in types) or all(_is_leaf_class(t) for t in types):
            found = [i for t in types for i in self._positions.get(t, ())]
            if len(types) > 1:
                found.sort()
            nodes = self.nodes
            return iter([nodes[i] for i in found])  # a list, not a generator resumed per node
        return (n for n in self.nodes if isinstance(n, types))

    @cached_property
    def sessions(self) -> dict[str, str]:
        """:func:`session_names`, once per analysis."""
        return _session_names(self)

    @cached_property
    def _positions(self) -> dict[type, list[int]]:
        """Node class -> positions of its nodes in ``nodes`` (one pass instead of one per query)."""
        out: dict[type, list[int]] = {}
        for i, node in enumerate(self.nodes):
            out.setdefault(type(node), []).append(i)
        return out

    @cached_property
    def holders(self) -> dict[int, ast.AST]:
        """id(expression) -> the Assign, Expr or Call that directly holds it (a cheap partial parent map)."""
        out: dict[int, ast.AST] = {}
        for node in self.of_type(ast.Assign, ast.Expr, ast.Call):
            if isinstance(node, ast.Call):
                for arg in node.args:
                    out[id(arg)] = node
            else:
                out[id(node.value)] = node  # type: ignore[attr-defined]
        return out

    @cached_property
    def inside_handlers(self) -> set[int]:
        """ids of try statements nested inside an ``except`` clause (in the same function)."""
        return {
            id(n)
            for handler in self.of_type(ast.ExceptHandler)
            for n in walk_no_nested(handler.body)  # type: ignore[attr-defined]
            if isinstance(n, (ast.Try, ast.TryStar))
        }

    @cached_property
    def has_routes(self) -> bool:
        """Is any function of the file a web route (a whole-file fact, also in a view)?"""
        memo = self.doc.memo
        return any(statement_facts(stmt, memo).route for stmt in self.doc.module_body)

    @cached_property
    def enclosing_functions(self) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
        """id(node) -> the function whose own body contains it (nested functions excluded)."""
        return own_function_map(self.nodes, self.doc.parents)

    @cached_property
    def bound_names(self) -> set[str]:
        """Every name bound or read anywhere in the file (a whole-file fact, also in a view)."""
        memo = self.doc.memo
        return set().union(*(facts.names for facts in each_statement_facts(self.doc.module_body, memo)))

    def local_values(self, name: str, at: ast.AST) -> list[ast.AST]:
        """The values the local ``name`` holds at ``at``: every plain binding of it in the function
        around ``at`` (:func:`~vetpy.scopes.plain_values`); [] when one binding is of another kind,
        when ``name`` is a parameter there (its caller's value), or outside a function."""
        func = self.enclosing_functions.get(id(at))
        if func is None or name in parameter_names(func):
            return []
        return plain_values(scope_index(self.doc).bindings(func, name)) or []

    def qname(self, node: ast.AST) -> str | None:
        return qualified_name(node, self.imports)

    def is_builtin(self, node: ast.expr, name: str) -> bool:
        """``node`` is the builtin ``name`` (not shadowed by an import, def or assignment)."""
        return isinstance(node, ast.Name) and node.id == name and name not in self.shadowed

    @cached_property
    def shadowed(self) -> set[str]:
        """Names defined, assigned or taken as a parameter anywhere in the file, and imported
        (a whole-file fact, also in a view)."""
        names = set(self.imports.names) | self.imports.ambiguous
        memo = self.doc.memo
        return names.union(*(facts.defined for facts in each_statement_facts(self.doc.module_body, memo)))

    def logger_name(self) -> str | None:
        """A module-level ``NAME = logging.getLogger(...)``, if any."""
        for stmt in self.tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                if isinstance(stmt.value, ast.Call) and self.qname(stmt.value.func) == "logging.getLogger":
                    return stmt.targets[0].id
        return None

    def module_alias(self, module: str) -> str | None:
        """The local name bound to ``import module`` (any alias), if any."""
        for local, target in self.imports.names.items():
            if target == module:
                return local
        return None


_BUILTIN_NAMES = frozenset(dir(builtins))


@REGISTRY.whole_file_fact
def _whole_file_contribution(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What ``stmt`` adds to the whole-file facts of :class:`Module` the checkers read: builtin
    names it rebinds (``shadowed``), a web route (``has_routes``).  The names the fixes would import
    are :mod:`vetpy.rules.edge.fixes`' own whole-file fact."""
    facts = statement_facts(stmt, memo)
    return frozenset([f"defines:{n}" for n in facts.defined & _BUILTIN_NAMES] + (["route"] if facts.route else []))


def _is_leaf_class(cls: type) -> bool:
    """A syntax-tree class no other class derives from: ``isinstance`` means ``type() is``
    (not ``ast.stmt``, nor the deprecated ``ast.Num``-style aliases with their own isinstance)."""
    return type(cls) is type and issubclass(cls, ast.AST) and not cls.__subclasses__()


@lru_cache(maxsize=1024)
def is_test_file(path: str) -> bool:
    parts = re.split(r"[\\/]", path)
    name = parts[-1]
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(p in ("tests", "test", "testing") for p in parts[:-1])
    )


def walk_no_nested(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Walk statements without entering nested functions, classes or lambdas."""
    stack = [
        n
        for n in nodes
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
    ]
    while stack:
        node = stack.pop()
        yield node
        for child in child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


@node_memo
def own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[ast.AST, ...]:
    """``tuple(walk_no_nested(func.body))``: the function's own nodes, in that order, walked once
    per function node (kept while its tree lives): the editor's checkers walked the edited
    function's body five times on every edit of the editor benchmark (EDGE locks, guarded state,
    unbounded queries, re-queued retries twice)."""
    return tuple(walk_no_nested(func.body))


def is_log_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id == "print"
    if isinstance(node.func, ast.Attribute) and node.func.attr in LOGGER_METHODS - {"exception"}:
        receiver = (dotted_name(node.func.value) or "").rsplit(".", 1)[-1].lower()
        return "log" in receiver
    return False


def is_optional_annotation(node: ast.expr) -> bool:
    text = ast.unparse(node) if not isinstance(node, ast.Constant) else str(node.value)
    text = text.replace(" ", "")
    return (
        text.startswith(("Optional[", "typing.Optional["))
        or text.endswith("|None")
        or text.startswith("None|")
    )


def session_names(mod: Module) -> dict[str, str]:
    """Names (and ``self.x`` attributes) bound only to a requests/httpx session: name -> library.
    Worked out once per analysis (EDGE011 and EDGE016 both ask): do not modify."""
    return mod.sessions


def _session_names(mod: Module) -> dict[str, str]:
    found: dict[str, str] = {}
    others: set[str] = set()
    for node in mod.of_type(ast.Assign, ast.AnnAssign, ast.With, ast.AsyncWith):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(i.optional_vars, i.context_expr) for i in node.items if i.optional_vars is not None]
        for target, value in pairs:
            name = dotted_name(target)
            if name is None:
                continue
            lib = SESSION_FACTORIES.get(mod.qname(value.func) or "") if isinstance(value, ast.Call) else None
            if lib:
                found.setdefault(name, lib)
            else:
                others.add(name)
    return {k: v for k, v in found.items() if k not in others}


def own_function_map(
    nodes: list[ast.AST], parents: dict[ast.AST, ast.AST]
) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
    """id(node) -> the function whose own body contains it: reached from one of its body
    statements without entering a nested function, class or lambda (which are not keys
    themselves).  ``nodes`` in ``ast.walk`` order, so a parent is always seen before its children."""
    out: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    for node in nodes:
        parent = parents.get(node)
        if parent is None or isinstance(node, nested):
            continue
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(node, ast.stmt):  # the statements of a function are its body
                out[id(node)] = parent
            continue
        owner = out.get(id(parent))
        if owner is not None:
            out[id(node)] = owner
    return out
