"""Names a module binds at import time, read from its source without running it.

The answer is *complete* only when nothing in the module can add names we cannot see: a
module-level ``__getattr__`` (PEP 562), a star import we cannot follow, writes through
``globals()``/``sys.modules``/``setattr`` or ``exec``.  Rules must treat an incomplete
namespace as "unknown" and stay silent.
"""

from __future__ import annotations

import ast
import os
import re
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetpy import reads
from vetpy.astutil import last_name, resolve_relative, walk
from vetpy.environment.modules import parse_module_source
from vetpy.resolve.index import NamespaceIndex

if TYPE_CHECKING:
    from vetpy.environment.modules import ModuleLookup, ModuleResolver


@dataclass
class ModuleNamespace:
    module: str
    names: set[str] = field(default_factory=set)
    complete: bool = True
    reason: str = ""  # why it is incomplete
    has_getattr: bool = False
    path: Path | None = None

    def incomplete(self, reason: str) -> None:
        if self.complete:
            self.complete = False
            self.reason = reason


_DYNAMIC_CALLS = {"globals", "exec", "setattr", "vars", "locals"}
# the whole words without which the whole-tree look finds nothing: a `global` statement; a call of
# the above (by its last name); `sys.modules` / `sys.__dict__` (an identifier is never part of a
# longer word in the source)
_GLOBAL_WORD = re.compile(rb"\bglobal\b")
_CALL_WORDS = re.compile(rb"\b(?:" + b"|".join(sorted(name.encode() for name in _DYNAMIC_CALLS)) + rb")\b")
_SYS_WORD = re.compile(rb"\b_?sys\b")
_SYS_ATTR_WORDS = re.compile(rb"\b(?:modules|__dict__)\b")


# (the answer, what computing it read, the resolver it was asked of (weakly), the other files it read with
# their stamps): served while the resolver is the same object and those files are unchanged (a
# star-imported module edited: worked out again)
_Kept = tuple[ModuleNamespace, reads.Reads, "weakref.ref[Any]", tuple[tuple[str, "list[int] | None"], ...]]
_NAMESPACES: dict[tuple[int, str, str, str, int], _Kept] = {}
# the same, for the answers that looked nothing up from the importing file's place (no star
# import followed, no decorator chased: :func:`_found_from`), which every importer shares
_PLACELESS: dict[tuple[int, str, str, int], _Kept] = {}
_placed = threading.local()  # .count: lookups made from an importing file's place in this thread


def _found_from(resolver: "ModuleResolver", target: str, file_path: str | None) -> "ModuleLookup":
    """``resolver.find(target, file_path)``, counted: an answer that made none is the same for
    every importing file (a whole-project check asks for each module's namespace from every
    folder that imports it: once per module instead of once per folder)."""
    _placed.count = getattr(_placed, "count", 0) + 1
    return resolver.find(target, file_path)


def module_namespace(
    resolver: "ModuleResolver", module: str, path: Path, file_path: str | None = None, _depth: int = 0,
    _seen: frozenset[str] = frozenset(),
) -> ModuleNamespace:
    """The names ``module`` (read from ``path``) binds; cached per resolver, file and mtime.
    Callers must not modify the answer."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    where = str(Path(file_path).parent) if file_path else ""
    key = (id(resolver), module, str(path), where, mtime)
    if _depth:
        return _module_namespace(resolver, module, path, file_path, _depth, _seen)
    placeless = (id(resolver), module, str(path), mtime)
    hit = _NAMESPACES.get(key) or _PLACELESS.get(placeless)
    if hit is not None and (hit[2]() is not resolver or any(reads.file_stamp(f) != stamp for f, stamp in hit[3])):
        hit = None
    if hit is None:
        before = getattr(_placed, "count", 0)
        with reads.capture() as used:
            reads.note_file(path)
            answer = _indexed(resolver, module, path, file_path, _seen)
        if len(_NAMESPACES) > 4096:
            _NAMESPACES.clear()
            _PLACELESS.clear()
        own = os.path.abspath(path)
        others = tuple((f, reads.file_stamp(f)) for f in sorted(used.flat().files) if os.path.abspath(f) != own)
        hit = _NAMESPACES[key] = (answer, used, weakref.ref(resolver), others)
        if getattr(_placed, "count", 0) == before:
            _PLACELESS[placeless] = hit
    # for the result cache: the answer, and what it was computed from
    reads.note_derived("static", "namespace", (module, str(path), file_path), hit[0], hit[1])
    return hit[0]


def _indexed(resolver: "ModuleResolver", module: str, path: Path, file_path: str | None,
             _seen: frozenset[str]) -> ModuleNamespace:
    """The namespace from the on-disk index, else worked out (and indexed when it may be: what
    installed code binds, or what any module binds that read no other module to find out)."""
    index = _index_of(resolver)
    if index is None:
        return _module_namespace(resolver, module, path, file_path, 0, _seen)
    kept = index.get(module, path)
    if kept is not None:
        for dep in kept[1]:
            reads.note_file(dep)
        return ModuleNamespace(**kept[0])
    with reads.capture() as used:
        answer = _module_namespace(resolver, module, path, file_path, 0, _seen)
    reads.replay(used)
    flat = used.flat()
    self_contained = not flat.queries and all(os.path.abspath(f) == os.path.abspath(path) for f in flat.files)
    if index.covers(path) or self_contained:
        index.put(module, path, answer, flat.files)
    return answer


def _index_of(resolver: "ModuleResolver") -> NamespaceIndex | None:
    index = getattr(resolver, "_namespace_index", False)
    if index is False:
        index = NamespaceIndex.for_environment(resolver.environment) if resolver.use_disk_cache else None
        resolver._namespace_index = index  # type: ignore[attr-defined]
    return index


# what the import system sets on every module it loads from a source file
_MODULE_DUNDERS = frozenset({"__name__", "__doc__", "__file__", "__package__", "__loader__", "__spec__",
                             "__builtins__", "__cached__", "__dict__"})


def _module_namespace(
    resolver: "ModuleResolver", module: str, path: Path, file_path: str | None, _depth: int,
    _seen: frozenset[str],
) -> ModuleNamespace:
    ns = ModuleNamespace(module=module, path=path)
    if path.is_dir():  # namespace package: only submodules
        ns.incomplete("namespace package")
        return ns
    outline = _outline(path)
    if outline is None:
        ns.incomplete(f"no Python source ({path.suffix or 'directory'})")
        return ns
    is_package = path.name.startswith("__init__.")
    ns.names.update(_MODULE_DUNDERS | ({"__path__"} if is_package else set()))
    seen = _seen | {module}
    for op in outline.ops:
        if isinstance(op, str):
            ns.names.add(op)
        elif op is None:
            ns.has_getattr = True
            ns.incomplete("module defines __getattr__")
        else:
            _star(op[0], op[1], ns, resolver, module, is_package, file_path, _depth, seen)
    if _decorated_by_a_module_writer(outline, resolver, module, is_package, file_path):
        ns.incomplete("a decorator writes into its target's module (sys.modules)")
    # no `global`, dynamic call or sys.modules can be in a source without their words; once the
    # namespace is incomplete, only the names of `global` statements can still change it
    if outline.global_names is not None:
        ns.names.update(outline.global_names)
    if ns.complete and outline.dynamic is not None:
        ns.incomplete(outline.dynamic)
    return ns


@dataclass
class _Outline:
    """What a module's namespace needs of its source, wherever the module is imported from:
    worked out from one parse per version of the file (:func:`_outline`).  The namespace itself
    may depend on the importer's place (a star import's target, a decorator chased through an
    import), so it is worked out again for each importing folder, but from this, not from a new
    parse of the source (a cold whole-project check parsed big modules once per importing folder:
    more source than the project itself)."""

    # in the order :func:`_collect` meets them: a name bound (str), a module-level
    # ``__getattr__`` (None), a star import ((level, module))
    ops: list[str | None | tuple[int, str | None]]
    roots: list[str]  # the root names of the top-level classes' and functions' decorators, sorted
    # the top-level statements :func:`_writes_modules` follows, in order: ("from", level, module,
    # [(bound name, imported name)]), ("import", [bound names]), ("assign", [target names], the
    # value's root name or None)
    binders: list[tuple]
    defined: frozenset[str]  # the top-level classes and functions
    writes: bool  # the source writes into a module through sys.modules (_WRITES_A_MODULE)
    global_names: list[str] | None  # the names of its `global` statements, when the word occurs
    dynamic: str | None  # why a dynamic call or sys.modules makes it incomplete (the first in walk order)
    literal_all: set[str] | None  # :func:`_literal_all`


_NO_OUTLINE = object()
_OUTLINES: dict[tuple[str, int, int], _Outline] = {}


def _outline(path: Path) -> _Outline | None:
    """The :class:`_Outline` of ``path`` as it is now, parsed once per version (size and
    modification time); None where :func:`parse_module_source` gives no tree.  Notes the read
    as that does."""
    if path.suffix not in (".py", ".pyi"):
        return None
    reads.note_file(path)
    stamp = reads.file_stamp(str(path))  # the version parse_module_source reads
    key = (str(path), stamp[0], stamp[1]) if stamp is not None else None
    hit = _OUTLINES.get(key, _NO_OUTLINE) if key is not None else _NO_OUTLINE
    if hit is _NO_OUTLINE:
        tree, source = parse_module_source(path)
        if tree is None:
            return None
        hit = _outline_of(tree, source)
        if key is not None:
            if len(_OUTLINES) > 4096:
                _OUTLINES.clear()
            _OUTLINES[key] = hit
    return hit  # type: ignore[return-value]


def _outline_of(tree: ast.Module, source: bytes) -> _Outline:
    ops: list[str | None | tuple[int, str | None]] = []
    _collect(tree.body, ops)
    roots = set()
    binders: list[tuple] = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in stmt.decorator_list:
                root = deco.func if isinstance(deco, ast.Call) else deco
                while isinstance(root, (ast.Attribute, ast.Call)):
                    root = root.value if isinstance(root, ast.Attribute) else root.func
                if isinstance(root, ast.Name):
                    roots.add(root.id)
        elif isinstance(stmt, ast.ImportFrom):
            binders.append(("from", stmt.level or 0, stmt.module, [(a.asname or a.name, a.name) for a in stmt.names]))
        elif isinstance(stmt, ast.Import):
            binders.append(("import", [a.asname or a.name.split(".")[0] for a in stmt.names]))
        elif isinstance(stmt, ast.Assign):
            value = stmt.value
            while isinstance(value, (ast.Call, ast.Attribute)):
                value = value.func if isinstance(value, ast.Call) else value.value
            binders.append(("assign", [t.id for t in stmt.targets if isinstance(t, ast.Name)],
                            value.id if isinstance(value, ast.Name) else None))
    words = _CALL_WORDS.search(source) or _SYS_WORD.search(source) and _SYS_ATTR_WORDS.search(source)
    return _Outline(
        ops=ops, roots=sorted(roots), binders=binders,
        defined=frozenset(s.name for s in tree.body if isinstance(s, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))),
        writes=_WRITES_A_MODULE.search(source) is not None,
        global_names=_global_names(tree.body) if _GLOBAL_WORD.search(source) is not None else None,
        dynamic=_first_dynamic(tree) if words else None,
        literal_all=_all_of(tree))


def _first_dynamic(tree: ast.Module) -> str | None:
    """Why a dynamic call (``globals()``, ``setattr``, ...) or ``sys.modules`` makes the namespace
    incomplete: the first of them in walk order."""
    for node in walk(tree):
        if isinstance(node, ast.Call):
            name = last_name(node.func)
            if name in _DYNAMIC_CALLS:
                return f"uses {name}()"
        elif isinstance(node, ast.Attribute) and node.attr in ("modules", "__dict__") and isinstance(node.ctx, ast.Load):
            if isinstance(node.value, ast.Name) and node.value.id in ("sys", "_sys"):
                return "touches sys.modules"
    return None


def _global_names(body: list[ast.stmt]) -> list[str]:
    """The names of every ``global`` statement under ``body``: statements are only ever in the
    statement lists of statements (of a clause of ``try`` and a case of ``match`` too), so only
    those are walked, not the expressions (most of a tree's nodes)."""
    names: list[str] = []
    todo = [body]
    while todo:
        for stmt in todo.pop():
            if isinstance(stmt, ast.Global):
                names.extend(stmt.names)
            for name in ("body", "orelse", "finalbody"):
                value = getattr(stmt, name, None)
                if isinstance(value, list):
                    todo.append(value)
            todo.extend(clause.body for clause in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())))
    return names


def _collect(body: list[ast.stmt], ops: list[str | None | tuple[int, str | None]]) -> None:
    """The names ``body`` binds at import time, a module-level ``__getattr__`` (None) and star
    imports ((level, module)), in order, into ``ops`` (see :class:`_Outline`)."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            ops.append(stmt.name)
            if stmt.name == "__getattr__" and not isinstance(stmt, ast.ClassDef):
                ops.append(None)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                _bind_target(t, ops)
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name) and t.id == "__getattr__":
                        ops.append(None)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                ops.append(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == "*":
                    ops.append((stmt.level or 0, stmt.module))
                else:
                    ops.append(alias.asname or alias.name)
        elif isinstance(stmt, (ast.If, ast.While)):
            _collect(stmt.body, ops)
            _collect(stmt.orelse, ops)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            _bind_target(stmt.target, ops)
            _collect(stmt.body, ops)
            _collect(stmt.orelse, ops)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    _bind_target(item.optional_vars, ops)
            _collect(stmt.body, ops)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            _collect(stmt.body, ops)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    ops.append(handler.name)
                _collect(handler.body, ops)
            _collect(stmt.orelse, ops)  # type: ignore[attr-defined]
            _collect(stmt.finalbody, ops)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                for node in walk(case.pattern):
                    name = getattr(node, "name", None) or getattr(node, "rest", None)
                    if isinstance(name, str):
                        ops.append(name)
                _collect(case.body, ops)
        elif isinstance(stmt, ast.Expr):
            for node in walk(stmt):
                if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    ops.append(node.target.id)
        if hasattr(ast, "TypeAlias") and isinstance(stmt, getattr(ast, "TypeAlias")):
            _bind_target(stmt.name, ops)  # type: ignore[attr-defined]


# `setattr(sys.modules[cls.__module__], name, model)`, `vars(sys.modules[...])[name] = ...`
_WRITES_A_MODULE = re.compile(rb"(?:setattr\(\s*|vars\(\s*)(?:_?sys)\.modules\[|(?:_?sys)\.modules\[[^\]\n]+\]\.__dict__\[")
_CHASE_DEPTH = 4


def _decorated_by_a_module_writer(
    outline: _Outline, resolver: "ModuleResolver", module: str, is_package: bool, file_path: str | None,
) -> bool:
    """Does a decorator of a top-level class or function come from code that writes names into
    a module through ``sys.modules`` (hierarkey's ``@settings.add()`` defines
    ``Event_SettingsStore`` in the decorated class's module)?  The decorator's name is followed
    through imports and ``x = Factory(...)`` assignments to the source that defines it."""
    return any(_writes_modules(name, outline, resolver, module, is_package, file_path, 0, set()) for name in outline.roots)


def _writes_modules(
    name: str, outline: _Outline, resolver: "ModuleResolver", module: str, is_package: bool,
    file_path: str | None, depth: int, seen: set[str],
) -> bool:
    """Is ``name`` of module ``module`` (whose source ``outline`` sums up) defined by code that
    writes into ``sys.modules[...]``?"""
    if depth > _CHASE_DEPTH or f"{module}:{name}" in seen:
        return False
    seen.add(f"{module}:{name}")
    for binder in outline.binders:
        if binder[0] == "from":
            imported = next((original for bound, original in binder[3] if bound == name), None)
            if imported is None:
                continue
            target = resolve_relative(module, is_package, binder[1], binder[2])
            if target is None:
                return False
            return _module_writes(target, imported, resolver, file_path, depth, seen)
        if binder[0] == "import":
            if name in binder[1]:
                return False  # a module used as a decorator's root: its attribute is not followed
        elif name in binder[1] and binder[2] is not None and binder[2] != name:
            return _writes_modules(binder[2], outline, resolver, module, is_package, file_path, depth + 1, seen)
    return False


def _module_writes(
    target: str, name: str, resolver: "ModuleResolver", file_path: str | None, depth: int, seen: set[str],
) -> bool:
    lookup = _found_from(resolver, target, file_path)
    path = lookup.path if lookup.found else None
    if path is not None and path.is_dir():
        path = path / "__init__.py"
    if path is None or not path.is_file():
        return False
    facts = _defined_and_writes(path)
    if facts is None:
        return False
    if name in facts[0]:
        return facts[1]
    sub = _outline(path)
    if sub is None:
        return False
    return _writes_modules(name, sub, resolver, target, path.name.startswith("__init__."), file_path,
                           depth + 1, seen)


# (path, mtime, size) -> (the names of the module's top-level classes and functions, does its
# source write into a module through sys.modules?); the decorators of many modules lead to the
# same few (typing's ``overload``, ``final``), which would otherwise be parsed again each time
_DEFINED: dict[tuple[str, int, int], tuple[frozenset[str], bool] | None] = {}


def _defined_and_writes(path: Path) -> tuple[frozenset[str], bool] | None:
    """What :func:`_module_writes` needs of ``path`` when it defines the name itself, noting the
    read as :func:`parse_module_source` does; None when that gives no tree."""
    if path.suffix not in (".py", ".pyi"):
        return None  # parse_module_source neither notes nor reads it
    reads.note_file(path)
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _DEFINED:
        outline = _outline(path)
        if len(_DEFINED) > 4096:
            _DEFINED.clear()
        _DEFINED[key] = None if outline is None else (outline.defined, outline.writes)
    return _DEFINED[key]


def _bind_target(target: ast.AST, ops: list[str | None | tuple[int, str | None]]) -> None:
    for node in walk(target):
        if isinstance(node, ast.Name):
            ops.append(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)):
            # `globals()["x"] = ...` is caught as a dynamic call; `obj.attr = ...` binds nothing here
            continue


def _star(
    level: int, from_module: str | None, ns: ModuleNamespace, resolver: "ModuleResolver", module: str,
    is_package: bool, file_path: str | None, depth: int, seen: frozenset[str],
) -> None:
    target = resolve_relative(module, is_package, level, from_module)
    if target is None or depth > 8 or target in seen:
        ns.incomplete(f"star import from {target or '?'}")
        return
    lookup = _found_from(resolver, target, file_path)
    if lookup.path is None or not lookup.found:
        ns.incomplete(f"star import from {target}")
        return
    sub = module_namespace(resolver, target, lookup.path, file_path, depth + 1, seen)
    if not sub.complete:
        ns.incomplete(f"star import from {target} ({sub.reason})")
    exported = _literal_all(lookup.path)
    if exported is not None:
        ns.names.update(exported)
    else:
        ns.names.update(n for n in sub.names if not n.startswith("_"))


def _literal_all(path: Path) -> set[str] | None:
    outline = _outline(path)
    if outline is None or outline.literal_all is None:
        return None
    return set(outline.literal_all)


def _all_of(tree: ast.Module) -> set[str] | None:
    """The names of a literal ``__all__`` of ``tree`` (None: none, or computed)."""
    names: set[str] | None = None
    for stmt in tree.body:
        value = None
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            value, names = stmt.value, set()
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            value = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            value, names = stmt.value, set()
        if value is None:
            continue
        if not isinstance(value, (ast.List, ast.Tuple)) or names is None:
            return None  # computed __all__: the star import's names are unknown
        for elt in value.elts:
            if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                return None
            names.add(elt.value)
    return names
