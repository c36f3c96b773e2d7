from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views_admin, views_appointments, views_billing, views_labs, views_patients, views_prescriptions, web, webhooks

router = DefaultRouter()
router.register("patients", views_patients.PatientViewSet, basename="patient")
router.register("appointments", views_appointments.AppointmentViewSet, basename="appointment")
router.register("prescriptions", views_prescriptions.PrescriptionViewSet, basename="prescription")
router.register("labs", views_labs.LabResultViewSet, basename="lab")
router.register("clinic-labs", views_labs.ClinicLabViewSet, basename="clinic-lab")
router.register("invoices", views_billing.InvoiceViewSet, basename="invoice")

api = [
    path("", include(router.urls)),
    path("public/signup/", views_patients.patient_signup),
    path("public/portal-reset/", views_patients.request_portal_reset),
    path("public/caregivers/", views_patients.invite_caregiver),
    path("patients/<int:pk>/chart/", views_patients.PatientChartView.as_view()),
    path("me/", views_patients.MyProfileView.as_view()),
    path("me/ssn/", views_patients.update_ssn),
    path("me/insurance-card/", views_patients.InsuranceCardView.as_view()),
    path("me/today/", views_appointments.TodayView.as_view()),
    path("me/labs/", views_labs.MyLabsView.as_view()),
    path("me/labs/trend/<str:analyte>/", views_labs.LabTrendView.as_view()),
    path("clinicians/<int:clinician_id>/slots/", views_appointments.ClinicianSlotsView.as_view()),
    path("clinicians/me/utilisation/", views_appointments.UtilisationView.as_view()),
    path("clinicians/me/no-shows/", views_appointments.NoShowRateView.as_view()),
    path("waiting-rooms/<str:appointment_id>/", views_appointments.WaitingRoomView.as_view()),
    path("prescriptions/<int:pk>/refill/", views_prescriptions.RefillView.as_view()),
    path("prescriptions/<int:pk>/urgent-refill/", views_prescriptions.UrgentRefillView.as_view()),
    path("prescriptions/<int:pk>/status/", views_prescriptions.PrescriptionStatusView.as_view()),
    path("prescriptions/bulk-discontinue/", views_prescriptions.bulk_discontinue),
    path("refills/prune/", views_prescriptions.prune_duplicate_refills),
    path("refills/queue/", views_prescriptions.refill_queue),
    path("labs/upload/<int:patient_id>/", views_labs.LabUploadView.as_view()),
    path("labs/attach/<int:patient_id>/", views_labs.LabAttachmentView.as_view()),
    path("labs/file/", views_labs.LabFileView.as_view()),
    path("labs/bundle/<int:patient_id>/", views_labs.LabBundleView.as_view()),
    path("labs/<int:pk>/scan/", views_labs.LabScanView.as_view()),
    path("labs/import/csv/", views_labs.LabCsvImportView.as_view()),
    path("labs/import/cda/", views_labs.Hl7ImportView.as_view()),
    path("labs/import/acks/", views_labs.OrderAckImportView.as_view()),
    path("billing/invoices/lookup/", views_billing.InvoiceLookupView.as_view()),
    path("billing/reports/status/", views_billing.InvoiceStatusReportView.as_view()),
    path("billing/reports/overdue/", views_billing.OverdueReportView.as_view()),
    path("billing/reports/revenue/", views_billing.RevenueView.as_view()),
    path("billing/claims/export/", views_billing.ClaimExportView.as_view()),
    path("billing/claims/<int:pk>/adjust/", views_billing.ClaimAdjustView.as_view()),
    path("billing/claims/<int:pk>/submit/", views_billing.ClaimSubmitView.as_view()),
    path("billing/payouts/", views_billing.payouts_pending),
    path("billing/payouts/create/", views_billing.payout_create),
    path("billing/payouts/<int:pk>/approve/", views_billing.payout_approve),
    path("billing/payouts/<int:pk>/cancel/", views_billing.payout_cancel),
    path("admin/exports/patients/", views_admin.export_patients),
    path("admin/exports/download/", views_admin.download_export),
    path("admin/exports/bundle/", views_admin.export_bundle),
    path("admin/reports/<str:name>/run/", views_admin.SavedReportView.as_view()),
    path("admin/config/import/", views_admin.import_clinic_config),
    path("admin/config/schedule/", views_admin.import_schedule_template),
    path("admin/waiting-rooms/restore/", views_admin.restore_waiting_rooms),
    path("admin/audit/search/", views_admin.audit_search),
    path("admin/audit/find/", views_admin.audit_search_literal),
    path("admin/audit/feed/", views_admin.AuditFeedView.as_view()),
    path("admin/staff/lookup/", views_admin.staff_lookup),
    path("admin/staff/find/", views_admin.staff_lookup_safe),
    path("admin/staff/<int:user_id>/", views_admin.update_staff),
    path("admin/staff/<int:user_id>/fields/", views_admin.update_staff_fields),
    path("admin/clinics/<int:clinic_id>/", views_admin.delete_clinic),
    path("admin/maintenance/", views_admin.run_maintenance),
    path("admin/db-dump/", views_admin.run_db_dump),
    path("admin/status/", views_admin.system_status),
    path("partners/fill-status/<int:pk>/", webhooks.FillStatusView.as_view()),
    path("partners/transfer-in/", webhooks.TransferInView.as_view()),
    path("hooks/video/", webhooks.VideoProviderHook.as_view()),
]

portal = [
    path("", web.dashboard, name="portal-dashboard"),
    path("login/", web.portal_login, name="portal-login"),
    path("handoff/", web.app_handoff),
    path("messages/<int:pk>/", web.message_detail),
    path("messages/<int:pk>/preview/", web.message_preview),
    path("messages/new/", web.send_message),
    path("appointments/<uuid:pk>/banner/", web.appointment_banner),
    path("appointments/<uuid:pk>/cancel/", web.cancel_appointment),
    path("appointments/<uuid:pk>/reschedule/", web.reschedule_appointment),
    path("appointments/<uuid:pk>/summary/", web.visit_summary_link),
    path("contact/", web.update_contact),
    path("intake/", web.intake),
    path("invoices/<int:pk>/pdf/", web.invoice_pdf),
    path("receipts/<str:number>/", web.invoice_receipt),
    path("help/search/", web.search_help),
    path("help/search-escaped/", web.search_help_escaped),
    path("kiosk/welcome/", web.kiosk_welcome),
]

staff = [
    path("patients/<int:patient_id>/letter/", web.letter),
    path("patients/<int:patient_id>/fax-cover/", web.fax_cover),
    path("debug/", web.debug_info),
]

urlpatterns = [
    path("api/", include(api)),
    path("portal/", include(portal)),
    path("staff/", include(staff)),
    path("hooks/pharmacy/<str:ncpdp_id>/", webhooks.pharmacy_event),
    path("hooks/pharmacy/v1/<str:ncpdp_id>/", webhooks.pharmacy_event_v1),
    path("healthz", web.health),
]
