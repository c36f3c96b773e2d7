"""SEC009 weak-password-hash: a password is hashed with a fast hash instead of a password
hashing function."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, is_constant, keyword, last_name
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import assignment_targets, target_name
from vetpy.rules.sec.names import mentions_password, name_words, password_name
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

WEAK_PASSWORD_HASH = rule(
    code="SEC009",
    name="weak-password-hash",
    family="SEC",
    severity=Severity.WARNING,
    summary="A password is hashed with a fast hash (md5, sha1, sha256, ...) instead of a password hashing function.",
    rationale="""Fast hashes let an attacker with the database try billions of guesses per second
    on a GPU. Store passwords with a slow, salted function: `hashlib.scrypt`,
    `hashlib.pbkdf2_hmac` with a high iteration count, argon2 or bcrypt. Checksums of data and
    `usedforsecurity=False` are not reported. A PIN or passcode (`hashlib.sha256(pin.encode())`)
    is reported as a password: its few digits are all tried in a moment. Nor are the two shapes of a client
    speaking someone else's format reported: a digest that is the value of a protocol field not named for a password or
    hash (`params={"word": md5(password).hexdigest()}`: the site asks for it), and digests
    chained in a loop (`d = md5(d + password + salt).digest()`: OpenSSL's EVP_BytesToKey, to
    read data in that format).""",
    bad="""
        import hashlib

        stored = hashlib.md5(password.encode()).hexdigest()
    """,
    good="""
        salt = os.urandom(16)
        stored = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    """,
    cwe=(916, 328),
)

HASH_FUNCTIONS = frozenset(
    {f"hashlib.{h}" for h in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b", "blake2s", "new")}
)
FAST_HASH_NAMES = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3256", "sha3512", "blake2b", "blake2s", "md4"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name
    if name in HASH_FUNCTIONS and _is_password_hash(name, call, site.func, site.ancestors):
        yield WEAK_PASSWORD_HASH.finding(
            sec.doc, call, f"`{name}` is a fast hash; passwords need a slow salted hash (hashlib.scrypt, pbkdf2_hmac, argon2, bcrypt)"
        )
    if name == "crypt.crypt":
        salt = call.args[1] if len(call.args) > 1 else (kw.value if (kw := keyword(call, "salt")) else None)
        method = (dotted_name(salt) or "").rsplit(".", 1)[-1] if salt is not None else ""
        if method in {"METHOD_CRYPT", "METHOD_MD5"}:
            yield WEAK_PASSWORD_HASH.finding(
                sec.doc, salt, f"`crypt.{method}` is a weak password hash (DES or MD5-crypt); use METHOD_SHA512, or scrypt, argon2, bcrypt"  # type: ignore[arg-type]
            )


def _is_password_hash(name: str, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> bool:
    used = keyword(call, "usedforsecurity")
    if used is not None and is_constant(used.value, False):
        return False
    args = call.args[1:] if name == "hashlib.new" else call.args
    if name == "hashlib.new" and not (call.args and isinstance(call.args[0], ast.Constant) and str(call.args[0].value).lower().replace("-", "") in FAST_HASH_NAMES):
        return False
    if any(mentions_password(a) or _mentions_pin(a) for a in args):
        return not _sent_as_field(call, ancestors) and not _chained_digest(call, args, ancestors)
    # hashlib.md5(x).hexdigest() assigned to a password-ish name / returned by hash_password()
    for anc in reversed(ancestors):
        if isinstance(anc, (ast.Assign, ast.AnnAssign)):
            return any(password_name(target_name(t)) for t in assignment_targets(anc))
        if isinstance(anc, ast.Return):
            return func is not None and password_name(func.name) and "hash" in func.name.lower()
        if isinstance(anc, ast.stmt):
            return False
    return False


# a PIN or passcode: a handful of digits, so its fast hash is reversed by trying every value
_PIN_WORDS = frozenset({"pin", "pincode", "passcode"})
# a certificate pin is itself a digest of a public key, not a secret (`spki_pin`, `cert_pin`)
_NOT_PIN_WORDS = frozenset({"spki", "cert", "certificate", "pubkey", "public", "ssl", "tls", "gpio", "hpkp"})


def _mentions_pin(node: ast.expr) -> bool:
    """Does the expression read a PIN (``pin``, ``guest.pin``, ``portal_pin``, ``passcode``; not
    ``pin_hash``, ``pinned``, ``spki_pin``)?"""
    for sub in ast.walk(node):
        words = name_words(last_name(sub) or "")
        if words and words[-1] in _PIN_WORDS and not _NOT_PIN_WORDS & set(words):
            return True
    return False


_DIGEST_METHODS = frozenset({"hexdigest", "digest"})
_STORED_WORDS = frozenset({"hash", "hashed", "digest", "pw", "pwd", "passwd", "pass", "secret", "credential", "credentials"})


def _sent_as_field(call: ast.Call, ancestors: list[ast.AST]) -> bool:
    """``{"word": md5(password).hexdigest()}``: the digest is the value of a field named for a
    remote protocol (streamlink's twitcasting plugin sends the stream password's md5 because the
    site asks for it), not stored under a password or hash name."""
    node: ast.AST = call
    rest = list(reversed(ancestors))
    while rest and isinstance(rest[0], ast.Attribute) and rest[0].attr in _DIGEST_METHODS and len(rest) > 1 and isinstance(rest[1], ast.Call):
        node = rest[1]
        rest = rest[2:]
    parent = rest[0] if rest else None
    if not isinstance(parent, ast.Dict):
        return False
    key = next((k for k, v in zip(parent.keys, parent.values) if v is node), None)
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return False
    return not password_name(key.value) and not set(name_words(key.value)) & _STORED_WORDS


def _chained_digest(call: ast.Call, args: list[ast.expr], ancestors: list[ast.AST]) -> bool:
    """``d = md5(d + password + salt).digest()`` in a loop: each digest is fed into the next, the
    construction of a key-derivation format (OpenSSL's EVP_BytesToKey, PBKDF1) that a program
    implements to read data in that format, not a password it stores."""
    start = max((i for i, a in enumerate(ancestors) if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))), default=-1)
    loop = any(isinstance(a, (ast.For, ast.AsyncFor, ast.While)) for a in ancestors[start + 1 :])
    assign = next((a for a in reversed(ancestors) if isinstance(a, (ast.Assign, ast.AugAssign, ast.stmt))), None)
    if not loop or not isinstance(assign, (ast.Assign, ast.AugAssign)):
        return False
    targets = {target_name(t) for t in assignment_targets(assign)} if isinstance(assign, ast.Assign) else {target_name(assign.target)}
    fed = {n.id for a in args for n in ast.walk(a) if isinstance(n, ast.Name)}
    return bool((targets - {None}) & fed)


MODULE = RuleModule(
    rules=(WEAK_PASSWORD_HASH,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("hashlib", "crypt")),
)
