"""A stub function's return type with its string type variable solved by the call's arguments:
``os.path.splitext("a.txt")`` is declared ``-> tuple[AnyOrLiteralStr, AnyOrLiteralStr]``, and a
``str`` argument makes it ``tuple[str, str]``.

Only the certain case: a type variable constrained to ``str`` and ``bytes`` (``AnyStr``,
``AnyOrLiteralStr``), bound by an argument that is exactly a ``str`` or ``bytes`` (a literal, or a
value already known to be exactly one), in the first overload that takes the call while every
overload before it certainly does not.  Anything else (an argument of unknown type, a parameter
of any other type): no answer, and :meth:`StubIndex.return_form` decides as before.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from vetpy.resolve import stubs as _stubs
from vetpy.resolve.stub_paramspec import forwarded_return
from vetpy.resolve.elements import _GENERIC, _parameters, _path, _stub_class, _typevars
from vetpy.resolve.stub_names import _named
from vetpy.resolve.stubs import Form, StubIndex
from vetpy.resolve.value import ANNOTATED, INSTANCE, OBJECT, Value

# The classes a constrained type variable of strings may stand for (LiteralString is a str).
_STRING_CONSTRAINTS = {"str": "builtins.str", "bytes": "builtins.bytes", "LiteralString": "builtins.str"}
# Protocols no exact str or bytes satisfies (neither has `__fspath__`).
_NOT_STRINGS = frozenset({"os.PathLike"})


def exact_string(value: Value | None) -> str | None:
    """``builtins.str``/``builtins.bytes`` when ``value`` is exactly one (a literal, or what the
    inference knows to be one, not from an annotation that a subclass may meet); else None."""
    if value is None or value.kind != INSTANCE or value.name == ANNOTATED or value.args:
        return None
    return value.path if value.path in ("builtins.str", "builtins.bytes") else None


def solved_return(stubs: StubIndex, module: str, qual: str, call: ast.Call,
                  infer: Callable[[ast.expr], Value | None], parents: dict[ast.AST, ast.AST] | None = None) -> Form:
    """The return form of the module function ``module.qual`` called by ``call``, with its
    str/bytes type variable replaced by the class of the argument bound to it (or, for a function
    that calls the one it is given, what that call gives); None when that is not certain or the
    return has no such variable.  ``infer``: what an argument is; ``parents``: the file's parent
    map (whether an ``async def``'s call is awaited)."""
    if "." in qual or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    found = stubs.definitions(module, qual)
    if found is None or found[0] is not None:
        return None
    _owner, defs, defining = found
    tree = stubs.tree(defining)
    if tree is None or defining in stubs._sources:
        return None
    verdicts = [stubs._on_target(tree.body, d) for d in defs]
    if None in verdicts:
        return None  # a def under a test of something else than the version
    defs = [d for d, on in zip(defs, verdicts) if on]
    if not defs or (len(defs) > 1 and not all(_stubs._is_overload(d) for d in defs)):
        return None
    forwarded = forwarded_return(tree, defining, defining in stubs._packages, defs, call, infer, parents or {})
    if forwarded is not None:  # `to_thread(load, path)`: what `load(path)` gives
        return forwarded
    for d in defs:
        verdict = _binding(stubs, tree, defining, d, call, lambda arg: exact_string(infer(arg)))
        if verdict is None:
            return None  # cannot tell whether this overload takes the call
        if verdict is False:
            continue
        form = stubs._annotation(tree, defining, None, d.returns)
        replaced, changed = _substituted(form, verdict)
        return replaced if changed else None
    return None


def _binding(stubs: StubIndex, tree: ast.Module, module: str, d: ast.FunctionDef | ast.AsyncFunctionDef,
             call: ast.Call, exact_class: Callable[[ast.expr], str | None]) -> dict[str, str] | bool | None:
    """The type variables (path -> class) the overload ``d`` binds when it certainly takes ``call``;
    False when it certainly does not; None when that depends on what is not known."""
    params = _stubs._parameters(d.args, drop_first=False)
    passed = _stubs._passed(call, params)
    if passed is None:
        return False
    bound: dict[str, str] = {}
    for name, arg in passed.items():
        annotation = params[name][0]
        if annotation is None:
            return None
        cls = exact_class(arg)
        if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
            head = _stubs._lookup(tree, module, annotation.value.id, module in stubs._packages)
            if head in _NOT_STRINGS and cls in ("builtins.str", "builtins.bytes"):
                return False  # `PathLike[AnyStr]` takes no str or bytes
            return None
        if not isinstance(annotation, ast.Name):
            return None
        path = _stubs._lookup(tree, module, annotation.id, module in stubs._packages)
        constraints = _string_constraints(stubs, path) if path else None
        if constraints is None or cls is None or cls not in constraints:
            return None
        if bound.get(path, cls) != cls:  # type: ignore[arg-type]
            return None  # the same variable bound to str and to bytes: no overload a checker takes
        bound[path] = cls  # type: ignore[index]
    return bound or None


def _string_constraints(stubs: StubIndex, path: str) -> set[str] | None:
    """The classes the type variable at ``path`` is constrained to, when it is defined once as
    ``TypeVar("T", str, bytes[, LiteralString])``; None for anything else."""
    module, _, name = path.rpartition(".")
    tree = stubs.tree(module) if module else None
    if tree is None:
        return None
    found = [s.value for s in _stubs._flat(tree.body) if isinstance(s, ast.Assign) and len(s.targets) == 1
             and isinstance(s.targets[0], ast.Name) and s.targets[0].id == name]
    if len(found) != 1 or not isinstance(found[0], ast.Call):
        return None
    typevar = found[0]
    if getattr(typevar.func, "id", getattr(typevar.func, "attr", "")) != "TypeVar" \
            or any(k.arg == "bound" for k in typevar.keywords):
        return None
    names = [getattr(c, "id", None) for c in typevar.args[1:]]
    if not {"str", "bytes"} <= set(names) or not all(n in _STRING_CONSTRAINTS for n in names):
        return None
    return {_STRING_CONSTRAINTS[n] for n in names}  # type: ignore[index]


def _substituted(form: Any, bound: dict[str, str]) -> tuple[Any, bool]:
    """``form`` with each bound type variable's path replaced by its class; whether any was."""
    if isinstance(form, str):
        return (bound[form], True) if form in bound else (form, False)
    if isinstance(form, tuple):
        parts = [_substituted(f, bound) for f in form]
        return tuple(p for p, _ in parts), any(c for _, c in parts)
    return form, False


def entered_value(stubs: StubIndex | None, cls: str, call: ast.expr | None,
                  infer: Callable[[ast.expr], Value | None]) -> Value | None:
    """What ``with cls() as x`` binds when the stub's class is generic in one str/bytes type
    variable that its first ``__init__`` overload fixes for a call with no arguments
    (``self: TemporaryDirectory[str]``), and its own ``__enter__`` returns that variable:
    an instance of that class.  None in any other case (arguments passed, a ``__new__``, a call of
    anything but the class itself, such as a factory declared to return ``TemporaryDirectory[bytes]``)."""
    if stubs is None or not isinstance(call, ast.Call) or call.args or call.keywords:
        return None
    made = infer(call.func)
    if made is None or made.kind != OBJECT or made.path != cls:
        return None
    module, _, name = cls.rpartition(".")
    init, enter = stubs.definitions(module, f"{name}.__init__"), stubs.definitions(module, f"{name}.__enter__")
    if not module or init is None or enter is None or stubs.definitions(module, f"{name}.__new__") is not None \
            or init[0] is None or init[0] is not enter[0] or init[2] != enter[2] or init[2] in stubs._sources:
        return None
    owner, defining = init[0], init[2]
    tree = stubs.tree(defining)
    generic = [b for b in owner.bases if isinstance(b, ast.Subscript) and isinstance(b.value, ast.Name)
               and b.value.id == "Generic" and isinstance(b.slice, ast.Name)]
    if tree is None or len(generic) != 1:
        return None
    variable = _stubs._lookup(tree, defining, generic[0].slice.id, defining in stubs._packages)  # type: ignore[attr-defined]
    constraints = _string_constraints(stubs, variable) if variable else None
    inits = _on_target(stubs, owner, init[1])
    enters = _on_target(stubs, owner, enter[1])
    if constraints is None or not inits or not enters or len(enters) != 1 or enters[0].decorator_list \
            or not all(_stubs._is_overload(d) for d in inits):
        return None
    first = inits[0]
    params = _stubs._parameters(first.args, drop_first=True)
    if _stubs._passed(call, params) is None or "*" in params or "**" in params:
        return None  # the first overload does not take a call without arguments
    selfs = first.args.posonlyargs + first.args.args
    me = selfs[0].annotation if selfs else None
    if not (isinstance(me, ast.Subscript) and isinstance(me.value, ast.Name) and me.value.id == owner.name
            and isinstance(me.slice, ast.Name)):
        return None
    fixed = _stubs._lookup(tree, defining, me.slice.id, defining in stubs._packages)
    returned = enters[0].returns
    if fixed not in constraints or not isinstance(returned, ast.Name) \
            or _stubs._lookup(tree, defining, returned.id, defining in stubs._packages) != variable:
        return None
    return Value(INSTANCE, fixed)  # type: ignore[arg-type]


def _on_target(stubs: StubIndex, owner: ast.ClassDef, defs: list) -> list | None:
    """The defs of a class body for the target Python; None when a test other than the version's
    stands around one."""
    verdicts = [stubs._on_target(owner.body, d) for d in defs]
    return None if None in verdicts else [d for d, on in zip(defs, verdicts) if on]


def entered_argument(stubs: StubIndex | None, cls: str, call: ast.expr | None,
                     infer: Callable[[ast.expr], Value | None], entering: str) -> Value | None:
    """What ``with cls(x) as y`` binds when the stub's ``entering`` method (``__enter__``, or
    ``__aenter__`` for ``async with``) is declared to return the type variable that the class's one
    ``__init__`` takes as the whole annotation of one parameter: the argument passed there, itself
    (``contextlib.closing(conn)`` enters as ``conn``).  The method is the class's own or a generic
    base's whose type parameter the class fills with that variable (``closing(AbstractContextManager[
    _SupportsCloseT, None])``).  None in any other case: a call of anything but the class itself,
    a typed source rather than a stub, an overloaded or decorated ``__init__``, a ``__new__``,
    ``*args``/``**kwargs`` on either side, the variable in any other parameter's annotation."""
    if stubs is None or not isinstance(call, ast.Call) or any(isinstance(a, ast.Starred) for a in call.args) \
            or any(k.arg is None for k in call.keywords):
        return None
    made = infer(call.func)
    located = _stub_class(stubs, cls) if made is not None and made.kind == OBJECT and made.path == cls else None
    if located is None or located[1] in stubs._sources or "__new__" in _named(located[2]):
        return None
    tree, module, node = located
    variable = _entered_variable(stubs, tree, module, node, entering, 0)
    inits = _named(node).get("__init__")
    if variable is None or not inits or len(inits) != 1 or not isinstance(inits[0], ast.FunctionDef) \
            or inits[0].decorator_list:
        return None
    params = _stubs._parameters(inits[0].args, drop_first=True)
    mentioning = [n for n, (a, _d) in params.items()
                  if a is not None and any(isinstance(x, ast.Name) and x.id == variable for x in ast.walk(a))]
    if "*" in params or "**" in params or len(mentioning) != 1 \
            or not isinstance(params[mentioning[0]][0], ast.Name):
        return None
    passed = _stubs._passed(call, params)
    argument = passed.get(mentioning[0]) if passed is not None else None
    return infer(argument) if argument is not None else None


def _entered_variable(stubs: StubIndex, tree: ast.Module, module: str, node: ast.ClassDef, entering: str,
                      depth: int) -> str | None:
    """The type variable of ``tree`` that the class's ``entering`` method is declared to return:
    its own method's, else the first base defining it (one level), through the type parameter the
    class fills there; None when unsure (a base that may inherit it from further up)."""
    own = _named(node).get(entering)
    if own is not None:
        method = own[0] if len(own) == 1 and isinstance(own[0], (ast.FunctionDef, ast.AsyncFunctionDef)) else None
        ret = method.returns if method is not None and not method.decorator_list else None
        return ret.id if isinstance(ret, ast.Name) and ret.id in _typevars(tree) else None
    if depth:
        return None
    for base in node.bases:
        head = base.value if isinstance(base, ast.Subscript) else base
        path = _path(tree, module, stubs, head)
        if path in _GENERIC or path in ("builtins.object", "abc.ABC"):
            continue
        found = _stub_class(stubs, path) if path else None
        if found is None:
            return None
        btree, bmodule, bnode = found
        if entering not in _named(bnode):
            if any(_path(btree, bmodule, stubs, b.value if isinstance(b, ast.Subscript) else b)
                   not in (*_GENERIC, "builtins.object", "abc.ABC") for b in bnode.bases):
                return None  # it may inherit the method from further up
            continue
        inner = _entered_variable(stubs, btree, bmodule, bnode, entering, depth + 1)
        order = _parameters(btree, bmodule, bnode, stubs)
        if inner is None or order is None or inner not in order or not isinstance(base, ast.Subscript):
            return None
        filled = base.slice.elts if isinstance(base.slice, ast.Tuple) else [base.slice]
        chosen = filled[order.index(inner)] if len(filled) == len(order) else None
        return chosen.id if isinstance(chosen, ast.Name) and chosen.id in _typevars(tree) else None
    return None
