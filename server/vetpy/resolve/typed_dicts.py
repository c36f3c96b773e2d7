"""What calling a ``TypedDict`` class of the checked file gives: a plain ``dict``.

CPython makes every instance of a TypedDict class a ``dict`` (``type(Movie(title="x")) is dict``:
typing's ``_TypedDictMeta`` and typing_extensions' alike, Python 3.8 to 3.13), so the attributes
such an instance has are a dict's.  Only a class whose every base is ``typing.TypedDict``,
``typing_extensions.TypedDict``, another such class of this file or ``Generic[...]``, with no
decorator and no keyword but ``total=``, is one; anything else answers None (not known)."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import INSTANCE, LOCAL_CLASS, OBJECT, Value

_TYPED_DICTS = frozenset({"typing.TypedDict", "typing_extensions.TypedDict"})
_GENERICS = frozenset({"typing.Generic", "typing_extensions.Generic"})


def typed_dict_instance(inference: Any, func: Value) -> Value | None:
    """A ``dict`` instance when ``func`` (a class of this file, being called) is a TypedDict."""
    if func.kind != LOCAL_CLASS:
        return None
    return Value(INSTANCE, "builtins.dict") if _is_typed_dict(inference, func.path, set()) else None


def _is_typed_dict(inference: Any, key: str, seen: set[str]) -> bool:
    node = inference.class_node(key)
    if node is None or key in seen or node.decorator_list or any(k.arg != "total" for k in node.keywords) or not node.bases:
        return False
    seen.add(key)
    typed = False
    for base in node.bases:
        value = inference.infer(base.value if isinstance(base, ast.Subscript) else base)
        if value is not None and value.kind == OBJECT and value.path in _GENERICS and isinstance(base, ast.Subscript):
            continue  # `class Pair(TypedDict, Generic[T])` (3.11+)
        if value is not None and value.kind == OBJECT and value.path in _TYPED_DICTS and isinstance(base, (ast.Name, ast.Attribute)):
            typed = True
        elif value is not None and value.kind == LOCAL_CLASS and _is_typed_dict(inference, value.path, seen):
            typed = True
        else:
            return False
    return typed
