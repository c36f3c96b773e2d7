"""Decorators that make a generator function a context manager the way ``contextlib.contextmanager``
does, under another name (OpenTelemetry's ``_agnosticcontextmanager``), read from their source.

A wrapper (``functools.wraps`` set its ``__wrapped__``) whose whole body is
``return K(func, args, kwargs)``, where ``func`` is the function it wraps (a generator function,
or an abstract method declared ``-> Iterator[X]`` that subclasses implement so) (its closure's
cell holds exactly that object), ``args``/``kwargs`` its own ``*args``/``**kwargs`` and ``K`` a
subclass of contextlib's ``_GeneratorContextManager`` that keeps contextlib's ``__init__``
(``self.gen = func(*args, **kwds)``), assigns no ``.gen`` of its own, gives its instances no name
that the base's lack (the result is known as a ``_GeneratorContextManager``), and whose ``__enter__`` is
contextlib's or returns nothing but ``next(self.gen)``: entering what it returns gives what the
generator yields first, as for ``contextlib.contextmanager``.  Anything else: not such a wrapper.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_worker_returns.py``'s
``_context_manager_kind`` calls it when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import re
import sys
import textwrap
import types


def _generator_manager_made(target):
    """Does calling ``target`` give a generator context manager of the function it wraps?"""
    try:
        return _made(target)
    except Exception:  # third-party code may raise anything here: treat as unknown
        return False


def _made(target):
    contextlib = sys.modules.get("contextlib")
    base = getattr(contextlib, "_GeneratorContextManager", None)
    wrapped = getattr(target, "__wrapped__", None)
    if base is None or not inspect.isfunction(target) or not inspect.isfunction(wrapped):
        return False
    code = target.__code__
    fn = _parsed_def(code)
    if fn is None:
        return False
    body = fn.body[1:] if fn.body and isinstance(fn.body[0], ast.Expr) and isinstance(
        fn.body[0].value, ast.Constant) and isinstance(fn.body[0].value.value, str) else fn.body
    args = fn.args
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call) \
            or args.vararg is None or args.kwarg is None:
        return False
    call = body[0].value
    if call.keywords or len(call.args) != 3 or not all(isinstance(a, ast.Name) for a in call.args) \
            or not isinstance(call.func, ast.Name):
        return False
    func, rest, named = (a.id for a in call.args)
    if (rest, named) != (args.vararg.arg, args.kwarg.arg):
        return False
    cells = dict(zip(code.co_freevars, target.__closure__ or ()))
    if func not in cells or cells[func].cell_contents is not wrapped:
        return False
    params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} | {rest, named}
    if call.func.id in params:
        return False
    klass = cells[call.func.id].cell_contents if call.func.id in cells else target.__globals__.get(call.func.id)
    init_base = getattr(contextlib, "_GeneratorContextManagerBase", base)
    if not isinstance(klass, type) or not issubclass(klass, base) or klass.__init__ is not init_base.__init__:
        return False
    for k in klass.__mro__:
        if k is base:
            break
        if not _adds_nothing(k, base):
            return False
    return klass.__enter__ is base.__enter__ or _enters_generator(klass.__enter__)


def _parsed_def(code):
    """The ``def`` of ``code`` as its source says, else None."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    fn = tree.body[0] if tree.body else None
    return fn if isinstance(fn, ast.FunctionDef) else None


# what making a class puts in its namespace, whatever its body says
_CLASS_MADE = frozenset({"__module__", "__qualname__", "__doc__", "__orig_bases__", "__parameters__", "__annotations__",
                         "__static_attributes__", "__firstlineno__", "__abstractmethods__", "_abc_impl", "__type_params__"})


def _adds_nothing(klass, base):
    """Does ``klass`` give its instances no name that those of ``base`` lack (the value is known as
    a ``base``: every name it is asked for is looked up there), and never assign ``.gen``?  Its
    namespace holds only names ``base`` has, and its source assigns no attribute of ``self``."""
    if set(vars(klass)) - set(dir(base)) - _CLASS_MADE:
        return False
    try:
        text = inspect.getsource(klass)
    except (OSError, TypeError):
        return False
    return not re.search(r"\.gen\s*(=(?!=)|\+=)|['\"]gen['\"]|\bself\.\w+\s*(=(?!=)|[-+*/|&]=)|setattr|__dict__", text)


def _enters_generator(enter):
    """Is every way out of ``enter`` a ``raise`` or ``return next(self.gen)`` (at least one)?"""
    if not inspect.isfunction(enter):
        return False
    fn = _parsed_def(enter.__code__)
    if fn is None or len(fn.args.args) != 1 or fn.args.vararg or fn.args.kwarg or fn.decorator_list:
        return False
    me = fn.args.args[0].arg
    returns = 0
    for node in ast.walk(fn):
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                             ast.ClassDef, ast.Global, ast.Nonlocal)) and node is not fn:
            return False
        if isinstance(node, (ast.Name, ast.arg)) and getattr(node, "id", getattr(node, "arg", None)) == "next" \
                and not isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
            return False  # `next` rebound
        if isinstance(node, ast.Return):
            value = node.value
            if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "next"
                    and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.Attribute)
                    and value.args[0].attr == "gen" and isinstance(value.args[0].value, ast.Name)
                    and value.args[0].value.id == me):
                return False
            returns += 1
    return returns > 0 and "next" not in enter.__globals__


def _return_hint_alone(target):
    """The return annotation of ``target`` evaluated in its module by itself, when another of its
    annotations does not evaluate (a name imported only under ``TYPE_CHECKING``); None when it
    does not evaluate either."""
    try:
        import typing

        raw = getattr(target, "__annotations__", {}).get("return")
        if raw is None:
            return None
        alone = types.FunctionType((lambda: None).__code__, inspect.unwrap(target).__globals__)
        alone.__annotations__ = {"return": raw}
        return typing.get_type_hints(alone).get("return")
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
