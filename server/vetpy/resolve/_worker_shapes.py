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
    ``__call__``): pandas' ``Accessor("str", StringMethods)``.  None for anything else."""
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
    if not isinstance(made, type) or type(made).__call__ is not type.__call__ or made.__new__ is not object.__new__:
        return None
    path = _type_path(made)
    return path if path not in _NOT_A_CLASS else None


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
