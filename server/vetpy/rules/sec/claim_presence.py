"""SEC021 (token-claims-not-checked), a claim's presence taken for its value:
``def is_agent(claims): return "roles" in claims``.

A token that carries a ``roles`` claim may carry ``[]``, ``["viewer"]`` or anything its issuer
puts there: testing that the claim exists grants every token that has one.  Reported only where
the test is certainly the authorisation answer: the whole returned value of a function named as a
predicate (``is_``/``has_``/``can_``/``may_``) about something other than the claim itself, the
tested name a claims mapping (``claims``, ``payload``, ``token``, ``jwt``, ``identity``,
``decoded``), the key a claim that carries authority.  ``"agent" in claims["roles"]``,
``"sub" in claims`` and ``def has_roles_claim(claims)`` (a helper that says what it does) are not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import last_name
from vetpy.findings import Finding
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

AUTHORITY_CLAIMS = frozenset({"roles", "role", "scope", "scp", "scopes", "permissions", "perms", "groups",
                              "admin", "is_admin", "is_staff", "is_superuser", "superuser"})
_CLAIMS_WORDS = frozenset({"claims", "claim", "payload", "token", "jwt", "identity", "decoded"})
_PREDICATE = ("is_", "has_", "can_", "may_")


def check_compare(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Compare = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or len(node.ops) != 1 or not isinstance(node.ops[0], ast.In):
        return
    key = node.left
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in AUTHORITY_CLAIMS):
        return
    holder = last_name(node.comparators[0])
    if holder is None or not _CLAIMS_WORDS & set(name_words(holder)):
        return
    name = func.name.lower()
    if not name.startswith(_PREDICATE) or "claim" in name or any(w in name_words(func.name) for w in name_words(key.value)):
        return  # not an authorisation predicate, or one that says it tests for the claim
    returns = [n for n in ast.walk(func) if isinstance(n, ast.Return)]
    if not any(r.value is node for r in returns) or not all(
            r.value is node or (isinstance(r.value, ast.Constant) and r.value.value in (False, None)) for r in returns):
        return  # the answer is the test alone (other returns only deny)
    yield TOKEN_CLAIMS.finding(
        sec.doc, node,
        f"`{func.name}` answers with the presence of the `{key.value}` claim, not its value: any token that "
        f"carries one passes (`[]`, a read-only role); check the value (`\"agent\" in {holder}.get(\"{key.value}\", [])`)")


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Compare: check_compare},
    triggers=Triggers(exact=tuple(q + c + q for c in sorted(AUTHORITY_CLAIMS) for q in ('"', "'"))),
)
