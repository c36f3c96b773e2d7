"""SEC027 timing-unsafe-compare and SEC008 insecure-random-secret, service37's missed shapes.

SEC027:

- a function named for what it checks, the verb last (``def device_token_matches(expected,
  presented): return expected == presented``; also ``signature_matches``, ``token_equals``)
  compares its two parameters, as ``check_door_token(presented, expected)`` does;
- a stored key hash (``shipper.api_key_hash``) compared with a local every binding of which is a
  digest of what the caller supplies (``digest = hashlib.sha1(raw.encode()).hexdigest()``), as
  ``user.password_hash != hash_password(password)`` is.

Look-alikes, silent: a verb-last name of no secret (``versions_match``, ``token_type_matches``), a
parameter compared with a length, a digest of nothing the caller supplies (``CONFIG_TEXT``), a
local rebound from something other than a digest, ``hmac.compare_digest``.

SEC008: a function named for a secret (``password_reset_token``) returning a hash whose input reads
the clock through a local (``stamp = int(time.time())``), and nothing random or secret, as a hash
of ``time.time()`` written in the call is.  Silent: the local also bound to something random, a
hash keyed with a secret, a function not named for a secret (``etag``).
"""

from __future__ import annotations

from test_security import lines

SRC = """\
import hashlib
import hmac

CONFIG_TEXT = "fixed"


def device_token_matches(expected: str, presented: str) -> bool:
    return expected == presented


def signature_matches(given, stored):
    return given == stored


def versions_match(left: str, right: str) -> bool:
    return left == right


def token_type_matches(kind: str, expected: str) -> bool:
    return kind == expected


def pin_matches(presented: str, expected_length: int) -> bool:
    return len(presented) == expected_length


def legacy_key_ok(shipper, raw):
    digest = hashlib.sha1(raw.encode()).hexdigest()
    if shipper is None or shipper.api_key_hash != digest:
        return False
    return True


def config_unchanged(shipper):
    digest = hashlib.sha256(CONFIG_TEXT.encode()).hexdigest()
    return shipper.api_key_hash == digest


def rebound_key(shipper, raw):
    digest = hashlib.sha1(raw.encode()).hexdigest()
    digest = shipper.fingerprint
    return shipper.api_key_hash == digest


def constant_time(shipper, raw):
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return hmac.compare_digest(shipper.api_key_hash, digest)
"""


def test_verb_last_verifier_and_stored_hash_against_a_digest_of_a_parameter() -> None:
    assert lines(SRC, "SEC027", path="app/tokens.py") == [8, 12, 29]


RESET = """\
import hashlib
import secrets
import time

SECRET_KEY = "x"


def password_reset_token(user_id: int, email: str) -> str:
    stamp = int(time.time())
    return hashlib.md5(f"{user_id}:{email}:{stamp}".encode()).hexdigest()


def session_token(user_id: int) -> str:
    stamp = int(time.time())
    stamp = secrets.token_hex(8)
    return hashlib.sha256(f"{user_id}:{stamp}".encode()).hexdigest()


def signed_reset_token(user_id: int) -> str:
    stamp = int(time.time())
    return hashlib.sha256(f"{SECRET_KEY}:{user_id}:{stamp}".encode()).hexdigest()


def etag(body: bytes) -> str:
    stamp = int(time.time())
    return hashlib.md5(body + str(stamp).encode()).hexdigest()
"""


def test_hash_of_the_clock_through_a_local_is_a_predictable_token() -> None:
    assert lines(RESET, "SEC008", path="app/tokens.py") == [10]


DETERMINISTIC = """\
import hashlib
import hmac

SIGNING_KEY = b"k"


def deterministic(body: bytes) -> bool:
    once = hmac.new(SIGNING_KEY, body, hashlib.sha256).hexdigest()
    again = hmac.new(SIGNING_KEY, body, hashlib.sha256).hexdigest()
    return once == again
"""


def test_two_signatures_the_server_computes_are_no_guess() -> None:
    assert lines(DETERMINISTIC, "SEC027", path="app/tokens.py") == []
