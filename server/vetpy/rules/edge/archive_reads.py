"""EDGE005 on a member of an uploaded archive read whole: ``zf.read(info)`` where ``zf`` is a
``zipfile.ZipFile`` over an upload.

A zip member's stored size says nothing of its size once inflated: a few kilobytes sent can
decompress to gigabytes (a zip bomb), and ``ZipFile.read(member)`` holds all of it in memory.
Reported only for an archive the client sent (Flask's ``request.files[...]``, Django's
``request.FILES[...]``, a parameter annotated ``UploadFile``/``UploadedFile``, or its ``.file``),
opened in the same function (``with zipfile.ZipFile(upload) as zf:``, or ``zf = ...``, every
binding of the name such a call), and only where the function never reads a member's
``file_size`` (a check of the sizes before reading, as ``sum(i.file_size for i in infos) > MAX``).
An archive of a path (a bundled or a local file) is not reported, nor is a member streamed
(``zf.open(info)`` copied in chunks).
"""

from __future__ import annotations

import ast
from typing import Callable

from vetpy.rules.edge.facts import Module
from vetpy.scopes import parameter_names, plain_values, scope_index


def _zip_over(mod: Module, value: ast.AST, uploaded: Callable[[ast.expr], bool]) -> bool:
    if not (isinstance(value, ast.Call) and mod.qname(value.func) == "zipfile.ZipFile" and value.args):
        return False
    source = value.args[0]
    if isinstance(source, ast.Attribute) and source.attr == "file":
        source = source.value  # FastAPI's `upload.file`
    return uploaded(source)


def _bindings(mod: Module, func: ast.AST, name: str) -> list[ast.AST] | None:
    """What every binding of ``name`` in ``func`` binds (``with X as name``, ``name = X``:
    :func:`~vetpy.scopes.plain_values`), or None when one is of another kind (a loop target, a
    tuple) or the name is a parameter."""
    if name in parameter_names(func):
        return None
    return plain_values(scope_index(mod.doc).bindings(func, name))


def uploaded_member_read(mod: Module, call: ast.Call, uploaded: Callable[[ast.expr], bool]) -> bool:
    """Is ``call`` ``zf.read(member)`` of an archive the client uploaded, in a function that never
    reads a member's ``file_size`` (see the module's doc)?"""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "read" and len(call.args) == 1
            and not call.keywords and isinstance(call.func.value, ast.Name)):
        return False
    func = mod.enclosing_functions.get(id(call))
    if func is None:
        return False
    values = _bindings(mod, func, call.func.value.id)
    if not values or not all(_zip_over(mod, v, uploaded) for v in values):
        return False
    return not any(isinstance(n, ast.Attribute) and n.attr == "file_size" for n in ast.walk(func))
