"""Authentication: cookie sessions for staff and owners, bearer JWTs for the mobile app,
password hashing, tokens and signatures."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import secrets
import time
from dataclasses import dataclass

import bcrypt
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken
from pyramid.authentication import AuthTktCookieHelper
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.request import RequestLocalCache

from .config import get_settings

log = logging.getLogger(__name__)
_argon = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)
JWT_ALGORITHM = "HS256"
API_TOKEN_TTL = 3600


@dataclass
class Identity:
    user_id: int
    role: str
    clinic_id: int | None
    owner_id: int | None = None
    scopes: tuple[str, ...] = ()
    via_token: bool = False


def hash_password(password: str) -> str:
    return _argon.hash(password)  # SAFE: strong-password-hash


def verify_password(stored: str, password: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            return _argon.verify(stored, password)
        except VerifyMismatchError:
            return False
    if stored.startswith("$2b$"):
        return bcrypt.checkpw(password.encode(), stored.encode())  # SAFE: bcrypt-verify
    return False


def legacy_sha1(password: str) -> str:
    return hashlib.sha1(password.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def hash_kiosk_pin(pin: str) -> str:
    return hashlib.sha256(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def make_reset_code() -> str:
    return "".join(random.choice("0123456789") for _ in range(6))  # SEEDED: SEC insecure-random


def make_invite_token() -> str:
    return secrets.token_urlsafe(32)  # SAFE: secrets-token


def make_booking_reference() -> str:
    return "BK-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))  # SAFE: secrets-token


def jitter_seconds(base: float) -> float:
    return base + random.uniform(0, base / 2)  # SAFE: random-for-jitter


def issue_api_token(user_id: int, clinic_id: int | None, scopes: list[str]) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "clinic": clinic_id, "scope": " ".join(scopes),
              "iat": now, "exp": now + API_TOKEN_TTL, "aud": "vetclinic-mobile", "iss": "vetclinic"}
    return jwt.encode(claims, get_settings().jwt_secret, algorithm=JWT_ALGORITHM)


def decode_api_token(token: str) -> dict | None:
    try:
        return jwt.decode(token, get_settings().jwt_secret, algorithms=[JWT_ALGORITHM],  # SAFE: jwt-verified
                          audience="vetclinic-mobile", issuer="vetclinic",
                          options={"require": ["exp", "sub", "aud"]})
    except jwt.PyJWTError:
        return None


def decode_partner_token(token: str) -> dict:
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, get_settings().jwt_secret, algorithms=[header.get("alg", "HS256")])  # SEEDED: SEC jwt-alg-from-token


def peek_token_clinic(token: str) -> int | None:
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    return claims.get("clinic")


def issue_refresh_token(user_id: int) -> str:
    return jwt.encode({"sub": str(user_id), "typ": "refresh"}, get_settings().jwt_secret, algorithm=JWT_ALGORITHM)  # SEEDED: SEC token-no-expiry


def sign(payload: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def verify_lab_signature(body: bytes, header: str | None) -> bool:
    if not header:
        return False
    expected = sign(body, get_settings().lab_webhook_secret)
    return hmac.compare_digest(expected, header)  # SAFE: constant-time-compare


def verify_download_signature(path: str, expires: str, signature: str) -> bool:
    if int(expires) < time.time():
        return False
    expected = sign(f"{path}:{expires}".encode(), get_settings().session_secret)
    return expected == signature  # SEEDED: SEC timing-compare


def signed_download(path: str, ttl: int = 300) -> str:
    expires = str(int(time.time()) + ttl)
    return f"{path}?expires={expires}&sig={sign(f'{path}:{expires}'.encode(), get_settings().session_secret)}"


def _fernet() -> Fernet:
    return Fernet(get_settings().fernet_key.encode())


def encrypt_field(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()  # SAFE: fernet-encrypt


def decrypt_field(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode(), ttl=None).decode()
    except InvalidToken:
        return None


def obfuscate_id(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode()  # SAFE: not-a-secret


class ClinicSecurityPolicy:
    """Cookie (AuthTkt) for browsers, bearer JWT for the mobile API."""

    def __init__(self, secret: str):
        self.helper = AuthTktCookieHelper(secret, hashalg="sha512", secure=True, http_only=True,  # SAFE: cookie-flags
                                          samesite="Lax", max_age=8 * 3600)
        self.identity_cache = RequestLocalCache(self.load_identity)
        self.acl = ACLHelper()

    def load_identity(self, request) -> Identity | None:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            claims = decode_api_token(auth[7:])
            if claims is None:
                return None
            return Identity(int(claims["sub"]), "owner", claims.get("clinic"),
                            scopes=tuple(claims.get("scope", "").split()), via_token=True)
        ticket = self.helper.identify(request)
        if ticket is None:
            return None
        user_id = ticket["userid"]
        row = request.db.execute(  # SAFE: sql-param
            "SELECT id, role, clinic_id, owner_id, active FROM users WHERE id = %s", (int(user_id),)
        ).fetchone()
        if row is None or not row["active"]:
            return None
        return Identity(row["id"], row["role"], row["clinic_id"], row["owner_id"])

    def identity(self, request):
        return self.identity_cache.get_or_create(request)

    def authenticated_userid(self, request):
        ident = self.identity(request)
        return ident.user_id if ident is not None else None

    def permits(self, request, context, permission):
        principals = [Everyone]
        ident = self.identity(request)
        if ident is not None:
            principals += [Authenticated, f"user:{ident.user_id}", f"role:{ident.role}"]
            if ident.clinic_id is not None:
                principals.append(f"clinic:{ident.clinic_id}")
                principals.append(f"clinic:{ident.clinic_id}:{ident.role}")
            if ident.owner_id is not None:
                principals.append(f"owner:{ident.owner_id}")
            principals += [f"scope:{s}" for s in ident.scopes]
        return self.acl.permits(context, principals, permission)

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)


def require_scope(request, scope: str) -> None:
    from pyramid.httpexceptions import HTTPForbidden

    ident = request.identity
    if ident is None or scope not in ident.scopes:  # SAFE: scope-checked
        raise HTTPForbidden(json_body={"error": "insufficient_scope", "scope": scope})


def require_any_token(request) -> Identity:
    from pyramid.httpexceptions import HTTPUnauthorized

    ident = request.identity
    if ident is None or not ident.via_token:
        raise HTTPUnauthorized(json_body={"error": "token_required"})
    return ident
