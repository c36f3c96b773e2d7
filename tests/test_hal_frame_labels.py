"""A pandas Series or DataFrame just built from literal data serves through ``__getattr__`` only its
string labels (issue 15, constructor receivers; branch recall29, rules/hal/frame_labels.py).

Written first: ``pd.Series([1, 2, 3]).is_monotonic`` (removed in pandas 2.0; a ``RangeIndex``
serves no name) and ``pd.DataFrame({"a": [1]}).ix`` are reported; labels the data gives
(``df.a``, a dict's keys as a Series' index), an ``index=``, computed keys, data that is not a
literal, a label added or renamed before the read (``s.loc["k"] = v``, ``rename(inplace=True)``),
a read inside a loop, a parameter and a private name stay silent.  Each function runs (or raises
AttributeError where reported) under the pinned pandas, checked below."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from test_hal_support import hal_call_lines, hal_context, target_python

pytestmark = pytest.mark.slow

REPORTED = """
    import pandas as pd


    def use():
        s = pd.Series([1, 2, 3])
        return s.is_monotonic


    def use_frame():
        df = pd.DataFrame({"a": [1], "b": [2]}, index=["x"])
        return df.ix


    def use_made():
        return pd.Series([1.0, 2.0]).is_monotonic
"""

SILENT = """
    import pandas as pd


    def labels():
        df = pd.DataFrame({"a": [1], "ix": [2]})
        s = pd.Series({"x": 1})
        t = pd.Series([1, 2], index=["is_up", "b"])
        return df.ix, s.x, t.is_up


    def added():
        s = pd.Series([1, 2, 3])
        s.loc["peak"] = 4
        return s.peak


    def renamed():
        df = pd.DataFrame({"a": [1]})
        df.rename(columns={"a": "total"}, inplace=True)
        return df.total


    def computed(key, data):
        df = pd.DataFrame({key: [1]})
        other = pd.Series(data)
        return df.total, other.total


    def made(key):
        return pd.DataFrame({"a": [1], "ix": [2]}).ix, pd.DataFrame({key: [1]}).total, pd.Series({"x": 1}).x


    def looped(frame: pd.DataFrame):
        df = pd.DataFrame({"a": [1]})
        for _ in range(2):
            print(df.a)
        return frame.total
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\ndependencies = ['pandas']\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


def test_a_name_no_label_and_no_member_gives_is_reported(ctx):
    assert hal_call_lines(ctx, REPORTED) == ["7:HAL003", "12:HAL003", "16:HAL003"]


def test_labels_and_frames_whose_labels_may_have_changed_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []


def test_the_reported_reads_raise_and_the_silent_code_runs():
    run = textwrap.dedent(REPORTED) + textwrap.dedent("""
        for fn in (use, use_frame, use_made):
            try:
                fn()
            except AttributeError:
                print("AttributeError")
    """)
    out = subprocess.run([str(target_python()), "-c", run], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["AttributeError"] * 3
    silent = textwrap.dedent(SILENT) + textwrap.dedent("""
        labels(); added(); renamed(); looped(pd.DataFrame({"total": [1]}))
        computed("total", {"total": 1}); made("total")
    """)
    subprocess.run([str(target_python()), "-c", silent], check=True, capture_output=True)
