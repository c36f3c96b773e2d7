"""A module-level check flag read through another flag (bottle's ``py = sys.version_info``, then
``py3k = py.major > 2``): the value with each earlier flag's name replaced by that flag's check, so
that ``py3k`` is ``sys.version_info.major > 2`` and is evaluated for the target like one."""

from __future__ import annotations

import ast
import copy
import re
from typing import Iterable

from vetpy.astutil import walk


class _Through(ast.NodeTransformer):
    def __init__(self, flags: dict[str, ast.expr]) -> None:
        self.flags = flags

    def visit_Name(self, node: ast.Name) -> ast.expr:
        found = self.flags.get(node.id) if isinstance(node.ctx, ast.Load) else None
        return copy.deepcopy(found) if found is not None else node


def through_flags(value: ast.expr, flags: dict[str, ast.expr]) -> ast.expr:
    """``value`` with the names of ``flags`` (module-level names bound earlier to a version or
    platform check) replaced by their checks; ``value`` itself when it reads none of them.  The
    tree is never changed: the substitution is made on a copy."""
    if not flags or not any(isinstance(n, ast.Name) and n.id in flags for n in walk(value)):
        return value
    return _Through(flags).visit(copy.deepcopy(value))


def named_module_flag(test: ast.expr, imported: Iterable[str], known: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``known`` (what the test is already known to need) when not None; else the module an ``if``
    needs when its test is a flag named for a module its body imports: openpyxl's ``if LXML is
    True: from lxml.etree import Element`` (``LXML`` is bound to whether lxml imports), ``if
    HAS_LXML:``.  The body runs only where that module is present, like the ``else:`` of a ``try``
    that imports it; None for any other test (``if DEBUG: import lxml`` is still checked)."""
    if known is not None:
        return known
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is True:
        test = test.left  # `if LXML is True:`
    name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
    key = _FLAG_PREFIX.sub("", name.lower())
    # a flag that says it is one (`HAS_`, `_AVAILABLE`) may name a part of the module: botocore's
    # `HAS_CRT` is whether `awscrt` imports (boto3: `if HAS_CRT: import awscrt.s3`)
    partial = key != name.lower() and len(key) >= 3
    for module in imported:
        top = module.split(".")[0].lower()
        if top and (key == top or partial and (top.startswith(key) or top.endswith(key))):
            return (module.split(".")[0],)
    return None


# `HAS_LXML`, `HAVE_LXML`, `USE_LXML`, `WITH_LXML`, `LXML_AVAILABLE`, `LXML_INSTALLED`: the module's name
_FLAG_PREFIX = re.compile(r"^(?:has|have|use|with)_?|_?(?:available|installed|importable)$")
