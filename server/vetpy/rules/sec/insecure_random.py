"""SEC008 insecure-random-secret: the random module generates a token, password, session id or
reset code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import walk
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import import_edit, named_targets
from vetpy.rules.sec.names import name_words, secret_name
from vetpy.rules.sec.predictable_hashes import clock_locals, predictable_hash
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

INSECURE_RANDOM = rule(
    code="SEC008",
    name="insecure-random-secret",
    family="SEC",
    severity=Severity.WARNING,
    summary="The random module generates a token, password, session id or reset code.",
    rationale="""`random` is a Mersenne Twister: its output is predictable after observing about
    600 values, so tokens made with it can be guessed. Use the `secrets` module
    (`secrets.token_urlsafe()`, `secrets.choice`, `secrets.randbelow`). A hash (`hashlib`) of
    predictable inputs only (the time, `datetime.now()`, `uuid1()`, an id or e-mail) is as
    guessable as they are; one with a random or secret input (`secrets.token_hex()`, a
    `SECRET_KEY`) is not reported. The value is a secret by its name, the name of the function
    that returns it (`def generate_reset_code()`), or the keyword it is passed as (`secret=`).""",
    bad="""
        import random

        token = "".join(random.choice(ALPHABET) for _ in range(32))
    """,
    good="""
        token = "".join(secrets.choice(ALPHABET) for _ in range(32))
    """,
    fix_safety=FixSafety.SAFE,
    cwe=(338, 330),
)

RANDOM_FUNCTIONS = frozenset(
    {f"random.{f}" for f in ("random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "shuffle", "uniform", "randbytes")}
)
# values that only need to be unique, not unguessable (a MIME boundary, a temporary file name)
_UNIQUE_ONLY_WORDS = frozenset({"boundary", "delimiter", "separator", "sentinel", "marker", "filename", "tmpname", "tempname"})


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Assign | ast.AnnAssign = site.node  # type: ignore[assignment]
    for _, name in named_targets(node):
        if secret_name(name, for_random=True):
            holder = f"`{name}`"
        elif site.func is not None and secret_function(site.func) and returned(name, site.func):
            holder = f"`{name}`, which `{site.func.name}` returns,"  # def generate_otp(): code = random...; return code
        else:
            continue
        if _only_makes_unique_values(name, site.func):  # a walk of the function: only for a secret's name
            continue
        yield from _random_calls(sec, node.value, holder)  # type: ignore[arg-type]


def check_return(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``def make_reset_code(): return "".join(random.choice(...) ...)``: the function's name says
    what the value is."""
    node: ast.Return = site.node  # type: ignore[assignment]
    func = site.func
    if node.value is None or func is None or not secret_function(func):
        return
    yield from _random_calls(sec, node.value, f"the value `{func.name}` returns", clock_locals(sec.qualified, func))


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``Webhook(url=url, secret=...)``: the keyword names what the value is."""
    call: ast.Call = site.node  # type: ignore[assignment]
    statement = next((a for a in reversed(site.ancestors) if isinstance(a, ast.stmt)), None)
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and any(secret_name(n, for_random=True) for _, n in named_targets(statement)):
        return  # the assignment's name says it (check_assign)
    if isinstance(statement, ast.Return) and site.func is not None and secret_function(site.func):
        return  # so does the function's name (check_return)
    for kw in call.keywords:
        if kw.arg is not None and secret_name(kw.arg, for_random=True):
            yield from _random_calls(sec, kw.value, f"`{kw.arg}=`")


def _random_calls(sec: SecurityPass, value: ast.expr, holder: str, clocks: frozenset[str] = frozenset()) -> Iterator[Finding]:
    for sub in walk(value):
        if isinstance(sub, ast.Call) and (callee := sec.qualified(sub.func)) in RANDOM_FUNCTIONS:
            yield INSECURE_RANDOM.finding(
                sec.doc, sub, f"`{callee}` is predictable; {holder} needs the secrets module", fixes=_fix(sec, sub, callee)
            )
        elif isinstance(sub, ast.Call) and (hashed := predictable_hash(sec.qualified, sub, clocks)) is not None:
            yield INSECURE_RANDOM.finding(
                sec.doc, sub, f"a hash of {hashed} is as predictable as its inputs; {holder} needs the secrets module "
                "(`secrets.token_urlsafe()`)")


def secret_function(func: FunctionNode) -> bool:
    """A function named for what must be unguessable (``generate_token``, ``new_session_id``), not
    for something about it (``token_url``) nor for test data (``random_password_for_test``)."""
    words = name_words(func.name)
    return secret_name(func.name, for_random=True) and not ({"test", "fake", "dummy", "mock", "sample", "example"} & set(words))


def returned(name: str, func: FunctionNode) -> bool:
    return any(
        isinstance(n, ast.Return) and n.value is not None and any(isinstance(x, ast.Name) and x.id == name for x in walk(n.value))
        for n in walk(func)
    )


def _only_makes_unique_values(name: str, func: FunctionNode | None) -> bool:
    """Is every use of ``name`` in ``func`` the building of a boundary, delimiter or file name
    (``token = random.randrange(n); boundary = "==" + str(token)``)?"""
    if func is None:
        return False
    loads = feeding = 0
    for node in walk(func):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            loads += 1
        elif isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and _UNIQUE_ONLY_WORDS & set(name_words(t.id)) for t in node.targets
        ):
            feeding += sum(1 for n in walk(node.value) if isinstance(n, ast.Name) and n.id == name)
    return loads > 0 and loads == feeding


# the secrets module's own function for a call with the same arguments and the same result type
_SECRETS_EQUIVALENT = {"random.choice": "choice", "random.getrandbits": "randbits", "random.randbytes": "token_bytes"}


def _fix(sec: SecurityPass, call: ast.Call, callee: str) -> list[Fix]:
    """``random.choice(x)`` -> ``secrets.choice(x)`` (also ``getrandbits`` -> ``randbits``,
    ``randbytes`` -> ``token_bytes``, ``randrange(n)`` -> ``randbelow(n)``); every other function
    -> the same method of ``secrets.SystemRandom()``, which has the whole ``random`` API drawn from
    the operating system's generator. Arguments are kept as written."""
    secrets_local = next((local for local, target in sec.imports.names.items() if target == "secrets"), None)
    module = secrets_local or "secrets"
    args = sec.doc.segment(call)[len(sec.doc.segment(call.func)) :]
    function = callee.rsplit(".", 1)[-1]
    replacement = _SECRETS_EQUIVALENT.get(callee)
    if replacement is None and function == "randrange" and len(call.args) == 1 and not call.keywords:
        replacement = "randbelow"
    if replacement is not None:
        text, title = f"{module}.{replacement}{args}", f"Use secrets.{replacement}"
    else:
        text, title = f"{module}.SystemRandom().{function}{args}", f"Use secrets.SystemRandom().{function}"
    edits = [sec.doc.replace_node(call, text)]
    if secrets_local is None:
        edits.append(import_edit(sec.doc, sec.tree, "import secrets"))
    return [Fix(title, tuple(edits), safe=True, preferred=True)]


MODULE = RuleModule(
    rules=(INSECURE_RANDOM,),
    handlers={ast.Assign: check_assign, ast.AnnAssign: check_assign, ast.Return: check_return, ast.Call: check_call},
    triggers=Triggers(words=("random", "hashlib", "md5", "sha1", "sha256", "sha512")),
)
