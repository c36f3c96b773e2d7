"""Signatures of this file's own callables, for HAL004 unknown-keyword and HAL005 bad-arity.

A function of this file called by its name has the parameters its ``def`` lists, unless a
decorator may change them: only decorators of this file that pass every call on unchanged
(``functools.wraps(fn)`` around ``return fn(*args, **kwargs)``) keep them, and installed ones whose
declared type keeps them as a type checker reads it (``@tenacity.retry(...)``), unless the
decorator's own source shows a wrapper that changes the call (the worker's ``keeps``:
``resolve/_worker_keeps.py``: ``(fn: F) -> F``, ``(fn: Callable[P, R]) -> Callable[P, X]`` or ``->
C[P, R]`` with ``C.__call__(self, *args: P.args, **kwargs: P.kwargs)``, and factories returning
such a decorator whose type variables none of their own parameters mention).  Its ``**kwargs`` is
closed when every use passes it on (``target(..., **kwargs)``) to callables whose own keywords are
closed, or reads a constant key (``kwargs.pop("retries", 3)``): then the keywords it takes are
the targets' (followed through the installed packages by the introspection worker).  An instance
of a class of this file, made by calling the class, is called through its ``__call__``.  A class of
this file that subclasses one installed class and defines no constructor takes the base's.

Signatures use the worker's form: ``{"params": [[name, kind, has default], ...], "forwards":
{"accepted": [...], "depends": [...]} | None}``, kinds as ``inspect.Parameter``'s.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from vetpy.resolve.declared import _returned_def
from vetpy.resolve.value import LOCAL_CLASS, LOCAL_FUNCTION, OBJECT, Value

Signature = dict[str, Any]
# What a callee is: (its signature or None, its label, its top-level module or "").
Resolved = tuple["Signature | None", str, str]
Resolver = Callable[[Value, ast.Call], Resolved]

_VAR_KEYWORD = 4


def parameters(fn: ast.FunctionDef | ast.AsyncFunctionDef, bound: bool = False, stub: bool = False) -> list[list[Any]]:
    """The parameters of ``fn`` as [name, kind, has default] (``bound``: without the first;
    ``stub``: a stub's ``__x`` is positional-only, the convention before PEP 570's ``/``)."""
    args = fn.args
    positional = [(a, 0) for a in args.posonlyargs] + [
        (a, 0 if stub and a.arg.startswith("__") and not a.arg.endswith("__") else 1) for a in args.args]
    first_default = len(positional) - len(args.defaults)
    params: list[list[Any]] = [[a.arg, kind, i >= first_default] for i, (a, kind) in enumerate(positional)]
    if args.vararg:
        params.append([args.vararg.arg, 2, False])
    params += [[a.arg, 3, d is not None] for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append([args.kwarg.arg, 4, False])
    return params[1:] if bound and params and params[0][1] in (0, 1) else params


def stub_positional(stubs: Any, owner: str | None, name: str) -> dict[str, Any] | None:
    """What a call of the method ``name`` of the compiled class ``owner`` (the standard library's,
    or one its package's own ``.pyi`` declares) is checked against when its runtime signature is
    unknown (``date.strftime``): the positional parameters its stub declares (without ``*args``),
    every one optional and the keywords open, so only more positional arguments than it takes are
    reported (a stub may name a parameter otherwise than the runtime, or mark a default it lacks)."""
    fn = stubs.compiled_method(owner, name) if stubs is not None and owner else None
    return _positional_only(fn)


def _positional_only(fn: ast.FunctionDef | None) -> dict[str, Any] | None:
    if fn is None or fn.args.vararg is not None:
        return None
    params = [[p[0], p[1], True] for p in parameters(fn, bound=True, stub=True) if p[1] in (0, 1)]
    return {"params": [*params, ["kwargs", 4, False]], "forwards": None}


def stub_constructor(stubs: Any, canonical: str | None, path: str,
                     same: Callable[[str], bool] = lambda _path: False) -> dict[str, Any] | None:
    """What calling a compiled class whose runtime signature is unknown is checked against: the
    standard library's stub ``__new__`` / ``__init__`` of its canonical class, as declared; for an
    installed package's class, the one its package's own ``.pyi`` declares under the canonical path,
    the path it was reached by, or the class's name in a parent package that ``same`` says is the
    very class at run time (``frozenlist._frozenlist.FrozenList`` is ``frozenlist.FrozenList``,
    declared in ``frozenlist/__init__.pyi``), checked like :func:`stub_positional` (too many
    positional arguments only: a package's stub is less exact than typeshed's)."""
    if stubs is None:
        return None
    first = canonical or path
    if first.split(".")[0] in stubs.stdlib_names:
        init = stubs.constructor(first)
        return {"params": parameters(init, bound=True, stub=True), "forwards": None} if init is not None else None
    module, _, name = first.rpartition(".")
    parts = module.split(".")
    parents = [f"{'.'.join(parts[:i])}.{name}" for i in range(len(parts) - 1, 0, -1)]
    for candidate in dict.fromkeys((first, path, *(p for p in parents if p != path and same(p)))):
        found = _positional_only(stubs.constructor(candidate))
        if found is not None:
            return found
    return None


class LocalSignatures:
    """Signatures of the functions and callable instances of one document.  ``resolve`` answers
    what any callee value is (the checker's own ``_signature``, installed callees included)."""

    def __init__(self, inference: Any, resolve: Resolver) -> None:
        self.inference = inference
        self.resolve = resolve
        self._busy: set[str] = set()  # functions whose forwarding is being worked out
        self._memo: dict[str, Signature | None] = {}

    def function(self, func: Value, call_func: ast.expr) -> Resolved:
        """A function of this file called by its name (never a method: ``self.m()`` may reach a
        subclass's override in another file)."""
        node = self.inference.function_node(func.path)
        if node is None or not isinstance(call_func, ast.Name) or self._in_class_body(node):
            return None, "", ""
        if not all(self._passes_through(d) or self._declared_keeping(d) for d in node.decorator_list):
            return None, "", ""
        return self._function_signature(func.path, node), node.name, ""

    def decorated(self, call_func: ast.expr) -> Resolved:
        """A function of this file, bound once to its name, whose decorators are declared to give
        back its parameters (``@tenacity.retry(...)``: the inference knows it as the decorator's
        result, an instance of a class whose ``__call__`` takes ``*args: P.args, **kwargs: P.kwargs``)."""
        bindings = self.inference.lookup(call_func.id, call_func) if isinstance(call_func, ast.Name) else None
        if not bindings or len(bindings) != 1 or bindings[0].kind != "def":
            return None, "", ""
        node = bindings[0].node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or self._in_class_body(node) \
                or not node.decorator_list or not any(self._declared_keeping(d) for d in node.decorator_list):
            return None, "", ""
        if not all(self._passes_through(d) or self._declared_keeping(d) for d in node.decorator_list):
            return None, "", ""
        return self._function_signature(f"{node.name}@{node.lineno}", node), node.name, ""

    def callable_instance(self, value: Value, call_func: ast.expr) -> Resolved:
        """``obj(...)`` where ``obj`` was bound to a new instance of a class of this file."""
        if not isinstance(call_func, ast.Name):
            return None, "", ""
        bindings = self.inference.lookup(call_func.id, call_func)
        if not bindings or any(b.kind != "value" or b.index or not isinstance(b.node, ast.Call) for b in bindings):
            return None, "", ""  # `self(...)`, a factory's result: an instance of a subclass may be called
        for b in bindings:
            made = self.inference.infer(b.node.func)
            if made is None or made.kind != LOCAL_CLASS or made.path != value.path:
                return None, "", ""
        local = self.inference.local_class(value.path)
        node = self.inference.class_node(value.path)
        if local is None or node is None or "__call__" not in local.own:
            return None, "", ""
        defs = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__call__"]
        if len(defs) != 1 or defs[0].decorator_list or len(self.inference.scopes.table(node).sites.get("__call__", ())) != 1:
            return None, "", ""  # inherited, or bound some other way: not followed
        key = f"{node.name}.__call__@{defs[0].lineno}"
        return self._function_signature(key, defs[0], bound=True), f"{node.name}.__call__", ""

    def installed_subclass(self, local: Any) -> Resolved:
        """A class of this file (``LocalClass``, defining no ``__init__``/``__new__``) whose one base
        is an installed class: calling it runs the base's constructor, unless the base, its bases or
        its metaclass make one per subclass (``@dataclass_transform``, ``__init_subclass__``).  Its
        ``**kwargs`` stay open (the keywords it forwards may reach methods the subclass overrides)."""
        if len(local.bases) != 1 or local.bases[0].path.startswith("builtins.") or "__signature__" in local.own:
            return None, "", ""
        base = local.bases[0]
        info = self.inference.members.describe(base.path) or {}
        sig = info.get("signature")
        if info.get("kind") != "class" or info.get("transforms") is not False or info.get("getattr") != "none" \
                or sig is None:
            return None, "", ""
        return {"params": sig.get("params") or [], "forwards": None}, local.name, base.path.split(".")[0]

    # -- helpers ---------------------------------------------------------------------------------
    def _in_class_body(self, node: ast.AST) -> bool:
        return isinstance(self.inference.parents.get(node), ast.ClassDef)

    def _function_signature(self, key: str, node: ast.FunctionDef | ast.AsyncFunctionDef,
                            bound: bool = False) -> Signature | None:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return None  # a cycle: open
        self._busy.add(key)
        try:
            params = parameters(node, bound)
            forwards = None
            if node.args.kwarg is not None:
                forwards = self._forwards(node, node.args.kwarg.arg)
            result: Signature = {"params": params, "forwards": forwards}
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def _forwards(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, kwname: str) -> dict[str, Any] | None:
        """The keywords ``**kwname`` can carry without a ``TypeError``, when every use passes it on
        to closed callees or reads a constant key; else None (open)."""
        uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == kwname]
        forwarded: dict[int, ast.Call] = {}
        consumed: set[str] = set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                for k in node.keywords:
                    if k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwname:
                        forwarded[id(k.value)] = node
                func = node.func
                if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == kwname
                        and func.attr in ("pop", "get") and node.args and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str) and not any(isinstance(a, ast.Starred) for a in node.args)):
                    consumed.add(node.args[0].value)
                    forwarded[id(func.value)] = None  # type: ignore[assignment]  # a read of one known key
        if not uses or any(id(u) not in forwarded for u in uses):
            return None  # also stored, tested, iterated or passed some other way
        calls = [c for c in forwarded.values() if c is not None]
        if not calls:
            return None
        accepted: set[str] = set(consumed)
        depends: set[str] = set()
        through: set[str] = set()  # methods of instances known by a declared return (the worker's)
        own = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
        for call in calls:
            if isinstance(call.func, ast.Name) and call.func.id in own:
                return None  # a callable parameter: whatever the caller passes
            target = self.inference.infer(call.func)
            if target is None:
                return None
            sig, _label, _module = self.resolve(target, call)
            if sig is None:
                return None
            given = {k.arg for k in call.keywords if k.arg}
            for name, kind, _default in sig.get("params") or []:
                if kind == _VAR_KEYWORD:
                    inner = sig.get("forwards")
                    if inner is None or set(inner.get("depends") or ()) & given:
                        return None
                    accepted.update(inner.get("accepted") or ())
                    depends.update(inner.get("depends") or ())
                    through.update(inner.get("through") or ())
                elif kind in (1, 3):
                    accepted.add(name)
        return {"accepted": sorted(accepted), "depends": sorted(depends), **({"through": sorted(through)} if through else {})}

    def _declared_keeping(self, decorator: ast.expr) -> bool:
        """Is ``decorator`` an installed function (``@deco``) or its call (``@deco(...)``) whose
        declared type gives back the decorated function's parameters (the worker's ``keeps``)?  As a
        type checker picks the overload: for ``@deco``, the first one taking one positional argument
        must keep them (every function meets its parameter); for ``@deco(...)``, every one taking
        the call's arguments must be a factory of such a decorator (which one a checker picks
        depends on the arguments' types)."""
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if not isinstance(target, (ast.Name, ast.Attribute)):
            return False
        found = self.inference.infer(target)
        if found is None or found.kind != OBJECT:
            return False
        info = self.inference.members.describe(found.path) or {}
        overloads = info.get("keeps")
        if info.get("kind") != "function" or not overloads:
            return False
        if call is None:
            first = next((kind for params, kind in overloads if _binds(params, 1, [])), None)
            return first == "keeps"
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return False  # `*args` / `**options`: which overload takes them is not known
        taking = [kind for params, kind in overloads if _binds(params, len(call.args), [k.arg for k in call.keywords])]
        return bool(taking) and all(kind == "factory" for kind in taking)

    def _passes_through(self, decorator: ast.expr) -> bool:
        """Is ``decorator`` a decorator of this file, ``def deco(fn)`` returning its one wrapper
        ``@functools.wraps(fn) def wrapper(*args, **kwargs)`` that calls ``fn(*args, **kwargs)``
        before anything that may end it, and uses ``args``/``kwargs`` for nothing else?"""
        found = self.inference.infer(decorator) if isinstance(decorator, ast.Name) else None
        deco = self.inference.function_node(found.path) if found is not None and found.kind == LOCAL_FUNCTION else None
        if not isinstance(deco, ast.FunctionDef) or deco.decorator_list:
            return False
        params = deco.args.posonlyargs + deco.args.args
        if len(params) != 1 or deco.args.vararg or deco.args.kwarg or deco.args.kwonlyargs:
            return False
        fn = params[0].arg
        wrapper = _returned_def(deco)
        if not isinstance(wrapper, ast.FunctionDef) or len(wrapper.decorator_list) != 1:
            return False
        marker = wrapper.decorator_list[0]
        if not (isinstance(marker, ast.Call) and len(marker.args) == 1 and not marker.keywords
                and isinstance(marker.args[0], ast.Name) and marker.args[0].id == fn):
            return False
        wraps = self.inference.infer(marker.func)
        if wraps is None or wraps.kind != OBJECT or wraps.path != "functools.wraps":
            return False
        if any(isinstance(n, ast.Name) and n.id == fn and not isinstance(n.ctx, ast.Load) for n in ast.walk(deco)) \
                or any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(deco)):
            return False  # `fn` rebound: the wrapper may call something else
        a = wrapper.args
        if a.posonlyargs or a.args or a.kwonlyargs or a.vararg is None or a.kwarg is None:
            return False
        args, kwargs = a.vararg.arg, a.kwarg.arg
        passes = [n for n in ast.walk(wrapper) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                  and n.func.id == fn and len(n.args) == 1 and isinstance(n.args[0], ast.Starred)
                  and isinstance(n.args[0].value, ast.Name) and n.args[0].value.id == args and len(n.keywords) == 1
                  and n.keywords[0].arg is None and isinstance(n.keywords[0].value, ast.Name)
                  and n.keywords[0].value.id == kwargs]
        uses = [n for n in ast.walk(wrapper) if isinstance(n, ast.Name) and n.id in (args, kwargs)]
        if not passes or len(uses) != 2 * len(passes):
            return False
        for stmt in wrapper.body:  # the first pass runs unless a statement before it raises
            if isinstance(stmt, (ast.Expr, ast.Return, ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
                if value in passes:
                    return True
            if any(isinstance(n, (ast.Return, ast.Raise, ast.Try, ast.Yield, ast.YieldFrom, ast.Break, ast.Continue,
                                  ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
                   or type(n).__name__ == "TryStar" for n in ast.walk(stmt)):
                return False  # may end (or catch) before passing the call on
        return False


def _binds(params: list[list[Any]], positional: int, keywords: list[Any]) -> bool:
    """Does a call with ``positional`` arguments and these keywords bind to ``params`` (the
    worker's form) by count and name alone?"""
    slots = [p for p in params if p[1] in (0, 1)]
    if positional > len(slots) and not any(p[1] == 2 for p in params):
        return False
    filled = {p[0] for p in slots[:positional]}
    names = {p[0] for p in params if p[1] in (1, 3)}
    open_keywords = any(p[1] == _VAR_KEYWORD for p in params)
    for k in keywords:
        if k in filled or (k not in names and not open_keywords):
            return False
        filled.add(k)
    return all(p[2] or p[0] in filled for p in params if p[1] in (0, 1, 3))
