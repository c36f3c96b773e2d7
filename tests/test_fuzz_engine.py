"""Fuzzing the engine: parse + every registered rule + every fix, over Python-shaped and hostile
source (strategies in ``tests/strategies.py``).

Generic over the rule registry: rules merged later (security, edge cases, attribute checks) are
covered without changing this file.  The context is a real one (``build_context``) for a temporary
project with declared dependencies, a sibling module and the test interpreter as target.

Invariants, for every input:
1. no exception escapes ``analyze``, and no checker fails (a failing checker hides its findings,
   so ``ctx.on_error`` being called is a failure too);
2. every finding's range lies inside the document (1 <= line <= end_line <= line count, columns
   within their line + 1, start before end);
3. every fix applies (``apply_edits`` accepts its edits) and, when the original parsed, the fixed
   document parses;
4. findings are deterministic (a fresh ``Document`` of the same text gives equal findings).
"""

from __future__ import annotations

import ast
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import context_for, write
from strategies import InvariantChecker, deep_nesting, hostile_sources, huge_literals, programs, with_line_endings
from vetpy.rules import REGISTRY, load_all

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> InvariantChecker:
    root = write(
        tmp_path_factory.mktemp("fuzz"),
        {
            "pyproject.toml": """
                [project]
                name = "fuzzed"
                version = "0"
                dependencies = ["packaging>=1", "requests==0.0.1", "hypothesis"]
            """,
            "pkg/__init__.py": "",
            "pkg/sibling.py": "def helper():\n    return 1\n",
        },
    )
    return InvariantChecker(context_for(root, python=sys.executable))


def test_the_registry_has_rules_of_every_loaded_family():
    load_all()
    families = {r.family for r in REGISTRY.rules.values()}
    assert {"SYN", "HAL", "DEP"} <= families
    assert REGISTRY.checkers, "no checkers registered: the fuzz tests would prove nothing"


def test_strategies_programs_parse():
    @settings(max_examples=150, deadline=None)
    @given(programs())
    def parses(text: str) -> None:
        ast.parse(text)

    parses()


@settings(FUZZ, max_examples=200)
@given(text=hostile_sources())
def test_engine_invariants_on_hostile_source(harness, text):
    harness.check(text)


@settings(FUZZ, max_examples=60)
@given(text=programs(), style=st.sampled_from(["lf", "crlf", "cr", "mixed"]))
def test_findings_do_not_depend_on_the_line_ending_style(harness, text, style):
    """The same program with other line breaks gets the same findings at the same positions."""
    base = [(f.code, f.line, f.column, f.end_line, f.end_column) for f in harness.check(text)]
    other = [(f.code, f.line, f.column, f.end_line, f.end_column) for f in harness.check(with_line_endings(text, style))]
    assert other == base


@settings(FUZZ, max_examples=20)
@given(text=st.one_of(deep_nesting(), huge_literals()))
def test_engine_invariants_on_pathological_shapes(harness, text):
    harness.check(text)


# Fixed pathological inputs that always run (Hypothesis draws vary between runs).
PATHOLOGICAL = {
    "1000 parentheses": "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "3000 brackets": "x = " + "[" * 3000 + "]" * 3000 + "\n",
    "3000 unclosed calls": "print(" * 3000,
    "100 nested ifs": "".join("    " * i + "if x:\n" for i in range(100)) + "    " * 100 + "pass\n",
    "5000 additions": "y = " + "1 + " * 5000 + "1\n",
    "5000 attribute chain": "import os\ny = os" + ".path" * 5000 + "\n",
    "2000 unary minus": "y = " + "-" * 2000 + "1\n",
    "1000 nested calls in a shell call": "import subprocess\nsubprocess.run(" + "str(" * 1000 + "x" + ")" * 1000 + ", shell=True)\n",
    "100k-digit int": "x = " + "9" * 100_000 + "\n",
    "1 MB string": "s = '" + "a" * 1_000_000 + "'\n",
    "null byte": "import os\x00\n",
    "null byte in string": "x = 'a\x00b'\n",
    "BOM": "\ufeffimport fastjsonx\n",
    "BOM twice": "\ufeff\ufeffimport os\n",
    "form feed indentation": "if x:\n\x0c    import fastjsonx\n",
    "tab/space mix": "if x:\n    if y:\n\tpass\n",
    "CR only": "import fastjsonx\rimport os\rfrom json import loads_fast\r",
    "lone surrogate": "x = '\ud800'\n",
    "non-BMP identifier": "𝔡𝔞𝔱𝔞 = 1; import fastjsonx; from json import loads_fast as 𝔡\n",
    "unterminated triple quote": "import os\nx = '''\n",
    "line continuation at EOF": "import os \\",
    "only a BOM": "\ufeff",
    "empty": "",
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_engine_invariants_on_known_pathological_inputs(harness, text):
    harness.check(text)
