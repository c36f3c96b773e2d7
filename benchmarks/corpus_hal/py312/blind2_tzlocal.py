"""Blind set 2 (written without running vetpy or reading its rules): tzlocal 5."""
import tzlocal


def case_localzone_zone():
    # tzlocal < 3 returned a pytz zone (.zone); 5 returns a zoneinfo.ZoneInfo (.key)
    return tzlocal.get_localzone().zone  # HAL: version-drift; receiver=factory
