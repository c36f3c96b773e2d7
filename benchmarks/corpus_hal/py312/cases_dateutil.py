"""dateutil: removed names, other libraries' idioms, invented keywords."""
from datetime import datetime
import arrow
import pendulum
from dateutil import tz
from dateutil.parser import parse
from dateutil.relativedelta import relativedelta


def case_dateutil_parse_format():
    return parse("2024-01-02", format="%Y-%m-%d")  # HAL: other-library-idiom; receiver=kwargs-forward


def case_relativedelta_quarters():
    return datetime(2024, 1, 1) + relativedelta(quarters=1)  # HAL: invented-keyword; receiver=call


def case_tz_zone_attr():
    zone = tz.gettz("Europe/Paris")
    return zone.zone  # HAL: other-library-idiom; receiver=factory


def case_tz_localize():
    return tz.UTC.localize(datetime(2024, 1, 1))  # HAL: other-library-idiom; receiver=module


def case_parse_iso():
    from dateutil.parser import parse_iso  # HAL: invented-member; receiver=import
    return parse_iso
