"""A method found as Python finds it from a class: the class itself, then its bases -- a class of
the same module, or (through ``project_class``) a class another module of the project defines --
two levels deep.  One walk for the project's own source methods (``self.json_body()``:
:mod:`vetpy.dataflow.source_methods`) and for a handler's whole-body method
(:mod:`vetpy.rules.sec.body_methods`).

``judge(method, tree)`` says what the method found is worth (None: nothing, and the next base is
tried).  ``certain``: only a name the class defines once, as a ``def`` or ``async def``, and does
not assign in its body, and a base the module defines once; otherwise the first plain ``def`` of
the name and the first class of the base's name are taken.  A base imported by another module's
class is not followed further.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
ProjectClass = Callable[[ast.Name], "tuple[ast.ClassDef, ast.Module] | None"]
Judge = Callable[["ast.FunctionDef | ast.AsyncFunctionDef", ast.Module], "T | None"]


def find_in_class(cls: ast.ClassDef, tree: ast.Module, name: str, judge: Judge[T], project_class: ProjectClass | None,
                  certain: bool, depth: int = 0, imported: bool = False) -> T | None:
    """What ``judge`` makes of the method ``name`` of ``cls`` (in ``tree``) or of its bases."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef) if certain else ast.FunctionDef
    own = [s for s in cls.body if isinstance(s, kinds) and s.name == name]
    if own:
        return judge(own[0], tree) if len(own) == 1 or not certain else None
    if depth >= 2 or certain and any(isinstance(s, (ast.Assign, ast.AnnAssign)) and name in _targets(s) for s in cls.body):
        return None
    for base in cls.bases:
        if not isinstance(base, ast.Name):
            continue  # `tornado.web.RequestHandler`: the library's, not the project's
        local = [s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == base.id]
        if local:
            found = (find_in_class(local[0], tree, name, judge, project_class, certain, depth + 1, imported)
                     if len(local) == 1 or not certain else None)
        elif not imported and project_class is not None and (other := project_class(base)) is not None:
            found = find_in_class(other[0], other[1], name, judge, project_class, certain, depth + 1, True)
        else:
            found = None
        if found is not None:
            return found
    return None


def _targets(stmt: ast.Assign | ast.AnnAssign) -> set[str]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return {t.id for t in targets if isinstance(t, ast.Name)}
