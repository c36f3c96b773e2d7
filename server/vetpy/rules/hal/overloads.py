"""Calls of installed functions that take ``*args``/``**kwargs`` but declare, with
``@typing.overload``, the calls they accept (``pytest.raises``, ``tenacity.retry``): a call that
no overload accepts, with a keyword that no overload names or more positional arguments than any
overload takes, fails (HAL004 / HAL005).  A call that some overload accepts by its shape is left
alone: the types of its arguments are not checked here."""

from __future__ import annotations

import ast
from typing import Any

_POSITIONAL = (0, 1)
_NAMED = (1, 3)
_VAR_POSITIONAL = 2
_VAR_KEYWORD = 4
_ARGUMENTS = (0, 1, 3)

Params = list[list[Any]]


def rejected(overloads: list[Params], call: ast.Call) -> tuple[list[ast.keyword], int | None]:
    """(keywords no overload names, the most positional arguments any overload takes when the call
    gives more) for a call that no overload :func:`accepts`; ([], None) when one does, or when the
    call spreads ``*args``/``**kwargs``."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return [], None
    if any(accepts(params, call) for params in overloads):
        return [], None
    named = {p[0] for params in overloads for p in params if p[1] in _NAMED}
    unknown = [k for k in call.keywords if k.arg and k.arg not in named]
    if unknown:
        return unknown, None
    if any(p[1] == _VAR_POSITIONAL for params in overloads for p in params):
        return [], None
    most = max((sum(1 for p in params if p[1] in _POSITIONAL) for params in overloads), default=0)
    return [], most if len(call.args) > most else None


def accepts(params: list[list[Any]], call: ast.Call) -> bool:
    """Do the signature's ``params`` accept ``call``'s arguments (count, keywords, required)?"""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return True
    kinds = {p[1] for p in params}
    positional = [p for p in params if p[1] in _POSITIONAL]
    if _VAR_POSITIONAL not in kinds and len(call.args) > len(positional):
        return False
    named = {p[0] for p in params if p[1] in _NAMED}
    given = {k.arg for k in call.keywords if k.arg}
    if _VAR_KEYWORD not in kinds and not given <= named:
        return False
    filled = {p[0] for p in positional[: len(call.args)]} | given
    return not any(p[1] in _ARGUMENTS and not p[2] and p[0] not in filled
                   for p in params)
