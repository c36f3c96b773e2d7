"""HAL003 on an attribute of a name rebound to the result of a call that always returns None
(issue 15): ``items = items.sort()`` then ``items.copy()``; ``shuffled = random.shuffle(cards)``
then ``shuffled.pop()``; ``heap = heapq.heapify(nums)`` then ``heap.pop()``.  The read raises
AttributeError on ``NoneType`` every time it runs.

Certain only when the callee is known exactly (a method of a builtin container whose receiver is
exactly that builtin, or a standard-library function listed with its always-None return), the
name is bound by that statement, and the read follows in the same block with no statement between
binding or testing the name.  The look-alikes that run stay silent: ``sorted(...)``,
``x = lst.sort() or lst``, a name tested (``if items:``) or rebound before the read, a subclass of
``list`` whose ``sort`` returns ``self``, an annotated parameter (a subclass may be passed), a
read under ``try/except AttributeError``, a name declared ``global``, dunders that ``None`` has."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {}) as context:
        yield context


FLAGGED = '''
import collections
import heapq
import random


def sorts():
    items = [3, 1, 2]
    items = items.sort()
    return items.copy()  # 10


def shuffles():
    cards = list(range(5))
    shuffled = random.shuffle(cards)
    return shuffled.pop()  # 16


def appends():
    lst = []
    lst = lst.append(1)
    return lst.count(1)  # 22


def updates():
    d = {}
    d = d.update({"a": 1})
    return d.keys()  # 28


def heapifies():
    nums = [5, 1]
    heap = heapq.heapify(nums)
    return heap.pop()  # 34


def adds():
    seen = set()
    seen = seen.add(1)
    seen.discard(1)  # 40


def extends():
    q = collections.deque()
    q = q.extend([1])
    total = len(q.copy())  # 46
    return total


def rebinds_itself():
    items = [2, 1]
    items = items.reverse()
    items = items.copy()  # 53
    return items
'''

FLAGGED_LINES = ["10:HAL003", "16:HAL003", "22:HAL003", "28:HAL003", "34:HAL003", "40:HAL003", "46:HAL003", "53:HAL003"]

SILENT = '''
import random


class Sorting(list):
    def sort(self, *args, **kwargs):
        super().sort(*args, **kwargs)
        return self


def sorted_copy():
    items = [3, 1]
    items = sorted(items)
    return items.copy()


def or_fallback():
    items = [3, 1]
    items = items.sort() or items
    return items.copy()


def tested():
    items = [3, 1]
    items = items.sort()
    if items:
        return items.copy()
    return []


def tested_inline():
    items = [3, 1]
    items = items.sort()
    return items.copy() if items is not None else []


def rebound_between(flag):
    items = [3, 1]
    items = items.sort()
    if flag:
        items = [1]
    return items.copy()


def subclass():
    items = Sorting([3, 1])
    items = items.sort()
    return items.copy()


def annotated(items: list):
    items = items.sort()
    return items.copy()


def caught():
    items = [3, 1]
    items = items.sort()
    try:
        return items.copy()
    except AttributeError:
        return None


def dunder():
    items = [3, 1]
    items = items.sort()
    return items.__class__


def later_branch(flag):
    items = [3, 1]
    if flag:
        items = items.sort()
    return items.copy()


def shuffled_copy():
    cards = [1, 2]
    random.shuffle(cards)
    return cards.pop()


def deferred():
    items = [3, 1]
    items = items.sort()
    later = lambda: items.copy()  # noqa: E731
    items = [1]
    return later()


counter = [1]


def bump():
    global counter
    counter = [2]


def module_level():
    global counter
    counter = counter.sort()
    bump()
    return counter.copy()
'''


def test_results_of_calls_that_return_none_are_flagged(ctx) -> None:
    assert hal_call_lines(ctx, FLAGGED) == FLAGGED_LINES


def test_the_message_names_the_call(ctx) -> None:
    from vetpy.engine import check_source

    found = [f for f in check_source(textwrap.dedent(FLAGGED), str(ctx.root / "snippet.py"), ctx) if f.line == 10]
    assert len(found) == 1
    assert "`items` is None here" in found[0].message
    assert "`list.sort()`" in found[0].message and "`items.copy`" in found[0].message


def test_look_alikes_that_run_stay_silent(ctx) -> None:
    assert hal_call_lines(ctx, SILENT) == []


def _run_all(code: str, names: list[str]) -> list[str]:
    script = textwrap.dedent(code) + textwrap.dedent(f'''
        for name in {names!r}:
            try:
                globals()[name](True) if name == "rebound_between" else globals()[name]()
                print(name, "ran")
            except AttributeError as e:
                print(name, "AttributeError", e)
    ''')
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def test_every_flagged_case_raises_and_every_look_alike_runs() -> None:
    flagged = ["sorts", "shuffles", "appends", "updates", "heapifies", "adds", "extends", "rebinds_itself"]
    assert all("AttributeError" in line for line in _run_all(FLAGGED, flagged))
    silent = ["sorted_copy", "or_fallback", "tested", "tested_inline", "rebound_between", "subclass", "caught",
              "dunder", "shuffled_copy", "deferred", "module_level"]
    assert _run_all(SILENT, silent) == [f"{name} ran" for name in silent]


PANDAS = '''
import pandas as pd


def dropped():
    df = pd.DataFrame({"a": [1], "b": [2]})
    df = df.drop(columns=["a"], inplace=True)
    return df.head()  # 8


def sorted_in_place(path):
    df = pd.read_csv(path)
    df = df.sort_values("a", inplace=True)
    return df.head()  # 14


def copied():
    df = pd.DataFrame({"a": [1], "b": [2]})
    df = df.drop(columns=["a"])
    return df.head()


def flagged_by_a_variable(flag):
    df = pd.DataFrame({"a": [1], "b": [2]})
    df = df.drop(columns=["a"], inplace=flag)
    return df.head()


def said_false():
    df = pd.DataFrame({"a": [1], "b": [2]})
    df = df.reset_index(drop=True, inplace=False)
    return df.head()


def annotated(df: pd.DataFrame):
    df = df.drop(columns=["a"], inplace=True)
    return df.head()


def checked():
    df = pd.DataFrame({"a": [1], "b": [2]})
    df = df.drop(columns=["a"], inplace=True)
    if df is None:
        return None
    return df.head()
'''


@pytest.fixture(scope="module")
def pandas_ctx(tmp_path_factory: pytest.TempPathFactory):
    from test_hal_support import pinned_context

    with pinned_context(tmp_path_factory) as context:
        yield context


def test_pandas_inplace_results_are_flagged_where_the_package_declares_none(pandas_ctx) -> None:
    assert hal_call_lines(pandas_ctx, PANDAS) == ["8:HAL003", "14:HAL003"]


def test_pandas_inplace_cases_run_as_claimed(pandas_ctx, tmp_path) -> None:
    from test_hal_support import target_python

    (tmp_path / "a.csv").write_text("a,b\n2,1\n1,2\n")
    script = textwrap.dedent(PANDAS) + textwrap.dedent(f'''
        import warnings
        warnings.simplefilter("ignore")
        for name, args in [("dropped", ()), ("sorted_in_place", ({str(tmp_path / "a.csv")!r},)), ("copied", ()),
                           ("flagged_by_a_variable", (False,)), ("said_false", ()), ("checked", ())]:
            try:
                globals()[name](*args)
                print(name, "ran")
            except AttributeError:
                print(name, "AttributeError")
    ''')
    out = subprocess.run([str(target_python()), "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["dropped AttributeError", "sorted_in_place AttributeError", "copied ran",
                                "flagged_by_a_variable ran", "said_false ran", "checked ran"]
