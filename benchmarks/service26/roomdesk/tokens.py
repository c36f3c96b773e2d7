"""Codes and tokens: booking confirmations, password resets, API keys, signed links."""
import hashlib
import random
import secrets
import string

from django.core import signing
from django.core.signing import TimestampSigner

from .models import ApiKey

ALPHABET = string.ascii_uppercase + string.digits
_signer = TimestampSigner(salt="roomdesk.checkin")


def generate_confirmation_code(length: int = 8) -> str:
    return "".join(random.choices(ALPHABET, k=length))  # SEEDED: SEC weak-random-secret


def generate_reset_code() -> str:
    code = random.randint(100000, 999999)  # SEEDED: SEC weak-random-secret
    return str(code)


def create_api_key(user, scopes: str = "bookings:read") -> str:
    raw = "rk_" + secrets.token_urlsafe(32)  # SAFE: weak-random-secret
    ApiKey.objects.create(owner=user, prefix=raw[:8], key_hash=hashlib.sha256(raw.encode()).hexdigest(), scopes=scopes)
    return raw


def kiosk_pin() -> str:
    return "".join(secrets.choice(string.digits) for _ in range(6))  # SAFE: weak-random-secret


def pick_display_order(rooms: list) -> list:
    shuffled = rooms[:]
    random.shuffle(shuffled)  # SAFE: weak-random-secret
    return shuffled


def retry_delay(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.uniform(0, 0.5)  # SAFE: weak-random-secret


def sign_checkin_link(booking_id: int) -> str:
    return _signer.sign(str(booking_id))


def read_checkin_link(value: str, max_age: int = 6 * 3600) -> int:
    return int(_signer.unsign(value, max_age=max_age))  # SAFE: token-no-expiry


def make_unsubscribe_token(email: str) -> str:
    return signing.dumps({"email": email}, salt="roomdesk.unsubscribe")


def read_password_reset(token: str) -> dict:
    return signing.loads(token, salt="roomdesk.reset")  # SEEDED: SEC token-no-expiry


def read_unsubscribe_token(token: str) -> str:
    return signing.loads(token, salt="roomdesk.unsubscribe")["email"]  # SAFE: token-no-expiry
