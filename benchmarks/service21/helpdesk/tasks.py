"""Background work: Celery tasks, a thread pool for imports, conversions."""
import logging
import os
import pickle
import queue
import subprocess
import threading
import time

import requests
import yaml
from celery import Celery

from helpdesk import clients, config

logger = logging.getLogger(__name__)
app = Celery("helpdesk", broker=os.environ.get("HELPDESK_BROKER", "memory://"))
app.conf.update(task_serializer="json", accept_content=["json"], task_time_limit=300)  # SAFE: json only

_processed = 0
_seen: dict[str, int] = {}
_seen_lock = threading.Lock()
_stats = {"imported": 0, "failed": 0}
_stats_lock = threading.Lock()


@app.task(bind=True, max_retries=5, default_retry_delay=30)
def notify_callback(self, url: str, title: str) -> None:
    try:
        requests.post(url, json={"title": title}, timeout=10)  # SEEDED: SEC ssrf
    except requests.RequestException as exc:
        raise self.retry(exc=exc)  # SAFE: bounded by max_retries


@app.task
def convert_attachment(path: str, fmt: str) -> None:
    subprocess.run(f"soffice --headless --convert-to {fmt} {path}", shell=True, check=True)  # SEEDED: SEC shell-injection


@app.task
def convert_attachment_safe(path: str, fmt: str) -> None:
    if fmt not in {"pdf", "docx", "odt"}:
        raise ValueError(fmt)
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, path], check=True, timeout=120)  # SAFE: argv list


@app.task
def compress_export(path: str) -> None:
    os.system("gzip -9 " + path)  # SEEDED: SEC shell-injection


@app.task
def disk_usage() -> str:
    return subprocess.run(["df", "-h", str(config.BASE_DIR)], capture_output=True, text=True, timeout=10).stdout  # SAFE: constant argv


@app.task
def restore_state(blob: bytes) -> dict:
    return pickle.loads(blob)  # SEEDED: SEC pickle-deserialization


def load_macros(text: str) -> list:
    return yaml.load(text, Loader=yaml.Loader) or []  # SEEDED: SEC yaml-unsafe-load


def load_settings(text: str) -> dict:
    return yaml.safe_load(text) or {}  # SAFE: safe loader


def push_to_crm(payload: dict) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            resp = requests.post(config.CRM_URL + "/tickets", json=payload, timeout=10)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException:
            logger.warning("CRM unavailable, retrying")
            time.sleep(5)


def push_to_crm_bounded(payload: dict, attempts: int = 5) -> dict | None:
    for attempt in range(attempts):  # SAFE: bounded retries
        try:
            resp = requests.post(config.CRM_URL + "/tickets", json=payload, timeout=10)
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException:
            time.sleep(2**attempt)
    return None


def sync_agents() -> None:
    attempt = 0
    while True:  # SAFE: bounded by the attempt counter
        attempt += 1
        try:
            clients.crm_agents()
            return
        except requests.RequestException:
            if attempt >= 3:
                raise
            time.sleep(attempt)


def import_worker(jobs: "queue.Queue[dict | None]") -> None:
    global _processed
    while True:  # SAFE: a worker loop that ends on the sentinel
        job = jobs.get()
        if job is None:
            break
        key = job["external_id"]
        if key not in _seen:  # SEEDED: EDGE check-then-act
            _seen[key] = job["ticket"]
        _processed += 1  # SEEDED: EDGE read-modify-write
        jobs.task_done()


def import_worker_safe(jobs: "queue.Queue[dict | None]") -> None:
    while True:  # SAFE: a worker loop that ends on the sentinel
        job = jobs.get()
        if job is None:
            break
        with _seen_lock:
            _seen.setdefault(job["external_id"], job["ticket"])  # SAFE: under the lock
        with _stats_lock:
            _stats["imported"] += 1  # SAFE: under the lock
        jobs.task_done()


def record_failure() -> None:
    _stats["failed"] = _stats["failed"] + 1  # SEEDED: EDGE read-modify-write


def run_import(batches: list[dict], workers: int = 4) -> int:
    jobs: "queue.Queue[dict | None]" = queue.Queue()
    threads = [threading.Thread(target=import_worker, args=(jobs,), daemon=True) for _ in range(workers)]
    threads += [threading.Thread(target=record_failure, daemon=True)]
    for t in threads:
        t.start()
    for b in batches:
        jobs.put(b)
    for _ in range(workers):
        jobs.put(None)
    for t in threads:
        t.join(timeout=60)  # SAFE: bounded wait
    return _processed


def notify_watchers(ticket_id: int, watchers: list[str], cc=[]) -> list[str]:  # SEEDED: EDGE mutable-default
    cc.extend(watchers)
    return cc


def ticket_number_from_subject(subject: str) -> int:
    import re

    return int(re.search(r"\[#(\d+)\]", subject).group(1))  # SEEDED: EDGE none-match


def ticket_number_or_none(subject: str) -> int | None:
    import re

    m = re.search(r"\[#(\d+)\]", subject)
    return int(m.group(1)) if m else None  # SAFE: no-match handled
