"""Every rule code vetpy has, in one static table: code -> kebab-case rule name.

Configuration (``select``, ``ignore``, ``per-file-ignores``, ``severity``) is validated against
this table without loading any rule, so the core never imports the rules to read a setting.  A
rule module declares its rule with :func:`vetpy.rules.registry.rule`; the registry refuses a code
that is not here, and ``tests/test_architecture.py`` checks that every code here has a rule.
Adding a rule: add its line here, in code order.
"""

from __future__ import annotations

from typing import Iterable

FAMILIES = {
    "SYN": "Syntax and file errors",
    "HAL": "Hallucinated API",
    "DEP": "Dependencies and pins",
    "SEC": "Security",
    "EDGE": "Edge cases",
    "TEST": "Tests that cannot fail",
}

CODES: dict[str, str] = {
    "SYN001": "syntax-error",
    "SYN002": "unreadable-file",
    "SYN003": "unused-suppression",
    "HAL001": "unresolved-import",
    "HAL002": "unknown-import-name",
    "HAL003": "unknown-attribute",
    "HAL004": "unknown-keyword",
    "HAL005": "bad-arity",
    "HAL006": "deprecated-api",
    "DEP001": "undeclared-dependency",
    "DEP002": "pin-mismatch",
    "DEP003": "declared-not-installed",
    "DEP004": "lookalike-dependency",
    "SEC001": "sql-injection",
    "SEC002": "command-injection",
    "SEC003": "code-injection",
    "SEC004": "template-injection",
    "SEC005": "unsafe-deserialization",
    "SEC006": "tls-verification-disabled",
    "SEC007": "jwt-not-verified",
    "SEC008": "insecure-random-secret",
    "SEC009": "weak-password-hash",
    "SEC010": "hardcoded-secret",
    "SEC011": "exception-details-in-response",
    "SEC012": "debug-mode-enabled",
    "SEC013": "debug-server-exposed",
    "SEC014": "cross-site-scripting",
    "SEC015": "path-traversal",
    "SEC016": "server-side-request-forgery",
    "SEC017": "open-redirect",
    "SEC018": "insecure-temp-file",
    "SEC019": "world-writable-permissions",
    "SEC020": "xml-entity-expansion",
    "SEC021": "token-claims-not-checked",
    "SEC022": "length-checked-not-validated",
    "SEC023": "missing-authorization",
    "SEC024": "sql-formatting",
    "SEC025": "command-formatting",
    "SEC026": "tar-extraction-without-filter",
    "SEC027": "timing-unsafe-compare",
    "SEC028": "cors-any-origin-with-credentials",
    "SEC029": "public-cloud-storage-acl",
    "SEC030": "insecure-session-cookie",
    "SEC031": "secret-in-log",
    "SEC032": "csrf-exempt-session-view",
    "SEC033": "possible-hardcoded-credential",
    "SEC034": "mass-assignment",
    "SEC035": "regex-injection",
    "SEC036": "insecure-direct-object-reference",
    "SEC037": "state-change-on-get",
    "SEC038": "argument-injection",
    "SEC039": "weak-cipher",
    "SEC040": "csv-injection",
    "SEC041": "nosql-injection",
    "SEC042": "pii-in-log",
    "SEC043": "spoofable-client-ip",
    "SEC044": "settings-in-response",
    "SEC045": "user-enumeration",
    "EDGE001": "bare-except",
    "EDGE002": "swallowed-exception",
    "EDGE003": "network-call-without-timeout",
    "EDGE004": "unbounded-query",
    "EDGE005": "unbounded-read",
    "EDGE006": "unbounded-retry-loop",
    "EDGE007": "float-money",
    "EDGE008": "decimal-from-float",
    "EDGE009": "unchecked-none",
    "EDGE010": "empty-division",
    "EDGE011": "max-min-without-default",
    "EDGE012": "first-of-filtered",
    "EDGE013": "blocking-call-in-async",
    "EDGE014": "mutable-default-argument",
    "EDGE015": "assert-for-validation",
    "EDGE016": "naive-utc-datetime",
    "EDGE017": "naive-aware-comparison",
    "EDGE018": "unlocked-shared-state",
    "EDGE019": "file-check-then-use",
    "EDGE020": "unchecked-fetchone",
    "EDGE021": "mutable-default-written",
    "EDGE022": "whole-object-read",
    "EDGE023": "dropped-task",
    "EDGE024": "client-page-size",
    "EDGE025": "next-without-default",
    "EDGE026": "default-evaluated-once",
    "EDGE027": "naive-utc-timestamp",
    "EDGE028": "lock-without-expiry",
    "EDGE029": "mutate-while-iterating",
    "EDGE030": "refused-then-written",
    "EDGE031": "unchecked-lookup",
    "EDGE032": "calendar-field-overflow",
    "EDGE033": "years-from-days",
    "EDGE034": "one-based-page-offset",
    "EDGE035": "unpacked-split",
    "EDGE036": "ascii-decoded-text",
    "EDGE037": "subprocess-without-timeout",
    "EDGE038": "naive-parsed-datetime",
    "EDGE039": "unclosed-file",
    "EDGE040": "failure-reported-as-success",
    "EDGE041": "query-parameter-without-default",
    "TEST001": "test-without-assertion",
    "TEST002": "assertion-always-true",
    "TEST003": "mock-pseudo-assertion",
    "TEST004": "expected-from-code-under-test",
    "TEST005": "swallowed-exception-in-test",
    "TEST006": "broad-expected-exception",
    "TEST007": "test-never-asserts",
}


# Codes that run only when selected by name, family or ALL (never by an empty ``select``): an
# unused suppression is reported only by projects that ask for it, as ruff's RUF100; a test with
# no assertion of any kind (TEST007) mostly finds deliberate "does not raise" tests in mature
# suites (benchmarks/test_rules.md), so only projects that want every test to assert ask for it.
# SEC023 (missing authorization) was opt-in: it judges a route by its siblings' decorator and
# dependency names, and its first cut was wrong on all 8 of its findings on real applications
# (benchmarks/review.md).  Drawn across Django views, class-based views and django-ninja
# (session 27) it reports nothing on sixteen real applications (1,543 routes recognised; its one
# interim finding, pretix's own-settings UpdateView, was noise and is gone) and finds all 8
# seeded missing-authorization markers of services 25 and 26 with no false positive on their
# look-alikes: on by default since session 27, where a wrong finding costs one look at a route.
# And the rules that fall short of issue #16's bar on real applications (worth fixing in at
# least 80% of their findings, debatable counting half; see benchmarks/realapps.md): a bare
# `except:` (5 of 5 debatable, never a bug), a swallowed `except Exception` (0 real of 16, mostly
# deliberate best-effort calls), an unfiltered `.all()` (2 debatable of 22 in the sample and the
# full run, the rest small lookup and configuration tables) and an unchecked None (0 real of 33
# labelled: at best a 500 instead of a 400 on malformed input).
# SQL built by string formatting is SEC001 (default) only when a spliced value is traced to
# untrusted input; with values of unknown origin it is SEC024 (opt-in): on eight real
# applications none of those 7 findings was an injection (configured table names, integers,
# model identifiers).
# A mutable default argument written into or escaping (EDGE021): on eight real applications 1 real
# of 15 findings, 12 debatable (a shared `criterions={}` that every call overwrites with the same
# keys), 2 noise (a default only returned or stored); the real one has the debatable ones' shape,
# so no tightening keeps it and passes the bar. A default the function grows (`append`, `add`,
# `+=`) is EDGE014, on by default: none of those 15 was of that shape.
# A shell command built from a value not traced to untrusted input is SEC025, SEC002 only when
# traced.  SEC025 was opt-in (none of its first 3 findings on the applications was an injection: a
# program found on PATH, a configured helper's path); since session 27 it reports only commands
# with a part taken from a parameter of the running function (not quoted, not a number or a row's
# identifier): 12 of its 13 findings on sixteen real applications are worth fixing, so it is on
# by default.
# HAL006 deprecated-api: a warning about working code, for projects preparing an upgrade.
# EDGE019 (a file tested with `exists()` then created or removed): on eight real applications 3
# real of 14 findings (57%, debatable counting half), 10 debatable, 1 noise; the same
# `if exists(p): os.remove(p)` is a race in a web service and harmless in a single-user tool, and
# nothing in the code tells them apart (benchmarks/realapps.md). Its certain half, a path refused
# when it exists (`raise`, `abort(409)`) and then written, is EDGE030 (session 32), on by default:
# none of the 14 had that shape, and there the code itself says the file must not be overwritten.
# EDGE022 (an S3 object's Body read whole): on thirteen real applications its one finding was
# debatable (a storage backend's get returning the bytes its interface promises).
# The certain shapes of opt-in EDGE rules have default codes of their own (session 30): a page size
# the client chooses with no cap (EDGE024, from EDGE004), next() of a file's rows or of a search by
# an element's id (EDGE025, from EDGE012: realapps' 4 real EDGE012 findings, none of its noise),
# a field default called once at import (EDGE026) and utcnow().timestamp() (EDGE027), from
# EDGE016: realapps' 4 real EDGE016 findings. A request parameter read without a default and an
# ORM .first() used unchecked stayed EDGE009's: on realapps mostly a 500 where a 400 was due
# (debatable), with a few guarded by a correlated test (noise). A lookup by key whose contract is
# None on a miss (`session.get(Model, key)`, `..._or_none()`) used unchecked is EDGE031 (session
# 33), on by default: every such lookup on the eight applications was checked (0 findings).
OPT_IN = frozenset({"EDGE022", "SYN003", "TEST007", "EDGE001", "EDGE002", "EDGE004", "EDGE009", "EDGE012", "EDGE021", "EDGE016", "SEC024", "SEC033", "HAL006", "EDGE019"})


def default_codes() -> set[str]:
    """The codes enabled when ``select`` is empty."""
    return set(CODES) - OPT_IN


def match(selector: str) -> set[str]:
    """Codes matched by one selector: an exact code, a prefix (``SEC``, ``HAL00``) or ``ALL``."""
    sel = selector.strip().upper()
    if sel == "ALL":
        return set(CODES)
    return {code for code in CODES if code.startswith(sel)}


def expand(selectors: Iterable[str]) -> set[str]:
    """Codes matched by any of ``selectors``."""
    result: set[str] = set()
    for sel in selectors:
        result |= match(sel)
    return result
