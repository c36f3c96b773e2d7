"""In-process worker threads: FX rate cache, receipt OCR queue, counters for /metrics."""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from decimal import Decimal

import requests

log = logging.getLogger(__name__)

_rates: dict[str, Decimal] = {}
_rates_lock = threading.Lock()
_seen_receipts: set[str] = set()
_seen_lock = threading.Lock()
_processed = 0
_failed = 0
_failed_lock = threading.Lock()
_job_ids = itertools.count(1)
_jobs: queue.Queue = queue.Queue(maxsize=1000)
_stop = threading.Event()


def _download_rate(currency: str) -> Decimal:
    resp = requests.get("https://api.exchangerate.host/latest", params={"base": currency}, timeout=5)
    resp.raise_for_status()
    return Decimal(str(resp.json()["rates"]["EUR"]))


def rate_for(currency: str) -> Decimal:
    """Called from request threads and the OCR workers."""
    if currency not in _rates:
        _rates[currency] = _download_rate(currency)  # SEEDED: EDGE check-then-act
    return _rates[currency]


def rate_for_locked(currency: str) -> Decimal:
    with _rates_lock:
        if currency not in _rates:
            _rates[currency] = _download_rate(currency)  # SAFE: check-then-act
        return _rates[currency]


def rate_cached(currency: str) -> Decimal | None:
    return _rates.get(currency)  # SAFE: check-then-act


def submit(receipt_key: str) -> int:
    job_id = next(_job_ids)  # SAFE: read-modify-write
    _jobs.put((job_id, receipt_key), timeout=2)
    return job_id


def _ocr(receipt_key: str) -> dict:
    return {"key": receipt_key, "total": None}


def _worker() -> None:
    global _processed, _failed
    while not _stop.is_set():  # SAFE: unbounded-retry
        try:
            job_id, key = _jobs.get(timeout=1)
        except queue.Empty:
            continue
        if key in _seen_receipts:  # SEEDED: EDGE check-then-act
            _jobs.task_done()
            continue
        _seen_receipts.add(key)
        try:
            _ocr(key)
            _processed += 1  # SEEDED: EDGE read-modify-write
        except Exception:
            log.exception("ocr job %s failed", job_id)
            with _failed_lock:
                _failed += 1  # SAFE: read-modify-write
        finally:
            _jobs.task_done()


def mark_seen(key: str) -> bool:
    with _seen_lock:
        if key in _seen_receipts:  # SAFE: check-then-act
            return False
        _seen_receipts.add(key)
        return True


def metrics() -> dict[str, float]:
    total = _processed + _failed
    return {"processed": _processed, "failed": _failed,
            "failure_ratio": _failed / total if total else 0.0}  # SAFE: division-by-zero


def start_workers(count: int = 4) -> list[threading.Thread]:
    threads = [threading.Thread(target=_worker, name=f"ocr-{i}", daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    return threads


def stop_workers(threads: list[threading.Thread]) -> None:
    _stop.set()
    deadline = time.monotonic() + 10
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
