"""What a class attribute of a class of this file holds (``Settings.base.mkdirs()`` where the body
says ``base: ClassVar[Path] = Path(...)`` or ``base = Path(...)``).  A mixin of
:class:`vetpy.resolve.infer.Inference` (through ``Declared``): it uses the inference's ``infer``,
``annotation_value``, ``local_class``, ``members`` and ``tree``.

Only when the attribute is certain to hold that value: the class has no base but ``object`` (an
installed base may make its body's names something else: an Enum's members, a pydantic model's
fields, SQLAlchemy's columns, Django's fields), no decorator (attrs' slots classes replace their
class attributes with slot descriptors) and no ``__slots__``; the body binds the name once, by a
plain assignment at its top level; and nothing in the file assigns or deletes an attribute of that
name on any object, or calls ``setattr``; the value is an instance of an installed class that is no
descriptor (a function, ``staticmethod``, ``property`` read through the class is another object).
A ``None`` or unknown value answers nothing."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.astutil import last_name, walk
from vetpy.resolve.containers import is_none
from vetpy.resolve.value import INSTANCE, LOCAL_CLASS, LOCAL_INSTANCE, Value

_QUALIFIERS = frozenset({"ClassVar", "Final"})
# The enum module's classes whose subclasses' members are instances with no attribute but the class's.
_ENUM_BASES = frozenset({f"enum.{n}" for n in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")})


def _qualifier(node: ast.expr) -> str:
    """The last name of ``node``, or of what it subscripts (``typing.ClassVar[Path]``: ``ClassVar``)."""
    return last_name(node.value if isinstance(node, ast.Subscript) else node) or ""


class ClassAttributes:
    """Values of class attributes of this file's classes (mixed into Inference)."""

    def _class_attribute(self, owner: Value, name: str) -> Value | None:
        """What ``owner.name`` holds when ``name`` is a plain class attribute of ``owner``'s class."""
        if owner.kind not in (LOCAL_CLASS, LOCAL_INSTANCE) or name.startswith("__"):
            return None
        node = self._local_nodes.get(owner.path)  # type: ignore[attr-defined]
        local = self.local_class(owner.path)  # type: ignore[attr-defined]
        if node is not None and local is not None and owner.kind == LOCAL_CLASS and self._enum_member(node, local, name):
            return Value(LOCAL_INSTANCE, owner.path)
        if node is None or local is None or node.bases or node.keywords or node.decorator_list \
                or any(base.path != "builtins.object" for base in local.bases) or "__slots__" in local.own:
            return None
        bound = [stmt for stmt in node.body if _binds(stmt, name)]
        if len(bound) != 1 or not isinstance(bound[0], (ast.Assign, ast.AnnAssign)) or bound[0].value is None \
                or is_none(bound[0].value) or not self._only_binding(node, name):
            return None
        stmt = bound[0]
        value = self.infer(stmt.value)  # type: ignore[attr-defined]
        if isinstance(stmt, ast.AnnAssign):
            annotation = stmt.annotation
            if _qualifier(annotation) in _QUALIFIERS and isinstance(annotation, ast.Subscript):
                annotation = annotation.slice
            if _qualifier(annotation) not in _QUALIFIERS:  # a bare `Final = Path()`: what the value is
                value = self.annotation_value(annotation)  # type: ignore[attr-defined]
        return value if self._plain(value) else None

    def _enum_member(self, node: ast.ClassDef, local: Any, name: str) -> bool:
        """Is ``Cls.name`` certainly a member of an Enum of this file, so an instance of it: the
        class's bases are the ``enum`` module's own classes (another base or a metaclass may add
        attributes at class creation: Django's ``Choices.label``), no decorator but ``unique``, no
        ``_ignore_``; the body binds the public ``name`` once, to a literal, a tuple of literals or
        ``auto()``, and the file binds no attribute of that name anywhere else."""
        if not node.bases or node.keywords or not local.bases or name.startswith("_") \
                or any(base.path not in _ENUM_BASES for base in local.bases) \
                or any(self.infer(b) is None or self.infer(b).path not in _ENUM_BASES for b in node.bases) \
                or any(_qualifier(d) != "unique" for d in node.decorator_list) \
                or any(_binds(stmt, "_ignore_") for stmt in node.body):  # type: ignore[attr-defined]
            return False
        bound = [stmt for stmt in node.body if _binds(stmt, name)]
        if len(bound) != 1 or not isinstance(bound[0], ast.Assign) or len(bound[0].targets) != 1 \
                or not isinstance(bound[0].targets[0], ast.Name) or not self._only_binding(node, name):
            return False
        value = bound[0].value
        parts = value.elts if isinstance(value, ast.Tuple) else [value]
        return all(isinstance(p, ast.Constant) for p in parts) or (
            isinstance(value, ast.Call) and not value.args and not value.keywords and _qualifier(value.func) == "auto"
            and getattr(self.infer(value.func), "path", None) == "enum.auto")  # type: ignore[attr-defined]

    def _plain(self, value: Value | None) -> bool:
        """Is ``value`` an instance of an installed class that is no descriptor (no ``__get__``: a
        function, ``staticmethod`` or ``property`` read on a class or instance gives another object)?"""
        if value is None or value.kind != INSTANCE:
            return False
        info = self.members.describe(value.path)  # type: ignore[attr-defined]
        return info is not None and info.get("kind") == "class" and "__get__" not in (info.get("members") or ("__get__",))

    def _only_binding(self, node: ast.ClassDef, name: str) -> bool:
        """Is the class body's binding of ``name`` the file's only one: no ``x.name = ...``,
        ``x.name += ...`` or ``del x.name`` anywhere, no ``setattr``, no rebinding in the body?"""
        stored = self.__dict__.get("_stored_attributes")
        if stored is None:  # one walk of the file: the attribute names it stores or deletes (None: setattr)
            stored = set()
            for other in walk(self.tree):  # type: ignore[attr-defined]
                if isinstance(other, ast.Attribute) and not isinstance(other.ctx, ast.Load):
                    stored.add(other.attr)
                elif isinstance(other, ast.Call) and isinstance(other.func, ast.Name) and other.func.id in ("setattr", "delattr"):
                    stored = None
                    break
            self.__dict__["_stored_attributes"] = stored if stored is not None else frozenset({"*"})
            stored = self.__dict__["_stored_attributes"]
        if name in stored or "*" in stored:
            return False
        return sum(1 for stmt in walk(node) if isinstance(stmt, ast.Name) and stmt.id == name
                   and not isinstance(stmt.ctx, ast.Load)) == 1


def _binds(stmt: ast.stmt, name: str) -> bool:
    """Does the class-body statement ``stmt`` bind ``name`` (any way: assignment, def, class, import)?"""
    if isinstance(stmt, ast.Assign):
        return any(isinstance(n, ast.Name) and n.id == name for t in stmt.targets for n in ast.walk(t))
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        return isinstance(stmt.target, ast.Name) and stmt.target.id == name
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name == name
    return any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in ast.walk(stmt))
