"""Blind set 4 (written without running vetpy or reading its rules): matplotlib."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.cbook  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402


def _axes() -> Axes:
    _fig, ax = plt.subplots()
    return ax


def case_axes_flat_set_grid():
    _fig, axes = plt.subplots(2, 2)
    for ax in axes.flat:
        ax.set_grid(True)  # HAL: invented-member; receiver=loop
    plt.close("all")


def case_line_set_line_width():
    _fig, ax = plt.subplots()
    (line,) = ax.plot([1, 2], [3, 4])
    line.set_line_width(2)  # HAL: invented-member; receiver=unpack
    plt.close("all")


def case_tight_layout_padding():
    fig, _ax = plt.subplots()
    try:
        fig.tight_layout(padding=1.0)  # HAL: invented-keyword; receiver=unpack
    finally:
        plt.close("all")


def case_gca_set_aspect_ratio():
    try:
        plt.gca().set_aspect_ratio(1)  # HAL: invented-member; receiver=chain
    finally:
        plt.close("all")


def case_legend_location():
    ax = _axes()
    ax.plot([1, 2], label="a")
    try:
        ax.legend(location="upper left")  # HAL: invented-keyword; receiver=helper-return
    finally:
        plt.close("all")


def case_style_use_context():
    return plt.style.use_context("ggplot")  # HAL: invented-member; receiver=module


def case_cbook_is_numlike():
    return matplotlib.cbook.is_numlike(1)  # HAL: version-drift; receiver=module


def case_colorbar_label_size():
    fig, ax = plt.subplots()
    image = ax.imshow([[0, 1], [1, 0]])
    try:
        fig.colorbar(image, ax=ax, label_size=8)  # HAL: invented-keyword; receiver=kwargs-forward
    finally:
        plt.close("all")


def case_figure_add_subplot_title():
    fig = plt.figure()
    try:
        ax = fig.add_subplot(111)
        ax.title("x")  # HAL: other-library-idiom; receiver=chain
    finally:
        plt.close("all")


def case_scatter_size_keyword():
    ax = _axes()
    try:
        ax.scatter([1, 2], [3, 4], size=10)  # HAL: other-library-idiom; receiver=kwargs-forward
    finally:
        plt.close("all")
