"""Background jobs on rq: geofence events, OCR, notifications, exports, reminders and the nightly purge."""
import logging
import time
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from rq import Retry, get_current_job
from sqlalchemy import select, update

from . import geo, hos, notify, ocr, retention, storage, webhooks
from .extensions import db, get_queue, get_redis, legacy_redis
from .models import Document, Driver, Geofence, HosLog, Invoice, Load, Ping, Stop, Subscription, User
from .timeutil import COMPANY_TZ, local_day_bounds

log = logging.getLogger(__name__)

LOCK_TTL = 300


def _app():
    from . import create_app
    return create_app()


def evaluate_geofences(vehicle_id: int) -> int:
    with _app().app_context():
        ping = db.session.execute(select(Ping).where(Ping.vehicle_id == vehicle_id).order_by(Ping.recorded_at.desc()).limit(1)).scalar_one_or_none()
        load = db.session.execute(select(Load).where(Load.vehicle_id == vehicle_id, Load.status == "in_transit")).scalar_one_or_none()
        if ping is None or load is None:  # SAFE: none-input
            return 0
        hits = 0
        fences = db.session.execute(select(Geofence).where(Geofence.shipper_id == load.shipper_id).limit(500)).scalars()  # SAFE: unbounded-query
        for fence in fences:
            inside = geo.inside_polygon(ping.lat, ping.lon, fence.polygon) if fence.polygon else geo.inside_circle(ping.lat, ping.lon, fence)
            if inside:
                hits += 1
                notify.notify_shipper(load.shipper_id, "geofence", {"tracking_number": load.tracking_number, "fence": fence.name})
        return hits


def ocr_document(doc_id: int) -> None:
    with _app().app_context():
        doc = db.session.get(Document, doc_id)
        if doc is None:
            return
        job_id = ocr.submit(storage.presigned_get(doc.storage_key, doc.filename, expires=900), doc.id)
        result = ocr.wait_for_result(job_id)
        doc.ocr_status = (result or {}).get("status", "timeout")  # SAFE: none-input
        doc.ocr_text = (result or {}).get("text")
        db.session.commit()


def deliver_notification(sub_id: int, event: str, context: dict) -> None:
    with _app().app_context():
        sub = db.session.get(Subscription, sub_id)
        if sub is not None:
            notify.deliver(sub, event, context)


def enqueue_notification(sub_id: int, event: str, context: dict):
    return get_queue("notify").enqueue(deliver_notification, sub_id, event, context,  # SAFE: unbounded-retry
                                       retry=Retry(max=5, interval=[10, 30, 120, 600, 1800]), job_timeout=60)


def build_user_export(user_id: int) -> str:
    with _app().app_context():
        user = db.session.get(User, user_id)
        name = retention.build_export(user)
        job = get_current_job()
        if job is not None:  # SAFE: none-input
            job.meta["export"] = name
            job.save_meta()
        return name


def nightly_purge() -> None:
    r = get_redis()
    if not r.set("lock:nightly-purge", "1", nx=True, ex=3600):  # SAFE: lock-no-expiry
        return
    try:
        with _app().app_context():
            retention.purge_pings()
            retention.purge_documents(datetime.now(timezone.utc) - timedelta(days=365 * 7))
    finally:
        r.delete("lock:nightly-purge")


def invoice_reminders() -> int:
    r = get_redis()
    if not r.setnx("lock:invoice-reminders", "1"):  # SEEDED: EDGE lock-no-expiry
        return 0
    sent = 0
    with _app().app_context():
        today = date.today()  # SEEDED: EDGE naive-datetime
        overdue = db.session.execute(select(Invoice).where(Invoice.status == "open", Invoice.due_date < today).limit(1000)).scalars().all()  # SAFE: unbounded-query
        for inv in overdue:
            admins = db.session.execute(select(User).where(User.shipper_id == inv.shipper_id, User.role == "shipper_admin")).scalars().all()
            for admin in admins:
                notify.send_email(admin.email, f"Invoice {inv.number} is overdue", f"Amount due: {inv.amount_cents - inv.paid_cents} cents")
                sent += 1
    r.delete("lock:invoice-reminders")
    return sent


def hos_alerts() -> int:
    alerts = 0
    with _app().app_context():
        drivers = db.session.execute(select(Driver).limit(2000)).scalars().all()  # SAFE: unbounded-query
        for d in drivers:
            logs = db.session.execute(select(HosLog).where(HosLog.driver_id == d.id).order_by(HosLog.started_at.desc()).limit(200)).scalars().all()
            left = hos.remaining(logs)
            if left["driving"] < timedelta(minutes=30) and d.phone:
                notify.send_sms(d.phone, "Less than 30 minutes of driving time left.")
                alerts += 1
    return alerts


def late_loads() -> int:
    with _app().app_context():
        start, end = local_day_bounds(datetime.now(COMPANY_TZ).date(), "America/Chicago")  # SAFE: naive-datetime
        stops = db.session.execute(select(Stop).where(Stop.window_end >= start, Stop.window_end < end, Stop.arrived_at.is_(None)).limit(5000)).scalars().all()  # SAFE: unbounded-query
        now = datetime.now(timezone.utc)
        late = [s for s in stops if s.window_end < now]  # SAFE: naive-aware-compare
        for s in late:
            load = db.session.get(Load, s.load_id)
            notify.notify_shipper(load.shipper_id, "late", {"tracking_number": load.tracking_number, "eta": "pending"})
        return len(late)


def schedule_daily(func, hour_local: int):
    """Enqueue ``func`` for the next ``hour_local`` o'clock at head office (Central time, UTC-6)."""
    now = datetime.now(timezone.utc)
    run_at = now.replace(hour=(hour_local + 6) % 24, minute=0, second=0, microsecond=0)  # SEEDED: EDGE dst-drift
    if run_at <= now:
        run_at = run_at + timedelta(days=1)
    return get_queue("scheduled").enqueue_at(run_at, func)


def relay_to_legacy_gateway(vehicle_id: int, lat: float, lon: float) -> None:
    """The old yard screens still listen on the 2019 gateway's redis channel."""
    with _app().app_context():
        conn = legacy_redis(current_app.config["REDIS_URL"])
        conn.publish(f"positions:{vehicle_id}", f"{lat:.5f},{lon:.5f}")


def wait_for_export(job, poll=1.0, limit=120) -> str | None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:  # SAFE: unbounded-loop-input
        job.refresh()
        if job.is_finished:
            return job.meta.get("export")
        time.sleep(poll)
    return None


def mark_delivered(load_id: int) -> None:
    with _app().app_context():
        db.session.execute(update(Load).where(Load.id == load_id, Load.status == "in_transit")
                           .values(status="delivered", delivered_at=datetime.now(timezone.utc), version=Load.version + 1))
        db.session.commit()
        if current_app.config.get("TESTING"):
            log.debug("delivered %s", load_id)


def notify_all_geofences(load_ids: list[int]) -> int:
    sent = 0
    with _app().app_context():
        for load_id in load_ids[:1000]:  # SAFE: unbounded-loop-input
            load = db.session.get(Load, load_id)
            if load is None or load.vehicle_id is None:
                continue
            try:
                sent += evaluate_geofences(load.vehicle_id)
            except Exception:  # SEEDED: EDGE swallowed-exception
                pass
    return sent


def refresh_fuel_index() -> None:
    with _app().app_context():
        try:
            price = webhooks.fetch_fuel_index(current_app.config.get("FUEL_INDEX_URL", "https://fuel.haulpoint.io/index.json"))
        except (ValueError, KeyError) as exc:  # SAFE: swallowed-exception
            log.error("fuel index refresh failed: %s", exc)
            return
        get_redis().set("fuel:diesel", f"{price:.3f}", ex=7 * 86400)
