"""A ``**kwargs`` dict bound again to what a helper hands back, for the introspection worker: a
wrapper that moves deprecated positional arguments into the keywords before passing the call on::

    def wrapper(*args, **kwargs):
        if len(args) > n:
            args, kwargs = remap(args, kwargs)      # returns (args[:n], kwargs | moved)
        return func(*args, **kwargs)

Every key the caller gave is still in the dict the helper returns, so a keyword ``func`` rejects
still reaches it and raises; the rebinding is then no other use of the dict (``_forwarded`` in
``_worker_returns.py`` counts it harmless).  Proven from the helper's source only: it never binds
its parameter again, reads it only in ways that cannot change it (``set(kw)``, ``len(kw)``,
``key in kw``, ``kw | other``, ``{**kw, ...}``), and each of its returns hands back, at the
position the caller unpacks, the dict or a new one made of all of its keys (directly or through a
name bound once to such a value).  Anything else: not proven, the dict stays open.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
before ``_worker.py``'s, whose helpers ``_module_tree``, ``_global_value`` and ``_bound_by`` it looks
up when it runs).  Never imported by vetpy.
"""

import ast
import builtins
import inspect
import textwrap

# builtins that only read the dict they are given
_READERS = ("set", "frozenset", "len", "list", "tuple", "sorted", "dict", "bool", "iter")


def _kept_rebinds(func, raw, fn, kwname):
    """ids of the Name nodes of ``kwname`` in ``fn`` (the caller's code) that bind it again to a
    helper's result keeping every key of it, and hand it to that helper: ``kw = helper(kw)`` or
    ``a, kw = helper(a, kw)`` where the helper is a plain function (a closure variable that no
    ``nonlocal`` rebinds, or a global) proven by :func:`_keeps_keys`.  Empty when there is none."""
    found = set()
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
            continue
        target, call = node.targets[0], node.value
        if isinstance(target, ast.Name) and target.id == kwname:
            index, names = -1, [target]
        elif isinstance(target, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in target.elts):
            names = [e for e in target.elts if isinstance(e, ast.Name) and e.id == kwname]
            index = target.elts.index(names[0]) if len(names) == 1 else None
        else:
            continue
        if index is None or call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        at = [i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == kwname]
        if len(at) != 1 or not isinstance(call.func, ast.Name):
            continue
        helper = _helper_function(func, raw, call.func.id)
        if helper is not None and _keeps_keys(helper, at[0], index):
            found.update(id(n) for n in names)
            found.add(id(call.args[at[0]]))
    return found


def _helper_function(func, raw, name):
    """The plain function ``name`` calls in ``raw``'s code: its closure cell's content (no
    ``nonlocal`` of the name in its module) or the global; None otherwise."""
    code = getattr(raw, "__code__", None)
    if code is not None and name in code.co_freevars:
        cells = dict(zip(code.co_freevars, raw.__closure__ or ()))
        try:
            value = cells[name].cell_contents
        except (KeyError, ValueError):
            return None
        tree = _module_tree(code.co_filename) if code.co_filename.endswith(".py") else None
        if tree is None or any(isinstance(n, ast.Nonlocal) and name in n.names for n in ast.walk(tree)):
            return None
    else:
        value = _global_value(func, ast.Name(id=name, ctx=ast.Load()))
    if not inspect.isfunction(value) or getattr(value, "__wrapped__", None) is not None:
        return None
    return value


def _keeps_keys(helper, position, index):
    """Does ``helper`` (its ``position``-th positional parameter the dict) hand back every key of
    the dict at ``index`` of each return (-1: the whole value), never changing the dict?"""
    try:
        fn = ast.parse(textwrap.dedent(inspect.getsource(helper))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    if not isinstance(fn, ast.FunctionDef) or any(
            isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) and n is not fn
            or isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(fn)):
        return False  # (a nested scope's returns and names would be read as the helper's; a generator returns itself)
    params = fn.args.posonlyargs + fn.args.args
    if position >= len(params):
        return False
    name = params[position].arg
    if _harmless_reads(helper, fn, name) is None:
        return False
    kept = _keeping_locals(helper, fn, name)
    returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return)]
    if not returns:
        return False
    for ret in returns:
        value = ret.value
        if index >= 0:
            if not (isinstance(value, ast.Tuple) and index < len(value.elts)
                    and not any(isinstance(e, ast.Starred) for e in value.elts)):
                return False
            value = value.elts[index]
        if not _keeps(value, name, kept):
            return False
    return True


def _harmless_reads(helper, fn, name, returned=False):
    """The uses of ``name`` in ``fn`` when none of them can change the dict it holds (``returned``:
    handing it back, alone or in a returned tuple, counts as well), else None."""
    parents = {}
    for node in ast.walk(fn):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == name
            and not (returned and isinstance(n.ctx, ast.Store))]  # (a local's one binding: counted by the caller)
    if any(not isinstance(n.ctx, ast.Load) for n in uses) or any(
            isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(fn)):
        return None
    for use in uses:
        parent = parents.get(id(use))
        if isinstance(parent, ast.Call) and parent.args == [use] and not parent.keywords \
                and isinstance(parent.func, ast.Name) and parent.func.id in _READERS \
                and parent.func.id not in helper.__code__.co_varnames + helper.__code__.co_freevars \
                and helper.__globals__.get(parent.func.id, getattr(builtins, parent.func.id)) \
                is getattr(builtins, parent.func.id):
            continue  # set(kw), len(kw)
        if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.In, ast.NotIn)) \
                and parent.comparators[0] is use:
            continue  # key in kw
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.BitOr) and parent.left is use \
                and _a_dict(helper, fn, parent.right):
            continue  # kw | other: a new dict (another dict's `__ror__` is not asked)
        if isinstance(parent, ast.Dict) and any(k is None and v is use for k, v in zip(parent.keys, parent.values)):
            continue  # {**kw, ...}: a new dict
        if returned and (isinstance(parent, ast.Return) or isinstance(parent, ast.Tuple)
                         and isinstance(parents.get(id(parent)), ast.Return)):
            continue
        return None
    return uses


def _a_dict(helper, fn, expr, depth=0):
    """Is ``expr`` certainly a plain dict: a display, a comprehension, a call of the builtin
    ``dict``, or a name ``fn`` binds once, by a plain assignment, to one of these?"""
    if isinstance(expr, (ast.Dict, ast.DictComp)):
        return True
    code = helper.__code__
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict":
        return "dict" not in code.co_varnames + code.co_freevars and helper.__globals__.get("dict", dict) is dict
    if isinstance(expr, ast.Name) and depth == 0 and expr.id in code.co_varnames:
        binders = [n for n in ast.walk(fn) if any(b is not None and getattr(b, "id", None) == expr.id
                                                    and not isinstance(getattr(b, "ctx", None), ast.Load)
                                                    for b in _bound_by(n))]
        return len(binders) == 1 and isinstance(binders[0], ast.Assign) and len(binders[0].targets) == 1 \
            and isinstance(binders[0].targets[0], ast.Name) and _a_dict(helper, fn, binders[0].value, 1)
    return False


def _keeps(value, name, kept):
    """Is ``value`` the dict ``name`` or a new dict holding all of its keys?"""
    if isinstance(value, ast.Name):
        return value.id == name or value.id in kept
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return isinstance(value.left, ast.Name) and value.left.id == name
    if isinstance(value, ast.Dict):
        return any(k is None and isinstance(v, ast.Name) and v.id == name for k, v in zip(value.keys, value.values))
    return False


def _keeping_locals(helper, fn, name):
    """Names ``fn`` binds once, by a plain assignment, to a new dict holding all keys of ``name``,
    and reads only to hand back or in ways that cannot change it."""
    binders = {}
    for node in ast.walk(fn):
        for bound in _bound_by(node):  # _worker_sinks.py: targets' nodes, aliases, definitions
            if isinstance(bound, ast.Name) and not isinstance(bound.ctx, ast.Load):
                binders.setdefault(bound.id, []).append(node)
            elif isinstance(bound, ast.alias):
                binders.setdefault((bound.asname or bound.name).split(".")[0], []).append(node)
            elif isinstance(bound, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                binders.setdefault(bound.name, []).append(node)
    kept = set()
    for local, nodes in binders.items():
        node = nodes[0]
        if len(nodes) == 1 and isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and local != name and _keeps(node.value, name, ()) \
                and _harmless_reads(helper, fn, local, returned=True) is not None:
            kept.add(local)
    return kept
