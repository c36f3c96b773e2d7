"""arrow: removed names, other libraries' idioms, invented keywords."""
from datetime import datetime
import arrow
import pendulum
from dateutil import tz
from dateutil.parser import parse
from dateutil.relativedelta import relativedelta


def case_arrow_timestamp_property():
    return arrow.utcnow().timestamp + 60  # HAL: version-drift; receiver=chain


def case_arrow_humanize_short():
    then = arrow.utcnow().shift(hours=-2)
    return then.humanize(short=True)  # HAL: invented-keyword; receiver=chain


def case_arrow_to_datetime():
    return arrow.now().to_datetime()  # HAL: invented-member; receiver=chain


def case_arrow_add_pendulum_idiom():
    start = arrow.get("2024-01-01")
    return start.add(days=1)  # HAL: other-library-idiom; receiver=factory
