"""Blind set (written without running vetpy or reading its rules): pytest 9."""
import warnings
import pytest


def case_excinfo_exception():
    with pytest.raises(ValueError) as excinfo:
        raise ValueError("x")
    return excinfo.exception  # HAL: other-library-idiom; receiver=with-target


def case_pytest_param_ids():
    return pytest.param(1, ids="one")  # HAL: invented-keyword; receiver=call


def case_warns_messages():
    with pytest.warns(UserWarning) as record:
        warnings.warn("x", UserWarning)
    return record.messages  # HAL: invented-member; receiver=with-target
