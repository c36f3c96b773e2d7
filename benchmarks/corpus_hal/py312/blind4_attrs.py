"""Blind set 4 (written without running vetpy or reading its rules): attrs."""
import attrs


@attrs.define
class Point:
    x: int
    y: int = 0


def case_define_instance_asdict_method():
    return Point(1).as_dict()  # HAL: invented-member; receiver=decorator


def case_field_required():
    return attrs.field(default=1, required=True)  # HAL: invented-keyword; receiver=call


def case_fields_missing_attr():
    return attrs.fields(Point).z  # HAL: invented-member; receiver=call


def case_converters_to_int():
    return attrs.converters.to_int  # HAL: invented-member; receiver=module


def case_frozen_evolve_loop():
    out = []
    for point in [Point(1), Point(2)]:
        out.append(point.evolve(x=3))  # HAL: other-library-idiom; receiver=loop
    return out
