"""Blind set: attrs 26.1."""
import attrs


@attrs.define
class Point:
    x: int = 0
    y: list = attrs.field(factory=list)


def case_define_strict():
    @attrs.define(strict=True)  # HAL: invented-keyword; receiver=call
    class C:
        a: int

    return C


def case_loop_default_factory():
    return [f.default_factory for f in attrs.fields(Point)]  # HAL: other-library-idiom; receiver=loop


def case_field_optional():
    return attrs.field(default=None, optional=True)  # HAL: invented-keyword; receiver=call
