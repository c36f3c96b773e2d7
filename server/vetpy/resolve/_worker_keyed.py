"""A decorator's wrapper that reads, pops or sets some keywords by name and then passes the call on:
pandas' ``deprecate_kwarg`` (``old = kwargs.pop(old_arg_name, None)`` ... ``return func(*args,
**kwargs)``), which stands on ``pandas.testing.assert_frame_equal``, so that
``assert_frame_equal(a, b, check_less_precise=True)`` fails with the wrapped function's TypeError.

The wrapper's signature is the wrapped function's when (the runtime's own code, read from source):
it is a plain ``def w(*args, **kwargs)`` (no other parameter, no generator, not async); ``args``
appears only spread into a call of the wrapped function (a closure variable holding
``__wrapped__``) as ``f(*args, **kwargs)``; ``kwargs`` only there, or read, popped, set or deleted
under a key that is a string the wrapped function takes as a parameter (a literal or a closure
variable holding it; a key holding None names no keyword), or asked ``key in kwargs``; every
``return`` returns such a pass and the body ends with one; no pass stands where a ``try`` or
``with`` may swallow what it raises.  Then a keyword the wrapped function does not take is
neither consumed nor added by the wrapper: the call reaches the wrapped function with it (or the
wrapper raises first).  Anything else: None (the wrapper may accept what the function does not).

``_declared_keywords``: a wrapper that declares its signature (``wrapper.__signature__ = ...``,
scipy's ``axis_nan_policy`` decorator around ``ttest_ind``) over a plain wrapped function: a
keyword is unknown only when the declared signature, the wrapper's own parameters, every string
its code names (``kwds.pop("axis")``) and the wrapped function's parameters all leave it out, and
neither the declaration nor the wrapped function takes ``**kwargs``.  Arity is left open.

``_wrapper_returns``: what a decorator's wrapper returns when every ``return`` of its own body
calls a closure variable that holds a class made the plain way, a function whose returns make
one class (or ``self``, handed the wrapper's own first argument), or the wrapped function (scipy's ``axis_nan_policy`` wrapper returns
``tuple_to_result(*res)`` or ``hypotest_fun_in(*args, **kwds)``): that one class.  A wrapper's
result is never read from the wrapped function's source alone (``inspect.getsource`` unwraps).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_nested_function_node``,
``_spreads``, ``_escapes`` and ``_Parents`` are looked up when it runs).  Never imported by vetpy.
"""

import ast
import inspect

_KEY_METHODS = frozenset({"pop", "get"})
_READS = frozenset({"keys", "values", "items"})


def _keyed_pass(wrapper):
    """The function ``wrapper`` hands every call to with the caller's unknown keywords intact (see
    the module's docstring); None when it may do anything else."""
    wrapped = getattr(wrapper, "__wrapped__", None)
    if not inspect.isfunction(wrapper) or not inspect.isfunction(wrapped):
        return None
    code = wrapper.__code__
    both = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    if code.co_argcount or code.co_kwonlyargcount or code.co_posonlyargcount or code.co_flags & both != both \
            or code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return None
    fn = _nested_function_node(code)  # _worker_sinks.py
    if not isinstance(fn, ast.FunctionDef) or fn.args.args or fn.args.kwonlyargs:
        return None
    cells = _cell_values(wrapper)
    holders = {name for name, value in cells.items() if value is wrapped}
    try:
        taken = inspect.signature(wrapped).parameters
    except (TypeError, ValueError):
        return None
    if not holders or any(p.kind == p.VAR_KEYWORD for p in taken.values()):
        return None  # a wrapped **kwargs takes any keyword: nothing to gain
    args, kwargs = fn.args.vararg.arg, fn.args.kwarg.arg
    parents = _Parents(fn)  # _worker_instances.py
    passes = []
    for node in ast.walk(fn):
        if node is not fn and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                                                ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in holders:
            if not _spreads(node, args, kwargs) or not _escapes(wrapper, fn, node):  # _worker_returns.py, _worker_passes.py
                return None
            passes.append(node)
        elif isinstance(node, ast.Return) and not _is_pass(node.value, passes, holders, args, kwargs):
            return None
        elif isinstance(node, ast.Name) and node.id in (args, kwargs) and not _harmless(node, parents, holders, cells,
                                                                                          taken, kwargs):
            return None
    last = fn.body[-1]
    return wrapped if passes and isinstance(last, ast.Return) and last.value in passes else None


def _cell_values(func):
    """The values of ``func``'s closure variables by name (empty cells left out)."""
    cells = {}
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        try:
            cells[name] = cell.cell_contents
        except ValueError:  # an empty cell
            continue
    return cells


def _is_pass(value, passes, holders, args, kwargs):
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in holders \
        and _spreads(value, args, kwargs)


def _harmless(name, parents, holders, cells, taken, kwargs):
    """Is this use of ``args``/``kwargs`` the spread into a pass, or a use of ``kwargs`` by a key
    the wrapped function takes?"""
    if not isinstance(name.ctx, ast.Load):
        return False
    up = parents.get(name)
    if isinstance(up, ast.Starred) or isinstance(up, ast.keyword) and up.arg is None:
        call = parents.get(up)
        return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in holders
    if name.id != kwargs:
        return False
    if isinstance(up, ast.Subscript) and up.value is name:
        return _known_key(up.slice, cells, taken)
    if isinstance(up, ast.Compare) and up.comparators == [name] and isinstance(up.ops[0], (ast.In, ast.NotIn)):
        return True
    call = parents.get(up)
    if isinstance(up, ast.Attribute) and isinstance(call, ast.Call) and call.func is up and not call.keywords:
        if up.attr in _READS:
            return not call.args
        return up.attr in _KEY_METHODS and 1 <= len(call.args) <= 2 and _known_key(call.args[0], cells, taken)
    return False


def _known_key(key, cells, taken):
    if isinstance(key, getattr(ast, "Index", ())):  # Python 3.8
        key = key.value
    if isinstance(key, ast.Constant):
        value = key.value
    elif isinstance(key, ast.Name) and key.id in cells:
        value = cells[key.id]
    else:
        return False
    return value is None or isinstance(value, str) and value in taken


def _declared_keywords(wrapper):
    """The keywords a wrapper with its own ``__signature__`` accepts (see the module's docstring),
    as ``*args`` plus keyword-only parameters; None when any part may take any keyword."""
    wrapped = getattr(wrapper, "__wrapped__", None)
    declared = vars(wrapper).get("__signature__")
    if not isinstance(declared, inspect.Signature) or not inspect.isfunction(wrapped) \
            or getattr(wrapped, "__wrapped__", None) is not None or "__signature__" in vars(wrapped):
        return None
    try:
        inner = inspect.signature(wrapped).parameters.values()
    except (TypeError, ValueError):
        return None
    outer = list(declared.parameters.values())
    if any(p.kind == p.VAR_KEYWORD for p in list(inner) + outer):
        return None
    code = wrapper.__code__
    names = set(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    names.update(p.name for p in list(inner) + outer if p.kind != p.POSITIONAL_ONLY)
    stack = [code]
    while stack:  # every string the wrapper's code (nested functions included) names may be a key it takes
        for const in stack.pop().co_consts:
            if isinstance(const, str):
                names.add(const)
            elif inspect.iscode(const):
                stack.append(const)
    params = [["args", 2, False]] + [[name, 3, True] for name in sorted(n for n in names if n.isidentifier())]
    return {"params": params, "forwards": None}


_UNWRAPPING = set()


def _wrapper_returns(wrapper):
    """The class path every return of ``wrapper``'s own body gives (see the module's docstring);
    None when one may give anything else."""
    code = getattr(wrapper, "__code__", None)
    if code is None or id(wrapper) in _UNWRAPPING or len(_UNWRAPPING) > 3 \
            or code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return None
    tree = _module_tree(code.co_filename) if code.co_filename.endswith(".py") else None  # _worker_sinks.py
    fn = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == code.co_name
               and code.co_firstlineno in (n.lineno, min([n.lineno] + [d.lineno for d in n.decorator_list]))),
              None) if tree is not None else None
    if fn is None or any(isinstance(n, ast.Nonlocal) for n in ast.walk(fn)):
        return None
    cells = _cell_values(wrapper)
    found = set()
    _UNWRAPPING.add(id(wrapper))
    try:
        for ret in _own_returns(fn):  # _worker_returns.py
            value = ret.value
            if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name) or value.func.id not in cells:
                return None
            held = cells[value.func.id]
            if isinstance(held, type):
                plain = _getattr_kind(held) == "none" and type(held).__call__ is type.__call__
                found.add(_type_path(held) if plain else None)
            else:
                path = _returns_of(held, classmethod=False) if inspect.isfunction(held) else None
                found.add(path if path != "self" or _hands_on_first(fn, value) else None)
    finally:
        _UNWRAPPING.discard(id(wrapper))
    path = found.pop() if len(found) == 1 else None
    return path if path is not None and path not in _NOT_A_CLASS else None


def _hands_on_first(fn, call):
    """Does ``call`` hand on the wrapper's own first argument first (``fit(self, *args)``, or
    ``f(*args)`` in a wrapper taking ``*args`` only), so that a ``return self`` is the wrapper's?"""
    first = (fn.args.posonlyargs + fn.args.args)[:1]
    head = call.args[0] if call.args else None
    if first:
        return isinstance(head, ast.Name) and head.id == first[0].arg
    return isinstance(head, ast.Starred) and isinstance(head.value, ast.Name) and fn.args.vararg is not None \
        and head.value.id == fn.args.vararg.arg


_RETURNING = set()  # functions whose return is being worked out by _returned_by (a cycle is open)
_RETURNED = {}  # function -> _returned_by's answer, worked out with no cycle open (complete)


def _returned_by(func):
    """The class path calling the module-level function ``func`` gives (its annotation, its own
    constructions, or those of the function it returns in turn), when one is known; else None."""
    if func in _RETURNED:
        return _RETURNED[func]
    if id(func) in _RETURNING or len(_RETURNING) > 4:
        return None
    outermost = not _RETURNING
    _RETURNING.add(id(func))
    try:
        made = _returns(func)
    finally:
        _RETURNING.discard(id(func))
    made = made if isinstance(made, str) and made != "self" and made not in _NOT_A_CLASS else None
    if outermost:  # an inner answer may have been cut short by the cycle guard
        _RETURNED[func] = made
    return made
