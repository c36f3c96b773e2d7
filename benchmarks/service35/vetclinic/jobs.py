"""Background work on a thread pool: reminders, lab polling, claim submission, exports, stock alerts."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
import time
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from . import db, notify, queries, state, storage
from .claims_xml import build_claim
from .integrations import poll_lab_result_bounded, submit_claim_xml
from .timeutil import now_utc

log = logging.getLogger(__name__)
executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="vetjobs")
_running: dict[str, Future] = {}
_running_lock = threading.Lock()
_reminders_sent = 0
_stats = {"claims": 0, "exports": 0, "errors": 0}
_stats_lock = threading.Lock()
_stop = threading.Event()


def submit_unique(name: str, fn, *args) -> Future | None:
    with _running_lock:  # SAFE: lock-held
        existing = _running.get(name)
        if existing is not None and not existing.done():
            return None
        fut = executor.submit(fn, *args)
        _running[name] = fut
        return fut


def submit_once(name: str, fn, *args) -> Future | None:
    if name in _running and not _running[name].done():  # SEEDED: EDGE check-then-act
        return None
    _running[name] = executor.submit(fn, *args)
    return _running[name]


def _bump(key: str) -> None:
    with _stats_lock:  # SAFE: lock-held
        _stats[key] += 1


def send_due_reminders() -> int:
    global _reminders_sent
    conn = db.connect()
    try:
        window_end = now_utc() + dt.timedelta(hours=26)
        rows = conn.execute(  # SAFE: bounded-batch
            "SELECT a.*, p.name AS pet_name, o.email, o.first_name, o.phone, o.id AS owner_id, c.name AS clinic_name, c.timezone "
            "FROM appointments a JOIN pets p ON p.id = a.pet_id JOIN owners o ON o.id = p.owner_id "
            "JOIN clinics c ON c.id = a.clinic_id WHERE a.starts_at BETWEEN now() AND %s AND NOT a.reminded LIMIT 500",
            (window_end,),
        ).fetchall()
        futures = [executor.submit(_remind_one, r) for r in rows]
        for fut in as_completed(futures):
            if fut.result():
                _reminders_sent += 1  # SEEDED: EDGE unsynchronized-counter
        return len(rows)
    finally:
        conn.close()  # SAFE: resource-closed


def _remind_one(row: dict) -> bool:
    owner = {"id": row["owner_id"], "email": row["email"], "first_name": row["first_name"], "phone": row["phone"]}
    clinic = {"name": row["clinic_name"], "timezone": row["timezone"]}
    try:
        notify.appointment_reminder(row, owner, clinic)
        notify.sms_reminder(row, owner, clinic)
    except Exception as exc:
        notify.failed_delivery(owner, exc)
        _bump("errors")
        return False
    conn = db.connect()
    with conn:  # SAFE: resource-closed
        conn.execute("UPDATE appointments SET reminded = true WHERE id = %s", (row["id"],))
    return True


def submit_pending_claims() -> None:
    if not state.acquire_job_lock("claims"):
        return
    conn = db.connect()  # SEEDED: EDGE resource-leak
    rows = conn.execute("SELECT * FROM insurance_claims WHERE status = 'ready' ORDER BY id LIMIT 100").fetchall()
    for claim in rows:
        lines = conn.execute("SELECT code, total_cents FROM claim_lines WHERE claim_id = %s", (claim["id"],)).fetchall()
        location = submit_claim_xml(build_claim(claim, lines))
        conn.execute("UPDATE insurance_claims SET status = 'submitted', insurer_ref = %s WHERE id = %s",
                     (location.rsplit("/", 1)[-1], claim["id"]))
        conn.commit()
        _bump("claims")
    conn.close()


def collect_lab_results(order_ids: list[str]) -> dict[str, dict | None]:
    futures = {executor.submit(poll_lab_result_bounded, oid): oid for oid in order_ids}
    results = {}
    for fut in as_completed(futures, timeout=600):  # SAFE: timeout-given
        results[futures[fut]] = fut.result()
    return results


def build_owner_export(job_id: str, owner_id: int) -> None:
    job = state.export_status(job_id)
    conn = db.connect()
    try:
        owner = conn.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
        pets = queries.pets_of_owner(conn, owner_id)
        records = [r for p in pets for r in queries.records_between(conn, p["id"], dt.date(1990, 1, 1), dt.date.today())]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("owner.json", json.dumps(owner, default=str))
            zf.writestr("pets.json", json.dumps(pets, default=str))
            zf.writestr("records.json", json.dumps(records, default=str))
        job["key"] = storage.upload_record_export(owner_id, buf.getvalue())
        job["status"] = "done"
        _bump("exports")
    except Exception:
        log.exception("export %s failed", job_id)
        job["status"] = "failed"  # SAFE: failure-recorded
    finally:
        conn.close()


def low_stock_alerts() -> list[dict]:
    conn = db.connect()
    try:
        rows = conn.execute("SELECT clinic_id, sku, name, quantity, reorder_level FROM pharmacy_stock "
                            "WHERE quantity <= reorder_level ORDER BY clinic_id LIMIT 1000").fetchall()
    finally:
        conn.close()
    ratio = {r["sku"]: r["quantity"] / r["reorder_level"] for r in rows}  # SEEDED: EDGE division-by-zero
    log.info("low stock: %d items", len(ratio))
    return rows


def run_forever(interval: int = 60) -> threading.Thread:
    def loop():
        while not _stop.is_set():  # SAFE: stoppable-loop
            started = time.monotonic()
            for task in (send_due_reminders, submit_pending_claims, state.prune_exports_safe):
                try:
                    task()
                except Exception:
                    log.exception("job %s failed", task.__name__)  # SAFE: logged-exception
            _stop.wait(max(1.0, interval - (time.monotonic() - started)))

    t = threading.Thread(target=loop, name="vetjobs-loop", daemon=True)
    t.start()
    return t


def shutdown() -> None:
    _stop.set()
    executor.shutdown(wait=True, cancel_futures=True)
