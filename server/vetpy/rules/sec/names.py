"""What a name says about the value it holds: a password, a credential, a value that must be
unguessable.  Read by the secret, random, password-hash and SQL rules."""

from __future__ import annotations

import ast

from vetpy.astutil import last_name, name_words  # noqa: F401 - the rules import name_words from here


PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "pass"})
_SECRET_WORDS = frozenset({"secret", "secrete", "token", "apikey", "credential", "credentials", "privatekey", "secretkey", "accesskey", "authkey"})
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "access", "signing", "encryption", "auth", "client", "master", "app", "session", "hmac", "jwt"})
# `pass` is a password only alone (`_pass`, `PASS`) or after one of these (`db_pass`); elsewhere
# it is a compiler, render or test-run pass (`first_pass`, `render_pass`, `test_pass`)
_PASS_QUALIFIERS = frozenset(
    {"db", "database", "user", "username", "admin", "root", "login", "smtp", "ftp", "sftp", "mail", "email", "imap", "pop",
     "auth", "proxy", "redis", "mysql", "postgres", "pg", "sql", "mssql", "oracle", "mongo", "ssh", "sudo", "wifi", "api",
     "account", "ldap", "bind", "http", "basic", "app", "master", "client", "server", "service", "keystore", "truststore",
     "rabbitmq", "amqp", "broker", "vnc", "rpc", "vault", "registry", "docker", "git", "repo", "default", "secret"}
)
_RANDOM_WORDS = frozenset({"otp", "nonce", "salt", "csrf", "pin", "sessionid", "sid"})
# last words of names that hold something about a secret, not the secret (`token_url`, `password_hint`)
NOT_SECRET_SUFFIX = frozenset(
    {"url", "uri", "endpoint", "path", "file", "filename", "name", "type", "header", "field", "length", "len", "min", "max", "prefix",
     "env", "var", "hint", "label", "prompt", "pattern", "regex", "re", "format", "template", "placeholder", "count", "expiry",
     "expires", "ttl", "timeout", "param", "id", "dir", "cls", "class", "policy", "validator", "hash", "hashed", "digest",
     "attr", "key_name", "mode", "method", "lifetime", "age", "scheme", "kind", "algorithm", "alg", "size", "bytes", "display",
     "reset", "required", "enabled", "msg", "message", "error", "text", "input", "column", "col", "table", "sep", "char", "chars",
     "alphabet", "charset", "index", "limit", "value_name", "prop", "property", "option", "flag", "setting", "str"}
)


_RANDOM_PAIRS = frozenset(
    {"sessionid", "sessionkey", "resetcode", "verificationcode", "authcode", "activationcode", "confirmationcode", "invitecode", "onetimecode"}
)


def secret_name(name: str, for_random: bool = False) -> bool:
    """Does the name say it holds a credential (``api_key``, ``db_password``, not ``token_url``)?

    ``for_random``: also names of values that must be unguessable (nonces, salts, session ids,
    reset codes).
    """
    words = name_words(name)
    if not words:
        return False
    last = words[-1]
    pair = "".join(words[-2:])
    if for_random and (pair in _RANDOM_PAIRS or last in _RANDOM_WORDS):
        return True
    if last in NOT_SECRET_SUFFIX:
        return False
    if last in PASSWORD_WORDS - {"pass"} or last in _SECRET_WORDS or pair in _SECRET_WORDS or pair == "password":
        return True
    if last == "pass" and (len(words) == 1 or words[-2] in _PASS_QUALIFIERS):
        return True
    if last == "key" and len(words) >= 2 and words[-2] in _KEY_QUALIFIERS:
        return True
    # my_secret_password_for_email: a password word inside the name (the value must then look random)
    return not for_random and any(w in PASSWORD_WORDS - {"pass"} for w in words[:-1])


def password_name(name: str | None) -> bool:
    return name is not None and any(w in PASSWORD_WORDS - {"pass"} for w in name_words(name))


def mentions_password(node: ast.expr) -> bool:
    """Does the expression read a plain password (``password``, ``user.passwd``, not ``password_hash``)?"""
    for sub in ast.walk(node):
        name = last_name(sub)
        if password_name(name) and name_words(name or "")[-1] not in {"hash", "hashed", "digest", "salt"}:
            return True
    return False
