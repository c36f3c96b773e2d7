"""Server-rendered patient portal and staff pages (Django templates, session auth)."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context, Template
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import documents, storage
from .forms import ContactDetailsForm, IntakeForm, LetterForm, MessageForm, RescheduleForm
from .models import Appointment, Invoice, Patient, PortalMessage
from .security import issue_access_token

logger = logging.getLogger("telecare.web")


def _is_staff_clinician(user) -> bool:
    return user.is_authenticated and hasattr(user, "clinician")


def _safe_next(request, fallback: str = "/portal/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target  # SAFE: open-redirect
    return fallback


def portal_login(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is None:
            logger.info("failed portal login for %s", request.POST.get("username"))  # SAFE: secret-in-log
            messages.error(request, "Invalid credentials")
            return render(request, "portal/login.html", status=401)
        login(request, user)
        response = redirect(_safe_next(request))
        response.set_cookie("api_token", issue_access_token(user, ["portal"]), max_age=900,
                            secure=True, httponly=True, samesite="Strict")  # SAFE: insecure-cookie
        return response
    return render(request, "portal/login.html")


def app_handoff(request):
    """The mobile app opens the portal logged in, then returns to the app."""
    if not request.user.is_authenticated:
        return redirect(f"/portal/login/?next={request.get_full_path()}")  # SAFE: open-redirect
    response = HttpResponseRedirect(request.GET.get("return_to", "/portal/"))  # SEEDED: SEC open-redirect
    response.set_cookie("app_token", issue_access_token(request.user, ["portal"]), max_age=3600)  # SEEDED: SEC insecure-cookie
    return response


@login_required
def dashboard(request):
    patient = get_object_or_404(Patient, user=request.user)
    upcoming = Appointment.objects.filter(patient=patient).order_by("starts_at")[:5]
    return render(request, "portal/dashboard.html", {"patient": patient, "upcoming": upcoming})  # SAFE: xss


@login_required
def message_detail(request, pk: int):
    msg = get_object_or_404(PortalMessage, pk=pk, patient__user=request.user)  # SAFE: idor
    body = mark_safe(msg.body.replace("\n", "<br>"))  # SEEDED: SEC xss
    return render(request, "portal/message.html", {"msg": msg, "body": body})


@login_required
def message_preview(request, pk: int):
    msg = get_object_or_404(PortalMessage, pk=pk, patient__user=request.user)
    html = format_html("<h3>{}</h3><p>{}</p>", msg.subject, msg.body)  # SAFE: xss
    return HttpResponse(html)


@login_required
def appointment_banner(request, pk):
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    banner = format_html(f"<div class='banner'>Your visit: {appt.reason}</div>")  # SEEDED: SEC xss
    return HttpResponse(banner)


def search_help(request):
    q = request.GET.get("q", "")
    return HttpResponse(f"<p>No help articles match <b>{q}</b>.</p>")  # SEEDED: SEC xss


def search_help_escaped(request):
    q = request.GET.get("q", "")
    return HttpResponse(f"<p>No help articles match <b>{escape(q)}</b>.</p>")  # SAFE: xss


@login_required
def send_message(request):
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        msg = form.save(commit=False)
        msg.patient = request.user.patient  # SAFE: mass-assignment
        msg.sender = request.user
        msg.save()
        return redirect("portal-dashboard")
    return render(request, "portal/send_message.html", {"form": form})


@csrf_exempt  # SEEDED: SEC csrf-missing
@login_required
def update_contact(request):
    """Called by the old portal's inline editor (fetch without CSRF header)."""
    form = ContactDetailsForm(request.POST or None, instance=request.user.patient)
    if request.method == "POST" and form.is_valid():
        form.save()
        return HttpResponse(status=204)
    return HttpResponseBadRequest(form.errors.as_json())


@login_required
def intake(request):
    patient = request.user.patient
    form = IntakeForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("portal-dashboard")
    return render(request, "portal/intake.html", {"form": form})


@login_required
@require_GET  # SEEDED: SEC csrf-get-state-change
def cancel_appointment(request, pk):
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)  # SAFE: idor
    appt.status = Appointment.Status.CANCELLED
    appt.save(update_fields=["status"])
    return redirect("portal-dashboard")


@login_required
@require_POST
def reschedule_appointment(request, pk):
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)  # SAFE: csrf-get-state-change
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_json())
    appt.starts_at = form.cleaned_data["starts_at"]
    appt.save(update_fields=["starts_at"])
    return redirect(_safe_next(request))


@login_required
def invoice_pdf(request, pk: int):
    invoice = get_object_or_404(Invoice, pk=pk, patient__user=request.user)  # SAFE: idor
    pdf = documents.render_invoice_pdf(invoice, request.GET.get("size", "letter"))
    return HttpResponse(pdf, content_type="application/pdf")


def invoice_receipt(request, number: str):  # SEEDED: SEC missing-authz
    invoice = get_object_or_404(Invoice, number=number)  # SEEDED-ALSO
    return render(request, "portal/receipt.html", {"invoice": invoice})


@login_required
def visit_summary_link(request, pk):
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    pdf = documents.render_invoice_pdf(appt.invoice) if hasattr(appt, "invoice") else b""
    url = storage.publish_visit_summary(f"summaries/{appt.pk}.pdf", pdf)
    return redirect(url)  # SAFE: open-redirect


@user_passes_test(_is_staff_clinician)
def letter(request, patient_id: int):
    patient = get_object_or_404(Patient, pk=patient_id, clinic=request.user.clinician.clinic)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        clinic = patient.clinic
        header = Template(clinic.letter_template).render(
            Context({"patient_name": patient.full_name, "clinic_name": clinic.name})  # SAFE: ssti
        )
        pdf = documents.render_letter_pdf(clinic, header + form.cleaned_data["body_html"])  # SEEDED: SEC html-to-pdf-local-file
        if form.cleaned_data["fax_to"]:
            path = storage.patient_dir(patient.pk) / "letter.pdf"
            path.write_bytes(pdf)
            documents.fax_referral(form.cleaned_data["fax_to"], str(path))
        return HttpResponse(pdf, content_type="application/pdf")
    return render(request, "staff/letter.html", {"form": form, "patient": patient})


@user_passes_test(_is_staff_clinician)
def fax_cover(request, patient_id: int):
    patient = get_object_or_404(Patient, pk=patient_id, clinic=request.user.clinician.clinic)  # SAFE: idor
    text = documents.fax_cover(patient.clinic, patient, request.POST.get("template", "Re: {patient.full_name}"))
    return HttpResponse(text, content_type="text/plain")


def kiosk_welcome(request):
    name = request.GET.get("name", "")
    if len(name) > 40:
        return HttpResponseBadRequest("name too long")
    return HttpResponse(mark_safe(f"<h1>Welcome, {name}!</h1>"))  # SEEDED: SEC length-only-xss


def health(request):
    return HttpResponse("ok", content_type="text/plain")  # SAFE: missing-authz


def debug_info(request):
    if not settings.DEBUG:
        return HttpResponse(status=404)
    return HttpResponse(f"<pre>{escape(repr(settings.DATABASES))}</pre>")  # SEEDED: SEC secret-exposure
