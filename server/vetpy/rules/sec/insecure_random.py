"""SEC008 insecure-random-secret: the random module generates a token, password, session id or
reset code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import import_edit, named_targets
from vetpy.rules.sec.names import name_words, secret_name
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

INSECURE_RANDOM = rule(
    code="SEC008",
    name="insecure-random-secret",
    family="SEC",
    severity=Severity.WARNING,
    summary="The random module generates a token, password, session id or reset code.",
    rationale="""`random` is a Mersenne Twister: its output is predictable after observing about
    600 values, so tokens made with it can be guessed. Use the `secrets` module
    (`secrets.token_urlsafe()`, `secrets.choice`, `secrets.randbelow`).""",
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
        if not secret_name(name, for_random=True) or _only_makes_unique_values(name, site.func):
            continue
        for sub in ast.walk(node.value):  # type: ignore[arg-type]
            if isinstance(sub, ast.Call) and (callee := sec.qualified(sub.func)) in RANDOM_FUNCTIONS:
                yield INSECURE_RANDOM.finding(
                    sec.doc, sub, f"`{callee}` is predictable; `{name}` needs the secrets module", fixes=_fix(sec, sub, callee)
                )


def _only_makes_unique_values(name: str, func: FunctionNode | None) -> bool:
    """Is every use of ``name`` in ``func`` the building of a boundary, delimiter or file name
    (``token = random.randrange(n); boundary = "==" + str(token)``)?"""
    if func is None:
        return False
    loads = feeding = 0
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            loads += 1
        elif isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and _UNIQUE_ONLY_WORDS & set(name_words(t.id)) for t in node.targets
        ):
            feeding += sum(1 for n in ast.walk(node.value) if isinstance(n, ast.Name) and n.id == name)
    return loads > 0 and loads == feeding


def _fix(sec: SecurityPass, call: ast.Call, callee: str) -> list[Fix]:
    replacement = {"random.choice": "choice", "random.getrandbits": "randbits"}.get(callee)
    if replacement is None:
        return []
    secrets_local = next((local for local, target in sec.imports.names.items() if target == "secrets"), None)
    args = sec.doc.segment(call)[len(sec.doc.segment(call.func)) :]
    edits = [sec.doc.replace_node(call, f"{secrets_local or 'secrets'}.{replacement}{args}")]
    if secrets_local is None:
        edits.append(import_edit(sec.doc, sec.tree, "import secrets"))
    return [Fix(f"Use secrets.{replacement}", tuple(edits), safe=True, preferred=True)]


MODULE = RuleModule(
    rules=(INSECURE_RANDOM,),
    handlers={ast.Assign: check_assign, ast.AnnAssign: check_assign},
    triggers=Triggers(words=("random",)),
)
