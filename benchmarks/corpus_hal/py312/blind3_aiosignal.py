"""Blind set 3 (written without running vetpy or reading its rules): aiosignal 1."""
from aiosignal import Signal


async def _on_event(value):
    return value


async def case_signal_connect():
    signal = Signal(owner=object())
    # blinker's Signal.connect; aiosignal's Signal is a list: append()
    signal.connect(_on_event)  # HAL: other-library-idiom; receiver=constructor
    signal.freeze()
    await signal.send(1)
