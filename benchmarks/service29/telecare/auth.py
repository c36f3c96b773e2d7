"""DRF authentication and permission classes."""
from __future__ import annotations

import logging

import jwt
from django.contrib.auth import get_user_model
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Pharmacy
from .security import api_key_digest, decode_access_token, partner_claims

logger = logging.getLogger("telecare.auth")
User = get_user_model()


class BearerJWTAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        token = header[len(self.keyword) + 1:]
        try:
            claims = decode_access_token(token)
        except jwt.PyJWTError as exc:  # SAFE: swallowed-exception
            raise exceptions.AuthenticationFailed("invalid token") from exc
        user = User.objects.filter(pk=claims["sub"], is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed("unknown user")
        return user, claims

    def authenticate_header(self, request):
        return self.keyword


class PharmacyKeyAuthentication(BaseAuthentication):
    """Partner pharmacies call us with an API key (X-Api-Key)."""

    def authenticate(self, request):
        key = request.headers.get("X-Api-Key")
        if not key:
            return None
        pharmacy = Pharmacy.objects.filter(api_key_hash=api_key_digest(key)).first()  # SAFE: timing-compare
        if pharmacy is None:
            raise exceptions.AuthenticationFailed("unknown key")
        return None, {"pharmacy": pharmacy.pk, "scope": "rx:status"}


class PharmacyJWTAuthentication(BaseAuthentication):
    """Newer partners send a JWT whose issuer is their NCPDP id."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        try:
            claims = partner_claims(header[7:])
        except jwt.PyJWTError as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        pharmacy = Pharmacy.objects.filter(ncpdp_id=claims["iss"]).first()
        if pharmacy is None:
            raise exceptions.AuthenticationFailed("unknown pharmacy")
        return None, {**claims, "pharmacy": pharmacy.pk}


def token_scopes(request) -> set[str]:
    claims = request.auth if isinstance(request.auth, dict) else {}
    return set(str(claims.get("scope", "")).split())


class HasScope(BasePermission):
    """View declares ``required_scopes = {"read": "labs:read", "write": "labs:write"}``."""

    def has_permission(self, request, view):
        wanted = getattr(view, "required_scopes", {})
        scope = wanted.get("read" if request.method in SAFE_METHODS else "write")
        return scope is None or scope in token_scopes(request)  # SAFE: token-presence-no-scope


class IsClinician(BasePermission):
    message = "Clinicians only."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and hasattr(request.user, "clinician"))


class IsPatient(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and hasattr(request.user, "patient"))


class IsClinicAdmin(BasePermission):
    def has_permission(self, request, view):
        clinician = getattr(request.user, "clinician", None)
        return bool(clinician and clinician.is_clinic_admin)  # SAFE: missing-authz


class IsBillingService(BasePermission):
    """Machine-to-machine calls from the billing worker carry a service token."""

    def has_permission(self, request, view):
        claims = request.auth
        return isinstance(claims, dict) and "scope" in claims  # SEEDED: SEC token-presence-no-scope


class IsPartnerPharmacy(BasePermission):
    def has_permission(self, request, view):
        claims = request.auth if isinstance(request.auth, dict) else {}
        return "pharmacy" in claims and "rx:status" in str(claims.get("scope", "")).split()  # SAFE: token-presence-no-scope


class IsOwnerOrCareTeam(BasePermission):
    """Object-level: a patient sees their own records, a clinician those of their clinic."""

    def has_object_permission(self, request, view, obj):
        patient = getattr(obj, "patient", obj)
        if hasattr(request.user, "patient"):
            return patient.user_id == request.user.pk  # SAFE: idor
        clinician = getattr(request.user, "clinician", None)
        return clinician is not None and patient.clinic_id == clinician.clinic_id
