"""HAL005 for calling an attribute that holds an object of a class that cannot be called
(``ax.title("x")``: matplotlib's ``Axes.title`` is the ``Text`` its ``__init__`` makes).

Calling an instance looks ``__call__`` up on its type, never on the instance: when the held
object's class is known exactly and no class of its MRO defines ``__call__``, the call raises
TypeError whatever the instance holds."""

from __future__ import annotations

import ast
from typing import Any, Iterator

from vetpy.findings import Finding
from vetpy.resolve.value import ANNOTATED, INSTANCE, Value
from vetpy.rules.hal.project_facts import set_by_the_project
from vetpy.semantic.imports import provenance


def uncallable_attribute(checker: Any, node: ast.Call, value: Value, rule: Any) -> Iterator[Finding]:
    """The finding for ``obj.attr(...)`` when ``value`` (what ``obj.attr`` holds) is an instance of
    exactly an installed class without ``__call__``, and ``obj`` an instance of an installed class
    made here whose own code assigns ``attr`` that object."""
    attr = node.func
    inference = checker.inference
    if not isinstance(attr, ast.Attribute) or value.kind != INSTANCE or value.name == ANNOTATED or value.receiver is not None:
        return
    if attr.attr in inference.assigned_attrs or attr.attr in inference.probed_attrs:
        return  # `panel.title = print` somewhere in this file
    owner = inference.infer(attr.value)
    if owner is None or owner.kind != INSTANCE or owner.name == ANNOTATED:
        return  # an annotated receiver may be of a subclass that holds something else
    found = checker.members.method(owner.path, attr.attr)
    if not found or found.get("kind") != "property" or not found.get("assigned") or found.get("annotated"):
        return  # what the class's own code stores (`self.title = Text(...)`), not a declared lower bound
    info = checker.members.describe(value.path)
    if not info or not info.get("found") or info.get("kind") != "class":
        return
    call = checker.members.method(value.path, "__call__")  # looked up on the instance's class, not the metaclass
    if call is None or call.get("found") is not False:
        return
    if set_by_the_project(checker.ctx, owner.path, attr.attr):
        return  # the project stores something else there
    cls = owner.path.rsplit(".", 1)[-1]
    held = value.path.rsplit(".", 1)[-1]
    message = (f"`{cls}.{attr.attr}` in {provenance(checker.ctx, owner.path.split('.')[0])} holds a `{held}`, "
               f"which cannot be called (`{held}` defines no `__call__`)")
    yield rule.finding(checker.doc, node, message, callee=f"{cls}.{attr.attr}")
