"""Server-rendered pages (Django class-based views) for members and front-desk staff."""
import base64
import json
import logging
import pickle
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, UpdateView

from . import files, tokens
from .auth import verify_signature
from .models import Booking, Guest, Invoice, Room

logger = logging.getLogger(__name__)

ALLOWED_SORTS = {"start", "-start", "title", "-title", "total", "-total"}
PREFS_COOKIE = "rd_prefs"


class BookingListView(LoginRequiredMixin, ListView):
    template_name = "roomdesk/booking_list.html"
    context_object_name = "bookings"

    def get_paginate_by(self, queryset):
        return int(self.request.GET.get("per_page", 20))  # SEEDED: EDGE unbounded-page-size

    def get_queryset(self):
        sort = self.request.GET.get("sort", "-start")
        qs = Booking.objects.filter(owner=self.request.user).select_related("room")
        return qs.order_by(sort if sort in ALLOWED_SORTS else "-start")  # SAFE: sql-order-by


class BookingSearchView(LoginRequiredMixin, View):
    def get(self, request):
        q = request.GET.get("q", "")
        rows = Booking.objects.raw(
            f"SELECT * FROM roomdesk_booking WHERE owner_id = %s AND title LIKE '%%{q}%%' ORDER BY start DESC",  # SEEDED: SEC sql-like
            [request.user.id],
        )
        return render(request, "roomdesk/booking_list.html", {"bookings": list(rows)[:50]})


class BookingFilterView(LoginRequiredMixin, View):
    def get(self, request):
        q = request.GET.get("q", "")
        rows = Booking.objects.filter(owner=request.user, title__icontains=q)[:50]  # SAFE: sql-like
        return render(request, "roomdesk/booking_list.html", {"bookings": rows})


class BookingDetailView(LoginRequiredMixin, DetailView):
    template_name = "roomdesk/booking_detail.html"

    def get_queryset(self):
        return Booking.objects.filter(owner=self.request.user)  # SAFE: idor


class BookingCreateView(LoginRequiredMixin, View):
    def post(self, request):
        room = get_object_or_404(Room, pk=request.POST.get("room"), is_active=True)
        start = datetime.fromisoformat(request.POST["start"])
        end = datetime.fromisoformat(request.POST["end"])
        clash = Booking.objects.filter(room=room, start__lt=end, end__gt=start).exclude(status="cancelled")
        if not clash.exists():  # SEEDED: EDGE check-then-act
            booking = Booking.objects.create(  # SEEDED-ALSO
                owner=request.user, room=room, title=request.POST.get("title", "Meeting"),
                start=start, end=end, confirmation_code=tokens.generate_confirmation_code(),
            )
            return redirect("booking-detail", pk=booking.pk)
        return HttpResponseBadRequest("room is already booked")


class BookingCancelView(View):  # SEEDED: SEC missing-authz
    def post(self, request, pk):
        booking = get_object_or_404(Booking, pk=pk)
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
        return redirect("booking-list")


class BookingStartsSoonView(LoginRequiredMixin, View):
    def get(self, request, pk):
        booking = get_object_or_404(Booking, pk=pk, owner=request.user)
        soon = booking.start - datetime.now() < timedelta(hours=1)  # SEEDED: EDGE naive-datetime
        later = booking.end - timezone.now() > timedelta(0)  # SAFE: naive-datetime
        return JsonResponse({"starts_soon": soon, "running_or_upcoming": later})


class InvoiceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        invoice = Invoice.objects.select_related("booking").get(pk=pk)  # SEEDED: SEC idor
        return FileResponse(open(settings.EXPORT_ROOT / "invoices" / f"{invoice.number}.pdf", "rb"),
                            as_attachment=True, filename=f"{invoice.number}.pdf")


class InvoiceDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk, booking__owner=request.user)  # SAFE: idor
        return JsonResponse({"number": invoice.number, "amount": str(invoice.amount), "paid": invoice.paid})


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        name = request.GET.get("name", "")
        return FileResponse(open(settings.EXPORT_ROOT / str(request.user.id) / name, "rb"), as_attachment=True)  # SEEDED: SEC path-traversal


class ExportFileView(LoginRequiredMixin, View):
    def get(self, request, name):
        try:
            path = files.export_path(request.user.id, name)
        except PermissionError:
            raise Http404("no such export")
        return FileResponse(open(path, "rb"), as_attachment=True)  # SAFE: path-traversal


class GuestNoteView(LoginRequiredMixin, View):
    def get(self, request, pk):
        guest = get_object_or_404(Guest, pk=pk, booking__owner=request.user)
        note = request.GET.get("note", "")
        return HttpResponse(f"<h2>{guest.name}</h2><p>{note}</p>")  # SEEDED: SEC xss


class GuestCardView(LoginRequiredMixin, View):
    def get(self, request, pk):
        guest = get_object_or_404(Guest, pk=pk, booking__owner=request.user)
        return HttpResponse(format_html("<h2>{}</h2><p>{}</p>", guest.name, guest.company))  # SAFE: xss


class DashboardView(LoginRequiredMixin, View):
    def get(self, request):
        banner = mark_safe(f"Welcome back, <b>{request.user.first_name}</b>!")  # SEEDED: SEC xss
        page = int(request.GET.get("page"))  # SEEDED: EDGE none-input
        upcoming = Booking.objects.filter(owner=request.user, start__gte=timezone.now()).order_by("start")
        return render(request, "roomdesk/dashboard.html", {"banner": banner, "bookings": upcoming[(page - 1) * 10:page * 10]})


class RoomCardView(LoginRequiredMixin, View):
    def get(self, request):
        room = Room.objects.filter(name=request.GET.get("name", ""), is_active=True).first()
        return JsonResponse({"room": room.name, "capacity": room.capacity})  # SEEDED: EDGE none-deref


class LoginView(View):  # SAFE: missing-authz
    def post(self, request):
        username = request.POST.get("username", "")
        password = request.POST.get("password", "")
        logger.info("login attempt user=%s password=%s", username, password)  # SEEDED: SEC secret-in-log
        user = authenticate(request, username=username, password=password)
        if user is None:
            return render(request, "registration/login.html", {"error": "Invalid credentials"}, status=401)
        login(request, user)
        return redirect(request.GET.get("next", "/"))  # SEEDED: SEC open-redirect


class LogoutView(View):
    def post(self, request):
        logout(request)
        target = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            target = "/"
        return redirect(target)  # SAFE: open-redirect


class LanguageView(View):
    def get(self, request):
        next_url = request.GET.get("next", "/")
        if len(next_url) > 200:
            return HttpResponseBadRequest("next too long")
        response = redirect(next_url)  # SEEDED: SEC length-only-redirect
        response.set_cookie("django_language", request.GET.get("lang", "en")[:8], samesite="Lax")  # SAFE: insecure-cookie
        return response


class PreferencesView(LoginRequiredMixin, View):
    def get(self, request):
        raw = request.COOKIES.get(PREFS_COOKIE)
        prefs = pickle.loads(base64.b64decode(raw)) if raw else {}  # SEEDED: SEC unsafe-deserialisation
        return JsonResponse(prefs)

    def post(self, request):
        prefs = {"density": request.POST.get("density", "comfortable"), "tz": request.POST.get("tz", "UTC")}
        response = JsonResponse(prefs)
        response.set_cookie(PREFS_COOKIE, base64.b64encode(pickle.dumps(prefs)).decode(), max_age=365 * 86400)
        return response


class DisplayPrefsView(LoginRequiredMixin, View):
    def get(self, request):
        raw = request.get_signed_cookie("rd_display", default="{}", salt="display")
        return JsonResponse(json.loads(raw))  # SAFE: unsafe-deserialisation


class RememberDeviceView(LoginRequiredMixin, View):
    def post(self, request):
        token = tokens.create_api_key(request.user, scopes="device")
        response = JsonResponse({"ok": True})
        response.set_cookie("rd_device", token, max_age=30 * 86400, httponly=False, secure=True)  # SEEDED: SEC insecure-cookie
        return response


class TrustBrowserView(LoginRequiredMixin, View):
    def post(self, request):
        token = tokens.create_api_key(request.user, scopes="browser")
        response = JsonResponse({"ok": True})
        response.set_cookie("rd_browser", token, max_age=30 * 86400, httponly=True, secure=True, samesite="Strict")  # SAFE: insecure-cookie
        return response


class ApproveBookingView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "roomdesk.change_booking"

    def get(self, request, pk):  # SEEDED: SEC csrf-get-state-change
        booking = get_object_or_404(Booking, pk=pk)
        booking.status = Booking.Status.CONFIRMED
        booking.save(update_fields=["status"])
        return redirect("booking-detail", pk=pk)


class RejectBookingView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "roomdesk.change_booking"

    def post(self, request, pk):  # SAFE: csrf-get-state-change
        booking = get_object_or_404(Booking, pk=pk)
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
        return redirect("booking-detail", pk=pk)


@method_decorator(csrf_exempt, name="dispatch")  # SEEDED: SEC csrf-exempt
class QuickBookView(LoginRequiredMixin, View):
    """Used by the calendar widget's fetch() calls with the session cookie."""

    def post(self, request):
        data = json.loads(request.body or b"{}")
        room = get_object_or_404(Room, pk=data.get("room"), is_active=True)
        start = datetime.fromisoformat(data["start"])
        with transaction.atomic():
            Room.objects.select_for_update().get(pk=room.pk)
            if Booking.objects.filter(room=room, start__lt=start + timedelta(hours=1), end__gt=start).exists():  # SAFE: check-then-act
                return JsonResponse({"detail": "taken"}, status=409)
            booking = Booking.objects.create(owner=request.user, room=room, title="Quick booking",
                                             start=start, end=start + timedelta(hours=1))
        return JsonResponse({"id": booking.pk}, status=201)


@method_decorator(csrf_exempt, name="dispatch")  # SAFE: csrf-exempt
class PaymentWebhookView(View):  # SAFE: missing-authz
    def post(self, request):
        if not verify_signature(request.body, request.headers.get("X-Signature", ""), settings.SERVICE_API_KEY):
            return HttpResponse(status=400)
        event = json.loads(request.body)
        Invoice.objects.filter(number=event.get("reference")).update(paid=True)
        return HttpResponse(status=204)


class RoomUpdateView(LoginRequiredMixin, PermissionRequiredMixin, UpdateView):
    model = Room
    fields = ["name", "capacity", "day_rate", "is_active"]  # SAFE: mass-assignment
    permission_required = "roomdesk.change_room"
    template_name = "roomdesk/room_form.html"
    success_url = "/rooms/"


class VenueReportView(LoginRequiredMixin, UserPassesTestMixin, View):
    def test_func(self):
        return self.request.user.is_staff

    def get(self, request, venue_id):
        from . import reports

        rows = reports.occupancy_by_room(venue_id, request.GET.get("sort", "revenue"))
        return JsonResponse({"rows": rows})


class HealthView(View):  # SAFE: missing-authz
    def get(self, request):
        return JsonResponse({"status": "ok"})
