"""Background work: a thread pool that syncs stock and sends e-mails, with small in-process caches."""
import logging
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .client import InventoryClient

log = logging.getLogger(__name__)

_stock_cache: dict[str, int] = {}
_sent_emails: set[str] = set()
_jobs_processed = 0
_failures = 0
_cache_lock = threading.Lock()
_rates: dict[str, float] = {}

executor = ThreadPoolExecutor(max_workers=8)
email_queue: "queue.Queue[dict]" = queue.Queue()
inventory = InventoryClient()


def cached_stock(sku: str) -> int:
    if sku not in _stock_cache:  # SEEDED: EDGE check-then-act-cache
        _stock_cache[sku] = inventory.stock_level(sku)
    return _stock_cache[sku]


def cached_stock_locked(sku: str) -> int:
    with _cache_lock:  # SAFE: lock-around-check-then-act
        if sku not in _stock_cache:
            _stock_cache[sku] = inventory.stock_level(sku)
        return _stock_cache[sku]


def send_email_once(message: dict) -> None:
    key = message["idempotency_key"]
    if key in _sent_emails:  # SEEDED: EDGE check-then-act-dedupe
        return
    _deliver(message)
    _sent_emails.add(key)


def _deliver(message: dict) -> None:
    log.info("sending mail to %s", message.get("to"))


def sync_sku(sku: str) -> None:
    global _jobs_processed, _failures
    try:
        level = inventory.stock_level(sku)
        with _cache_lock:
            _stock_cache[sku] = level
        _jobs_processed += 1  # SEEDED: EDGE counter-rmw-thread
    except Exception:
        log.exception("sync of %s failed", sku)
        with _cache_lock:
            _failures += 1  # SAFE: counter-under-lock


def sync_all(skus: list[str]) -> None:
    for sku in skus:
        executor.submit(sync_sku, sku)


def email_worker() -> None:
    while True:
        message = email_queue.get()
        if message is None:
            break
        try:
            send_email_once(message)
        finally:
            email_queue.task_done()


def start_workers(count: int = 2) -> list[threading.Thread]:
    threads = []
    for _ in range(count):
        t = threading.Thread(target=email_worker, daemon=True)
        t.start()
        threads.append(t)
    return threads


def local_tally(items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        if item not in counts:  # SAFE: local-dict-not-shared
            counts[item] = 0
        counts[item] += 1
    return counts


def stats() -> dict:
    return {"processed": _jobs_processed, "failures": _failures, "cached": len(_stock_cache),
            "uptime": time.monotonic()}
