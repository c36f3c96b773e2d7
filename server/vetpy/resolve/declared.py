"""What this file's own declarations make of a name: functions decorated by an installed
decorator declared to give an instance (``@click.group()``), decorators of this file whose
``functools.wraps`` wrapper returns what the function returns, ``contextmanager`` functions, the
getters of properties, the ``__init__`` that ``@dataclass`` / ``@attrs.define`` generate, and
whether a pydantic model's attribute set is closed.  A mixin of
:class:`vetpy.resolve.infer.Inference`: its methods use the inference's ``infer``, ``scopes``,
``call_result``, ``annotation_value`` and the rest."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from vetpy.astutil import parse
from vetpy.resolve.class_attributes import ClassAttributes
from vetpy.resolve.containers import ITERABLE
from vetpy.resolve.value import (CALLABLE, INSTANCE, LOCAL_FUNCTION, LOCAL_INSTANCE, OBJECT, UNION, Value, lower_bound,
                                 union_of)
from vetpy.resolve.yielded import yielded_value

_TUPLE = "builtins.tuple"
# Decorators after which a call still gives what the function returns.
_TRANSPARENT_DECORATORS = frozenset({"staticmethod", "classmethod", "cache", "lru_cache", "functools.cache",
                                     "functools.lru_cache", "override", "typing.override", "abstractmethod"})


class Declared(ClassAttributes):
    """This file's decorated functions, properties and generated constructors (mixed into Inference);
    class attributes' values come from :class:`ClassAttributes`."""

    def _decorated(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """What a function of this file decorated once by an installed decorator is, when the
        decorator's declared result is an instance of a class (``@click.group()``: a Group)."""
        if len(node.decorator_list) != 1:
            return None
        decorator = node.decorator_list[0]
        name = _decorator_name(decorator)
        if name in _TRANSPARENT_DECORATORS or name in ("property", "cached_property", "overload") or "." in name:
            return None  # calling it still gives what the function returns (or a property, a setter)
        if isinstance(decorator, ast.Call):
            made = self.infer(decorator)
        else:
            func = self.infer(decorator)
            if func is None or func.kind != OBJECT:
                return None
            # The call is made up here, a new node each time, so infer's guard (by node) cannot see
            # that solving it asks about this function again (a stub's type variable solved from
            # the argument: `contextmanager(f)` -> what is `f`? -> decorated by contextmanager ...).
            # The definition is the guard: asked again while being worked out, it is unknown.
            key = -id(node)  # negative: never the id of an expression infer is busy with
            if key in self._busy:
                return None
            self._busy.add(key)
            try:
                made = self.call_result(func, ast.Call(func=decorator, args=[ast.Name(id=node.name, ctx=ast.Load())], keywords=[]))
            finally:
                self._busy.discard(key)
            return made if made is not None and made.kind == INSTANCE else None
        if made is None or made.kind != CALLABLE or not made.args:
            return None
        return made.args[0]

    def function_node(self, key: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The definition of the function ``key`` of this file (a ``local-function`` value's path)."""
        return self._function_nodes.get(key)

    def class_node(self, key: str) -> ast.ClassDef | None:
        """The definition of the class ``key`` of this file (a ``local-class`` value's path)."""
        return self._local_nodes.get(key)

    def constructor(self, key: str) -> list[list[Any]] | None:
        """The parameters of the ``__init__`` that ``@dataclass`` / ``@attrs.define`` generates for
        the class ``key`` of this file ([name, kind, has default], kinds as ``inspect``'s: 1
        positional-or-keyword, 3 keyword-only), when every field and option is plain; else None."""
        node = self._local_nodes.get(key)
        if node is None or node.bases or node.keywords or len(node.decorator_list) != 1:
            return None
        decorator = node.decorator_list[0]
        maker = self.infer(decorator.func if isinstance(decorator, ast.Call) else decorator)
        family = FIELD_MAKERS.get(maker.path) if maker is not None and maker.kind == OBJECT else None
        if family is None or isinstance(decorator, ast.Call) and decorator.args:
            return None
        options = decorator.keywords if isinstance(decorator, ast.Call) else []
        if any(k.arg not in _PLAIN_OPTIONS or not isinstance(k.value, ast.Constant) for k in options):
            return None  # init=False, field_transformer, these ...: another __init__
        kw_only = any(k.arg == "kw_only" and k.value.value is True for k in options)
        if {"__init__", "__new__", "__signature__"} & set(self.scopes.table(node).sites):
            return None  # its own constructor, however bound
        params: list[list[Any]] = []
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in ("__init__", "__new__"):
                return None
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and self._field_call(stmt.value, family):
                return None  # `x = attr.ib()`: a field without an annotation
            if not isinstance(stmt, ast.AnnAssign):
                continue
            if not isinstance(stmt.target, ast.Name):
                return None
            ann = _annotation_head(stmt.annotation)
            if ann == "ClassVar":
                continue
            if ann == "KW_ONLY" and family == "dataclass":
                kw_only = True
                continue
            if ann is None:
                return None  # a string or computed annotation: ClassVar or not cannot be told
            name, default, only = stmt.target.id, stmt.value is not None, kw_only
            if isinstance(stmt.value, ast.Call) and self._field_call(stmt.value, family):
                if stmt.value.args or any(k.arg is None or k.arg == "alias" for k in stmt.value.keywords):
                    return None
                settings = {k.arg: k.value for k in stmt.value.keywords}
                init = settings.get("init")
                if init is not None:
                    if not isinstance(init, ast.Constant):
                        return None
                    if init.value is False:
                        continue
                default = bool({"default", "default_factory", "factory"} & set(settings))
                if "kw_only" in settings:
                    flag = settings["kw_only"]
                    if not isinstance(flag, ast.Constant):
                        return None
                    only = flag.value is True
            if family == "attrs":
                name = name.lstrip("_")  # attrs' default alias of a private field
            params.append([name, 3 if only else 1, default])
        return [p for p in params if p[1] == 1] + [p for p in params if p[1] == 3]

    def plain_decorator(self, decorator: ast.expr) -> bool:
        """Does the class decorator add no names but dunders and the class's own fields:
        ``dataclass``, ``total_ordering``, ``final``, attrs' ``define``/``frozen``/``mutable``
        with plain options (not ``these=``, ``field_transformer=``)?"""
        if _decorator_name(decorator) in ("dataclass", "total_ordering", "final"):
            return True
        maker = self.infer(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if maker is None or maker.kind != OBJECT or FIELD_MAKERS.get(maker.path) != "attrs":
            return False
        return not isinstance(decorator, ast.Call) or not decorator.args and all(
            k.arg in _PLAIN_OPTIONS and isinstance(k.value, ast.Constant) for k in decorator.keywords)

    def _field_call(self, call: ast.Call, family: str) -> bool:
        made = self.infer(call.func)
        return made is not None and made.kind == OBJECT and made.path in _FIELD_FUNCTIONS[family]

    def _keeps_result(self, decorator: ast.expr) -> bool:
        """Is ``decorator`` a decorator of this file (or a call of a decorator factory of this file)
        whose wrapper, made with ``functools.wraps(fn)``, returns what ``fn(...)`` returns?"""
        if isinstance(decorator, ast.Call):
            factory = self.infer(decorator.func)
            node = self._function_nodes.get(factory.path) if factory is not None and factory.kind == LOCAL_FUNCTION else None
            inner = _returned_def(node) if isinstance(node, ast.FunctionDef) and not node.decorator_list else None
            return inner is not None and self._wraps_only(inner)
        found = self.infer(decorator)
        node = self._function_nodes.get(found.path) if found is not None and found.kind == LOCAL_FUNCTION else None
        return isinstance(node, ast.FunctionDef) and not node.decorator_list and self._wraps_only(node)

    def _wraps_only(self, deco: ast.FunctionDef) -> bool:
        """``def deco(fn): @functools.wraps(fn) def wrapper(*a, **kw): ...; return fn(...); return wrapper``."""
        params = deco.args.posonlyargs + deco.args.args
        if len(params) != 1 or deco.args.vararg or deco.args.kwarg or deco.args.kwonlyargs:
            return False
        fn = params[0].arg
        wrapper = _returned_def(deco)
        if wrapper is None or isinstance(wrapper, ast.AsyncFunctionDef) or len(wrapper.decorator_list) != 1:
            return False
        marker = wrapper.decorator_list[0]
        if not (isinstance(marker, ast.Call) and len(marker.args) == 1 and not marker.keywords
                and isinstance(marker.args[0], ast.Name) and marker.args[0].id == fn):
            return False
        wraps = self.infer(marker.func)
        if wraps is None or wraps.kind != OBJECT or wraps.path != "functools.wraps":
            return False
        if len(self.scopes.table(deco).sites.get(fn, ())) or fn in self.scopes.table(wrapper).sites:
            return False  # `fn` rebound: the wrapper may call something else
        returns = _own_returns(wrapper)
        return bool(returns) and all(isinstance(r.value, ast.Call) and isinstance(r.value.func, ast.Name)
                                     and r.value.func.id == fn for r in returns)

    def _local_property(self, owner: Value, name: str) -> ast.FunctionDef | None:
        """The getter of the property ``name`` (``@property``, ``@functools.cached_property``) of a
        class of this file, when the class body binds the name only with it and its setter/deleter."""
        node = self._local_nodes.get(owner.path)
        if node is None:
            return None
        defs = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
        if len(defs) != len(self.scopes.table(node).sites.get(name, ())):
            return None  # also bound some other way
        getters = [d for d in defs if [_decorator_name(x) for x in d.decorator_list] in (["property"], ["cached_property"])]
        rest = [d for d in defs if d not in getters]
        if len(getters) != 1 or not isinstance(getters[0], ast.FunctionDef) or any(
                [_decorator_name(x) for x in d.decorator_list] not in ([f"{name}.setter"], [f"{name}.deleter"]) for d in rest):
            return None
        getter = getters[0]
        decorator = self.infer(getter.decorator_list[0])
        if decorator is None or decorator.kind != OBJECT or decorator.path not in ("builtins.property", "functools.cached_property"):
            return None
        return getter

    def _managed(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """What calling a generator function of this file decorated with ``contextlib.contextmanager``
        (``asynccontextmanager``) alone gives: the context manager, holding what the generator
        is annotated to yield (``Iterator[X]``, ``Generator[X, None, None]``), or with no
        annotation what its ``yield``s give (:func:`vetpy.resolve.yielded.yielded_value`)."""
        if len(node.decorator_list) != 1:
            return None
        decorator = self.infer(node.decorator_list[0])
        kinds = {"contextlib.contextmanager": "contextlib._GeneratorContextManager",
                 "contextlib.asynccontextmanager": "contextlib._AsyncGeneratorContextManager"}
        if decorator is None or decorator.kind != OBJECT or decorator.path not in kinds:
            return None
        if (decorator.path == "contextlib.contextmanager") != isinstance(node, ast.FunctionDef):
            return None
        if node.returns is None:  # unannotated: what its `yield`s give
            held = yielded_value(self, node)
        else:
            yielded = self.annotation_value(node.returns)
            held = yielded.args[0] if yielded is not None and yielded.kind == ITERABLE and len(yielded.args) == 1 else None
        return Value(INSTANCE, kinds[decorator.path], args=(held,) if held is not None else ())


    def annotated_return(self, returned: Value, annotation: ast.expr) -> Value | None:
        """What a function's ``return``s give, with what its return annotation says: the members
        of a union it allows (:meth:`declared_members`), and the items of a tuple that the
        ``return`` leaves unknown (``-> tuple[Engine, MetaData]`` returning ``engine,
        Base.metadata``: the second item is a MetaData, or of a subclass).  An item the body
        gives stays what it gives; an annotation of another shape, or ``Any``, completes nothing."""
        if returned.kind == UNION:
            return self.declared_members(returned, annotation)
        if returned.kind != INSTANCE or returned.path != _TUPLE or None not in returned.args:
            return returned
        declared = self.annotation_value(annotation)
        if declared is None or declared.kind != INSTANCE or declared.path != _TUPLE or len(declared.args) != len(returned.args):
            return returned
        return replace(returned, args=tuple(mine if mine is not None else lower_bound(said)
                                            for mine, said in zip(returned.args, declared.args)))

    def declared_members(self, returned: Value, annotation: ast.expr) -> Value | None:
        """The members of the union ``returned`` (what a function's ``return``s give) that its
        return ``annotation`` allows: those of a class it names, or that may be a subclass of one
        (whose class has every member that one has); None when it allows none of them or names
        no class (``-> pd.DataFrame`` around ``return pd.read_csv(...)``: the DataFrame, not the
        TextFileReader that ``chunksize=`` would give)."""
        declared = self.annotation_value(annotation)
        allowed = list(declared.args if declared is not None and declared.kind == UNION else (declared,))
        if not allowed or any(d is None or d.kind != INSTANCE for d in allowed):
            return None

        def members(path: str) -> set[str] | None:
            info = self.members.describe(path)
            return set(info.get("members") or ()) if info is not None and info.get("kind") == "class" else None

        def may_be(member: Value, cls: Value) -> bool:  # the class or (its members a superset) a subclass
            if member.kind != INSTANCE or member.path == cls.path:
                return True  # (a class of this file may be a subclass)
            mine, theirs = members(member.path), members(cls.path)
            return mine is None or theirs is None or theirs <= mine

        kept = [m for m in returned.args if m is not None and any(may_be(m, d) for d in allowed)]  # type: ignore[arg-type]
        return union_of(kept) if kept else None

    def _own_class_return(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """An instance of this file's class whose method ``node`` is annotated to return ``Self``
        or that class itself (``def make(cls) -> "Config"``): what ``self`` is in its methods."""
        owner = self.parents.get(node)
        if not isinstance(owner, ast.ClassDef) or node not in owner.body:
            return None
        ann = node.returns
        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                ann = parse(ann.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(ann, ast.Name) and ann.id == owner.name:
            found = self.lookup(ann.id, owner)
            if found and len(found) == 1 and found[0].kind == "class" and found[0].node is owner:
                return Value(LOCAL_INSTANCE, self._local_key(owner))
            return None
        if self._imported_path(ann) in ("typing.Self", "typing_extensions.Self"):  # type: ignore[arg-type]
            return Value(LOCAL_INSTANCE, self._local_key(owner))
        return None


PYDANTIC_MODEL = "pydantic.main.BaseModel"


# Class decorators that generate __init__ from annotated fields (also read by HAL004's
# replace()/evolve() check, rules/hal/replaced.py), and their field functions.
FIELD_MAKERS = {"dataclasses.dataclass": "dataclass",  # attrs' frozen/mutable are partials: named as imported
                **{f"{m}.{n}": "attrs" for m in ("attr._next_gen", "attrs", "attr") for n in ("define", "frozen", "mutable")}}


_FIELD_FUNCTIONS = {"dataclass": frozenset({"dataclasses.field"}),
                    "attrs": frozenset({"attr._next_gen.field", "attr._make.attrib"})}


_PLAIN_OPTIONS = frozenset({"frozen", "order", "eq", "repr", "unsafe_hash", "slots", "weakref_slot", "match_args", "hash",
                            "str", "cache_hash", "kw_only", "getstate_setstate"})


def _annotation_head(node: ast.expr) -> str | None:
    """The name an annotation is written with (``ClassVar`` of ``typing.ClassVar[int]``), None for
    a string annotation."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _closed_model(node: ast.ClassDef) -> bool:
    """Does the pydantic model class ``node`` keep its attribute set closed: no class keywords, no
    v1 ``class Config``, and a ``model_config`` (if any) a literal ``ConfigDict(...)``/dict whose
    ``extra`` is "ignore" or "forbid"?"""
    if node.keywords:
        return False
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            return False
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        if not any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
            continue
        value = stmt.value  # type: ignore[union-attr]
        if isinstance(value, ast.Call) and not value.args and all(k.arg for k in value.keywords):
            pairs = [(k.arg, k.value) for k in value.keywords]
        elif isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) for k in value.keys):
            pairs = [(k.value, v) for k, v in zip(value.keys, value.values)]  # type: ignore[union-attr]
        else:
            return False
        for key, item in pairs:
            if key == "extra" and not (isinstance(item, ast.Constant) and item.value in ("ignore", "forbid")):
                return False
    return True


def _own_returns(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return] | None:
    """Every ``return`` of the function's own body (not of nested functions); None in a generator."""
    returns: list[ast.Return] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        cur = stack.pop()
        if isinstance(cur, (ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(cur, ast.Return):
            returns.append(cur)
        if not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(cur))
    return returns


def _returned_def(node: ast.FunctionDef) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function defined in ``node``'s body that every ``return`` of ``node`` returns (a
    decorator returning its wrapper), when the body defines it once at its top level."""
    returns = _own_returns(node)
    if not returns or not all(isinstance(r.value, ast.Name) for r in returns):
        return None
    names = {r.value.id for r in returns}  # type: ignore[union-attr]
    if len(names) != 1:
        return None
    name = names.pop()
    defs = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
    others = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, (ast.Store, ast.Del))]
    return defs[0] if len(defs) == 1 and not others else None


def new_returns_other(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """May this ``__new__`` return something other than the instance it makes (hatchling's
    ``CustomBuilder.__new__`` returns a plugin's builder)?  Not when every ``return`` gives a
    ``X.__new__(...)`` call (``super().__new__(cls)``) or a name bound only to one."""
    def made(expr: ast.expr | None) -> bool:
        return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "__new__"
    returns = _own_returns(node)
    if not returns:
        return True
    binds = [(t.id, n.value) for n in ast.walk(node) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)]
    rebound = {name for name, value in binds if not made(value)}
    bound = {name for name, _ in binds} - rebound
    return not all(made(r.value) or isinstance(r.value, ast.Name) and r.value.id in bound for r in returns)


# class decorators that leave the constructor as it was
_KEEPS_CONSTRUCTOR = frozenset({"final", "total_ordering", "runtime_checkable", "unique"})


def writes_constructor(node: ast.ClassDef) -> bool:
    """May a decorator of the class write its constructor (mitmproxy's ``@dataclass class
    TrailersReceived(H3Event)``, aioquic's)?  Any but a few known ones may."""
    return any(_decorator_name(d) not in _KEEPS_CONSTRUCTOR for d in node.decorator_list)


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    while isinstance(target, ast.Attribute) and target.attr in ("setter", "getter", "deleter"):
        return f"{getattr(target.value, 'id', '?')}.{target.attr}"
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else "?"
