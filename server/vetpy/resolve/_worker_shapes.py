"""Call shapes a signature alone does not give, for the introspection worker: the overloads a
function taking ``*args``/``**kwargs`` declares, and the class an accessor descriptor makes
(pandas' ``Series.str``).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
before ``_worker.py``'s, whose helpers ``_param_json``, ``_bound_params``, ``_type_path`` and
``_NOT_A_CLASS`` it looks up when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import textwrap
import types


def _overloads(obj, bound):
    """The parameters of each ``@typing.overload`` the package declares for the function ``obj``
    (Python 3.11+ records them), in :func:`_signature`'s form; None without any.  A function
    taking ``*args``/``**kwargs`` describes the calls it accepts with them (pytest.raises,
    tenacity.retry)."""
    import typing

    get = getattr(typing, "get_overloads", None)
    func = inspect.unwrap(getattr(obj, "__func__", obj))
    try:
        found = get(func) if get is not None and inspect.isfunction(func) else []
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
    forms = []
    for overload in found:
        params = _bound_params(overload, bound)
        if params is None:
            return None
        forms.append([_param_json(p) for p in params])
    return forms or None


def _accessor_class(raw):
    """The class path of what the accessor descriptor ``raw`` makes for an instance: its class's
    ``__get__(self, obj, cls)`` is ``if obj is None: return ...`` then ``return self.<attr>(obj)``,
    ``<attr>`` a class whose construction is plain (no ``__new__`` of its own, no metaclass
    ``__call__``): pandas' ``Accessor("str", StringMethods)``; or whose own ``__new__`` returns
    one of several plainly made classes (:func:`_dispatched`, pandas' ``Series.dt``): their union
    form.  None for anything else."""
    kind = type(raw)
    get = getattr(kind, "__get__", None)
    if not inspect.isfunction(get) or hasattr(kind, "__set__") or hasattr(kind, "__delete__"):
        return None
    try:
        fn = ast.parse(textwrap.dedent(inspect.getsource(get))).body[0]
    except Exception:  # no source, or source that does not parse alone: unknown
        return None
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args] if isinstance(fn, ast.FunctionDef) else []
    if len(params) < 2 or fn.decorator_list:
        return None
    me, obj = params[0], params[1]
    body = [st for st in fn.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]
    if not body or not isinstance(body[-1], ast.Return):
        return None
    for st in body[:-1]:  # only `if obj is None: return ...` before
        if not (isinstance(st, ast.If) and not st.orelse and len(st.body) == 1 and isinstance(st.body[0], ast.Return)
                and isinstance(st.test, ast.Compare) and isinstance(st.test.left, ast.Name) and st.test.left.id == obj
                and isinstance(st.test.ops[0], ast.Is) and isinstance(st.test.comparators[0], ast.Constant)
                and st.test.comparators[0].value is None):
            return None
    call = body[-1].value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
            and call.func.value.id == me and len(call.args) == 1 and not call.keywords
            and isinstance(call.args[0], ast.Name) and call.args[0].id == obj):
        return None
    try:
        made = inspect.getattr_static(raw, call.func.attr)
    except AttributeError:
        return None
    if not isinstance(made, type) or type(made).__call__ is not type.__call__:
        return None
    if made.__new__ is not object.__new__:
        return _dispatched(made)
    path = _type_path(made)
    return path if path not in _NOT_A_CLASS else None


def _plainly_made(cls):
    """Is ``cls`` a class whose call makes an instance of exactly ``cls`` (no ``__new__`` of its
    own or of a base, no metaclass ``__call__``)?"""
    return isinstance(cls, type) and type(cls).__call__ is type.__call__ and cls.__new__ is object.__new__


def _dispatched(made):
    """["typing.Union", class paths...] when ``made``'s own ``__new__`` (a Python function) ends
    only by raising or by ``return C(...)``, each ``C`` a module global naming a plainly made class
    (:func:`_plainly_made`): pandas' ``CombinedDatetimelikeProperties`` picks
    ``DatetimeProperties``, ``TimedeltaProperties``, ``PeriodProperties`` or
    ``ArrowTemporalProperties`` by the dtype, so ``Series.dt`` is one of them; None for anything
    else (a return of another value, a bare ``return``, a ``yield``, a nested function)."""
    new = vars(made).get("__new__")
    func = getattr(new, "__func__", None)
    if not inspect.isfunction(func):
        return None
    try:
        fn = ast.parse(textwrap.dedent(inspect.getsource(func))).body[0]
    except Exception:  # no source, or source that does not parse alone: unknown
        return None
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list:
        return None
    paths = []
    for node in ast.walk(fn):
        if node is not fn and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                                                ast.Yield, ast.YieldFrom)):
            return None
        if not isinstance(node, ast.Return):
            continue
        call = node.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute))):
            return None
        made_here = _global_named(func, call.func)  # _worker_passes.py
        if not _plainly_made(made_here):
            return None
        path = _type_path(made_here)
        if path in _NOT_A_CLASS:
            return None
        if path not in paths:
            paths.append(path)
    body = [st for st in fn.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]
    if not paths or not body or not isinstance(body[-1], (ast.Return, ast.Raise)):
        return None  # may run off its end: None
    return ["typing.Union", *paths] if len(paths) > 1 else paths[0]


# What an annotation expression may be made of to be evaluated (no call, no comprehension ...).
_ANNOTATION_NODES = (ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.List, ast.Constant, ast.BinOp, ast.BitOr,
                     ast.Load, ast.expr_context)


def _declared_attribute(annotation, namespace):
    """The answer for an instance attribute that the class's code declares once with a type
    (``self.filters: Dict[str, F] = ...``): read like an annotated property (a subclass instance
    may be stored), its type evaluated in the module's namespace; unknown when it cannot be."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return {"found": False}
    if not all(isinstance(n, _ANNOTATION_NODES) for n in ast.walk(annotation)):
        return {"found": False}
    try:
        hint = eval(compile(ast.Expression(body=annotation), "<annotation>", "eval"), dict(namespace))
    except NameError:  # a class imported only for type checking (Flask's `self.request: Request`)
        hint = _imported_for_checking(annotation, namespace)
    except Exception:  # a string inside ...: unknown
        return {"found": False}
    if hint is None or isinstance(hint, str):
        return {"found": False}
    form = _type_form(_without_none_hint(hint), 0)
    if isinstance(form, list):
        if form[0] == "typing.Union":
            return {"found": False}
        return {"found": True, "kind": "property", "returns": form[0], "returns_form": form, "assigned": True,
                "annotated": True}
    if not isinstance(form, str) or form == "self" or form in _NOT_A_CLASS:
        return {"found": False}
    return {"found": True, "kind": "property", "returns": form, "assigned": True, "annotated": True}


def _imported_for_checking(annotation, namespace):
    """The class a bare name that the module does not bind names through a ``from ... import``
    of the module's source (under ``TYPE_CHECKING``), or None."""
    if not isinstance(annotation, ast.Name) or annotation.id in namespace:
        return None
    found = _source_import(types.SimpleNamespace(__module__=namespace.get("__name__")), annotation.id)
    return found if isinstance(found, type) else None


def _called_on(call, me):
    """Is ``call`` a call of a method of the parameter ``me`` (``self.make_config(...)``)?"""
    func = call.func
    return me is not None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == me


def _stored_return(cls, name):
    """The answer for an instance attribute the class's code sets once to what its own method
    ``name`` returns: that method's annotated return class on ``cls`` (a subclass may be given)."""
    raw = next((klass.__dict__[name] for klass in cls.__mro__ if name in klass.__dict__), None)
    if not inspect.isfunction(raw):
        return {"found": False}
    ret = _returns(raw)
    if not ret or ret == "self" or ret in _NOT_A_CLASS:
        return {"found": False}
    return {"found": True, "kind": "property", "returns": ret, "assigned": True, "annotated": True}


def _copied_container(call, namespace):
    """``builtins.dict`` (list, set) for ``GLOBAL.copy()``, GLOBAL a module-level dict (list, set)
    of exactly that builtin class: its copy is one; None for anything else."""
    func = call.func
    if call.args or call.keywords or not isinstance(func, ast.Attribute) or func.attr != "copy":
        return None
    held = _global_value_in(namespace, func.value)
    return "builtins." + type(held).__name__ if type(held) in (dict, list, set) else None


_READING_CALLS = {"len", "enumerate", "iter", "list", "tuple", "set", "sorted", "bool"}


def _arguments_read(fn, args, kwargs):
    """How many uses of a wrapper's ``*args``/``**kwargs`` in ``fn`` only read them (``len(args)``,
    ``for a in args``, ``kwargs.keys()``, ``"x" in kwargs``, ``args[0]``): validation that leaves
    what is passed on unchanged (``_READING_METHODS``: _worker_instances.py's).  A name bound or
    mutated (``kwargs.pop``) is no read."""
    parents = {child: node for node in ast.walk(fn) for child in ast.iter_child_nodes(node)}
    count = 0
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Name) and node.id in (args, kwargs) and isinstance(node.ctx, ast.Load)):
            continue
        up = parents.get(node)
        if isinstance(up, ast.Call) and node in up.args and isinstance(up.func, ast.Name) and up.func.id in _READING_CALLS \
                or isinstance(up, (ast.For, ast.comprehension)) and up.iter is node \
                or isinstance(up, ast.Compare) and node in up.comparators and all(isinstance(o, (ast.In, ast.NotIn)) for o in up.ops) \
                or isinstance(up, ast.Subscript) and up.value is node and isinstance(up.ctx, ast.Load) \
                or isinstance(up, ast.Attribute) and up.attr in _READING_METHODS and isinstance(parents.get(up), ast.Call):
            count += 1
    return count


def _reraises(node):
    """Does every handler of the ``try`` statement ``node`` end by raising (nothing is swallowed),
    with no ``else``/``finally`` that could end the function?"""
    return not node.orelse and not node.finalbody and all(h.body and isinstance(h.body[-1], ast.Raise) for h in node.handlers)


def _descriptor_read(path, value):
    """The annotated return (a class path or generic form) of the function a descriptor of a class
    wraps (``fget``/``func``/``__func__``: pydantic's ``model_fields``, a class property), when
    reading it on the class gave ``value``, an instance of exactly that class; else None."""
    owner_path, _, name = path.rpartition(".")
    try:
        owner = _resolve(owner_path)[0] if owner_path else None
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
    if not isinstance(owner, type):
        return None
    raw = next((klass.__dict__[name] for klass in owner.__mro__ if name in klass.__dict__), None)
    if raw is None or isinstance(raw, (property, classmethod, staticmethod, type)) or inspect.isfunction(raw) \
            or not hasattr(type(raw), "__get__"):
        return None
    fn = next((getattr(raw, a) for a in ("fget", "func", "__func__") if getattr(raw, a, None) is not None), None)
    if not (inspect.isfunction(fn) or isinstance(fn, classmethod)):
        return None
    form = _returns_form(fn) or _returns(fn)
    head = form[0] if isinstance(form, list) else form
    if not isinstance(head, str) or head in _NOT_A_CLASS or _type_path(type(value)) != head:
        return None  # the value read is no instance of exactly what it is annotated to be
    return form


def _hint_through_source(func, text):
    """The return hint of ``func`` whose string annotation ``text`` names classes its module
    imports only under ``TYPE_CHECKING``: each such name resolved through the module source's
    imports (as :func:`_source_import` does), then evaluated; None when any name stays unknown."""
    import typing

    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    known = getattr(func, "__globals__", {})
    local = {}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in known and not hasattr(__import__("builtins"), sub.id):
            value = _source_import(func, sub.id)
            if value is None:
                return None
            local[sub.id] = value
    if not local:
        return None
    try:
        return _without_none_hint(typing.get_type_hints(func, localns=local).get("return"))
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None


_READ_ONLY_BUILTINS = ("dict", "len", "list", "tuple", "set", "sorted", "bool")


def _inspecting_reads(wrapper, fn, args, kwargs):
    """The uses of a wrapper's ``*args``/``**kwargs`` (``fn``: its FunctionDef) that hand them, as a
    plain positional argument, to a module-level Python function which cannot change what the wrapper
    passes on: the tuple ``args`` cannot be changed, and the dict ``kwargs`` is only read there
    (iterated, tested, subscripted, copied, measured or merged into another dict).  A wrapper that
    looks at the call (redis' ``experimental_args`` warns about some keywords) before passing it on."""
    code = wrapper.__code__
    local = set(code.co_varnames) | set(code.co_freevars) | set(code.co_cellvars)
    reads = []
    for call in ast.walk(fn):
        if not isinstance(call, ast.Call) or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        mine = [(i, a) for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id in (args, kwargs)]
        if not mine or (isinstance(call.func, ast.Name) and call.func.id in local):
            continue  # a closure or local name: not the module's function
        helper = _global_value(wrapper, call.func)
        node = _function_node(helper) if inspect.isfunction(helper) else None
        if node is None or node.args.vararg is not None:
            continue
        params = node.args.posonlyargs + node.args.args
        reads += [a for i, a in mine if i < len(params) and (a.id == args or _only_read(helper, node, params[i].arg))]
    return reads


def _only_read(helper, node, name):
    """Is the dict parameter ``name`` of the function ``node`` (``helper``) only read in it?"""
    parents = {c: p for p in ast.walk(node) for c in ast.iter_child_nodes(p)}
    for n in ast.walk(node):
        if isinstance(n, (ast.Global, ast.Nonlocal)) or isinstance(n, ast.arg) and n.arg == name and n not in (
                node.args.posonlyargs + node.args.args):
            return False  # rebound elsewhere, or a nested function's parameter of the same name
        if not (isinstance(n, ast.Name) and n.id == name):
            continue
        parent = parents.get(n)
        if not isinstance(n.ctx, ast.Load):
            return False
        if _read_only(n, parents):
            continue
        if isinstance(parent, ast.Call) and n in parent.args and not parent.keywords and len(parent.args) == 1:
            func = parent.func
            if isinstance(func, ast.Attribute) and func.attr == "update" and not (
                    isinstance(func.value, ast.Name) and func.value.id == name):
                continue  # merged into another mapping
            if isinstance(func, ast.Name) and func.id in _READ_ONLY_BUILTINS and func.id not in helper.__globals__:
                continue
        return False
    return True


def _transforms(cls):
    """May a subclass of ``cls`` get a constructor of its own without defining one: is ``cls``, a
    base or its metaclass marked ``@dataclass_transform`` (PEP 681: a constructor made from each
    subclass's fields, as pydantic's and SQLAlchemy's), does a base define ``__init_subclass__``, or
    the metaclass ``__call__``?"""
    try:
        for k in (*type(cls).__mro__, *cls.__mro__):
            if k is object or k is type:
                continue
            if getattr(k, "__dataclass_transform__", None) is not None or "__init_subclass__" in vars(k):
                return True
            if isinstance(k, type) and issubclass(k, type) and "__call__" in vars(k):
                return True  # a metaclass's own __call__ (enum's) decides per class what a call takes
        return False
    except Exception:  # third-party code may raise anything here: treat as unknown
        return True


def _metaclass_call(cls):
    """Does calling ``cls`` run a ``__call__`` of its metaclass other than ``type``'s (which may
    return anything: Enum's functional API makes a class)?"""
    try:
        for klass in type(cls).__mro__:
            if "__call__" in klass.__dict__:
                return klass is not type
    except Exception:  # a broken metaclass: the call may do anything
        return True
    return False


def _is_enum(cls):
    try:
        import enum

        return isinstance(cls, enum.EnumMeta)
    except Exception:
        return False


def _keywords_closed(cls):
    """Is it known that constructing ``cls`` takes no ``**kwargs`` (which a compiled class may
    store as attributes: ``types.SimpleNamespace(run=f)``)?  False when that cannot be told."""
    try:
        params = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return False
    return not any(p.kind == p.VAR_KEYWORD for p in params)


def _type_arguments(cls, owner):
    """{type variable of the generic class ``owner``: the class it stands for} in instances of its
    subclass ``cls``, read from the parametrised bases (``class DataFrameGroupBy(GroupBy[DataFrame])``,
    ``class GroupBy(BaseGroupBy[NDFrameT])``); only what is bound to a class; None when nothing is."""
    import typing

    def walk(klass, env, depth):
        if klass is owner:
            return env
        if depth > 8:
            return None
        for base in klass.__dict__.get("__orig_bases__", ()):
            origin = typing.get_origin(base)
            if not isinstance(origin, type) or origin is typing.Generic or owner not in getattr(origin, "__mro__", ()):
                continue
            args = [env.get(a, a) if isinstance(a, typing.TypeVar) else a for a in typing.get_args(base)]
            params = getattr(origin, "__parameters__", ())
            found = walk(origin, dict(zip(params, args)) if len(params) == len(args) else {}, depth + 1)
            if found is not None:
                return found
        for base in klass.__bases__:
            if owner in getattr(base, "__mro__", ()):
                found = walk(base, {}, depth + 1)
                if found is not None:
                    return found
        return None

    try:
        found = walk(cls, {}, 0) or {}
    except Exception:  # third-party classes may raise anything here: treat as unknown
        return None
    return {k: v for k, v in found.items() if isinstance(v, type)} or None


def _delegated(cls, func, depth=0):
    """What the method ``func`` of an instance of ``cls`` returns when every ``return`` of it hands
    on what one other method of the instance returns (Django's ``RequestFactory.get``: ``return
    self.generic(...)``, which returns ``self.request(**r)``, which builds a ``WSGIRequest``),
    that method looked up on ``cls`` (a subclass may override it: ``Client.request``); None when
    unknown.  Followed three deep."""
    if depth > 3 or not inspect.isfunction(func) or hasattr(func, "__wrapped__") or inspect.isgeneratorfunction(func):
        return None
    try:
        fn = ast.parse(textwrap.dedent(inspect.getsource(func))).body[0]
    except Exception:  # no source, or source that does not parse alone: unknown
        return None
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list or not fn.args.args:
        return None
    me = fn.args.args[0].arg
    if any(isinstance(n, ast.Name) and n.id == me and not isinstance(n.ctx, ast.Load) for n in ast.walk(fn)):
        return None
    names = set()
    for ret in _own_returns(fn):
        value = ret.value
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and isinstance(value.func.value, ast.Name) and value.func.value.id == me):
            return None
        names.add(value.func.attr)
    if len(names) != 1:
        return None
    name = names.pop()
    raw = next((klass.__dict__[name] for klass in cls.__mro__ if name in klass.__dict__), None)
    if not inspect.isfunction(raw):
        return None
    return _returns(raw) or _delegated(cls, raw, depth + 1)
