"""The Ninja API: one router per module, exception handlers and default throttles."""
import logging
import traceback

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from . import (api_admin, api_applicants, api_auth, api_documents, api_gdpr, api_gis, api_inspections,
               api_partner, api_payments, api_permits, api_records, api_reports, api_reviews,
               api_violations)

log = logging.getLogger(__name__)


class PermitStateError(Exception):
    def __init__(self, permit_number: str, status: str, wanted: str):
        super().__init__(f"{permit_number} is {status}, cannot {wanted}")
        self.status = status


api = NinjaAPI(  # SAFE: docs-hidden-in-production
    title="Permit Desk API",
    version="2.3",
    urls_namespace="permitdesk-api",
    docs_url="/docs" if settings.DEBUG else None,
    throttle=[AnonRateThrottle("60/m"), AuthRateThrottle("600/m")],
)

api.add_router("/auth/", api_auth.router)
api.add_router("/applicants/", api_applicants.router)
api.add_router("/permits/", api_permits.router)
api.add_router("/documents/", api_documents.router)
api.add_router("/payments/", api_payments.router)
api.add_router("/reviews/", api_reviews.router)
api.add_router("/inspections/", api_inspections.router)
api.add_router("/violations/", api_violations.router)
api.add_router("/public/", api_records.router)
api.add_router("/gis/", api_gis.router)
api.add_router("/admin/", api_admin.router)
api.add_router("/reports/", api_reports.router)
api.add_router("/partner/", api_partner.router)
api.add_router("/privacy/", api_gdpr.router)


@api.exception_handler(PermitStateError)
def permit_state(request, exc: PermitStateError):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(ObjectDoesNotExist)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)  # SAFE: generic-error


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    log.warning("integrity error on %s: %s", request.path, exc)
    return api.create_response(request, {"detail": "Conflict"}, status=409)  # SAFE: generic-error


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(request, {"detail": "Invalid request", "errors": exc.errors}, status=422)


@api.exception_handler(Exception)
def unexpected(request, exc: Exception):
    log.exception("unhandled error on %s", request.path)
    return api.create_response(request, {"detail": "Internal error", "type": type(exc).__name__,  # SEEDED: SEC stack-trace-exposure
                                         "trace": traceback.format_exc()}, status=500)
