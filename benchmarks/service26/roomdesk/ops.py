"""Back-office operations for staff: backups, diagnostics, templates, signage, file sharing."""
import logging
import re
import shlex
import subprocess
from pathlib import Path

import boto3
from botocore.config import Config
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment

from .auth import staff_required, superuser_required
from .models import Booking, Invoice, Room

logger = logging.getLogger(__name__)

BACKUP_DIR = Path("/var/backups/roomdesk")
TEMPLATE_REPO_DIR = Path("/srv/roomdesk/signage-templates")
HOSTNAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
ALLOWED_SERVICES = {"roomdesk-web", "roomdesk-worker", "roomdesk-scheduler"}

_s3 = boto3.client("s3", region_name="eu-west-1", config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: missing-timeout
_sandbox = SandboxedEnvironment(autoescape=True)


@superuser_required
@require_POST
def backup_database(request):
    label = request.POST.get("label", "manual")
    if len(label) > 40:
        return HttpResponseBadRequest("label too long")
    cmd = f"pg_dump roomdesk | gzip > {BACKUP_DIR}/roomdesk-{label}.sql.gz"
    subprocess.run(cmd, shell=True, check=True, timeout=600)  # SEEDED: SEC length-only-shell
    return JsonResponse({"ok": True})


@superuser_required
@require_POST
def restart_service(request):
    service = request.POST.get("service", "")
    if service not in ALLOWED_SERVICES:
        return HttpResponseBadRequest("unknown service")
    subprocess.run(["systemctl", "restart", service], check=True, timeout=60)  # SAFE: shell-injection
    return JsonResponse({"ok": True})


@staff_required
@require_GET
def ping_host(request):
    host = request.GET.get("host", "")
    out = subprocess.run(f"ping -c 2 {host}", shell=True, capture_output=True, text=True, timeout=15)  # SEEDED: SEC shell-injection
    return HttpResponse(out.stdout, content_type="text/plain")


@staff_required
@require_GET
def trace_host(request):
    host = request.GET.get("host", "")
    if not HOSTNAME_RE.fullmatch(host):
        return HttpResponseBadRequest("invalid host")
    out = subprocess.run(f"traceroute -m 10 {shlex.quote(host)}", shell=True, capture_output=True, text=True, timeout=30)  # SAFE: shell-injection
    return HttpResponse(out.stdout, content_type="text/plain")


@superuser_required
@require_POST
def pull_signage_templates(request):
    ref = request.POST.get("ref", "main")
    subprocess.run(["git", "-C", str(TEMPLATE_REPO_DIR), "fetch", "origin", ref], check=True, timeout=120)  # SEEDED: SEC argument-injection
    return JsonResponse({"ok": True})


@superuser_required
@require_POST
def checkout_signage_templates(request):
    ref = request.POST.get("ref", "main")
    if not re.fullmatch(r"[A-Za-z0-9._/-]{1,64}", ref) or ref.startswith("-"):
        return HttpResponseBadRequest("invalid ref")
    subprocess.run(["git", "-C", str(TEMPLATE_REPO_DIR), "checkout", ref, "--"], check=True, timeout=60)  # SAFE: argument-injection
    return JsonResponse({"ok": True})


@staff_required
@require_GET
def grep_bookings(request):
    pattern = request.GET.get("pattern", "")
    rx = re.compile(pattern, re.IGNORECASE)  # SEEDED: SEC regex-injection
    titles = Booking.objects.values_list("title", flat=True)[:1000]
    return JsonResponse({"matches": [t for t in titles if rx.search(t)]})


@staff_required
@require_GET
def find_rooms(request):
    term = request.GET.get("q", "")
    rx = re.compile(re.escape(term), re.IGNORECASE)  # SAFE: regex-injection
    return JsonResponse({"rooms": [r.name for r in Room.objects.all()[:500] if rx.search(r.name)]})


@staff_required
@require_POST
def render_signage(request, room_id: int):
    room = Room.objects.get(pk=room_id)
    source = request.POST.get("template", "<h1>{{ room.name }}</h1>")
    html = Environment(autoescape=True).from_string(source).render(room=room)  # SEEDED: SEC ssti
    return HttpResponse(html)


@staff_required
@require_POST
def preview_signage(request, room_id: int):
    room = Room.objects.get(pk=room_id)
    source = request.POST.get("template", "<h1>{{ room.name }}</h1>")
    return HttpResponse(_sandbox.from_string(source).render(room={"name": room.name, "capacity": room.capacity}))  # SAFE: ssti


@staff_required
@require_POST
def publish_invoice(request, invoice_id: int):
    invoice = Invoice.objects.get(pk=invoice_id)
    key = f"invoices/{invoice.number}.pdf"
    with open(settings.EXPORT_ROOT / "invoices" / f"{invoice.number}.pdf", "rb") as fh:
        _s3.put_object(Bucket=settings.S3_BUCKET, Key=key, Body=fh, ContentType="application/pdf", ACL="public-read")  # SEEDED: SEC public-object
    invoice.pdf_key = key
    invoice.save(update_fields=["pdf_key"])
    return JsonResponse({"url": f"https://{settings.S3_BUCKET}.s3.amazonaws.com/{key}"})


@login_required
@require_GET
def invoice_link(request, invoice_id: int):
    invoice = Invoice.objects.filter(pk=invoice_id, booking__owner=request.user).first()
    if invoice is None or not invoice.pdf_key:
        return JsonResponse({"detail": "not found"}, status=404)
    url = _s3.generate_presigned_url("get_object", Params={"Bucket": settings.S3_BUCKET, "Key": invoice.pdf_key}, ExpiresIn=300)  # SAFE: idor
    return JsonResponse({"url": url})


@login_required
@require_GET
def shared_file_link(request):
    key = request.GET.get("key", "")
    if not key.startswith("shared/"):
        return HttpResponseBadRequest("invalid key")
    url = _s3.generate_presigned_url("get_object", Params={"Bucket": settings.S3_BUCKET, "Key": key}, ExpiresIn=3600)  # SEEDED: SEC idor
    return JsonResponse({"url": url})


@require_POST
def purge_cancelled(request):  # SEEDED: SEC missing-authz
    deleted, _ = Booking.objects.filter(status="cancelled").delete()
    return JsonResponse({"deleted": deleted})


@require_GET
def status_page(request):  # SAFE: missing-authz
    return JsonResponse({"rooms": Room.objects.filter(is_active=True).count()})
