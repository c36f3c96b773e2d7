"""Findings of a local checker (HAL003-HAL006) at the unchanged statements of the one edited function
are kept from the previous version (vetpy.incremental_inner) and must equal a whole analysis's:
statements reading what the edited statement binds (directly or through another name), attribute
names it sets, statements after a dirty `if` that leaves the block.  Must be flagged again / must
stop being flagged as a whole analysis says; kept otherwise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental_reuse import Session, _line_of, ctx  # noqa: F401  (ctx: a fixture)

import vetpy.incremental as incremental
from vetpy.context import AnalysisContext

pytestmark = pytest.mark.slow  # whole analyses after every step


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[int, int]]]:
    """The spans kept at each incremental analysis."""
    seen: list[list[tuple[int, int]]] = []
    real = incremental.kept_statements

    def record(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        spans = real(*args, **kwargs)
        seen.append(spans)
        return spans

    monkeypatch.setattr(incremental, "kept_statements", record)
    return seen


HANDLER = '''\
import json
import os

import requests


def handler(url, raw):
    data = json.loads(raw)
    reply = requests.get(url, timeout=5)
    os.path.joinz(url)
    status = reply.status_code
    return data, status
'''


def test_unchanged_statements_keep_their_findings(ctx: AnalysisContext, kept: list) -> None:
    session = Session(ctx, HANDLER)
    outcome = session.replace(_line_of(HANDLER, "data = json.loads"), "    data = json.loads(raw or '{}')")
    assert outcome.reused
    joinz = _line_of(HANDLER, "os.path.joinz(url)")
    assert any(low <= joinz <= high for low, high in kept[-1])  # kept, not analysed again
    assert [f.line for f in outcome.findings if f.code == "HAL003"] == [joinz]


def test_an_attribute_the_edit_sets_is_not_missing_elsewhere(ctx: AnalysisContext, kept: list) -> None:
    session = Session(ctx, HANDLER)
    outcome = session.replace(_line_of(HANDLER, "data = json.loads"), "    data.joinz = len")
    assert "HAL003" not in [f.code for f in outcome.findings]  # the whole analysis: `joinz` is set in the file
    session.replace(_line_of(HANDLER, "data = json.loads"), "    data = json.loads(raw)")


def test_a_statement_reading_the_edited_binding_is_checked_again(ctx: AnalysisContext, kept: list) -> None:
    session = Session(ctx, HANDLER)
    outcome = session.replace(_line_of(HANDLER, "reply = requests.get"), "    reply = str(url)")
    status = _line_of(HANDLER, "status = reply.status_code")
    assert status in [f.line for f in outcome.findings if f.code == "HAL003"]
    assert not any(low <= status <= high for low, high in kept[-1])


EXIT = '''\
import os
import sys


def handler(url, raw):
    windows = False
    if windows:
        return None
    os.path.joinz(url)
    return raw
'''


def test_statements_after_a_dirty_exit_are_checked_again(ctx: AnalysisContext, kept: list) -> None:
    # `if windows: return` leaves on the target when `windows` is true there or cannot be told:
    # then `os.path.joinz(url)` (mentions nothing the edit does) runs only elsewhere, not flagged
    session = Session(ctx, EXIT)
    call = _line_of(EXIT, "os.path.joinz(url)")
    for text, flagged in (("    windows = sys.platform != 'win32'", False), ("    windows = False", True),
                          ("    windows = sys.platform == 'linux'", False)):
        outcome = session.replace(_line_of(EXIT, "windows = False"), text)
        assert (call in [f.line for f in outcome.findings if f.code == "HAL003"]) is flagged


CHAIN = '''\
def handler(raw):
    a = str(raw)
    b = a
    c = b.bit_length()
    return c
'''


def test_a_statement_reading_a_name_bound_from_the_edited_one_is_checked_again(ctx: AnalysisContext, kept: list) -> None:
    session = Session(ctx, CHAIN)
    line = _line_of(CHAIN, "c = b.bit_length()")
    outcome = session.replace(_line_of(CHAIN, "a = str(raw)"), "    a = len(raw)")
    assert line not in [f.line for f in outcome.findings]  # an int has bit_length
    outcome = session.replace(_line_of(CHAIN, "a = str(raw)"), "    a = str(raw)")
    assert line in [f.line for f in outcome.findings if f.code == "HAL003"]


# -- random edits of one statement in a function whose statements read each other ---------------
HEADER = "import json\nimport os\nimport sys\n\nimport requests\n\n\ndef handler(url, raw):\n"
STATEMENTS = [
    "a = json.loads(raw)",
    "a = str(raw)",
    "a = [raw]",
    "a = None",
    "b = a",
    "b = requests.get(url, timeout=5)",
    "b = os.path.join(raw, 'x')",
    "c = b.status_code",
    "c = b.strip()",
    "c = a.bit_length()",
    "json.dumpz(raw)",
    "json.dumpz = len",
    "os.path.joinz(raw)",
    "a.append(raw)",
    "b.nope = 1",
    "c = b.nope",
    "flag = sys.platform == 'win32'",
    "flag = False",
    "if flag: return None",
    "if not isinstance(a, int): return None",
    "sys.getwindowsversion()",
    "c = a.real",
    "pass",
    "c = yield a",
    "c = lambda a: a.nope",
    "c = [b for b in a]",
    "(b := str(raw))",
    "c: int = b.bit_length()",
    "c += a.bit_length()",
    "os.path.joinz(url)",
]


@st.composite
def function_edits(draw):
    body = draw(st.lists(st.sampled_from(STATEMENTS), min_size=3, max_size=8))
    text = HEADER + "".join(f"    {s}\n" for s in body) + "    return a, b, c\n"
    first = HEADER.count("\n") + 1
    steps = [(draw(st.integers(first, first + len(body) - 1)), "    " + draw(st.sampled_from(STATEMENTS)))
             for _ in range(draw(st.integers(2, 6)))]
    return text, steps


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=function_edits())
def test_random_edits_of_one_statement_equal_whole_analyses(ctx: AnalysisContext, case) -> None:
    text, steps = case
    session = Session(ctx, text)
    for line, new in steps:
        session.replace(line, new)
