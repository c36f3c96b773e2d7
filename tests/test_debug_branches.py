"""semantic/debug_branches.py: which branches of an ``if`` run only while debugging (specification
first: SEC011 and EDGE013 both ask it; a production branch must never be taken for a debug one)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from vetpy.semantic.debug_branches import SEC_WORDS, EDGE_WORDS, debug_polarity, runs_only_while_debugging


def _test(expr: str) -> ast.expr:
    return ast.parse(expr, mode="eval").body


@pytest.mark.parametrize(
    "expr, words, expected",
    [
        # true only in debug mode
        ("DEBUG", SEC_WORDS, True),
        ("settings.DEBUG", SEC_WORDS, True),
        ("app.debug", SEC_WORDS, True),
        ("app.debug and verbose", SEC_WORDS, True),
        ("settings.DEBUG is True", SEC_WORDS, True),
        ("settings.DEBUG == True", SEC_WORDS, True),
        ("not not DEBUG", SEC_WORDS, True),
        ("settings.SERVER_PROFILING_ENABLED", EDGE_WORDS, True),
        ("debug_mode or DEBUG", SEC_WORDS, True),
        # true only outside debug mode (the production branch)
        ("not DEBUG", SEC_WORDS, False),
        ("not app.debug", SEC_WORDS, False),
        ("not settings.DEBUG and strict", SEC_WORDS, False),
        ("settings.DEBUG is False", SEC_WORDS, False),
        ("settings.DEBUG == False", SEC_WORDS, False),
        ("not profiling", EDGE_WORDS, False),
        # neither: no flag, or a flag mixed with something else
        ("verbose", SEC_WORDS, None),
        ("DEBUG or verbose", SEC_WORDS, None),
        ("not DEBUG or verbose", SEC_WORDS, None),
        ("profile", EDGE_WORDS, None),  # a user's profile, not a profiling mode
        ("settings.SERVER_PROFILING_ENABLED", SEC_WORDS, None),
        ("request.args.get('debug')", SEC_WORDS, None),  # a client's wish is no debug mode
    ],
)
def test_polarity(expr, words, expected):
    assert debug_polarity(_test(expr), words) is expected


def _target(source: str) -> tuple[ast.AST, dict[ast.AST, ast.AST]]:
    """The call ``target()`` in ``source`` and the parent map."""
    tree = ast.parse(textwrap.dedent(source))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "target")
    return call, parents


@pytest.mark.parametrize(
    "source, expected",
    [
        ("if DEBUG:\n    target()", True),
        ("if not DEBUG:\n    pass\nelse:\n    target()", True),
        ("if not DEBUG:\n    raise err\ntarget()", True),
        ("if not DEBUG:\n    return None\nelse:\n    pass\ntarget()", False),  # the exit has an else: both run on
        ("def f():\n    if not DEBUG:\n        return None\n    if x:\n        target()", True),
        ("if DEBUG:\n    pass\ntarget()", False),
        ("if not DEBUG:\n    target()", False),
        ("if DEBUG:\n    pass\nelse:\n    target()", False),
        ("if not DEBUG:\n    log()\ntarget()", False),  # logs, then goes on in production too
        ("if DEBUG or verbose:\n    target()", False),
        ("target()\nif not DEBUG:\n    raise err", False),  # the exit comes after
    ],
)
def test_runs_only_while_debugging(source, expected):
    if "return" in source and not source.startswith("def"):
        source = "def f():\n" + textwrap.indent(source, "    ")
    call, parents = _target(source)
    assert runs_only_while_debugging(call, parents, SEC_WORDS) is expected
