"""SEC006 tls-verification-disabled: TLS certificate or host name verification is turned off."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import pairwise

from vetpy.astutil import dotted_name, is_constant, leaves
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.libraries import HTTP_CLIENT_MODULES, HTTP_METHODS
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import named_targets, remove_keyword, target_name
from vetpy.rules.sec.walk import BOOLEAN_SETTING, RuleModule, SecurityPass, Site, Triggers

TLS_VERIFICATION = rule(
    code="SEC006",
    name="tls-verification-disabled",
    family="SEC",
    severity=Severity.WARNING,
    summary="TLS certificate or host name verification is turned off (verify=False, CERT_NONE, unverified context), or an SSH client accepts any host key.",
    rationale="""Without certificate verification anyone on the network path can impersonate the
    server and read or change the traffic, including credentials. Fix the trust store instead
    (`verify="/path/to/ca.pem"`, `SSL_CERT_FILE`, `truststore`). The same holds for SSH:
    paramiko's `AutoAddPolicy` and `WarningPolicy` accept the key of any server not seen before;
    load the known hosts (`load_system_host_keys()`) and keep the default `RejectPolicy`.""",
    bad="""
        import requests

        requests.get(url, verify=False)
    """,
    good="""
        requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(295,),
)

# paramiko's policies that accept an unknown SSH host key (WarningPolicy logs and accepts)
_ANY_HOST_KEY = frozenset({f"paramiko.{m}{p}" for m in ("", "client.") for p in ("AutoAddPolicy", "WarningPolicy")})
# methods of an HTTP client (or of the module) that take `verify=`
_CLIENT_CALLS = HTTP_METHODS | {"Client", "AsyncClient", "Session", "request", "send", "stream", "mount"}


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    found = list(_call_findings(sec, site))
    if found and not _chosen_by_a_setting([*site.ancestors, site.node]):  # asked only of a finding: it walks up
        yield from found


def _call_findings(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    doc = sec.doc
    if attr == "set_missing_host_key_policy" and call.args:
        policy = call.args[0].func if isinstance(call.args[0], ast.Call) else call.args[0]
        accepted = sec.qualified(policy)
        if accepted in _ANY_HOST_KEY:
            yield TLS_VERIFICATION.finding(
                doc, call, f"`{accepted.rsplit('.', 1)[-1]}` accepts the key of any SSH server it has not seen: anyone on the network "
                "path can pose as the host and receive the credentials and commands; load the known hosts and keep `RejectPolicy`")
        return
    if name == "ssl._create_unverified_context":
        yield TLS_VERIFICATION.finding(doc, call, "`ssl._create_unverified_context()` skips certificate and host name checks; use `ssl.create_default_context()`")
        return
    http = (name or "").split(".")[0] in HTTP_CLIENT_MODULES or (attr in _CLIENT_CALLS and sec.modules & HTTP_CLIENT_MODULES)
    for kw in call.keywords:
        if kw.arg == "verify" and is_constant(kw.value, False) and http:
            yield TLS_VERIFICATION.finding(
                doc, kw, "`verify=False` turns off TLS certificate checks; anyone on the network path can read and change the traffic",
                fixes=[Fix("Remove verify=False (verify certificates)", (remove_keyword(doc, call, kw),), preferred=True)],
            )
        elif kw.arg in {"ssl", "verify_ssl"} and is_constant(kw.value, False) and "aiohttp" in sec.modules:
            yield TLS_VERIFICATION.finding(
                doc, kw, f"`{kw.arg}=False` turns off TLS certificate checks in aiohttp",
                fixes=[Fix(f"Remove {kw.arg}=False (verify certificates)", (remove_keyword(doc, call, kw),), preferred=True)],
            )
        elif kw.arg == "cert_reqs" and (is_constant(kw.value, "CERT_NONE") or (dotted_name(kw.value) or "").endswith("CERT_NONE")):
            yield TLS_VERIFICATION.finding(doc, kw, "`cert_reqs=CERT_NONE` turns off TLS certificate checks")


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    found = list(_assign_findings(sec, site))
    if found and not _chosen_by_a_setting([*site.ancestors, site.node]):
        yield from found


def _assign_findings(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Assign | ast.AnnAssign = site.node  # type: ignore[assignment]
    value = node.value
    doc = sec.doc
    for target, name in named_targets(node):
        if isinstance(target, ast.Attribute) and is_constant(value, False):
            if target.attr == "check_hostname" and not _no_host_name_branch([*site.ancestors, node]):
                yield TLS_VERIFICATION.finding(doc, node, "`check_hostname = False` accepts certificates for any host")
            elif target.attr == "verify" and sec.modules & HTTP_CLIENT_MODULES:
                yield TLS_VERIFICATION.finding(doc, node, "`session.verify = False` turns off TLS certificate checks for every request")
        if isinstance(target, ast.Attribute) and target.attr == "verify_mode" and (dotted_name(value) or "").endswith("CERT_NONE"):  # type: ignore[arg-type]
            yield TLS_VERIFICATION.finding(doc, node, "`verify_mode = CERT_NONE` turns off TLS certificate checks")
        if name == "_create_default_https_context" and (dotted_name(value) or "").endswith("_create_unverified_context"):  # type: ignore[arg-type]
            yield TLS_VERIFICATION.finding(doc, node, "every HTTPS connection of the process skips certificate checks")


# a switch named for verification itself (not `if not ca_path:`, a missing trust store that
# falls back to no checks, which stays a finding)
_VERIFY_WORDS = ("verify", "validate", "check_cert", "check_ssl", "check_hostname")
_INSECURE_WORDS = ("insecure", "no_verify", "noverify", "skip_verify", "unverified", "disable")


def _chosen_by_a_setting(chain: list[ast.AST]) -> bool:
    """Does ``chain`` (outermost first, ending with the statement) run only when a setting turned
    verification off: ``if not self.verify_certificate:`` (apprise), ``if args.insecure:``, the
    ``else`` of ``if verify_ssl:``?  That is ``verify=self.verify_certificate`` written out, the
    user's choice, not a disabled check (a literal ``verify=False`` anywhere else still is one)."""
    for anc, child in pairwise(chain):
        if isinstance(anc, ast.If) and child is not anc.test and (
                _turns_off(anc.test) is (child in anc.body) or _compares_a_setting(anc.test)
                or _verification_is_off(anc.test) is (child in anc.body)):
            return True
        for block in (getattr(anc, "body", None), getattr(anc, "orelse", None)):
            if isinstance(block, list) and child in block:  # after `if verify: return ...`
                # a loop over the earlier statements (the module's, for a top-level one), not a
                # generator: this runs for every TLS-relevant call on every edit
                for s in block[: block.index(child)]:
                    if isinstance(s, ast.If) and not s.orelse and leaves(s.body) \
                            and _turns_off(s.test) is False:
                        return True
    return False


def _turns_off(test: ast.expr) -> bool | None:
    """True when ``test`` holds exactly when a setting turned verification off (``not
    self.verify_certificate``, ``args.insecure``), False when exactly when it is on
    (``verify_ssl``), None for any other test."""
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    subject = test.operand if isinstance(test, ast.UnaryOp) and negated else test
    name = target_name(subject) if isinstance(subject, (ast.Name, ast.Attribute, ast.Subscript)) else None
    words = (name or "").lower()
    if not words:
        return None
    if "insecure" not in words and any(w in words for w in _VERIFY_WORDS):
        return negated
    if any(w in words for w in _INSECURE_WORDS):
        return not negated
    return None


def _compares_a_setting(test: ast.expr) -> bool:
    """Is ``test`` a comparison of a verification setting with a value (``self.ssl_verify_mode ==
    Mode.REQUIRED``, Radicale's ``if``/``elif``/``else`` over the configured mode)?  Either branch
    runs only for the modes the user configured it to."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 \
            or not isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)):
        return False
    subject = test.left
    name = target_name(subject) if isinstance(subject, (ast.Name, ast.Attribute, ast.Subscript)) else None
    return bool(name) and any(w in name.lower() for w in _VERIFY_WORDS)  # type: ignore[union-attr]


def _verification_is_off(test: ast.expr) -> bool | None:
    """True for ``x == ssl.CERT_NONE`` (the branch runs only when certificates are not checked
    already: tornado's ``if ssl_options["cert_reqs"] == ssl.CERT_NONE: ctx.check_hostname =
    False``, which the ssl module demands before ``verify_mode = CERT_NONE``), False for ``!=``."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.NotEq)):
        return None
    if not any(isinstance(s, (ast.Name, ast.Attribute)) and _name(s) == "CERT_NONE" for s in (test.left, test.comparators[0])):
        return None
    return isinstance(test.ops[0], ast.Eq)


def _name(node: ast.Name | ast.Attribute) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr


def _no_host_name_branch(chain: list[ast.AST]) -> bool:
    """``chain`` (outermost first, ending with the statement) runs only under ``if not
    server_hostname:`` / ``if hostname is None:``: there is no name to check (asyncio's
    ``_create_transport_context``), so turning the check off loses nothing."""
    for anc, child in pairwise(chain):
        if not isinstance(anc, ast.If) or child not in anc.body:
            continue
        test = anc.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            subject: ast.expr | None = test.operand
        elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)) and (
            is_constant(test.comparators[0], None) or is_constant(test.comparators[0], "")
        ):
            subject = test.left
        else:
            continue
        name = target_name(subject) if isinstance(subject, (ast.Name, ast.Attribute)) else None
        if name is not None and "host" in name.lower():
            return True
    return False


MODULE = RuleModule(
    rules=(TLS_VERIFICATION,),
    handlers={ast.Call: check_call, ast.Assign: check_assign, ast.AnnAssign: check_assign},
    triggers=Triggers(
        words=("_create_unverified_context", "https_context", "cert_reqs", "cert_none", "set_missing_host_key_policy"),
        followed_by=((("verify", "ssl", "check_hostname"), BOOLEAN_SETTING),),
    ),
)
