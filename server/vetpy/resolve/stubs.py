"""Return types from stubs: a package's own ``.pyi`` files, ``<pkg>-stubs`` distributions and the
typeshed copy that ships with jedi (stdlib for the target version and third-party stubs).

Stubs only tell what a call *returns*; whether a member exists is always decided by the runtime
(the member index).  Read statically, never imported.
"""

from __future__ import annotations

import ast
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

from vetpy import reads
from vetpy.astutil import parse
from vetpy.environment.modules import parse_module_file
from vetpy.resolve.static import resolve_relative


def _typeshed() -> Path | None:
    # Found, not imported: importing jedi costs about half a second of the server's first analysis.
    try:
        spec = importlib.util.find_spec("jedi")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    base = Path(spec.origin).parent / "third_party" / "typeshed"
    return base if base.is_dir() else None


@lru_cache(maxsize=1)
def _third_party_stub_dirs() -> dict[str, Path]:
    """Top-level package name -> the typeshed ``stubs/<dist>`` directory providing it."""
    base = _typeshed()
    found: dict[str, Path] = {}
    if base is None:
        return found
    try:
        for dist in (base / "stubs").iterdir():
            for entry in dist.iterdir():
                name = entry.name[:-4] if entry.name.endswith(".pyi") else entry.name
                if name.isidentifier() and name not in found:
                    found[name] = dist
    except OSError:
        pass
    return found


class StubIndex:
    """Finds and reads the stub for a module (thread-safe, cached)."""

    def __init__(self, site_dirs: list[str], stdlib_names: frozenset[str]) -> None:
        self.site_dirs = [Path(p) for p in site_dirs]
        self.stdlib_names = stdlib_names
        self._trees: dict[str, ast.Module | None] = {}
        self._paths: dict[str, Path | None] = {}
        self._packages: set[str] = set()  # modules whose stub is a package's __init__.pyi
        self._lock = threading.Lock()

    @reads.recorded("stubs")
    def stub_path(self, module: str) -> Path | None:
        parts = module.split(".")
        candidates: list[Path] = []
        for site in self.site_dirs:
            candidates.append(site / f"{parts[0]}-stubs" / Path(*parts[1:]))
            candidates.append(site / Path(*parts))
        base = _typeshed()
        if base is not None:
            if parts[0] in self.stdlib_names:
                candidates.append(base / "stdlib" / Path(*parts))
            dist = _third_party_stub_dirs().get(parts[0])
            if dist is not None:
                candidates.append(dist / Path(*parts))
        for c in candidates:
            for path in (c.with_name(c.name + ".pyi") if c.name else c, c / "__init__.pyi"):
                if path.is_file():
                    return path
        return None

    def tree(self, module: str) -> ast.Module | None:
        with self._lock:
            if module in self._trees:
                if reads.active():  # what the kept tree came from, for the result cache
                    path = self._paths[module]
                    reads.note("stubs", "stub_path", (module,), path)
                    reads.note_file(path)
                return self._trees[module]
        path = self.stub_path(module)
        tree = parse_module_file(path) if path is not None else None
        with self._lock:
            self._trees[module] = tree
            self._paths[module] = path
            if path is not None and path.name == "__init__.pyi":
                self._packages.add(module)
        return tree

    def definitions(
        self, module: str, qualname: str, _depth: int = 0
    ) -> tuple[ast.ClassDef | None, list[ast.FunctionDef | ast.AsyncFunctionDef], str] | None:
        """(owner class, every stub ``def`` of ``qualname``, defining module), following re-exports;
        several defs are overloads or version branches.  None when the stub does not define it."""
        tree = self.tree(module)
        if tree is None:
            return None
        parts = qualname.split(".")
        body: list[ast.stmt] = tree.body
        if _depth < 4 and not any(getattr(st, "name", None) == parts[0] for st in _flat(body)):
            # a re-export (`from numpy._core.multiarray import zeros`): read the defining stub
            for st in _flat(body):
                if isinstance(st, ast.ImportFrom):
                    for alias in st.names:
                        if (alias.asname or alias.name) == parts[0]:
                            base = resolve_relative(module, module in self._packages, st.level or 0, st.module)
                            if base is None:
                                return None
                            return self.definitions(base, ".".join([alias.name, *parts[1:]]), _depth + 1)
            return None
        owner: ast.ClassDef | None = None
        for i, part in enumerate(parts):
            found = [s for s in _flat(body) if getattr(s, "name", None) == part]
            if not found:
                return None
            if i < len(parts) - 1:
                if len(found) != 1 or not isinstance(found[0], ast.ClassDef):
                    return None
                owner, body = found[0], found[0].body
            elif all(isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for f in found):
                return owner, found, module  # type: ignore[return-value]
        return None

    def returns(self, module: str, qualname: str) -> str | None:
        """The class a stubbed function or method returns: a dotted path, "self", or None."""
        found = self.definitions(module, qualname)
        if found is None:
            return None
        owner, defs, defining = found
        tree = self.tree(defining)
        if tree is None or (len(defs) > 1 and not all(_is_overload(f) for f in defs)):
            return None
        answers = {self._annotation(tree, defining, owner, f.returns) for f in defs}
        return answers.pop() if len(answers) == 1 else None

    def _annotation(self, tree: ast.Module, module: str, owner: ast.ClassDef | None, node: ast.expr | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Subscript):  # Generic[...] -> its origin class
            node = node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            return self._annotation(tree, module, owner, node)
        if isinstance(node, ast.Name):
            if node.id == "Self":
                return "self"
            if owner is not None and node.id == owner.name:
                return "self"
            return _lookup(tree, module, node.id, module in self._packages)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = _lookup(tree, module, node.value.id, module in self._packages)
            return f"{base}.{node.attr}" if base else None
        return None


def _flat(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a stub body, looking into version/platform ``if`` blocks."""
    out: list[ast.stmt] = []
    for s in body:
        if isinstance(s, ast.If):
            out += _flat(s.body) + _flat(s.orelse)
        else:
            out.append(s)
    return out


def _is_overload(node: ast.stmt) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        (isinstance(d, ast.Name) and d.id == "overload") or (isinstance(d, ast.Attribute) and d.attr == "overload")
        for d in node.decorator_list
    )


_BUILTIN_TYPES = {"str", "bytes", "int", "float", "bool", "list", "dict", "set", "tuple", "frozenset", "bytearray", "complex"}


def _lookup(tree: ast.Module, module: str, name: str, is_package: bool) -> str | None:
    """What ``name`` means at the top of a stub: a class it defines or a name it imports."""
    for s in _flat(tree.body):
        if isinstance(s, ast.ClassDef) and s.name == name:
            return f"{module}.{name}"
        if isinstance(s, ast.ImportFrom):
            for alias in s.names:
                if (alias.asname or alias.name) == name:
                    base = resolve_relative(module, is_package, s.level or 0, s.module)
                    return f"{base}.{alias.name}" if base else None
        if isinstance(s, ast.Import):
            for alias in s.names:
                if alias.asname == name:
                    return alias.name
                if alias.asname is None and alias.name.split(".")[0] == name:
                    return name
        if isinstance(s, (ast.Assign, ast.AnnAssign)):
            targets = s.targets if isinstance(s, ast.Assign) else [s.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return None  # a type alias (often a union): not one class
    if name in _BUILTIN_TYPES:
        return f"builtins.{name}"
    return None
