"""What collections and generic values hold: element types for loops, unpacking and subscripts
(``list[Row]``, ``dict[str, Path]``, ``tuple[A, B]``, ``Iterator[Match[str]]``), from annotations,
literals, comprehensions, builtins (``enumerate``, ``zip``, ``sorted``), and the generic return
types of installed code (a stub's or the runtime's annotation).  A mixin of
:class:`vetpy.resolve.infer.Inference`: its methods use the inference's ``infer``, ``lookup``,
``members`` and the rest."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from vetpy.astutil import parse, walk
from vetpy.resolve.elements import (_ASYNC, _named, _one_return, _path, _stub_class, annotated_generic,
                                    generic_element, generic_instance, generic_item, iterated_parameter)
from vetpy.resolve.object_arrays import object_element, object_item
from vetpy.resolve.operators import Operators
from vetpy.resolve.undeclared_items import undeclared_item
from vetpy.resolve.value import ANNOTATED, CALLABLE, INSTANCE, OBJECT, Value, instance_of, lower_bound, union_of

ITERABLE = "iterable"  # something to iterate (args: its element); path MAPPING: a mapping (args: key, value)
MAPPING = "mapping"
STUB_ONLY = "stub-only:"  # path prefix of an ITERABLE made by stub_only_iterator (never subscripted, never a sequence)
SEQUENCES = frozenset({"builtins.list", "builtins.set", "builtins.frozenset", "collections.deque"})
MAPPINGS = frozenset({"builtins.dict", "collections.OrderedDict", "collections.defaultdict"})
ITERATING_BUILTINS = frozenset({"builtins.enumerate", "builtins.zip", "builtins.reversed", "builtins.iter", "builtins.range",
                                 "builtins.sorted", "builtins.list", "builtins.set", "builtins.frozenset", "builtins.tuple",
                                 "builtins.next", "builtins.map"})

# What a function decorated with contextlib.contextmanager / asynccontextmanager gives (args:
# what its ``with`` / ``async with`` target gets, the generator's yield type).
# The abstract bases (a function annotated ``-> AbstractAsyncContextManager[Nursery]``) likewise: the
# object is of some subclass, whose __aenter__ gives the argument, not the abstract base's self.
CONTEXT_MANAGERS = frozenset({"contextlib._GeneratorContextManager", "contextlib._AsyncGeneratorContextManager",
                              "contextlib.AbstractContextManager", "contextlib.AbstractAsyncContextManager"})
SYNCHRONOUS_MANAGERS = frozenset({"contextlib._GeneratorContextManager", "contextlib.AbstractContextManager"})
# Calls whose awaiting gives a list at run time, whatever the stub declares: typeshed's
# `asyncio.gather` overloads say `Future[tuple[_T1, _T2]]`, CPython's gather sets a list (`[]` with
# no awaitables) as the result (asyncio/tasks.py, 3.8 to 3.13).
_AWAITED_LISTS = frozenset({"asyncio.gather", "asyncio.tasks.gather"})


def awaited_list(func: Value | None) -> Value | None:
    """A list, when ``func`` is a function whose awaited result is one (``await asyncio.gather(...)``)."""
    return Value(INSTANCE, "builtins.list") if func is not None and func.kind == OBJECT and func.path in _AWAITED_LISTS else None

_CALLABLES = frozenset({"typing.Callable", "collections.abc.Callable", "typing_extensions.Callable"})

_ABSTRACT = ("Iterable", "Iterator", "Sequence", "Collection", "Generator", "MutableSequence", "AbstractSet", "MutableSet",
             "Set", "Reversible", "KeysView", "ValuesView", "AsyncIterable", "AsyncIterator", "AsyncGenerator")
# The generic classes whose parameters say what they hold: (kind, path) of a value annotated so.
_GENERIC_ORIGINS: dict[str, tuple[str, str]] = {
    **{f"builtins.{n}": (INSTANCE, f"builtins.{n}") for n in ("list", "set", "frozenset", "dict", "tuple")},
    **{f"typing.{n.title()}": (INSTANCE, f"builtins.{n}") for n in ("list", "set", "frozenset", "dict", "tuple")},
    "typing.FrozenSet": (INSTANCE, "builtins.frozenset"), "typing.Deque": (INSTANCE, "collections.deque"),
    "collections.deque": (INSTANCE, "collections.deque"), "typing.DefaultDict": (INSTANCE, "collections.defaultdict"),
    "collections.defaultdict": (INSTANCE, "collections.defaultdict"), "typing.OrderedDict": (INSTANCE, "collections.OrderedDict"),
    "collections.OrderedDict": (INSTANCE, "collections.OrderedDict"),
    **{f"{m}.{n}": (ITERABLE, "") for m in ("typing", "collections.abc", "typing_extensions") for n in _ABSTRACT},
    **{f"{m}.{n}": (ITERABLE, MAPPING) for m in ("typing", "collections.abc") for n in ("Mapping", "MutableMapping")},
}

_ITEMS_VIEWS = frozenset({"typing.ItemsView", "collections.abc.ItemsView", "typing_extensions.ItemsView"})
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "__setitem__", "__iadd__", "appendleft",
                       "extendleft", "__ior__", "symmetric_difference_update", "intersection_update", "difference_update"})
# builtins that read a collection passed to them and never change it
_READING_BUILTINS = frozenset({"len", "enumerate", "zip", "sorted", "reversed", "iter", "list", "set", "tuple", "frozenset",
                               "print", "isinstance", "any", "all", "sum", "min", "max", "repr", "str", "dict", "bool"})

# `x: float` may hold an int, `x: complex` an int or a float (the typing numeric tower)
_PROMOTED = frozenset({"builtins.float", "builtins.complex"})
# Modules of abstract protocols: an object annotated with one of them may have anything else.
_PROTOCOL_MODULES = frozenset({"collections.abc", "_collections_abc", "typing", "typing_extensions", "numbers", "abc"})


class Containers(Operators):
    """Element types (mixed into Inference); binary operator results come from :class:`Operators`."""

    def _mutated(self, name: str, at: ast.AST) -> bool:
        """May the list, set or dict that ``name`` holds be changed in its scope: a mutating method
        called on it, an item or augmented assignment, or the name passed to a call?"""
        scope = self.scope_of(at)
        key = (id(scope), name)
        found = self._mutations.get(key)
        if found is None:
            found = False
            for node in walk(scope):
                if isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name \
                            and func.attr in _MUTATORS:
                        found = True
                    elif any(isinstance(a, ast.Name) and a.id == name for a in [*node.args, *(k.value for k in node.keywords)]) \
                            or any(isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == name for a in node.args):
                        found = not (isinstance(func, ast.Name) and func.id in _READING_BUILTINS)
                elif isinstance(node, (ast.Subscript, ast.AugAssign)) and not isinstance(getattr(node, "ctx", None), ast.Load):
                    target = node.value if isinstance(node, ast.Subscript) else node.target
                    found = isinstance(target, ast.Name) and target.id == name
                if found:
                    break
            self._mutations[key] = found
        return found

    def element(self, iterable: ast.AST) -> Value | None:
        """What iterating ``iterable`` gives, when every element is known to be one thing."""
        return self.element_of(self.infer(iterable))

    def element_of(self, value: Value | None) -> Value | None:
        if value is not None and value.kind == INSTANCE and not value.args and value.path not in SEQUENCES | MAPPINGS:
            return self._iterated(value)
        if value is not None and value.kind == INSTANCE and value.path not in SEQUENCES | MAPPINGS | {"builtins.tuple"}:
            return object_element(value) or generic_element(self, value)  # subplots' Axes; ArtistList[Line2D]
        if value is None or not value.args:
            return None
        if value.kind == INSTANCE and value.path == "builtins.tuple":  # a tuple of known items
            values = set(value.args)
            return values.pop() if len(values) == 1 else None
        if len(value.args) == 1 and (value.kind == ITERABLE and value.path != MAPPING or value.kind == INSTANCE and value.path in SEQUENCES):
            return value.args[0]
        if len(value.args) == 2 and (value.kind == ITERABLE and value.path == MAPPING or value.kind == INSTANCE and value.path in MAPPINGS):
            return value.args[0]  # a mapping's keys
        return None

    def _iterated(self, value: Value) -> Value | None:
        """What iterating an instance of a class gives: its ``__next__`` result (``for line in fh``),
        else the element of the iterator its ``__iter__`` returns."""
        following = self._returned(value.path, "__next__", receiver=value)
        if following is not None:
            return following
        iterator = self._returned(value.path, "__iter__", receiver=value)
        if iterator is None or iterator == value or not iterator.args:
            return None
        return self.element_of(iterator)

    def _agreed(self, nodes: list[ast.expr]) -> Value | None:
        if any(isinstance(e, ast.Starred) for e in nodes):
            return None
        values = {self.infer(e) for e in nodes}
        return values.pop() if len(values) == 1 else None

    def _unpacked(self, value: Value | None, index: tuple[tuple[int, int], ...]) -> Value | None:
        """The part of ``value`` an unpacking target at ``index`` receives (Site.index)."""
        for position, length in index:
            if value is None:
                return None
            if value.kind == INSTANCE and value.path not in ("builtins.tuple", "") and not value.args:
                value = self._tuple_class(value)  # `class Pair(tuple[A, B])`: an A and a B
            if value is None:
                return None
            if value.kind == INSTANCE and value.path == "builtins.tuple" and value.args:
                value = value.args[position] if len(value.args) == length else None
            else:
                value = self.element_of(value)
        return value

    def _tuple_class(self, value: Value) -> Value:
        """An instance of an installed tuple class of fixed items as the tuple of them, each a
        lower bound (the worker's ``tuple_items``, resolve/_worker_keeps.py: the class's own one
        ``tuple[A, B]`` base in ``__orig_bases__``, every item a class, a generic one by its origin;
        anyio's ``create_memory_object_stream``, whose ``__new__`` gives that pair, as a type
        checker reads it); else ``value`` itself."""
        items = (self.members.describe(value.path) or {}).get("tuple_items")
        if not items:
            return value
        return Value(INSTANCE, "builtins.tuple", ANNOTATED, args=tuple(
            lower_bound(instance_of(p), None) for p in items))

    def _item(self, value: Value | None, key: ast.AST) -> Value | None:
        """``value[key]`` of a list, tuple or dict whose items are known, or of an instance of an
        installed class that declares what indexing it gives (:meth:`_declared_item`)."""
        if value is not None and not value.args and value.kind == INSTANCE:
            return self._declared_item(value)
        if value is None or not value.args:
            return None
        if value.kind == INSTANCE and value.path not in SEQUENCES | MAPPINGS | {"builtins.tuple"}:
            if object_element(value) is not None:  # axes[0], axes[0, 1] of subplots' grid
                return object_item(value, key, self._an_index)
            return generic_item(self, value, key)  # ax.lines[0]
        if value.kind == INSTANCE and value.path == "builtins.tuple":
            if isinstance(key, ast.Constant) and type(key.value) is int and -len(value.args) <= key.value < len(value.args):
                return value.args[key.value]
            return None
        if value.kind == INSTANCE and value.path in MAPPINGS and len(value.args) == 2:
            return value.args[1]
        if value.kind == ITERABLE and value.path == MAPPING and len(value.args) == 2:
            return value.args[1]  # Mapping[K, V]
        sequence = value.kind == INSTANCE and value.path == "builtins.list" \
            or value.kind == ITERABLE and value.path in ("", "builtins.tuple")  # Sequence[Row], tuple[X, ...]
        if sequence and len(value.args) == 1:
            # a key that may be a slice object gives the item or a sequence of them (skimage's
            # `range(n)[key]` in `__getitem__`, then `.index()`): a name both lack is missing
            return value.args[0] if self._an_index(key) else union_of([value.args[0], value if value.kind == INSTANCE else None])
        return None

    def _declared_item(self, value: Value) -> Value | None:
        """``value[key]`` of an instance of an installed class that is no builtin container: what
        its ``__getitem__`` is declared to return, read like a method call's result
        (``IniConfig(...)["server"]``: ``IniConfig.__getitem__(self, name: str) -> SectionWrapper``;
        ``ConfigParser()["s"]``: a ``SectionProxy``).  None for the builtins and their subclasses'
        paths that name them (what they hold is not known here)."""
        if value.path.startswith("builtins.") or value.path in SEQUENCES | MAPPINGS:
            return None
        return self._returned(value.path, "__getitem__", receiver=value) \
            or undeclared_item(value, self.members.method(value.path, "__getitem__"))  # `df["k"]`: Series | DataFrame

    def _an_index(self, key: ast.AST) -> bool:
        """Is ``key`` certainly an index, not a slice object?  A number, arithmetic (a ``slice``
        supports none) or a value known to be an ``int``."""
        if isinstance(key, ast.Constant):
            return type(key.value) is int
        if isinstance(key, (ast.BinOp, ast.UnaryOp)):
            return True
        known = self.infer(key)  # type: ignore[arg-type]
        return known is not None and known.kind == INSTANCE and known.path in ("builtins.int", "builtins.bool")

    def _container_method(self, receiver: Value | None, name: str) -> Value | None:
        """``d.items()``, ``d.values()``, ``d.get(k)``, ``xs.pop()`` ... of a dict or list whose
        items are known."""
        if receiver is None or receiver.kind != INSTANCE or not receiver.args:
            return None
        if receiver.path in MAPPINGS and len(receiver.args) == 2:
            key, value = receiver.args
            if name == "items":
                return Value(ITERABLE, "", args=(Value(INSTANCE, "builtins.tuple", args=(key, value)),))
            if name == "values":
                return Value(ITERABLE, "", args=(value,))
            if name == "keys":
                return Value(ITERABLE, "", args=(key,))
            if name in ("get", "pop", "setdefault"):
                return value
        if receiver.path == "builtins.list" and len(receiver.args) == 1 and name == "pop":
            return receiver.args[0]
        return None

    def union_parts(self, node: ast.AST) -> list[ast.expr] | None:
        """The members of a union annotation (``A | B | None``, ``Union[A, B]``, ``Optional[A]``:
        ``A`` and ``None``), None for any other annotation."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return (self.union_parts(node.left) or [node.left]) + (self.union_parts(node.right) or [node.right])
        if isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
            path = self._imported_path(node.value)
            inner = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if path in ("typing.Optional", "typing_extensions.Optional") and len(inner) == 1:
                return [inner[0], ast.Constant(value=None)]
            if path in ("typing.Union", "typing_extensions.Union"):
                return inner
        return None

    def annotation_value(self, node: ast.AST) -> Value | None:
        """What a variable annotated ``node`` holds: an instance of the class it names (a subclass
        may be given), with the element types of ``list[X]``, ``dict[K, V]``, ``tuple[A, B]``,
        ``Iterable[X]`` ...; None when it names no class."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        parts = self.union_parts(node)
        if parts is not None:  # `A | B | None`: an A or a B (None aside: what both lack, None lacks too)
            return union_of([self.annotation_value(p) for p in parts if not is_none(p)])
        if not isinstance(node, ast.Subscript):
            return self._annotated_instance(node)
        head = self._imported_path(node.value)
        if not head and isinstance(node.value, ast.Name) and self.lookup(node.value.id, node.value) is None:
            head = f"builtins.{node.value.id}"
        origin = _GENERIC_ORIGINS.get(head)
        if origin is None:
            return annotated_generic(self, node, self._annotated_instance(node.value))  # np.ndarray[...]: its class
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        homogeneous = len(inner) == 2 and isinstance(inner[1], ast.Constant) and inner[1].value is Ellipsis
        return _generic(origin, [self.annotation_value(e) for e in inner], homogeneous)

    def _annotated_instance(self, node: ast.AST) -> Value | None:
        """An instance of the class ``node`` names, or of a subclass; None for a protocol
        (``IO``, ``Mapping``: a value has more than it says) and for ``float``/``complex``."""
        path = self.annotation_class(node)
        if path is None or path in _PROMOTED or path.rpartition(".")[0] in _PROTOCOL_MODULES:
            return None
        return instance_of(path, ANNOTATED)

    def _builtin_call(self, path: str, call: ast.Call) -> Value | None:
        """``enumerate(xs)``, ``zip(a, b)``, ``sorted(xs)``, ``list(xs)`` ...: what they hold."""
        if call.keywords and path not in ("builtins.sorted", "builtins.enumerate"):
            return self.call_result(Value(OBJECT, path), call)
        if path == "builtins.map":  # `map(URL, raw)`: what calling the function gives, for each element
            if len(call.args) < 2 or any(isinstance(a, ast.Starred) for a in call.args):
                return None
            return Value(ITERABLE, "", args=(self.call_result(self.infer(call.args[0])),))
        elements = [self.element(a) if not isinstance(a, ast.Starred) else None for a in call.args]
        if path == "builtins.enumerate":
            if len(call.args) != 1:
                return None
            return Value(ITERABLE, "", args=(Value(INSTANCE, "builtins.tuple", args=(Value(INSTANCE, "builtins.int"), elements[0])),))
        if path == "builtins.zip":
            if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
                return None
            return Value(ITERABLE, "", args=(Value(INSTANCE, "builtins.tuple", args=tuple(elements)),))
        if path == "builtins.next":  # the next element; or the default (None aside: what the element lacks, None lacks too)
            if len(call.args) not in (1, 2) or any(isinstance(a, ast.Starred) for a in call.args):
                return None
            return elements[0] if len(call.args) == 1 or is_none(call.args[1]) else union_of([elements[0], self.infer(call.args[1])])
        if path in ("builtins.reversed", "builtins.iter"):
            return Value(ITERABLE, "", args=(elements[0],)) if len(call.args) == 1 else None
        if path == "builtins.range":
            return Value(ITERABLE, "", args=(Value(INSTANCE, "builtins.int"),))
        # sorted, list, set, frozenset, tuple
        result = self.call_result(Value(OBJECT, path), call)
        if result is None or len(call.args) != 1:
            return result
        if path == "builtins.tuple":
            return Value(ITERABLE, "builtins.tuple", args=(elements[0],))  # its length is not known
        return replace(result, args=(elements[0],))

    def _form_value(self, form: Any, me: Value | None = None) -> Value | None:
        """The value a return type (a stubs.Form, or the worker's list form) describes; "self"
        is ``me``.  Element types of a generic class are lower bounds (a subclass may be held)."""
        if form is None or form == "..." or form == NONE_FORM:
            return None
        if form == "self":
            return me
        if isinstance(form, str):
            return instance_of(self._class_path(form)) or stub_only_iterator(self, form, me)
        head, args = form[0], list(form[1:])
        if head in UNION_FORMS:  # one of its members (None aside: what they all lack, None lacks too)
            return union_of([self._form_value(a, me) for a in args if a != NONE_FORM])
        if head in CONTEXT_MANAGERS:  # a `contextmanager` function: what its `with` target gets
            entered = self._form_value(args[0], me) if args and args[0] != "..." else None
            if entered is not None and entered.kind == INSTANCE and entered is not me:
                entered = replace(entered, name=ANNOTATED)
            return Value(INSTANCE, head, args=(entered,) if entered is not None else ())
        if head in _CALLABLES and len(args) == 2:  # Callable[[A], R]: calling it gives an R
            result = self._form_value(args[1], me) if args[1] != "..." else None
            if result is not None and result.kind == INSTANCE and result is not me:
                result = replace(result, name=ANNOTATED)
            return Value(CALLABLE, "", args=(result,)) if result is not None and result.kind == INSTANCE else None
        if head in _ITEMS_VIEWS and len(args) == 2:  # ItemsView[K, V]: iterating it gives (K, V) pairs
            pair = tuple(lower_bound(None if a == "..." else self._form_value(a, me), me) for a in args)
            return Value(ITERABLE, "", args=(Value(INSTANCE, "builtins.tuple", ANNOTATED, args=pair),))
        origin = _GENERIC_ORIGINS.get(head) if isinstance(head, str) else None
        if origin is None:  # a generic class of a package: what iterating it gives, when declared
            return generic_instance(self, head, args, me) or stub_only_iterator(self, head, me) if isinstance(head, str) else None
        values = [None if a == "..." else self._form_value(a, me) for a in args]
        values = [lower_bound(v, me) for v in values]
        return _generic(origin, values, homogeneous=len(args) == 2 and args[1] == "...")

    def _read_value(self, info: dict[str, Any] | None) -> Value | None:
        """What reading a class's descriptor gives (``Model.model_fields``: a ``dict[str, FieldInfo]``),
        when the worker found the annotated return of the function it wraps (``read_form``)."""
        form = (info or {}).get("read_form")
        return self._form_value(tuple(form) if isinstance(form, list) else form) if form else None

    def _class_path(self, path: str) -> str | None:
        """The runtime class a type's path names (its canonical path), None when it is no class."""
        info = self.members.describe(path)
        if info is not None and info.get("kind") == "other" and info.get("origin"):
            return info["origin"]  # type: ignore[no-any-return]  # a generic alias (NDArray[...] -> numpy.ndarray)
        if info is None or info.get("kind") != "class":
            return None
        canonical = info.get("canonical") or path
        if canonical.rpartition(".")[0] in _PROTOCOL_MODULES or canonical in _PROMOTED:
            return None  # Hashable, Iterable ...: what a value has beyond the protocol is not known
        return canonical


# The head of a union's form (the worker's and the stubs'), and the form of None in a union.
UNION_FORMS = frozenset({"typing.Union", "typing_extensions.Union", "typing.Optional", "typing_extensions.Optional",
                         "types.UnionType"})
NONE_FORM = "None"

def is_none(node: ast.AST | None) -> bool:
    """Is ``node`` the literal ``None``?"""
    return isinstance(node, ast.Constant) and node.value is None


# Generic classes the worker names without their arguments when it cannot evaluate an annotation.
BARE_GENERICS = frozenset({"builtins.tuple", "builtins.list", "builtins.dict", "builtins.set", "builtins.frozenset"})


def vague_form(runtime: Any, inference: Any = None) -> bool:
    """Does the worker's return form leave room for a stub's (or the source's overloads') answer:
    nothing, a generic class without its arguments (with ``inference``: a package's class whose
    stub declares what iterating it gives, elements.py), or a union (an implementation's
    annotation, where the overload a call selects says which member it gives)?"""
    return not runtime or isinstance(runtime, str) and runtime in BARE_GENERICS or \
        isinstance(runtime, tuple) and runtime[0] in UNION_FORMS or \
        inference is not None and isinstance(runtime, str) and iterated_parameter(inference, runtime, None) is not None


def detailed_form(runtime: Any, stub: Any) -> Any:
    """The stub's form when the runtime names nothing or only the same generic class without its
    arguments (the stub's ``tuple[Figure, Any]`` for the runtime's ``tuple``), or a union and the
    stub names something, else the runtime's."""
    if not runtime:
        return stub
    if isinstance(runtime, tuple) and runtime[0] in UNION_FORMS:
        return stub or runtime
    return stub if isinstance(stub, tuple) and stub[0] == runtime else runtime


def runtime_form(info: dict[str, Any]) -> Any:
    """What the worker says a function or property returns: its generic form, else its class."""
    form = info.get("returns_form")
    if isinstance(form, list) and form and form[0]:
        return tuple(form)
    return info.get("returns")

def _generic(origin: tuple[str, str], args: list[Value | None], homogeneous: bool) -> Value | None:
    """A value of the generic class ``origin`` (kind, path) holding ``args``."""
    kind, path = origin
    if path == "builtins.tuple":
        if homogeneous:
            return Value(ITERABLE, path, args=(args[0],))
        return Value(INSTANCE, path, ANNOTATED, args=tuple(args))
    if path in MAPPINGS or path == MAPPING:
        return Value(kind, path, ANNOTATED if kind == INSTANCE else "", args=tuple(args)) if len(args) == 2 else None
    if kind == ITERABLE:
        return Value(kind, path, args=tuple(args[:1]))  # Generator[Yield, Send, Return]: what it yields
    return Value(kind, path, ANNOTATED, args=tuple(args)) if len(args) == 1 else None


def stub_only_iterator(inference: Any, path: str, me: Value | None) -> Value | None:
    """An instance of the class ``path`` that only the stub declares, with no importable name at
    run time (typeshed's ``os._ScandirIterator``, which ``os.scandir`` returns), as what iterating
    it gives: its stub's ``__iter__ -> Self`` and ``__next__ -> X``, X a runtime class (a lower
    bound).  Nothing else about it is known: its own members are never checked (the value is an
    ITERABLE, whose members nobody looks up), and a class the runtime has is never one of these."""
    stubs = inference.stubs
    info = inference.members.describe(path)
    if stubs is None or info is None or info.get("found") is not False:
        return None
    located = _stub_class(stubs, path)
    if located is None:
        return None
    _tree, module, node = located
    own = _named(node)
    if own.keys() & _ASYNC or not _gives_itself(stubs, located, "__iter__") or _one_return(own.get("__next__")) is None:
        return None  # `__iter__` must give the instance itself, whose one `__next__` says what it gives
    qualname = path[len(module) + 1:]
    element = lower_bound(inference._form_value(stubs.return_form(module, f"{qualname}.__next__", None, True), me), me)
    if element is None or element.kind != INSTANCE:
        return None
    return Value(ITERABLE, STUB_ONLY + path, args=(element,))


def stub_only_entered(inference: Any, value: Value | None, extra: str) -> Value | None:
    """The ``with`` target of a value made by :func:`stub_only_iterator`: itself, when the class's
    stub declares ``__enter__ -> Self`` (``with os.scandir(path) as it``); else None."""
    if value is None or value.kind != ITERABLE or not value.path.startswith(STUB_ONLY) or extra == "async":
        return None
    located = _stub_class(inference.stubs, value.path[len(STUB_ONLY):])
    return value if located is not None and _gives_itself(inference.stubs, located, "__enter__") else None


def _gives_itself(stubs: Any, located: tuple[ast.Module, str, ast.ClassDef], method: str) -> bool:
    """Is the stub class's one ``method`` declared to return the instance itself (``-> Self``, its own name)?"""
    tree, module, node = located
    ret = _one_return(_named(node).get(method))
    return isinstance(ret, ast.Name) and (
        ret.id == node.name or _path(tree, module, stubs, ret) in ("typing.Self", "typing_extensions.Self"))
