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


def predictable_hash(qualified, call: ast.Call, clocks: frozenset[str] = frozenset()) -> str | None:
    """``call`` is a hashlib hash whose input reads the clock (or a local in ``clocks``, bound
    only to a reading of it) and nothing random or secret: the clock call's text (``time.time()``)."""
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
            if isinstance(node, ast.Name) and node.id in clocks:
                clock = clock or "time"
    return f"the clock (`{clock}()`)" if clock is not None else None


def clock_locals(qualified, func: ast.AST | None) -> frozenset[str]:
    """The locals of ``func`` every binding of which reads the clock and nothing random
    (``stamp = int(time.time())``)."""
    if func is None:
        return frozenset()
    bound: dict[str, list[ast.expr | None]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.NamedExpr)) and isinstance(node.target, ast.Name):
            bound.setdefault(node.target.id, []).append(None)
    return frozenset(name for name, values in bound.items() if all(v is not None and _reads_clock_only(qualified, v) for v in values))


def _reads_clock_only(qualified, value: ast.expr) -> bool:
    callees = [qualified(n.func) or "" for n in ast.walk(value) if isinstance(n, ast.Call)]
    return any(c in _CLOCKS for c in callees) and not any(c.startswith(_RANDOM) for c in callees)
