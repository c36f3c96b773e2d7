"""SEC: security anti-patterns that AI assistants copy from public code.

One pass over the syntax tree per module (:mod:`vetpy.rules.sec.walk`), dispatching each node to
the handlers the rule modules below declare.  Injection rules ask :mod:`vetpy.dataflow` where a
value comes from and stay silent for values built only from constants (module-level constant
names, constant dicts, allow-list checks): that is where other tools drown their users.

To add a rule:

- ``sec/<rule_name>.py``: the ``rule(...)`` declaration (its docstring and examples are the
  documentation), the handlers (``(SecurityPass, Site) -> findings``) and fixes, and
  ``MODULE = RuleModule(rules=..., handlers={ast.Call: ...}, triggers=Triggers(...))``: the
  trigger words are the text on a line without which the rule cannot fire in a module that does
  not use a web framework (those are walked in full).  Helpers shared by several rules go in
  ``sec/common.py`` (or ``sec/names.py``); library knowledge other families can use goes in
  :mod:`vetpy.libraries`.
- here: import the module and add its ``MODULE`` to :data:`MODULES` (the checker's codes, the
  dispatch table and the pre-filter come from that list).
- tests: ``tests/test_security.py`` (its ``findings`` helper also checks that the gated walk
  finds what the full walk finds), fixtures in ``fixtures/security/``, and the golden files
  (``VETPY_UPDATE_GOLDEN=1``) for the new findings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.rules.registry import REGISTRY, selected_codes
from vetpy.rules.sec import (
    admin_guards,
    archive_members,
    body_methods,
    callers_into,
    client_ip,
    authorization,
    authorization_pyramid,
    admin_breadth,
    role_widening,
    pyramid_templates,
    claim_presence,
    code_injection,
    command_injection,
    cookies,
    cors,
    cors_reflected,
    cross_module,
    csrf_exempt,
    csv_injection,
    debug,
    deserialization,
    exposure,
    filesystem,
    hardcoded_secrets,
    insecure_random,
    jwt_by_hand,
    jwt_verification,
    length_only,
    mass_assignment,
    object_ownership,
    child_rows,
    get_state_change,
    argument_injection,
    nosql_injection,
    regex_injection,
    pii_logging,
    public_storage,
    secret_logging,
    settings_exposure,
    signed_token_age,
    sql_injection,
    tar_extraction,
    template_injection,
    timing_compare,
    tls,
    token_claims,
    token_identity,
    token_lifetime,
    user_enumeration,
    web,
    weak_cipher,
    weak_password_hash,
    xml_entities,
)
from vetpy.rules.sec.walk import SecurityPass, Walk

# In code order; a node's handlers run in this order.
MODULES = (
    sql_injection.MODULE,
    command_injection.MODULE,
    code_injection.MODULE,
    template_injection.MODULE,
    deserialization.MODULE,
    tls.MODULE,
    jwt_verification.MODULE,
    jwt_by_hand.MODULE,
    insecure_random.MODULE,
    weak_password_hash.MODULE,
    hardcoded_secrets.MODULE,
    exposure.MODULE,
    debug.MODULE,
    web.MODULE,
    filesystem.MODULE,
    xml_entities.MODULE,
    token_claims.MODULE,
    claim_presence.MODULE,
    signed_token_age.MODULE,
    token_lifetime.MODULE,
    admin_guards.MODULE,
    token_identity.MODULE,
    length_only.MODULE,
    authorization.MODULE,
    authorization_pyramid.MODULE,
    admin_breadth.MODULE,
    role_widening.MODULE,
    pyramid_templates.MODULE,
    tar_extraction.MODULE,
    archive_members.MODULE,
    timing_compare.MODULE,
    cors.MODULE,
    cors_reflected.MODULE,
    public_storage.MODULE,
    cookies.MODULE,
    secret_logging.MODULE,
    pii_logging.MODULE,
    csrf_exempt.MODULE,
    mass_assignment.MODULE,
    regex_injection.MODULE,
    object_ownership.MODULE,
    child_rows.MODULE,
    get_state_change.MODULE,
    argument_injection.MODULE,
    weak_cipher.MODULE,
    csv_injection.MODULE,
    nosql_injection.MODULE,
    client_ip.MODULE,
    settings_exposure.MODULE,
    user_enumeration.MODULE,
    cross_module.MODULE,
)
WALK = Walk(MODULES)


@functools.lru_cache(maxsize=64)
def walk_for(codes: frozenset[str] | None) -> Walk:
    """The walk of the rule modules that have a rule among ``codes`` (all of them for None): an
    opt-in rule that is not selected costs nothing (its handlers, triggers and facts are left out)."""
    if codes is None or WALK.codes <= codes:
        return WALK
    return Walk(m for m in MODULES if any(r.code in codes for r in m.rules))


def scan(doc: Document, full: bool = False, codes: frozenset[str] | None = None,
         ctx: AnalysisContext | None = None) -> list[Finding]:
    """The SEC findings of a parsed document.  ``full``: walk every statement, not only those on
    lines with a trigger word (the same findings; the tests compare both).  ``codes``: only the
    rule modules with a rule among them are walked (their other rules' findings come too)."""
    if doc.tree is None:
        return []
    sec = SecurityPass(doc, doc.tree, walk_for(codes), full)
    sec.ctx = ctx  # the calls of this module's functions from other modules (vetpy.rules.sec.callers_into)
    if ctx is not None:  # `self.json_body()` of a base handler of another module
        sec.flow.source_methods.project_class = lambda name: body_methods.project_class(sec, name)
    if ctx is not None and ctx.first_party is not None and "rest_framework" in doc.text:
        # a DRF view without `permission_classes` takes the project's default (SEC023, SEC036)
        doc.shared[authorization.DRF_DEFAULT_ALLOWS_ANY] = ctx.first_party.drf_default_allows_any()
    found = list(sec.run())
    crossing = list(callers_into.findings(sec))
    # the same sink, certain now: SQL or a command a caller's request input reaches is not also
    # reported as formatted with a value of unknown origin (SEC024, SEC025)
    certain = {(_UNCERTAIN[f.code], line) for f in crossing if f.code in _UNCERTAIN for line in (f.line, f.extra["sink_line"])}
    # a regex from input checked for length only is SEC022's (the more precise message): not SEC035 too
    certain |= {("SEC035", f.line) for f in found if f.code == "SEC022"}
    return [*(f for f in found if (f.code, f.line) not in certain), *crossing]


_UNCERTAIN = {"SEC001": "SEC024", "SEC002": "SEC025"}


@REGISTRY.checker(*sorted(WALK.codes))
def check_security(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    found = scan(doc, codes=selected_codes(doc), ctx=ctx)
    env = ctx.environment
    if env is None:
        return found
    kept = (tar_extraction.for_target(f, env.version) for f in found)  # SEC026 depends on the target's tarfile
    return [f for f in kept if f is not None]


__all__ = ["MODULES", "WALK", "check_security", "scan"]
