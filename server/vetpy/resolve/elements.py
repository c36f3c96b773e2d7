"""What iterating an instance of an installed *generic* class gives, when its declared types prove
it (issue 15, loop and unpacking receivers): ``for line in ax.lines`` (the stub declares
``lines -> ArtistList[Line2D]`` and ``class ArtistList(Sequence[_T])`` with
``__iter__ -> Iterator[_T]``), ``for chunk in stream`` (``Stream[ChatCompletionChunk]``, whose
class declares ``__iter__ -> Iterator[_T]``).

The class's stub (or the source of a typed package, PEP 561) must say which of its type
parameters iteration gives: its own ``__iter__`` annotated ``Iterator[T]`` / ``Iterable[T]`` /
``Generator[T, ...]``, or ``__next__ -> T`` beside ``__iter__ -> Self``, or, with no ``__iter__``
of its own, one abstract base that iterates its parameter (``Sequence[T]``, ``Iterable[T]``,
``Mapping[T, V]``: its keys).  The parameters are the class's ``Generic[...]`` list, else the type
variables of its bases in order of first appearance (PEP 484), each bound in the stub by
``TypeVar(...)``.  Anything else (overloads, a second base that may iterate otherwise, an
``__aiter__`` beside it, a ``class C[T]`` the running Python cannot parse, a parameter count
that differs from the arguments given) is unknown: silence.

Such an instance is a :class:`Value` whose one argument is what iterating it gives (a lower
bound: an element may be of a subclass); every other generic instance keeps no arguments.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from vetpy.astutil import parse
from vetpy.resolve.array_rows import array_of_rows, row_of, rows_declared
from vetpy.resolve.stub_names import _flat_of, _lookup, _named
from vetpy.resolve.value import INSTANCE, Value, instance_of, lower_bound

if TYPE_CHECKING:
    from vetpy.resolve.stubs import StubIndex

_ABC_MODULES = ("typing", "collections.abc", "typing_extensions", "_collections_abc")
# bases whose iteration gives their (first) type parameter
_ITERATING = frozenset({f"{m}.{n}" for m in _ABC_MODULES for n in (
    "Iterable", "Iterator", "Collection", "Sequence", "MutableSequence", "Reversible", "AbstractSet", "Set",
    "MutableSet", "KeysView", "Mapping", "MutableMapping")}
    | {"builtins.list", "builtins.set", "builtins.frozenset", "builtins.dict", "collections.deque"})
# what an ``__iter__`` may be annotated to return: an iterator of its (first) argument
_ITERATORS = frozenset({f"{m}.{n}" for m in _ABC_MODULES for n in ("Iterator", "Iterable", "Generator")})
_SEQUENCES = frozenset({f"{m}.{n}" for m in _ABC_MODULES for n in ("Sequence", "MutableSequence")} | {"builtins.list"})
_INDEXES = frozenset({"builtins.int", "typing.SupportsIndex", "typing_extensions.SupportsIndex"})
_GENERIC = frozenset({f"{m}.{n}" for m in ("typing", "typing_extensions") for n in ("Generic", "Protocol")})
_TYPEVARS = frozenset({"TypeVar", "typing.TypeVar", "typing_extensions.TypeVar"})
_ASYNC = frozenset({"__aiter__", "__anext__"})


def generic_instance(inference: Any, head: str, args: list[Any], me: Value | None) -> Value | None:
    """The value of the generic form ``head[args...]`` (a class of an installed package): an
    instance of the class, holding what iterating it gives when its declared types prove that."""
    path = inference._class_path(head)
    if path is None:
        return None
    position = iterated_parameter(inference, path, len(args))
    if position is None:
        rows = array_of_rows(path, args, lambda dimensions: _declares_rows(inference, path, dimensions))
        return rows or instance_of(path)  # `np.eye(3)`: its rows are arrays
    if args[position] in (None, "..."):
        return instance_of(path)
    element = lower_bound(inference._form_value(args[position], me), me)
    return Value(INSTANCE, path, args=(element,)) if element is not None else instance_of(path)


def annotated_generic(inference: Any, node: ast.Subscript, value: Value | None) -> Value | None:
    """``value``, an instance of the class an annotation ``C[A, B]`` names, holding what iterating
    it gives when its declared types prove that (``stream: Stream[Chunk]``)."""
    if value is None or value.kind != INSTANCE:
        return value
    inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    position = iterated_parameter(inference, value.path, len(inner))
    if position is None:
        return value
    element = lower_bound(inference.annotation_value(inner[position]))
    return replace(value, args=(element,)) if element is not None else value


def generic_element(inference: Any, value: Value) -> Value | None:
    """What iterating ``value``, made by :func:`generic_instance`, gives (None: not known)."""
    if value.kind != INSTANCE or len(value.args) != 1:
        return None
    if iterated_parameter(inference, value.path, None) is None:
        return row_of(value)
    return value.args[0]


def _declares_rows(inference: Any, path: str, dimensions: int) -> bool:
    """Does the stub of the class ``path`` declare that iterating an instance of ``dimensions``
    dimensions gives its own instances (resolve/array_rows.py)?  Kept for one analysis."""
    cache = inference.__dict__.setdefault("_declared_rows", {})
    if (path, dimensions) not in cache:
        located = _stub_class(inference.stubs, path) if inference.stubs is not None else None
        cache[path, dimensions] = located is not None and rows_declared(
            located[2], dimensions, lambda expr: _path(located[0], located[1], inference.stubs, expr) in _ITERATORS)
    return cache[path, dimensions]  # type: ignore[no-any-return]


def iterated_parameter(inference: Any, path: str, count: int | None) -> int | None:
    """The position of the type parameter that iterating an instance of the class ``path`` gives,
    when the class has ``count`` parameters (None: any number); None when not proven.  Kept for
    one analysis (each analysis reads the stubs itself: the result cache notes what it read)."""
    stubs = inference.stubs
    if stubs is None:
        return None
    cache = inference.__dict__.setdefault("_iterated_parameters", {})
    if path not in cache:
        cache[path] = _iterated_parameter(stubs, path)
    found = cache[path]
    if found is None or count is not None and found[1] != count:
        return None
    return found[0]  # type: ignore[no-any-return]


def generic_item(inference: Any, value: Value, key: ast.AST) -> Value | None:
    """``value[key]`` of a value made by :func:`generic_instance`, for a key that is certainly an
    index, when the class declares that indexing with an ``int`` gives the parameter it iterates
    (``ax.lines[0]``: ``ArtistList.__getitem__(key: int) -> _T``; a ``Sequence[T]`` base)."""
    if row_of(value) is not None:  # an array of rows: as any array of its class
        return inference._declared_item(replace(value, args=()))  # type: ignore[no-any-return]
    if value.kind != INSTANCE or len(value.args) != 1 or iterated_parameter(inference, value.path, None) is None:
        return None
    found = inference.__dict__["_iterated_parameters"][value.path]
    return value.args[0] if found[2] and inference._an_index(key) else None


def _iterated_parameter(stubs: StubIndex, path: str) -> tuple[int, int, bool] | None:
    """(position, number of parameters, does an ``int`` index give it too) for
    :func:`iterated_parameter`."""
    located = _stub_class(stubs, path)
    if located is None:
        return None
    tree, module, node = located
    params = _parameters(tree, module, node, stubs)
    if not params:
        return None
    own = _named(node)
    if own.keys() & _ASYNC:
        return None  # `async for` would read __aiter__, which may give another thing
    iters = own.get("__iter__")
    if iters is not None:
        name = _iterated_name(tree, module, node, stubs, iters, own.get("__next__"))
    else:
        name = _base_parameter(tree, module, node, stubs)
        following = own.get("__next__")  # an iterator base's own __next__ says what it gives
        if following is not None and not (isinstance(_one_return(following), ast.Name) and _one_return(following).id == name):  # type: ignore[union-attr]
            return None
    if name not in params:
        return None
    return params.index(name), len(params), _indexed(tree, module, node, stubs, name, own.get("__getitem__"))


def _indexed(tree: ast.Module, module: str, node: ast.ClassDef, stubs: StubIndex, name: str,
             getters: list[ast.stmt] | None) -> bool:
    """Does indexing an instance with an ``int`` give the type variable ``name``: its own
    ``__getitem__`` (an overload of it) taking an ``int``/``SupportsIndex`` declared to return it,
    or, with none of its own, a ``Sequence[name]``/``list[name]`` base?"""
    if getters is None:
        return any(isinstance(b, ast.Subscript) and _path(tree, module, stubs, b.value) in _SEQUENCES
                   and isinstance(b.slice, ast.Name) and b.slice.id == name for b in node.bases)
    for d in getters:
        if not isinstance(d, ast.FunctionDef) or len(d.args.args) < 2:
            continue
        key = d.args.args[1].annotation
        if key is not None and _path(tree, module, stubs, key) in _INDEXES and isinstance(d.returns, ast.Name) \
                and d.returns.id == name:
            return True
    return False


def _stub_class(stubs: StubIndex, path: str) -> tuple[ast.Module, str, ast.ClassDef] | None:
    """The stub (or typed source) of the class ``path``: (tree, module, class node)."""
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:i])
        tree = stubs.tree(module)
        if tree is None:
            continue
        scope: ast.Module | ast.ClassDef = tree
        for part in parts[i:]:
            found = _named(scope).get(part)
            if not found or len(found) != 1 or not isinstance(found[0], ast.ClassDef):
                return None
            scope = found[0]
        return tree, module, scope  # type: ignore[return-value]
    return None


def _path(tree: ast.Module, module: str, stubs: StubIndex, node: ast.expr) -> str | None:
    """The dotted path a stub's name or ``module.name`` refers to."""
    package = module in stubs._packages
    if isinstance(node, ast.Name):
        return _lookup(tree, module, node.id, package)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = _lookup(tree, module, node.value.id, package)
        return f"{owner}.{node.attr}" if owner else None
    return None


def _typevars(tree: ast.Module) -> set[str]:
    """The names the stub's top level binds once, to ``TypeVar(...)`` (kept on the tree: a kept
    stub never changes)."""
    kept = tree.__dict__.get("_vetpy_typevars")
    if kept is None:
        kept = tree._vetpy_typevars = _typevars_of(tree)  # type: ignore[attr-defined]
    return kept  # type: ignore[no-any-return]


def _typevars_of(tree: ast.Module) -> set[str]:
    bound: dict[str, int] = {}
    typevars: set[str] = set()
    for st in _flat_of(tree):
        targets = st.targets if isinstance(st, ast.Assign) else [st.target] if isinstance(st, ast.AnnAssign) else []
        for t in targets:
            if isinstance(t, ast.Name):
                bound[t.id] = bound.get(t.id, 0) + 1
                value = getattr(st, "value", None)
                if isinstance(value, ast.Call) and ast.unparse(value.func) in _TYPEVARS:
                    typevars.add(t.id)
    return {name for name in typevars if bound[name] == 1}


def _parameters(tree: ast.Module, module: str, node: ast.ClassDef, stubs: StubIndex) -> list[str] | None:
    """The class's type parameters in order: its ``Generic[...]``/``Protocol[...]`` list, else
    the type variables of its bases in order of first appearance; None when unsure."""
    if getattr(node, "type_params", None):
        return None  # `class C[T]`: not followed
    typevars = _typevars(tree)
    explicit: list[str] | None = None
    seen: list[str] = []
    for base in node.bases:
        if not isinstance(base, ast.Subscript):
            continue
        inner = base.slice.elts if isinstance(base.slice, ast.Tuple) else [base.slice]
        names = [n.id for e in inner for n in ast.walk(e) if isinstance(n, ast.Name) and n.id in typevars]
        if _path(tree, module, stubs, base.value) in _GENERIC:
            if explicit is not None or len(names) != len(inner):
                return None
            explicit = names
        seen += [n for n in names if n not in seen]
    if explicit is not None:
        return explicit if set(seen) <= set(explicit) and len(set(explicit)) == len(explicit) else None
    return seen or None


def _iterated_name(tree: ast.Module, module: str, node: ast.ClassDef, stubs: StubIndex,
                   iters: list[ast.stmt], nexts: list[ast.stmt] | None) -> str | None:
    """The type variable the class's own ``__iter__`` (or ``__next__``, when ``__iter__`` gives
    the instance itself) is annotated to give."""
    ret = _one_return(iters)
    if ret is None:
        return None
    if isinstance(ret, ast.Subscript) and _path(tree, module, stubs, ret.value) in _ITERATORS:
        first = ret.slice.elts[0] if isinstance(ret.slice, ast.Tuple) else ret.slice
        return first.id if isinstance(first, ast.Name) else None
    itself = isinstance(ret, ast.Name) and (ret.id == node.name or _path(tree, module, stubs, ret) in
                                            ("typing.Self", "typing_extensions.Self"))
    following = _one_return(nexts) if itself and nexts else None
    return following.id if isinstance(following, ast.Name) else None


def _one_return(defs: list[ast.stmt] | None) -> ast.expr | None:
    """The return annotation of a method the class body binds once, to a plain ``def``."""
    if not defs or len(defs) != 1 or not isinstance(defs[0], ast.FunctionDef) or defs[0].decorator_list:
        return None
    ret = defs[0].returns
    if isinstance(ret, ast.Constant) and isinstance(ret.value, str):
        try:
            ret = parse(ret.value, mode="eval").body
        except SyntaxError:
            return None
    return ret


def _base_parameter(tree: ast.Module, module: str, node: ast.ClassDef, stubs: StubIndex) -> str | None:
    """With no ``__iter__`` of its own: the type variable of its one iterating base (besides
    ``Generic[...]``), which iterates it."""
    found: list[str | None] = []
    for base in node.bases:
        head = base.value if isinstance(base, ast.Subscript) else base
        path = _path(tree, module, stubs, head)
        if path in _GENERIC:
            continue
        if path not in _ITERATING or not isinstance(base, ast.Subscript):
            return None  # another base may define __iter__
        first = base.slice.elts[0] if isinstance(base.slice, ast.Tuple) else base.slice
        found.append(first.id if isinstance(first, ast.Name) else None)
    return found[0] if len(found) == 1 else None
