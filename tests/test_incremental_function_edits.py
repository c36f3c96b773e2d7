"""Edits inside one function, step after step, analysed incrementally (vetpy.incremental) must
give the findings of a whole analysis: the statements after an edited one that read what it
binds (directly or through another name), or a list it now mutates, see the new binding.

(Written for a carry-over of the inference's answers about a function's unchanged statements,
branch speed19-inference-carry, where a variant carrying every unchanged statement fails these
tests; the carry-over saved no measurable time and is not on this branch.)"""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental_reuse import EDITABLE, SNIPPETS, Session, _codes, _function_lines, _line_of, ctx  # noqa: F401  (ctx: a fixture)

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


def test_a_statement_reading_the_edited_binding_is_inferred_again(ctx: AnalysisContext) -> None:
    session = Session(ctx, HANDLER)
    assert "HAL003" not in _codes(session.step())
    # `reply` is a str now (the function still mentions `requests`: the same outside context): `reply.status_code` (reads it) and `body.json()` (reads `body`, bound
    # from it) are missing attributes; their old answers (a requests.Response) must not be kept
    outcome = session.replace(_line_of(HANDLER, "reply = requests.get"), "    reply = str(requests)")
    assert outcome.reused
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
