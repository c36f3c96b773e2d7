"""What reading an annotated class attribute through the class itself gives (issue 15, class and
chain receivers): ``User.name`` of a class of this file whose body says
``name: Mapped[str] = mapped_column(...)``.

At run time the attribute is what the class's machinery left in its namespace (SQLAlchemy's
mapper puts an ``InstrumentedAttribute`` there); the annotation's descriptor class declares it:
the overload of its ``__get__`` whose instance parameter is annotated ``None`` (``Mapped``'s
``def __get__(self, instance: None, owner: Any) -> InstrumentedAttribute[_T_co]``).  That is read
from the descriptor class's stub or typed source, never by running anything, and it is a lower
bound (the member check still looks at subclasses).

Only when the read is of the class itself (``User.name``, not ``cls.name``: a subclass may bind
the name again), the class has no decorator and no keyword, and the name is bound once in the
whole class, by one annotated statement of its body, and never stored on any object of the file
(``User.name = ...``).  One overload for a read through the class, giving one class (not
``Self``, not a union, not ``Any``, not a type variable); anything else: unknown.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from vetpy.resolve.descriptor_reads import _NO_CLASS, _obj_annotation, _through_sources, declared_get, kept
from vetpy.resolve.value import EXACT, LOCAL_CLASS, OBJECT, Value, lower_bound

if TYPE_CHECKING:
    from vetpy.resolve.stubs import Form, StubIndex


def annotated_class_read(inference: Any, owner: Value, name: str) -> Value | None:
    """The lower bound of ``owner.name`` (``owner`` a class of this file, read as itself) from the
    ``__get__`` of the descriptor class its body annotates ``name`` with, else None."""
    if owner.kind != LOCAL_CLASS or owner.name != EXACT or name.startswith("__") or name in inference.assigned_attrs:
        return None
    node = inference._local_nodes.get(owner.path)
    if not isinstance(node, ast.ClassDef) or node.decorator_list or node.keywords:
        return None
    statement = _only_annotation(node, name)
    if statement is None:
        return None
    annotation = statement.annotation
    head = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if not isinstance(head, (ast.Name, ast.Attribute)):
        return None
    descriptor = inference.infer(head)
    if descriptor is None or descriptor.kind != OBJECT:
        return None
    info = inference.members.describe(descriptor.path) or {}
    if info.get("kind") != "class":
        return None
    form = class_read(inference.stubs, str(info.get("canonical") or descriptor.path))
    if form is None:
        return None
    value = inference._form_value(form)
    return lower_bound(value) if value is not None else None


def _only_annotation(node: ast.ClassDef, name: str) -> ast.AnnAssign | None:
    """The one statement of the class body that binds ``name``, when it is an annotated
    assignment and nothing else in the class (a method's store, a nested definition) binds it."""
    found = [st for st in node.body if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)
             and st.target.id == name]
    if len(found) != 1:
        return None
    for sub in ast.walk(node):
        if sub is found[0].target:
            continue
        if isinstance(sub, ast.Name) and sub.id == name and not isinstance(sub.ctx, ast.Load) \
                or isinstance(sub, ast.Attribute) and sub.attr == name and not isinstance(sub.ctx, ast.Load) \
                or isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and sub.name == name \
                or isinstance(sub, ast.alias) and (sub.asname or sub.name) == name:
            return None
    return found[0]


def class_read(stubs: "StubIndex | None", cls_path: str) -> "Form":
    """The form that reading an instance of the descriptor class ``cls_path`` through its owner
    class gives, when its ``__get__`` declares it; else None.  Kept per stub index."""
    return kept(stubs, "class_reads.class_read", cls_path, _class_read)


def _class_read(stubs: "StubIndex", cls_path: str) -> "Form":
    declared = declared_get(stubs, cls_path)
    if declared is None:
        return None
    owner, defs, defining, tree = declared
    through = [d for d in defs if _only_none(_obj_annotation(d))]
    if len(through) != 1:
        return None  # no read through the class declared, or several
    form = _through_sources(stubs, stubs._annotation(tree, defining, owner, through[0].returns))
    head = form[0] if isinstance(form, tuple) else form
    if not isinstance(head, str) or head in _NO_CLASS or head == cls_path or "." not in head:
        return None
    return form


def _only_none(node: ast.expr | None) -> bool:
    """Is the annotation ``None`` or ``Literal[None]``: only a read through the class passes it?"""
    if isinstance(node, ast.Constant):
        return node.value is None or node.value in ("None", "Literal[None]")
    if isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
        head = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
        return head == "Literal" and isinstance(node.slice, ast.Constant) and node.slice.value is None
    return False
