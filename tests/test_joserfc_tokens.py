"""SEC007 / SEC021 on joserfc (1.8) tokens (issue #20, service36).

Verified against the installed joserfc: ``jwt.encode(header, claims, key, algorithms=...)`` takes the
claims second; ``jws.extract_compact(value)`` parses a compact JWS without checking its signature
(``validate_compact(obj, key)`` is the check), its ``.headers()`` is the token's own header and its
``.payload`` the claims' bytes as the sender wrote them.

Specification:
- SEC021: an access token encoded by joserfc whose claims name a subject and carry no ``exp`` is
  reported like PyJWT's; with ``exp`` it is not.
- SEC007: ``algorithms=[header.get("alg")]`` where ``header = jws.extract_compact(...).headers()``
  lets the token choose its algorithm (reported); a header checked against an allow-list first is not.
- SEC007: ``json.loads(jws.extract_compact(token).payload)`` whose claims are used, in a function that
  does not verify (no ``validate_compact``, no ``jwt.decode``), is reported; a function that validates
  the extracted object, or one named for a hint (``token_subject_hint``: a label, not a credential)
  or for peeking, is not.
"""

from __future__ import annotations

from test_security import lines

ENCODE = """
import time
from joserfc import jwt
from joserfc.jwk import OctKey

KEY = OctKey.import_key("secret")

def refresh_token(staff_id):
    claims = {"iss": "me", "sub": f"staff:{staff_id}", "typ": "refresh"}
    return jwt.encode({"alg": "HS256"}, claims, KEY, algorithms=["HS256"])

def access_token(staff_id):
    claims = {"iss": "me", "sub": f"staff:{staff_id}", "exp": int(time.time()) + 600}
    return jwt.encode({"alg": "HS256"}, claims, KEY, algorithms=["HS256"])

def assertion(client_id):
    return jwt.encode({"alg": "HS256"}, {"iss": client_id, "payer": 1}, KEY)
"""


def test_joserfc_token_without_exp() -> None:
    assert lines(ENCODE, "SEC021") == [10]


HEADER = """
from joserfc import jws, jwt
from joserfc.errors import JoseError

ALLOWED = {"HS256"}

def field_claims(value, key):
    header = jws.extract_compact(value.encode()).headers()
    token = jwt.decode(value, key, algorithms=[header.get("alg", "HS256")])
    return token.claims

def checked_claims(value, key):
    header = jws.extract_compact(value.encode()).headers()
    alg = header.get("alg", "HS256")
    if alg not in ALLOWED:
        raise JoseError("alg")
    return jwt.decode(value, key, algorithms=[alg]).claims

def fixed_claims(value, key):
    return jwt.decode(value, key, algorithms=["HS256"]).claims
"""


def test_joserfc_algorithm_from_the_token_header() -> None:
    assert lines(HEADER, "SEC007") == [9]


PAYLOAD = """
import json
from joserfc import jws

def staff_from_token(value):
    payload = json.loads(jws.extract_compact(value.encode()).payload)
    sub = payload.get("sub", "")
    return int(sub.split(":", 1)[1])

def claims_of_token(value):
    return json.loads(jws.extract_compact(value.encode()).payload)

def token_subject_hint(value):
    payload = json.loads(jws.extract_compact(value.encode()).payload)
    return str(payload.get("sub", "unknown"))[:40]

def verified_token(value, key):
    obj = jws.extract_compact(value.encode())
    jws.validate_compact(obj, key, algorithms=["HS256"])
    return json.loads(obj.payload)

def token_expiry(value):
    return json.loads(jws.extract_compact(value.encode()).payload)["exp"]

def token_header(value):
    return jws.extract_compact(value.encode()).headers()["kid"]
"""


def test_joserfc_payload_read_without_verifying() -> None:
    assert lines(PAYLOAD, "SEC007") == [6, 11]
