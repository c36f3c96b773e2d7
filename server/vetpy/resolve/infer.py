"""What an expression *is*: cheap, precise syntax-tree inference for the common forms.

Follows module attributes, ``import x as y``, calls of classes and of functions whose return
type is annotated (at run time or in a stub), ``with ... as``, assignments, ``for`` targets and
comprehensions over literal collections, annotated parameters and variables, literals, mocks
with a spec.  Flow-insensitive but conservative: a name bound more than once in its scope is one of
what its bindings give (a ``union``, bindings to None aside), unknown when any of them is unknown;
``global``/``nonlocal`` names and star-unpacking are unknown.  Every "don't know" is None: silence.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

from vetpy.astutil import parse, walk
from vetpy.document import Document
from vetpy.resolve.annotated_locals import assigned_exactly
from vetpy.resolve.argument_overloads import argument_selected
from vetpy.resolve.containers import (CONTEXT_MANAGERS, ITERABLE, ITERATING_BUILTINS, MAPPINGS, SEQUENCES, SYNCHRONOUS_MANAGERS,
                                      Containers, awaited_list, detailed_form, is_none, runtime_form, stub_only_entered, vague_form)
from vetpy.resolve.caught import caught_value
from vetpy.resolve.class_reads import annotated_class_read
from vetpy.resolve.declared import (_TRANSPARENT_DECORATORS, PYDANTIC_MODEL, Declared, _closed_model, _decorator_name,
                                    _own_returns, new_returns_other, writes_constructor)
from vetpy.resolve.default_branches import default_narrowed
from vetpy.resolve.descriptor_reads import instance_read
from vetpy.resolve.declared_attributes import declared_attribute, declared_on_local_class
from vetpy.resolve.mocks import spec_mock
from vetpy.resolve.narrowing import unless_narrowed
from vetpy.resolve.object_arrays import flat_elements, subplot_grid
from vetpy.resolve.public_alias import public_alias
from vetpy.resolve.reaching import SCOPES, Reaching
from vetpy.resolve.source_overloads import overload_narrowed
from vetpy.resolve.static import resolve_relative
from vetpy.resolve.stub_typevars import entered_argument, entered_value, solved_return
from vetpy.resolve.typed_dicts import typed_dict_instance
from vetpy.resolve.value import (ANNOTATED, CALLABLE, INSTANCE, LOCAL_CLASS, LOCAL_FUNCTION, LOCAL_INSTANCE, METHOD, NOT_A_CLASS,
                                 OBJECT, UNION, EXACT, Value, aws_client, lower_bound, metaclass_made, plain_arguments,
                                 proxy_of, union_of)
from vetpy.scopes import ScopeTable, Site, scope_index

if TYPE_CHECKING:
    from vetpy.resolve.members import MemberIndex
    from vetpy.resolve.stubs import StubIndex


def _opened_for(scope: ast.AST, child: ast.AST) -> bool:
    """Is ``child``, a direct child of ``scope``, evaluated in the scope that ``scope`` opens?"""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return child in scope.body  # syntax nodes compare by identity (no generator per name looked up)
    return child is scope.body if isinstance(scope, ast.Lambda) else True


_LITERALS = {str: "builtins.str", bytes: "builtins.bytes", int: "builtins.int", float: "builtins.float"}


@dataclass(frozen=True)
class LocalClass:
    name: str
    own: frozenset[str]  # names the class itself binds (body, self.x = ..., methods)
    members: frozenset[str]  # own plus every base class's instance members
    bases: tuple[Value, ...]  # installed base classes (local bases flattened)
    base_members: dict[str, list[str]]
    model: bool = False  # a pydantic model whose field set is closed (no extra="allow", no __getattr__)
    own_init: bool = False  # the class or a base of this file defines __init__ or __new__ (or a decorator)


@dataclass
class Binding:
    kind: str  # "import" | "value" | "annotation" | "iter" | "with" | "except" | "self" | "cls" | "class" | "unknown"
    node: ast.AST | None
    extra: str = ""  # import: the dotted module path / name
    stmt: ast.AST | None = None  # the binding statement (None: bound on entry, like parameters)
    index: tuple[tuple[int, int], ...] = ()  # "value"/"iter" of an unpacking target: where it lies (Site.index)


class _Answers:
    """The member index's answers memoised for one analysis: the rules ask about the same paths
    (``json.dumps``, ``types.Position``) hundreds of times in one file.  Within an analysis the
    index gives the same answer to a repeated question, so this changes nothing but the cost."""

    def __init__(self, members: MemberIndex) -> None:
        self._members = members
        self._answers: dict[tuple[str, ...], Any] = {}  # (question, its arguments) -> answer

    def _memo(self, *key: str) -> Any:
        try:
            return self._answers[key]
        except KeyError:
            answer = self._answers[key] = getattr(self._members, key[0])(*key[1:])
            return answer

    def describe(self, path: str) -> dict[str, Any] | None:
        return self._memo("describe", path)

    def method(self, cls_path: str, name: str) -> dict[str, Any] | None:
        return self._memo("method", cls_path, name)

    def instance(self, cls_path: str) -> dict[str, Any] | None:
        return self._memo("instance", cls_path)

    def module_attribute(self, module: str, name: str) -> Any:
        return self._memo("module_attribute", module, name)

    def __getattr__(self, name: str) -> Any:  # flush, ...: not memoised
        return getattr(self._members, name)


class Inference(Containers, Declared, Reaching):
    """Per-document inference; ``infer(expr)`` answers a Value or None."""

    def __init__(self, doc: Document, module: str | None, is_package: bool, members: MemberIndex,
                 stubs: StubIndex | None, installed: Callable[[str], bool]) -> None:
        assert doc.tree is not None
        self.tree = doc.tree
        # Every scope's binding sites, shared with the data flow, kept for unchanged statements (vetpy.scopes).
        self.scopes = scope_index(doc)
        self.module = module
        self.is_package = is_package
        self.members: MemberIndex = _Answers(members)  # type: ignore[assignment]
        self.members_source = members  # the index the answers come from
        self.stubs = stubs
        self.installed = installed  # is this top-level module stdlib/site (not first-party)?
        # the document's shared parent map, and what the rules need to know about the file
        self.parents: dict[ast.AST, ast.AST] = doc.parents
        self.attributes: list[ast.Attribute] = []  # attribute reads
        self.calls: list[ast.Call] = []
        self.assigned_attrs: set[str] = set()  # `x.name = ...`, `setattr(x, "name", ...)`
        self.probed_attrs: set[str] = set()  # `hasattr(x, "name")`, `getattr(x, "name", ...)`
        self._globals: set[str] = set()
        self._star_import = False
        self._subclassed: set[str] = set()
        for node in doc.nodes:
            kind = type(node)
            if kind is ast.Attribute:
                if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                    self.attributes.append(node)  # type: ignore[arg-type]
                else:
                    self.assigned_attrs.add(node.attr)  # type: ignore[attr-defined]
            elif kind is ast.Call:
                self.calls.append(node)  # type: ignore[arg-type]
                self._note_probe(node)  # type: ignore[arg-type]
            elif kind is ast.Global or kind is ast.Nonlocal:
                self._globals.update(node.names)  # type: ignore[attr-defined]
            elif kind is ast.ImportFrom and any(a.name == "*" for a in node.names):  # type: ignore[attr-defined]
                self._star_import = True
            elif kind is ast.ClassDef:
                for base in node.bases:  # type: ignore[attr-defined]
                    if isinstance(base, (ast.Name, ast.Attribute)):
                        self._subclassed.add(base.id if isinstance(base, ast.Name) else base.attr)
        self._bindings: dict[ast.AST, dict[str, list[Binding]]] = {}
        self._cache: dict[int, tuple[ast.AST, Value | None]] = {}  # id -> (node, value): held, a temporary node's id stays unique
        self._busy: set[int] = set()
        self._mutations: dict[tuple[int, str], bool] = {}
        self._local: dict[str, LocalClass | None] = {}
        self._local_nodes: dict[str, ast.ClassDef] = {}
        self._function_nodes: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}

    def _note_probe(self, node: ast.Call) -> None:
        probe = attribute_probe(node)
        if probe is not None:
            function, name = probe
            (self.assigned_attrs if function == "setattr" else self.probed_attrs).add(name)

    # -- scopes ------------------------------------------------------------------------------
    def scope_of(self, node: ast.AST) -> ast.AST:
        """The scope ``node`` is evaluated in: a function's decorators, parameter defaults and
        annotations and return annotation, a class's decorators, bases and keywords, and a
        lambda's defaults belong to the scope where the definition stands, not to the one it
        opens (``def f(x: t.Any): t = Thread()``: that ``t`` is the module's)."""
        prev, cur = node, self.parents.get(node)
        while cur is not None and not (isinstance(cur, SCOPES) and _opened_for(cur, prev)):
            prev, cur = cur, self.parents.get(cur)
        return cur if cur is not None else self.tree

    def bindings(self, scope: ast.AST) -> dict[str, list[Binding]]:
        found = self._bindings.get(scope)
        if found is None:
            parent = self.parents.get(scope)
            owner = parent if isinstance(parent, ast.ClassDef) and scope in parent.body else None
            found = self._bindings[scope] = _bindings_of(scope, owner, self.scopes.table(scope))
        return found

    def lookup(self, name: str, at: ast.AST) -> list[Binding] | None:
        if name in self._globals:
            return None
        scope = self.scope_of(at)
        first = True
        while True:
            if not isinstance(scope, ast.ClassDef) or first:
                found = self.bindings(scope).get(name)
                if found and isinstance(scope, ast.ClassDef):
                    # `attributes: Dict[str, Any]` in a class body types instances; it binds no
                    # name there, so the body's `attributes.X` is the enclosing scope's
                    found = [b for b in found if not (isinstance(b.stmt, ast.AnnAssign) and b.stmt.value is None)]
                if found:  # after `assert isinstance(name, C)` what it is, is open
                    return unless_narrowed(name, at, scope, self._reaching(found, at)) if first else found
            if scope is self.tree:
                return None  # a builtin or undefined name
            first = False
            scope = self.scope_of(scope)

    # -- inference ---------------------------------------------------------------------------
    def infer(self, expr: ast.AST) -> Value | None:
        key = id(expr)
        if key in self._cache:
            return self._cache[key][1]
        if key in self._busy:
            return None  # recursive definition
        self._busy.add(key)
        try:
            value = self._infer(expr)
        except RecursionError:
            value = None
        finally:
            self._busy.discard(key)
        self._cache[key] = (expr, value)
        return value

    def _infer(self, expr: ast.AST) -> Value | None:
        if isinstance(expr, ast.Name):
            bindings = self.lookup(expr.id, expr)
            if bindings is None:
                return self._builtin(expr.id)
            if not bindings:
                return None
            # `conn = None` beside `conn = connect()`: what every other value lacks, None lacks too
            bindings = [b for b in bindings if not (b.kind == "value" and not b.index and is_none(b.node))] or bindings
            values = {self._binding_value(b) for b in bindings}
            if len(values) > 1 and None not in values and len({(v.kind, v.path, v.name, v.receiver) for v in values}) == 1:  # type: ignore[union-attr]
                values = {replace(values.pop(), args=())}  # type: ignore[arg-type]  # what they hold differs
            if len(values) == 1:
                only = next(iter(values))
                if only is not None and only.args and only.kind == INSTANCE and only.path in SEQUENCES | MAPPINGS \
                        and not all(b.kind == "annotation" for b in bindings) and self._mutated(expr.id, expr):
                    return replace(only, args=())  # `items.append(other)`: what it holds may change
            if len(values) == 2 and None not in values and len({(v.kind, v.path) for v in values}) == 1:  # type: ignore[union-attr]
                values = {v for v in values if v.name == ANNOTATED} or {v for v in values if v.name != EXACT}  # type: ignore[union-attr]  # `x: T` and `x = T()`: at least a T; `C()` and `cls()`: a C or a subclass
            if len(values) > 1:  # bound to an A on one path and a B on another: one of them
                return union_of(sorted(values, key=repr)) if None not in values else None
            return values.pop() if len(values) == 1 else None
        if isinstance(expr, ast.Attribute):
            return self.member(self.infer(expr.value), expr.attr)
        if isinstance(expr, ast.Call):
            func = self.infer(expr.func)
            if func is not None and func.kind == OBJECT and func.path in ITERATING_BUILTINS:
                return self._builtin_call(func.path, expr)
            if func is not None and func.kind == OBJECT and func.path in _CASTS and len(expr.args) == 2 and not expr.keywords:
                return self.annotation_value(expr.args[0])  # `cast(Engine, x)`: what it says (a subclass may be given)
            return aws_client(func, expr) or spec_mock(self, func, expr) or self.call_result(func, expr)  # boto3 client, mock
        if isinstance(expr, ast.Constant) and type(expr.value) in _LITERALS:
            return Value(INSTANCE, _LITERALS[type(expr.value)])
        if isinstance(expr, ast.JoinedStr):
            return Value(INSTANCE, "builtins.str")
        if isinstance(expr, (ast.List, ast.Set)):
            path = "builtins.list" if isinstance(expr, ast.List) else "builtins.set"
            return Value(INSTANCE, path, args=(self._agreed(expr.elts),) if expr.elts else ())
        if isinstance(expr, (ast.ListComp, ast.SetComp)):
            return Value(INSTANCE, "builtins.list" if isinstance(expr, ast.ListComp) else "builtins.set",
                         args=(self.infer(expr.elt),))
        if isinstance(expr, ast.GeneratorExp):
            return Value(ITERABLE, "", args=(self.infer(expr.elt),))
        if isinstance(expr, ast.Dict):
            if not expr.keys or None in expr.keys:
                return Value(INSTANCE, "builtins.dict")
            return Value(INSTANCE, "builtins.dict", args=(self._agreed(expr.keys), self._agreed(expr.values)))  # type: ignore[arg-type]
        if isinstance(expr, ast.DictComp):
            return Value(INSTANCE, "builtins.dict", args=(self.infer(expr.key), self.infer(expr.value)))
        if isinstance(expr, ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in expr.elts):
                return Value(INSTANCE, "builtins.tuple")
            return Value(INSTANCE, "builtins.tuple", args=tuple(self.infer(e) for e in expr.elts))
        if isinstance(expr, ast.Subscript) and not isinstance(expr.slice, ast.Slice):
            return self._item(self.infer(expr.value), expr.slice)
        if isinstance(expr, ast.NamedExpr):
            return self.infer(expr.value)
        if isinstance(expr, ast.IfExp):  # `A() if c else B()`: one of them (a None arm aside)
            return union_of([self.infer(e) for e in (expr.body, expr.orelse) if not is_none(e)])
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):  # `x or B()`: the first truthy operand, or the last
            return union_of([self.infer(e) for e in expr.values if not is_none(e)])
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            func = self.infer(expr.value.func)
            if func is not None and func.kind == LOCAL_FUNCTION:
                node = self._function_nodes.get(func.path)
                return self._function_return(node) if isinstance(node, ast.AsyncFunctionDef) else None
            return self._settled(self.call_result(func, expr.value)) or awaited_list(func)
        return self._operated(expr)  # `path / "a"`: the left operand's method, when certain

    def _builtin(self, name: str) -> Value | None:
        """A name no scope of this file binds: the builtin of that name (``str``, ``sorted``), unless
        a star import or a ``global`` declaration may bind it elsewhere."""
        if name in self._globals or self._star_import or name.startswith("__"):
            return None
        path = f"builtins.{name}"
        info = self.members.describe(path)
        if info is None or not info.get("found") or info.get("kind") not in ("class", "function"):
            return None
        return Value(OBJECT, path)

    def _settled(self, value: Value | None) -> Value | None:
        """What awaiting a call's declared result gives: the result itself when it is not an
        awaitable (an ``async def`` declares what its awaiting gives), None when it is one
        (a coroutine, task or future: what it resolves to is not known)."""
        if value is None or value.kind != INSTANCE:
            return None
        info = self.members.describe(value.path)
        if info is None or info.get("kind") != "class" or "__await__" in (info.get("members") or ()):
            return None
        return value

    def _binding_value(self, b: Binding) -> Value | None:
        if b.kind == "import":
            top = b.extra.split(".")[0]
            if not b.extra or not self.installed(top):
                return None
            info = self.members.describe(b.extra)
            return _object_value(info, b.extra)
        if b.kind == "value" and b.node is not None:
            return self._unpacked(self.infer(b.node), b.index)
        if b.kind == "annotation" and b.node is not None:  # `x: T = T(...)`: that very value
            return assigned_exactly(self, b.stmt) or self.annotation_value(b.node)
        if b.kind == "iter" and b.node is not None:
            return self._unpacked(self.element(b.node), b.index)
        if b.kind in ("self", "cls", "class") and isinstance(b.node, ast.ClassDef):
            key = self._local_key(b.node)
            if b.kind == "self":
                return Value(LOCAL_INSTANCE, key)
            return Value(LOCAL_CLASS, key, EXACT if b.kind == "class" else "")
        if b.kind == "def" and isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            made = self._decorated(b.node)
            return made if made is not None else Value(LOCAL_FUNCTION, self._function_key(b.node))
        if b.kind == "except":  # an instance of the class it catches
            return caught_value(self, b.node)
        if b.kind == "with" and b.node is not None:
            ctx = self.infer(b.node)
            if ctx is None or ctx.kind != INSTANCE:
                return stub_only_entered(self, ctx, b.extra)
            entering = "__aenter__" if b.extra == "async" else "__enter__"
            if ctx.path in CONTEXT_MANAGERS:  # a contextmanager function: what its generator yields
                synchronous = ctx.path in SYNCHRONOUS_MANAGERS
                return ctx.args[0] if ctx.args and synchronous == (entering == "__enter__") else None
            if entering == "__aenter__":  # awaited: what it returns; an annotated receiver may enter otherwise
                return None if ctx.name == ANNOTATED else self._settled(self._returned(ctx.path, entering, receiver=ctx)) \
                    or entered_argument(self.stubs, ctx.path, b.node, self.infer, entering)
            return self._returned(ctx.path, entering, receiver=ctx) or entered_value(self.stubs, ctx.path, b.node, self.infer) \
                or entered_argument(self.stubs, ctx.path, b.node, self.infer, entering)
        return None

    def annotation_class(self, node: ast.AST) -> str | None:
        """The class an annotation names (``requests.Response``, ``Response``, ``"Response"``)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        node = self._without_none(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.annotation_class(node)
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        value = self.infer(node)
        if value is None or value.kind != OBJECT:
            return None
        info = self.members.describe(value.path)
        if info is not None and info.get("kind") == "other" and info.get("origin"):
            return info["origin"]  # type: ignore[no-any-return]  # a generic alias: NDArray -> numpy.ndarray
        if info is None or info.get("kind") != "class":
            return None
        return info.get("canonical") or value.path

    def _without_none(self, node: ast.AST) -> ast.AST:
        """``X`` of ``Optional[X]``, ``X | None``, ``Union[X, None]``: a missing attribute of X is
        missing on None too (every other annotation as it is)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            parts = [node.left, node.right]
        elif isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
            path = self._imported_path(node.value)
            inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if path in ("typing.Optional", "typing_extensions.Optional") and len(inner) == 1:
                return inner[0]
            if path not in ("typing.Union", "typing_extensions.Union"):
                return node
            parts = list(inner)
        else:
            return node
        rest = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
        return rest[0] if len(rest) == 1 and len(parts) == 2 else node

    def _imported_path(self, node: ast.expr) -> str:
        """The dotted path a name or attribute chain refers to through this file's imports
        (``Optional`` after ``from typing import Optional``: ``typing.Optional``), else ""."""
        if isinstance(node, ast.Attribute):
            owner = self._imported_path(node.value)
            return f"{owner}.{node.attr}" if owner else ""
        if isinstance(node, ast.Name):
            bindings = self.lookup(node.id, node)
            if bindings and len(bindings) == 1 and bindings[0].kind == "import":
                return bindings[0].extra
        return ""

    def member(self, owner: Value | None, name: str) -> Value | None:
        """What ``owner.name`` is, when it exists and is known."""
        if owner is None:
            return None
        if owner.kind == UNION:
            return union_of([self.member(m, name) for m in owner.args])
        if owner.kind in (LOCAL_INSTANCE, LOCAL_CLASS):
            local = self.local_class(owner.path)
            if local is None:  # `Base.metadata` of `class Base(DeclarativeBase): pass`, subclassed
                return annotated_class_read(self, owner, name) or declared_on_local_class(self, owner, name)
            if name in local.own:
                if owner.kind == LOCAL_INSTANCE:
                    getter = self._local_property(owner, name)
                    if getter is not None:  # `self.config.x`: what the property's getter returns
                        return self._body_return(getter) or (
                            self.annotation_value(getter.returns) if getter.returns is not None else None)
                method = self._local_method(owner, name)
                return Value(LOCAL_FUNCTION, self._function_key(method)) if method is not None else (
                    self._class_attribute(owner, name) or annotated_class_read(self, owner, name))  # `User.name`: Mapped's __get__
            for base in local.bases:  # an inherited member of an installed base class
                if base.kind == OBJECT and name in (local.base_members.get(base.path) or ()):
                    kind = INSTANCE if owner.kind == LOCAL_INSTANCE else OBJECT
                    found = self.member(Value(kind, base.path), name)
                    if found is not None and found.kind in (METHOD, OBJECT):  # returning self gives this class's instance
                        found = replace(found, receiver=owner)
                    return found
            # `Base.metadata`: what an installed base declares as a ClassVar its machinery sets
            return declared_on_local_class(self, owner, name)
        if owner.kind == OBJECT:
            info = self.members.describe(owner.path)
            if info is None or info.get("kind") not in ("module", "class"):
                return None
            path = f"{info.get('canonical') or owner.path}.{name}"
            found = self.members.describe(path)
            return self._read_value(found) or _object_value(found, path)  # a descriptor: what reading it gives
        if owner.kind == INSTANCE:
            if name == "flat" and flat_elements(owner) is not None:  # `for ax in axes.flat`
                return Value(ITERABLE, "", args=(flat_elements(owner),))
            found = self.members.method(owner.path, name)
            if not found or not found.get("found"):
                return declared_attribute(self, owner, name)  # `engine.url`: the stub's `url: URL` of the class body
            if found.get("kind") == "function":
                return Value(METHOD, owner.path, name, receiver=owner)
            if found.get("kind") in ("property", "other"):  # "other": a compiled descriptor (ndarray.dtype), as its stub says
                if found.get("assigned") and owner.name == ANNOTATED:
                    return None  # what the class's own code stores: a subclass may store another thing
                value = self._form_value(runtime_form(found) or self._stub_return(found.get("owner"), name)
                                         or self._descriptor_read(found, name))
                return lower_bound(value) if found.get("annotated") or found["kind"] == "other" else value  # `x: Base` may hold a subclass
        return None

    def _descriptor_read(self, found: dict[str, Any], name: str) -> Any:
        """What reading ``name``, an instance of a descriptor class that the class ``found`` describes
        binds (pandas' ``DataFrame.index``), gives through an instance: its ``__get__``'s form."""
        kind = found.get("type")
        if found.get("kind") != "other" or found.get("getset") or not isinstance(kind, str):
            return None
        return instance_read(self.stubs, kind)

    def call_result(self, func: Value | None, call: ast.Call | None = None) -> Value | None:
        """What calling ``func`` gives (``call``: the call, which picks among a stub's overloads)."""
        return subplot_grid(self, func, call, self._call_result(func, call))  # `plt.subplots(1, 2)`: a row of Axes

    def _call_result(self, func: Value | None, call: ast.Call | None = None) -> Value | None:
        if func is None:
            return None
        if func.kind == UNION:
            return union_of([self.call_result(m, call) for m in func.args])
        if func.kind == LOCAL_CLASS:
            return typed_dict_instance(self, func) or Value(LOCAL_INSTANCE, func.path, EXACT if func.name == EXACT else "")
        if func.kind == CALLABLE:
            return func.args[0] if func.args else None
        if func.kind == LOCAL_FUNCTION:
            node = self._function_nodes.get(func.path)
            if isinstance(node, ast.AsyncFunctionDef):  # a coroutine, unless asynccontextmanager wraps it
                return self._managed(node)
            return self._function_return(node) if isinstance(node, ast.FunctionDef) else None
        if func.kind == METHOD:
            held = self._container_method(func.receiver, func.name)
            if held is not None:
                return held
            return self._returned(func.path, func.name, call, func.receiver)
        if func.kind != OBJECT:
            return None
        info = self.members.describe(func.path)
        if info is None:
            return None
        if info.get("kind") == "class":
            canonical = info.get("canonical") or func.path
            if canonical in NOT_A_CLASS or canonical == "builtins.super" or info.get("getattr") != "none" or metaclass_made(info, call):
                return None
            new = self.members.method(canonical, "__new__") or {}  # in Python, it may make a subclass's instance
            own_new = new.get("kind") == "function" and new.get("owner") not in (None, "builtins.object", "builtins.type")
            if own_new and isinstance(new.get("returns"), str) and new["returns"] not in (canonical, "self"):
                form = runtime_form(new)  # `__new__ -> Base` (hatchling): not the class called; `-> tuple[A, B]` (anyio's streams) is
                return self._form_value(form) if isinstance(form, tuple) and form[0] == "builtins.tuple" else None
            return Value(INSTANCE, canonical, ANNOTATED if own_new else "")  # (pandas' `Index(periods)`): a lower bound
        if info.get("kind") == "function" and info.get("dispatches") and not plain_arguments(call, self.infer):
            return None  # `np.tensordot(a, b)`: an array of another library answers through `__array_function__`
        if info.get("kind") == "function":
            ret = runtime_form(info)
            if vague_form(ret, self):  # the worker read `"tuple[Figure, Any]"` as tuple, or the implementation's union
                canonical = info.get("canonical") or func.path
                module, _, qual = canonical.rpartition(".")
                ret = detailed_form(ret, self._stub_return(module, qual, call, bound=bool(info.get("self_class"))))
                if not ret and canonical != func.path:  # `_io.open = builtins.open` in the stub
                    module, _, qual = func.path.rpartition(".")
                    ret = self._stub_return(module, qual, call, bound=bool(info.get("self_class")))
            if ret == "self":  # `Self` of a classmethod called on its class (`datetime.now()`); not `str.__new__(cls)`
                if func.receiver is not None or func.path.endswith(".__new__"):  # inherited by a class of this file
                    return Value(LOCAL_INSTANCE, func.receiver.path) if func.receiver and func.receiver.kind == LOCAL_CLASS else None
                ret = info.get("self_class")
            whole = self._form_value(ret)  # `-> DataFrame | TextFileReader`: the one the call selects among the source's overloads
            canonical = info.get("canonical") or func.path
            return (overload_narrowed(self, canonical, call, whole)
                    or default_narrowed(self, canonical.rpartition(".")[0], canonical.rpartition(".")[2], call, whole,
                                        bound=False) or whole)
        return None

    def _returned(self, cls: str, name: str, call: ast.Call | None = None, receiver: Value | None = None) -> Value | None:
        found = self.members.method(cls, name)
        if not found or not found.get("found") or found.get("kind") != "function":
            return None
        ret = runtime_form(found)
        if vague_form(ret, self):
            ret = detailed_form(ret, self._stub_return(found.get("owner"), name, call, bound=True)
                            or self._stub_return(cls, name, call, bound=True))
        whole = self._form_value(ret, receiver if receiver is not None else Value(INSTANCE, cls))
        return default_narrowed(self, found.get("owner"), name, call, whole, bound=True) or whole  # `s.rolling(2)`: a Rolling

    def _stub_return(self, owner: str | None, name: str, call: ast.Call | None = None, bound: bool = False) -> Any:
        """Return type from stubs for ``owner.name`` (owner: a module or a class path): a stubs.Form."""
        if self.stubs is None or not owner:
            return None
        found = self._stub_form(f"{owner}.{name}", call, bound)
        public = public_alias(self.members, owner)  # `pathlib._local.PurePath` (3.13): the stub's `pathlib.PurePath`
        return found if found is not None or public is None else self._stub_form(f"{public}.{name}", call, bound)

    def _stub_form(self, path: str, call: ast.Call | None, bound: bool) -> Any:
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module, qual = ".".join(parts[:i]), ".".join(parts[i:])
            if self.stubs.tree(module) is not None:  # type: ignore[union-attr]  # `AnyStr` solved by a str argument, else as the stub says
                solved = solved_return(self.stubs, module, qual, call, self.infer, self.parents) if call is not None and not bound else None
                form = solved if solved is not None else self.stubs.return_form(module, qual, call, bound)  # type: ignore[union-attr]
                return form if form is not None or call is None else argument_selected(
                    self.stubs, self.members, module, qual, call, bound, self.infer)  # the overload its arguments' types select
        return None

    # -- classes of this file ------------------------------------------------------------------
    def _local_key(self, node: ast.ClassDef) -> str:
        key = f"{node.name}@{node.lineno}"
        self._local_nodes[key] = node
        return key

    def _function_key(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        key = f"{node.name}@{node.lineno}"
        self._function_nodes[key] = node
        return key

    def _local_method(self, owner: Value, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The plain method ``name`` that ``self.name``/``cls.name`` reads (a class method through
        ``cls``), when the class body defines it once and nothing else binds the name."""
        node = self._local_nodes.get(owner.path)
        if node is None:
            return None
        defs = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
        if len(defs) != 1 or len(self.scopes.table(node).sites.get(name, ())) != 1:
            return None
        decorators = {_decorator_name(d) for d in defs[0].decorator_list}
        if owner.kind == LOCAL_INSTANCE and not decorators:
            return defs[0]
        if decorators == {"classmethod"} or decorators == {"staticmethod"}:
            return defs[0]
        return None

    def _function_return(self, node: ast.AST | None) -> Value | None:
        """What calling a function of this file gives, when no decorator may change it: what
        every ``return`` of its body gives when they all agree (exactly), else an instance of the
        class it is annotated to return (a subclass may be returned)."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        managed = self._managed(node)
        if managed is not None:
            return managed
        if any(_decorator_name(d) not in _TRANSPARENT_DECORATORS and not self._keeps_result(d) for d in node.decorator_list):
            return None
        returned = self._body_return(node)
        if returned is not None and node.returns is not None:  # the union members it allows, unknown tuple items
            returned = self.annotated_return(returned, node.returns)
        if returned is not None:
            return returned
        if node.returns is None:
            return None
        own = self._own_class_return(node)
        return own if own is not None else self.annotation_value(node.returns)

    def _body_return(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """What the ``return``s of the function's own body give (not a generator's): one value, or
        a union; ``return None`` aside (what every other value lacks, None lacks too)."""
        returns = _own_returns(node)
        given = [r.value for r in returns or () if r.value is not None and not is_none(r.value)]
        if not given:
            return None
        value = union_of([self.infer(v) for v in given])
        if value is None or any(m.kind not in (INSTANCE, LOCAL_INSTANCE)  # type: ignore[union-attr]
                                for m in (value.args if value.kind == UNION else (value,))):
            return None
        return value

    def local_class(self, key: str) -> "LocalClass | None":
        """Members of a class defined in this file, when they are all known."""
        if key in self._local:
            return self._local[key]
        self._local[key] = None  # recursion guard
        node = self._local_nodes.get(key)
        result = self._analyse_local(node) if node is not None else None
        self._local[key] = result
        return result

    def _analyse_local(self, node: ast.ClassDef) -> "LocalClass | None":
        if node.keywords or any(not self.plain_decorator(d)
                                for d in node.decorator_list):
            return None  # a metaclass or decorator may add members
        if node.name in self._subclassed or node.name.endswith(("Mixin", "Base")) or node.name.startswith(("Base", "Abstract")):
            return None  # self may be an instance of a subclass with more members
        own: set[str] = set(_bindings_of(node, None, self.scopes.table(node)))
        for stmt in walk(node):  # every node of the class: dispatched on its type
            kind = type(stmt)
            if kind is ast.Attribute:
                if isinstance(stmt.ctx, (ast.Store, ast.Del)):  # type: ignore[attr-defined]
                    own.add(stmt.attr)  # type: ignore[attr-defined]
                elif stmt.attr == "__dict__":  # type: ignore[attr-defined]
                    return None
            elif kind is ast.Call:
                func = stmt.func  # type: ignore[attr-defined]
                if isinstance(func, ast.Name) and func.id in ("setattr", "vars") or isinstance(func, ast.Attribute) and func.attr == "__setattr__":
                    return None  # any name (`object.__setattr__(self, name, value)` too)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                if stmt.name == "__new__" and new_returns_other(stmt):  # type: ignore[attr-defined,arg-type]
                    return None  # `__new__` may give another object (hatchling's `CustomBuilder`)
            elif kind is ast.Raise and "NotImplementedError" in ast.dump(stmt):
                return None  # written to be subclassed
        if own & {"__getattr__", "__getattribute__", "__slots__"} and own & {"__getattr__", "__getattribute__"}:
            return None
        bases: list[Value] = []
        base_members: dict[str, list[str]] = {}
        members: set[str] = set(own)
        model = False
        own_init = bool(own & {"__init__", "__new__"}) or writes_constructor(node)
        for expr in node.bases or [ast.Name(id="object")]:
            if isinstance(expr, ast.Name) and expr.id == "object":
                base = Value(OBJECT, "builtins.object")
            else:
                base = self.infer(expr)
            if base is None:
                return None
            if base.kind == LOCAL_CLASS:
                inner = self.local_class(base.path)
                if inner is None:
                    return None
                if inner.model and not _closed_model(node):
                    return None
                members |= inner.members
                bases += inner.bases
                base_members.update(inner.base_members)
                model = model or inner.model
                own_init = own_init or inner.own_init
                continue
            if base.kind != OBJECT:
                return None
            info = self.members.describe(base.path)
            if info is None or info.get("kind") != "class":
                return None
            instance = self.members.instance(base.path) or {}
            if (info.get("canonical") or base.path) == PYDANTIC_MODEL and "model_dump" in (info.get("members") or ()) \
                    and _closed_model(node):  # pydantic 2 (pydantic 1's models are not followed)
                # pydantic's __getattr__ serves private attributes (declared in the class body)
                # and extra fields (none unless extra="allow"): the set is the class's own names
                model = True
            elif not instance.get("complete") or info.get("instance_getattr") != "none" or info.get("getattr") != "none":
                return None
            names = list(instance.get("members") or [])
            bases.append(base)
            base_members[base.path] = names
            members |= set(names)
        if model and len(bases) != 1:
            return None  # another base's members and lookup besides BaseModel's: not followed
        return LocalClass(node.name, frozenset(own), frozenset(members), tuple(bases), base_members, model, own_init)

    def imported_module(self, node: ast.ImportFrom) -> str | None:
        return resolve_relative(self.module, self.is_package, node.level or 0, node.module)


_PROBES = frozenset({"setattr", "hasattr", "getattr", "delattr"})
_CASTS = frozenset({"typing.cast", "typing_extensions.cast"})


def attribute_probe(call: ast.Call) -> tuple[str, str] | None:
    """(function, attribute name) of ``setattr``/``hasattr``/``getattr``/``delattr`` with a literal name."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in _PROBES and len(call.args) >= 2:
        arg = call.args[1]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return func.id, arg.value
    return None


def _object_value(info: dict | None, path: str) -> Value | None:
    if info is None or not info.get("found"):
        return None
    kind = info.get("kind")
    if kind in ("module", "class", "function"):
        return Value(OBJECT, info.get("canonical") or path)
    if kind == "other" and info.get("getattr") == "none":
        return Value(OBJECT, path)
    return proxy_of(info, path) if kind == "other" else None


# -- bindings ----------------------------------------------------------------------------------


def _bindings_of(scope: ast.AST, owner: ast.ClassDef | None, table: ScopeTable) -> dict[str, list[Binding]]:
    """What kind of object each name of ``scope`` may hold, binding by binding: its parameters
    (``self``/``cls`` of a method of ``owner``), then the shared binding sites of its body."""
    found: dict[str, list[Binding]] = {}

    def bind(name: str, binding: Binding) -> None:
        found.setdefault(name, []).append(binding)

    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        positional = args.posonlyargs + args.args
        # a decorator may hand the function other values than its annotations say (a celery task
        # base class that turns `event: int` into an Event, pydantic's validate_call ...)
        trusted = isinstance(scope, ast.Lambda) or all(
            _decorator_name(d) in _TRANSPARENT_DECORATORS or _decorator_name(d) in ("property", "cached_property")
            or _decorator_name(d).endswith((".setter", ".getter", ".deleter")) for d in scope.decorator_list)
        for a in positional + args.kwonlyargs:
            ann = getattr(a, "annotation", None)
            if a is (positional[0] if positional else None) and owner is not None and ann is None:
                decorators = {_decorator_name(d) for d in scope.decorator_list}  # type: ignore[union-attr]
                if "staticmethod" in decorators:
                    bind(a.arg, Binding("unknown", None))
                elif "classmethod" in decorators:
                    bind(a.arg, Binding("cls", owner))
                elif decorators <= {"property", "cached_property", "abstractmethod", "override"} or all(
                        d.endswith((".setter", ".getter", ".deleter")) for d in decorators - {"property"}):
                    bind(a.arg, Binding("self", owner))
                else:
                    bind(a.arg, Binding("unknown", None))
                continue
            bind(a.arg, Binding("annotation", ann) if ann is not None and trusted else Binding("unknown", None))
        for a in (args.vararg, args.kwarg):
            if a is not None:
                bind(a.arg, Binding("unknown", None))
    for name, sites in table.sites.items():
        for site in sites:
            binding = _binding_of(site)
            if binding is not None:
                bind(name, binding)
    return found


def _binding_of(site: Site) -> Binding | None:
    kind, node, value, direct = site.kind, site.node, site.value, not site.unpacked
    if kind == "import":
        assert isinstance(value, ast.alias)
        if isinstance(node, ast.Import):
            path = value.name if value.asname else value.name.split(".")[0]
        else:
            base = node.module if not node.level else None  # type: ignore[attr-defined]
            path = f"{base}.{value.name}" if base else ""
        return Binding("import", node, path, node)
    index = site.index
    if kind == "comprehension":
        return Binding("iter", value, index=index) if direct or index else Binding("unknown", None)
    if kind == "assign":
        single = (direct or index) and len(node.targets) == 1  # type: ignore[attr-defined]
        return Binding("value", value, stmt=node, index=index or ()) if single else Binding("unknown", None, stmt=node)
    if kind == "annotated":
        return Binding("annotation", node.annotation, stmt=node) if direct else None  # type: ignore[attr-defined]
    if kind == "for":
        return Binding("iter", value, stmt=node, index=index or ()) if direct or index else Binding("unknown", None, stmt=node)
    if kind == "with":
        extra = "async" if isinstance(node, ast.AsyncWith) else ""
        return Binding("with", value, extra, stmt=node) if direct else Binding("unknown", None, stmt=node)
    if kind == "walrus":
        return Binding("value", value, stmt=node) if direct else Binding("unknown", None, stmt=node)
    if kind == "class":
        return Binding("class", node, stmt=node)
    if kind == "def":
        return Binding("def", node, stmt=node)
    if kind == "global":
        return None  # the names declared global or nonlocal are looked up elsewhere
    if kind == "except":
        return Binding("except", node, stmt=node)
    return Binding("unknown", None, stmt=node)  # augmented, delete, match
