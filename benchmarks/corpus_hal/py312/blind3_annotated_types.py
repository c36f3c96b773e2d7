"""Blind set 3 (written without running vetpy or reading its rules): annotated-types 0.8."""
import annotated_types


def case_between_import():
    # the range constraint is Interval(ge=, le=)
    from annotated_types import Between  # HAL: invented-member; receiver=import
    return Between(1, 5)


def case_interval_min_max():
    # Interval's fields are gt / ge / lt / le
    return annotated_types.Interval(min=1, max=5)  # HAL: invented-keyword; receiver=constructor


def case_gt_value():
    bound = annotated_types.Gt(5)
    # the field is ``gt``
    return bound.value  # HAL: invented-member; receiver=constructor
