"""EDGE032 calendar-field-overflow with a step that is not a constant (services 32 and 33):
``start.replace(hour=start.hour + hours)``, ``start.replace(minute=start.minute - minutes_before)``,
``start.replace(year=start.year + years)``: the field leaves its range for some value of the step
(from 22:00 plus two hours, at 09:05 minus ten minutes, on 29 February plus one year).

Spec: flagged where marked ``# !``; the look-alikes a careful reviewer accepts (the field compared
or wrapped in the function, a calendar helper, ``ValueError`` handled, the day pinned when the
year moves, a timedelta) must stay silent.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE032"])

FLAGGED = """\
from datetime import date, datetime, time


def window_end_legacy(start: datetime, hours: int) -> datetime:
    return start.replace(hour=start.hour + hours)  # !


def pickup_reminder_at(start: datetime, minutes_before: int) -> datetime:
    return start.replace(minute=start.minute - minutes_before)  # !


def anniversary(start: date, years: int) -> date:
    return start.replace(year=start.year + years)  # !


def later_month(day: date, months: int) -> date:
    return day.replace(month=day.month + months)  # !


def shifted(day: date, plan) -> date:
    return day.replace(day=day.day + plan.grace_days)  # !


def same_day_later(day: date, years: int) -> date:
    return date(day.year + years, day.month, day.day)  # !
"""

ACCEPTED = """\
import calendar
from datetime import date, datetime, timedelta


def window_end(start: datetime, hours: int) -> datetime:
    return start + timedelta(hours=hours)


def checked_hour(start: datetime, hours: int) -> datetime:
    if start.hour + hours > 23:
        raise ValueError("window passes midnight")
    return start.replace(hour=start.hour + hours)


def wrapped_month(day: date, months: int) -> date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1, day=1)


def leap_aware(start: date, years: int) -> date:
    target = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(target):
        return date(target, 2, 28)
    return start.replace(year=start.year + years)


def tried(start: date, years: int) -> date | None:
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return None


def first_of_year(start: date, years: int) -> date:
    return start.replace(year=start.year + years, month=1, day=1)


def clamped(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    last = calendar.monthrange(day.year + year, month + 1)[1]
    return date(day.year + year, month + 1, min(day.day, last))


def text(name: str, suffix: str) -> str:
    return name.replace(suffix, "")
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/dates.py", CTX) if f.code == "EDGE032"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_field_stepped_by_a_variable_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_stepped_fields_the_function_answers_for_are_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_the_message_names_the_range() -> None:
    found = {f.line: f.message for f in check_source(FLAGGED, "svc/dates.py", CTX)}
    assert "passes 23" in found[5]
    assert "below 0" in found[9]
    assert "29 February" in found[13]
