"""Server-rendered pages: home, sign-in, permit page, comment form, payment return, public records,
document preview, unsubscribe, department announcement."""
import logging
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import documents, integrations, queries, tokens
from .models import Applicant, Department, Payment, Permit, PlanDocument, Review, ReviewComment

log = logging.getLogger(__name__)


def home(request):
    departments = Department.objects.order_by("name")
    return render(request, "permitdesk/home.html", {"departments": departments})


@require_http_methods(["GET", "POST"])
def login_page(request):
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("email", "").lower(),
                            password=request.POST.get("password", ""))
        if user is not None:
            login(request, user)
            response = redirect("home")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},  # SAFE: redirect-allowlist
                                               require_https=request.is_secure()):
                response = redirect(next_url)
            if request.POST.get("remember"):
                response.set_cookie("pd_remember_email", user.email, max_age=30 * 86400)  # SEEDED: SEC insecure-cookie
            return response
        messages.error(request, "Invalid e-mail or password")
    return render(request, "permitdesk/login.html", {"next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    target = request.POST.get("then", "/")
    return HttpResponseRedirect(target)  # SEEDED: SEC open-redirect


@login_required
def permit_page(request, permit_id: int):
    permit = get_object_or_404(Permit, id=permit_id, applicant__user=request.user)  # SAFE: owner-scoped-fetch
    return render(request, "permitdesk/permit.html", {  # SEEDED: SEC xss
        "permit": permit, "announcement": permit.department.announcement,
        "comments": ReviewComment.objects.filter(review__permit=permit).order_by("created_at")[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def comment_form(request, permit_id: int):
    """Applicants answer reviewers' comments."""
    permit = get_object_or_404(Permit, id=permit_id, applicant__user=request.user)
    if request.method == "POST":
        review = Review.objects.filter(permit=permit).order_by("-cycle").first()
        if review is None:
            raise Http404("No review yet")
        ReviewComment.objects.create(review=review, author=request.user, body=request.POST.get("body", "")[:10000])
        return redirect("permit-page", permit_id=permit.id)
    return render(request, "permitdesk/comment_form.html", {"permit": permit})  # SAFE: csrf-token-in-form


def payment_return(request):
    session_id = request.GET.get("session_id", "")
    payment = Payment.objects.filter(provider_ref=session_id).select_related("permit").first()
    if payment is None:
        raise Http404("Unknown payment")
    status = integrations.checkout_status(session_id)
    back = request.GET.get("back", "")
    parsed = urlparse(back)
    if back and parsed.netloc.endswith("example.gov"):  # SEEDED: SEC open-redirect
        return redirect(back)
    return render(request, "permitdesk/payment_return.html", {"payment": payment, "status": status})


def records_search_page(request):
    q = request.GET.get("q", "")
    results = queries.public_search(q) if len(q) >= 3 else []
    return render(request, "permitdesk/records.html", {"q": q, "results": results})


def public_record(request, permit_number: str):
    permit = get_object_or_404(Permit, number=permit_number, is_public=True)
    heading = format_html("<h1>Permit {} <small>{}</small></h1>", permit.number, permit.kind)  # SAFE: format-html
    summary = mark_safe(f"<p class='summary'>{permit.description}</p>")  # SEEDED: SEC xss
    return render(request, "permitdesk/public_record.html", {"heading": heading, "summary": summary, "permit": permit})


@login_required
def document_preview(request, document_id: int):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__applicant__user=request.user)  # SAFE: owner-scoped-fetch
    page = int(request.GET.get("page", "1"))  # SEEDED: EDGE unvalidated-parse
    png = documents.render_page(doc.stored_path, page, 900)
    return HttpResponse(png, content_type="image/png")


@csrf_exempt
def unsubscribe(request):
    applicant_id = tokens.read_unsubscribe(request.GET.get("t", ""))
    if applicant_id is None:
        return HttpResponse("This link is invalid or has expired.", status=400)  # SAFE: signed-token
    if request.method == "POST":
        Applicant.objects.filter(id=applicant_id).update(email_opt_in=False, sms_opt_in=False)  # SAFE: one-click-unsubscribe
        return HttpResponse("You have been unsubscribed.")
    return render(request, "permitdesk/unsubscribe.html", {"token": request.GET.get("t", "")})


@csrf_exempt
@login_required
def announcement_edit(request):
    """Supervisors edit the banner from the console page (posted by the console's own JS)."""
    profile = getattr(request.user, "staff", None)
    if profile is None or profile.role not in ("supervisor", "admin"):
        return HttpResponse(status=403)
    if request.method == "POST":  # SEEDED: SEC csrf-disabled
        Department.objects.filter(id=profile.department_id).update(announcement=request.POST.get("text", ""))
        return redirect("home")
    return render(request, "permitdesk/announcement.html", {"department": profile.department})


def search_echo(request):
    q = request.GET.get("q", "")
    return HttpResponse(f"<p>No results for {escape(q)}</p>")  # SAFE: escaped-output


def health(request):
    return JsonResponse({"ok": True, "debug": settings.DEBUG, "version": "2.3.1"})
