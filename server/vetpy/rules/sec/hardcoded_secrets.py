"""SEC010 hardcoded-secret: a credential (provider key format, private key, password,
secret) is written in the source; SEC033 possible-hardcoded-credential (opt-in): a value that
only its name calls a key or token (API keys, which are often public client keys), or any
credential in a test file."""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Iterator

from vetpy import reads
from vetpy.astutil import last_name
from vetpy.files import in_test_suite
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import Rule, rule
from vetpy.rules.sec.common import named_targets, once_bound_functions
from vetpy.rules.sec.cross_module import project_target
from vetpy.rules.sec.sink_summaries import module_function, note_dependent
from vetpy.rules.sec.fallback_secrets import development_file, fallback_secret_name, wrapped_fallback_name
from vetpy.rules.sec.names import NOT_SECRET_SUFFIX, PASSWORD_WORDS, name_words, password_name, secret_name
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

HARDCODED_SECRET = rule(
    code="SEC010",
    name="hardcoded-secret",
    family="SEC",
    severity=Severity.WARNING,
    summary="A credential (provider key format, private key, password or secret) is written in the source.",
    rationale="""Secrets in source end up in version control, logs, wheels and AI training sets,
    and cannot be rotated without a release. Read them from the environment or a secret
    manager. Reported: a value in a provider's secret format (AWS, GitHub, Stripe live secret
    keys, Slack, OpenAI, Anthropic, SendGrid, PyPI, a private key, a signed JWT, a password in a
    connection string), and a value whose name says it is a password (password, passwd, pwd,
    `pass` alone or as `db_pass`, passphrase) or a secret (`SECRET_KEY`, `client_secret`, a
    private, signing, encryption, HMAC or JWT key), also as the key a compared value is read by
    (`request.form.get("password") == "..."`). Placeholders, environment lookups and
    documentation examples are not reported (except as the fallback of a secret or signing key
    read from the environment or the settings, `os.environ.get("JWT_SECRET", "dev-secret")`,
    `settings.jwt_secret or "changeme"`: used in production whenever the variable is unset; an
    empty fallback, one only while debugging or in a development settings file (`settings/dev.py`) is not reported, a password's or API key's is SEC033), nor lines marked `# nosec`, sample or test data
    (a function, file or folder named sample, example, preview, placeholder, dummy, fake, mock,
    fixture, testing, demo), test files and Enum members; messages show only a short prefix of
    the value. What only a name calls an API key, key or token (on real applications mostly
    public client keys of third-party sites, which no reading of the file tells from a private
    key), a Google API key (browser keys are public by design) and credentials in test files
    are SEC033, opt-in; a token or API key whose value is in a live format (`crm_live_51Hk...`,
    `sk_live_...`: the production half of a live/test key pair, not `pk_live_`) is SEC010.""",
    bad="""
        DB_PASSWORD = "Tr0ub4dor&3"
    """,
    good="""
        import os

        DB_PASSWORD = os.environ["DB_PASSWORD"]
    """,
    cwe=(798,),
)

POSSIBLE_SECRET = rule(
    code="SEC033",
    name="possible-hardcoded-credential",
    family="SEC",
    severity=Severity.WARNING,
    summary="A value that its name calls an API key, key or token, or a credential in a test file, is written in the source (opt-in).",
    rationale="""SEC010's uncertain half: a high-entropy value named `api_key`, `auth_token`,
    `WSC_API_KEY`, a Google API key, and every SEC010 credential in a test file. On real
    applications most such values were public client keys of third-party sites (a stream
    extractor's site plugins) and test fixtures' passwords, which no reading of the file tells
    from a private key: the rule runs only when selected by its code, `SEC` or `ALL`
    (`--extend-select SEC033`), for a project that wants every candidate reviewed.""",
    bad="""
        WEATHER_API_KEY = "9d3b6e0f27c84a51b9e6d2f0c7a3e815"
    """,
    good="""
        import os

        WEATHER_API_KEY = os.environ["WEATHER_API_KEY"]
    """,
    cwe=(798,),
)

# a key a name calls private, signing ... is a secret; an API key or an auth key may be a public client key
_SECRET_KEY_QUALIFIERS = frozenset({"private", "signing", "encryption", "hmac", "jwt", "master"})


def _certain_name(name: str) -> bool:
    """Does ``name`` (already a credential name) say the value is a password or a secret, not
    a key or token that may be public (``api_key``, ``_API_KEY_SECRET``, ``auth_token``)?"""
    words = name_words(name)
    joined = "".join(words)
    if "apikey" in joined:
        return False
    if PASSWORD_WORDS & set(words) or "password" in joined or "passwd" in joined:
        return True
    if {"secret", "secrete", "secretkey"} & set(words) or joined.endswith("secret"):
        return True
    return words[-1] == "key" and bool(_SECRET_KEY_QUALIFIERS & set(words[:-1]))


def _rule_for(sec: SecurityPass, certain: bool) -> Rule:
    return HARDCODED_SECRET if certain and not in_test_suite(re.split(r"[\\/]", sec.doc.path)) else POSSIBLE_SECRET


TRIGGERS = Triggers(
    # `password = "..."`, `d["password"] = "..."`, `password: str = "..."`, `password = safe = "..."`,
    # `form.get("password") == "..."`
    followed_by=(
        (("pass", "pwd", "passphrase", "secret", "token", "credential", "key"), re.compile(r"\w*[\"']?[\])]?\s*(?:[:=]|==|!=)[^\n\"']*[\"']")),
        # a fallback: `os.environ.get("JWT_SECRET", "dev")`, `env("JWT_SECRET", default="dev")`, `settings.jwt_secret or "dev"`
        (("pass", "pwd", "passphrase", "secret", "key"), re.compile(r"\w*(?:[\"']\s*,(?:\s*default\s*=)?|[\"']?\)?\s+or)\s*[\"']")),
    ),
    # literal text every provider pattern in _PROVIDERS contains (the connection-string one: "@")
    exact=(
        "AKIA", "ASIA", "ABIA", "ACCA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "_live_", "xox",
        "hooks.slack", "AIza", "sk-", "SG.", "-us", "pypi-AgE", "PRIVATE KEY", "eyJ", "@",
    ),
)


# -- handlers -----------------------------------------------------------------------------------


# Where a literal that looks like a credential is sample or test data, by the name of its function,
# file or folder: `def sample_order()`, `placeholders.py` preview data, `server/testing/`.
_SAMPLE_PLACE = re.compile(r"sample|example|preview|placeholder|dummy|fake|mock|fixture|testing|demo", re.IGNORECASE)


def _not_a_secret_here(sec: SecurityPass, site: Site) -> bool:
    """A line the author marked as reviewed (bandit's ``# nosec``), sample or test data (by the
    name of the function, file or folder), or an Enum member (its value is a name, not a secret)."""
    line = getattr(site.node, "lineno", 0)
    if "nosec" in sec.doc.comments.get(line, ""):
        return True
    if site.func is not None and _SAMPLE_PLACE.search(site.func.name):
        return True
    if _SAMPLE_PLACE.search("/".join(sec.doc.path.replace("\\", "/").split("/")[-2:])):  # folder and file
        return True
    owner = site.parent if isinstance(site.node, (ast.Assign, ast.AnnAssign)) else None
    return isinstance(owner, ast.ClassDef) and any(
        (last_name(base) or "").endswith(("Enum", "Flag")) for base in owner.bases)


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Assign | ast.AnnAssign = site.node  # type: ignore[assignment]
    if _not_a_secret_here(sec, site):
        return
    value = node.value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        for _, name in named_targets(node):
            yield from _named_secret(sec, name, value)


def check_defaults(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``def connect(password="hunter2")``."""
    if _not_a_secret_here(sec, site):
        return
    args = site.node.args  # type: ignore[attr-defined]
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults)) + [
        (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None
    ]
    for param, default in pairs:
        if isinstance(default, ast.Constant) and isinstance(default.value, str):
            yield from _named_secret(sec, param.arg, default)


def check_string(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Constant = site.node  # type: ignore[assignment]
    text = node.value
    if not isinstance(text, str):
        return
    parent = site.parent
    if isinstance(parent, ast.Expr):
        return  # docstrings and bare strings are documentation
    if _not_a_secret_here(sec, site):
        return
    kind = _provider_secret(text)
    if kind is not None:
        yield _rule_for(sec, kind != "Google API key").finding(
            sec.doc, node, f"hard-coded {kind} {_mask(_secret_match(text))}; read it from the environment or a secret manager")
        return
    fallback = fallback_secret_name(node, parent, site.ancestors, sec.qualified)
    if fallback is None and isinstance(parent, (ast.Call, ast.keyword)):
        fallback = wrapped_fallback_name(node, parent, site.ancestors, lambda call: _project_function(sec, call))
    if fallback is not None and secret_name(fallback) and not development_file(sec.doc.path):
        # a secret or signing key: SEC010; a password's default (a local database's, an LDAP
        # bind's) or an API key: SEC033 (on real applications often a development default)
        key = (_certain_name(fallback) and not password_name(fallback)) or live_credential(text)
        yield _rule_for(sec, key).finding(
            sec.doc, node, f"`{fallback}` falls back to the hard-coded {_mask(text)} when it is not set: the application then "
            f"uses a {'key' if key else 'credential'} anyone can read in the source; fail at start-up instead")
    elif isinstance(parent, ast.keyword) and parent.arg and parent.value is node:
        yield from _named_secret(sec, parent.arg, node)
    elif isinstance(parent, ast.Dict) and node in parent.values:
        key = parent.keys[parent.values.index(node)]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield from _named_secret(sec, key.value, node)
    elif isinstance(parent, ast.Compare):
        # if password == "hunter2" (or password == other == "hunter2"): a credential checked against a literal
        operands = [parent.left, *parent.comparators]
        i = next((k for k, operand in enumerate(operands) if operand is node), 0)
        for step in (-1, 1):
            j = i
            while 0 <= j + step < len(operands):
                op = parent.ops[min(j, j + step)]
                if not (isinstance(op, ast.Eq) or (j == i and isinstance(op, ast.NotEq))):
                    break  # past the neighbour, only a chain of == says the literal equals the operand
                j += step
                other = operands[j]
                name = _operand_name(other)
                if name is not None and secret_name(name):
                    # the literal IS the credential the code accepts, whatever the name calls it
                    yield from _named_secret(sec, name, node, certain=True)
                    return
                if not isinstance(op, ast.Eq):
                    break


def _project_function(sec: SecurityPass, call: ast.Call):
    """The function of the project ``call`` calls (a module-level function of this module bound
    once, or of another first-party module) and its module's name resolver, else None."""
    if isinstance(call.func, ast.Name) and call.func.id not in sec.imports.names:
        local = sec.__dict__.get("_hardcoded_secrets_functions")
        if local is None:
            local = sec.__dict__["_hardcoded_secrets_functions"] = once_bound_functions(sec.tree)
        func = local.get(call.func.id)
        return (func, sec.qualified) if func is not None else None
    if sec.ctx is None or sec.ctx.resolver is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    qualified = sec.qualified(call.func)
    target = project_target(sec, qualified, False) if qualified else None
    found = module_function(target[0], target[1], target[2]) if target is not None else None
    if found is None:
        return None
    reads.note_file(target[0])  # the wrapper's text decides: an edit of it re-checks this file
    note_dependent(target[0], sec.doc.path)
    mod, func = found
    return func, mod.base.qualified


def _operand_name(node: ast.expr) -> str | None:
    """What names a compared value: ``password``, ``form.password``, the key of
    ``request.POST.get("password")`` or ``request.form["password"]``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        node = node.args[0]
    elif isinstance(node, ast.Subscript):
        node = node.slice
    else:
        return last_name(node)
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


MODULE = RuleModule(
    rules=(HARDCODED_SECRET, POSSIBLE_SECRET),
    handlers={
        ast.Assign: check_assign,
        ast.AnnAssign: check_assign,
        ast.Constant: check_string,
        ast.FunctionDef: check_defaults,
        ast.AsyncFunctionDef: check_defaults,
    },
    triggers=TRIGGERS,
)


def _named_secret(sec: SecurityPass, name: str, node: ast.Constant, certain: bool = False) -> Iterator[Finding]:
    text = node.value
    if not isinstance(text, str) or _provider_secret(text) is not None or not secret_name(name):
        return
    if _looks_secret(name, text):
        yield _rule_for(sec, certain or _certain_name(name) or live_credential(text)).finding(
            sec.doc, node, f"`{name}` holds a hard-coded credential {_mask(text)}; read it from the environment or a secret manager")


# -- what a secret looks like -------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"example|sample|dummy|fake|placeholder|changeme|change[_-]?me|replace|your[_-]?|xxx|\*\*\*|\.\.\.|<|>|\$\{|\{\{|%\(|\{\w*\}|todo|fixme|redacted|insert|secret_here|^test|^(none|null|true|false|n/?a|default)$"
    r"|wrong|incorrect|invalid|^bad|bogus|does_?not_?exist|nonexist",
    re.IGNORECASE,
)


# `sk_live_4f9a7c2e1b77`, `crm_live_51HkQ2mL9v`: the production half of a provider's live/test key
# pair, named by its own text; a publishable key (`pk_live_`, Stripe's) is public by design
_LIVE_FORMAT = re.compile(r"(?!pk_|pub_|publishable_)([a-z]{2,12})_live_([A-Za-z0-9]{10,})")


def live_credential(text: str) -> bool:
    """Is ``text`` a live-format credential (``<prefix>_live_<random>``, the random part mixing
    letters and digits, not a placeholder)?  Named as a token or API key it is a production
    secret, not a public client key: SEC010, not SEC033."""
    m = _LIVE_FORMAT.fullmatch(text)
    if m is None or _PLACEHOLDER.search(text):
        return False
    tail = m.group(2)
    return bool(re.search(r"\d", tail) and re.search(r"[A-Za-z]", tail)) and len(set(tail)) > 5


def _sequential(text: str) -> bool:
    """``0123456789012...`` / ``abcdefgh...``: a counting placeholder, not random."""
    return len(text) >= 8 and (text in "0123456789" * (len(text) // 10 + 2) or text.lower() in "abcdefghijklmnopqrstuvwxyz" * 2)


def _entropy(text: str) -> float:
    size = len(text)
    if not size:
        return 0.0
    return -sum(c / size * math.log2(c / size) for c in Counter(text).values())


# letters, digits, letters, digits (s3cr3t); tried only where a run of letters begins, or a long
# value would be scanned again from each of its letters
_LEET = re.compile(r"(?<![a-z])[a-z]+\d+[a-z]+\d", re.IGNORECASE)
# a name saying the value is deliberately not a working credential
_NOT_REAL_WORDS = frozenset({"wrong", "incorrect", "invalid", "bad", "bogus", "fake", "dummy", "mock", "example", "sample"})


def _looks_secret(name: str, text: str) -> bool:
    if not text or any(ch.isspace() for ch in text) or _PLACEHOLDER.search(text) or "://" in text:
        return False
    if len(set(text)) <= 2 or re.fullmatch(r"[A-Z][A-Z0-9_]*", text) or text.startswith(("/", "./", "~")) or _sequential(text):
        return False
    if text.startswith(("pk_live_", "pk_test_")) or (text.startswith("eyJ") and text.count(".") < 2):
        return False  # a Stripe publishable key is public; a JWT without signature proves nothing
    words = name_words(name)
    if _NOT_REAL_WORDS & set(words):
        return False  # WRONG_PASSWORD = "hunter3": a value meant to be rejected
    lowered = text.lower().replace("-", "_")
    if lowered in {"_".join(words), words[-1]} or lowered in NOT_SECRET_SUFFIX:
        return False
    if re.fullmatch(r"[a-z]+(?:[_.][a-z]+)+", lowered) and words[-1] in lowered.replace(".", "_").split("_"):
        return False  # {"afreeca-stream-password": "stream-password"}: the value names the setting too
    if words[-1] == "pass":
        # PASS = "passed", "\033[92m": a test outcome or its colour; a password has letters and digits
        return len(text) >= 4 and text.isprintable() and "pass" not in lowered and bool(re.search(r"[A-Za-z]", text) and re.search(r"\d", text))
    if words[-1] in PASSWORD_WORDS or "".join(words[-2:]) == "password":
        # {"smtp_password": "mail_settings"} (pretalx): a snake_case name of lowercase words is a
        # field or group it is stored under, not a password
        return len(text) >= 4 and not re.fullmatch(r"[a-z]+(?:_[a-z]+)+", text)
    if len(text) >= 6 and _LEET.search(text):
        return True  # secret = "s3cr3t": digits inside a word are a made-up credential, not a name
    return len(text) >= 16 and _entropy(text) >= 3.0 and not re.fullmatch(r"[a-z_.:-]+", text)


_PROVIDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key ID", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{50,}")),
    ("Stripe live key", re.compile(r"\b(?:sk|rk)_live_[0-9a-zA-Z]{20,}")),
    ("Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    ("Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Anthropic API key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{32,}")),
    ("OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}")),
    ("SendGrid API key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b")),
    ("Mailchimp API key", re.compile(r"\b[0-9a-f]{32}-us[0-9]{1,2}\b")),
    ("PyPI upload token", re.compile(r"\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{70,}")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----")),
    ("JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}")),
    ("connection string password", re.compile(r"\b[a-z][a-z0-9+.-]*://[^:/\s@]+:(?P<pw>[^@\s/]{3,})@[^\s/]+")),
)


_PROVIDER_HINT = re.compile(r"AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|_live_|xox|hooks\.slack|AIza|sk-|SG\.|-us\d|pypi-AgE|PRIVATE KEY|eyJ|://[^/\s@]+:[^@\s/]+@")


def _provider_secret(text: str) -> str | None:
    if len(text) < 16 or _PROVIDER_HINT.search(text) is None:
        return None
    for kind, pattern in _PROVIDERS:
        m = pattern.search(text)
        if m is None:
            continue
        secret = m.group("pw") if "pw" in pattern.groupindex else m.group(0)
        if len(set(secret[4:])) <= 2 or _PLACEHOLDER.search(secret) or (kind == "OpenAI API key" and not (re.search(r"\d", secret) and re.search(r"[A-Z]", secret))):
            continue
        if kind == "private key" and not re.sub(r"-----END [A-Z ]+-----|\s", "", text[m.end():]):
            continue  # startswith("-----BEGIN PRIVATE KEY-----"): the header alone holds no key
        if kind == "connection string password" and (secret.lower() in {"password", "pass", "passwd", "pwd", "secret", "user", "pw"} or secret.startswith(("$", "%", "{"))):
            continue
        return kind
    return None


def _secret_match(text: str) -> str:
    for _, pattern in _PROVIDERS:
        m = pattern.search(text)
        if m is not None:
            return m.group(0)
    return text


def _mask(secret: str) -> str:
    """Show a short prefix only: never the secret in full."""
    prefix = secret[: min(4, max(len(secret) // 4, 1))]
    return f"'{prefix}…' ({len(secret)} chars)"
