"""Whether calling an installed function surely gives no awaitable, for the introspection worker
(``await obj.method()`` on a plain method raises TypeError).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
before ``_worker.py``'s, which calls :func:`_never_awaitable`).  Never imported by vetpy.
"""

import abc
import collections.abc
import inspect

# CO_COROUTINE | CO_ITERABLE_COROUTINE (`types.coroutine`) | CO_ASYNC_GENERATOR
_ASYNC_FLAGS = 0x80 | 0x100 | 0x200


def _never_awaitable(obj):
    """True when ``obj`` is a plain ``def`` (no ``async``, no ``types.coroutine``, not marked a
    coroutine function, not a wrapper of another function) whose return annotation is a plain
    class that is not awaitable and has no subclass that is; else None (it cannot tell)."""
    target = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) or inspect.ismethod(obj) else obj
    try:
        if not inspect.isfunction(target) or hasattr(target, "__wrapped__") \
                or target.__code__.co_flags & _ASYNC_FLAGS or inspect.iscoroutinefunction(target):
            return None
        import typing

        ret = typing.get_type_hints(target).get("return")
    except Exception:  # third-party code may raise anything here: treat as unknown
        return None
    if ret is None or not isinstance(ret, type) or ret in (object, type, typing.Any) or _awaitable_class(ret, 0):
        return None
    return True


def _awaitable_class(cls, depth):
    """May an instance of ``cls`` (or of a subclass loaded now) be awaited?  An abstract class
    (an ABC, a Protocol) may have virtual subclasses that are (``Iterable``: an asyncio Future)."""
    if depth > 4:
        return True
    try:
        if isinstance(cls, abc.ABCMeta) or issubclass(cls, collections.abc.Awaitable) or any("__await__" in k.__dict__ for k in cls.__mro__):
            return True
        subclasses = cls.__subclasses__() if cls is not type else []
    except Exception:  # a broken class: it cannot tell
        return True
    return any(_awaitable_class(sub, depth + 1) for sub in subclasses[:200]) if len(subclasses) <= 200 else True
