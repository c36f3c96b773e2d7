"""matplotlib's ``subplots`` grid (issue 15, resolve/object_arrays.py): with literal ``nrows`` /
``ncols`` / ``squeeze``, the object array of Axes it returns is known (1-d when one of them is 1
and squeezed, else 2-d), so unpacking, loops, ``.flat`` and indexing give ``Axes``.  Beside each,
the look-alikes that must stay silent: valid Axes methods, a non-literal size, ``squeeze=False``
iterated one level only, ``subplot_kw`` (a projection: other Axes classes), ``*args``, a slice."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

AXES = '''
class Axes:
    def set_title(self, label):
        return label

    def set_xlabel(self, label):
        return label

    def plot(self, *args):
        return []
'''

FIGURE = '''
from typing import Any

from matplotlib.axes import Axes


class FigureBase:
    def add_subplot(self, *args, **kwargs) -> Axes:
        return Axes()

    def subplots(self, nrows=1, ncols=1, *, squeeze=True, subplot_kw=None):
        return None


class Figure(FigureBase):
    pass
'''

PYPLOT = '''
from typing import Any

from matplotlib.figure import Figure


def figure() -> Figure:
    return Figure()


def subplots(nrows: int = 1, ncols: int = 1, *, squeeze: bool = True, subplot_kw=None, **fig_kw: Any) -> tuple[Figure, Any]:
    return Figure(), None
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"matplotlib/__init__.py": "", "matplotlib/axes/__init__.py": "from matplotlib.axes._axes import Axes\n",
                                           "matplotlib/axes/_axes.py": AXES, "matplotlib/figure.py": FIGURE,
                                           "matplotlib/pyplot.py": PYPLOT}) as context:
        yield context


names = hal_call_lines


def test_unpacking_looping_and_indexing_a_grid_of_literal_shape_give_axes(ctx):
    assert names(ctx, """
        import matplotlib.pyplot as plt
        fig, (ax1, ax2) = plt.subplots(1, 2)
        ax1.set_xlable("x")
        fig, axes = plt.subplots(nrows=3)
        for ax in axes:
            ax.set_titel("t")
        axes[0].set_titel("t")
        fig, grid = plt.subplots(2, 2)
        for ax in grid.flat:
            ax.set_titel("t")
        grid[0, 1].set_titel("t")
        grid[1][0].set_titel("t")
        (a, b), (c, d) = plt.figure().subplots(2, 2)
        d.set_titel("t")
        for row in plt.figure().subplots(1, 2, squeeze=False):
            for ax in row:
                ax.set_titel("t")
    """) == ["4:HAL003", "7:HAL003", "8:HAL003", "11:HAL003", "12:HAL003", "13:HAL003", "15:HAL003", "18:HAL003"]


def test_valid_axes_methods_and_unknown_shapes_are_not_reported(ctx):
    assert names(ctx, """
        import matplotlib.pyplot as plt
        fig, (ax1, ax2) = plt.subplots(1, 2)
        ax1.set_xlabel("x")
        ax2.plot([1])
        for ax in plt.subplots(2, 2)[1].flat:
            ax.set_title("t")
        def f(n, kw):
            fig, axes = plt.subplots(n, 2)
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(1, 2, squeeze=False)
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(1, 2, subplot_kw={"projection": "polar"})
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(*kw)
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(1, 2, **kw)
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(1, 2, squeeze=bool(n))
            for ax in axes:
                ax.set_titel("t")
            fig, axes = plt.subplots(1, 3)
            axes[0:2].set_titel("t")
            axes[n].set_title("t")
    """) == []
