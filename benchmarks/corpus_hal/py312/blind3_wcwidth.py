"""Blind set 3 (written without running vetpy or reading its rules): wcwidth 0.9."""
import wcwidth


def case_display_width():
    # the functions are wcswidth() / width()
    return wcwidth.display_width("日本語")  # HAL: invented-member; receiver=module
