"""How many positional arguments a function's ``*args`` can carry, for the introspection worker.

When every use of ``args`` in the function's own source is ``*args`` in a call (jinja2's
``Template.render`` passes them to ``dict(*args, **kwargs)`` and ``self.render_async(*args,
**kwargs)``, which passes them to ``dict`` too) whose callee takes a bounded number of positional
arguments, a call giving more than the most any of them takes fails with TypeError wherever it
goes: ``template.render({"a": 1}, {"b": 2})``.  Open (None) when ``args`` is used some other way
(``len(args)``, stored, rebound, read by a nested function), when the forward's TypeError may be
caught (``_escapes``, _worker_passes.py), or when a callee's count is unknown (``*args`` going
on to ``print``, a parameter, a local or closure variable of the function, a global it rebinds).
Which name a callee is: ``_global_named`` (_worker_passes.py), shared with the ``with`` managers.

Callees: a name of the module's globals or a builtin (``dict``, ``set``, ``frozenset`` take at
most one positional argument although ``inspect.signature`` cannot read them: CPython's
``dict_init`` / ``set_init``), or a method of ``self`` (named in ``spreads_through``: a
subclass's override decides) or of an instance ``_forward_method`` knows (_worker_returns.py).

Also ``_copied``: the copy of a ``**kwargs`` dict that goes on in its place (``kwargs = kwds.copy()``),
for ``_forwarded`` (_worker_returns.py).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_signature``
and ``_getattr_kind`` are _worker.py's, looked up when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import textwrap

# Builtin types taking at most this many positional arguments, where inspect.signature cannot tell.
_AT_MOST_POSITIONAL = {dict: 1, set: 1, frozenset: 1}
_SPREADING = set()


def _spreads_of(obj, params, owner):
    """``{"spreads": N}`` (and ``"spreads_through"``: the methods of ``self`` they go to) for a plain function whose ``*args`` reach
    only callees taking at most N more positional arguments; else {}."""
    var_pos = [p.name for p in params if p.kind == p.VAR_POSITIONAL]
    raw = getattr(obj, "__func__", obj)
    if not var_pos or not inspect.isfunction(raw) or getattr(raw, "__wrapped__", None) is not None:
        return {}
    found = _spread_capacity(raw, var_pos[0], owner)
    if found is None:
        return {}
    return {"spreads": found[0], **({"spreads_through": sorted(found[1])} if found[1] else {})}


def _spread_capacity(func, name, owner):
    key = (id(func), id(owner))
    if key in _SPREADING or len(_SPREADING) > 4:
        return None
    _SPREADING.add(key)
    try:
        return _capacity(func, name, owner)
    finally:
        _SPREADING.discard(key)


def _capacity(func, name, owner):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return None
    fn = tree.body[0] if tree.body else None
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or fn.args.vararg is None \
            or fn.args.vararg.arg != name:
        return None
    for node in ast.walk(fn):
        if node is not fn and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) \
                and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
            return None  # read later (or never) by a nested function
    uses = sum(1 for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == name)
    calls = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            starred = [a for a in node.args if isinstance(a, ast.Starred)]
            if any(isinstance(a.value, ast.Name) and a.value.id == name for a in starred):
                if len(starred) != 1:
                    return None
                calls.append(node)
    if not calls or len(calls) != uses:
        return None  # also read, stored or rebound
    params = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    most, through = 0, set()
    for call in calls:
        if not _escapes(func, fn, call):  # _worker_passes.py
            return None
        target = _spread_target(func, fn, call.func, params, owner)
        if target is None:
            return None
        taken = _positional_count(*target)
        if taken is None:
            return None
        first = (fn.args.posonlyargs + fn.args.args)[:1]
        if target[1] and first and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
                and call.func.value.id == first[0].arg:
            through.add(call.func.attr)  # self.method(*args): a subclass's override decides
        most = max(most, taken - (len(call.args) - 1))
    return most, through


def _spread_target(func, fn, expr, params, owner):
    """(callee, bound?, receiver class) of a call's ``expr`` in ``fn``, or None."""
    if isinstance(expr, ast.Name):
        target = _global_named(func, expr)  # _worker_passes.py
        return (target, False, None) if target is not None else None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return _forward_method(func, fn, expr.value.id, expr.attr, params, owner)  # _worker_returns.py
    return None


def _positional_count(target, bound, receiver):
    """How many positional arguments calling ``target`` takes at most, or None (unbounded/unknown)."""
    if isinstance(target, type) and target in _AT_MOST_POSITIONAL:
        return _AT_MOST_POSITIONAL[target]
    sig = _signature(target, bound, receiver)  # _worker.py
    if sig is None:
        return None
    taken = sum(1 for _name, kind, _default in sig["params"] if kind in (0, 1))
    if any(kind == 2 for _name, kind, _default in sig["params"]):
        if sig.get("spreads") is None or sig.get("spreads_through"):
            return None
        taken += sig["spreads"]
    return taken


def _copied(fn, kwname, params):
    """The name the dict ``kwname`` is copied to when that copy is its only use (``kwargs =
    kwds.copy()`` or ``dict(kwds)``, the name bound nowhere else and no parameter): the copy holds
    the same keys, so its uses decide (scipy's ``_workers_wrapper``); else ``kwname`` itself."""
    uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == kwname]
    copies = [n for n in ast.walk(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
              and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call) and not n.value.keywords
              and (isinstance(n.value.func, ast.Attribute) and n.value.func.attr == "copy" and not n.value.args
                   and isinstance(n.value.func.value, ast.Name) and n.value.func.value.id == kwname
                   or isinstance(n.value.func, ast.Name) and n.value.func.id == "dict" and len(n.value.args) == 1
                   and isinstance(n.value.args[0], ast.Name) and n.value.args[0].id == kwname)]
    if len(uses) != 1 or len(copies) != 1:
        return kwname
    alias = copies[0].targets[0].id
    stores = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == alias and not isinstance(n.ctx, ast.Load)
              or isinstance(n, (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.FunctionDef, ast.AsyncFunctionDef,
                                ast.ClassDef)) and n is not fn and _binds_name(n, alias)]
    return alias if alias not in params and alias != "dict" and stores == [copies[0].targets[0]] else kwname
