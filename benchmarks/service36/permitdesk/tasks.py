"""Background jobs on huey (redis): scans, assignment, reminders, exports, expiry, archive sync."""
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import RedisHuey, crontab

from . import documents, exports, integrations, notify, scheduling, state
from .models import ExportJob, Inspection, PartnerClient, Permit, PlanDocument, StaffProfile

log = logging.getLogger(__name__)

huey = RedisHuey("permitdesk", url=settings.REDIS_URL, immediate=settings.DEBUG)

_running: set[str] = set()
_running_lock = threading.Lock()


@huey.task(retries=3, retry_delay=30)  # SAFE: bounded-retry
def scan_document(document_id: int) -> str:
    doc = PlanDocument.objects.get(id=document_id)
    job = integrations.submit_scan(doc.stored_path)
    verdict = integrations.wait_for_scan(job)
    PlanDocument.objects.filter(id=doc.id).update(scan_status=verdict)
    if verdict == "clean" and doc.content_type == "application/pdf":
        PlanDocument.objects.filter(id=doc.id).update(pages=documents.count_pages(doc.stored_path))
    return verdict


@huey.task()
def notify_department(permit_id: int) -> None:
    permit = Permit.objects.select_related("department", "applicant").get(id=permit_id)
    supervisors = StaffProfile.objects.filter(department=permit.department, role="supervisor").select_related("user")
    emails = [s.user.email for s in supervisors if s.user.email]
    if emails:
        notify.send_digest(emails, f"Subject: New submission {permit.number}\n\n{permit.kind} at parcel {permit.parcel_id}")


@huey.task(retries=2, retry_delay=60)
def assign_inspector(inspection_id: int) -> None:
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().select_related("permit").get(id=inspection_id)  # SAFE: locked-fetch
        if inspection.inspector_id:
            return
        day = inspection.window_start.astimezone(scheduling.CITY).date().isoformat()
        candidates = StaffProfile.objects.filter(department_id=inspection.permit.department_id, role="inspector")
        for candidate in candidates.order_by("id"):
            if state.bump_daily_bookings(candidate.id, day) <= candidate.daily_capacity:
                inspection.inspector = candidate
                inspection.save(update_fields=["inspector"])
                return
    log.warning("no inspector free for inspection %s", inspection_id)


@huey.task()
def result_recorded(inspection_id: int) -> None:
    inspection = Inspection.objects.select_related("permit__applicant").get(id=inspection_id)
    for client in PartnerClient.objects.filter(contractor=inspection.permit.applicant, active=True):
        if client.callback_url:
            integrations.notify_partner(client.callback_url, {"type": "inspection.result",
                                                              "permit": inspection.permit.number,
                                                              "result": inspection.result})


@huey.task()
def send_correction_reminder(permit_id: int) -> None:
    permit = Permit.objects.select_related("applicant__user").get(id=permit_id)
    notify.review_decided(permit.reviews.order_by("-cycle").values_list("id", flat=True).first())  # SEEDED: EDGE none-input


@huey.periodic_task(crontab(minute="0", hour="17"))
def inspection_reminders() -> None:
    now = timezone.now()
    tomorrow = (now.astimezone(scheduling.CITY) + timedelta(days=1)).date()
    start, end = scheduling.local_midnights(tomorrow)  # SAFE: dst-safe-day-bounds
    for inspection in Inspection.objects.filter(window_start__gte=start, window_start__lt=end, result="pending") \
            .select_related("permit__applicant__user"):
        when = inspection.window_start.astimezone(scheduling.CITY).strftime("tomorrow %I:%M %p")
        try:
            notify.inspection_reminder(inspection.permit, when)
        except Exception:
            log.exception("reminder failed for inspection %s", inspection.id)  # SAFE: logged-and-continued


@huey.periodic_task(crontab(minute="30", hour="2"))
def expire_permits() -> None:
    cutoff = timezone.now()
    updated = Permit.objects.filter(status="issued", expires_at__lt=cutoff).update(status="expired")  # SAFE: set-based-update
    log.info("expired %d permits", updated)


@huey.periodic_task(crontab(minute="0", hour="3"))
def archive_sync() -> None:
    if "archive" in _running:  # SEEDED: EDGE check-then-act
        return
    _running.add("archive")
    try:
        exports.push_daily_archive()
    finally:
        _running.discard("archive")


@huey.periodic_task(crontab(minute="15", hour="3"))
def gis_refresh() -> None:
    with _running_lock:  # SAFE: lock-held
        if "gis" in _running:
            return
        _running.add("gis")
    try:
        state.drop_stale_parcels(24 * 3600)
    finally:
        with _running_lock:
            _running.discard("gis")


@huey.task(retries=1)
def build_xlsx_export(job_id: int, department_id: int) -> None:
    job = ExportJob.objects.get(id=job_id)
    ExportJob.objects.filter(id=job_id).update(status="running")
    try:
        path = exports.permits_workbook(department_id, f"permits-{job_id}.xlsx")
    except Exception as exc:
        ExportJob.objects.filter(id=job_id).update(status="failed")
        log.error("export %s failed: %s", job.id, exc)
        raise  # SAFE: re-raised
    ExportJob.objects.filter(id=job_id).update(status="done", path=str(path))


@huey.task()
def purge_archive_copies(applicant_id: int) -> None:
    exports.delete_archive_folder(f"applicants/{int(applicant_id)}")  # SAFE: int-path-component


def wait_for_export(job_id: int) -> str:
    """Used by the console's 'download when ready' button."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # SAFE: bounded-wait
        job = ExportJob.objects.get(id=job_id)
        if job.status in ("done", "failed"):
            return job.status
        time.sleep(1)
    return "timeout"


def retry_failed_scans() -> int:
    retried = 0
    for doc in PlanDocument.objects.filter(scan_status="error"):  # SEEDED: EDGE unbounded-query
        scan_document(doc.id)
        retried += 1
    return retried


def warm_parcels(pins: list[str]) -> None:
    for pin in pins:
        try:
            integrations.fetch_parcel(pin)
        except integrations.UpstreamError:
            log.info("parcel %s missing upstream", pin)  # SAFE: specific-exception-logged
