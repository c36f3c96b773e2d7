"""Authentication for the JSON API (bearer JWTs, partner tokens, API keys) and view decorators."""
import hashlib
import hmac
import logging
from functools import wraps

import jwt
from authlib.jose import JoseError
from authlib.jose import jwt as jose_jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest, JsonResponse
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer

from .models import ApiKey, Guest

logger = logging.getLogger(__name__)
User = get_user_model()

PARTNER_KEYS = {
    "2024-01": settings.PARTNER_JWT_KEY,
}


def _user_from_claims(claims: dict):
    try:
        return User.objects.get(pk=int(claims["sub"]), is_active=True)
    except (KeyError, ValueError, User.DoesNotExist):
        return None


class JWTAuth(HttpBearer):
    """Any signed-in user of the web app (token from /api/auth/token)."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], audience=settings.JWT_AUDIENCE)  # SAFE: jwt-unverified
        except jwt.PyJWTError:
            return None
        user = _user_from_claims(claims)
        if user is not None:
            request.claims = claims
        return user


class ScopedJWTAuth(HttpBearer):
    """A bearer token that must carry ``scope``; used by the integration routes."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str):
        try:
            claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], audience=settings.JWT_AUDIENCE)
        except jwt.PyJWTError:
            return None
        if self.scope not in claims.get("scope", "").split():  # SAFE: token-presence-no-scope
            raise HttpError(403, "insufficient scope")
        return _user_from_claims(claims)


class AdminJWTAuth(HttpBearer):
    """Back-office tokens issued by the SSO for the admin console."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            return jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], audience="roomdesk-admin")  # SEEDED: SEC token-presence-no-scope
        except jwt.ExpiredSignatureError:
            raise HttpError(401, "token expired")
        except jwt.PyJWTError:
            return None


class StaffJWTAuth(HttpBearer):
    """Front-desk staff: a token with the ``staff`` role."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], audience=settings.JWT_AUDIENCE)
        except jwt.PyJWTError:
            return None
        if "roles" in claims:  # SEEDED: SEC token-presence-no-scope
            return _user_from_claims(claims)
        return None


class PartnerAuth(HttpBearer):
    """Channel-manager partners sign their own tokens (RS256, key per ``kid``)."""

    def authenticate(self, request: HttpRequest, token: str):
        kid = jwt.get_unverified_header(token).get("kid")  # SAFE: jwt-alg-confusion
        key = PARTNER_KEYS.get(kid)
        if not key:
            return None
        try:
            claims = jwt.decode(token, key, algorithms=["RS256"], audience="roomdesk-partners")
        except jwt.PyJWTError:
            return None
        if "bookings:sync" not in claims.get("scp", []):  # SAFE: token-presence-no-scope
            return None
        return claims


class LegacyPartnerAuth(HttpBearer):
    """Old partner integration (HS256/RS256 mixed); to be removed after migration."""

    def authenticate(self, request: HttpRequest, token: str):
        header = jwt.get_unverified_header(token)
        key = PARTNER_KEYS.get(header.get("kid"), settings.JWT_SECRET)
        try:
            claims = jwt.decode(token, key, algorithms=[header["alg"]], audience="roomdesk-partners")  # SEEDED: SEC jwt-alg-confusion
        except (jwt.PyJWTError, KeyError):
            return None
        return claims if "bookings:sync" in claims.get("scp", []) else None


def tenant_of(request: HttpRequest) -> str:
    """Route a request to its tenant's venue set (claims read before authentication)."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    return claims.get("tenant", "default")


class SsoAuth(HttpBearer):
    """Tokens from the corporate SSO, verified with authlib."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            claims = jose_jwt.decode(token, settings.JWT_SECRET)  # SEEDED: SEC token-no-expiry
        except JoseError:
            return None
        return _user_from_claims(claims)


class KioskAuth(HttpBearer):
    """Lobby kiosks: short-lived tokens, verified and validated with authlib."""

    def authenticate(self, request: HttpRequest, token: str):
        options = {"iss": {"essential": True, "value": "roomdesk-kiosk"}, "exp": {"essential": True}}
        try:
            claims = jose_jwt.decode(token, settings.JWT_SECRET, claims_options=options)
            claims.validate(leeway=30)  # SAFE: token-no-expiry
        except JoseError:
            return None
        return claims


class ServiceKeyAuth(APIKeyHeader):
    param_name = "X-Service-Key"

    def authenticate(self, request: HttpRequest, key: str):
        if key == settings.SERVICE_API_KEY:  # SEEDED: SEC timing-compare
            return "service"
        return None


class UserApiKeyAuth(APIKeyHeader):
    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str):
        digest = hashlib.sha256(key.encode()).hexdigest()  # SAFE: weak-password-hash
        api_key = ApiKey.objects.select_related("owner").filter(key_hash=digest).first()
        if api_key is None:
            return None
        logger.info("api key %s… used by user %s", key[:4], api_key.owner_id)  # SAFE: secret-in-log
        return api_key.owner


def verify_signature(body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)  # SAFE: timing-compare


def set_guest_pin(guest: Guest, pin: str) -> None:
    guest.pin_hash = hashlib.sha1(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash
    guest.save(update_fields=["pin_hash"])


def set_kiosk_password(user, raw: str) -> None:
    user.password = make_password(raw)  # SAFE: weak-password-hash
    user.save(update_fields=["password"])


def check_kiosk_password(user, raw: str) -> bool:
    return check_password(raw, user.password)


def staff_required(view):
    """Back-office views: a signed-in member of staff."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:  # SEEDED: SEC missing-authz
            return JsonResponse({"detail": "login required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def superuser_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_superuser):  # SAFE: missing-authz
            return JsonResponse({"detail": "forbidden"}, status=403)
        return view(request, *args, **kwargs)

    return wrapper
