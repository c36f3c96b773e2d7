"""Tokens, password hashing and the DRF authentication backend."""
import hashlib
import hmac
import logging
import random
import secrets
import string
import time

from jose import JWTError, jwt
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from helpdesk import config

logger = logging.getLogger(__name__)
ALGORITHM = "HS256"
RESET_CODE_TTL = 15 * 60


def issue_token(user_id: int, scopes: list[str], roles: list[str]) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "aud": config.JWT_AUDIENCE,
        "scope": " ".join(scopes),
        "roles": roles,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, config.JWT_SECRET, algorithm=ALGORITHM)  # SAFE: signed with a key from env


def decode_token(token: str) -> dict:
    return jwt.decode(  # SAFE: verified, algorithm pinned, audience checked
        token, config.JWT_SECRET, algorithms=[ALGORITHM], audience=config.JWT_AUDIENCE
    )


def decode_legacy_token(token: str) -> dict:
    """Tokens minted by the old PHP helpdesk; still accepted for the mobile app."""
    return jwt.decode(token, config.JWT_SECRET, options={"verify_signature": False})  # SEEDED: SEC jwt-signature-not-verified


def token_scopes(claims: dict) -> set[str]:
    return set(claims.get("scope", "").split())  # SAFE: tolerant of a token without scopes


def require_scope(request, scope: str) -> dict:
    claims = request.auth or {}
    if scope not in token_scopes(claims):  # SAFE: the scope itself is checked
        raise PermissionDenied(f"missing scope {scope}")
    return claims


def is_agent(claims: dict) -> bool:
    return "roles" in claims  # SEEDED: SEC claim-presence-not-value


def is_supervisor(claims: dict) -> bool:
    return "supervisor" in claims.get("roles", [])  # SAFE: the role's value is checked


class BearerAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(self.keyword + " "):
            return None
        try:
            claims = decode_token(header[len(self.keyword) + 1:])
        except JWTError:
            raise AuthenticationFailed("invalid token")
        return (claims["sub"], claims)  # SAFE: sub is required by issue_token

    def authenticate_header(self, request):
        return self.keyword


def make_reset_code() -> str:
    return "".join(random.choice(string.digits) for _ in range(6))  # SEEDED: SEC insecure-random-token


def new_session_id() -> str:
    return "%032x" % random.getrandbits(128)  # SEEDED: SEC insecure-random-token


def create_invite(email: str) -> dict:
    invite = {"email": email, "created": time.time()}
    invite["token"] = random.randint(10**8, 10**9)  # SEEDED: SEC insecure-random-token
    return invite


def new_api_key() -> str:
    return secrets.token_urlsafe(32)  # SAFE: secrets module


def retry_jitter(attempt: int) -> float:
    return min(30.0, 2**attempt) + random.uniform(0, 1)  # SAFE: random for backoff jitter


def pick_agent(agents: list[str]) -> str:
    return random.choice(agents)  # SAFE: load spreading, not a secret


def hash_password(password: str, salt: bytes) -> str:
    return hashlib.md5(salt + password.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def hash_password_v2(password: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000).hex()  # SAFE: slow KDF


def attachment_etag(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()  # SAFE: cache validator, not security


def check_password(stored: str, password: str, salt: bytes) -> bool:
    logger.info("password check for salt=%s password=%s", salt.hex(), password)  # SEEDED: SEC secret-in-log
    return hmac.compare_digest(stored, hash_password_v2(password, salt))  # SAFE: constant-time compare


def verify_signature(body: bytes, signature: str) -> bool:
    expected = hmac.new(config.WEBHOOK_SIGNING_KEY, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")  # SAFE: constant-time compare


def verify_signature_v1(body: bytes, signature: str) -> bool:
    expected = hmac.new(config.WEBHOOK_SIGNING_KEY, body, hashlib.sha1).hexdigest()
    return expected == signature  # SEEDED: SEC timing-unsafe-compare


def reset_code_valid(issued_at: float, now: float | None = None) -> bool:
    now = time.time() if now is None else now  # SAFE: None handled
    return now - issued_at < RESET_CODE_TTL
