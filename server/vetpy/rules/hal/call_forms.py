"""Two forms of call that HAL004 unknown-keyword / HAL005 bad-arity check beyond a plain
signature (issue 15, the call side of the independent corpus):

- ``*args`` passed on whole: a signature with ``*args`` takes at most its named positional
  parameters plus what the worker found its ``*args`` can carry (``spreads``,
  ``resolve/_worker_spreads.py``: ``Template.render`` passes them to ``dict()``, which takes one).
  Through ``self.method(*args)`` (``spreads_through``) only where no class of the project
  defines such a method (an override of it may take more), as for keywords.
- ``functools.partial(f, *bound, **keywords)``: every call of the partial passes ``bound`` and
  ``keywords`` on to ``f``, so a keyword ``f`` does not take, or more positional arguments than it
  takes, fail whenever it is called.  Checked as a call of ``f`` in which every parameter may
  still come later (nothing is missing yet); silent when ``f``'s signature is not certain.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from vetpy.resolve.value import OBJECT, Value
from vetpy.rules.hal.project_facts import overridable_forwards

PARTIALS = frozenset({"functools.partial"})
_VAR_POSITIONAL = 2

Signature = dict[str, Any]
Callee = Callable[[Value, ast.Call], "tuple[Signature | None, str, str]"]


def positional_limit(ctx: Any, func: Value, sig: Signature, named: int) -> int | None:
    """The most positional arguments a call of ``func`` (``sig``, ``named`` positional parameters)
    takes; None when ``*args`` takes any number, or where they go is not certain."""
    if not any(p[1] == _VAR_POSITIONAL for p in sig.get("params") or []):
        return named
    spreads = sig.get("spreads")
    if spreads is None or overridable_forwards(ctx, func, {"through": sig.get("spreads_through") or ()}):
        return None
    return named + spreads


def partial_signature(inference: Any, callee: Callee, call: ast.Call) -> tuple[Signature | None, str, str]:
    """What ``functools.partial(f, ...)`` is checked against: ``f``'s signature after a first
    positional parameter for ``f`` itself, every parameter optional (a later call may give it),
    with ``f``'s label and module; None when ``f`` or its signature is not certain."""
    if not call.args or isinstance(call.args[0], ast.Starred):
        return None, "", ""
    target = inference.infer(call.args[0])
    if target is None:
        return None, "", ""
    later = ast.Call(func=call.args[0], args=call.args[1:], keywords=call.keywords)
    ast.copy_location(later, call)
    sig, label, module = callee(target, later)
    if sig is None:
        return None, "", ""
    params = [["func", 0, False], *([name, kind, True] for name, kind, _default in sig.get("params") or [])]
    made: Signature = {**sig, "params": params, "overloads": None}
    if made.get("unnamed"):
        made["unnamed"] += 1
    return made, label, module


def is_partial(func: Value) -> bool:
    return func.kind == OBJECT and func.path in PARTIALS
