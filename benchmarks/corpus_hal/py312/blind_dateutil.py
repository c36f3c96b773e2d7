"""Blind set (written without running vetpy or reading its rules): python-dateutil 2.9."""
from datetime import datetime
from dateutil.parser import isoparse
from dateutil.rrule import DAILY, rrule


def case_rrule_start():
    return list(rrule(DAILY, count=3, start=datetime(2024, 1, 1)))  # HAL: invented-keyword; receiver=call


def case_isoparse_dayfirst():
    return isoparse("2024-01-02", dayfirst=True)  # HAL: other-library-idiom; receiver=import
