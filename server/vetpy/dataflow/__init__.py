"""A small, local data-flow model: where a string value comes from.

Per function (and for module-level code), every local name is given a :class:`Value`: whether
it is built only from constants, holds untrusted input, or is not known either way, whether it
was assembled by string formatting, and for which sinks it has been sanitised.  The model is
flow-insensitive (a name's value is the join of all its bindings in the scope) and local to the
module: calls of its own helper functions are followed one level deep
(:mod:`vetpy.dataflow.summaries`: what callers pass to a helper's parameters, what a call of a
helper returns); other calls give :attr:`Trust.UNKNOWN`.  It is deliberately small and fast: rules that
use it stay silent when the answer is UNKNOWN unless the pattern itself is the problem.

Public API::

    flow = ModuleFlow(tree, imports)        # once per module (cheap; scopes are lazy)
    scope = flow.scope(func)                # func: FunctionDef/AsyncFunctionDef, or None for module code
    value = scope.value(expr)               # Value of any expression in that scope
    value.risk("sql")                       # Trust after sanitisers for that sink kind
    flow.handler(func)                      # is func a web route handler?
    string_parts(expr)                      # split a formatted string into constant text and holes

Trust sources (:attr:`Trust.UNTRUSTED`): Flask/Django/FastAPI/Starlette request data
(``request.args``, ``request.GET``, ``await request.json()``, ...), route handler parameters bound
from the path or query, ``input()``, ``sys.argv``.  Constants: literals, module-level names bound
only to constant expressions, UPPER_CASE attributes, values taken from constant dicts/lists,
names checked against a constant allow-list (``if col not in ALLOWED: raise``), numbers
(``int(x)``, ``len(x)``, ``{x:d}``) and conditional expressions over constants.
"""

from __future__ import annotations

from vetpy.dataflow.flow import ModuleFlow, Scope
from vetpy.dataflow.strings import Hole, string_parts
from vetpy.dataflow.values import CONSTANT, UNKNOWN, FunctionNode, Trust, Value, join_all

__all__ = [
    "CONSTANT",
    "UNKNOWN",
    "FunctionNode",
    "Hole",
    "ModuleFlow",
    "Scope",
    "Trust",
    "Value",
    "join_all",
    "string_parts",
]
