"""Inference answers carried over inside an edited function (vetpy.incremental_inference) must
leave the findings those of a whole analysis.

Specification: after an edit inside one top-level function, the answers about the body
statements the edit did not change are those of the function's previous analysis, unless the
statement mentions a name the changed statements mention or bind, or a name bound by such a
statement (transitively); or the function's outside context differs.  Must be carried: an
unchanged statement that reads nothing the edit touched.  Must not be carried (look-alikes):
the statement that reads the edited one's target, one that reads a name bound from it, one whose
name the edited statement now mutates."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental_reuse import EDITABLE, SNIPPETS, Session, _codes, _function_lines, _line_of, ctx  # noqa: F401  (ctx: a fixture)

from vetpy import incremental_inference
from vetpy.context import AnalysisContext

pytestmark = pytest.mark.slow  # whole analyses of real files after every step

HANDLER = '''\
import json

import requests


def handler(url, raw):
    data = json.loads(raw)
    reply = requests.get(url, timeout=5)
    body = reply
    status = reply.status_code
    text = body.json()
    return data, status, text
'''


def test_statements_the_edit_does_not_reach_are_carried_over(ctx: AnalysisContext) -> None:
    session = Session(ctx, HANDLER)
    line = _line_of(HANDLER, "data = json.loads(raw)")
    for step in range(3):
        outcome = session.replace(line, f"    data = json.loads(raw or '{step}')")  # Session compares with a whole analysis
        assert outcome.reused and outcome.seeded > 0


def test_a_statement_reading_the_edited_binding_is_inferred_again(ctx: AnalysisContext) -> None:
    session = Session(ctx, HANDLER)
    assert "HAL003" not in _codes(session.step())
    # `reply` is a str now (the function still mentions `requests`: the same outside context): `reply.status_code` (reads it) and `body.json()` (reads `body`, bound
    # from it) are missing attributes; their old answers (a requests.Response) must not be kept
    outcome = session.replace(_line_of(HANDLER, "reply = requests.get"), "    reply = str(requests)")
    assert outcome.reused and outcome.seeded > 0  # `data = ...` was carried over, not the others
    assert [f.message for f in outcome.findings if f.code == "HAL003"] and "status_code" in str(outcome.findings)
    assert "json" in str([f.message for f in outcome.findings if f.line == _line_of(HANDLER, "text = body.json()")])


MUTATED = '''\
import json


def handler(raw):
    items = [json.loads(raw)]
    first = items[0]
    pass
    return first.bit_length()
'''


def test_a_list_the_edit_now_mutates_is_inferred_again(ctx: AnalysisContext) -> None:
    session = Session(ctx, MUTATED.replace("json.loads(raw)", "len(raw)"))
    line = _line_of(MUTATED, "    pass")
    session.replace(line, "    items.append(raw)")  # what `items` holds is open now
    session.replace(line, "    pass")


def _broken_reusable(old, new, window):  # noqa: ANN001, ANN202 - every unchanged statement, dependent or not
    pairs = []
    for a, b in zip(old.body, new.body):
        if ast.dump(a, include_attributes=True) == ast.dump(b, include_attributes=True):
            pairs.append((a, b))
    return pairs


def test_the_comparison_catches_a_carry_over_that_ignores_dependencies(ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above can fail: with every unchanged statement carried over, the stale answers
    about `reply` hide the missing attributes and the session's comparison with a whole analysis
    fails."""
    monkeypatch.setattr(incremental_inference, "_reusable", _broken_reusable)
    session = Session(ctx, HANDLER)
    with pytest.raises(AssertionError):
        session.replace(_line_of(HANDLER, "reply = requests.get"), "    reply = str(requests)")


# -- random edit sequences inside one function ---------------------------------------------------
def _functions(text: str) -> list[list[int]]:
    """The editable lines of each top-level function that has at least two."""
    tree = ast.parse(text)
    lines = _function_lines(text)
    found = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside = [n for n in lines if stmt.lineno < n <= (stmt.end_lineno or 0)]
            if len(inside) >= 2:
                found.append(inside)
    return found


FUNCTION_FILES = [p for p in EDITABLE if _functions(p.read_text(encoding="utf-8"))]


@st.composite
def edits_inside_one_function(draw):
    path = draw(st.sampled_from(FUNCTION_FILES))
    text = path.read_text(encoding="utf-8")
    lines = draw(st.sampled_from(_functions(text)))
    all_lines = text.split("\n")
    steps = []
    for _ in range(draw(st.integers(2, 5))):
        line = draw(st.sampled_from(lines))
        original = all_lines[line - 1]
        indent = original[: len(original) - len(original.lstrip())]
        kind = draw(st.sampled_from(["snippet", "sibling", "original", "retype"]))
        assigned = re.match(r"(\s*)([A-Za-z_]\w*) = (.+)$", original)
        if kind == "retype" and assigned:  # the same name, the same names read, another type: its readers change
            wrapper = draw(st.sampled_from(["str({})", "[{}]", "({}, None)", "b''.join({})", "None or {}"]))
            new = f"{assigned[1]}{assigned[2]} = {wrapper.format(assigned[3])}"
        elif kind == "snippet":
            new = indent + draw(st.sampled_from(SNIPPETS))
        elif kind == "sibling":  # another statement of the same function, moved here
            new = indent + all_lines[draw(st.sampled_from(lines)) - 1].strip()
        else:
            new = original
        steps.append((line, new))
    return path, text, steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=edits_inside_one_function())
def test_random_edits_inside_one_function_equal_whole_analyses(ctx: AnalysisContext, case) -> None:
    path, text, steps = case
    session = Session(ctx, text, directory=path.parent if "demo" in path.parts else None)
    for line, new in steps:
        session.replace(line, new)
