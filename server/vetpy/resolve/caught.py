"""What the target of ``except E as exc`` is: an instance of ``E`` or of a subclass of it (what was
raised may be of any subclass), one of the classes of ``except (A, B) as exc``; unknown when the
handler names its classes through anything but a class name or dotted path (``except ERRORS``),
when one of them is not a known class, when one is a builtin exception (``except ValueError``:
any installed package may raise a subclass of it with members of its own, and the subclasses the
runtime lists are only the class's own package's), and under ``except*`` (an ExceptionGroup).
The binding reaches only the uses in the handler's body (:mod:`vetpy.resolve.reaching`).

A helper of :class:`vetpy.resolve.infer.Inference` (it uses the inference's ``annotation_class``)."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import ANNOTATED, Value, instance_of, union_of

_TRY_STAR = getattr(ast, "TryStar", ())  # Python 3.11+


def caught_value(inference: Any, handler: ast.AST | None) -> Value | None:
    """The value the target of the ``except`` handler ``handler`` holds (None: unknown)."""
    if not isinstance(handler, ast.ExceptHandler) or handler.type is None:
        return None
    if _TRY_STAR and isinstance(inference.parents.get(handler), _TRY_STAR):
        return None
    named = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    if not named or not all(isinstance(n, (ast.Name, ast.Attribute)) for n in named):
        return None
    paths = [inference.annotation_class(n) for n in named]
    if any(p is None or p.startswith("builtins.") for p in paths):
        return None  # any package may raise a subclass of a builtin exception (pydantic's ValueError has `errors()`)
    return union_of([instance_of(p, ANNOTATED) for p in paths])
