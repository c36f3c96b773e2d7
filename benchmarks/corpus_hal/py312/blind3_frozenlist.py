"""Blind set 3 (written without running vetpy or reading its rules): frozenlist 1."""
from frozenlist import FrozenList


def case_is_frozen():
    items = FrozenList([1, 2])
    items.freeze()
    # ``frozen`` is a property
    return items.is_frozen()  # HAL: invented-member; receiver=constructor


def case_constructor_varargs():
    # FrozenList(items=None) takes one iterable
    return FrozenList(1, 2, 3)  # HAL: arity; receiver=constructor
