"""What a name annotated where it is assigned holds: ``arr: np.ndarray = np.ones((2, 3))`` binds
exactly the value made there, not merely some instance of ``ndarray`` or of a subclass.

Only when that is certain: a plain assignment to a name (``x: T = value``) whose annotation names
one class without type arguments (a generic annotation tells what the value holds, which the value
may not), and whose value is known to be an instance of exactly that class.  Anything else (a
value of a subclass or of another class, a value known only as a declared type, an annotation
without value, a parameter): the annotation decides, as a lower bound."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import ANNOTATED, INSTANCE, Value


def assigned_exactly(inference: Any, stmt: ast.AST | None) -> Value | None:
    """The value ``stmt`` (the annotated assignment binding a name) gives the name when its
    annotation names that value's very class; None otherwise."""
    if not isinstance(stmt, ast.AnnAssign) or stmt.value is None or not isinstance(stmt.target, ast.Name) \
            or not isinstance(stmt.annotation, (ast.Name, ast.Attribute)):
        return None
    value = inference.infer(stmt.value)
    if value is None or value.kind != INSTANCE or value.name == ANNOTATED:
        return None
    declared = inference.annotation_class(stmt.annotation)
    return value if declared is not None and declared == value.path else None  # type: ignore[no-any-return]
