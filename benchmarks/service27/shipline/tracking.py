"""Live tracking: in-process caches, counters, a depot poller thread and the asyncio ETA updater."""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from . import config, integrations

log = logging.getLogger("shipline.tracking")

_status_cache: dict[str, dict[str, Any]] = {}
_zone_cache: dict[str, str] = {}
_zone_lock = threading.Lock()
_depot_seen: set[str] = set()
_seen_lock = threading.Lock()
_scan_totals: Counter[str] = Counter()
_totals_lock = threading.Lock()
requests_served = 0
_eta_tasks: set[asyncio.Task] = set()
_stop = threading.Event()


def cached_status(code: str) -> dict[str, Any]:
    if code not in _status_cache:  # SEEDED: EDGE check-then-act
        _status_cache[code] = requests.get(f"{config.CARRIER_BASE_URL}/track/{code}", timeout=5).json()  # SEEDED-ALSO
    return _status_cache[code]


def zone_for(postcode: str) -> str:
    with _zone_lock:
        if postcode not in _zone_cache:  # SAFE: check-then-act
            _zone_cache[postcode] = "Z" + postcode[:2]
        return _zone_cache[postcode]


def count_request() -> None:
    global requests_served
    requests_served += 1  # SEEDED: EDGE read-modify-write


def record_scan(depot: str) -> None:
    with _totals_lock:
        _scan_totals[depot] += 1  # SAFE: read-modify-write


def record_scan_unlocked(depot: str) -> None:
    _scan_totals[depot] = _scan_totals[depot] + 1  # SEEDED: EDGE read-modify-write


def _poll_depots(depots: list[str]) -> None:
    while not _stop.is_set():  # SAFE: unbounded-retry
        for depot in depots:
            try:
                feed = requests.get(f"{config.CARRIER_BASE_URL}/depots/{depot}/scans", timeout=10).json()
            except requests.RequestException:
                log.warning("depot %s unreachable", depot)
                continue
            for scan in feed.get("scans", []):
                if scan["id"] not in _depot_seen:  # SEEDED: EDGE check-then-act
                    _depot_seen.add(scan["id"])  # SEEDED-ALSO
                    record_scan(depot)
        _stop.wait(30)


def _poll_depots_locked(depots: list[str]) -> None:
    while not _stop.is_set():
        for depot in depots:
            feed = requests.get(f"{config.CARRIER_BASE_URL}/depots/{depot}/scans", timeout=10).json()
            for scan in feed.get("scans", []):
                with _seen_lock:
                    if scan["id"] in _depot_seen:  # SAFE: check-then-act
                        continue
                    _depot_seen.add(scan["id"])
                record_scan(depot)
        _stop.wait(30)


def start_pollers(depots: list[str]) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=_poll_depots, args=(depots[: len(depots) // 2],), daemon=True),
        threading.Thread(target=_poll_depots_locked, args=(depots[len(depots) // 2 :],), daemon=True),
    ]
    for t in threads:
        t.start()
    return threads


def stop_pollers() -> None:
    _stop.set()


def average_scans_per_depot() -> float:
    with _totals_lock:
        return sum(_scan_totals.values()) / len(_scan_totals)  # SEEDED: EDGE division-by-zero


def busiest_depot() -> str:
    with _totals_lock:
        return sorted(_scan_totals.items(), key=lambda kv: kv[1], reverse=True)[0][0]  # SEEDED: EDGE empty-input


def busiest_depot_safe() -> str | None:
    with _totals_lock:
        top = _scan_totals.most_common(1)
    return top[0][0] if top else None  # SAFE: empty-input


def on_time_rate(delivered: int, late: int) -> float:
    total = delivered + late
    return delivered / total if total else 1.0  # SAFE: division-by-zero


async def _update_eta(code: str) -> None:
    status = await integrations.fetch_carrier_status(code)
    _status_cache[code] = status


async def schedule_eta_updates(codes: list[str]) -> None:
    for code in codes:
        asyncio.create_task(_update_eta(code))  # SEEDED: EDGE task-reference


async def schedule_eta_updates_kept(codes: list[str]) -> None:
    for code in codes:
        task = asyncio.create_task(_update_eta(code))  # SAFE: task-reference
        _eta_tasks.add(task)
        task.add_done_callback(_eta_tasks.discard)


async def eta_loop(codes: list[str]) -> None:
    while True:  # SAFE: unbounded-retry
        await asyncio.gather(*(_update_eta(c) for c in codes), return_exceptions=True)
        time.sleep(60)  # SEEDED: EDGE blocking-in-async


async def eta_loop_safe(codes: list[str], stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.gather(*(_update_eta(c) for c in codes), return_exceptions=True)
        await asyncio.sleep(60)  # SAFE: blocking-in-async


async def carrier_status_blocking(code: str) -> dict[str, Any]:
    resp = requests.get(f"{config.CARRIER_BASE_URL}/track/{code}", timeout=10)  # SEEDED: EDGE blocking-in-async
    return resp.json()


def is_overdue(promised: datetime) -> bool:
    return datetime.now(timezone.utc) > promised + timedelta(hours=2)  # SAFE: naive-datetime


def expire_cache() -> None:
    try:
        for code in list(_status_cache):
            if _status_cache[code].get("final"):
                del _status_cache[code]
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass
