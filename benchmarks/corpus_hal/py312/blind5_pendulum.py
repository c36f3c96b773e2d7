"""blind5 / pendulum 3.3 (issue 15, point 3).

Sources: pendulum 3.0.0 changelog ("Renamed the Period class to Interval", "Renamed the period helper
to interval", "Removed existing testing helpers: test() and set_test_now()";
https://github.com/python-pendulum/pendulum/pull/678, https://pendulum.eustace.io/blog/announcing-pendulum-3-0-0.html),
arrow's ``humanize`` / ``shift`` / ``to``, pytz's ``localize``, the plural keywords of ``add`` / ``duration``.
"""

import pendulum


def _start() -> pendulum.DateTime:
    return pendulum.datetime(2024, 5, 1, 9, 30, tz="UTC")


def _bounds() -> tuple[pendulum.DateTime, pendulum.DateTime]:
    return pendulum.datetime(2024, 5, 4), pendulum.datetime(2024, 5, 6)


def case_period_class():
    start, end = _bounds()
    return pendulum.Period(start, end)  # HAL: version-drift; receiver=module


def case_period_helper():
    return pendulum.period(pendulum.yesterday(), pendulum.now())  # HAL: version-drift; receiver=module


def case_set_test_now():
    pendulum.set_test_now(pendulum.datetime(2024, 1, 1))  # HAL: version-drift; receiver=module


def case_add_singular_day():
    return pendulum.now("UTC").add(day=1)  # HAL: invented-keyword; receiver=chain


def case_duration_singular_day():
    return pendulum.duration(day=3)  # HAL: invented-keyword; receiver=module


def case_parse_humanize():
    moment = pendulum.parse("2024-01-01T10:00:00")
    return moment.humanize()  # HAL: other-library-idiom; receiver=factory


def case_now_shift():
    return pendulum.now("UTC").shift(hours=2)  # HAL: other-library-idiom; receiver=chain


def case_helper_to_timezone():
    return _start().to("Europe/Paris")  # HAL: other-library-idiom; receiver=helper-return


def case_timezone_localize():
    tz = pendulum.timezone("Europe/Paris")
    return tz.localize(pendulum.naive(2024, 1, 1))  # HAL: other-library-idiom; receiver=factory


def case_unpack_is_weekend():
    start, end = _bounds()
    return start.is_weekend()  # HAL: invented-member; receiver=unpack


def case_date_range_hour():
    hours = []
    for day in pendulum.interval(pendulum.date(2024, 1, 1), pendulum.date(2024, 1, 3)).range("days"):
        hours.append(day.hour)  # HAL: invented-member; receiver=loop
    return hours


def case_interval_iter_days():
    span = pendulum.interval(pendulum.datetime(2024, 1, 1), pendulum.datetime(2024, 1, 5))
    return list(span.iter_days())  # HAL: invented-member; receiver=factory
