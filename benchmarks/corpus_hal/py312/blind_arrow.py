"""Blind set (written without running vetpy or reading its rules): arrow 1.4."""
import arrow


def case_arrow_start_of():
    return arrow.now().start_of("day")  # HAL: other-library-idiom; receiver=chain


def case_arrow_format_tz():
    return arrow.get("2024-01-01").format("YYYY", tz="UTC")  # HAL: invented-keyword; receiver=chain
