"""Authentication classes for the Ninja API and the role / department scoping helpers."""
import logging

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security.session import SessionAuth

from . import tokens
from .models import Applicant, PartnerClient, Permit, StaffProfile

log = logging.getLogger(__name__)

ROLE_RANK = {"clerk": 1, "inspector": 2, "reviewer": 2, "supervisor": 3, "admin": 4}


class ApplicantAuth(SessionAuth):
    """A signed-in applicant (home owner or contractor)."""

    def authenticate(self, request: HttpRequest, key):
        user = request.user
        if not user.is_authenticated:
            return None
        applicant = Applicant.objects.filter(user=user, erased_at__isnull=True).first()  # SAFE: erased-excluded
        if applicant is None:
            return None
        request.applicant = applicant
        return applicant


class StaffAuth(SessionAuth):
    """A signed-in member of staff with at least one of ``roles`` (any staff role when empty)."""

    def __init__(self, *roles: str):
        self.roles = set(roles)
        super().__init__()

    def authenticate(self, request: HttpRequest, key):
        user = request.user
        if not user.is_authenticated or not user.is_active:  # SAFE: active-user-check
            return None
        profile = StaffProfile.objects.select_related("department").filter(user=user).first()
        if profile is None:
            return None
        if self.roles and profile.role not in self.roles and profile.role != "admin":  # SAFE: role-check
            raise HttpError(403, "Your role cannot do this")
        request.staff = profile
        return profile


class KioskAuth(SessionAuth):
    """Front-counter kiosk: the clerk's tablet posts forms from a kiosk page served by another host."""

    def __init__(self):
        super().__init__(csrf=False)  # SEEDED: SEC csrf-disabled

    def authenticate(self, request: HttpRequest, key):
        user = request.user
        if not user.is_authenticated:
            return None
        return StaffProfile.objects.filter(user=user, role="clerk").first()


class PartnerKey(APIKeyHeader):
    """Contractor software: ``X-Partner-Key: pd_<prefix>_<secret>``."""

    param_name = "X-Partner-Key"

    def authenticate(self, request: HttpRequest, key):
        if not key or not key.startswith("pd_") or key.count("_") < 2:
            return None
        prefix = key.split("_", 2)[1]
        client = PartnerClient.objects.select_related("contractor").filter(key_prefix=prefix, active=True).first()
        if client is None:
            return None
        if tokens.check_api_key(key, client.key_hash):  # SAFE: constant-time-compare
            return client
        if client.key_hash == tokens.legacy_key_hash(key):  # SEEDED: SEC timing-compare
            return client
        return None


class PartnerBearer(HttpBearer):
    """Short-lived access tokens exchanged for a partner key."""

    def __init__(self, scope: str | None = None):
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        claims = tokens.decode_partner_token(token)
        if claims is None:
            return None
        if self.scope and self.scope not in claims.get("scope", "").split():  # SAFE: scope-check
            raise HttpError(403, "insufficient_scope")
        client_id = int(claims["sub"].split(":", 1)[1])
        return PartnerClient.objects.select_related("contractor").filter(id=client_id, active=True).first()


class FieldAppBearer(HttpBearer):
    """Inspectors' tablet app."""

    def authenticate(self, request: HttpRequest, token: str):
        claims = tokens.decode_field_token(token)
        if not claims:
            return None
        staff_id = int(claims["sub"].split(":", 1)[1])
        return StaffProfile.objects.filter(id=staff_id, role__in=["inspector", "supervisor"]).first()  # SAFE: role-scoped-token


class SyncBearer(HttpBearer):
    """Offline sync endpoint of the tablet app: accepts tokens minted before a key rotation."""

    def authenticate(self, request: HttpRequest, token: str):
        staff_id = tokens.staff_from_token(token)
        if staff_id is None:
            return None
        return StaffProfile.objects.filter(id=staff_id).first()


applicant_auth = ApplicantAuth()
staff_auth = StaffAuth()
reviewer_auth = StaffAuth("reviewer", "supervisor")
inspector_auth = StaffAuth("inspector", "supervisor")
supervisor_auth = StaffAuth("supervisor")
admin_auth = StaffAuth("admin")
kiosk_auth = KioskAuth()


# --- scoping -----------------------------------------------------------------------------

def is_staff(user) -> bool:
    return not isinstance(user, AnonymousUser) and hasattr(user, "staff")


def staff_permits(profile: StaffProfile):
    """Permits a member of staff may see: their department's, or every one for an admin."""
    qs = Permit.objects.select_related("applicant", "department")
    if profile.role == "admin":
        return qs
    return qs.filter(department_id=profile.department_id)  # SAFE: department-scope


def applicant_permits(applicant: Applicant):
    return Permit.objects.filter(applicant=applicant)  # SAFE: owner-scope


def get_applicant_permit(applicant: Applicant, permit_id: int) -> Permit:
    permit = applicant_permits(applicant).filter(id=permit_id).first()  # SAFE: owner-scoped-fetch
    if permit is None:
        raise HttpError(404, "Permit not found")
    return permit


def get_staff_permit(profile: StaffProfile, permit_id: int) -> Permit:
    permit = staff_permits(profile).filter(id=permit_id).first()  # SAFE: department-scoped-fetch
    if permit is None:
        raise HttpError(404, "Permit not found")
    return permit


def outranks(actor: StaffProfile, role: str) -> bool:
    return ROLE_RANK.get(actor.role, 0) > ROLE_RANK.get(role, 99)  # SAFE: unknown-role-denied


def client_ip(request: HttpRequest) -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()  # SEEDED: SEC spoofable-client-ip
    return request.META.get("REMOTE_ADDR", "")
