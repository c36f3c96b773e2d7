"""HAL005 for a method used as a value: ``arrow.utcnow().timestamp + 60``.

A name that a release turned from a property into a method (arrow 1.0's ``Arrow.timestamp``)
reads without an error, and the arithmetic on it raises ``TypeError``: neither a function nor a
bound method supports ``+``, ``-``, ``*``, ``/``, ``//`` or ``**``, and a number or a string on
the other side does not take a method either.  Reported only when the receiver is an instance of
an installed class known exactly (not from an annotation: a subclass may make the name a
property), the name is a method of that class, the other operand is a number or a string, and no
handler around expects ``TypeError``.  ``%`` is left alone (``"%s" % obj.method`` formats it).
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.findings import Finding
from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD
from vetpy.semantic.imports import provenance

_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**"}
_PLAIN = ("builtins.int", "builtins.float", "builtins.str")


def method_operand(checker: Any, node: ast.Attribute, rule: Any, guards: set[str]) -> Finding | None:
    """The finding for ``node``, an operand of arithmetic that reads a method of an installed
    instance without calling it; None otherwise (``checker``: the HAL checker of the file)."""
    inference = checker.inference
    parent = inference.parents.get(node)
    if not isinstance(parent, ast.BinOp) or type(parent.op) not in _ARITHMETIC:
        return None
    other = parent.right if parent.left is node else parent.left
    if isinstance(other, ast.Constant):
        if type(other.value) not in (int, float, str):
            return None
    else:
        value = inference.infer(other)
        if value is None or value.kind != INSTANCE or value.path not in _PLAIN or value.name == ANNOTATED:
            return None
    method = inference.infer(node)
    receiver = method.receiver if method is not None and method.kind == METHOD else None
    if receiver is None or receiver.kind != INSTANCE or receiver.name == ANNOTATED or receiver.path != method.path:
        return None
    found = checker.members.method(method.path, method.name)
    if not found or not found.get("found") or found.get("kind") != "function" or checker._guarded(parent, guards):
        return None
    cls = (found.get("owner") or method.path).rsplit(".", 1)[-1]
    where = provenance(checker.ctx, method.path.split(".")[0])
    message = (f"`{cls}.{method.name}` in {where} is a method, not a value: `{_ARITHMETIC[type(parent.op)]}` on it "
               f"raises TypeError; call it: `{method.name}()`")
    return rule.finding(checker.doc, node, message, callee=f"{cls}.{method.name}")
