"""Blind set (written without running vetpy or reading its rules): pendulum 3.3."""
import pendulum


def today() -> pendulum.DateTime:
    return pendulum.datetime(2024, 1, 2)


def case_pendulum_floor():
    return today().floor("day")  # HAL: other-library-idiom; receiver=helper-return
