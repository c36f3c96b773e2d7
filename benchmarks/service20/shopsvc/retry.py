"""Retry helpers for calls to flaky downstream services."""
import logging
import time
from typing import Callable, TypeVar

import requests

log = logging.getLogger(__name__)
T = TypeVar("T")


def retry_forever(func: Callable[[], T], delay: float = 1.0) -> T:
    """Keep calling ``func`` until it succeeds."""
    while True:  # SEEDED: EDGE unbounded-retry-sleep
        try:
            return func()
        except Exception as exc:
            log.warning("call failed, retrying in %.1fs: %s", delay, exc)
            time.sleep(delay)


def retry(func: Callable[[], T], attempts: int = 5, base_delay: float = 0.5) -> T:
    last_error: Exception | None = None
    for attempt in range(attempts):  # SAFE: bounded-retry
        try:
            return func()
        except (requests.ConnectionError, requests.Timeout) as exc:
            last_error = exc
            time.sleep(base_delay * (2 ** attempt))
    assert last_error is not None  # SAFE: assert-isinstance-narrowing
    raise last_error


def wait_for_service(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:  # SAFE: retry-with-deadline
        try:
            requests.get(url, timeout=2).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def post_until_accepted(url: str, payload: dict) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry-post
        try:
            resp = requests.post(url, json=payload, timeout=10)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException:
            log.info("gateway busy, trying again")
            time.sleep(2)
            continue
