"""Small syntax-tree helpers shared by the rule modules."""

from __future__ import annotations

import ast
import collections
import contextlib
import functools
import re
import sys
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Iterator, TypeVar

T = TypeVar("T")

# CPython 3.11.0-3.11.7 and 3.12.0-3.12.1 count the depth of the syntax tree under construction
# in one counter shared by every thread (gh-106905, fixed in 3.11.8 and 3.12.2).  A garbage
# collection inside ``ast.parse`` can run Python code (finalizers) and let another thread parse
# meanwhile: one of the two then fails with ``SystemError: AST constructor recursion depth
# mismatch``.  3.10 has no such counter; 3.13 keeps one per call.
_SHARED_AST_DEPTH = (3, 11) <= sys.version_info[:3] < (3, 11, 8) or (3, 12) <= sys.version_info[:3] < (3, 12, 2)
# Re-entrant: a finalizer run by a collection inside a parse may parse in the same thread.
_PARSE_LOCK: contextlib.AbstractContextManager[Any] = (
    threading.RLock() if _SHARED_AST_DEPTH else contextlib.nullcontext()
)


def parse(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> Any:
    """``ast.parse(source, filename, mode)``, one thread at a time on the Pythons where concurrent
    parses can fail (see ``_SHARED_AST_DEPTH``).  Every parse in the server's process goes through
    here: the language server parses in its analysis threads and its environment threads."""
    with _PARSE_LOCK:
        return ast.parse(source, filename=filename, mode=mode)


@dataclass
class ImportMap:
    """Local names bound by import statements anywhere in a module, mapped to dotted names.

    ``import requests as r`` -> ``r: requests``; ``import os.path`` -> ``os: os``;
    ``from os import path as p`` -> ``p: os.path``.  Relative imports are kept with their dots
    (``from . import x`` -> ``x: .x``).  A name bound to different modules in different places
    is ambiguous and maps to nothing (precision over recall).
    """

    names: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)

    @classmethod
    def from_tree(cls, tree: ast.AST) -> "ImportMap":
        return cls.from_nodes(ast.walk(tree))

    @classmethod
    def from_nodes(cls, nodes: Iterable[ast.AST]) -> "ImportMap":
        """The map for a module whose nodes (in ``ast.walk`` order) are ``nodes``."""
        return cls.from_binds(bind for node in nodes if isinstance(node, _IMPORTS) for bind in import_binds(node))

    @classmethod
    def from_binds(cls, binds: Iterable[tuple[str, str]]) -> "ImportMap":
        """The map for these (local name, dotted name) bindings, in their order."""
        imap = cls()
        for local, target in binds:
            imap._bind(local, target)
        return imap

    def _bind(self, local: str, target: str) -> None:
        if local in self.ambiguous:
            return
        previous = self.names.get(local)
        if previous is not None and previous != target:
            self.ambiguous.add(local)
            del self.names[local]
            return
        self.names[local] = target

    def resolve(self, local: str) -> str | None:
        return self.names.get(local)


_IMPORTS = (ast.Import, ast.ImportFrom)


def import_binds(node: ast.AST) -> list[tuple[str, str]]:
    """The (local name, dotted name) bindings of ``node`` if it is an import statement, else none."""
    if isinstance(node, ast.Import):
        return [(alias.asname, alias.name) if alias.asname else (alias.name.split(".")[0],) * 2 for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = "." * (node.level or 0) + (node.module or "")
        sep = "" if base.endswith(".") or not base else "."
        return [(alias.asname or alias.name, f"{base}{sep}{alias.name}") for alias in node.names if alias.name != "*"]
    return []


_Node = TypeVar("_Node", bound=ast.AST)
_Answer = TypeVar("_Answer")


def node_memo(func: Callable[[_Node], _Answer]) -> Callable[[_Node], _Answer]:
    """``func``, a pure function of a node's subtree, answering each node once: kept per node
    object, weakly (dropped with its tree).  Callers must not modify the trees."""
    memo: weakref.WeakKeyDictionary[ast.AST, Any] = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    def wrapper(node: _Node) -> _Answer:
        with lock:
            if node in memo:
                return memo[node]
        answer = func(node)
        with lock:
            memo[node] = answer
        return answer

    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = func.__name__, func.__doc__, func  # type: ignore[attr-defined]
    return wrapper


def leaves(block: list[ast.stmt]) -> bool:
    """Does ``block`` end by leaving it (``return``, ``raise``, ``continue``, ``break``)?"""
    return bool(block) and isinstance(block[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk(node)``: the same nodes in the same order (breadth first), about twice as fast
    (no generator per node)."""
    todo = collections.deque([node])
    popleft, append = todo.popleft, todo.append
    while todo:
        node = popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        append(item)
        yield node


# node -> every node under it but itself, in ``walk`` order (without the node, so that the entry
# never keeps its key alive: a syntax tree has no links upwards)
_BELOW: weakref.WeakKeyDictionary[ast.AST, list[ast.AST]] = weakref.WeakKeyDictionary()
_BELOW_LOCK = threading.Lock()


def subtree_nodes(node: ast.AST) -> list[ast.AST]:
    """``list(walk(node))``, walked once per node object and kept while the node lives (a new
    list on each call).  For a subtree several checks walk whole on every analysis (the route a
    security check reads, after an edit: ten helpers walked it, each once); callers must not
    modify the trees."""
    with _BELOW_LOCK:
        below = _BELOW.get(node)
    if below is None:
        below = list(walk(node))[1:]
        with _BELOW_LOCK:
            _BELOW[node] = below
    return [node, *below]


_STATEMENT_LIKE = (ast.stmt, ast.excepthandler, ast.match_case)


def walk_statements(node: ast.AST) -> Iterator[ast.AST]:
    """The statements under ``node`` (and the ``except`` handlers and ``case`` clauses that hold
    some), in the order ``ast.walk(node)`` gives them, without visiting any expression: a
    statement is only ever in a list of statements of a statement, handler or case."""
    todo = collections.deque([node])
    while todo:
        node = todo.popleft()
        todo.extend(item for name in node._fields if isinstance(value := getattr(node, name, None), list)
                    for item in value if isinstance(item, _STATEMENT_LIKE))
        yield node


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``list(ast.iter_child_nodes(node))``, about twice as fast (no generators)."""
    children: list[ast.AST] = []
    fields = node.__dict__  # unset optional fields read as None, as with getattr
    for name in node._fields:
        value = fields.get(name)
        if isinstance(value, ast.AST):
            children.append(value)
        elif value.__class__ is list:
            children.extend([item for item in value if isinstance(item, ast.AST)])
    return children


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of Name/Attribute nodes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def last_name(node: ast.AST) -> str | None:
    """``c`` of a Name ``c`` or of an attribute ``a.b.c``; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def name_words(name: str) -> list[str]:
    """``SERVER_PROFILING_ENABLED``, ``serverProfiling`` -> their lower-case words (a new list:
    the callers may change it)."""
    return list(_name_words(name))


@functools.lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[str, ...]:
    # the same names are split on every edit (two regular expressions each): kept per name
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return tuple(w for w in re.split(r"[_\W]+", spaced.lower()) if w)


def qualified_name(node: ast.AST, imports: ImportMap) -> str | None:
    """Fully qualified dotted name of a Name/Attribute chain whose root is an imported name.

    ``r.get`` with ``import requests as r`` -> ``requests.get``.  Names not bound by an import
    (locals, builtins) return None, except builtins which return ``builtins.<name>`` when the
    module never rebinds them.
    """
    dotted = dotted_name(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    target = imports.resolve(head)
    if target is None:
        return None
    return f"{target}.{rest}" if rest else target


def call_name(call: ast.Call, imports: ImportMap) -> str | None:
    return qualified_name(call.func, imports)


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)


def is_constant(node: ast.AST, value: object) -> bool:
    """Is ``node`` the literal ``value`` (``True`` is not ``1``; ``None`` only matches ``None``)."""
    if not isinstance(node, ast.Constant):
        return False
    if value is None or isinstance(value, bool) or isinstance(node.value, bool):
        return node.value is value
    return type(node.value) is type(value) and node.value == value


def is_type_checking_test(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING`` (any alias)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})  # a handler of these catches a failed import


def handler_catches(handler: ast.ExceptHandler, names: set[str] | frozenset[str]) -> bool:
    """Does this ``except`` clause catch one of ``names`` (bare except catches everything)?"""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        dotted = dotted_name(t)
        if dotted and dotted.split(".")[-1] in names:
            return True
    return False


def call_chain(call: ast.expr) -> tuple[list[ast.Call], ast.expr]:
    """The calls of a method chain ``a.b(...).c(...).get(...)``, outermost first, and its root
    (``a``, or the first node that is neither a call nor an attribute)."""
    calls: list[ast.Call] = []
    node = call
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls, node


def statement_nodes(stmt: ast.AST, memo: "NodeMemo") -> list[ast.AST]:
    """Every node of the top-level statement ``stmt`` in ``ast.walk`` order: one walk, kept in
    ``memo`` while the statement is, shared by the per-statement facts that read every node (after
    an edit, the edited statement is walked once instead of once per fact)."""
    return memo.get(stmt, "astutil.nodes", lambda: subtree_nodes(stmt))


class NodeMemo:
    """What the analysis derives from one top-level statement of one document and from nothing
    else (the names it binds, the binding tables of its scopes ...), by statement and key.

    Lives on its :class:`~vetpy.document.Document`: the incremental parser, which reuses the node
    objects of the statements an edit did not touch, hands their entries on to the next version's
    memo, and everything else goes with the document.  No module-level table keeps a syntax tree
    (a weak-keyed one whose value refers to its key keeps it for ever).  Entries must not refer to
    the document (its memo would keep it alive in a cycle)."""

    __slots__ = ("_tables",)

    def __init__(self, body: Iterable[ast.stmt] = (), previous: NodeMemo | None = None) -> None:
        old = previous._tables if previous is not None else {}
        self._tables: dict[ast.AST, dict[Hashable, Any]] = {stmt: old.get(stmt) or {} for stmt in body}

    def get(self, stmt: ast.AST, key: Hashable, compute: Callable[[], T]) -> T:
        """The memoised ``compute()`` for ``(stmt, key)``; ``stmt`` not a top-level statement of
        this document (a previous version's, say): computed and not kept."""
        table = self._tables.get(stmt)
        if table is None:
            return compute()
        try:
            return table[key]  # type: ignore[no-any-return]
        except KeyError:
            value = table[key] = compute()
            return value

    def each(self, body: Iterable[ast.AST], key: Hashable, compute: Callable[[ast.AST], T]) -> list[T]:
        """``[self.get(stmt, key, lambda: compute(stmt)) for stmt in body]``, without a call per
        statement already known (a loop over every top-level statement, on every edit)."""
        tables = self._tables
        found: list[T] = []
        for stmt in body:
            table = tables.get(stmt)
            if table is None:
                found.append(compute(stmt))
            elif key in table:
                found.append(table[key])
            else:
                value = table[key] = compute(stmt)
                found.append(value)
        return found

    def __len__(self) -> int:
        """Entries held (for the tests that watch memory)."""
        return sum(len(table) for table in self._tables.values())


def resolve_relative(module: str | None, is_package: bool, level: int, name: str | None) -> str | None:
    """Absolute module name for ``from <level dots><name> import ...`` inside ``module``."""
    if level == 0:
        return name
    if not module:
        return None
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts) or (level - 1 == len(parts) and not name):
        return None
    base = parts[: len(parts) - (level - 1)]
    if name:
        base = base + name.split(".")
    return ".".join(base) if base else None


def imports_package(body: Iterable[ast.AST], package: str) -> bool:
    """Does a statement of ``body`` (a module's top level, or every node of a tree) import
    ``package`` (or one of its modules)?"""
    return any(
        (isinstance(s, ast.ImportFrom) and (s.module or "").split(".")[0] == package)
        or (isinstance(s, ast.Import) and any(a.name.split(".")[0] == package for a in s.names))
        for s in body
    )
