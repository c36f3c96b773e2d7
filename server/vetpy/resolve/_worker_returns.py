"""What calling an installed callable gives and takes, for the introspection worker: its return type (a
class, "self" for ``return self``/``Self``/``return cls(...)``, a generic form such as ``list[Path]``) and
the keywords its ``**kwargs`` reaches (followed through the calls it forwards them to: functions, methods
of ``self``, of module-level instances, of a ``with`` target; a local dict it is merged into:
_worker_merges.py).  Stdlib only; runs INSIDE the target interpreter as part of the worker program
(its source is put between ``_worker_instances.py``'s and ``_worker.py``'s, whose helpers it looks up
when it runs: ``_signature``, ``_resolve``, ``_type_path``, ``_canonical``, ``_getattr_kind``,
``_module_tree``, ``_NOT_A_CLASS``).  Never imported by vetpy."""

import ast
import inspect
import os
import sys
import textwrap
import types

_FOLLOWING = set()  # functions whose forwarding is being worked out (a cycle is open)


def _forwarded_keywords(func, kwname, depth, owner=None, returning=False):
    """When ``**kwname`` is only ever passed on (``target(..., **kw)``) to callables whose own
    keywords are closed, the keywords those targets accept; else None (open)."""
    key = (id(func), id(owner))
    if depth > 3 or key in _FOLLOWING or len(_FOLLOWING) > 8:
        return None
    _FOLLOWING.add(key)
    try:
        return _forwarded(func, kwname, depth, owner, returning)
    finally:
        _FOLLOWING.discard(key)


def _forwarded(func, kwname, depth, owner, returning=False):
    raw = getattr(func, "__func__", func)
    wrapper = getattr(raw, "__wrapped__", None) is not None and inspect.isfunction(raw)
    try:  # a wrapper's own code (``inspect.getsource`` would give the wrapped function's)
        tree = ast.parse(textwrap.dedent(inspect.getsource(raw.__code__ if wrapper else func)))
    except (OSError, TypeError, SyntaxError):
        return None
    fn = _merged_spreads(tree.body[0], kwname) if tree.body else None  # `x.update(kw); f(**x)`: as `f(**kw)`
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = {a.arg: a for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    copied = _copied(fn, kwname, params)  # `kwargs = kwds.copy()`: the copy is what goes on
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
    accepted, consumed, depends, uses, recursions = set(), set(), set(), 0, 0
    harmless = set()  # `not kw`, `if kw:` only test whether keywords were given
    if copied != kwname:  # (the copy's one binding is no use of it)
        kwname = copied
        harmless.update(id(n) for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == kwname and isinstance(n.ctx, ast.Store))
    for node in ast.walk(fn):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            harmless.add(id(node.operand))
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
            harmless.add(id(node.test))
        elif isinstance(node, ast.BoolOp):
            harmless.update(id(v) for v in node.values)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            harmless.add(id(node.comparators[0]))  # `"stdin" in kw`
            if (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                    and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id == kwname):
                consumed.add(node.left.value)  # the key is looked at by name: the function handles it (may return first)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and node.args:
            harmless.add(id(node.args[0]))  # `if len(kw):`
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
    returned = _returned_at(fn, kwname, harmless)  # `return handles, labels, kw`: handed back
    harmless.update(_kept_rebinds(func, raw, fn, kwname))  # `args, kw = remap(args, kw)`: every key kept (_worker_rebinds.py)
    rebinds, handed_back = _rebinding(fn, kwname), set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id == kwname and id(node) not in harmless:
            uses += 1
    forwards = 0
    via_self = False
    through = set()  # methods called on an instance known only by a declared return
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        sink = _self_dict_sink(fn, node, kwname, owner)  # `self._internal_update(kw)`: the dict handed on whole
        if sink is not None:
            if not _escapes(func, fn, node):
                return None  # what the sink raises may be caught (_worker_passes.py)
            forwards, via_self = forwards + 1, True
            accepted.update(sink)
            continue
        dropped = _filtered_spread(fn, node, kwname)  # `**{k: v for k, v in kw.items() if k not in KEYS}`
        if dropped is not None:
            accepted.update(dropped)  # left out of the call: taken without a TypeError
        elif not any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwname for k in node.keywords):
            continue
        if not _escapes(func, fn, node):
            return None  # the TypeError of a keyword the callee rejects may be caught (_worker_passes.py)
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
            found = _base_class_call(func, fn, node, owner, _forward_method(func, fn, node.func.value.id, node.func.attr, params, owner))
            if found is None:
                return None
            if found[1] and found[2] is None:  # on an instance known by a declared return: an override decides
                through.add(node.func.attr)
                via_self = via_self or owner is not None
            candidates.append(found)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
            found = _forward_to_new(func, fn, node.func.value, node.func.attr, owner)
            if found is None:
                return None
            if found[2] is None:
                through.add(node.func.attr)
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
                if target is raw and receiver is owner is not None:  # `self.urlopen(**kw)` in urlopen itself:
                    recursions += 1  # takes what this one takes (closed only when a forward elsewhere is)
                    continue
            elif not isinstance(expr, ast.Name):
                return None
            elif expr.id in getattr(getattr(raw, "__code__", None), "co_freevars", ()):
                target = _wrapped_cell(raw, expr.id)  # a closure variable: only the wrapped function is followed
            else:
                target = func.__globals__.get(expr.id) if hasattr(func, "__globals__") else None
                if target is None:
                    target = getattr(__import__("builtins"), expr.id, None)
            if target is None:
                return None
            sig = _signature(target, bound=bound, owner=receiver) if receiver or not bound else _declared_signature(target)
            if sig is None:
                return None
            through.update((sig["forwards"] or {}).get("through") or ())
            for name, kind, _default in sig["params"]:
                if kind == 4:
                    if sig["forwards"] is None:  # or the callee hands the dict back, rebound here
                        back = _returned_keywords(target, name, depth, receiver if bound else None, rebinds.get(id(node)))
                        if back is None:
                            return None
                        accepted.update(back["accepted"])
                        through.update(back.get("through") or ())
                        via_self, handed_back = via_self or bool(back.get("via_self")), handed_back | {id(node)}
                        continue
                    accepted.update(sig["forwards"]["accepted"])
                    via_self = via_self or bool(sig["forwards"].get("via_self"))
                elif kind in (1, 3):
                    accepted.add(name)
    if returned is not None and not (returning and forwards == 0) or returned is None and returning:
        return None  # handed back (or not) where the caller expects the other
    if returned is None and forwards == recursions or forwards + len(handed_back) != uses:  # + the names bound again
        return None  # **kw is also read, stored or passed some other way
    result = {"accepted": sorted(accepted | consumed), "depends": sorted(depends)}
    if returned is not None:
        result["returned"] = returned
    if via_self:
        result["via_self"] = True  # through `self.method(**kw)`: a subclass's override decides
    if through:
        result["through"] = sorted(through)  # a project subclass's override of these decides
    return result


def _forward_to_new(func, fn, call, attr, owner):
    """What ``super().attr(**kw)`` (in a method of a class of ``owner``'s MRO) or
    ``Cls(...).attr(**kw)`` (a new instance of a class in the globals) calls: (the plain
    function, True, the class it is bound to), or None."""
    if isinstance(call.func, ast.Name) and call.func.id == "super" and not call.args and not call.keywords:
        if owner is None or not isinstance(owner, type):
            return None
        mro = owner.__mro__
        defining = [i for i, k in enumerate(mro) if any(v is func for v in vars(k).values())]
        if len(defining) != 1:
            return None
        for klass in mro[defining[0] + 1:]:
            if attr in vars(klass):
                method = vars(klass)[attr]
                # which class comes next depends on the MRO of self's class: a subclass may insert one
                return (method, True, owner) if inspect.isfunction(method) else None
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    cls = _global_value(func, call.func)
    if inspect.isfunction(cls) and not call.args and not call.keywords:  # `_get_default_session().client(**kw)`
        return _singleton_method(cls, attr) or _declared_method(cls, attr)
    if not isinstance(cls, type) or _plain_init(cls) is None and not _plain_construction(cls):
        return None
    return _bound_method(cls, attr, None)


def _plain_construction(cls):
    """Does ``cls(...)`` make an instance of exactly ``cls`` the plain way (no metaclass
    ``__call__``, no ``__new__`` of its own)?"""
    try:
        return type(cls).__call__ is type.__call__ and cls.__new__ is object.__new__
    except Exception:  # third-party metaclasses may raise anything here: treat as not plain
        return False


def _plain_init(cls):
    """The plain Python ``__init__`` that ``cls(...)`` runs, when the construction is plain
    and the signature is that function's; else None."""
    if not _plain_construction(cls) or not _generic_lookup(cls):  # (`self.m(**kw)` in it: _worker_key_patterns.py)
        return None
    if any("__signature__" in vars(k) or "__text_signature__" in vars(k) for k in cls.__mro__[:-1]):
        return None
    init = next((vars(k)["__init__"] for k in cls.__mro__ if "__init__" in vars(k)), None)
    if not inspect.isfunction(init) or getattr(init, "__wrapped__", None) is not None:
        return None
    return init


def _passed_through(wrapper):
    """The callable a decorator's ``wrapper`` (``__wrapped__`` set) passes every call to unchanged,
    so that its signature is the wrapper's: numpy's array-function dispatchers, ``functools``
    caches, and a plain function ``def w(*args, **kwargs)`` whose body calls the wrapped function
    (a closure variable holding it) with exactly ``(*args, **kwargs)``, first thing that may end it,
    and uses ``args``/``kwargs`` for nothing else.  None when the wrapper may do anything else."""
    wrapped = getattr(wrapper, "__wrapped__", None)
    kind = type(wrapper)
    if (kind.__module__, kind.__name__) == ("numpy", "_ArrayFunctionDispatcher"):
        # calls its Python dispatcher first, with every argument; numpy checks (verify=True) that the
        # dispatcher's signature is the implementation's, which inspect.signature gives
        return wrapper
    if (kind.__module__, kind.__name__) == ("functools", "_lru_cache_wrapper"):
        return wrapped if inspect.isfunction(wrapped) else None  # a call it has not cached runs the function
    if not inspect.isfunction(wrapper) or not inspect.isfunction(inspect.unwrap(wrapped)):
        return None
    code = wrapper.__code__
    if (code.co_kwonlyargcount or code.co_posonlyargcount
            or code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) != inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    if code.co_argcount and not _leads_positionally(wrapped, code.co_argcount):
        return None
    cells = dict(zip(code.co_freevars, wrapper.__closure__ or ()))
    holders = set()
    for name, cell in cells.items():
        try:
            if cell.cell_contents is wrapped:
                holders.add(name)
        except ValueError:  # an empty cell
            continue
    fn = _nested_function_node(code)
    if fn is None or not holders:
        return None
    holders |= _deferring_holders(cells, wrapped)  # Django's keep_lazy: `lazy_func(*args, **kwargs)`
    args, kwargs = fn.args.vararg.arg, fn.args.kwarg.arg
    leading = [a.arg for a in fn.args.args]  # `wrapper(self, *args, **kwargs)`: passed on first, unchanged
    if len(leading) != code.co_argcount or fn.args.defaults or any(
            isinstance(n, ast.Name) and n.id in leading and not isinstance(n.ctx, ast.Load) for n in ast.walk(fn)):
        return None
    passes = [n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in holders
              and _spreads(n, args, kwargs, leading)]
    binds = _signature_binds(wrapper, fn, holders, args, kwargs, leading)
    uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in (args, kwargs)]
    # `for i, _ in enumerate(args)`, `kwargs.keys()`, `chain(args, ...)`: validation; or handed to a function
    # that only looks at them (to warn about some argument) first
    reads = _arguments_read(fn, args, kwargs) + len(_inspecting_reads(wrapper, fn, args, kwargs)) + _chained_reads(wrapper, fn, args)
    if not passes or len(uses) != 2 * (len(passes) + len(binds)) + reads:
        return None
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) and holders & set(n.names) for n in ast.walk(fn)):
        return None
    # the first pass (or bind to its signature) runs unless a statement before it raises (_worker_passes.py)
    return wrapped if _passes_first(wrapper, fn.body, passes, binds) else None


def _spreads(call, args, kwargs, leading=()):
    """Is ``call``'s argument list exactly ``(*leading, *args, **kwargs)``?"""
    n = len(leading)
    if len(call.args) != n + 1 or any(not (isinstance(a, ast.Name) and a.id == name)
                                      for a, name in zip(call.args, leading)):
        return False
    last = call.args[n]
    return (isinstance(last, ast.Starred) and isinstance(last.value, ast.Name)
            and last.value.id == args and len(call.keywords) == 1 and call.keywords[0].arg is None
            and isinstance(call.keywords[0].value, ast.Name) and call.keywords[0].value.id == kwargs)


def _signature_binds(wrapper, fn, holders, args, kwargs, leading):
    """The calls ``sig.bind(*args, **kwargs)`` in ``fn`` where ``sig = inspect.signature(<the
    wrapped function>)`` once in ``fn`` (scikit-learn's ``validate_params``): they raise TypeError
    for a call the wrapped signature does not take, as passing it on would."""
    made = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            made.setdefault(node.targets[0].id, []).append(node.value)
    signatures = {name for name, values in made.items() if len(values) == 1 and isinstance(values[0], ast.Call)
                  and _global_value(wrapper, values[0].func) is inspect.signature and len(values[0].args) == 1
                  and not values[0].keywords and isinstance(values[0].args[0], ast.Name) and values[0].args[0].id in holders}
    stored = {t.id for n in ast.walk(fn) if isinstance(n, (ast.AugAssign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr))
              for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    signatures -= stored
    return [n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "bind"
            and isinstance(n.func.value, ast.Name) and n.func.value.id in signatures and _spreads(n, args, kwargs, leading)]


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
        return _own_method(owner, attr)  # _worker_key_patterns.py
    if name in params:
        return None
    bindings = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            bindings.append((node.value, False))
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
                isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == name for i in node.items):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    bindings.append((item.context_expr, isinstance(node, ast.With)) if isinstance(node, ast.With) else (None, False))
        elif _binds_name(node, name):  # _worker_sinks.py
            bindings.append((None, False))  # rebound some other way: not followed
    if not bindings:
        value = _global_value(func, ast.Name(id=name))
        if isinstance(value, types.ModuleType):
            target = getattr(value, attr, None)
            return (target, False, None) if callable(target) else None
        if isinstance(value, type):
            return _class_attribute_call(value, attr)  # `Cls.build(**kw)`: _worker_sinks.py
        if value is None or inspect.isroutine(value):
            return None
        return _bound_method(type(value), attr, value)  # a module-level instance (`DEFAULTPARSER.parse`)
    if len(bindings) != 1 or bindings[0][0] is None:
        return None
    value, entered = bindings[0]
    if not isinstance(value, ast.Call):
        return None
    cls = _global_value(func, value.func)
    if not isinstance(cls, type) or _getattr_kind(cls) != "none":
        return None if entered else _declared_local_method(func, fn, value, attr, owner)  # _worker_sinks.py
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
    return _annotation_node(func, node)


def _annotation_node(func, node):
    """The class path the annotation ``node`` (parsed from text) names, "self", or None."""
    if isinstance(node, ast.Subscript):
        node = node.value  # "list[Row]" -> list (a generic class: its origin)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):  # "models.User"
        owner = getattr(func, "__globals__", {}).get(node.value.id)
        if owner is None:  # `from . import ImageFile` under TYPE_CHECKING: the module the source names
            owner = _source_import(func, node.value.id)
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
    obj = _source_import(func, node.id)
    return _type_path(obj) if isinstance(obj, type) else None


def _source_import(func, name):
    """The object ``name`` names through a ``from ... import`` of the source of ``func``'s module
    (often only under ``TYPE_CHECKING``), or None."""
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
                if (alias.asname or alias.name) == name:
                    try:
                        obj, missing = _resolve(_imported_path(module, is_package, stmt, alias))
                    except Exception:  # third-party code may raise anything here: treat as unknown
                        return None
                    return obj if missing is None else None
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


def _context_manager_kind(obj):
    """The class of what calling ``obj`` gives when it is a generator function wrapped by
    ``contextlib.contextmanager`` / ``asynccontextmanager`` (whose ``__wrapped__`` keeps the
    generator's annotations: ``Iterator[X]`` is what the ``with`` target gets, not the result)."""
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) or inspect.ismethod(obj) else obj
    code = getattr(target, "__code__", None)
    if code is not None and _generator_manager_made(target):  # _worker_managers.py: `contextmanager` by another name
        return "contextlib._GeneratorContextManager"
    if code is None or getattr(target, "__wrapped__", None) is None or code.co_name != "helper":
        return None
    contextlib = sys.modules.get("contextlib")
    if contextlib is None or os.path.normcase(code.co_filename) != os.path.normcase(getattr(contextlib, "__file__", "")):
        return None
    kind = {"contextmanager": "_GeneratorContextManager", "asynccontextmanager": "_AsyncGeneratorContextManager"}.get(
        code.co_qualname.split(".")[0] if hasattr(code, "co_qualname") else "")
    return "contextlib." + kind if kind else None


def _context_manager_form(obj):
    """[``contextlib._GeneratorContextManager``, what it yields] of a ``contextmanager`` function
    annotated ``Iterator[X]`` / ``Generator[X, ...]`` (or the async forms); None otherwise."""
    kind = _context_manager_kind(obj)
    if kind is None:
        return None
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) or inspect.ismethod(obj) else obj
    try:
        import typing

        ret = typing.get_type_hints(target).get("return")
    except Exception:  # a parameter's annotation that does not evaluate: the return's alone (_worker_managers.py)
        ret = _return_hint_alone(target)
    args = getattr(ret, "__args__", None)
    origin = getattr(ret, "__origin__", None)
    import collections.abc as abc

    generators = (abc.Iterator, abc.Generator, abc.AsyncIterator, abc.AsyncGenerator, abc.Iterable, abc.AsyncIterable)
    if origin in generators and args:
        return [kind, _type_form(args[0], 1)]
    return [kind, None]


def _returns(obj):
    """What calling ``obj`` returns: a class path, "self" (``return self``, ``Self``; of a
    classmethod: ``return cls(...)``: an instance of the class it is called on), or None."""
    kind = _context_manager_kind(obj)
    if kind is not None:
        return kind
    target = obj
    owner = getattr(obj, "__self__", None) if inspect.ismethod(obj) else None
    if owner is not None:
        return _returns_of(obj.__func__, classmethod=isinstance(owner, type))
    if isinstance(obj, (classmethod, staticmethod)):
        return _returns_of(obj.__func__, classmethod=isinstance(obj, classmethod))
    return _returns_of(target, classmethod=False)


def _returns_form(obj, env=None):
    """The return annotation of a generic class with its arguments (``list[Path]``):
    [origin path, argument forms...] (an argument: a class path, a form, "...", "self" or None);
    None when it is no generic class.  ``env``: the classes type variables stand for."""
    managed = _context_manager_form(obj)
    if managed is not None:
        return managed
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) or inspect.ismethod(obj) else obj
    if not inspect.isfunction(target):
        return None
    try:
        import typing

        ret = _without_none_hint(typing.get_type_hints(target).get("return"))
    except Exception:  # third-party code may raise anything here: treat as unknown
        raw = getattr(inspect.unwrap(target), "__annotations__", {}).get("return")
        ret = _hint_through_source(inspect.unwrap(target), raw) if isinstance(raw, str) else None
        if ret is None:  # `"Dict[str, FieldInfo]"`, FieldInfo imported for type checkers only: as its source says
            return _union_from_source(inspect.unwrap(target), raw) if isinstance(raw, str) else None
    form = _type_form(ret, 0, env)
    return form if isinstance(form, list) or env and isinstance(form, str) else None


def _union_from_source(func, text):
    """["typing.Union", class paths...] of a string return annotation naming a union of classes
    (``"Date | Time | DateTime"``, names often imported only under ``TYPE_CHECKING``), each
    member resolved as :func:`_annotation_from_source` resolves one class; None for anything else."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    parts = _text_union_members(node)
    if parts is None:
        return None
    forms = [_annotation_node(func, p) for p in parts
             if not (isinstance(p, ast.Constant) and p.value is None)]
    if len(forms) < 2 or any(f is None for f in forms):
        return None
    return ["typing.Union"] + forms


def _text_union_members(node):
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _text_union_members(node.left), _text_union_members(node.right)
        return (left or [node.left]) + (right or [node.right])
    head = node.value if isinstance(node, ast.Subscript) else None
    head = getattr(head, "id", None) or getattr(head, "attr", None)
    if head == "Union":
        return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if head == "Optional":
        return [node.slice, ast.Constant(value=None)]
    return None


def _type_form(tp, depth, env=None):
    if env and type(tp).__name__ == "TypeVar":
        tp = env.get(tp, tp)  # a type variable the receiver's class binds (DataFrameGroupBy: GroupBy[DataFrame])
    if tp is Ellipsis:
        return "..."
    if depth > 3:
        return None
    if _is_self_type(tp):
        return "self"
    import typing

    if typing.get_origin(tp) in (typing.Union, getattr(types, "UnionType", typing.Union)):
        # A | B: one of them (None aside: a name missing on every other member is missing on None too)
        forms = [_type_form(a, depth + 1, env) for a in typing.get_args(tp) if a is not type(None)]
        if not forms or any(f is None for f in forms):
            return None
        return forms[0] if len(forms) == 1 else ["typing.Union"] + forms
    origin = getattr(tp, "__origin__", None)
    args = getattr(tp, "__args__", None)
    if isinstance(origin, type) and isinstance(args, tuple):
        return [_type_path(origin)] + [_type_form(a, depth + 1, env) for a in args]
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
    if getattr(target, "__wrapped__", None) is not None:  # the wrapper's own returns (getsource gives the wrapped one's)
        return _wrapper_returns(target)  # _worker_keyed.py
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
        fn = tree.body[0]
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.args.args:
            me = fn.args.args[0].arg
            returns = _own_returns(fn)
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
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            made_class = _constructed(target, fn)
            if made_class is not None:
                return made_class
    except Exception:  # third-party code may raise anything here: treat as unknown
        pass
    return None


def _constructed(func, fn):
    """The class every ``return`` of an unannotated factory builds (``return PubSub(self.pool)``):
    a class of the module's globals, or imported in the function's body (not otherwise rebound in
    the function), whose instances look members up the plain way; None when any return gives something else (``None`` aside) or it is a generator."""
    returns, found = [], set()
    bound = _parameter_names(fn) | {t.id for t in ast.walk(fn) if isinstance(t, ast.Name) and not isinstance(t.ctx, ast.Load)}
    bound |= {n.name for n in ast.walk(fn) if n is not fn and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for node in _own_nodes(fn):  # a function or class defined inside has returns and yields of its own
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(node, ast.Return):
            returns.append(node.value)
    for value in returns:
        if value is None or isinstance(value, ast.Constant) and value.value is None:
            continue
        if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
            return None
        head, chain = value.func, []
        while isinstance(head, ast.Attribute):
            head, chain = head.value, [head.attr, *chain]
        if not isinstance(head, ast.Name) or head.id in bound:
            return None
        local, cls = _locally_imported(func, fn, head.id)  # `from .simple import SimpleQueue` in the body
        for attr in chain if local else ():
            cls = inspect.getattr_static(cls, attr, None) if isinstance(cls, (types.ModuleType, type)) else None
        cls = cls if local else _global_value(func, value.func)
        if inspect.isfunction(cls) and not local:  # `return ttest_1samp(...)`: what that function gives
            found.add(_returned_by(cls))  # _worker_keyed.py (None: unknown, so is the whole)
            continue
        if not isinstance(cls, type) or _getattr_kind(cls) != "none" or type(cls).__call__ is not type.__call__:
            return None  # not a class, or a metaclass whose call may give anything
        found.add(_type_path(cls))
    if len(found) != 1:
        return None
    path = found.pop()
    return path if path is not None and path not in _NOT_A_CLASS else None


def _own_returns(fn):
    """The ``return`` statements of ``fn``'s own body (not of the functions, lambdas and classes
    defined in it)."""
    return [n for n in _own_nodes(fn) if isinstance(n, ast.Return)]


def _own_nodes(fn):
    """The nodes of ``fn``'s own body: not those inside the functions, lambdas and classes defined
    in it (their default values and decorators aside), which run apart from it."""
    found, todo = [], list(ast.iter_child_nodes(fn))
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
    return found


def _parameter_names(fn):
    args = fn.args
    return {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a is not None}


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
