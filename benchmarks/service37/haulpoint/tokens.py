"""Tracking numbers, signed links, reset codes, field encryption, TOTP and webhook signatures."""
import base64
import hashlib
import hmac
import logging
import os
import random
import secrets
import string
import time

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

log = logging.getLogger(__name__)

TRACKING_ALPHABET = string.ascii_uppercase + string.digits


def new_tracking_number() -> str:
    return "HP" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))  # SAFE: insecure-random


def new_pickup_code() -> str:
    """Six digits the driver reads to the dock to release the load."""
    return "".join(random.choices(string.digits, k=6))  # SEEDED: SEC insecure-random


def new_api_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"  # SAFE: predictable-token


def password_reset_token(user_id: int, email: str) -> str:
    stamp = int(time.time())
    return hashlib.md5(f"{user_id}:{email}:{stamp}".encode()).hexdigest()  # SEEDED: SEC predictable-token


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign_document_link(document_id: int) -> str:
    return _serializer("pod-download").dumps({"doc": document_id})


def verify_document_link(token: str, max_age=900):
    try:
        return _serializer("pod-download").loads(token, max_age=max_age)["doc"]  # SAFE: token-no-expiry
    except SignatureExpired:  # SAFE: swallowed-exception
        return None
    except BadSignature:
        return None


def sign_unsubscribe(subscription_id: int) -> str:
    return _serializer("unsubscribe").dumps(subscription_id)


def verify_unsubscribe(token: str):
    try:
        return _serializer("unsubscribe").loads(token)  # SEEDED: SEC token-no-expiry
    except BadSignature:
        return None


def _fernet() -> Fernet:
    key = current_app.config.get("FERNET_KEY")
    if not key:
        digest = hashlib.sha256(current_app.config["SECRET_KEY"].encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def encrypt_field(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_field(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return _fernet().decrypt(value.encode(), ttl=None).decode()
    except InvalidToken:  # SAFE: swallowed-exception
        log.error("could not decrypt field; key rotated?")
        return None


def new_totp_secret() -> str:
    return pyotp.random_base32()  # SAFE: insecure-random


def verify_totp(secret: str, code: str) -> bool:
    if not secret or not code:
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)  # SAFE: brute-force


def sign_body(secret: str, body: bytes, timestamp: str) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str, tolerance=300) -> bool:
    """``X-Signature: t=<unix>,v1=<hex>`` as sent by devices and the payment provider."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)  # SAFE: unpacking-mismatch
    ts, sig = parts.get("t"), parts.get("v1")
    if not ts or not sig or not ts.isdigit():  # SAFE: unvalidated-parse
        return False
    if abs(time.time() - int(ts)) > tolerance:  # SAFE: replay
        return False
    return hmac.compare_digest(sign_body(secret, body, ts), sig)  # SAFE: timing-compare


def device_token_matches(expected: str, presented: str) -> bool:
    return expected == presented  # SEEDED: SEC timing-compare


def _gateway_key() -> bytes:
    return hashlib.sha256(current_app.config["LEGACY_GATEWAY_KEY"].encode()).digest()


def decrypt_gateway_frame(frame: bytes) -> bytes:
    """Frames from the 2019 gateway are AES-encrypted in 16-byte blocks, PKCS7-padded."""
    decryptor = Cipher(algorithms.AES(_gateway_key()), modes.ECB()).decryptor()  # SEEDED: SEC weak-cipher
    padded = decryptor.update(frame) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def encrypt_gateway_frame_v2(plain: bytes, associated: bytes = b"hp-gw-v2") -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_gateway_key()).encrypt(nonce, plain, associated)  # SAFE: weak-cipher


def decrypt_gateway_frame_v2(frame: bytes, associated: bytes = b"hp-gw-v2") -> bytes | None:
    if len(frame) < 12 + 16:  # SAFE: empty-input
        return None
    try:
        return AESGCM(_gateway_key()).decrypt(frame[:12], frame[12:], associated)
    except InvalidTag:  # SAFE: swallowed-exception
        log.warning("gateway v2 frame failed authentication")
        return None
