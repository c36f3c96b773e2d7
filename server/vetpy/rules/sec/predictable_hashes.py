"""A hash of predictable inputs only (read by SEC008 insecure-random-secret):
``hashlib.sha256(f"{user.id}:{time.time()}".encode()).hexdigest()`` names a token as
guessable as the time and the id it hashes. Not a hash with a random input (``secrets``,
``os.urandom``, ``random``, ``uuid4``) nor one keyed with a secret (a name with ``secret``,
``key``, ``salt`` or ``pepper`` in it: ``SECRET_KEY``), nor one of content given (no clock)."""

from __future__ import annotations

import ast

from vetpy.astutil import last_name, name_words

_HASHES = frozenset(f"hashlib.{h}" for h in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256", "new"))
# what reads the clock (or a clock-based id)
_CLOCKS = frozenset({"time.time", "time.time_ns", "time.monotonic", "datetime.datetime.now", "datetime.datetime.utcnow",
                     "datetime.datetime.today", "datetime.date.today", "uuid.uuid1"})
_RANDOM = ("secrets.", "random.", "os.urandom", "uuid.uuid4")
_SECRET_WORDS = frozenset({"secret", "key", "salt", "pepper", "password", "nonce", "token"})


def predictable_hash(qualified, call: ast.Call) -> str | None:
    """``call`` is a hashlib hash whose input reads the clock and nothing random or secret:
    the clock call's text (``time.time()``)."""
    if qualified(call.func) not in _HASHES or not call.args:
        return None
    clock = None
    for node in ast.walk(call.args[-1] if qualified(call.func) == "hashlib.new" else call.args[0]):
        if isinstance(node, ast.Call):
            callee = qualified(node.func) or ""
            if callee.startswith(_RANDOM):
                return None
            if callee in _CLOCKS:
                clock = callee.rsplit(".", 1)[-1]
        elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(getattr(node, "ctx", None), ast.Load):
            if _SECRET_WORDS & set(name_words(last_name(node) or "")):
                return None
    return f"the clock (`{clock}()`)" if clock is not None else None
