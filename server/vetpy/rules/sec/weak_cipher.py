"""SEC039 weak-cipher: data encrypted with a broken cipher or in ECB mode, or authenticated with
HMAC-MD5."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, keyword
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

WEAK_CIPHER = rule(
    code="SEC039",
    name="weak-cipher",
    family="SEC",
    severity=Severity.WARNING,
    summary="Data encrypted in ECB mode or with a broken cipher (DES, 3DES, RC4, Blowfish), or authenticated with HMAC-MD5.",
    rationale="""ECB encrypts equal blocks of plaintext to equal blocks of ciphertext: the
    ciphertext shows the data's patterns (which card references, which records are equal), and
    blocks can be cut and pasted between messages. DES and RC4 are broken, 3DES and Blowfish have
    64-bit blocks (SWEET32). Use an authenticated mode (`AESGCM`, `ChaCha20Poly1305`) or
    `cryptography.fernet.Fernet`. An HMAC over MD5 signs with a hash no standard approves any more
    (NIST SP 800-131A): use SHA-256. Reported: `cryptography`'s `modes.ECB()` and
    `algorithms.TripleDES/ARC4/Blowfish/CAST5/IDEA/SEED` (also from `hazmat.decrepit`), PyCryptodome's `MODE_ECB` and its
    `DES`/`DES3`/`ARC4`/`ARC2`/`Blowfish`/`CAST` ciphers, and `hmac.new`/`hmac.digest` with MD5 (`hashlib.md5`, `"md5"`). Not HMAC-SHA1 (an
    approved HMAC), nor MD5 or SHA-1 as checksums (SEC009 covers passwords).""",
    bad="""
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        def encrypt(key: bytes, block: bytes) -> bytes:
            enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
            return enc.update(block) + enc.finalize()
    """,
    good="""
        import os

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        def encrypt(key: bytes, data: bytes) -> bytes:
            nonce = os.urandom(12)
            return nonce + AESGCM(key).encrypt(nonce, data, None)
    """,
    cwe=(327,),
)

_CRYPTOGRAPHY = "cryptography.hazmat.primitives.ciphers"
_BROKEN_ALGORITHMS = frozenset({"TripleDES", "ARC4", "Blowfish", "CAST5", "IDEA", "SEED", "RC2"})
# where cryptography 43+ keeps them (`cryptography.hazmat.decrepit.ciphers.algorithms.TripleDES`)
_DECREPIT = "cryptography.hazmat.decrepit.ciphers.algorithms."
# PyCryptodome (`Crypto`) and PyCryptodomex (`Cryptodome`) cipher modules
_PYCRYPTO = ("Crypto.Cipher", "Cryptodome.Cipher")
_BROKEN_PYCRYPTO = frozenset({"DES", "DES3", "ARC4", "ARC2", "Blowfish", "CAST"})
# PyCryptodome block ciphers that take a mode
_BLOCK_PYCRYPTO = frozenset({"AES", "DES", "DES3", "Blowfish", "CAST", "ARC2"})
_HMAC_CALLS = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name or ""
    if name == f"{_CRYPTOGRAPHY}.modes.ECB":
        yield WEAK_CIPHER.finding(sec.doc, call, "ECB mode encrypts equal blocks to equal ciphertext, showing the data's patterns; "
                                  "use an authenticated mode (AESGCM) or Fernet")
    elif name.startswith((f"{_CRYPTOGRAPHY}.algorithms.", _DECREPIT)) and name.rsplit(".", 1)[-1] in _BROKEN_ALGORITHMS:
        yield WEAK_CIPHER.finding(sec.doc, call, f"`{name.rsplit('.', 1)[-1]}` is a broken or 64-bit-block cipher; use AES-GCM or Fernet")
    elif name.startswith(_PYCRYPTO) and name.endswith(".new"):
        yield from _pycrypto(sec, call, name)
    elif name in _HMAC_CALLS:
        digest = call.args[2] if len(call.args) > 2 else (kw.value if (kw := keyword(call, "digestmod") or keyword(call, "digest")) else None)
        if digest is not None and _md5(digest):
            yield WEAK_CIPHER.finding(sec.doc, digest, "HMAC over MD5 signs with a hash no standard approves any more; use hashlib.sha256")


def _pycrypto(sec: SecurityPass, call: ast.Call, name: str) -> Iterator[Finding]:
    """``AES.new(key, AES.MODE_ECB)``, ``AES.new(key)`` (ECB), ``DES.new(...)``, ``ARC4.new(key)``."""
    cipher = name.rsplit(".", 2)[-2]
    if cipher in _BROKEN_PYCRYPTO:
        yield WEAK_CIPHER.finding(sec.doc, call, f"`{cipher}` is a broken or 64-bit-block cipher; use AES-GCM or ChaCha20-Poly1305")
        return
    if cipher not in _BLOCK_PYCRYPTO:
        return
    mode = call.args[1] if len(call.args) > 1 else (kw.value if (kw := keyword(call, "mode")) else None)
    if mode is not None and (dotted_name(mode) or "").rsplit(".", 1)[-1] == "MODE_ECB":
        yield WEAK_CIPHER.finding(sec.doc, mode, "ECB mode encrypts equal blocks to equal ciphertext, showing the data's patterns; use MODE_GCM")


def _md5(node: ast.expr) -> bool:
    """``hashlib.md5``, ``md5`` imported from hashlib, ``"md5"``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.lower() == "md5"
    return (dotted_name(node) or "").rsplit(".", 1)[-1] == "md5"


MODULE = RuleModule(
    rules=(WEAK_CIPHER,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("ECB", "TripleDES", "ARC4", "Blowfish", "CAST5", "IDEA", "SEED", "DES", "md5", "MD5", "Cipher")),
)
