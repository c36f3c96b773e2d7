"""Does a decorator's wrapper pass the call on before anything can end it (``_passed_through`` in
``_worker_returns.py``), also when it passes it inside a ``with`` block: botocore's
``with_current_context`` runs ``return func(*args, **kwargs)`` inside ``with
start_as_current_context():``.  A ``with`` is transparent when its context manager is made by
``contextlib.contextmanager`` from a generator whose ``yield`` no ``except`` that may end normally,
no nested ``with`` and no ``finally`` that returns, breaks or continues surrounds (the exception a
call the wrapped signature rejects raises is thrown into the generator at the ``yield`` and comes
out of ``__exit__`` unchanged, or another one does), or is a new instance of a class whose Python
``__exit__`` returns only None or False: the call fails as it would unwrapped.  The same test
tells whether keywords forwarded through ``**kwargs`` (``_forwarded`` in ``_worker_returns.py``)
are rejected where the forwarding call stands: not inside a ``try`` whose handler may catch the
TypeError and end normally, nor inside a ``with`` that may swallow it.

A wrapper may also hand the call to a second ``functools.wraps`` copy of the wrapped function that
only keeps the arguments for later (Django's ``keep_lazy``): :func:`_deferring_holders`.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its helpers
``_reraises``, ``_function_node``, ``_nodes`` and ``_Parents`` are looked up when it runs).  Never imported by vetpy.
"""

import ast
import builtins
import contextlib
import dis
import inspect
import textwrap


def _passes_first(wrapper, body, passes, binds):
    """True when the first statement of ``body`` that may end the wrapper is a pass (or bind) of
    the call; False when another may end (or catch) first; None when ``body`` runs to its end."""
    for stmt in body:
        if isinstance(stmt, (ast.Expr, ast.Return, ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            if value in passes or value in binds:
                return True
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Return) \
                and stmt.body[0].value in passes:
            continue  # `if skip: return func(*args, **kwargs)`: passed on there, else the next statements run
        if isinstance(stmt, ast.With) and all(_transparent(wrapper, item) for item in stmt.items):
            inner = _passes_first(wrapper, stmt.body, passes, binds)
            if inner is not None:
                return inner
            continue
        if any(isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom)) or isinstance(n, ast.Try) and not _reraises(n)
               or type(n).__name__ == "TryStar" for n in ast.walk(stmt)):
            return False  # may end (or catch) before passing the call on; a `raise` fails the call anyway
    return None


def _transparent(wrapper, item):
    """Is the ``with`` item ``item`` of ``wrapper``'s code a call (binding nothing) of a manager
    that lets out what its block raises (:func:`_exit_lets_out`)?"""
    return item.optional_vars is None and _exit_lets_out(wrapper, item.context_expr, False)


def _global_named(func, expr):
    """The object the name or dotted chain ``expr`` names in the code of the plain function
    ``func``, when its first name is no local, closure or cell variable there (read from the code
    object: a name bound only in a nested function is not ``func``'s) and ``func`` does not
    rebind it as a global: the module's global of that name, else the builtin of that name (a
    bare name: Python's own lookup order, globals then builtins); else None."""
    code = getattr(func, "__code__", None)
    root = expr
    while isinstance(root, ast.Attribute):
        root = root.value
    if code is None or not isinstance(root, ast.Name):
        return None
    name = root.id
    if name in code.co_varnames or name in code.co_freevars or name in code.co_cellvars \
            or name in code.co_names and any(i.opname in ("STORE_GLOBAL", "DELETE_GLOBAL") and i.argval == name
                                             for i in dis.get_instructions(code)):
        return None
    if name in getattr(func, "__globals__", {}):
        return _global_value(func, expr)  # _worker_returns.py
    return getattr(builtins, name, None) if expr is root else None


def _generated_manager(manager):
    """Is ``manager`` what ``contextlib.contextmanager`` made of a module-level generator function
    whose ``yield`` lets every exception out?"""
    helper = getattr(manager, "__code__", None)
    if not inspect.isfunction(manager) or helper is None or helper.co_name != "helper" \
            or helper.co_filename != getattr(contextlib, "__file__", None):
        return False
    generator = getattr(manager, "__wrapped__", None)
    if not inspect.isgeneratorfunction(generator):
        return False
    node = _function_node(generator)
    return node is not None and _yield_lets_out(node)


def _yield_lets_out(fn):
    """Does every exception thrown into generator ``fn`` at a ``yield`` leave it (or another one)?"""
    parents = _Parents(fn)  # _worker_instances.py
    yields = [n for n in _nodes(fn) if isinstance(n, (ast.Yield, ast.YieldFrom))]
    if not yields:
        return False
    for point in yields:
        child, node = point, parents.get(point)
        while node is not None and node is not fn:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                return False  # a nested function's yield: not this generator's
            if isinstance(node, (ast.With, ast.AsyncWith)) and child in node.body:
                return False  # a context manager around it may swallow the exception
            if type(node).__name__ == "TryStar":
                return False
            if isinstance(node, ast.Try) and child in node.body and not all(_reraising(h) for h in node.handlers):
                return False  # a handler that may end normally swallows it
            if isinstance(node, ast.Try) and child not in node.finalbody and _jumps_out(node.finalbody):
                return False  # `finally: return` ends the generator: __exit__ then swallows it
            child, node = node, parents.get(node)
    return True


def _jumps_out(body):
    """Does a statement of ``body`` return, break or continue (ending what an exception would)?"""
    return any(isinstance(n, (ast.Return, ast.Break, ast.Continue)) for stmt in body for n in _nodes(stmt))


def _escapes(func, fn, call):
    """Does what ``call`` raises (a TypeError for a keyword its callee rejects) leave ``fn``, the
    parsed code of ``func``: no enclosing ``try`` whose handler may catch it and end normally, no
    ``finally`` that returns, no ``with`` whose manager may swallow it (up to the nearest def)?"""
    parents = _Parents(fn)  # _worker_instances.py
    raw = getattr(func, "__func__", func)
    child, node = call, parents.get(call)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if type(node).__name__ == "TryStar":
            return False
        if isinstance(node, ast.Try):
            if child in node.body and not all(_handler_lets_out(raw, h) for h in node.handlers):
                return False
            if child not in node.finalbody and _jumps_out(node.finalbody):
                return False
        if isinstance(node, (ast.With, ast.AsyncWith)) and child in node.body and not all(
                _exit_lets_out(raw, item.context_expr, isinstance(node, ast.AsyncWith)) for item in node.items):
            return False
        child, node = node, parents.get(node)
    return True


def _reraising(handler):
    """Does the ``except`` clause ``handler`` end by raising (no return, break or continue before)?"""
    return bool(handler.body) and isinstance(handler.body[-1], ast.Raise) and not _jumps_out(handler.body)


def _handler_lets_out(func, handler):
    """Does ``handler`` end by raising, or catch only classes that are no TypeError's bases?"""
    if _reraising(handler):
        return True
    if handler.type is None:
        return False
    code = getattr(func, "__code__", None)
    local = set(code.co_varnames + code.co_freevars + code.co_cellvars) if code is not None else set()
    for expr in handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]:
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or root.id in local:
            return False
        caught = _global_value(func, expr)
        if caught is None and isinstance(expr, ast.Name) and expr.id not in getattr(func, "__globals__", {}):
            caught = getattr(builtins, expr.id, None)
        if not isinstance(caught, type) or issubclass(TypeError, caught):
            return False
    return True


def _exit_lets_out(func, expr, asynchronous):
    """Is ``expr`` (a ``with`` item) a call of a module-level class whose ``__exit__``
    (``__aexit__``) is Python code returning only None or False, or of a generator-made context
    manager (:func:`_generated_manager`): what the block raises comes out of it?"""
    try:
        return _exit_returns_nothing(func, expr, asynchronous)
    except Exception:  # third-party objects may raise anything when inspected: not proven
        return False


def _exit_returns_nothing(func, expr, asynchronous):
    made = _global_named(func, expr.func) if isinstance(expr, ast.Call) else None
    if not asynchronous and _generated_manager(made):
        return True
    if not isinstance(made, type) or inspect.getattr_static(made, "__new__", None) is not object.__new__:
        return False
    method = inspect.getattr_static(made, "__aexit__" if asynchronous else "__exit__", None)
    if not inspect.isfunction(method) or getattr(method, "__wrapped__", None) is not None:
        return False  # (the source of a decorated one is the wrapped function's)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return False
    kind = ast.AsyncFunctionDef if asynchronous else ast.FunctionDef
    fn = tree.body[0] if tree.body else None
    if not isinstance(fn, kind) or fn.name != method.__name__ or fn.decorator_list:
        return False
    for node in _nodes(fn):
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Lambda)) or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is not fn:
            return False
        if isinstance(node, ast.Return) and not (node.value is None or isinstance(node.value, ast.Constant)
                                                 and (node.value.value is None or node.value.value is False)):
            return False
    return True


def _deferring_holders(cells, wrapped):
    """The closure variables of a wrapper that hold a second wrapper of ``wrapped`` which only keeps
    the call's arguments for later (Django's ``lazy(func)``: ``def __wrapper__(*args, **kw): return
    __proxy__(args, kw)``, whose proxy calls ``func(*args, **kw)`` when it is used): a plain function
    made by ``functools.wraps(wrapped)`` taking nothing but ``*args, **kw``, which hands both on whole
    (never reads, pops or rebinds a keyword of them).  A call passed to it fails, when it is used, as
    the wrapped function's own would now."""
    found = set()
    for name, cell in cells.items():
        try:
            other = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if other is wrapped or not inspect.isfunction(other) or getattr(other, "__wrapped__", None) is not wrapped:
            continue
        code = other.__code__
        if code.co_argcount or code.co_kwonlyargcount or code.co_posonlyargcount \
                or code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) != inspect.CO_VARARGS | inspect.CO_VARKEYWORDS:
            continue
        node = _nested_function_node(code)
        if node is None or not isinstance(node.args.vararg, ast.arg) or not isinstance(node.args.kwarg, ast.arg):
            continue
        names = (node.args.vararg.arg, node.args.kwarg.arg)
        parents = {child: up for up in ast.walk(node) for child in ast.iter_child_nodes(up)}
        uses = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names]
        whole = [n for n in uses if isinstance(n.ctx, ast.Load) and isinstance(parents.get(n), ast.Call)
                 and n in parents[n].args and not any(isinstance(a, ast.Starred) for a in parents[n].args)]
        if uses and len(whole) == len(uses) and {n.id for n in whole} == set(names):
            found.add(name)
    return found


def _chained_reads(wrapper, fn, args):
    """Uses of ``*args`` as a plain argument of ``itertools.chain`` (the wrapper's module's; its
    ``kwargs.values()`` is a read already): iterated to look at them, never changed (``any(isinstance(a,
    Promise) for a in chain(args, kwargs.values()))``)."""
    import itertools

    parents = {child: up for up in ast.walk(fn) for child in ast.iter_child_nodes(up)}
    count = 0
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id == args and isinstance(node.ctx, ast.Load):
            up = parents.get(node)
            if isinstance(up, ast.Call) and node in up.args and _global_named(wrapper, up.func) is itertools.chain:
                count += 1
    return count
