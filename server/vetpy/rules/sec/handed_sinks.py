"""A library function handed over to run later with its arguments is a call of it, for the SEC rules.

``await asyncio.to_thread(subprocess.run, cmd, shell=True)`` runs ``subprocess.run(cmd, shell=True)``
in a thread; ``loop.run_in_executor(None, os.system, cmd)``, ``executor.submit(pickle.loads, data)``
and Starlette's ``background.add_task(subprocess.run, cmd, shell=True)`` likewise.  The rules
that look at calls are handed that call (:func:`handed_call`): the function handed over, called
with the arguments that follow it, at the hand-over's position, as a child of the hand-over's
parent.  Only a function of a library (its qualified name's top-level module is the standard
library's, or one the resolver does not find in the project): a function of the project handed
over is the cross-module analysis's (:mod:`vetpy.rules.sec.cross_module`), and a bare local
function the data-flow summaries' (:mod:`vetpy.dataflow.summaries`).  ``to_thread`` counts only as
``asyncio.to_thread`` itself.
"""

from __future__ import annotations

import ast
import sys
from typing import Any

from vetpy.dataflow.summaries import handed_parts

SecurityPass = Any  # vetpy.rules.sec.walk.SecurityPass (which imports this module)


class HandedSinkCall(ast.Call):
    """The call a hand-over makes later, at the hand-over's position."""


def handed_call(sec: SecurityPass, call: ast.Call, name: str | None) -> tuple[HandedSinkCall, str] | None:
    """The call of a library function ``call`` hands over (``name``: ``call``'s qualified callee)
    with the qualified name of that function, else None."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    to_thread = name == "asyncio.to_thread"
    if func.attr == "to_thread" and not to_thread:
        return None
    parts = handed_parts(call, to_thread)
    if parts is None:
        return None
    target, args, keywords = parts
    if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in keywords):
        return None
    qualified = sec.qualified(target)
    if qualified is None or not _library(sec, qualified.split(".")[0]):
        return None
    handed = HandedSinkCall(func=target, args=list(args), keywords=list(keywords))
    return ast.copy_location(handed, call), qualified


def _library(sec: SecurityPass, top: str) -> bool:
    if top in getattr(sys, "stdlib_module_names", ()):
        return True
    if sec.ctx is None or sec.ctx.resolver is None:
        return False
    memo: dict[str, bool] = sec.__dict__.setdefault("_cross_module_tops", {})  # shared with cross_module.first_party_top
    if top not in memo:
        memo[top] = sec.ctx.resolver.find(top, sec.doc.path).kind == "first-party"
    return not memo[top]
