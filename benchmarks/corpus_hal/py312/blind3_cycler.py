"""Blind set 3 (written without running vetpy or reading its rules): cycler 0.12."""
from cycler import cycler


def case_cycler_items():
    styles = cycler(color=["r", "g", "b"])
    # a Cycler iterates dicts; by_key() gives the mapping
    return styles.items()  # HAL: other-library-idiom; receiver=factory


def case_loop_style_attribute():
    colors = []
    for style in cycler(color=["r", "g"]):
        # each entry is a dict: style["color"]
        colors.append(style.color)  # HAL: invented-member; receiver=loop
    return colors
