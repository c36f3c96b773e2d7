"""URL configuration."""
from django.contrib import admin
from django.urls import path

from . import ops, views
from .api import api

handler500 = "roomdesk.middleware.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("health/", views.HealthView.as_view(), name="health"),
    path("bookings/", views.BookingListView.as_view(), name="booking-list"),
    path("bookings/search/", views.BookingSearchView.as_view(), name="booking-search"),
    path("bookings/filter/", views.BookingFilterView.as_view(), name="booking-filter"),
    path("bookings/new/", views.BookingCreateView.as_view(), name="booking-create"),
    path("bookings/quick/", views.QuickBookView.as_view(), name="booking-quick"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<int:pk>/soon/", views.BookingStartsSoonView.as_view(), name="booking-soon"),
    path("bookings/<int:pk>/approve/", views.ApproveBookingView.as_view(), name="booking-approve"),
    path("bookings/<int:pk>/reject/", views.RejectBookingView.as_view(), name="booking-reject"),
    path("invoices/<int:pk>/download/", views.InvoiceDownloadView.as_view(), name="invoice-download"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice-detail"),
    path("invoices/<int:invoice_id>/link/", ops.invoice_link, name="invoice-link"),
    path("exports/download/", views.ExportDownloadView.as_view(), name="export-download"),
    path("exports/<str:name>/", views.ExportFileView.as_view(), name="export-file"),
    path("guests/<int:pk>/note/", views.GuestNoteView.as_view(), name="guest-note"),
    path("guests/<int:pk>/card/", views.GuestCardView.as_view(), name="guest-card"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("rooms/card/", views.RoomCardView.as_view(), name="room-card"),
    path("rooms/<int:pk>/edit/", views.RoomUpdateView.as_view(), name="room-edit"),
    path("venues/<int:venue_id>/report/", views.VenueReportView.as_view(), name="venue-report"),
    path("me/preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("me/display/", views.DisplayPrefsView.as_view(), name="display-prefs"),
    path("me/remember-device/", views.RememberDeviceView.as_view(), name="remember-device"),
    path("me/trust-browser/", views.TrustBrowserView.as_view(), name="trust-browser"),
    path("webhooks/payments/", views.PaymentWebhookView.as_view(), name="payment-webhook"),
    path("ops/backup/", ops.backup_database, name="ops-backup"),
    path("ops/restart/", ops.restart_service, name="ops-restart"),
    path("ops/ping/", ops.ping_host, name="ops-ping"),
    path("ops/trace/", ops.trace_host, name="ops-trace"),
    path("ops/signage/pull/", ops.pull_signage_templates, name="ops-signage-pull"),
    path("ops/signage/checkout/", ops.checkout_signage_templates, name="ops-signage-checkout"),
    path("ops/grep/", ops.grep_bookings, name="ops-grep"),
    path("ops/rooms/find/", ops.find_rooms, name="ops-find-rooms"),
    path("ops/signage/<int:room_id>/render/", ops.render_signage, name="ops-signage-render"),
    path("ops/signage/<int:room_id>/preview/", ops.preview_signage, name="ops-signage-preview"),
    path("ops/invoices/<int:invoice_id>/publish/", ops.publish_invoice, name="ops-invoice-publish"),
    path("ops/shared-link/", ops.shared_file_link, name="ops-shared-link"),
    path("ops/purge-cancelled/", ops.purge_cancelled, name="ops-purge"),
    path("status/", ops.status_page, name="status"),
]
