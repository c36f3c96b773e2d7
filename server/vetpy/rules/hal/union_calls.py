"""A keyword that no member of a union accepts: ``df["k"].value_counts(top=1)`` where ``df["k"]``
is a ``Series`` or a ``DataFrame`` and both ``Series.value_counts`` and ``DataFrame.value_counts``
are separate functions (a union whose members all call one inherited function is checked as
that function, by the attribute rule itself).

Reported only when every member of the union is a method with a known signature and each one's
check reports the same keyword as unknown; the finding is the first member's (its message names
that member's callee).  Arity and anything else that a member may accept stay silent.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Iterable, Iterator

from vetpy.findings import Finding
from vetpy.resolve.value import METHOD, Value

_UNKNOWN_KEYWORD = "HAL004"


def union_keyword_findings(node: ast.Call, union: Value,
                           findings_of: Callable[[ast.Call, Value], Iterable[Finding]]) -> Iterator[Finding]:
    """The unknown-keyword findings that every member of ``union`` (methods only) gives for
    ``node`` (``findings_of``: the rule's own check of a call against one callee)."""
    if not union.args or any(m is None or m.kind != METHOD for m in union.args):
        return
    shared: dict[Any, Finding] | None = None
    for member in union.args:
        found = {(f.extra.get("keyword"), f.line, f.column): f for f in findings_of(node, member)
                 if f.code == _UNKNOWN_KEYWORD and f.extra.get("keyword")}
        shared = found if shared is None else {k: shared[k] for k in shared if k in found}
        if not shared:
            return
    yield from (shared or {}).values()
