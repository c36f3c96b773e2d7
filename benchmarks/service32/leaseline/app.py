"""The Falcon ASGI application: middleware, routes, error handlers, lifespan."""
from __future__ import annotations

import falcon
import falcon.asgi

from . import (middleware, resources_admin, resources_applications, resources_auth, resources_billing,
               resources_deposits, resources_documents, resources_exports, resources_inspections, resources_leases,
               resources_maintenance, resources_owners, resources_partner_api, resources_portal,
               resources_properties, webhooks)
from .models import close_db, init_db


class Lifespan:
    async def process_startup(self, scope, event):
        await init_db()

    async def process_shutdown(self, scope, event):
        await close_db()


class Health:
    async def on_get(self, req, resp):
        resp.media = {"status": "ok"}


def _routes(app: falcon.asgi.App) -> None:
    add = app.add_route

    def pair(path: str, path_v2: str, resource) -> None:
        add(path, resource)
        add(path_v2, resource, suffix="v2")
    add("/health", Health())

    # auth
    add("/auth/login", resources_auth.LoginResource())
    add("/v2/auth/login", resources_auth.LoginV2Resource())
    add("/auth/register", resources_auth.RegisterResource())
    add("/v2/auth/register", resources_auth.RegisterV2Resource())
    add("/auth/reset", resources_auth.ResetRequestResource())
    add("/auth/reset/confirm", resources_auth.ResetConfirmResource())
    add("/v2/auth/reset/confirm", resources_auth.ResetConfirmV2Resource())
    add("/auth/partner-sso", resources_auth.PartnerSSOResource())
    add("/auth/logout", resources_auth.LogoutResource())
    add("/auth/device", resources_auth.DeviceResource())

    # properties
    buildings = resources_properties.BuildingsResource()
    add("/buildings", buildings)
    add("/buildings/{building_id:int}", buildings, suffix="item")
    buildings_v2 = resources_properties.BuildingV2Resource()
    add("/v2/buildings/{building_id:int}", buildings_v2, suffix="item")
    add("/buildings/{building_id:int}/units", resources_properties.UnitsResource())
    pair("/units/search", "/v2/units/search", resources_properties.UnitSearchResource())
    add("/public/buildings/{building_id:int}/vacancies", resources_properties.VacancyPage())
    pair("/buildings/{building_id:int}/occupancy", "/v2/buildings/{building_id:int}/occupancy", resources_properties.OccupancyResource())

    # applications
    applications = resources_applications.ApplicationsResource()
    pair("/applications", "/v2/applications", applications)
    add("/applications/{application_id:int}", applications, suffix="item")
    add("/my/applications/{application_id:int}", applications, suffix="mine")
    decision = resources_applications.DecisionResource()
    add("/applications/{application_id:int}/decision", decision)
    add("/applications/{application_id:int}/approve", decision, suffix="quick")

    # leases
    leases = resources_leases.LeasesResource()
    pair("/leases", "/v2/leases", leases)
    add("/leases/{lease_id:int}", leases, suffix="item")
    pair("/leases/{lease_id:int}/renew", "/v2/leases/{lease_id:int}/renew", resources_leases.RenewalResource())
    add("/leases/{lease_id:int}/move-out", resources_leases.MoveOutResource())
    pair("/leases/{lease_id:int}/pdf", "/v2/leases/{lease_id:int}/pdf", resources_leases.LeasePdfResource())

    # billing
    charges = resources_billing.ChargesResource()
    pair("/leases/{lease_id:int}/charges", "/v2/leases/{lease_id:int}/charges", charges)
    pair("/charges/{charge_id:int}/waive", "/v2/charges/{charge_id:int}/waive", resources_billing.WaiveResource())
    payments = resources_billing.PaymentsResource()
    pair("/payments", "/v2/payments", payments)
    add("/payments/{payment_id:int}", payments, suffix="item")
    add("/payments/{payment_id:int}/receipt", payments, suffix="receipt")
    add("/tips", resources_billing.TipResource())
    pair("/payments/{payment_id:int}/refund", "/v2/payments/{payment_id:int}/refund", resources_billing.RefundResource())

    # deposits
    deposits = resources_deposits.DepositResource()
    add("/leases/{lease_id:int}/deposit", deposits)
    add("/leases/{lease_id:int}/deposit/deductions", deposits, suffix="deduction")
    add("/leases/{lease_id:int}/deposit/return", deposits, suffix="return")
    add("/v2/leases/{lease_id:int}/deposit/return", deposits, suffix="return_v2")
    pair("/leases/{lease_id:int}/deposit/letter", "/v2/leases/{lease_id:int}/deposit/letter", resources_deposits.DepositLetterResource())

    # maintenance
    tickets = resources_maintenance.TicketsResource()
    add("/tickets", tickets)
    add("/tickets/{ticket_id:int}", tickets, suffix="item")
    add("/tickets/board", tickets, suffix="board")
    add("/v2/tickets/board", tickets, suffix="board_v2")
    photos = resources_maintenance.TicketPhotosResource()
    pair("/tickets/{ticket_id:int}/photos", "/v2/tickets/{ticket_id:int}/photos", photos)
    add("/tickets/{ticket_id:int}/photos/link", photos, suffix="link")
    pair("/tickets/{ticket_id:int}/dispatch", "/v2/tickets/{ticket_id:int}/dispatch", resources_maintenance.DispatchResource())

    # inspections
    inspections = resources_inspections.InspectionsResource()
    add("/inspections", inspections)
    add("/inspections/legacy", inspections, suffix="legacy")
    add("/inspections/{inspection_id:int}/window", inspections, suffix="window")
    report = resources_inspections.InspectionReportResource()
    add("/inspections/{inspection_id:int}/report", report)
    add("/inspections/{inspection_id:int}/checklist", report, suffix="checklist")
    add("/inspections/{inspection_id:int}/score", report, suffix="score")
    add("/inspections/{inspection_id:int}/photos", report, suffix="photo")

    # documents
    documents = resources_documents.DocumentsResource()
    add("/leases/{lease_id:int}/documents", documents)
    add("/documents/download", documents, suffix="download")
    add("/documents/{document_id:int}", documents, suffix="item")
    pair("/leases/{lease_id:int}/bundle", "/v2/leases/{lease_id:int}/bundle", resources_documents.BundleResource())
    pair("/webhooks/esign", "/webhooks/v2/esign", resources_documents.ESignCallback())

    # owners
    statements = resources_owners.StatementsResource()
    add("/owner/statements", statements)
    add("/owner/statements/{statement_id:int}", statements, suffix="item")
    add("/v2/owner/statements/{statement_id:int}", statements, suffix="item_v2")
    add("/owner/statements/{statement_id:int}/payout", statements, suffix="payout")
    pair("/owner/payout-account", "/v2/owner/payout-account", resources_owners.PayoutAccountResource())
    pair("/owner/dashboard", "/v2/owner/dashboard", resources_owners.DashboardResource())

    # tenant portal
    pair("/portal/profile", "/portal/v2/profile", resources_portal.ProfileResource())
    pair("/portal/balance", "/portal/v2/balance", resources_portal.BalanceResource())
    pair("/portal/roommates", "/portal/v2/roommates", resources_portal.RoommatesResource())
    add("/portal/door-code", resources_portal.DoorCodeResource())
    add("/portal/ledger.csv", resources_portal.LedgerDownload())
    pair("/portal/messages", "/portal/v2/messages", resources_portal.MessageResource())

    # admin console
    users = resources_admin.UsersAdminResource()
    add("/admin/users", users)
    add("/admin/users/{user_id:int}", users, suffix="item")
    add("/admin/users/{user_id:int}/reset", users, suffix="reset")
    add("/admin/v2/users/{user_id:int}/reset", users, suffix="reset_v2")
    add("/admin/users/{user_id:int}/deactivate", users, suffix="deactivate")
    add("/admin/v2/users/{user_id:int}/deactivate", users, suffix="deactivate_v2")
    add("/admin/users/by-status", users, suffix="by_status")
    add("/admin/reports", resources_admin.ReportsResource())
    company = resources_admin.CompanySettingsResource()
    add("/admin/company/letterhead", company, suffix="letterhead")
    add("/admin/company/import", company, suffix="import")
    add("/admin/v2/company/import", company, suffix="import_v2")
    add("/admin/company/fee-rule", company, suffix="fee_rule")
    add("/admin/v2/company/fee-rule", company, suffix="fee_rule_v2")
    pair("/admin/system", "/admin/v2/system", resources_admin.SystemResource())
    pair("/admin/audit", "/admin/v2/audit", resources_admin.AuditResource())

    # exports and imports
    exports = resources_exports.ExportsResource()
    add("/exports", exports)
    add("/exports/download", exports, suffix="download")
    add("/v2/exports/download", exports, suffix="download_v2")
    reports = resources_exports.ReportsExport()
    add("/exports/tickets.csv", reports, suffix="tickets")
    add("/exports/applicants.xlsx", reports, suffix="applicants")
    add("/reports/delinquency", reports, suffix="delinquency")
    add("/v2/reports/delinquency", reports, suffix="delinquency_v2")
    imports = resources_exports.ImportsResource()
    add("/imports/rent-roll", imports, suffix="rent_roll")
    add("/v2/imports/rent-roll", imports, suffix="rent_roll_v2")
    add("/imports/readings", imports, suffix="readings")
    add("/v2/imports/readings", imports, suffix="readings_v2")
    add("/imports/vendors", imports, suffix="vendors")
    add("/imports/bank", imports, suffix="bank")
    add("/v2/imports/bank", imports, suffix="bank_v2")
    add("/imports/draft", imports, suffix="draft")

    # partner API
    partner = resources_partner_api.PartnerPayments()
    pair("/api/partner/payments", "/api/partner/v2/payments", partner)
    add("/api/partner/company-payments", partner, suffix="company")
    add("/api/partner/payments/by-ref", partner, suffix="by_ref")
    add("/api/partner/v2/payments/by-ref", partner, suffix="by_ref_v2")
    journal = resources_partner_api.PartnerJournal()
    add("/api/partner/journal", journal)
    add("/api/partner/journal/reverse", journal, suffix="reverse")
    add("/api/partner/v2/journal/reverse", journal, suffix="reverse_v2")
    add("/api/partner/invoices", journal, suffix="invoices")
    add("/api/partner/v2/invoices", journal, suffix="invoices_v2")
    add("/api/partner/callback", resources_partner_api.PartnerCallback())

    # inbound webhooks
    processor = webhooks.ProcessorWebhook()
    pair("/webhooks/processor", "/webhooks/v2/processor", processor)
    add("/webhooks/processor/legacy", processor, suffix="legacy")
    add("/webhooks/screening", webhooks.ScreeningWebhook())


def create_app() -> falcon.asgi.App:
    app = falcon.asgi.App(middleware=[
        Lifespan(),
        middleware.cors_middleware(),
        middleware.PartnerCORSMiddleware(),
        middleware.SecurityHeadersMiddleware(),
        middleware.AuthMiddleware(),
        middleware.CSRFMiddleware(),
        middleware.RequestLogMiddleware(),
    ])
    app.req_options.strip_url_path_trailing_slash = True
    app.add_error_handler(Exception, middleware.handle_unexpected)
    _routes(app)
    return app
