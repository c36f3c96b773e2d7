"""Distances, geofences (circles and polygons) and ETA estimates from GPS pings."""
import math
from datetime import datetime, timedelta, timezone

EARTH_RADIUS_M = 6_371_000


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))  # SAFE: unvalidated-parse


def valid_coordinates(lat, lon) -> bool:
    return isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180


def inside_circle(lat, lon, fence) -> bool:
    return haversine_m(lat, lon, fence.lat, fence.lon) <= fence.radius_m


def inside_polygon(lat, lon, polygon) -> bool:
    """Ray casting over ``[[lat, lon], ...]``."""
    inside = False
    n = len(polygon)
    if n < 3:  # SAFE: empty-collection
        return False
    j = n - 1
    for i in range(n):
        yi, xi = polygon[i]
        yj, xj = polygon[j]
        if (xi > lon) != (xj > lon):
            cross = (yj - yi) * (lon - xi) / (xj - xi) + yi  # SAFE: division-by-zero
            if lat < cross:
                inside = not inside
        j = i
    return inside


def average_speed_kph(pings) -> float:
    if len(pings) < 2:  # SAFE: empty-collection
        return 0.0
    dist = sum(haversine_m(a.lat, a.lon, b.lat, b.lon) for a, b in zip(pings, pings[1:]))
    hours = (pings[-1].recorded_at - pings[0].recorded_at).total_seconds() / 3600
    return dist / 1000 / hours  # SEEDED: EDGE division-by-zero


def eta(remaining_m: float, speed_kph: float, now=None) -> datetime | None:
    now = now or datetime.now(timezone.utc)  # SAFE: naive-datetime
    if speed_kph < 5:  # SAFE: division-by-zero
        return None
    return now + timedelta(hours=remaining_m / 1000 / speed_kph)


def progress_pct(done_m: float, total_m: float) -> int:
    if total_m <= 0:
        return 100
    return min(100, int(done_m * 100 / total_m))  # SAFE: division-by-zero


def route_length_m(stops) -> float:
    pts = [(s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None]
    return sum(haversine_m(a[0], a[1], b[0], b[1]) for a, b in zip(pts, pts[1:]))  # SAFE: zip-length-mismatch


def odometer_delta_km(prev, current) -> float:
    """Odometer readings reset to zero when a device is swapped; treat a drop as a reset."""
    if prev is None or current is None:  # SAFE: none-input
        return 0.0
    delta = float(current) - float(prev)
    return delta if delta >= 0 else float(current)


def bearing_deg(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360
