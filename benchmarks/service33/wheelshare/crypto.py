"""Field encryption for driver-licence numbers and document fingerprints."""
from __future__ import annotations

import hashlib

from cryptography.fernet import Fernet, InvalidToken

from .config import settings

_fernet = Fernet(settings.licence_key.encode()) if settings.licence_key else None


def _cipher() -> Fernet:
    if _fernet is None:
        raise RuntimeError("WHEELSHARE_LICENCE_FERNET_KEY is not configured")
    return _fernet


def encrypt_licence(number: str) -> str:
    return _cipher().encrypt(number.strip().upper().encode()).decode()  # SAFE: weak-crypto


def decrypt_licence(token: str) -> str | None:
    try:
        return _cipher().decrypt(token.encode(), ttl=None).decode()
    except InvalidToken:
        return None


def licence_last4(token: str) -> str:
    number = decrypt_licence(token)
    return number[-4:]  # SEEDED: EDGE none-input


def licence_lookup_hash(number: str) -> str:
    return hashlib.md5(number.strip().upper().encode()).hexdigest()  # SEEDED: SEC weak-hash


def photo_etag(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # SAFE: weak-hash


def document_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()  # SAFE: weak-hash
