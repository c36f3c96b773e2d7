"""EDGE009's installed None sources: functions and methods of installed code whose stub or
annotation says they return None sometimes."""

from __future__ import annotations

import ast
from typing import Any

from vetpy import reads
from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.semantic.document import document_inference
from vetpy.resolve.infer import INSTANCE, METHOD, OBJECT, Inference, Value
from vetpy.rules.edge.facts import Module


# Mapping `.get()`: the dedicated check judges it (known dicts only, literal keys exempt).
MAPPING_MODULES = frozenset({"builtins", "collections", "_collections_abc", "typing", "os", "types"})
# Declared Optional for other Python implementations only (CPython always has frames), or for
# arguments nobody passes: `inspect.getmodule()` is None only for an object without a
# `__module__` (an instance of a builtin type); of a class or a function it is its module.
IMPLEMENTATION_NONE = frozenset({"inspect.currentframe", "inspect.getmodule"})
DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
NOT_A_VALUE = frozenset({"Any", "Incomplete", "MaybeNone"})  # in a union: the stub does not commit


class InstalledOptional:
    """Answers "is this call's result None sometimes?" from the installed callee: its stub
    (typeshed for the standard library, a package's own ``.pyi``, ``*-stubs``), else its own
    return annotation read by the introspection worker.  Silent (None) whenever unsure."""

    def __init__(self, doc: Document, ctx: AnalysisContext, members: Any, stubs: Any) -> None:
        self.doc = doc
        self.ctx = ctx
        self.members = members
        self.stubs = stubs
        self._inference: Inference | None = None
        self._answers: dict[int, str | None] = {}

    @classmethod
    def of(cls, doc: Document, ctx: AnalysisContext) -> "InstalledOptional | None":
        members = ctx.members
        if ctx.environment is None or ctx.resolver is None or members is None:
            return None
        return cls(doc, ctx, members, ctx.stubs)

    @property
    def inference(self) -> Inference:
        if self._inference is None:
            self._inference = document_inference(self.doc, self.ctx, self.members)
        return self._inference

    def reason(self, call: ast.Call) -> str | None:
        key = id(call)
        if key not in self._answers:
            self._answers[key] = self._reason(call) if _plain_call(call) else None
        return self._answers[key]

    def _dependency(self, name: ast.expr, call: ast.Call) -> Value | None:
        """What a FastAPI dependency parameter holds, by its annotation: ``session: Session =
        Depends(get_session)`` in a route (whose decorator makes the inference distrust
        annotations, as it must for decorators in general).  Only a parameter the function never
        binds again."""
        if not isinstance(name, ast.Name):
            return None
        mod = Module.of(self.doc)
        scope = mod.enclosing_functions.get(id(call))
        if scope is None:
            return None
        args = scope.args
        positional = args.posonlyargs + args.args
        defaults: dict[str, ast.expr] = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        param = next((a for a in positional + args.kwonlyargs if a.arg == name.id), None)
        default = defaults.get(name.id)
        if param is None or param.annotation is None or not isinstance(default, ast.Call) \
                or mod.qname(default.func) not in DEPENDS:
            return None
        if any(isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load) for n in ast.walk(scope)):
            return None
        return self.inference.annotation_value(param.annotation)

    def _orm_session(self, name: ast.expr, call: ast.Call) -> Value | None:
        """A synchronous SQLAlchemy session the function makes (``with SessionLocal() as session``,
        ``SessionLocal = sessionmaker(...)`` here or in another module of the project): EDGE013's
        :class:`~.blocking_calls.Facts` knows it.  Not a parameter."""
        from vetpy.rules.edge.blocking_calls import Facts  # the None rules load it only for this

        if not isinstance(name, ast.Name):
            return None
        mod = Module.of(self.doc)
        scope = mod.enclosing_functions.get(id(call))
        if scope is None or name.id in {a.arg for a in scope.args.posonlyargs + scope.args.args + scope.args.kwonlyargs}:
            return None  # a parameter: its annotation, which the inference judges (and _dependency)
        # asked for each call on the name: answered once per (name, function) of the analysis
        kinds = self.doc.shared.setdefault("edge.orm_session_kinds", {})
        key = (name.id, id(scope))
        if key not in kinds:
            kinds[key] = Facts(mod, self.ctx, self.doc.path).kind(name, scope)
        if kinds[key] != "session":
            return None
        return Value(INSTANCE, "sqlalchemy.orm.session.Session")

    def _reason(self, call: ast.Call) -> str | None:
        func = call.func
        root = func
        while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
            root = root.value if not isinstance(root, ast.Call) else root.func
        if not isinstance(root, ast.Name) or root.id in ("self", "cls"):
            return None  # members of this file's classes: their own code, judged elsewhere
        if func is root and root.id not in Module.of(self.doc).imports.names:
            return None  # builtins and functions of this file are judged elsewhere
        receiver = self.inference.infer(func.value) if isinstance(func, ast.Attribute) else None
        if receiver is None and isinstance(func, ast.Attribute):
            receiver = self._dependency(func.value, call) or self._orm_session(func.value, call)
        if receiver is not None and receiver.kind == INSTANCE:
            assert isinstance(func, ast.Attribute)
            value: Value | None = Value(METHOD, receiver.path, func.attr)  # C methods too (stubs only)
        else:
            value = self.inference.infer(func)
        if value is None:
            return None
        if value.kind == OBJECT:
            info = self.members.describe(value.path)
            if not info or info.get("kind") != "function":
                return None
            target, bound = info.get("canonical") or value.path, False
        elif value.kind == METHOD:
            info = self.members.method(value.path, value.name)
            if not info or not info.get("found") or info.get("kind") not in ("function", "other"):
                return None
            owner = str(info.get("owner") or value.path)
            if value.name == "get" and owner.split(".")[0] in MAPPING_MODULES:
                return None
            target, bound = f"{owner}.{value.name}", True
        else:
            return None
        if target in IMPLEMENTATION_NONE:
            return None
        if target.endswith("Session.get") and len(call.args) > 1 and isinstance(call.args[1], ast.Attribute):
            return None  # session.get(Customer, invoice.customer_id): a foreign key of a loaded row names a row that exists
        shown = ".".join(target.split(".")[-2:]) if bound else target
        stub = self._stub_annotation(target, call, bound)
        if stub is not None:  # the stub has the function: it decides (it knows the overloads)
            return f"`{shown}()` is declared to return `{stub}`" if stub else None
        runtime = info.get("optional")
        if not isinstance(runtime, str) or _supplies_default(call, _runtime_params(info.get("signature"))):
            return None
        return f"`{shown}()` is declared to return `{runtime}`"

    def _stub_annotation(self, target: str, call: ast.Call, bound: bool) -> str | None:
        """The Optional return annotation the stub gives for this call, "" when the stub defines
        the function but this call does not return None (or it can't tell), None without a stub.
        Kept on the stub index for the call's shape (what :func:`_bound_names` reads of it: the
        number of positional arguments and the keywords' names; the call is plain) across
        analyses, except while the reads of an analysis are recorded for the result cache."""
        if self.stubs is None:
            return None
        if reads.active():
            return self._read_stub_annotation(target, call, bound)
        key = ("edge.stub-optional", target, bound, len(call.args), tuple(k.arg for k in call.keywords))
        derived = self.stubs.derived
        if key not in derived:
            derived[key] = self._read_stub_annotation(target, call, bound)
        return derived[key]  # type: ignore[no-any-return]

    def _read_stub_annotation(self, target: str, call: ast.Call, bound: bool) -> str | None:
        parts = target.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:i])
            if self.stubs.tree(module) is None:
                continue
            found = self.stubs.definitions(module, ".".join(parts[i:]))
            if found is None:
                return None
            owner, defs, _ = found
            applicable = []
            for d in defs:
                decorators = {(dotted_name(x) or "").rsplit(".", 1)[-1] for x in d.decorator_list}
                drop = owner is not None and ("classmethod" in decorators or (bound and "staticmethod" not in decorators))
                params = _stub_params(d.args, drop)
                if not _accepts(call, params):
                    continue
                if _supplies_default(call, params):
                    # one reading of the call passes a fallback (werkzeug's MultiDict.get(key, "csv"),
                    # which another overload reads as ``get(key, type)``): whichever it is, not certain
                    return ""
                applicable.append(d)
            returning = [d for d in applicable if not _is_no_return(d.returns)]
            if returning and all(_stub_union_with_none(d.returns) for d in returning):
                return ast.unparse(returning[0].returns)  # type: ignore[arg-type]
            return ""
        return None


Param = tuple[str, int, bool]  # name, inspect kind (0 positional-only ... 4 **kwargs), has a default


def _plain_call(call: ast.Call) -> bool:
    """No ``*args``/``**kwargs``: which parameters receive arguments is known."""
    return not any(isinstance(a, ast.Starred) for a in call.args) and all(k.arg for k in call.keywords)


def _runtime_params(signature: object) -> list[Param] | None:
    if not isinstance(signature, dict) or not isinstance(signature.get("params"), list):
        return None
    return [(str(p[0]), int(p[1]), bool(p[2])) for p in signature["params"]]


def _stub_params(args: ast.arguments, drop_first: bool) -> list[Param]:
    positional = [(a.arg, 0) for a in args.posonlyargs] + [(a.arg, 1) for a in args.args]
    defaults = len(args.defaults)
    params: list[Param] = [(n, k, i >= len(positional) - defaults) for i, (n, k) in enumerate(positional)]
    if args.vararg is not None:
        params.append((args.vararg.arg, 2, True))
    params += [(a.arg, 3, d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        params.append((args.kwarg.arg, 4, True))
    return params[1:] if drop_first and params and params[0][1] in (0, 1) else params


def _bound_names(call: ast.Call, params: list[Param]) -> set[str] | None:
    """The parameters this call passes an argument to, None when it does not fit."""
    positional = [p for p in params if p[1] in (0, 1)]
    passed = {p[0] for p in positional[: len(call.args)]}
    if len(call.args) > len(positional) and not any(p[1] == 2 for p in params):
        return None
    by_name = {p[0] for p in params if p[1] in (1, 3)}
    for kw in call.keywords:
        if kw.arg in by_name:
            passed.add(kw.arg)  # type: ignore[arg-type]
        elif not any(p[1] == 4 for p in params):
            return None
    if any(p[1] in (0, 1, 3) and not p[2] and p[0] not in passed for p in params):
        return None  # a required parameter is missing
    return passed


def _accepts(call: ast.Call, params: list[Param]) -> bool:
    return _bound_names(call, params) is not None


def _supplies_default(call: ast.Call, params: list[Param] | None) -> bool:
    """Does the call pass a fallback value (``get(key, default)``)?  True when unsure."""
    if params is None:
        return True
    passed = _bound_names(call, params)
    return passed is None or any("default" in name or name == "fallback" for name in passed)


def _stub_union_with_none(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Subscript):
        name = (dotted_name(node.value) or "").rsplit(".", 1)[-1]
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if name == "Optional":
            members = [*inner, ast.Constant(None)]
        elif name == "Union":
            members = list(inner)
        else:
            return False
    else:
        members = _union_members(node) if node is not None else []
    names = {(dotted_name(m) or "").rsplit(".", 1)[-1] for m in members}
    return (
        len(members) > 1
        and any(isinstance(m, ast.Constant) and m.value is None for m in members)
        and not names & NOT_A_VALUE
    )


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _is_no_return(node: ast.expr | None) -> bool:
    return (dotted_name(node) or "").rsplit(".", 1)[-1] in ("NoReturn", "Never") if node is not None else False
