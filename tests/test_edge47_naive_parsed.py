"""EDGE038 naive-parsed-datetime (session 36): ``datetime.strptime(text, "%Y-%m-%d %H:%M")`` -- a
time of day with no zone -- returned, compared or given to an ORM lookup in a module that makes
aware datetimes (services 28, 31, 32, 33, 34: five authors' ``parse_client_deadline``).

Spec: flagged where marked ``# !``; silent: the value localised in the function
(``.replace(tzinfo=...)`` chained or later, ``.tzinfo`` read, ``make_aware``/``localize``), reduced
(``.date()``), a day without a time (``"%Y-%m"``), a format with ``%z``, a value stored or handed
on, a module that never makes an aware datetime, a test module.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE038"])

AWARE_MODULE = """\
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def now():
    return datetime.now(UTC)


"""

FLAGGED = AWARE_MODULE + """\
def parse_client_deadline(value):
    return datetime.strptime(value, "%Y-%m-%d %H:%M")  # !


def promo_expired_legacy(expires):
    return datetime.strptime(expires, "%Y-%m-%d %H:%M") < datetime.now()  # !


async def since(query, text):
    when = datetime.strptime(text, "%Y-%m-%d %H:%M")  # !
    return await query.filter(created_at__gte=when)


def named_then_returned(value):
    parsed = datetime.strptime(value, "%d/%m/%Y %I:%M %p")  # !
    return parsed
"""

ACCEPTED = AWARE_MODULE + """\
def localised(text, tz_name):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz_name))


def localised_later(text, tz_name):
    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    return naive.replace(tzinfo=ZoneInfo(tz_name))


def checked(text):
    parsed = datetime.strptime(text, "%Y-%m-%d %H:%M")
    if parsed.tzinfo is None:
        raise ValueError("zone missing")
    return parsed


def made_aware(text):
    parsed = datetime.strptime(text, "%Y-%m-%d %H:%M")
    return make_aware(parsed)


def a_day(text):
    return datetime.strptime(text, "%Y-%m-%d")


def month_start(month):
    return datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)


def with_offset(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M%z")


def reduced(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").date()


def stored(row, text):
    row["at"] = datetime.strptime(text, "%Y-%m-%d %H:%M")
    return row
"""

NAIVE_MODULE = """\
from datetime import datetime


def parse_log_time(value):
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def is_old(value):
    return datetime.strptime(value, "%Y-%m-%d %H:%M") < datetime.now()
"""


NAIVE_UTC_MODULE = """\
import datetime


def get_utc_now_datetime():
    return datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)


def get_datetime_from_string(date_str):
    return datetime.datetime.strptime(date_str, "%Y-%m-%dT%H:%M:%S")
"""


def _found(src: str, path: str = "svc/timeutil.py") -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path, CTX) if f.code == "EDGE038"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_naive_time_of_day_parsed_in_an_aware_module_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_a_localised_reduced_zoned_or_stored_value_is_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_a_module_that_never_makes_an_aware_datetime_is_left_alone() -> None:
    assert _found(NAIVE_MODULE) == []


def test_a_module_that_makes_its_aware_now_naive_again_is_left_alone() -> None:
    # zou's date_helpers: naive UTC by choice, `now(tz=utc).replace(tzinfo=None)`
    assert _found(NAIVE_UTC_MODULE) == []


def test_a_test_module_is_left_alone() -> None:
    assert _found(FLAGGED, "tests/test_timeutil.py") == []
