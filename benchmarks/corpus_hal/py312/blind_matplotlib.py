"""Blind set: matplotlib 3.11 (Agg)."""
import matplotlib


matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def case_plot_line_style():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], line_style="--")  # HAL: invented-keyword; receiver=unpack
    plt.close(fig)


def case_figure_set_size():
    fig = plt.figure()
    fig.set_size(8, 6)  # HAL: invented-member; receiver=factory
    plt.close(fig)


def case_legend_fontSize():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], label="a")
    plt.legend(loc="upper right", fontSize=10)  # HAL: invented-keyword; receiver=kwargs-forward
    plt.close(fig)


def case_axes_set_xlabel_list():
    fig, axes = plt.subplots(1, 2)
    for ax in axes:
        ax.set_x_label("x")  # HAL: invented-member; receiver=loop
    plt.close(fig)
