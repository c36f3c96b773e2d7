"""Stdlib-only introspection worker, run INSIDE the target interpreter (never imported by vetpy).

Started as ``python -c <this source> ROOT...`` in a neutral working directory, it reads one JSON
request per line on stdin and writes one JSON answer per line on a private copy of stdout
(whatever imported packages print goes to stderr).  ROOTs are the project roots: a module whose
file lies under one of them is first-party and is never imported.

Requests (every answer carries the request's ``id``):
    {"op": "describe", "path": "pkg.mod.Name"}
        -> {"found": true, "kind": "module"|"class"|"function"|"other", "canonical": ...,
            "members": [...], "getattr": "none"|"data"|"any", "instance": {...}|null,
            "signature": {...}|null, "returns": ...}
        or {"found": false, "missing": "name", "owner": "pkg.mod", "explanation": ...}
        or {"error": "..."} when the path cannot be verified (import failed, first-party).
    {"op": "attribute", "path": "pkg.mod", "name": "x"}
        -> {"exists": true|false|null, "explanation": str|null}   (modules with __getattr__)
    {"op": "ping"} -> {"ok": true}
"""

import ast
import importlib
import importlib.util
import inspect
import json
import os
import site
import sys
import textwrap
import types

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

ROOTS = [os.path.realpath(r) for r in sys.argv[1:]]
# installed code, even when the environment lives inside a project root (a project's .venv)
_SITE = [os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages()] if p]
_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr

_GENERIC_MISSING = ("has no attribute", "cannot import name")
# Classes whose __getattr__ serves data (never methods): a CALLED missing name is still an error.
_DATA_GETATTR = {"pandas.core.generic.NDFrame", "pydantic.main.BaseModel"}
# Annotations that say nothing about the value (typing.Any is a class since Python 3.11).
_NOT_A_CLASS = {"typing.Any", "typing_extensions.Any", "builtins.object", "typing.NoReturn", "typing.Never"}
# Metaclasses whose __getattr__ only serves names that dir() already lists (enum members).
_MEMBER_GETATTR = {"enum.EnumMeta", "enum.EnumType"}


def _under_roots(path):
    if not path:
        return False
    real = os.path.realpath(path)
    if any(real.startswith(p + os.sep) for p in _SITE):
        return False
    return any(real == r or real.startswith(r + os.sep) for r in ROOTS)


def _import(module):
    """Import an installed module; refuse first-party code."""
    top = module.split(".")[0]
    if top not in sys.modules:
        spec = importlib.util.find_spec(top)
        if spec is None:
            raise ImportError("no module named %r" % top)
        locations = list(spec.submodule_search_locations or []) + [spec.origin or ""]
        if any(_under_roots(p) for p in locations):
            raise PermissionError("first-party module %s is never imported" % top)
    mod = importlib.import_module(module)
    if _under_roots(getattr(mod, "__file__", None)):
        raise PermissionError("first-party module %s is never imported" % module)
    return mod


def _resolve(path):
    """Import the longest importable prefix of ``path`` and walk the rest with getattr.

    Returns (object, None) or (None, {"missing": ..., "owner": ..., "explanation": ...})."""
    parts = path.split(".")
    obj = None
    i = len(parts)
    last_error = None
    while i > 0:
        name = ".".join(parts[:i])
        try:
            obj = _import(name)
            break
        except PermissionError:
            raise
        except ModuleNotFoundError as exc:
            last_error = exc
            if exc.name is not None and not name.startswith(exc.name) and not exc.name.startswith(name):
                raise  # the module exists but needs something that is not installed
            i -= 1
    if obj is None:
        raise ImportError(str(last_error or "cannot import %s" % path))
    owner = ".".join(parts[:i])
    for part in parts[i:]:
        try:
            obj = getattr(obj, part)
        except ModuleNotFoundError:
            raise
        except Exception as exc:  # AttributeError, or a module __getattr__'s own explanation
            if isinstance(obj, types.ModuleType):
                sub = "%s.%s" % (obj.__name__, part)
                try:
                    if importlib.util.find_spec(sub) is not None:
                        obj = _import(sub)
                        owner = sub
                        continue
                except (ImportError, ValueError):
                    pass
            return None, {"missing": part, "owner": owner, "explanation": _explanation(exc, part)}
        owner = owner + "." + part
    return obj, None


def _explanation(exc, name):
    text = str(exc).strip()
    if not text or isinstance(exc, AttributeError) and any(g in text for g in _GENERIC_MISSING):
        return None
    if " " not in text or text.strip("'\"`") == name:
        return None  # just the name, not an explanation
    return text.splitlines()[0][:400] if len(text) > 400 else " ".join(text.split())


def _canonical(obj):
    mod = getattr(obj, "__module__", None)
    qual = getattr(obj, "__qualname__", None)
    if isinstance(mod, str) and isinstance(qual, str) and "<" not in qual:
        return "%s.%s" % (mod, qual)
    return None


def _type_path(tp):
    if isinstance(tp, type):
        return _canonical(tp)
    return None


_GETATTRO = []  # [(offset of tp_getattro in a type object, address of PyObject_GenericGetAttr)] once known


def _generic_getattro(klass):
    """Is ``klass`` a compiled class whose ``__getattribute__`` slot is CPython's generic
    attribute lookup (``datetime.date`` sets it explicitly, which puts a slot wrapper in its
    ``__dict__``)?  Read from the type object itself; False when that cannot be done."""
    if type(klass.__dict__.get("__getattribute__")).__name__ != "wrapper_descriptor":
        return False
    try:
        import ctypes

        if not _GETATTRO:
            generic = ctypes.cast(ctypes.pythonapi.PyObject_GenericGetAttr, ctypes.c_void_p).value
            step = ctypes.sizeof(ctypes.c_void_p)
            # object's tp_getattro is the generic lookup: the first word of its type object
            # holding that address is the slot (tp_setattro holds PyObject_GenericSetAttr)
            offsets = [off for off in range(0, type.__basicsize__, step)
                       if ctypes.c_void_p.from_address(id(object) + off).value == generic]
            _GETATTRO.append((offsets[0], generic) if len(offsets) == 1 else None)
        found = _GETATTRO[0]
        if found is None or type(klass).__basicsize__ < found[0] + 8:
            return False
        return ctypes.c_void_p.from_address(id(klass) + found[0]).value == found[1]
    except Exception:  # no ctypes, not CPython: assume the permissive case
        return False


def _getattr_kind(cls):
    """'any' when attribute lookup is overridden, 'data' when a __getattr__ serves extra names."""
    try:
        if cls.__getattribute__ is not object.__getattribute__ and cls is not type and not issubclass(cls, type):
            for klass in cls.__mro__:
                if "__getattribute__" in klass.__dict__ and klass is not object:
                    mod = getattr(klass, "__module__", "")
                    if mod != "builtins" and not _generic_getattro(klass):
                        return "any"
        for klass in cls.__mro__:
            if "__getattr__" in klass.__dict__ and _canonical(klass) not in _MEMBER_GETATTR:
                # only a few well-known classes serve plain data (columns, fields) from
                # __getattr__; proxies, mocks and RPC clients may return callables
                return "data" if _canonical(klass) in _DATA_GETATTR else "any"
    except Exception:  # a broken MRO or __dict__: assume the permissive case
        return "any"
    return "none"


def _members(obj):
    try:
        names = set(dir(obj))
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
    if isinstance(obj, type):
        try:
            names |= set(dir(type(obj)))  # metaclass members reachable from the class
            for klass in obj.__mro__:  # a metaclass __dir__ may hide them (EnumType hides methods)
                names.update(klass.__dict__)
        except Exception:  # third-party code may raise anything here: treat as unknown
            pass
    return sorted(n for n in names if isinstance(n, str))


def _submodules(mod):
    found = []
    path = getattr(mod, "__path__", None)
    if path is None:
        return found
    try:
        import pkgutil

        for info in pkgutil.iter_modules(list(path)):
            found.append(info.name)
    except Exception:  # third-party code may raise anything here: treat as unknown
        pass
    return found


# -- source trees (read by the instance model in _worker_instances.py too) ---------------------

_TREES = {}


def _module_tree(path):
    if path not in _TREES:
        try:
            with open(path, "rb") as f:
                _TREES[path] = ast.parse(f.read())
        except (OSError, SyntaxError, ValueError):
            _TREES[path] = None
    return _TREES[path]


# -- signatures --------------------------------------------------------------------------------

def _param_json(p, defaulted=()):
    return [p.name, int(p.kind), p.default is not inspect.Parameter.empty or p.name in defaulted]


def _defaulted(obj):
    """Parameters that have a default in the code of ``obj`` (its ``__init__``/``__new__`` for a
    class): a default that IS ``inspect.Parameter.empty`` (``Parameter(name, kind, default=_empty)``)
    reads as "no default" in the signature, yet the argument may be left out."""
    targets = [obj]
    if isinstance(obj, type):
        targets = [next((k.__dict__[n] for k in obj.__mro__[:-1] if n in k.__dict__), None) for n in ("__init__", "__new__")]
    names = set()
    for target in targets:
        target = getattr(target, "__func__", target)
        code = getattr(target, "__code__", None)
        if not inspect.isfunction(target) or code is None:
            continue
        positional = code.co_varnames[: code.co_argcount]
        count = len(target.__defaults__ or ())
        names.update(positional[len(positional) - count:] if count else ())
        names.update(target.__kwdefaults__ or {})
    return names


def _signature(obj, bound, owner=None):
    """Parameters of ``obj`` as called (``bound``: drop the first parameter; ``owner``: the class
    of the instance it is bound to, which decides what ``self.method(**kw)`` calls)."""
    if getattr(obj, "__wrapped__", None) is not None:
        return None  # a decorator's wrapper may accept other arguments than the wrapped function
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isbuiltin(obj) or isinstance(obj, type)
            or bound and isinstance(obj, _C_METHODS)):
        return None
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if bound:
        if not params or params[0].kind not in (0, 1):
            return None
        params = params[1:]
    defaulted = _defaulted(obj)
    result = {"params": [_param_json(p, defaulted) for p in params], "forwards": None}
    var_kw = [p.name for p in params if p.kind == inspect.Parameter.VAR_KEYWORD]
    if var_kw and inspect.isfunction(inspect.unwrap(obj)):
        result["forwards"] = _forwarded_keywords(obj, var_kw[0], depth=0, owner=owner if bound else None)
    return result


_FOLLOWING = set()  # functions whose forwarding is being worked out (a cycle is open)


def _forwarded_keywords(func, kwname, depth, owner=None):
    """When ``**kwname`` is only ever passed on (``target(..., **kw)``) to callables whose own
    keywords are closed, the keywords those targets accept; else None (open)."""
    key = (id(func), id(owner))
    if depth > 3 or key in _FOLLOWING or len(_FOLLOWING) > 8:
        return None
    _FOLLOWING.add(key)
    try:
        return _forwarded(func, kwname, depth, owner)
    finally:
        _FOLLOWING.discard(key)


def _forwarded(func, kwname, depth, owner):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return None
    fn = tree.body[0] if tree.body else None
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = {a.arg: a for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    defaults = {}
    pos = fn.args.posonlyargs + fn.args.args
    for a, d in zip(pos[len(pos) - len(fn.args.defaults):], fn.args.defaults):
        defaults[a.arg] = d
    for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults):
        if d is not None:
            defaults[a.arg] = d
    assigned = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    assigned.setdefault(t.id, []).append(node.value)
    accepted = set()
    consumed = set()
    depends = set()
    uses = 0
    harmless = set()  # `not kw`, `if kw:` only test whether keywords were given
    for node in ast.walk(fn):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            harmless.add(id(node.operand))
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
            harmless.add(id(node.test))
        elif isinstance(node, ast.BoolOp):
            harmless.update(id(v) for v in node.values)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            harmless.add(id(node.comparators[0]))  # `"stdin" in kw`
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == kwname:
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                harmless.add(id(node.value))  # kw["name"] = ... / kw["name"]: a known key
                if isinstance(node.ctx, ast.Load):
                    consumed.add(key.value)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
              and node.func.value.id == kwname and node.func.attr in ("pop", "get", "setdefault") and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            harmless.add(id(node.func.value))  # kw.pop("timeout", None): the function itself takes it
            if node.func.attr != "setdefault":
                consumed.add(node.args[0].value)
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id == kwname and id(node) not in harmless:
            uses += 1
    forwards = 0
    via_self = False
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        if not any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwname for k in node.keywords):
            continue
        forwards += 1
        candidates = []
        if isinstance(node.func, ast.Name):
            name = node.func.id
            if name in params:
                depends.add(name)
                default = defaults.get(name)
                if default is not None and not (isinstance(default, ast.Constant) and default.value is None):
                    candidates.append(default)
                candidates.extend(assigned.get(name, []))
            elif name in assigned:
                candidates.extend(assigned[name])
            else:
                candidates.append(node.func)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            found = _forward_method(func, fn, node.func.value.id, node.func.attr, params, owner)
            if found is None:
                return None
            candidates.append(found)
        else:
            return None
        if not candidates:
            return None
        for expr in candidates:
            bound, receiver = False, None
            if isinstance(expr, tuple):  # (method, bound, receiver class) of `session.request(**kw)`
                target, bound, receiver = expr
                via_self = via_self or receiver is owner is not None
            elif not isinstance(expr, ast.Name):
                return None
            else:
                target = func.__globals__.get(expr.id) if hasattr(func, "__globals__") else None
                if target is None:
                    target = getattr(__import__("builtins"), expr.id, None)
            if target is None:
                return None
            sig = _signature(target, bound=bound, owner=receiver)
            if sig is None:
                return None
            for name, kind, _default in sig["params"]:
                if kind == 4:
                    if sig["forwards"] is None:
                        return None
                    accepted.update(sig["forwards"]["accepted"])
                    via_self = via_self or bool(sig["forwards"].get("via_self"))
                elif kind in (1, 3):
                    accepted.add(name)
    if forwards == 0 or forwards != uses:
        return None  # **kw is also read, stored or passed some other way
    result = {"accepted": sorted(accepted | consumed), "depends": sorted(depends)}
    if via_self:
        result["via_self"] = True  # through `self.method(**kw)`: a subclass's override decides
    return result


def _global_value(func, expr):
    """The object a name or dotted chain of ``func``'s module globals names, or None."""
    if isinstance(expr, ast.Name):
        return getattr(func, "__globals__", {}).get(expr.id)
    if isinstance(expr, ast.Attribute):
        owner = _global_value(func, expr.value)
        if isinstance(owner, (types.ModuleType, type)):
            return inspect.getattr_static(owner, expr.attr, None)
    return None


def _forward_method(func, fn, name, attr, params, owner=None):
    """What ``name.attr(**kw)`` calls in ``fn``: (the plain function, bound?, the receiver's class)
    when ``name`` is ``self`` of a method bound to an instance of ``owner``, a module or an instance
    in the globals, or is bound once in ``fn`` to a new instance of a class (``with Session() as
    session``: when ``Session.__enter__`` returns self); else None."""
    first = (fn.args.posonlyargs + fn.args.args)[:1]
    if owner is not None and first and first[0].arg == name:
        return _bound_method(owner, attr, None)
    if name in params:
        return None
    bindings = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            bindings.append((node.value, False))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    bindings.append((item.context_expr, isinstance(node, ast.With)) if isinstance(node, ast.With) else (None, False))
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr, ast.Global,
                               ast.Nonlocal, ast.ExceptHandler, ast.comprehension)):
            bindings.append((None, False))  # rebound some other way: not followed
    if not bindings:
        value = _global_value(func, ast.Name(id=name))
        if isinstance(value, types.ModuleType):
            target = getattr(value, attr, None)
            return (target, False, None) if callable(target) else None
        if value is None or isinstance(value, type) or inspect.isroutine(value):
            return None
        return _bound_method(type(value), attr, value)  # a module-level instance (`DEFAULTPARSER.parse`)
    if len(bindings) != 1 or bindings[0][0] is None:
        return None
    value, entered = bindings[0]
    if not isinstance(value, ast.Call):
        return None
    cls = _global_value(func, value.func)
    if not isinstance(cls, type) or _getattr_kind(cls) != "none":
        return None
    if entered and _returns(inspect.getattr_static(cls, "__enter__", None)) != "self":
        return None
    return _bound_method(cls, attr, None)


def _bound_method(cls, attr, instance):
    """(the plain function, True, cls) that ``instance.attr`` calls, for an instance of ``cls``
    whose attribute lookup is the plain one (and that holds no attribute of that name)."""
    if _getattr_kind(cls) != "none" or attr in (getattr(instance, "__dict__", None) or {}):
        return None
    method = inspect.getattr_static(cls, attr, None)
    return (method, True, cls) if inspect.isfunction(method) else None


def _annotation_from_source(func, text):
    """Resolve a string return annotation naming one class (often imported only under
    ``TYPE_CHECKING``) through the imports of the function's module source."""
    try:
        node = _without_none_text(ast.parse(text, mode="eval").body)
    except SyntaxError:
        return None
    if isinstance(node, ast.Subscript):
        node = node.value  # "list[Row]" -> list (a generic class: its origin)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):  # "models.User"
        owner = getattr(func, "__globals__", {}).get(node.value.id)
        value = getattr(owner, node.attr, None) if isinstance(owner, types.ModuleType) else None
        return _type_path(value) if isinstance(value, type) and _type_path(value) not in _NOT_A_CLASS else None
    if not isinstance(node, ast.Name):
        return None
    if node.id == "Self":
        return "self"
    value = getattr(func, "__globals__", {}).get(node.id)
    if value is None and node.id in ("list", "dict", "set", "tuple", "frozenset", "str", "bytes", "int", "float", "bool"):
        value = getattr(__import__("builtins"), node.id)
    if isinstance(value, type) and value.__module__ == "typing":
        return None  # typing.Any and the like
    if isinstance(value, type):
        return _type_path(value)
    module = getattr(func, "__module__", None)
    mod = sys.modules.get(module or "")
    path = getattr(mod, "__file__", None)
    tree = _module_tree(path) if path else None
    if tree is None:
        return None
    is_package = os.path.basename(path).startswith("__init__.")
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if (alias.asname or alias.name) == node.id:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    if stmt.level:
                        base = base[: len(base) - (stmt.level - 1)] + (stmt.module.split(".") if stmt.module else [])
                    else:
                        base = stmt.module.split(".") if stmt.module else []
                    try:
                        obj, missing = _resolve(".".join(base + [alias.name]))
                    except Exception:  # third-party code may raise anything here: treat as unknown
                        return None
                    return _type_path(obj) if missing is None else None
    return None


def _without_none_text(node):
    """``X`` of ``Optional[X]``, ``X | None``, ``Union[X, None]`` written as text."""
    head = node.value if isinstance(node, ast.Subscript) else None
    head = getattr(head, "id", None) or getattr(head, "attr", None)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [node.left, node.right]
    elif head == "Optional":
        return node.slice
    elif head == "Union" and isinstance(node.slice, ast.Tuple):
        parts = node.slice.elts
    else:
        return node
    rest = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
    return rest[0] if len(rest) == 1 and len(parts) == 2 else node


def _returns(obj):
    """What calling ``obj`` returns: a class path, "self" (``return self``, ``Self``; of a
    classmethod: ``return cls(...)``: an instance of the class it is called on), or None."""
    target = obj
    owner = getattr(obj, "__self__", None) if inspect.ismethod(obj) else None
    if owner is not None:
        return _returns_of(obj.__func__, classmethod=isinstance(owner, type))
    if isinstance(obj, (classmethod, staticmethod)):
        return _returns_of(obj.__func__, classmethod=isinstance(obj, classmethod))
    return _returns_of(target, classmethod=False)


def _returns_form(obj):
    """The return annotation of a generic class with its arguments (``list[Path]``):
    [origin path, argument forms...] (an argument: a class path, a form, "...", "self" or None);
    None when it is no generic class."""
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) or inspect.ismethod(obj) else obj
    if not inspect.isfunction(target):
        return None
    try:
        import typing

        ret = _without_none_hint(typing.get_type_hints(target).get("return"))
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
    form = _type_form(ret, 0)
    return form if isinstance(form, list) else None


def _type_form(tp, depth):
    if tp is Ellipsis:
        return "..."
    if depth > 3:
        return None
    if _is_self_type(tp):
        return "self"
    origin = getattr(tp, "__origin__", None)
    args = getattr(tp, "__args__", None)
    if isinstance(origin, type) and isinstance(args, tuple):
        return [_type_path(origin)] + [_type_form(a, depth + 1) for a in args]
    if isinstance(tp, type) and tp is not type(None) and _type_path(tp) not in _NOT_A_CLASS:
        return _type_path(tp)
    return None


def _is_self_type(tp):
    return any(tp is getattr(mod, "Self", object()) for mod in (sys.modules.get("typing"), sys.modules.get("typing_extensions")))


def _without_none_hint(ret):
    """``X`` of ``Optional[X]`` / ``X | None`` (a missing attribute of X is missing on None too)."""
    import typing

    args = getattr(ret, "__args__", None)
    if args and typing.get_origin(ret) in (typing.Union, getattr(types, "UnionType", typing.Union)):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return rest[0]
    return ret


def _returns_of(target, classmethod):
    if not inspect.isfunction(target):
        return None
    try:
        import typing

        hints = typing.get_type_hints(target)
        ret = hints.get("return")
    except Exception:
        ret = None
    ret = _without_none_hint(ret)
    if ret is not None and _is_self_type(ret):
        return "self"
    origin = getattr(ret, "__origin__", None)
    if isinstance(origin, type) and getattr(ret, "__args__", None) is not None:
        ret = origin  # list[str] -> list
    if isinstance(ret, type) and ret is not type(None) and ret is not object and _type_path(ret) not in _NOT_A_CLASS:
        return _type_path(ret)
    if ret is None:
        raw = getattr(inspect.unwrap(target), "__annotations__", {}).get("return")
        if isinstance(raw, str):
            found = _annotation_from_source(inspect.unwrap(target), raw)
            if found:
                return found
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
        fn = tree.body[0]
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.args.args:
            me = fn.args.args[0].arg
            returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return)]
            if returns and all(isinstance(r.value, ast.Name) and r.value.id == me for r in returns):
                return "self"
            made = [n.targets[0].id for n in ast.walk(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
                    and isinstance(n.targets[0], ast.Name) and _calls(n.value, me)]
            bound = {t.id for n in ast.walk(fn) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.With))
                     for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
            once = {name for name in made if made.count(name) == 1} - (bound - set(made))
            if classmethod and returns and all(
                    _calls(r.value, me) or isinstance(r.value, ast.Name) and r.value.id in once and
                    sum(isinstance(t, ast.Name) and t.id == r.value.id and isinstance(t.ctx, ast.Store) for t in ast.walk(fn)) == 1
                    for r in returns):
                return "self"  # `return cls(...)`, `client = cls(...); ...; return client`
    except Exception:  # third-party code may raise anything here: treat as unknown
        pass
    return None


def _calls(node, name):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _may_return_none(obj):
    """The return annotation of ``obj`` as text when it says None is returned sometimes
    (``X | None``, ``Optional[X]``, ``Union[X, None]``, without ``Any``); else None, also when
    unsure: no annotation, overloads (they pick per call), a decorator's wrapper, names the module
    does not bind at run time."""
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) else obj
    if not inspect.isfunction(target) or getattr(target, "__wrapped__", None) is not None:
        return None
    try:
        import typing

        if not hasattr(typing, "get_overloads") or typing.get_overloads(target):
            return None  # before 3.11 overloads cannot be seen: stay silent
        ann = getattr(target, "__annotations__", {}).get("return")
        if isinstance(ann, str):
            ok = _text_union_with_none(ast.parse(ann, mode="eval").body, target.__globals__)
        else:
            ok = _union_with_none(typing.get_origin(ann), typing.get_args(ann))
        return (ann if isinstance(ann, str) else str(ann).replace("typing.", "")) if ok else None
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None


def _union_with_none(origin, args):
    import typing

    unions = (typing.Union, getattr(types, "UnionType", typing.Union))
    return origin in unions and type(None) in args and typing.Any not in args


def _text_union_with_none(node, namespace):
    """The same question for a string annotation, its names looked up in the module's globals."""
    import typing

    def bound(expr):
        if isinstance(expr, ast.Name):
            return namespace.get(expr.id)
        if isinstance(expr, ast.Attribute):
            owner = bound(expr.value)
            return getattr(owner, expr.attr, None) if isinstance(owner, types.ModuleType) else None
        return None

    def members(expr):
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return members(expr.left) + members(expr.right)
        return [expr]

    def is_any(expr):
        return bound(expr) is typing.Any or (isinstance(expr, ast.Name) and expr.id == "Any")

    if isinstance(node, ast.Subscript):
        origin = bound(node.value)
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin is typing.Optional:
            return len(inner) == 1 and not is_any(inner[0])
        if origin is typing.Union:
            return any(isinstance(e, ast.Constant) and e.value is None for e in inner) and not any(map(is_any, inner))
        return False
    parts = members(node)
    return len(parts) > 1 and any(isinstance(e, ast.Constant) and e.value is None for e in parts) and not any(
        map(is_any, parts))


# -- requests ----------------------------------------------------------------------------------

def describe(path, bound=False):
    obj, missing = _resolve(path)
    if missing is not None:
        missing["found"] = False
        return missing
    answer = {"found": True}
    if isinstance(obj, types.ModuleType):
        answer.update(
            kind="module", canonical=obj.__name__,
            members=sorted(set(_members(obj) or ()) | set(_submodules(obj))),
            getattr="data" if "__getattr__" in obj.__dict__ else "none",
            file=getattr(obj, "__file__", None),
        )
        return answer
    if isinstance(obj, type):
        answer.update(
            kind="class", canonical=_canonical(obj), members=_members(obj), getattr=_getattr_kind(type(obj)),
            instance_getattr=_getattr_kind(obj), instance=_instance(obj),
            signature=None if _ignores_extra_keywords(obj) else _signature(obj, bound=False), is_enum=_is_enum(obj),
        )
        return answer
    if callable(obj) and (inspect.isroutine(obj) or isinstance(obj, (classmethod, staticmethod))):
        owner = getattr(obj, "__self__", None)
        answer.update(kind="function", canonical=_canonical(obj), signature=_signature(obj, bound=bound),
                      returns=_returns(obj), returns_form=_returns_form(obj), optional=_may_return_none(obj),
                      # a classmethod bound to its class (a stub's Self is that class)
                      self_class=_canonical(owner) if isinstance(owner, type) else None)
        return answer
    tp = type(obj)
    answer.update(kind="other", type=_type_path(tp), members=_members(obj), getattr=_getattr_kind(tp))
    origin = getattr(obj, "__origin__", None) if tp is not type else None
    if isinstance(origin, type) and getattr(obj, "__args__", None) is not None:
        answer["origin"] = _type_path(origin)  # a generic alias such as NDArray[float64] -> ndarray
    return answer


def _ignores_extra_keywords(cls):
    """pydantic models ignore unknown keywords unless configured with extra="forbid", although
    their generated signature does not list them."""
    if getattr(cls, "__pydantic_fields__", None) is None:
        return False
    config = getattr(cls, "model_config", None)
    return not (isinstance(config, dict) and config.get("extra") == "forbid")


def _is_enum(cls):
    try:
        import enum

        return isinstance(cls, enum.EnumMeta)
    except Exception:
        return False


def method(cls_path, name):
    """A method looked up on an instance of a class: its signature (bound) and return type."""
    cls, missing = _resolve(cls_path)
    if missing is not None or not isinstance(cls, type):
        return {"found": False}
    raw = owner = None
    for klass in cls.__mro__:
        if name in klass.__dict__:
            raw, owner = klass.__dict__[name], _canonical(klass)
            break
    if raw is None:
        return _annotated_attribute(cls, name)
    answer = _method(raw, cls)
    answer["owner"] = owner
    return answer


def _annotated_attribute(cls, name):
    """An instance attribute the class body annotates (``usage: Optional[Usage]`` of a dataclass,
    attrs or pydantic model): read like a property whose value is of that type."""
    try:
        import typing

        hint = None
        for klass in cls.__mro__:
            if name in (klass.__dict__.get("__annotations__") or {}):
                hint = typing.get_type_hints(klass).get(name)
                break
    except Exception:  # third-party code may raise anything here: treat as unknown
        return {"found": False}
    if hint is None or getattr(hint, "__origin__", None) is getattr(__import__("typing"), "ClassVar", None):
        return {"found": False}
    form = _type_form(_without_none_hint(hint), 0)
    if isinstance(form, list):
        return {"found": True, "kind": "property", "returns": form[0], "returns_form": form, "annotated": True}
    return {"found": True, "kind": "property", "returns": form if isinstance(form, str) and form != "self" else None,
            "annotated": True}


def _method(raw, cls=None):
    if isinstance(raw, staticmethod):
        return {"found": True, "kind": "function", "signature": _signature(raw.__func__, bound=False),
                "returns": _returns(raw.__func__), "optional": _may_return_none(raw), "returns_form": _returns_form(raw)}
    if isinstance(raw, classmethod):
        return {"found": True, "kind": "function", "signature": _signature(raw.__func__, bound=True),
                "returns": _returns(raw.__func__), "optional": _may_return_none(raw), "returns_form": _returns_form(raw)}
    if inspect.isfunction(raw):
        return {"found": True, "kind": "function", "signature": _signature(raw, bound=True, owner=cls), "returns": _returns(raw),
                "optional": _may_return_none(raw), "returns_form": _returns_form(raw)}
    if isinstance(raw, property):
        ret = _returns(raw.fget) if raw.fget else None
        return {"found": True, "kind": "property", "returns": None if ret == "self" else ret,
                "returns_form": _returns_form(raw.fget) if raw.fget else None}
    if type(raw).__name__ == "cached_property" and inspect.isfunction(getattr(raw, "func", None)):
        ret = _returns(raw.func)
        return {"found": True, "kind": "property", "returns": None if ret == "self" else ret,
                "returns_form": _returns_form(raw.func)}
    if isinstance(raw, _C_METHODS):  # a method of a compiled class (`dict.get`, `Connection.__enter__`)
        return {"found": True, "kind": "function", "signature": _signature(raw, bound=True), "returns": None,
                "optional": None}
    return {"found": True, "kind": "other"}


_C_METHODS = (types.MethodDescriptorType, types.ClassMethodDescriptorType, types.WrapperDescriptorType)


def attribute(path, name):
    try:
        mod = _import(path)
    except PermissionError:
        return {"exists": None, "explanation": None}
    if name in getattr(mod, "__dict__", {}):
        return {"exists": True, "explanation": None}
    try:
        getattr(mod, name)
        return {"exists": True, "explanation": None}
    except ModuleNotFoundError:
        return {"exists": None, "explanation": None}
    except Exception as exc:
        if hasattr(mod, "__path__"):
            try:
                if importlib.util.find_spec("%s.%s" % (path, name)) is not None:
                    return {"exists": True, "explanation": None}
            except (ImportError, ValueError):
                return {"exists": None, "explanation": None}
        if _bound_in_source(mod, name):
            return {"exists": None, "explanation": None}  # defined only on some platforms/versions
        return {"exists": False, "explanation": _explanation(exc, name)}


def _bound_in_source(mod, name):
    """Does the module's source bind ``name`` at module level in some branch (``if WIN: import
    msvcrt``, ``try: from x import y``)?  Then its absence here depends on the platform."""
    path = getattr(mod, "__file__", None)
    tree = _module_tree(path) if path and path.endswith(".py") else None
    if tree is None:
        return False
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if (alias.asname or alias.name.split(".")[0]) == name:
                    return True
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
        elif isinstance(node, ast.Global) and name in node.names:
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def handle(request):
    op = request.get("op")
    if op == "ping":
        return {"ok": True}
    if op == "describe":
        return describe(request["path"])
    if op == "method":
        return method(request["path"], request["name"])
    if op == "attribute":
        return attribute(request["path"], request["name"])
    return {"error": "unknown op %r" % op}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError:
            continue
        try:
            answer = handle(request)
        except BaseException as exc:  # never die on one bad module
            if isinstance(exc, KeyboardInterrupt):
                raise
            answer = {"error": "%s: %s" % (type(exc).__name__, str(exc)[:300])}
        answer["id"] = request.get("id")
        try:
            _OUT.write(json.dumps(answer, default=str) + "\n")
        except (TypeError, ValueError):
            _OUT.write(json.dumps({"id": request.get("id"), "error": "unserialisable answer"}) + "\n")
        _OUT.flush()


if __name__ == "__main__":
    main()
