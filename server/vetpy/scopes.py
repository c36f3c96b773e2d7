"""Scopes and the names bound in them: one walk per scope, shared by every analysis that asks.

The type inference (:mod:`vetpy.resolve.infer`) and the data-flow (trust) analysis
(:mod:`vetpy.dataflow.flow`) both need, for a function, a class body, a lambda, a comprehension or
the module, which statements bind which names.  They read it from one :class:`ScopeTable` per
scope, built by :func:`scope_table` and kept by the document's :class:`ScopeIndex`, instead of
each walking the scope in its own way.  Each reads the sites its own way: the inference asks what
*kind* of object a name holds, the data-flow analysis what *value* (and whether it is certain at
a given line).

A table depends on nothing but its scope's own subtree: kept in the document's
:class:`~vetpy.astutil.NodeMemo` under the top-level statement that holds the scope, it is reused
after an edit that left that statement alone (the incremental parser keeps its nodes).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from vetpy.astutil import NodeMemo, child_nodes, walk

if TYPE_CHECKING:
    from vetpy.document import Document

# Compound statements whose bodies do not always run (a binding inside one is conditional).
LOOPS = (ast.For, ast.AsyncFor, ast.While)
BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.ExceptHandler, ast.match_case) + (
    (ast.TryStar,) if hasattr(ast, "TryStar") else ()
)


@dataclass(frozen=True, slots=True)
class Site:
    """One binding of one name in a scope.

    ``kind`` and what ``node`` and ``value`` are:

    ============== ================================ ==============================================
    kind           node                             value
    ============== ================================ ==============================================
    import         the Import / ImportFrom          the ``ast.alias``
    assign         the Assign                       its value
    annotated      the AnnAssign                    its value (None: an annotation only)
    augmented      the AugAssign                    its value (the right-hand side)
    for            the For / AsyncFor               the iterable
    with           the With / AsyncWith             the item's context expression
    walrus         the NamedExpr                    its value
    comprehension  the ``ast.comprehension``        the iterable
    class, def     the ClassDef / FunctionDef       None
    except         the ExceptHandler                None
    delete, match  the Delete / match pattern       None
    global         the Global / Nonlocal            None
    ============== ================================ ==============================================

    ``unpacked``: 0 when the target is the name itself, else how many levels of tuple/list
    unpacking lie between the value and the name (``a, (b, c) = ...``: 1 for ``a``, 2 for ``b``).
    ``index``: where the name lies in the unpacked value, one (position, length of that target
    tuple) per level (``a, (b, c) = ...``: ``((1, 2), (0, 2))`` for ``b``); None when a starred
    target makes the positions uncertain (``a, *rest, b = ...``).
    ``blocks``: the compound statements of the scope around the binding, outermost first.
    """

    name: str
    kind: str
    node: ast.AST
    value: ast.AST | None = None
    unpacked: int = 0
    blocks: tuple[ast.AST, ...] = ()
    index: tuple[tuple[int, int], ...] | None = ()

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 0)


@dataclass
class ScopeTable:
    """Every binding site of one scope, in source order, by name; and the scope's conditions."""

    sites: dict[str, list[Site]] = field(default_factory=dict)
    # `if`, `while` and `assert` statements of the scope (their tests narrow names)
    conditions: list[ast.If | ast.While | ast.Assert] = field(default_factory=list)
    # names read in the item or attribute targets of assignments (`d[key] = ...`, `obj.x = ...`):
    # the object they hold is changed in this scope
    stored_through: set[str] = field(default_factory=set)


def scope_table(scope: ast.AST) -> ScopeTable:
    """The binding sites of ``scope``'s own body, not of the scopes nested in it (their names
    only). A function's parameters are not sites: each analysis reads them from the arguments."""
    table = ScopeTable()
    sites = table.sites

    def bind(name: str, kind: str, node: ast.AST, value: ast.AST | None, blocks: tuple[ast.AST, ...], unpacked: int = 0,
             index: tuple[tuple[int, int], ...] | None = ()) -> None:
        sites.setdefault(name, []).append(Site(name, kind, node, value, unpacked, blocks, index))

    def target(t: ast.AST, kind: str, node: ast.AST, value: ast.AST | None, blocks: tuple[ast.AST, ...], unpacked: int = 0,
               index: tuple[tuple[int, int], ...] | None = ()) -> None:
        if isinstance(t, ast.Name):
            bind(t.id, kind, node, value, blocks, unpacked, index)
        elif isinstance(t, (ast.Tuple, ast.List)):
            starred = any(isinstance(e, ast.Starred) for e in t.elts)
            for i, e in enumerate(t.elts):
                inner = None if starred or index is None else index + ((i, len(t.elts)),)
                target(e.value if isinstance(e, ast.Starred) else e, kind, node, value, blocks, unpacked + 1, inner)
        elif isinstance(t, ast.Starred):
            target(t.value, kind, node, value, blocks, unpacked + 1, None)
        elif kind == "assign":
            table.stored_through.update(n.id for n in walk(t) if isinstance(n, ast.Name))

    if isinstance(scope, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        for gen in scope.generators:
            target(gen.target, "comprehension", gen, gen.iter, ())
        return table
    if isinstance(scope, ast.Lambda):
        body: list[ast.AST] = [scope.body]
    else:
        body = list(getattr(scope, "body", []))

    for node, blocks in _walk_scope(body):
        kind = type(node)
        if kind is ast.Assign:
            for t in node.targets:  # type: ignore[attr-defined]
                target(t, "assign", node, node.value, blocks)  # type: ignore[attr-defined]
        elif kind is ast.AnnAssign:
            target(node.target, "annotated", node, node.value, blocks)  # type: ignore[attr-defined]
        elif kind is ast.AugAssign:
            target(node.target, "augmented", node, node.value, blocks)  # type: ignore[attr-defined]
        elif kind is ast.For or kind is ast.AsyncFor:
            target(node.target, "for", node, node.iter, blocks)  # type: ignore[attr-defined]
        elif kind is ast.With or kind is ast.AsyncWith:
            for item in node.items:  # type: ignore[attr-defined]
                if item.optional_vars is not None:
                    target(item.optional_vars, "with", node, item.context_expr, blocks)
        elif kind is ast.NamedExpr:
            target(node.target, "walrus", node, node.value, blocks)  # type: ignore[attr-defined]
        elif kind is ast.Import or kind is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name != "*":
                    bind(alias.asname or alias.name.split(".")[0], "import", node, alias, blocks)
        elif kind is ast.ClassDef:
            bind(node.name, "class", node, None, blocks)  # type: ignore[attr-defined]
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            bind(node.name, "def", node, None, blocks)  # type: ignore[attr-defined]
        elif kind is ast.ExceptHandler:
            if node.name:  # type: ignore[attr-defined]
                bind(node.name, "except", node, None, blocks)  # type: ignore[attr-defined]
        elif kind is ast.Delete:
            for t in node.targets:  # type: ignore[attr-defined]
                target(t, "delete", node, None, blocks)
        elif kind is ast.MatchAs or kind is ast.MatchStar:
            if node.name:  # type: ignore[attr-defined]
                bind(node.name, "match", node, None, blocks)  # type: ignore[attr-defined]
        elif kind is ast.MatchMapping:
            if node.rest:  # type: ignore[attr-defined]
                bind(node.rest, "match", node, None, blocks)  # type: ignore[attr-defined]
        elif kind is ast.Global or kind is ast.Nonlocal:
            for name in node.names:  # type: ignore[attr-defined]
                bind(name, "global", node, None, blocks)
        elif kind is ast.If or kind is ast.While or kind is ast.Assert:
            table.conditions.append(node)  # type: ignore[arg-type]
    return table


class ScopeIndex:
    """The scope tables of one document, each built on first use (see the module's docstring)."""

    def __init__(self, tree: ast.Module, doc: Document | None = None) -> None:
        self.tree = tree
        self._doc = doc
        self._tables: dict[ast.AST, ScopeTable] = {}

    @property
    def memo(self) -> NodeMemo | None:
        """The document's per-statement memo (None without a document)."""
        return self._doc.memo if self._doc is not None else None

    def table(self, scope: ast.AST) -> ScopeTable:
        found = self._tables.get(scope)
        if found is None:
            doc = self._doc
            if scope is self.tree and doc is not None and doc.is_view:
                found = _merged_module_table(scope, doc)  # type: ignore[arg-type]
            elif scope is self.tree or doc is None:
                found = scope_table(scope)
            else:
                found = doc.memo.get(self._top_level(scope, doc.parents), ("scope", scope), lambda: scope_table(scope))
            self._tables[scope] = found
        return found

    def bindings(self, scope: ast.AST, name: str) -> list[Site]:
        """Every binding of the variable ``name`` of ``scope``, in source order: the scope's own
        sites, and those of the functions nested in it (also in a nested class body, at any
        depth, through functions that leave ``name`` free) that declare it ``nonlocal``. An
        assignment in a nested function without ``nonlocal`` binds that function's own local; a
        function's parameters are not sites (see :func:`scope_table`)."""
        table = self.table(scope)
        found = list(table.sites.get(name, ()))
        nested = list(self._nested_sites(table, name))
        if nested:
            found = sorted(found + nested, key=lambda s: (s.line, getattr(s.node, "col_offset", 0)))
        return found

    def _nested_sites(self, table: ScopeTable, name: str) -> Iterator[Site]:
        """The sites of ``name`` in the functions nested in ``table``'s scope that rebind the
        enclosing variable (``nonlocal name``), and in functions nested in those that leave it free."""
        for site in [s for sites in table.sites.values() for s in sites if s.kind in ("def", "class")]:
            inner = self.table(site.node)
            if site.kind == "class":  # a class body is no enclosing scope of its methods' names
                yield from self._nested_sites(inner, name)
                continue
            own = inner.sites.get(name, ())
            if any(isinstance(s.node, ast.Nonlocal) for s in own):
                yield from (s for s in own if s.kind != "global")
            elif own or name in parameter_names(site.node):
                continue  # the nested function's own variable (or a global one)
            yield from self._nested_sites(inner, name)

    def _top_level(self, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST:
        parent = parents.get(node)
        while parent is not None and parent is not self.tree:
            node, parent = parent, parents.get(parent)
        return node


def plain_values(sites: list[Site]) -> list[ast.AST] | None:
    """The values ``sites`` bind their name to when every one is a plain binding of the name
    itself (``=``, annotated ``=``, ``:=``, ``with ... as name``; an annotation without a value
    binds nothing); None when some site binds it otherwise (unpacking, ``for``, ``+=``, import,
    ``def``, ``except``, ``del``, ``global``/``nonlocal``, a match capture)."""
    values: list[ast.AST] = []
    for site in sites:
        if site.kind == "annotated" and site.value is None:
            continue
        if site.kind not in ("assign", "annotated", "walrus", "with") or site.unpacked or site.value is None:
            return None
        values.append(site.value)
    return values


def parameter_names(func: ast.AST) -> set[str]:
    args = getattr(func, "args", None)
    if not isinstance(args, ast.arguments):
        return set()
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in named if a is not None}


def _merged_module_table(tree: ast.Module, doc: Document) -> ScopeTable:
    """The module scope's table of a view (:meth:`Document.view`) from its top-level statements'
    own tables, each kept in the memo while the statement is: the walk of a module's body
    finishes one statement before it starts the next, so its sites, by name, are the
    statements' sites one after the other (and its conditions likewise)."""
    table = ScopeTable()
    sites = table.sites
    memo = doc.memo
    for stmt in tree.body:
        part = memo.get(stmt, "module-scope-part", lambda stmt=stmt: _statement_table(stmt))  # type: ignore[misc]
        for name, found in part.sites.items():
            sites.setdefault(name, []).extend(found)
        table.conditions += part.conditions
        table.stored_through |= part.stored_through
    return table


def _statement_table(stmt: ast.stmt) -> ScopeTable:
    """What one top-level statement contributes to its module's :func:`scope_table`."""
    return scope_table(ast.Module(body=[stmt], type_ignores=[]))


def scope_index(doc: Document) -> ScopeIndex:
    """The scope tables of ``doc`` for the running analysis (made once, then shared)."""
    index = doc.shared.get("scopes")
    if index is None:
        assert doc.tree is not None
        index = doc.shared["scopes"] = ScopeIndex(doc.tree, doc)
    return index  # type: ignore[no-any-return]


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Leaves: nodes without child nodes worth visiting (names, constants, contexts, operators).
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass, ast.Break, ast.Continue,
                     *(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop)))})


def _walk_scope(body: list[ast.AST]) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...]]]:
    """Every node of a scope's body in source order, each with the compound statements around it.
    Nested scopes are not entered: of a function or class, its name, decorators, defaults and
    bases (they run in this scope); of a lambda, nothing; of a comprehension, everything but its
    targets' scope (an assignment expression inside binds in this scope)."""
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(node, ()) for node in reversed(body)]
    pop, push = stack.pop, stack.append
    while stack:
        node, blocks = pop()
        yield node, blocks
        kind = type(node)
        if kind in _LEAVES or kind is ast.Lambda:
            continue
        if isinstance(node, _DEFS):
            outer: list[ast.AST] = list(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                outer += node.bases
            else:
                outer += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
            stack.extend((child, blocks) for child in reversed(outer))
            continue
        inner = blocks + (node,) if isinstance(node, BLOCKS) else blocks
        children = child_nodes(node)
        children.reverse()
        stack.extend((child, inner) for child in children)
