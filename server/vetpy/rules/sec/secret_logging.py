"""SEC031 secret-in-log: a password, secret key or access token is written to a log."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import last_name
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.names import PASSWORD_WORDS, name_words
from vetpy.rules.sec.insecure_random import returned, secret_function
from vetpy.rules.sec.secret_log_values import (
    auth_header_set,
    auth_headers,
    code_parameter,
    incoming_credentials,
    drawn_at_random,
    dumped_model,
    generated_secret,
    headers_given_credential,
    plain_secret_field,
    returns_auth_headers,
    whole_configuration,
)
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

SECRET_IN_LOG = rule(
    code="SEC031",
    name="secret-in-log",
    family="SEC",
    severity=Severity.WARNING,
    summary="A password, secret key or access token is passed to a logging call.",
    rationale="""Logs are read by more people and systems than the credential store: operators,
    log shippers, error trackers, backups kept for years. A password or token written there is
    disclosed to all of them (CWE-532). Log that the event happened, the user, or a masked form
    (`token[:4] + "..."`), never the value. The name of a field (`password_field`), its length
    or whether it was set (`has_password`) are not reported. Also reported whatever its name: a
    key or one-time code just made by a function named for it (`key = generate_api_key()`,
    `code = make_reset_code()`), a JWT just signed
    (`token = jwt.encode(...)`), headers that carry an
    `Authorization` or API-key value (a dict literal, a function of the module returning one, or a
    client session's `headers` given one there or, for `self.session.headers`, by a method of the
    same class such as its `__init__`), a value drawn at random (`random`, `secrets`) by a
    function named for the credential it returns (`def issue_invite_token()`), the whole
    configuration of a Flask or Quart application (`dict(app.config)`, with its `SECRET_KEY`) or
    the process environment (`os.environ`), and a dump (`model_dump()`, `.dict()`, no `include`/`exclude`) of a pydantic model of the
    module with a plain-text secret field (`jwt_secret: str`; `SecretStr` dumps masked); a
    one-time code a function is named for (`def send_reset_code(email, code)`); a credential
    header of a request (`request.headers.get("Authorization")`, `Cookie`, Falcon's
    `req.get_header("Authorization")`) and, above `debug` level, the request's header map whole
    (`dict(request.headers)`). A logger is a name for one (`log`, `logger`) or a module-level
    name bound to `logging.getLogger(...)` (`audit`).""",
    bad="""
        import logging

        logger = logging.getLogger(__name__)

        def check_password(user, password):
            logger.info("password check for %s password=%s", user, password)
    """,
    good="""
        def check_password(user, password):
            logger.info("password check for %s", user)
    """,
    cwe=(532,),
)

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"})
_LOGGER_WORDS = frozenset({"log", "logger", "logging", "syslog", "auditlog", "errorlog", "debuglog", "eventlog", "accesslog"})
# a logging call's own keywords, not values of the message
_LOG_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "extra"})
# single words that name a secret in any program (`token`, `secret` alone may be a lexer token or
# a secret *object* with a name and a value: they count only qualified, `access_token`)
_SECRET_ALONE = (PASSWORD_WORDS - {"pass"}) | {"apikey", "secretkey", "privatekey", "clientsecret"}
_TOKEN_QUALIFIERS = frozenset({"access", "refresh", "auth", "bearer", "api", "session", "jwt", "id", "reset", "oauth", "github", "slack", "bot"})
_SECRET_QUALIFIERS = frozenset({"client", "app", "api", "shared", "webhook", "signing", "jwt", "aws", "oauth", "consumer"})
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "signing", "encryption", "master", "hmac", "jwt"})
# first words of names that hold a fact about the secret, not the secret
_NOT_VALUE_PREFIX = frozenset({"has", "is", "use", "uses", "require", "requires", "need", "needs", "no", "with", "should", "must", "can",
                               "show", "num", "len", "count", "old", "masked", "redacted", "hashed", "encrypted"})


def secret_value_name(name: str) -> bool:
    """Does ``name`` hold the secret itself (``password``, ``db_password``, ``access_token``,
    ``client_secret``, ``api_key``), not a fact about it (``password_field``, ``has_password``,
    ``token_type``, bare ``token``)?"""
    words = name_words(name)
    if not words or words[0] in _NOT_VALUE_PREFIX:
        return False
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if last in _SECRET_ALONE:
        return True
    if last == "token":
        return before in _TOKEN_QUALIFIERS
    if last == "secret":
        return before in _SECRET_QUALIFIERS
    if last == "key":
        return before in _KEY_QUALIFIERS
    return False


def _secret_read(node: ast.expr) -> str | None:
    """The name under which ``node`` reads a secret value: ``password``, ``self.api_key``,
    ``data["password"]``, ``request.POST.get("password")``."""
    name = read_name(node)
    return name if name and secret_value_name(name) else None


def read_name(node: ast.expr) -> str | None:
    """The name ``node`` reads a value under: ``ssn``, ``emp.bank_iban``, ``data["ssn"]``,
    ``data.get("ssn")`` (SEC031 asks whether it names a secret, SEC042 a personal identifier)."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return last_name(node)
    key: ast.expr | None = None
    if isinstance(node, ast.Subscript):
        key = node.slice
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        key = node.args[0]
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


def at_debug(call: ast.Call) -> bool:
    """``log.debug(...)``: written only while debugging (off in production)."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == "debug"


def logged_values(call: ast.Call) -> Iterator[ast.expr]:
    """What the call writes into the message: the arguments after it, the pieces of an f-string,
    the right side of ``%`` and the arguments of ``.format``, structlog's keyword values."""
    for i, arg in enumerate(call.args):
        yield from _pieces(arg) if i == 0 else (arg,)
    for kw in call.keywords:
        if kw.arg is not None and kw.arg not in _LOG_KEYWORDS:
            yield kw.value


def _pieces(message: ast.expr) -> Iterator[ast.expr]:
    if isinstance(message, ast.JoinedStr):
        yield from (v.value for v in message.values if isinstance(v, ast.FormattedValue))
    elif isinstance(message, ast.BinOp) and isinstance(message.op, ast.Mod):
        right = message.right
        yield from right.elts if isinstance(right, ast.Tuple) else (right,)
    elif isinstance(message, ast.BinOp) and isinstance(message.op, ast.Add):
        yield from _pieces(message.left)
        yield from _pieces(message.right)
        yield from (n for n in (message.left, message.right) if not isinstance(n, (ast.Constant, ast.BinOp, ast.JoinedStr)))
    elif isinstance(message, ast.Call) and isinstance(message.func, ast.Attribute) and message.func.attr == "format":
        yield from message.args
        yield from (kw.value for kw in message.keywords)


def is_logger(sec: SecurityPass, call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _LOG_METHODS:
        return False
    qualified = sec.qualified(func) or ""
    if qualified.startswith(("logging.", "structlog.", "loguru.")):
        return True
    receiver = last_name(func.value)
    # `log`, `LOGGER`, `self._logger`, `app.logger`, `errorlog`; not `dialog`, `catalog`, `blog`
    if receiver is not None and any(w in _LOGGER_WORDS or w.endswith("logger") for w in name_words(receiver)):
        return True
    # `audit = logging.getLogger("app.audit")` at module level: a logger whatever its name
    if not isinstance(func.value, ast.Name):
        return False
    bound = sec.flow.bindings(None).get(func.value.id) or []
    return bool(bound) and all(isinstance(b, ast.Call) and sec.qualified(b.func) in _LOGGER_FACTORIES for b in bound)


_LOGGER_FACTORIES = frozenset({"logging.getLogger", "structlog.get_logger", "structlog.getLogger", "loguru.logger.bind"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if not is_logger(sec, call):
        return
    quiet = at_debug(call)
    for value in logged_values(call):
        name = _secret_read(value)
        what = f"`{name}` is written to the log" if name is not None else _secret_value(sec, site, value, quiet)
        if what is not None:
            yield SECRET_IN_LOG.finding(
                sec.doc, value, f"{what}: everyone who reads the logs learns the secret; "
                "log the event without the value, or a masked form")
            return


# JWT encoders: what they return is a bearer credential, whatever the name it is held in
_TOKEN_ENCODERS = frozenset({"jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode", "authlib.jose.jwt.encode"})


def _secret_value(sec: SecurityPass, site: Site, value: ast.expr, quiet: bool) -> str | None:
    """A value that holds a secret whatever its name: a key just generated, a one-time code a
    function is named for, credential headers (built, or the request's), a dump of a settings
    model with a plain-text secret field."""
    bound = sec.flow.bindings(site.func).get(value.id, []) if isinstance(value, ast.Name) and site.func is not None else []
    maker = generated_secret(value, bound, secret_value_name)
    if maker is not None:
        return f"`{value.id}` (made by `{maker}()`) is written to the log"  # type: ignore[attr-defined]
    if code_parameter(value, site.func):
        return f"`{value.id}`, the code `{site.func.name}` is named for, is written to the log"  # type: ignore[union-attr, attr-defined]
    scope = sec.flow.scope(site.func) if site.func is not None else None
    incoming = incoming_credentials(
        value, lambda node: sec.flow.is_request_object(node, scope) if scope is not None else sec.flow.request_object_in(node, None, ()), quiet)
    if incoming is not None:
        return f"{incoming} is written to the log"
    if isinstance(value, ast.Name) and bound and all(isinstance(b, ast.Call) and sec.qualified(b.func) in _TOKEN_ENCODERS for b in bound):
        return f"`{value.id}` (a signed token: `{sec.qualified(bound[0].func)}`) is written to the log"  # type: ignore[union-attr]
    func = site.func
    if isinstance(value, ast.Name) and func is not None and drawn_at_random(bound, sec.qualified) and secret_function(func) \
            and returned(value.id, func):
        return f"`{value.id}`, drawn at random and returned by `{func.name}`, is written to the log"
    dumped = whole_configuration(value, sec.qualified, lambda name: sec.flow.bindings(func).get(name) or sec.flow.bindings(None).get(name) or [])
    if dumped is not None:
        return f"{dumped} is written to the log"
    functions = {s.name: s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if auth_headers(value) or (bound and all(auth_headers(b) for b in bound)) or (
            bound and all(isinstance(b, ast.Dict) for b in bound) and auth_header_set(site.func, value.id)) or (  # type: ignore[attr-defined]
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and returns_auth_headers(functions.get(value.func.id))) or (
            headers_given_credential(func, value, next((a for a in reversed(site.ancestors) if isinstance(a, ast.ClassDef)), None))):
        return "request headers with a credential (`Authorization`) are written to the log"
    receiver = dumped_model(value)
    if isinstance(receiver, ast.Name):
        field = _model_secret_field(sec, site, receiver, functions)
        if field is not None:
            return f"a dump of `{receiver.id}`, whose field `{field}` is a plain-text secret, is written to the log"
    return None


def _model_secret_field(sec: SecurityPass, site: Site, receiver: ast.Name, functions: dict) -> str | None:
    """``receiver`` is an instance of a pydantic model of this module with a plain-text secret
    field (bound to ``Settings()`` or to a call of a function annotated ``-> Settings``)."""
    classes = {s.name: s for s in sec.tree.body if isinstance(s, ast.ClassDef)}
    bound = sec.flow.bindings(site.func).get(receiver.id) or sec.flow.bindings(None).get(receiver.id) or []
    names = set()
    for expr in bound:
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name)):
            return None
        maker = functions.get(expr.func.id)
        returns = maker.returns if maker is not None else None
        names.add(returns.id if isinstance(returns, ast.Name) else expr.func.id)
    if len(names) != 1 or (cls := classes.get(names.pop())) is None:
        return None
    return plain_secret_field(cls, sec.qualified, secret_value_name)


MODULE = RuleModule(
    rules=(SECRET_IN_LOG,),
    handlers={ast.Call: check_call},
    # every name secret_value_name accepts holds one of these words (lower-cased)
    # `log`: a logged value that holds a secret whatever its name (secret_log_values)
    triggers=Triggers(words=(*sorted(_SECRET_ALONE), "secret", "token", "log", *(q + sep + "key" for q in sorted(_KEY_QUALIFIERS) for sep in ("", "_")))),
)
