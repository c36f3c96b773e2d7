"""SEC026 tar-extraction-without-filter: a tar archive is extracted without an extraction filter."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers
from vetpy.scopes import plain_values, scope_index

TAR_EXTRACTION = rule(
    code="SEC026",
    name="tar-extraction-without-filter",
    family="SEC",
    severity=Severity.WARNING,
    summary="A tar archive is extracted without an extraction filter (`filter=\"data\"`).",
    rationale="""`TarFile.extractall`/`extract` without a filter trust the archive: a member named
    `../../etc/cron.d/x`, an absolute path or a symlink out of the target directory writes
    wherever the process may write (CVE-2007-4559, "tar slip"). Since Python 3.12 (and the
    security releases 3.8.17, 3.9.17, 3.10.12, 3.11.4) pass `filter="data"`, which refuses such
    members; 3.14 makes it the default. `filter="fully_trusted"` keeps the old behaviour. A call
    that passes `members=` (a vetted list) is left alone. Read against the target Python: on 3.14
    only `filter="fully_trusted"` is reported; where `tarfile` has no `filter=` (3.11.0-3.11.3 and
    older releases) the finding comes without its fix.""",
    bad="""
        import tarfile

        def restore(archive_path, dest):
            with tarfile.open(archive_path) as tar:
                tar.extractall(dest)
    """,
    good="""
        import tarfile

        def restore(archive_path, dest):
            with tarfile.open(archive_path) as tar:
                tar.extractall(dest, filter="data")
    """,
    cwe=(22,),
    fix_safety=FixSafety.UNSAFE,
)

TAR_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.taropen", "tarfile.TarFile.gzopen", "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen"})


def opens_for_reading(sec: SecurityPass, value: ast.expr | None, openers: frozenset[str] = TAR_OPENERS) -> bool:
    """``value`` is a call of one of ``openers`` (an archive) with no mode to write (``"w"``,
    ``"a"``, ``"x"``, as the first letter)."""
    if not isinstance(value, ast.Call) or sec.qualified(value.func) not in openers:
        return False
    mode = keyword(value, "mode")
    mode_value = mode.value if mode is not None else (value.args[1] if len(value.args) > 1 else None)
    # an archive the program writes (mode "w", "a", "x") is its own
    return not (isinstance(mode_value, ast.Constant) and isinstance(mode_value.value, str) and mode_value.value[:1] in "wax" and mode_value.value)


def _receiver_is_tar(sec: SecurityPass, site: Site, receiver: ast.expr) -> bool:
    """``tarfile.open(...)`` for reading, or a name whose every binding in the function (the
    module outside one; :meth:`~vetpy.scopes.ScopeIndex.bindings`: a nested function's own local
    is none, a ``nonlocal`` rebinding is one) is a plain binding to such a call (``=``, ``:=``,
    ``with ... as``); a ``for`` target, an unpacking or any other binding is not known to be one."""
    if isinstance(receiver, ast.Call):
        return opens_for_reading(sec, receiver)
    if not isinstance(receiver, ast.Name):
        return False
    scope: ast.AST = site.func if site.func is not None else sec.tree
    bound = plain_values(scope_index(sec.doc).bindings(scope, receiver.id))
    return bool(bound) and all(opens_for_reading(sec, v) for v in bound)  # type: ignore[arg-type, union-attr]


def _guarded_member(site: Site) -> bool:
    """``extract(member)`` under an ``if`` or in a loop that tests something before it: the
    member was vetted (the pre-3.12 way)."""
    for anc in site.ancestors:
        if isinstance(anc, (ast.If, ast.IfExp, ast.Try)):
            return True
        if isinstance(anc, (ast.For, ast.AsyncFor, ast.While)):
            return any(isinstance(n, (ast.If, ast.Assert)) for stmt in anc.body for n in ast.walk(stmt))
    return False


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.attr not in ("extractall", "extract") or not isinstance(call.func, ast.Attribute):
        return
    if any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return
    if keyword(call, "members") is not None or (site.attr == "extractall" and len(call.args) > 1):
        return
    filt = keyword(call, "filter")
    if filt is not None and not (isinstance(filt.value, ast.Constant) and filt.value.value == "fully_trusted"):
        return
    if not _receiver_is_tar(sec, site, call.func.value):
        return
    if site.attr == "extract" and _guarded_member(site):
        return
    what = f"`{site.attr}` with filter=\"fully_trusted\"" if filt is not None else f"`{site.attr}` without `filter=`"
    edit = sec.doc.replace_node(filt.value, '"data"') if filt is not None else insert_keyword(sec.doc, call, 'filter="data"')
    fixes = [Fix(title='Pass filter="data"', edits=(edit,), preferred=True)] if edit is not None else []
    yield TAR_EXTRACTION.finding(
        sec.doc, call, f"tar archive extracted by {what}: a member can write outside the target directory (path traversal); pass filter=\"data\"", fixes=fixes,
        default_filter=filt is None,
    )


# the security releases that added extraction filters before 3.12
_FILTERS_SINCE = {(3, 8): (3, 8, 17), (3, 9): (3, 9, 17), (3, 10): (3, 10, 12), (3, 11): (3, 11, 4)}


def _has_filters(version: tuple[int, ...]) -> bool:
    """Does ``TarFile.extractall`` take ``filter=`` on this Python?"""
    if tuple(version[:2]) >= (3, 12):
        return True
    since = _FILTERS_SINCE.get((version[0], version[1]))
    return since is not None and tuple(version[:3]) >= since


def for_target(finding: Finding, version: tuple[int, ...]) -> Finding | None:
    """A SEC026 finding as it stands on the target Python: none where the default filter is
    already "data" (3.14) and no filter was passed; where ``filter=`` does not exist, without its
    fix (it would raise TypeError; the archive is trusted all the same), and none for a call that
    passes ``filter=`` (it raises TypeError before extracting anything)."""
    if finding.code != TAR_EXTRACTION.code:
        return finding
    default = finding.extra.get("default_filter")
    if default and tuple(version[:2]) >= (3, 14):
        return None
    if _has_filters(version):
        return finding
    return dataclasses.replace(finding, fixes=()) if default else None  # `filter=` there raises TypeError


MODULE = RuleModule(
    rules=(TAR_EXTRACTION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("extractall", ".extract(")),
)
