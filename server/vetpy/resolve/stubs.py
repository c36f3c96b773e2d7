"""Return types from stubs: a package's own ``.pyi`` files, ``<pkg>-stubs`` distributions and the
typeshed copy that ships with jedi (stdlib for the target version and third-party stubs).

Stubs only tell what a call *returns*; whether a member exists is always decided by the runtime
(the member index).  Read statically, never imported.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import os
import threading
import tokenize
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Hashable, Union

from vetpy import reads
from vetpy.astutil import parse
from vetpy.environment.modules import parse_module_file
from vetpy.resolve.static import resolve_relative
from vetpy.resolve.stub_names import _alias, _flat, _flat_of, _lookup, _named  # noqa: F401 - stub_typevars reads them here


# A return type: a class path, "self", (origin path, argument forms...), "..." or None (unknown).
Form = Union[str, tuple[Any, ...], None]


@lru_cache(maxsize=1)
def _typeshed() -> Path | None:
    # Found, not imported: importing jedi costs about half a second of the server's first analysis.
    # Once per process: each stub_path asked it (a search of sys.path), also to confirm a cached result.
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


def prewarm_standard_stubs(modules: tuple[str, ...] = ("builtins",)) -> None:
    """Parse typeshed's stubs of these standard-library ``modules`` into the parse cache
    (:func:`vetpy.environment.modules.parse_module_file`), where a :class:`StubIndex` finds them:
    the language server does it while a cold start waits for the environment probe (typeshed's
    ``builtins.pyi`` is 94 KB, 60-90 ms to parse, and nearly every first analysis reads it)."""
    base = _typeshed()
    if base is None:
        return
    for module in modules:
        path = os.path.join(base, "stdlib", *module.split(".")) + ".pyi"  # as stub_path builds it
        if os.path.isfile(path):
            parse_module_file(Path(path))


class StubIndex:
    """Finds and reads the stub for a module (thread-safe, cached)."""

    def __init__(self, site_dirs: list[str], stdlib_names: frozenset[str], version: tuple[int, ...] | None = None) -> None:
        self.site_dirs = [Path(p) for p in site_dirs]
        self.stdlib_names = stdlib_names
        self.version = version  # the target Python's: decides the stubs' `sys.version_info` branches
        self._trees: dict[str, ast.Module | None] = {}
        self._paths: dict[str, Path | None] = {}
        self._packages: set[str] = set()  # modules whose stub is a package's __init__.pyi
        self._sources: set[str] = set()  # modules read from a typed package's own source (.py)
        self._lock = threading.Lock()
        # What callers derive from these stubs and nothing else, by a key of their own (stubs are
        # read once and kept, so such an answer stays valid as long as this index)
        self.derived: dict[Hashable, Any] = {}

    @reads.recorded("stubs")
    def stub_path(self, module: str) -> Path | None:
        parts = module.split(".")
        if "" in parts:
            return None  # "", "a..b": no module's name (a path made of it would be the folder's)
        # on strings: asked for every import of every file, and again to confirm a cached result
        join, isfile = os.path.join, os.path.isfile
        candidates: list[str] = []
        for site in self.site_dirs:
            candidates.append(join(site, f"{parts[0]}-stubs", *parts[1:]))
            candidates.append(join(site, *parts))
        base = _typeshed()
        if base is not None:
            if parts[0] in self.stdlib_names or parts[0] == "_typeshed":  # _typeshed: typeshed's own aliases
                candidates.append(join(base, "stdlib", *parts))
            dist = _third_party_stub_dirs().get(parts[0])
            if dist is not None:
                candidates.append(join(dist, *parts))
        for c in candidates:
            for path in (c + ".pyi", join(c, "__init__.pyi")):
                if isfile(path):
                    return Path(path)
        for site in self.site_dirs:  # a typed package (PEP 561 `py.typed`): its source is its stub
            c = join(site, *parts)
            if isfile(join(site, parts[0], "py.typed")):
                for path in (c + ".py", join(c, "__init__.py")):
                    if isfile(path):
                        return Path(path)
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
        if tree is None and path is not None:
            tree = _parse_newer_stub(path)
        with self._lock:
            self._trees[module] = tree
            self._paths[module] = path
            if path is not None and path.name in ("__init__.pyi", "__init__.py"):
                self._packages.add(module)
            if path is not None and path.suffix == ".py":
                self._sources.add(module)
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
        scope: ast.Module | ast.ClassDef = tree
        if _depth < 4 and parts[0] not in _named(tree):
            # a re-export (`from numpy._core.multiarray import zeros`): read the defining stub
            for st in _flat_of(tree):
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
            found = _named(scope).get(part)
            if found and len(found) > 1 and i < len(parts) - 1 and self.version is not None:  # `if sys.version_info`
                found = [f for f in found if _on_version(scope.body, f, self.version)]  # branches: the target's class
            if not found:
                return None
            if i < len(parts) - 1:
                if len(found) != 1 or not isinstance(found[0], ast.ClassDef):
                    return None
                owner = scope = found[0]
            elif all(isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for f in found):
                return owner, found, module  # type: ignore[return-value]
        return None

    def binds(self, module: str, name: str) -> bool:
        """Does the stub of ``module`` bind ``name`` at its top level (a ``def``, a ``class``, an
        assignment or an import, in any version branch)?  Typing-only names are bound so
        (typeshed's ``hashlib._Hash = HASH``, ``class sys._version_info``)."""
        tree = self.tree(module)
        if tree is None:
            return False
        for st in _flat_of(tree):
            if name in (getattr(st, "name", None), getattr(getattr(st, "name", None), "id", None)):  # `type X = ...` too
                return True
            targets = st.targets if isinstance(st, ast.Assign) else [st.target] if isinstance(st, ast.AnnAssign) else []
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
            if isinstance(st, (ast.Import, ast.ImportFrom)) and any(
                    (a.asname or a.name.split(".")[0]) == name for a in st.names):
                return True
        return False

    def returns(self, module: str, qualname: str, call: ast.Call | None = None, bound: bool = False) -> str | None:
        """The class a stubbed function or method returns: a dotted path, "self", or None.
        With ``call`` (``bound``: the callee is a method called on an instance or a class), the
        overload that call selects: the first whose parameters take its arguments, where a
        ``Literal``/``None`` parameter decides by the literal argument, in every combination of
        the stub's version branches; None when that is not certain."""
        form = self.return_form(module, qualname, call, bound)
        return form[0] if isinstance(form, tuple) else form

    def declared(self, module: str, qualname: str) -> tuple[ast.ClassDef | None, list, str, ast.Module] | None:
        """The defs of ``module.qualname`` (found there or inherited) that say what a call gives:
        its class (or None), the defs, the module defining them and its tree.  Only this Python
        version's branches; of a typed source, its overloads (not the implementation); None when
        unsure (a def under `if TYPE_CHECKING:`/`else:`, a decorator other than overload, several
        defs that are not all overloads)."""
        found = self.definitions(module, qualname) or self._inherited(module, qualname)
        if found is None:
            return None
        owner, defs, defining = found
        tree = self.tree(defining)
        if tree is None:
            return None
        if self.version is not None and len(defs) > 1:  # the branches of other Python versions do not apply
            container = owner.body if owner is not None else tree.body
            defs = [d for d in defs if _on_version(container, d, self.version)] or defs
        if defining in self._sources:
            overloads = [f for f in defs if _is_overload(f)]
            if overloads and len(overloads) == len(defs) - 1 and not defs[-1].decorator_list:
                defs = overloads
            elif overloads or len(defs) != 1 or defs[0].decorator_list:
                return None
        if len(defs) > 1 and not all(_is_overload(f) for f in defs):
            return None
        return owner, defs, defining, tree

    def return_form(self, module: str, qualname: str, call: ast.Call | None = None, bound: bool = False) -> Form:
        """What :meth:`returns` answers, with the type arguments of a generic class: a path,
        "self", or a tuple (origin path, argument forms...) such as ``("builtins.list", "re.Match")``
        (an argument None: not one class; "...": ``tuple[X, ...]``)."""
        declared = self.declared(module, qualname)
        if declared is None:
            return None
        owner, defs, defining, tree = declared
        bounded = _typevar_bound(tree, defs[0].returns) if len(defs) == 1 and defining not in self._sources \
            and any(isinstance(d, ast.Name) and d.id == "property" for d in defs[0].decorator_list) else None
        if bounded is not None:  # a stub property `-> _DTypeT_co` (ndarray.dtype): the variable's bound, a lower bound
            return self._annotation(tree, defining, None, bounded)
        answers = {self._annotation(tree, defining, owner, f.returns) for f in defs}
        if len(answers) == 1:
            return answers.pop()
        heads = {a[0] if isinstance(a, tuple) else a for a in answers}
        if len(heads) == 1:  # the same class: the overload the call picks tells its arguments (`tuple[Figure, Axes]`)
            chosen = self._selected(tree, defining, owner, owner.body if owner is not None else tree.body, defs, call,
                                    bound) if call is not None else None
            return chosen if chosen is not None else _merged(answers)
        if owner is not None and heads == {"self", f"{defining}.{owner.name}"}:
            return "self"  # `-> Self` or `-> ndarray[...]` of ndarray: the receiver's class (or a base of it)
        if call is None:
            return None
        container = owner.body if owner is not None else tree.body
        return self._selected(tree, defining, owner, container, defs, call, bound)

    def keywords(self, path: str) -> frozenset[str] | None:
        """The keywords the stub of ``path`` (a function or ``Class.method``) lets a call pass by
        name, over every def of it (overloads, version branches); None when a def takes
        ``**kwargs``, or no stub (a typed package's own source aside) defines it."""
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module, qual = ".".join(parts[:i]), ".".join(parts[i:])
            if self.tree(module) is None:
                continue
            if module in self._sources:
                return None  # the package's own source: the runtime's signature already says it
            found = self.definitions(module, qual) or self._inherited(module, qual)
            if found is None:
                return None
            names: set[str] = set()
            for d in found[1]:
                if d.args.kwarg is not None:
                    return None
                names.update(a.arg for a in d.args.args + d.args.kwonlyargs
                             if not a.arg.startswith("__") or a.arg.endswith("__"))  # `__x`: positional only
            return frozenset(names)
        return None

    def constructor(self, path: str) -> ast.FunctionDef | None:
        """The one unconditional ``__new__`` or ``__init__`` that the standard library's stub, or the
        ``.pyi`` a package ships beside its compiled module, gives the class ``path`` itself: what
        calling a compiled class binds when its runtime signature is unknown (``datetime.datetime``,
        ``frozenlist.FrozenList``).  None when overloaded, under a version test, inherited, both are
        defined, or the class is neither the standard library's nor declared by its package's own stub."""
        module, _, cls = path.rpartition(".")
        if not module or not self._compiled_stub(module):
            return None
        found = [f for f in (self.definitions(module, f"{cls}.{n}") for n in ("__new__", "__init__")) if f is not None]
        if len(found) != 1 or len(found[0][1]) != 1 or found[0][0] is None or not self._declared_by(module, found[0][2]):
            return None
        owner, (d,), _module = found[0]
        if _enclosing_ifs(owner.body, d) != () or d.decorator_list or not isinstance(d, ast.FunctionDef):
            return None
        return d if d.args.posonlyargs or d.args.args else None  # its first parameter takes the class or instance

    def compiled_method(self, path: str, name: str) -> ast.FunctionDef | None:
        """The one unconditional, undecorated ``def name`` that the standard library's stub gives
        the class ``path`` itself: what a method of a compiled class binds when its runtime
        signature is unknown (``date.strftime``, kiwisolver's ``Solver.addConstraint``), of the branch
        of the target Python's version.  None when overloaded, under any other test, decorated (a
        static or class method), or the class is neither the standard library's nor declared by the
        ``.pyi`` its package ships (see :meth:`constructor`)."""
        module, _, cls = path.rpartition(".")
        if not module or not self._compiled_stub(module):
            return None
        found = self.definitions(module, f"{cls}.{name}")
        if found is None or found[0] is None or not self._declared_by(module, found[2]):
            return None
        owner, defs, _module = found
        verdicts = [self._on_target(owner.body, d) for d in defs]
        if None in verdicts or verdicts.count(True) != 1:
            return None
        d = defs[verdicts.index(True)]
        if d.decorator_list or not isinstance(d, ast.FunctionDef):
            return None
        return d if d.args.posonlyargs or d.args.args else None

    def _compiled_stub(self, module: str) -> bool:
        """May the stub of ``module`` declare a compiled class's signatures: the standard library's
        (a stub, not a typed package's source), or any installed package's module whose stub is
        found (whether the definition comes from the package's own ``.pyi`` is :meth:`_declared_by`'s)."""
        if self.tree(module) is None:
            return False
        return module not in self._sources if module.split(".")[0] in self.stdlib_names else True

    def _declared_by(self, module: str, defining: str) -> bool:
        """Is a definition read for ``module``, found in the stub of ``defining``, one to trust for a
        compiled class: any standard-library stub, else only a ``.pyi`` that the package itself ships
        (``kiwisolver/_cext.pyi``, re-exported by the typed ``kiwisolver/__init__.py``), never a
        separate stubs distribution or typeshed's copy, which may describe another version."""
        if module.split(".")[0] in self.stdlib_names:
            return True
        self.tree(defining)
        path = self._paths.get(defining)
        if path is None or path.suffix != ".pyi":
            return False
        top = defining.split(".")[0]
        return any(path.parts[:len(site.parts) + 1] == (*site.parts, top) for site in self.site_dirs)

    def _on_target(self, body: list[ast.stmt], target: ast.stmt) -> bool | None:
        """Is ``target`` of a stub class body defined for the target Python: True when every
        ``if`` around it is a ``sys.version_info`` test that version takes its side of, False
        when one is not, None when a test is of something else (or the version is unknown)."""
        for branch, side in _enclosing_ifs(body, target) or ():
            taken = _version_test(branch.test, self.version) if self.version is not None else None
            if taken is None:
                return None
            if taken != side:
                return False
        return True

    def _inherited(self, module: str, qualname: str, _depth: int = 0) -> tuple[ast.ClassDef | None, list, str] | None:
        """``Class.method`` that the stub class does not define itself but a stub base class does
        (``TextIOWrapper.__enter__`` from ``_IOBase``): the first base, depth first, defining it."""
        cls_name, _, name = qualname.rpartition(".")
        tree = self.tree(module)
        if tree is None or not cls_name or "." in cls_name or _depth > 6 or module in self._sources:
            return None  # in source a class may bind the name otherwise (`get = _make_getter()`)
        classes = [s for s in _named(tree).get(cls_name, ()) if isinstance(s, ast.ClassDef)]
        if len(classes) != 1:
            return None
        for base in classes[0].bases:
            if isinstance(base, ast.Subscript):
                base = base.value
            if isinstance(base, ast.Name):
                path = _lookup(tree, module, base.id, module in self._packages)
            elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
                owner = _lookup(tree, module, base.value.id, module in self._packages)
                path = f"{owner}.{base.attr}" if owner else None
            else:
                path = None
            if not path or path.startswith("builtins.object"):
                continue
            base_module, _, base_cls = path.rpartition(".")
            found = self.definitions(base_module, f"{base_cls}.{name}") or self._inherited(
                base_module, f"{base_cls}.{name}", _depth + 1)
            if found is not None:
                return found
        return None

    def _selected(self, tree: ast.Module, module: str, owner: ast.ClassDef | None, container: list[ast.stmt],
                  defs: list[ast.FunctionDef | ast.AsyncFunctionDef], call: ast.Call, bound: bool) -> Form:
        branches = [_branches(container, d) for d in defs]
        if any(b is None for b in branches):
            return None
        tests = sorted({test for b in branches for test, _ in b})  # type: ignore[union-attr]
        if len(tests) > 3:
            return None
        answers: set[Form] = set()
        for mask in range(1 << len(tests)):
            chosen = {test: bool(mask >> i & 1) for i, test in enumerate(tests)}
            variant = [d for d, b in zip(defs, branches) if all(chosen[t] == side for t, side in b)]  # type: ignore[union-attr]
            if not variant:
                continue  # no def on these sides (the branches of another Python were left out above)
            answer = None
            method = bound and owner is not None
            alone = {id(d): self._fits(tree, module, d, call, method, []) for d in variant}
            for k, d in enumerate(variant):
                rivals = [o for o in variant if o is not d and alone[id(o)] is not False]
                verdict = self._fits(tree, module, d, call, method, rivals) if alone[id(d)] is not False else False
                if verdict is False:
                    continue
                if verdict is True:
                    answer = self._annotation(tree, module, owner, d.returns)
                else:  # cannot tell which of the overloads that may take it is the one: known when they agree
                    possible = {self._annotation(tree, module, owner, o.returns) for o in variant[k:] if alone[id(o)] is not False}
                    heads = {p[0] if isinstance(p, tuple) else p for p in possible}
                    answer = _merged(possible) if len(heads) == 1 and None not in heads else None
                break
            answers.add(answer)
        return answers.pop() if len(answers) == 1 else None  # none: no def in any combination

    def _fits(self, tree: ast.Module, module: str, d: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call,
              bound: bool, rivals: list) -> bool | None:
        """Does the overload ``d`` take ``call``?  None when it depends on an argument's type: an
        argument passed to a parameter whose type differs in a ``rivals`` overload."""
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        decorators = {getattr(x, "id", getattr(x, "attr", "")) for x in d.decorator_list}
        params = _parameters(d.args, drop_first=bound and "staticmethod" not in decorators or "classmethod" in decorators)
        passed = _passed(call, params)
        if passed is None:
            return False
        for name, (annotation, default) in params.items():
            arg = passed.get(name)
            literal = self._literals(tree, module, annotation)
            if literal is not None:
                if arg is None and isinstance(default, ast.Constant) and default.value is Ellipsis:
                    continue  # left out: the overload declares its default `...` of this type (as type checkers read it)
                known, value = _constant(arg if arg is not None else default)
                if not known:
                    return None
                if value not in literal:
                    return False
            elif arg is not None and _rejects_literal(annotation, arg, lambda n: _lookup(tree, module, n, module in self._packages)):
                return False  # `which(cmd: bytes)` does not take `which("sh")`
            elif arg is not None and any(
                    ast.dump(annotation) != ast.dump(_parameters(o.args, drop_first=False).get(name, (ast.Constant(...), None))[0])
                    for o in rivals if annotation is not None):
                return None  # the overloads differ in this parameter's type: the argument's type decides
        return True

    def _literals(self, tree: ast.Module, module: str, node: ast.expr | None, _depth: int = 0) -> set | None:
        """The values a ``Literal[...]`` annotation (or ``None``, or an alias or union of them)
        allows; None for any other annotation."""
        if node is None or _depth > 6:
            return None
        if isinstance(node, ast.Constant) and node.value is None:
            return {None}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left = self._literals(tree, module, node.left, _depth + 1)
            right = self._literals(tree, module, node.right, _depth + 1)
            return left | right if left is not None and right is not None else None
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Literal":
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values = set()
            for e in elts:
                known, value = _constant(e)
                if not known:
                    return None
                values.add(value)
            return values
        if isinstance(node, ast.Name):
            for st in _flat_of(tree):
                if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
                    targets = st.targets if isinstance(st, ast.Assign) else [st.target]
                    if any(isinstance(t, ast.Name) and t.id == node.id for t in targets):
                        return self._literals(tree, module, st.value, _depth + 1)
            path = _lookup(tree, module, node.id, module in self._packages)
            if path and not path.startswith("builtins."):
                other, _, name = path.rpartition(".")
                other_tree = self.tree(other)
                if other_tree is not None and other != module:
                    return self._literals(other_tree, other, ast.Name(id=name), _depth + 1)
        return None

    def _annotation(self, tree: ast.Module, module: str, owner: ast.ClassDef | None, node: ast.expr | None,
                    _depth: int = 0) -> Form:
        if node is None or _depth > 8:
            return None
        if isinstance(node, ast.Subscript):  # Generic[...]: its origin class and what it holds
            head = self._annotation(tree, module, owner, node.value, _depth + 1)
            if isinstance(head, tuple):  # a generic alias (`_Pair[T] = tuple[ndarray[T], ndarray[T]]`): what it
                return head  # stands for, its parameters unknown (the arguments are not substituted)
            if not isinstance(head, str) or head == "self":
                return None
            inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return (head, *("..." if isinstance(e, ast.Constant) and e.value is Ellipsis
                            else "None" if head in _UNIONS and isinstance(e, ast.Constant) and e.value is None  # Union[X, None]
                            else self._annotation(tree, module, owner, e, _depth + 1) for e in inner))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None: a missing name of X is missing on None too
            parts = _union_members(node)
            rest = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
            if len(rest) == 1:
                return self._annotation(tree, module, owner, rest[0], _depth + 1)
            forms = [self._annotation(tree, module, owner, p, _depth + 1) for p in rest]
            return ("typing.Union", *forms) if rest and None not in forms else None  # A | B: one of them
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            return self._annotation(tree, module, owner, node, _depth + 1)
        if isinstance(node, ast.Name):
            if node.id == "Self":
                return "self"
            if owner is not None and node.id == owner.name and _depth == 0:
                return "self"
            aliased = _alias(tree, node.id)
            if aliased is not None:
                return self._annotation(tree, module, None, aliased, _depth + 1)
            found = _lookup(tree, module, node.id, module in self._packages)
            hop = found
            for _ in range(4):  # an alias another module defines (`NDArray`), maybe re-exported
                if not hop or hop.startswith("builtins."):
                    break
                other, _, name = hop.rpartition(".")
                other_tree = self.tree(other) if other != module else None
                if other_tree is None:
                    break
                aliased = _alias(other_tree, name)
                if aliased is not None:
                    return self._annotation(other_tree, other, None, aliased, _depth + 1)
                further = _lookup(other_tree, other, name, other in self._packages)
                if further == hop:
                    break
                hop = further
            if found is None and self.version is not None:  # `_writer = Writer` on 3.10+, `class _writer` before
                bound = _bound_on_version(tree, node.id, self.version)
                if isinstance(bound, ast.ClassDef):
                    return f"{module}.{node.id}"
                if isinstance(bound, ast.Assign) and isinstance(bound.value, ast.Name) and bound.value.id != node.id:
                    return self._annotation(tree, module, None, bound.value, _depth + 1)
            return "builtins.str" if found in _LITERAL_STRING else found
        if isinstance(node, ast.Attribute):  # `mod.Class`, `importlib.machinery.ModuleSpec` (after `import importlib.machinery`)
            head, rest = node.value, [node.attr]
            while isinstance(head, ast.Attribute):
                head, rest = head.value, [head.attr, *rest]
            base = _lookup(tree, module, head.id, module in self._packages) if isinstance(head, ast.Name) else None
            return ".".join([base, *rest]) if base else None
        return None


_LITERAL_STRING = ("typing.LiteralString", "typing_extensions.LiteralString")
_UNIONS = ("typing.Union", "typing_extensions.Union", "typing.Optional", "typing_extensions.Optional")


def _union_members(node: ast.expr) -> list[ast.expr]:
    """The operands of ``A | B | C`` (nested ``|`` flattened)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _parse_newer_stub(path: Path) -> ast.Module | None:
    """A stub written with the type-parameter syntax of Python 3.12 (``type A[T] = ndarray[...]``,
    ``def f[T](x: T) -> T``, ``class C[T]:``) that this interpreter cannot parse: parsed with
    the parameter lists blanked out and each ``type`` alias read as a plain assignment (what a
    pre-3.12 stub writes).  Positions are kept; None when it still does not parse."""
    try:
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        edits = _type_parameter_edits(source)
        if not edits:
            return None
        for (row, start, end, text) in sorted(edits, reverse=True):
            line = lines[row - 1]
            lines[row - 1] = line[:start] + text + line[end:]
        return parse("".join(lines))  # type: ignore[no-any-return]
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, tokenize.TokenError, IndexError, RecursionError):
        return None


def _type_parameter_edits(source: str) -> list[tuple[int, int, int, str]] | None:
    """(line, start column, end column, replacement) that turn 3.12 type-parameter syntax into
    older syntax on the same lines (a parameter list over several lines becomes blank lines
    joined by backslashes); None when a bracket is not closed."""
    lines = source.splitlines(keepends=True)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL)]
    edits: list[tuple[int, int, int, str]] = []
    starts = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    for i, tok in enumerate(tokens[:-2]):
        name, after = tokens[i + 1], tokens[i + 2]
        if tok.type != tokenize.NAME or name.type != tokenize.NAME:
            continue
        alias = tok.string == "type" and (i == 0 or tokens[i - 1].type in starts) and after.string in ("[", "=")
        if not alias and not (tok.string in ("def", "class") and after.string == "["):
            continue
        if alias:  # `type A` -> `A     `: the name where the statement starts
            width = name.end[1] - tok.start[1]
            edits.append((tok.start[0], tok.start[1], name.end[1], name.string.ljust(width)))
        if after.string == "[":
            depth, j = 0, i + 2
            while j < len(tokens):
                depth += {"[": 1, "]": -1}.get(tokens[j].string, 0)
                if depth == 0:
                    break
                j += 1
            if j == len(tokens):
                return None
            (first, start), (last, end) = after.start, tokens[j].end
            for row in range(first, last + 1):  # a list over several lines: joined by backslashes
                left = start if row == first else 0
                right = end if row == last else len(lines[row - 1].rstrip("\r\n"))
                edits.append((row, left, right, " " * (right - left) if row == last else " " * max(right - left - 1, 0) + "\\"))
    return edits


def _merged(forms: set[Form]) -> Form:
    """One form for overloads that return the same class: the arguments they agree on."""
    heads = {f[0] if isinstance(f, tuple) else f for f in forms}
    head = heads.pop()
    tuples = [f for f in forms if isinstance(f, tuple)]
    if not tuples or len(tuples) != len(forms) or len({len(f) for f in tuples}) != 1:
        return head
    args = []
    for i in range(1, len(tuples[0])):
        values = {f[i] for f in tuples}
        heads_i = {v[0] if isinstance(v, tuple) else v for v in values}
        args.append(values.pop() if len(values) == 1 else _merged(values) if len(heads_i) == 1 and None not in heads_i else None)
    return (head, *args)


def _branches(body: list[ast.stmt], target: ast.stmt) -> tuple[tuple[tuple[int, int], bool], ...] | None:
    """The ``if`` tests of a stub body around ``target`` (version or platform branches), each
    with the side it lies on: ((position of the test, in its body?), ...); None when not found."""
    found = _enclosing_ifs(body, target)
    return None if found is None else tuple(((s.lineno, s.col_offset), side) for s, side in found)


def _enclosing_ifs(body: list[ast.stmt], target: ast.stmt) -> tuple[tuple[ast.If, bool], ...] | None:
    """The ``if`` statements of a stub body around ``target``, outermost first, each with the side
    ``target`` lies on (True: in its body); None when ``target`` is not in ``body``."""
    for s in body:
        if s is target:
            return ()
        if isinstance(s, ast.If):
            for side, part in ((True, s.body), (False, s.orelse)):
                inner = _enclosing_ifs(part, target)
                if inner is not None:
                    return ((s, side),) + inner
    return None


def _bound_on_version(tree: ast.Module, name: str, version: tuple[int, ...]) -> ast.stmt | None:
    """The one top-level statement of a stub that binds ``name`` on the side of its ``sys.version_info``
    tests that ``version`` takes (a class, or a plain ``name = Other`` alias), else None."""
    bound = [st for st in _flat_of(tree) if (st.name == name if isinstance(st, ast.ClassDef) else isinstance(st, ast.Assign)
             and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name) and st.targets[0].id == name)
             or isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom, ast.AnnAssign))
             and name in _names_bound(st)]
    bound = [st for st in bound if _on_version(tree.body, st, version)]
    return bound[0] if len(bound) == 1 and isinstance(bound[0], (ast.ClassDef, ast.Assign)) else None


def _names_bound(st: ast.stmt) -> list[str]:
    if isinstance(st, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in st.names]
    if isinstance(st, ast.AnnAssign):
        return [st.target.id] if isinstance(st.target, ast.Name) else []
    return [getattr(st, "name", "")]


def _on_version(body: list[ast.stmt], target: ast.stmt, version: tuple[int, ...]) -> bool:
    """Is ``target`` of a stub body on the side of every ``sys.version_info`` test around it that
    ``version`` takes?  (Tests of anything else are left open.)"""
    for branch, side in _enclosing_ifs(body, target) or ():
        taken = _version_test(branch.test, version)
        if taken is not None and taken != side:
            return False
    return True


def _version_test(test: ast.expr | None, version: tuple[int, ...]) -> bool | None:
    """The value of ``sys.version_info >= (3, 12)`` (any comparison with a tuple of ints) for
    ``version``, also inside ``and`` / ``or`` (``sys.platform == "win32" and sys.version_info <
    (3, 12)`` is false on 3.12 whatever the platform); None for any other test."""
    if isinstance(test, ast.BoolOp):
        values = [_version_test(v, version) for v in test.values]
        decisive = isinstance(test.op, ast.Or)  # `or`: one true operand decides; `and`: one false one
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Attribute)
            and test.left.attr == "version_info" and isinstance(test.left.value, ast.Name) and test.left.value.id == "sys"):
        return None
    bound = test.comparators[0]
    if not (isinstance(bound, ast.Tuple) and bound.elts and all(isinstance(e, ast.Constant) and type(e.value) is int for e in bound.elts)):
        return None
    other = tuple(e.value for e in bound.elts)  # type: ignore[attr-defined]
    mine = tuple(version[:len(other)])
    compare = {ast.GtE: mine >= other, ast.Gt: mine > other, ast.Lt: mine < other, ast.LtE: mine <= other,
               ast.Eq: mine == other, ast.NotEq: mine != other}
    return compare.get(type(test.ops[0]))


# A str (bytes) literal argument is certainly not taken by a parameter annotated only with these
# builtin classes (names as the stubs write them; a union of them too).
_NOT_STR = frozenset({"bytes", "bytearray", "memoryview", "int", "float", "complex", "bool"})
_NOT_BYTES = frozenset({"str", "int", "float", "complex", "bool"})


def _rejects_literal(annotation: ast.expr | None, arg: ast.expr, meaning: Callable[[str], str | None]) -> bool:
    """Does a parameter annotated ``annotation`` certainly refuse the literal ``arg``: a str
    literal (or f-string) given to ``bytes`` (``bytes | int``, ``None``), a bytes literal given to
    ``str``?  False whenever unsure (an alias, a type variable, a protocol, ``object``).
    ``meaning``: what a name means in the stub (the builtin, unless the stub binds it otherwise)."""
    if isinstance(arg, ast.JoinedStr) or isinstance(arg, ast.Constant) and type(arg.value) is str:
        refused = _NOT_STR
    elif isinstance(arg, ast.Constant) and type(arg.value) is bytes:
        refused = _NOT_BYTES
    else:
        return False

    def refuses(node: ast.expr | None) -> bool:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return refuses(node.left) and refuses(node.right)
        if isinstance(node, ast.Constant):
            return node.value is None
        return isinstance(node, ast.Name) and node.id in refused and meaning(node.id) == f"builtins.{node.id}"

    return annotation is not None and refuses(annotation)


def _constant(node: ast.expr | None) -> tuple[bool, object]:
    """(True, value) of a literal constant (``"r"``, ``-1``, ``None``), else (False, None)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)):
        return True, -node.operand.value
    if isinstance(node, ast.Constant) and node.value is not Ellipsis:
        return True, node.value
    return False, None


def _parameters(args: ast.arguments, drop_first: bool) -> dict[str, tuple[ast.expr | None, ast.expr | None]]:
    """A stub def's parameters in order: name -> (annotation, default); ``*args``/``**kwargs``
    under the names ``*``/``**``; positional-only ones keyed ``/name``."""
    positional = [("/" + a.arg, a) for a in args.posonlyargs] + [(a.arg, a) for a in args.args]
    if drop_first:
        positional = positional[1:]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out: dict[str, tuple[ast.expr | None, ast.expr | None]] = {}
    for (name, a), d in zip(positional, defaults[-len(positional):] if positional else []):
        out[name] = (a.annotation, d)
    if args.vararg is not None:
        out["*"] = (None, ast.Constant(...))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out["=" + a.arg] = (a.annotation, d)
    if args.kwarg is not None:
        out["**"] = (None, ast.Constant(...))
    return out


def _passed(call: ast.Call, params: dict[str, tuple[ast.expr | None, ast.expr | None]]) -> dict[str, ast.expr] | None:
    """Parameter -> the argument this call passes to it; None when the call does not fit."""
    positional = [n for n in params if n not in ("*", "**") and not n.startswith("=")]
    if len(call.args) > len(positional) and "*" not in params:
        return None
    passed = dict(zip(positional, call.args))
    for kw in call.keywords:
        key = kw.arg if kw.arg in params else f"={kw.arg}"
        if key not in params or key.startswith("/") or key in passed:
            if "**" not in params:
                return None
            continue
        passed[key] = kw.value
    for name, (_annotation, default) in params.items():
        if default is None and name not in ("*", "**") and name not in passed:
            return None  # a required parameter is missing
    return passed


def _typevar_bound(tree: ast.Module, node: ast.expr | None) -> ast.expr | None:
    """The ``bound=`` of the type variable ``node`` names, when the stub binds it once with
    ``TypeVar("T", bound=X)``; None for anything else."""
    if not isinstance(node, ast.Name):
        return None
    found = [s.value for s in _flat(tree.body) if isinstance(s, ast.Assign) and len(s.targets) == 1
             and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
    call = found[0] if len(found) == 1 else None
    if not isinstance(call, ast.Call) or getattr(call.func, "id", getattr(call.func, "attr", "")) != "TypeVar":
        return None
    return next((k.value for k in call.keywords if k.arg == "bound"), None)


def _is_overload(node: ast.stmt) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        (isinstance(d, ast.Name) and d.id == "overload") or (isinstance(d, ast.Attribute) and d.attr == "overload")
        for d in node.decorator_list
    )
