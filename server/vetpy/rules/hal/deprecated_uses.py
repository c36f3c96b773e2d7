"""HAL006 where a name or keyword is used: the attribute checker (``self``, the ``_Checker`` of
:mod:`vetpy.rules.hal.attributes`) asks these once it has worked out the receiver or callee."""

from __future__ import annotations

import ast
from typing import Any, Iterator

from vetpy import history as release_history
from vetpy.findings import Finding
from vetpy.history import deprecated_keyword, deprecated_member, library_of
from vetpy.resolve.infer import METHOD, OBJECT, Value
from vetpy.rules.hal.deprecated import (DEPRECATED_API, answering, deprecation_expected, describe as describe_deprecation,
                                        passes_a_value)


def _is_module(self: Any, owner: Value) -> bool:
    info = self.members.describe(owner.path)
    return info is not None and info.get("kind") == "module"


def deprecated_attribute(self: Any, node: ast.Attribute, owner: Value, name: str) -> Finding | None:
    """HAL006: ``owner.name`` exists and the installed release deprecates it."""
    if not self.deprecations or (owner := answering(self.inference, owner, name)) is None:
        return None
    history = release_history.shipped()
    found = library_of(history, self.ctx.environment, owner.path)
    if found is None:
        return None
    library, installed = found
    is_class = not (owner.kind == OBJECT and _is_module(self, owner))
    deprecation = deprecated_member(history, library, owner.path, name, installed, is_class=is_class)
    if deprecation is None or deprecation_expected(node, self.inference.parents):  # the walk only when deprecated
        return None
    subject = f"`{owner.path.rsplit('.', 1)[-1] if is_class else owner.path}.{name}`"
    _line, _col, end_line, end_col = self.doc.node_range(node)
    return DEPRECATED_API.finding(self.doc, (end_line, end_col - len(name), end_line, end_col),
                                  describe_deprecation(subject, deprecation, installed),
                                  receiver=owner.path, name=name)


def deprecated_keywords(self: Any, node: ast.Call, func: Value, label: str) -> Iterator[Finding]:
    """HAL006 for keywords: passed a value, and deprecated by the installed callee."""
    if not self.deprecations or func.kind not in (METHOD, OBJECT) or not node.keywords:
        return
    history = release_history.shipped()
    found = library_of(history, self.ctx.environment, func.path)
    if found is None:
        return
    library, installed = found
    for kw in node.keywords:
        if not kw.arg or not passes_a_value(kw.value):
            continue
        if func.kind == METHOD:
            deprecation = deprecated_keyword(history, library, func.name, kw.arg, installed, method_of=func.path)
        else:
            deprecation = deprecated_keyword(history, library, func.path, kw.arg, installed)
        if deprecation is not None:
            if deprecation_expected(node, self.inference.parents):  # the walk only when deprecated
                return
            line, col, _el, _ec = self.doc.node_range(kw)
            message = describe_deprecation(f"keyword `{kw.arg}` of `{label}`", deprecation, installed)
            yield DEPRECATED_API.finding(self.doc, (line, col, line, col + len(kw.arg)), message,
                                         callee=label, keyword=kw.arg)
