"""``**kwargs`` merged into a local dict that is then spread, for the introspection worker::

    extra_kw = {"headers": headers}      # a dict display with constant keys (or ``dict()``)
    extra_kw.update(urlopen_kw)          # once, as a statement of the function's own body
    ...
    return self.urlopen(method, url, **extra_kw)

(urllib3's ``RequestMethods.request_encode_url``): every key of ``urlopen_kw`` reaches the calls
that spread ``extra_kw`` after the merge, so those calls decide which keywords are taken, as if
they spread ``urlopen_kw`` itself.  ``_merged_spreads`` rewrites the parsed function that way
(the merge becomes ``pass``, each ``**extra_kw`` a ``**urlopen_kw``) for ``_forwarded``
(_worker_returns.py), only when it is certain: the local is bound once, before the merge, and
used otherwise only through constant keys (``extra_kw["body"] = ...``, ``extra_kw["headers"].x``),
never deleted from, handed elsewhere, read by a nested function or spread before the merge; the
merge is not under a condition, a loop or a ``try``.  Anything else leaves the function as it is
(the merge is then a use of the dict that ``_forwarded`` cannot explain: open).

Stdlib only; runs INSIDE the target interpreter as part of the worker program.  Never imported
by vetpy.
"""

import ast


def _merged_spreads(fn, kwname):
    """``fn`` (a parsed statement), rewritten in place when it is a function whose ``**kwname`` is
    merged into a local dict as above."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return fn
    for index, stmt in enumerate(fn.body):
        local = _merge_target(stmt, kwname)
        if local is None or not _merged_only(fn, index, local):
            continue
        spreads = [k for stmt_after in fn.body[index + 1:] for node in ast.walk(stmt_after) if isinstance(node, ast.Call)
                   for k in node.keywords if k.arg is None and isinstance(k.value, ast.Name) and k.value.id == local]
        if not spreads:
            return fn
        fn.body[index] = ast.Pass()
        for k in spreads:
            k.value = ast.Name(id=kwname, ctx=ast.Load())
        return fn
    return fn


def _merge_target(stmt, kwname):
    """``local`` of the statement ``local.update(kwname)``; else None."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    call = stmt.value
    if (isinstance(call.func, ast.Attribute) and call.func.attr == "update" and isinstance(call.func.value, ast.Name)
            and len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Name)
            and call.args[0].id == kwname):
        return call.func.value.id
    return None


def _merged_only(fn, index, local):
    """Is ``local`` bound once, to a dict with constant keys, in a statement of ``fn``'s body before
    the ``index``-th (the merge), and used after it only through constant keys or as ``**local``?"""
    args = fn.args
    if local in {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} | {
            a.arg for a in (args.vararg, args.kwarg) if a is not None}:
        return False
    bound = [i for i, stmt in enumerate(fn.body[:index]) if _binds_fresh_dict(stmt, local)]
    if len(bound) != 1:
        return False
    allowed = set()  # the Name nodes of `local` whose use is understood
    for i, stmt in enumerate(fn.body):
        for node in ast.walk(stmt):
            if node is not stmt and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                if any(isinstance(n, ast.Name) and n.id == local for n in ast.walk(node)):
                    return False  # read (or bound) by a nested scope
            elif isinstance(node, (ast.Global, ast.Nonlocal)) and local in node.names:
                return False
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == local:
                if not isinstance(node.ctx, (ast.Load, ast.Store)) or not (
                        isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                    return False  # `del local[k]` takes a key out; a computed key may be any
                allowed.add(id(node.value))
            elif isinstance(node, ast.keyword) and node.arg is None and isinstance(node.value, ast.Name) \
                    and node.value.id == local:
                if i < index:
                    return False  # spread before the merge: without the caller's keys
                allowed.add(id(node.value))
        if i == bound[0]:
            allowed.update(id(n) for n in ast.walk(stmt) if isinstance(n, ast.Name) and n.id == local
                           and isinstance(n.ctx, ast.Store))
        elif i == index:
            allowed.add(id(stmt.value.func.value))
    return all(id(n) in allowed for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == local)


def _binds_fresh_dict(stmt, local):
    """``local = {"k": v, ...}`` / ``local: T = {...}`` / ``local = dict()``: a new dict whose keys are known."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value = stmt.target, stmt.value
    else:
        return False
    if not (isinstance(target, ast.Name) and target.id == local):
        return False
    if isinstance(value, ast.Dict):
        return all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys)  # a `**x` key is None
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
            and not value.args and not value.keywords)
