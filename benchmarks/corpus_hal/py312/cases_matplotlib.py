"""matplotlib 3.11: removed helpers, typos on Axes, keywords that are no Artist property."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402


def new_axes() -> Axes:
    _fig, ax = plt.subplots()
    return ax


def case_get_cmap():
    return plt.cm.get_cmap("viridis")  # HAL: version-drift; receiver=module


def case_get_cmap_import():
    from matplotlib.cm import get_cmap  # HAL: version-drift; receiver=import
    return get_cmap


def case_set_xlabels():
    fig, ax = plt.subplots()
    ax.set_xlabels("x")  # HAL: invented-member; receiver=unpack


def case_unpack_pair_typo():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax2.set_ylable("y")  # HAL: invented-member; receiver=unpack


def case_bar_colour():
    ax = new_axes()
    ax.bar([1, 2], [3, 4], colour="red")  # HAL: invented-keyword; receiver=helper-return


def case_legend_frame_kw():
    ax = new_axes()
    ax.plot([1, 2], label="a")
    ax.legend(loc="best", frame=False)  # HAL: invented-keyword; receiver=helper-return


def case_get_legend_handles():
    ax = new_axes()
    return ax.get_legend_handles()  # HAL: invented-member; receiver=helper-return


def case_set_xlim_chain():
    ax = plt.figure().add_subplot(111)
    ax.set_xlim(0, 1).set_ylim(0, 1)  # HAL: invented-member; receiver=chain


def case_plot_date():
    ax = new_axes()
    ax.plot_date([1, 2], [3, 4])  # HAL: version-drift; receiver=helper-return


def case_savefig_quality():
    fig = plt.figure()
    fig.savefig(io.BytesIO(), format="png", quality=95)  # HAL: version-drift; receiver=factory




def case_plt_title_fontsize_typo():
    plt.figure()
    plt.title("t", font_size=12)  # HAL: invented-keyword; receiver=kwargs-forward


def case_subplots_loop():
    fig, axes = plt.subplots(2, 2)
    for ax in axes.flat:
        ax.set_title_text("x")  # HAL: invented-member; receiver=loop


def case_subplots_figsize_positional():
    return plt.subplots(2, 2, (8, 6))  # HAL: arity; receiver=call
