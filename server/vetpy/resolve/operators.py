"""What a binary operator gives (``path / "a.txt"``, ``vec + vec``): the declared result of the
left operand's method for it (``__truediv__``, ``__add__``, ...), as a call of that method would
give.  A mixin of :class:`vetpy.resolve.infer.Inference` (through ``Containers``): it uses the
inference's ``infer`` and ``_returned``.

Only when Python is sure to call the left operand's method: the left operand is an instance of a
class that is not a builtin (``int.__mul__`` gives way to ``ndarray.__rmul__`` in ``2 * a``; and
``"%s" % x`` formats anything), and the right operand is known to be an instance of the same
class or a builtin scalar (``str``, ``int``, ``float``, ``bytes``, ``bool``): no subclass of the
left operand's class whose reflected method Python would try first.  Overloads answering
different classes (``datetime - datetime`` gives a ``timedelta``, ``datetime - timedelta`` a
``datetime``) answer what the one overload that the right operand's class certainly selects
declares (:mod:`vetpy.resolve.operand_overloads`), else nothing."""

from __future__ import annotations

import ast

from vetpy.resolve.operand_overloads import operand_selected
from vetpy.resolve.value import ANNOTATED, INSTANCE, UNION, Value

_METHODS: dict[type, str] = {
    ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__",
    ast.FloorDiv: "__floordiv__", ast.Mod: "__mod__", ast.Pow: "__pow__", ast.MatMult: "__matmul__",
    ast.BitAnd: "__and__", ast.BitOr: "__or__", ast.BitXor: "__xor__", ast.LShift: "__lshift__",
    ast.RShift: "__rshift__",
}
# Right operands that never take over: their classes have no reflected method for another class
# (a subclass of them is not the left operand's class, which is no builtin).
_SCALARS = frozenset({"builtins.str", "builtins.int", "builtins.float", "builtins.bytes", "builtins.bool"})


class Operators:
    """Binary operator results (mixed into Inference)."""

    def _operated(self, expr: ast.AST) -> Value | None:
        """What ``expr`` gives when it is a binary operation whose method is certain (else None)."""
        if not isinstance(expr, ast.BinOp):
            return None
        method = _METHODS.get(type(expr.op))
        if method is None:
            return None
        left = self.infer(expr.left)  # type: ignore[attr-defined]
        if left is None or left.kind != INSTANCE or left.path.startswith("builtins."):
            return None
        right = self.infer(expr.right)  # type: ignore[attr-defined]
        if right is None or right.kind != INSTANCE or right.path != left.path and right.path not in _SCALARS:
            return None
        result = self._returned(left.path, method, None, left)  # type: ignore[attr-defined]
        if result is None and right.name != ANNOTATED:  # overloads: the one the right operand's class selects
            form = operand_selected(self.stubs, self.members, method, left.path, right.path)  # type: ignore[attr-defined]
            result = self._form_value(form, left) if form is not None else None  # type: ignore[attr-defined]
        if result is None or result.kind == UNION:  # `-> Self | NotImplementedType`: which one is not known here
            return None
        return result  # type: ignore[no-any-return]
