"""pendulum: removed names, other libraries' idioms, invented keywords."""
from datetime import datetime
import arrow
import pendulum
from dateutil import tz
from dateutil.parser import parse
from dateutil.relativedelta import relativedelta


def case_pendulum_shift_arrow_idiom():
    now = pendulum.now("UTC")
    return now.shift(days=1)  # HAL: other-library-idiom; receiver=factory


def case_pendulum_period():
    return pendulum.Period  # HAL: version-drift; receiver=module


def case_pendulum_class():
    return pendulum.Pendulum  # HAL: version-drift; receiver=module


def case_pendulum_dst_rule():
    return pendulum.datetime(2024, 3, 31, 2, 30, tz="Europe/Paris", dst_rule="pre")  # HAL: version-drift; receiver=call


def case_pendulum_humanize():
    then = pendulum.parse("2024-01-01T00:00:00")
    return then.humanize()  # HAL: other-library-idiom; receiver=factory
