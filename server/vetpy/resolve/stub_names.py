"""The names of a stub's top level: its statements in every version branch, what each name it
binds means (a class, an import, an alias of one class), each worked out in one pass over the
stub and kept on its tree (a kept stub never changes; an analysis asks thousands of times about
the same big stubs, builtins.pyi first)."""

from __future__ import annotations

import ast

from vetpy.resolve.static import resolve_relative


def _flat_of(node: ast.Module | ast.ClassDef) -> list[ast.stmt]:
    """``_flat(node.body)``, computed once per node: the trees a StubIndex keeps never change,
    and an analysis looks names up in the same big stubs (numpy's: thousands of statements)
    many times."""
    flat = node.__dict__.get("_vetpy_flat")
    if flat is None:
        flat = node._vetpy_flat = _flat(node.body)  # type: ignore[union-attr]
    return flat


def _named(node: ast.Module | ast.ClassDef) -> dict[str, list[ast.stmt]]:
    """The statements of ``_flat_of(node)`` that have a name (``def``, ``class``), by name, in order."""
    named = node.__dict__.get("_vetpy_named")
    if named is None:
        named = {}
        for st in _flat_of(node):
            name = getattr(st, "name", None)
            if isinstance(name, str):
                named.setdefault(name, []).append(st)
        node._vetpy_named = named  # type: ignore[union-attr]
    return named


def _flat(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a stub body, looking into version/platform ``if`` blocks."""
    out: list[ast.stmt] = []
    for s in body:
        if isinstance(s, ast.If):
            out += _flat(s.body) + _flat(s.orelse)
        else:
            out.append(s)
    return out


def _alias(tree: ast.Module, name: str) -> ast.expr | None:
    """What the type alias ``name`` of a stub stands for when it names one class, generic or not
    (``NDArray: TypeAlias = ndarray[Any, dtype[T]]``); None for anything else (a union, a
    TypeVar, a name bound more than once or not an alias)."""
    return _aliases(tree).get(name)


def _aliases(tree: ast.Module) -> dict[str, ast.expr]:
    """Every name :func:`_alias` answers for ``tree`` (the rest: None), worked out in one pass
    over its statements and kept on the tree (a stub's trees never change; an analysis asks
    thousands of times, of the same big stubs such as builtins.pyi)."""
    known = tree.__dict__.get("_vetpy_aliases")
    if known is not None:
        return known  # type: ignore[no-any-return]
    found: dict[str, list[ast.expr | None]] = {}
    closed: set[str] = set()  # bound by a class, a def or an import anywhere: never an alias
    for s in _flat_of(tree):
        if isinstance(s, ast.Assign):
            for name in dict.fromkeys(t.id for t in s.targets if isinstance(t, ast.Name)):
                found.setdefault(name, []).append(s.value if len(s.targets) == 1 else None)
        elif isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
            alias = isinstance(s.annotation, (ast.Name, ast.Attribute)) and \
                getattr(s.annotation, "id", getattr(s.annotation, "attr", "")) == "TypeAlias"
            found.setdefault(s.target.id, []).append(s.value if alias else None)
        elif type(s).__name__ == "TypeAlias" and isinstance(getattr(s.name, "id", None), str):  # type: ignore[attr-defined]
            found.setdefault(s.name.id, []).append(s.value)  # type: ignore[attr-defined]  # `type NDArray[T] = ...` (3.12+)
        elif isinstance(s, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom)):
            closed.update([s.name] if hasattr(s, "name") else [a.asname or a.name for a in s.names])  # type: ignore[attr-defined]
    known = {}
    for name, values in found.items():
        if name in closed:
            continue
        value = values[0] if len(values) == 1 else None
        head = value.value if isinstance(value, ast.Subscript) else value
        if isinstance(head, (ast.Name, ast.Attribute)):
            known[name] = value
    tree._vetpy_aliases = known  # type: ignore[attr-defined]
    return known


_BUILTIN_TYPES = {"str", "bytes", "int", "float", "bool", "list", "dict", "set", "tuple", "frozenset", "bytearray", "complex"}


def _lookup(tree: ast.Module, module: str, name: str, is_package: bool) -> str | None:
    """What ``name`` means at the top of a stub: a class it defines or a name it imports."""
    table = _bindings(tree, module, is_package)
    if name in table:
        return table[name]
    if name in _BUILTIN_TYPES:
        return f"builtins.{name}"
    return None


def _bindings(tree: ast.Module, module: str, is_package: bool) -> dict[str, str | None]:
    """What :func:`_lookup` answers for each name the top of ``tree`` binds (by the first
    statement binding it: a class, an import, an assignment), worked out in one pass and kept on
    the tree per (module, is_package): a stub's trees never change, and an analysis looks names
    up thousands of times in the same big stubs."""
    kept = tree.__dict__.get("_vetpy_bindings")
    if kept is None:
        kept = tree._vetpy_bindings = {}  # type: ignore[attr-defined]
    table = kept.get((module, is_package))
    if table is not None:
        return table  # type: ignore[no-any-return]
    table = {}
    for s in _flat_of(tree):
        if isinstance(s, ast.ClassDef):
            table.setdefault(s.name, f"{module}.{s.name}")
        elif isinstance(s, ast.ImportFrom):
            base = resolve_relative(module, is_package, s.level or 0, s.module)
            for alias in s.names:
                table.setdefault(alias.asname or alias.name, f"{base}.{alias.name}" if base else None)
        elif isinstance(s, ast.Import):
            for alias in s.names:
                if alias.asname is not None:
                    table.setdefault(alias.asname, alias.name)
                else:
                    top = alias.name.split(".")[0]
                    table.setdefault(top, top)
        elif isinstance(s, (ast.Assign, ast.AnnAssign)):
            for t in (s.targets if isinstance(s, ast.Assign) else [s.target]):
                if isinstance(t, ast.Name):
                    table.setdefault(t.id, None)  # a type alias (often a union): not one class
    kept[(module, is_package)] = table
    return table
