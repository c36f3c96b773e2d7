"""An unannotated installed function whose every ``return`` hands back what another module-level
function gives (issue 15: scipy's ``ttest_rel`` ends ``return ttest_1samp(a - b, ...)``): its calls
give what that function's calls give, followed through the chain, when one class is known.  A
return of anything else, two different classes, a function whose return is unknown, or a cycle
leave the result unknown.  Every "must flag" line raises AttributeError when run
(``test_the_specification_runs``); every look-alike runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import one_package, site_context

pytestmark = pytest.mark.slow

STATSLIB = '''
class Result:
    def __init__(self, statistic):
        self.statistic = statistic


class Other:
    def __init__(self):
        self.t_statistic = 1.0


def one_samp(a):
    if not a:
        return None
    return Result(sum(a))


def rel(a, b):
    return one_samp([x - y for x, y in zip(a, b)])


def rel_again(a, b):
    return rel(a, b)


def mixed(a):
    if a:
        return one_samp(a)
    return Other()


def unknown(a):
    return make(a)


def make(a):
    return a


def looping(a):
    if a:
        return looping(a[1:])
    return looping2(a)


def looping2(a):
    return looping(a)
'''

FLAGGED = """
from statslib import rel, rel_again

rel([1], [0]).t_statistic  # 4
rel_again([1], [0]).t_statistic  # 5
"""

VALID = """
from statslib import make, mixed, rel, unknown

rel([1], [0]).statistic
mixed([]).t_statistic
unknown(type("T", (), {"t_statistic": 1})).t_statistic
"""

CYCLE = """
from statslib import looping

looping([]).anything
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("statslib", STATSLIB)) as context:
        yield context


def _hal(ctx, code: str) -> list[int]:
    from vetpy.engine import check_source

    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return sorted(f.line for f in found if f.code.startswith("HAL"))


def test_what_a_returned_call_gives_is_what_the_function_gives(ctx):
    assert _hal(ctx, FLAGGED) == [4, 5]


def test_other_returns_mixed_classes_and_unknown_returns_stay_silent(ctx):
    assert _hal(ctx, VALID) == []


def test_a_cycle_of_returned_calls_is_unknown(ctx):
    assert _hal(ctx, CYCLE) == []  # never ends when run: nothing is known


def test_the_specification_runs(tmp_path):
    (tmp_path / "statslib").mkdir()
    (tmp_path / "statslib" / "__init__.py").write_text(textwrap.dedent(STATSLIB))
    for line in textwrap.dedent(FLAGGED).splitlines()[3:]:
        program = "from statslib import rel, rel_again\ntry:\n    " + line.split("#")[0] + \
                  "\nexcept AttributeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", textwrap.dedent(VALID)], cwd=tmp_path, check=True)
