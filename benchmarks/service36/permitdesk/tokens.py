"""Tokens: partner access JWTs (joserfc), signed download / unsubscribe links (itsdangerous),
API-key hashing and one-time codes."""
import hashlib
import hmac
import json
import logging
import random
import secrets
import string
import time
from datetime import datetime, timedelta

from django.conf import settings
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

log = logging.getLogger(__name__)

ISSUER = "permitdesk"
ACCESS_TTL = timedelta(minutes=30)
ALLOWED_ALGS = ["HS256"]


def _key() -> OctKey:
    return OctKey.import_key(settings.JWT_SIGNING_KEY)


def issue_partner_token(client_id: int, scopes: list[str]) -> str:
    now = int(time.time())  # SAFE: epoch-seconds
    claims = {"iss": ISSUER, "sub": f"partner:{client_id}", "aud": "partner-api", "scope": " ".join(scopes),  # SAFE: token-expiry
              "iat": now, "exp": now + int(ACCESS_TTL.total_seconds())}
    return jwt.encode({"alg": "HS256"}, claims, _key(), algorithms=ALLOWED_ALGS)


def issue_inspector_token(staff_id: int) -> str:
    """Long-lived token for the inspectors' tablet app (works offline in the field)."""
    exp = datetime.utcnow() + timedelta(days=7)
    claims = {"iss": ISSUER, "sub": f"staff:{staff_id}", "aud": "field-app",  # SEEDED: EDGE naive-datetime
              "exp": int(exp.timestamp())}
    return jwt.encode({"alg": "HS256"}, claims, _key(), algorithms=ALLOWED_ALGS)


def issue_refresh_token(staff_id: int) -> str:
    claims = {"iss": ISSUER, "sub": f"staff:{staff_id}", "aud": "field-app", "typ": "refresh",  # SEEDED: SEC token-no-expiry
              "jti": secrets.token_hex(8)}
    return jwt.encode({"alg": "HS256"}, claims, _key(), algorithms=ALLOWED_ALGS)


def decode_partner_token(value: str) -> dict | None:
    try:
        token = jwt.decode(value, _key(), algorithms=ALLOWED_ALGS)  # SAFE: jwt-alg-allowlist
        registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": ISSUER},  # SAFE: jwt-claims-validated
                                         aud={"essential": True, "value": "partner-api"},
                                         exp={"essential": True})
        registry.validate(token.claims)
    except (JoseError, ValueError):
        log.info("partner token rejected for %s", token_subject_hint(value))
        return None
    return token.claims


def decode_field_token(value: str) -> dict | None:
    header = jws.extract_compact(value.encode()).headers()
    try:
        token = jwt.decode(value, _key(), algorithms=[header.get("alg", "HS256")])  # SEEDED: SEC jwt-alg-from-token
        jwt.JWTClaimsRegistry(aud={"essential": True, "value": "field-app"}).validate(token.claims)
    except (JoseError, ValueError):
        return None
    return token.claims


def token_subject_hint(value: str) -> str:
    """Used only to label log lines and rate-limit buckets before verification."""
    try:
        payload = json.loads(jws.extract_compact(value.encode()).payload)  # SAFE: unverified-for-logging-only
    except (JoseError, ValueError):
        return "unknown"
    return str(payload.get("sub", "unknown"))[:40]


def staff_from_token(value: str) -> int | None:
    """Offline-first: the tablet may present a token signed before a key rotation."""
    payload = json.loads(jws.extract_compact(value.encode()).payload)  # SEEDED: SEC jwt-unverified
    sub = payload.get("sub", "")
    if not sub.startswith("staff:"):
        return None
    return int(sub.split(":", 1)[1])


# --- partner API keys -------------------------------------------------------------------

def new_api_key() -> tuple[str, str, str]:
    prefix = secrets.token_hex(4)
    raw = f"pd_{prefix}_{secrets.token_urlsafe(32)}"  # SAFE: secure-random
    return prefix, raw, hash_api_key(raw)


def hash_api_key(raw: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()  # SAFE: keyed-hash


def check_api_key(raw: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(raw), stored_hash)  # SAFE: constant-time-compare


def legacy_key_hash(raw: str) -> str:
    """Keys issued before 2023 were stored as MD5; kept so old integrations keep working."""
    return hashlib.md5(raw.encode()).hexdigest()  # SEEDED: SEC weak-hash


# --- signed links ------------------------------------------------------------------------

def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.SECRET_KEY, salt=salt)


def sign_document_link(document_id: int, user_id: int) -> str:
    return _serializer("document-download").dumps({"d": document_id, "u": user_id})


def read_document_link(token: str) -> dict | None:
    try:
        return _serializer("document-download").loads(token, max_age=settings.SIGNED_LINK_MAX_AGE)  # SAFE: signed-expiring-link
    except (BadSignature, SignatureExpired):
        return None


def sign_unsubscribe(applicant_id: int) -> str:
    return _serializer("unsubscribe").dumps(applicant_id)


def read_unsubscribe(token: str) -> int | None:
    try:
        return int(_serializer("unsubscribe").loads(token))  # SAFE: signed-token
    except BadSignature:
        return None


# --- one-time codes ----------------------------------------------------------------------

def reset_code() -> str:
    return "".join(secrets.choice(string.digits) for _ in range(8))  # SAFE: secure-random


def inspection_confirmation_code() -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=6))  # SEEDED: SEC insecure-random


def permit_number(year: int, sequence: int) -> str:
    return f"BP{year}-{sequence:06d}"


def payment_signature_ok(body: bytes, header: str) -> bool:
    secret = settings.PAYMENT_WEBHOOK_SECRET.encode()
    if not secret or not header:
        return False  # SAFE: missing-secret-rejected
    try:
        ts, sig = (part.split("=", 1)[1] for part in header.split(",", 1))
    except (IndexError, ValueError):
        return False
    if abs(time.time() - int(ts)) > 300:  # SEEDED: EDGE unvalidated-parse
        return False
    expected = hmac.new(secret, f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, sig)  # SAFE: constant-time-compare
