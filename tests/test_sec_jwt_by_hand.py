"""SEC007: a JWT's claims read by hand without verifying its signature (issue #20).

Spec: flagged where a token's payload segment (``token.split(".")[1]``, ``parts[1]`` of a
``.split(".")``, the second name of ``h, p, s = token.split(".")``) is base64-decoded (with or
without the ``=`` padding) and ``json.loads``-ed, and the claims are used (returned, a claim
read), in code that handles a token (a ``token``/``jwt``/``bearer`` name, or the
``Authorization`` header). Not flagged: the same function verifies the token (``jwt.decode``
with a key, a ``verify``/``hmac``/``compare_digest`` call), the header segment (``[0]``, to read
``kid``/``alg``), a value that is no token (a cursor, a cookie blob), claims thrown away, a
function named ``unverified``, and test files.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

SRC = '''
import base64
import hmac
import json

import jwt
from flask import request


def claims_of(token):
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))  # !


def current_user_id():
    auth = request.headers.get("Authorization", "")
    parts = auth.removeprefix("Bearer ").split(".")
    data = json.loads(base64.urlsafe_b64decode(parts[1] + "==").decode())  # !
    return data["sub"]


def roles(id_token: str):
    header, body, signature = id_token.split(".")
    raw = base64.b64decode(body + "=" * (4 - len(body) % 4))  # !
    claims = json.loads(raw)
    return claims.get("roles", [])


def verified_first(token, key):
    jwt.decode(token, key, algorithms=["HS256"])
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=="))


def hand_verified(token, key):
    head, body, sig = token.split(".")
    expected = hmac.new(key, f"{head}.{body}".encode(), "sha256").hexdigest()
    if not hmac.compare_digest(expected, sig):
        raise ValueError("bad signature")
    return json.loads(base64.urlsafe_b64decode(body + "=="))


def key_for(token, keys):
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    return jwt.decode(token, keys[header["kid"]], algorithms=["RS256"])


def cursor_of(value):
    page = value.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(page + "=="))


def thrown_away(token):
    json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return token


def get_unverified_claims(token):
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


class ApiClient:
    def token_expired(self, now):
        payload = self.access_token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=="))["exp"] < now


def login_callback(resp):
    id_token = resp.json()["id_token"]
    claims = json.loads(base64.urlsafe_b64decode(id_token.split(".")[1] + "=="))
    return claims["email"]


def expires_at(token):
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return claims.get("exp")


def email_of(token):
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))  # !
    return claims.get("email")


def peek_payload(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=="))
'''


SOURCES = (SRC, SRC.replace("from flask import request\n", ""))


def _flagged(src: str, path: str = "auth.py") -> tuple[list[int], list[int]]:
    src = textwrap.dedent(src)
    flagged = sorted(f.line for f in check_source(src, path=path, ctx=CTX) if f.code == "SEC007")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    return flagged, marked


def test_claims_read_by_hand_without_verification():
    flagged, marked = _flagged(SRC)
    assert flagged == marked


def test_not_in_test_files():
    flagged, _ = _flagged(SRC, path="tests/test_auth.py")
    assert flagged == []


def test_gated_walk():
    for src in SOURCES:
        gated_walk_loses_nothing(src, "app/module.py")
