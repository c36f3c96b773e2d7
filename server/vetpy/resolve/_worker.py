"""Stdlib-only introspection worker, run INSIDE the target interpreter (never imported by vetpy).

Started as ``python -c <this source> ROOT...`` in a neutral working directory, it reads one JSON
request per line on a private copy of stdin (what imported packages read is empty) and writes one
JSON answer per line on a private copy of stdout (whatever imported packages print goes to stderr).  ROOTs are the project roots: a module whose
file lies under one of them is first-party and is never imported.

Requests (every answer carries the request's ``id``):
    {"op": "describe", "path": "pkg.mod.Name"}
        -> {"found": true, "kind": "module"|"class"|"function"|"other", "canonical": ...,
            "members": [...], "getattr": "none"|"data"|"any", "signature": {...}|null, "returns": ...}
        or {"found": false, "missing": "name", "owner": "pkg.mod", "explanation": ...}
        or {"error": "..."} when the path cannot be verified (import failed, first-party).
    {"op": "instance", "path": "pkg.mod.Class"} -> {"instance": {...}} (_worker_instances.py)
    {"op": "attribute", "path": "pkg.mod", "name": "x"}
        -> {"exists": true|false|null, "explanation": str|null}   (modules with __getattr__)
    {"op": "ping"} -> {"ok": true, "trees": N, "parsed": P}   (N: source trees kept since the last
        pause; P: source files, or one class's lines of one, parsed since the worker started)
"""

import ast
import gc
import importlib
import importlib.util
import inspect
import json
import linecache
import os
import select
import site
import sys
import types

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

ROOTS = [os.path.realpath(r) for r in sys.argv[1:]]
# installed code, even when the environment lives inside a project root (a project's .venv)
_SITE = [os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages()] if p]
_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr
_IN = os.dup(0)  # requests: a package that reads stdin when imported (a stdio reactor) reads nothing
_NULL = os.open(os.devnull, os.O_RDONLY)
os.dup2(_NULL, 0)
os.close(_NULL)

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
    return not any(real.startswith(p + os.sep) for p in _SITE) and any(real == r or real.startswith(r + os.sep) for r in ROOTS)


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
    if path.startswith(_AWS_CLIENT):
        return _aws_class(path[len(_AWS_CLIENT):]), None
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
    if i == len(parts) > 1 and isinstance(obj, types.ModuleType):
        # `pendulum.datetime`, `from tenacity import retry`: the package's attribute of that name,
        # bound after the submodule was imported, is what attribute access and from-imports give
        parent = sys.modules.get(".".join(parts[:-1]))
        shadow = getattr(parent, parts[-1], obj) if parent is not None else obj
        if not isinstance(shadow, types.ModuleType):
            return shadow, None
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
    if id(cls) in _AWS_CLIENTS:
        return "none"  # its __getattr__ serves only the aliases listed among its members
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
                if _canonical(klass) in _DATA_GETATTR:
                    return "data"
                served = _getattr_served(cls, klass)  # names it serves are among the instance's (_instance)
                return "any" if served is None else "data" if served[1] else "none"
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
        _PARSED[0] += 1
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


def _as_parsed(params):
    """A hand-written text signature's parameters as a C parser may take them: its ``*`` is a
    claim the parser need not enforce (numpy's ``arange(start_or_stop, /, stop=None, step=1, *,
    dtype=None, ...)`` runs as ``arange(0, 8, 1, np.float64)``), so a keyword-only parameter may
    also come by position.  With ``*args`` the count is open anyway: returned unchanged."""
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return params
    return [p.replace(kind=p.POSITIONAL_OR_KEYWORD) if p.kind == p.KEYWORD_ONLY else p for p in params]


def _own_signature(wrapper, bound, owner=None):
    """The parameters a Python wrapper function's own code binds (``inspect.signature`` would
    report the wrapped function's): a call they do not bind fails before the wrapper runs, whatever
    it does with the arguments after.  Its ``**kwargs`` (if any) is closed only when the wrapper's
    own code passes it on to closed callees (the wrapped function among them: dateutil's
    ``_takes_ascii`` calls ``f(self, str_in, *args, **kwargs)`` after converting ``str_in``).  None
    for anything but a plain function whose signature nothing overrides."""
    raw = getattr(wrapper, "__func__", wrapper)
    if not inspect.isfunction(raw) or "__signature__" in vars(raw):
        return _declared_keywords(raw)  # _worker_keyed.py: the wrapper's declared signature and the wrapped code agree
    params = _bound_params(wrapper, bound, follow_wrapped=False)
    if params is None:
        return None
    var_kw = [p.name for p in params if p.kind == inspect.Parameter.VAR_KEYWORD]
    forwards = _forwarded_keywords(raw, var_kw[0], depth=0, owner=owner if bound else None) if var_kw else None
    return {"params": [_param_json(p) for p in params], "forwards": forwards}


def _bound_params(obj, bound, follow_wrapped=True):
    """``inspect.signature``'s parameters of ``obj`` (``bound``: without the first, which must be
    positional); None when they cannot be told."""
    try:
        params = list(inspect.signature(obj, follow_wrapped=follow_wrapped).parameters.values())
    except (TypeError, ValueError):
        return None
    if bound:
        if not params or params[0].kind not in (0, 1):
            return None
        params = params[1:]
    return params


def _signature(obj, bound, owner=None):
    """Parameters of ``obj`` as called (``bound``: drop the first parameter; ``owner``: the class
    of the instance it is bound to, which decides what ``self.method(**kw)`` calls)."""
    if getattr(obj, "__wrapped__", None) is not None:
        # a decorator's wrapper may accept other arguments than the wrapped function, unless it
        # passes every call on unchanged (`functools.wraps` around `return f(*args, **kwargs)`)
        target = _passed_through(obj) or _keyed_pass(obj)  # _worker_keyed.py
        if target is None:
            return _own_signature(obj, bound, owner)
        if target is not obj:
            return _signature(target, bound, owner)
    elif not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isbuiltin(obj) or isinstance(obj, type)
            or bound and isinstance(obj, _C_METHODS) or _cython_def(obj)):
        return None
    try:
        sig = _class_signature(obj)  # inspect.signature(obj), or the __init__ a __new__ that only makes the instance runs
    except (TypeError, ValueError):
        return None
    if isinstance(obj, type) and _borrowed_signature(obj):
        return None
    params = list(sig.parameters.values())
    if bound:
        if not params or params[0].kind not in (0, 1):
            return None
        params = params[1:]
    by_hand = _parsed_by_hand(obj)
    defaulted = _defaulted(obj) | (set(sig.parameters) if by_hand else set())
    shown = _as_parsed(params) if by_hand else params
    result = {"params": [_param_json(p, defaulted) for p in shown + _undeclared_kwargs(obj, params)], "forwards": None}
    if by_hand and shown is not params and any(p.kind == p.POSITIONAL_ONLY for p in params):
        # the C parser's own keywords for these are not in the text (numpy's `start_or_stop, /`
        # is `arange(start=1)`): a keyword is unknown only while they are all filled by position
        result["unnamed"] = sum(p.kind == p.POSITIONAL_ONLY for p in params)
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params) and not isinstance(obj, type):
        result["overloads"] = _overloads(obj, bound)
    var_kw = [p.name for p in params if p.kind == inspect.Parameter.VAR_KEYWORD]
    if var_kw and not isinstance(obj, type) and not inspect.isfunction(inspect.unwrap(obj)) \
            and not inspect.ismethod(obj) and getattr(obj, "__wrapped__", None) is None:
        result["compiled"] = True  # its **kwargs go where no source shows: a stub may say which it takes
    if var_kw and inspect.isfunction(inspect.unwrap(obj)):
        result["forwards"] = _forwarded_keywords(obj, var_kw[0], depth=0, owner=owner if bound else None)
    elif var_kw and isinstance(obj, type):
        init = _plain_init(obj)  # `Cls(**kw)` runs Cls.__init__ on an instance of exactly Cls
        forwards = _forwarded_keywords(init, var_kw[0], depth=0, owner=obj) if init else _new_picked_keywords(obj)  # or a __new__ picking subclasses
        if forwards is not None:
            forwards.pop("via_self", None)  # self is the new instance: of exactly this class
            result["forwards"] = forwards
    result.update(_spreads_of(obj, params, owner if bound else None))  # *args passed on whole (_worker_spreads.py)
    return result


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
            kind="class", canonical=_aws_path(obj) or _canonical(obj), members=_members(obj) if id(obj) not in _AWS_CLIENTS
            else sorted(set(_members(obj) or ()) | set(_AWS_CLIENTS[id(obj)])), getattr=_getattr_kind(type(obj)),
            instance_getattr=_getattr_kind(obj),
            signature=None if _ignores_extra_keywords(obj) else _signature(obj, bound=False), is_enum=_is_enum(obj),
            meta_call=_metaclass_call(obj), transforms=_transforms(obj), makes_classes=issubclass(obj, type),
            protocol=getattr(obj, "_is_protocol", False) is True, tuple_items=_tuple_items(obj),
        )
        return answer
    if callable(obj) and (inspect.isroutine(obj) or isinstance(obj, (classmethod, staticmethod))):
        owner = getattr(obj, "__self__", None)
        answer.update(kind="function", canonical=_canonical(obj), signature=_signature(obj, bound=bound),
                      returns=_returns(obj), returns_form=_returns_form(obj), optional=_may_return_none(obj), settled=_never_awaitable(obj),
                      # a classmethod bound to its class (a stub's Self is that class); `dispatches`: numpy's NEP 18
                      self_class=_canonical(owner) if isinstance(owner, type) else None)
        answer.update(dispatches=inspect.isfunction(getattr(obj, "_implementation", None)) and not inspect.isfunction(obj), keeps=_keeps_signature(obj))
        return answer
    if obj is None:  # a placeholder that code fills later (`tempfile.tempdir`, a singleton's `instance = None`)
        answer.update(kind="other")
        return answer
    tp = type(obj)
    answer.update(kind="other", type=_type_path(tp), members=_members(obj),  # an object in its own module's place
                  getattr="any" if sys.modules.get(path) is obj else _getattr_kind(tp))  # (twisted's reactor): any name
    if answer["getattr"] != "none":
        answer["annotated"] = _proxied_class(path, obj)  # `request: Request = LocalProxy(...)`
        if answer["annotated"]:
            return answer  # a proxy: what it would serve (its `__origin__`...) depends on a context
    read = _descriptor_read(path, obj)
    if read is not None:  # `Model.model_fields`: what the descriptor's function is annotated to give
        answer["read_form"] = read
    call = inspect.getattr_static(tp, "__call__", None) if tp is not type else None
    if inspect.isfunction(call) and answer["getattr"] == "none":  # a callable object (`pytest.skip`)
        answer.update(signature=_signature(call, bound=True, owner=tp), returns=_returns(call),
                      returns_form=_returns_form(call))
    alias = obj
    if tp.__name__ == "TypeAliasType" and tp.__module__ in ("typing", "typing_extensions"):
        alias = getattr(obj, "__value__", None)  # `type NDArray[T] = ndarray[...]` (PEP 695)
        if isinstance(alias, type):
            answer["origin"] = _type_path(alias)
            return answer
    origin = getattr(alias, "__origin__", None) if tp is not type else None
    if isinstance(origin, type) and getattr(alias, "__args__", None) is not None:
        answer["origin"] = _type_path(origin)  # a generic alias such as NDArray[float64] -> ndarray
    return answer


def _proxied_class(path, obj):
    """The class a package's module annotates ``obj`` with where it binds it (flask's
    ``request: Request = LocalProxy(...)``): an object whose class serves any attribute (a proxy)
    stands for an instance of that class.  None without such an annotation."""
    name = path.rsplit(".", 1)[-1]
    top = path.split(".")[0]
    for module_name, mod in list(sys.modules.items()):
        if not (module_name == top or module_name.startswith(top + ".")) or not isinstance(mod, types.ModuleType):
            continue
        namespace = getattr(mod, "__dict__", {})
        annotation = (namespace.get("__annotations__") or {}).get(name)
        if annotation is None or namespace.get(name) is not obj:
            continue
        if isinstance(annotation, type):
            found = _type_path(annotation)
        elif isinstance(annotation, str):
            found = _annotation_from_source(types.SimpleNamespace(__globals__=namespace, __module__=module_name),
                                            annotation)
        else:
            found = None
        if found in (None, "self"):
            return None
        cls = _resolve(found)[0]
        if not isinstance(cls, type) or issubclass(type(obj), cls):
            return None  # an instance of the class itself is described as it is
        return found
    return None


def _ignores_extra_keywords(cls):
    """pydantic models ignore unknown keywords unless configured with extra="forbid", although
    their generated signature does not list them."""
    if getattr(cls, "__pydantic_fields__", None) is None:
        return False
    config = getattr(cls, "model_config", None)
    return not (isinstance(config, dict) and config.get("extra") == "forbid")


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
        found = _annotated_attribute(cls, name)
        return found if found.get("found") else _assigned_attribute(cls, name)
    answer = _method(raw, cls)
    answer["owner"] = owner
    if answer.get("kind") == "function" and not answer.get("returns") and not answer.get("returns_form"):
        answer["returns"] = _delegated(cls, raw)  # `return self.generic(...)`: what that method gives
    env = _type_arguments(cls, klass) if klass is not cls and getattr(klass, "__parameters__", None) else None
    fn = raw.fget if isinstance(raw, property) else raw
    if env and inspect.isfunction(fn):  # `-> Iterator[tuple[Hashable, NDFrameT]]` of GroupBy[DataFrame]
        form = _returns_form(fn, env)
        if isinstance(form, list):
            answer["returns_form"] = form
        elif form:
            answer["returns"] = form
    made = _aws_returns(cls, name, raw)  # boto3's sub-resources and collections
    if made:
        answer["returns"] = made
    elif _aws_iterated(cls, name):
        answer["returns_form"] = _aws_iterated(cls, name)
    if _aws_operation(cls, raw):  # keyword arguments only, checked against the model when sent
        answer["signature"] = {"params": [["kwargs", int(inspect.Parameter.VAR_KEYWORD), False]], "forwards": None}
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
        return {"found": True, "kind": "property", "returns": form[0] if form[0] != "typing.Union" else None,
                "returns_form": form, "annotated": True}
    return {"found": True, "kind": "property", "returns": form if isinstance(form, str) and form != "self" else None,
            "annotated": True}


def _assigned_attribute(cls, name):
    """An instance attribute that the class's own code assigns exactly once, in all the methods of
    its MRO (``self.headers = Headers(...)`` in ``__init__``), to a new instance of a class its
    module names: read like an annotated property (a subclass instance may be stored).  Not when
    the package's code also assigns the name on other objects."""
    try:
        values = []
        for klass in cls.__mro__:
            if klass is object or getattr(klass, "__module__", "") == "builtins":
                continue
            node = _class_node(klass)
            if node is None:
                return {"found": False}
            namespace = getattr(sys.modules.get(getattr(klass, "__module__", "") or ""), "__dict__", {})
            for fn in ast.walk(node):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                args = fn.args.posonlyargs + fn.args.args
                me = args[0].arg if args else None
                for sub in ast.walk(fn):
                    targets = sub.targets if isinstance(sub, ast.Assign) else [getattr(sub, "target", None)]
                    for target in targets:
                        for t in ast.walk(target) if target is not None else ():
                            if isinstance(t, ast.Attribute) and t.attr == name and isinstance(t.value, ast.Name) \
                                    and t.value.id == me and isinstance(t.ctx, ast.Store):
                                single = isinstance(sub, ast.Assign) and len(sub.targets) == 1 and sub.targets[0] is t
                                declared = isinstance(sub, ast.AnnAssign) and sub.target is t
                                values.append((sub.value if single else sub.annotation if declared else None,
                                               namespace, declared, me))
        if len(values) != 1 or values[0][0] is None:
            return {"found": False}
        value, namespace, declared, me = values[0]
        top = str(getattr(cls, "__module__", "") or "").split(".")[0]
        if name in _foreign_names(top):
            return {"found": False}
        if declared:  # `self.filters: Dict[str, F] = ...`: the type it is declared with
            return _declared_attribute(value, namespace)
        if not isinstance(value, ast.Call):
            return {"found": False}
        copied = _copied_container(value, namespace)
        if copied is not None:  # `self.filters = DEFAULT_FILTERS.copy()`: a dict like that module's
            return {"found": True, "kind": "property", "returns": copied, "assigned": True, "annotated": True}
        if _called_on(value, me):  # `self.config = self.make_config()`: what that method is annotated to return
            return _stored_return(cls, value.func.attr)
        made = _global_value_in(namespace, value.func)
        if not isinstance(made, type) or _type_path(made) in _NOT_A_CLASS:
            return {"found": False}
        return {"found": True, "kind": "property", "returns": _type_path(made), "assigned": True}  # made there: that class
    except Exception:  # third-party code may raise anything here: treat as unknown
        return {"found": False}


def _global_value_in(namespace, expr):
    """The object a name or dotted chain names in a module namespace, or None."""
    if isinstance(expr, ast.Name):
        return namespace.get(expr.id)
    if isinstance(expr, ast.Attribute):
        owner = _global_value_in(namespace, expr.value)
        if isinstance(owner, (types.ModuleType, type)):
            return inspect.getattr_static(owner, expr.attr, None)
    return None


def _method(raw, cls=None):
    if isinstance(raw, staticmethod):
        return {"found": True, "kind": "function", "signature": _signature(raw.__func__, bound=False),
                "returns": _returns(raw.__func__), "optional": _may_return_none(raw), "returns_form": _returns_form(raw)}
    if isinstance(raw, classmethod):
        return {"found": True, "kind": "function", "signature": _signature(raw.__func__, bound=True),
                "returns": _returns(raw.__func__), "optional": _may_return_none(raw), "returns_form": _returns_form(raw)}
    if inspect.isfunction(raw):
        return {"found": True, "kind": "function", "signature": _signature(raw, bound=True, owner=cls), "returns": _returns(raw),
                "optional": _may_return_none(raw), "returns_form": _returns_form(raw), "settled": _never_awaitable(raw)}
    if isinstance(raw, property):
        ret = _returns(raw.fget) if raw.fget else None
        return {"found": True, "kind": "property", "returns": None if ret == "self" else ret,
                "returns_form": _returns_form(raw.fget) if raw.fget else None}
    if type(raw).__name__ == "cached_property" and inspect.isfunction(getattr(raw, "func", None)):
        ret = _returns(raw.func)
        return {"found": True, "kind": "property", "returns": None if ret == "self" else ret,
                "returns_form": _returns_form(raw.func)}
    if isinstance(raw, _C_METHODS) or _cython_def(raw):  # a method of a compiled class (`dict.get`, `Generator.integers`)
        return {"found": True, "kind": "function", "signature": _signature(raw, bound=True), "returns": None,
                "optional": None}
    made = _accessor_class(raw)
    if made is not None:  # pandas' `Series.str`: a StringMethods made for the instance (`.dt`: a union, a list)
        return {"found": True, "kind": "property", "returns": None if isinstance(made, list) else made,
                "returns_form": made if isinstance(made, list) else None}
    # `getset`: a compiled class's computed attribute (`ndarray.size`); `type`: what its __get__ gives is read from it
    return {"found": True, "kind": "other", "type": _type_path(type(raw)), **({"getset": True} if isinstance(raw, types.GetSetDescriptorType) else {})}


def _cython_def(obj):
    """Is ``obj`` a ``def`` function Cython compiled with its Python signature (``np.random.seed``:
    a ``cython_function_or_method``, whose ``__code__`` and defaults Cython fills from the
    declaration; fused functions and other compiled callables are not)?"""
    return type(obj).__name__ == "cython_function_or_method" and getattr(obj, "__code__", None) is not None


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
        if _bound_in_source(mod, name) or _set_from_outside(mod, name) or _declared_by_own_stub(mod, name) \
                or _set_only_in_some_states(path, name):  # _worker_states.py
            return {"exists": None, "explanation": None}  # defined only on some platforms/versions, or later
        return {"exists": False, "explanation": _explanation(exc, name)}


def _bound_in_source(mod, name):
    """Does the module's source bind ``name`` at module level in some branch (``if WIN: import
    msvcrt``, ``try: from x import y``)?  Then its absence here depends on the platform."""
    path = getattr(mod, "__file__", None)
    tree = _module_tree(path) if path and path.endswith(".py") else None
    return tree is not None and (_binds(tree, name) or _written_on_itself(tree, getattr(mod, "__name__", ""), name))


def _declared_by_own_stub(mod, name):
    """Does the stub beside the module's ``.py`` (its package's own ``.pyi``) bind ``name``?  Then its
    code sets it at run time: alembic's ``context.pyi`` declares ``config``, which ``EnvironmentContext``
    writes into the module's namespace (handed over as ``globals()``) only while a migration runs."""
    path = getattr(mod, "__file__", None)
    stub = path[:-3] + ".pyi" if path and path.endswith(".py") else None
    tree = _module_tree(stub) if stub and os.path.isfile(stub) else None
    return tree is not None and _binds(tree, name, stub=True)


def _binds(tree, name, stub=False):
    """Does a module-level statement of ``tree``, in any branch, bind ``name``?  (In a stub an import
    binds only what it re-exports: ``import a as a``, ``from x import a as a``.)"""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if (alias.asname or alias.name.split(".")[0]) == name and (not stub or alias.asname == alias.name):
                    return True
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
        elif isinstance(node, ast.Global) and name in node.names:
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _written_on_itself(tree, module, name):
    """Do the module's functions write ``name`` onto the module itself, or a computed name
    (curses' ``initscr()`` runs ``setattr(curses, key, value)`` for every ``ACS_*`` constant,
    ``start_color()`` sets ``curses.COLORS``)?  Those exist once the function has run."""
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            own.update(a.asname or a.name for a in node.names if a.name == module and (a.asname or "." not in a.name))
    if not own:
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id in own and target.attr == name:
                    return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id in own:
            key = node.args[1]
            if not (isinstance(key, ast.Constant) and key.value != name):
                return True
    return False


def handle(request):
    op = request.get("op")
    if op == "ping":
        return {"ok": True, "trees": len(_TREES), "parsed": _PARSED[0]}
    if op == "describe":
        return describe(request["path"])
    if op == "method":
        return method(request["path"], request["name"])
    if op == "instance":
        return instance(request["path"])
    if op == "attribute":
        return attribute(request["path"], request["name"])
    return {"error": "unknown op %r" % op}


# -- between questions ---------------------------------------------------------------------------

# seconds without a question after which what the last ones kept is let go
_IDLE = float(os.environ.get("VETPY_WORKER_LET_GO_SECONDS") or 1.0)


def _let_go():
    """Drop what answering kept that no later answer needs: the parsed source trees (a big
    module's tree is tens of MB: pandas' frame.py), linecache's copies of source files, cyclic
    garbage; then hand the freed memory back to the system (glibc).  Answers come in bursts
    (one analysis), so a tree is still parsed once per burst."""
    _save_facts()  # what the instance model learned about the standard library (_worker_instances.py)
    _TREES.clear()
    linecache.clearcache()
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except Exception:  # not glibc (macOS, musl, Windows): the memory is reused, not returned
        pass


def _requests(stream=None):
    """The lines of ``stream`` (the worker's copy of stdin), calling :func:`_let_go` once whenever none has come for
    ``_IDLE`` seconds since the last (POSIX; elsewhere after every answer)."""
    fd = _IN if stream is None else stream.fileno()
    pending = b""
    busy = False  # a request was answered since the last _let_go
    while True:
        while b"\n" not in pending:
            if busy and (os.name == "nt" or not select.select([fd], [], [], _IDLE)[0]):
                _let_go()
                busy = False
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                if pending:
                    yield pending.decode("utf-8", "replace")
                return
            pending += chunk
        line, _, pending = pending.partition(b"\n")
        busy = True
        yield line.decode("utf-8", "replace")


def main():
    for line in _requests():
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
    _save_facts()


if __name__ == "__main__":
    main()
